"""One report in, one chat-completions request out; one answer in, one Extraction out.

``build_request`` and ``parse_response`` are the public halves of the LLM extractor, usable without
it (e.g. to write OpenAI Batch API files and read their results back). Both import instructor only
when called.
"""

from __future__ import annotations

from reviewer.extract.base import Extraction
from reviewer.llm.corroborate import corroborate
from reviewer.llm.merge import merge, tag, verify
from reviewer.llm.narrative import Narrative, select_narrative
from reviewer.llm.prompt import messages, prompt_version
from schemas.document import Document
from schemas.facts import NarrativeFacts
from schemas.output import Usage
from schemas.profile import Profile
from schemas.tables import Tables


def build_request(
    doc: Document,
    tables: Tables | None,
    *,
    model: str,
    profile: Profile | None = None,
    mode: str = "tools",
    temperature: float | None = 0.0,
    max_tokens: int | None = None,
    narrative: Narrative | None = None,
) -> dict:
    """The chat-completions request body for one report, exactly as it would be POSTed to
    ``{base_url}/chat/completions``: ``model``, ``messages`` (the frame as system message, the task
    with the narrative — never the tables — as user message), ``temperature``, and the
    ``NarrativeFacts`` schema as a forced tool (``mode="tools"``, the default), as a
    ``response_format`` (``json``, ``json_schema``) or in the system message (``json``, ``md_json``).
    ``profile`` adds its section 六 items to the task; ``narrative`` saves selecting it again.
    JSON-serialisable; holds no key."""
    from reviewer.llm import sdk

    narrative = narrative or select_narrative(doc, tables)
    return sdk.shape_request(
        messages(narrative, doc, profile), model=model, mode=mode, temperature=temperature, max_tokens=max_tokens
    )


def usage_of(body: dict) -> tuple[int, int]:
    usage = body.get("usage") or {}
    return int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)


def extraction_from(
    facts: NarrativeFacts,
    doc: Document,
    rules_extraction: Extraction | None,
    usage: Usage,
    notices: list[str] | None = None,
    profile: Profile | None = None,
) -> Extraction:
    """Verify the model's facts, keep those that would remove a required-item finding only when
    the text corroborates them (reviewer.llm.corroborate), merge the rest with the rules extraction
    (reviewer.llm.merge)."""
    verified, dropped = verify(facts, doc)
    base = tag(rules_extraction.facts, doc) if rules_extraction else NarrativeFacts()
    verified, rejected = corroborate(verified, base, doc, profile)
    out = list(rules_extraction.notices) if rules_extraction else []
    out.extend(notices or [])
    if dropped:
        out.append(f"大模型提取的{len(dropped)}条事实的引文在原文中找不到，已丢弃：{_shown(dropped)}")
    if rejected:
        out.append(f"大模型提取的{len(rejected)}条事实未得到原文印证（不在所属部分、不符合认定用语，或像是写给审核者的"
                   f"指令），未采用：{_shown(rejected)}")
    return Extraction(facts=merge(base, verified), extractor="llm", notices=out, usage=usage)


def _shown(quotes: list[str]) -> str:
    shown = "、".join(f"“{q[:20]}{'…' if len(q) > 20 else ''}”" for q in quotes[:3])
    return shown + ("等" if len(quotes) > 3 else "")


def parse_response(
    body: dict,
    doc: Document,
    tables: Tables | None = None,
    *,
    rules_extraction: Extraction | None = None,
    profile: Profile | None = None,
) -> Extraction:
    """Validate one chat-completions answer body (a tool call, or JSON bare or in a ```json fence),
    verify every quote against ``doc`` (unverifiable facts are dropped with a notice) and merge the
    rest with ``rules_extraction`` by the stated policy. Returns ``extractor="llm"`` and the answer's
    token usage (``requests=1``). Raises ``reviewer.llm.errors.AnswerError`` when the body holds no
    valid facts at all (malformed JSON, wrong schema); the caller then keeps the rules extraction.
    ``tables`` is accepted for symmetry with ``build_request``; tables are never read from answers."""
    from reviewer.llm import sdk

    facts = sdk.parse_facts(body)
    prompt_tokens, completion_tokens = usage_of(body)
    usage = Usage(
        model=body.get("model"),
        prompt_version=prompt_version(),
        requests=1,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
    )
    return extraction_from(facts, doc, rules_extraction, usage, profile=profile)
