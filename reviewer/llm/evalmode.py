"""The eval suite's entry point: an LLM extractor that runs live (recording every answer) or replays
recordings offline.

``recordings/config.json`` holds what a replay must reproduce to find the recorded answers — the
model name, the instructor mode and the endpoint (never the key) — written by the live run.
"""

from __future__ import annotations

import json
from pathlib import Path

from reviewer.llm.config import LLMConfig
from reviewer.llm.extractor import LLMExtractor, transport_for
from reviewer.llm.record import ReplayTransport
from schemas.profile import Profile

CONFIG = "config.json"


def eval_extractor(*, profile: Profile, mode: str, recordings: str | Path) -> LLMExtractor:
    """``mode`` "live": the endpoint configured by REVIEW_MODEL/OPENAI_* , answers recorded under
    ``recordings``; "replay": answers read from ``recordings``, no network. The cache is off in both,
    so every request is really made (live) or really looked up (replay)."""
    directory = Path(recordings)
    if mode == "live":
        config = LLMConfig.from_env(cache=False)
        if config is None:
            raise ValueError("未配置模型：请设置 REVIEW_MODEL（以及 OPENAI_API_KEY、OPENAI_BASE_URL）")
        directory.mkdir(parents=True, exist_ok=True)
        meta = {"model": config.model, "mode": config.resolved_mode, "endpoint": config.endpoint}
        (directory / CONFIG).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        return LLMExtractor(config, profile=profile, transport=transport_for(config, record=directory))
    if mode == "replay":
        try:
            meta = json.loads((directory / CONFIG).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ValueError(f"{directory} 中没有录制（先用 python -m evals --live 录制一次）") from None
        config = LLMConfig(model=meta["model"], mode=meta["mode"], base_url=meta["endpoint"], cache=False)
        return LLMExtractor(config, profile=profile, transport=ReplayTransport(directory))
    raise ValueError(f"未知的模式：{mode}（live 或 replay）")
