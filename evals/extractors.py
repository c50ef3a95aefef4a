"""The extractors the suite can compare, as factories ``profile -> Extractor``.

``rules`` is the offline default. ``llm-replay`` and ``llm-live`` come from ``reviewer.llm`` (the only
module allowed to import openai/instructor), imported only when asked for. The contract with it is
one function::

    reviewer.llm.eval_extractor(profile, mode, recordings) -> Extractor

where ``mode`` is "live" (call the configured endpoint and record each raw answer under
``recordings``, no key and no headers) or "replay" (answer from those recordings, offline), and the
extractions carry ``usage`` (requests, tokens). Until it exists, asking for either mode says so.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from reviewer.extract.base import Extractor
from schemas.profile import Profile

RECORDINGS = Path(__file__).resolve().parent / "recordings"

ExtractorFactory = Callable[[Profile], Extractor]


class Unavailable(Exception):
    """The extractor cannot run here (not merged yet, not configured); the message is for users."""


def _rules() -> ExtractorFactory:
    from reviewer.extract.rules import RulesExtractor

    return RulesExtractor


def _llm(mode: str) -> ExtractorFactory:
    try:
        mod = importlib.import_module("reviewer.llm")
    except ImportError:
        raise Unavailable(f"LLM 抽取器（reviewer/llm.py）尚未合并，--{mode} 暂不可用") from None
    make = getattr(mod, "eval_extractor", None)
    if make is None:
        raise Unavailable(f"reviewer.llm 尚未提供 eval_extractor(profile, mode, recordings)，--{mode} 暂不可用")

    def factory(profile: Profile) -> Extractor:
        try:
            return make(profile=profile, mode=mode, recordings=RECORDINGS)
        except Exception as e:  # noqa: BLE001 - not configured, no recordings…: say so, once
            raise Unavailable(f"LLM 抽取器（{mode}）无法使用：{e}") from None

    return factory


FACTORIES: dict[str, Callable[[], ExtractorFactory]] = {
    "rules": _rules,
    "llm-replay": lambda: _llm("replay"),
    "llm-live": lambda: _llm("live"),
}


def factory(name: str) -> ExtractorFactory:
    """The factory of a named extractor; raises Unavailable with a one-line reason."""
    if name not in FACTORIES:
        raise Unavailable(f"未知的抽取器：{name}（可用：{'、'.join(FACTORIES)}）")
    return FACTORIES[name]()
