"""Words the formats people read use for the contract's values: the extractor that read the prose
("rules" -> 规则) and a rule's Chinese title (reviewer.rules.base.rule_title). JSON and SARIF keep the
values themselves."""

from __future__ import annotations

EXTRACTORS = {"rules": "规则", "llm": "大模型", "oracle": "人工标注"}


def extractor_label(name: str | None) -> str:
    """"规则" for "rules", "大模型" for "llm"; another name as it is."""
    return EXTRACTORS.get(name or "", name or "")
