"""The rule framework: one class per rule (sqlfluff/ruff style), a registry, and the Context.

A rule has a stable ``code`` (RULES.md), a ``name`` (the problem, not the fix), a ``severity``,
``groups``, the ``profiles`` it belongs to, whether it is ``opt_in`` (off unless asked for), and a
docstring with fixed headings — 检查内容, 依据, 不合规示例, 合规示例 — that ``review rule CODE`` prints.
Rules look at the Context and yield findings; they never read files, call a model or format output.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from schemas.plain import field, plain
from decimal import Decimal
from typing import ClassVar

from schemas.common import Confidence, Location, Severity, Span
from schemas.document import Document
from schemas.facts import Fact, NarrativeFacts
from schemas.findings import Finding
from schemas.profile import Profile
from schemas.tables import Tables

DOC_HEADINGS = ("检查内容", "依据", "不合规示例", "合规示例")

REGISTRY: dict[str, type[Rule]] = {}


@plain
class Context:
    """Everything a rule may look at."""

    doc: Document
    tables: Tables
    facts: NarrativeFacts
    profile: Profile
    extractor: str = "rules"
    previous: Context | None = None  # the same agency's previous report, for the C rules
    notes: dict[str, object] = field(default_factory=dict)

    @property
    def year(self) -> int | None:
        return self.doc.year


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    # The problem in Chinese, as the formats people read name the rule (the slug ``name`` stays in JSON
    # and SARIF): text, markdown, the PR comment, annotations, the dashboard, `review rules`.
    title: ClassVar[str] = ""
    severity: ClassVar[Severity]
    groups: ClassVar[tuple[str, ...]] = ()
    profiles: ClassVar[tuple[str, ...]] = ("national",)
    confidence: ClassVar[Confidence] = Confidence.CERTAIN
    hint: ClassVar[str] = ""
    uses_facts: ClassVar[bool] = False  # findings rest on narrative facts (and name their extractor)
    # Taste, not a requirement (RULES.md policy 4): off by default; on with --select CODE (the exact
    # code, not a prefix) or a profile whose ``enable`` names it (e.g. the built-in "strict").
    opt_in: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        code = cls.__dict__.get("code")
        if code:
            if code in REGISTRY:
                raise RuntimeError(f"duplicate rule code {code}")
            REGISTRY[code] = cls

    def check(self, ctx: Context) -> Iterable[Finding]:  # pragma: no cover - abstract
        raise NotImplementedError

    # --- helpers for subclasses -------------------------------------------------------------
    def finding(
        self,
        ctx: Context,
        message: str,
        *,
        at: int | Location | Span | None = None,
        evidence: str = "",
        hint: str | None = None,
        confidence: Confidence | None = None,
        extractor: str | None = None,
    ) -> Finding:
        if isinstance(at, Span):
            at = at.start
        loc = ctx.doc.location(at) if isinstance(at, int) else (at or Location())
        return Finding(
            code=self.code,
            name=self.name,
            severity=self.severity,
            message=message,
            line=loc.line,
            column=loc.column,
            evidence=evidence,
            hint=self.hint if hint is None else hint,
            confidence=confidence or self.confidence,
            extractor=(extractor or ctx.extractor) if self.uses_facts else None,
        )

    def fact_finding(self, ctx: Context, message: str, fact: Fact | None, **kw: object) -> Finding:
        """A finding located at a narrative fact's quote."""
        at = fact.span if fact is not None and fact.span is not None else kw.pop("at", None)
        evidence = kw.pop("evidence", None) or (fact.quote if fact is not None else "")
        if fact is not None and fact.extractor and "extractor" not in kw:
            kw["extractor"] = fact.extractor  # merged facts name their own extractor
        return self.finding(ctx, message, at=at, evidence=evidence, **kw)  # type: ignore[arg-type]

    # --- documentation ----------------------------------------------------------------------
    @classmethod
    def summary(cls) -> str:
        import inspect  # not on a review's path: `review rules`, SARIF

        return (inspect.getdoc(cls) or "").strip().splitlines()[0] if cls.__doc__ else ""

    @classmethod
    def doc_sections(cls) -> dict[str, str]:
        """The docstring's headed sections (检查内容, 依据, 不合规示例, 合规示例)."""
        import inspect

        text = inspect.getdoc(cls) or ""
        out: dict[str, str] = {}
        pattern = re.compile(r"^(" + "|".join(DOC_HEADINGS) + r")[:：]\s*$", re.M)
        marks = list(pattern.finditer(text))
        for i, m in enumerate(marks):
            end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
            out[m.group(1)] = inspect.cleandoc(text[m.end() : end])
        return out


def all_rules() -> list[type[Rule]]:
    import reviewer.rules  # noqa: F401  (registers every rule module)

    return [REGISTRY[c] for c in sorted(REGISTRY)]


def rule_title(code: str, fallback: str = "") -> str:
    """A rule's Chinese title by code (its summary line if it has none); ``fallback`` (a finding's own
    name) for a code no rule registered."""
    import reviewer.rules  # noqa: F401  (registers every rule module; per finding, so no sorting here)

    cls = REGISTRY.get(code)
    if cls is None:
        return fallback
    return cls.title or cls.summary().rstrip("。") or fallback


def unknown_code(pattern: str) -> str | None:
    """Why ``pattern`` (a rule code or prefix, upper case) selects no rule, naming the nearest valid
    one — the longest valid prefix of it (``T33`` -> ``T3``), else the closest code — or None."""
    import difflib

    codes = [cls.code for cls in all_rules()]
    if any(c.startswith(pattern) for c in codes) and pattern:
        return None
    prefixes = {c[:n] for c in codes for n in range(1, len(c) + 1)}
    nearest = next((pattern[:n] for n in range(len(pattern) - 1, 0, -1) if pattern[:n] in prefixes), None)
    nearest = nearest or next(iter(difflib.get_close_matches(pattern, codes, n=1, cutoff=0.6)), None)
    hint = f"，是否想用“{nearest}”？" if nearest else "（review rules 列出全部规则）"
    return f"未知的规则代码或前缀“{pattern}”{hint}"


def check_codes(patterns: Iterable[str], where: str = "") -> None:
    """A usage error for the first pattern that selects no rule (a typo must not pass silently)."""
    from reviewer.errors import UsageError

    for p in patterns:
        if problem := unknown_code(p):
            raise UsageError(f"{where}{problem}")


def matches(code: str, patterns: Iterable[str]) -> bool:
    return any(code == p or (p and code.startswith(p)) for p in patterns)


def active_rules(profile: Profile, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Rule]:
    """The rules to run: the profile's set, narrowed by --select and --ignore (codes or prefixes).

    An opt-in rule is not in the profile's set unless the profile's ``enable`` names it; ``--select``
    turns it on only by its exact code (``--select N1`` runs N101–N103, ``--select N104`` runs N104)."""
    select, ignore = list(select), list(ignore)
    out = []
    for cls in all_rules():
        in_profile = any(p in cls.profiles for p in profile.lineage or [profile.name])
        allowed = in_profile and not matches(cls.code, profile.disable)
        on = (allowed and not cls.opt_in) or matches(cls.code, profile.enable)
        if select:
            on = (on and matches(cls.code, select)) or (allowed and cls.opt_in and cls.code in select)
        if ignore and matches(cls.code, ignore):
            on = False
        if on:
            out.append(cls())
    return out


def num(v: Decimal | int | None) -> str:
    """A number as a report would write it (no exponent, no trailing .0)."""
    if v is None:
        return "空"
    if isinstance(v, Decimal):
        v = v.normalize()
        s = format(v, "f")
        return s
    return str(v)


def run_rules(rules: Iterable[Rule], ctx: Context) -> Iterator[Finding]:
    for rule in rules:
        yield from rule.check(ctx)
