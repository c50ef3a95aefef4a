"""The ``review check`` options of the LLM extractor, and the extractor they configure.

Kept out of cli.py so that its edits stay small; imports nothing heavy (click only).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from reviewer.errors import UsageError
from reviewer.llm.config import MODES

EXTRACTORS = ("auto", "rules", "llm")

_OPTIONS = [
    click.option("--extractor", type=click.Choice(EXTRACTORS), default="auto", show_default=True,
                 help="叙述事实的提取器：rules 规则；llm 大模型；auto 配置了模型时用大模型。"),
    click.option("--model", envvar="REVIEW_MODEL", show_envvar=True, default=None,
                 help="大模型名称（OpenAI 兼容接口）。"),
    click.option("--base-url", envvar="OPENAI_BASE_URL", show_envvar=True, default=None,
                 help="OpenAI 兼容接口地址，如 https://api.deepseek.com/v1。密钥只从环境变量 OPENAI_API_KEY 读取。"),
    click.option("--llm-mode", type=click.Choice(MODES), envvar="REVIEW_LLM_MODE", show_envvar=True, default=None,
                 help="结构化输出方式（instructor 模式）；默认按接口选择：OpenAI 用 tools，其他用 json。"),
    click.option("--llm-timeout", type=click.FloatRange(min=0.1), default=120.0, show_default=True,
                 help="每个大模型请求的超时（秒）。"),
    click.option("--strict-llm", is_flag=True,
                 help="大模型提取失败时该文件记为错误（退出码2），而不是改用规则提取器审核。"),
    click.option("--no-cache", is_flag=True, help="不读取也不写入大模型应答缓存。"),
    click.option("--llm-record", type=click.Path(file_okay=False), default=None,
                 help="把大模型的请求与应答录制到该目录（不含密钥和请求头）。"),
    click.option("--llm-replay", type=click.Path(file_okay=False), default=None,
                 help="从该目录重放录制的应答，不访问网络。"),
]


def llm_options(f: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(_OPTIONS):
        f = option(f)
    return f


def build_extractor(opts: dict[str, Any], profile: str) -> Any:
    """The LLM extractor the options ask for, or None for the rules extractor (the engine's default)."""
    choice = opts["extractor"]
    model = opts["model"]
    if choice == "rules":
        if opts["strict_llm"]:
            raise UsageError("--strict-llm 需要大模型提取器（--extractor llm 或 auto 并配置模型）")
        return None
    if not model:
        if choice == "llm" or opts["strict_llm"] or opts["llm_replay"]:
            raise UsageError("未配置大模型：请用 --model 或环境变量 REVIEW_MODEL 指定模型名称")
        return None
    from reviewer.llm.config import LLMConfig
    from reviewer.llm.extractor import LLMExtractor, transport_for
    from reviewer.profile import load_profile

    config = LLMConfig.from_env(
        model=model, base_url=opts["base_url"], mode=opts["llm_mode"],
        timeout=opts["llm_timeout"],
        # a recorded or replayed run talks to its transport, never to the answer cache
        cache=not (opts["no_cache"] or opts["llm_record"] or opts["llm_replay"]),
    )
    assert config is not None
    transport = None
    if opts["llm_replay"] or opts["llm_record"]:
        transport = transport_for(config, record=opts["llm_record"], replay=opts["llm_replay"])
    return LLMExtractor(config, profile=load_profile(profile), transport=transport, strict=bool(opts["strict_llm"]))
