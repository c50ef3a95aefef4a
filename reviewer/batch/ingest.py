"""``review batch PATH... --out DIR --ingest RESULTS.jsonl``: complete the review with the answers of a
provider's batch run (OpenAI Batch API output, or any provider writing the same JSONL)::

    {"custom_id": "<sha256 of the report file>", "response": {"status_code": 200, "body": {...}}, "error": null}

Each report is matched to its line by content hash; the body becomes an Extraction through
``reviewer.llm.parse_response`` (quotes verified, merged with the rules extraction) and the review
runs with it injected (``BatchAnswers``). A line with an error, a status other than 200, or an answer
that is not valid facts — and a report with no line at all — is reviewed with the rules extractor and
a notice; such a result is not stored in the state, so ingesting a later results file (the retries)
completes it. The state key says ``ingest`` and the model named by the answers.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reviewer.batch.runner import EngineSpec
from reviewer.errors import UsageError


@dataclass
class Answer:
    body: dict | None = None  # a valid answer body
    problem: str | None = None  # why there is none


@dataclass
class Results:
    answers: dict[str, Answer] = field(default_factory=dict)
    lines: int = 0
    malformed: int = 0  # not JSON, or no custom_id
    models: set[str] = field(default_factory=set)

    def count(self, kind: str, ids: set[str] | None = None) -> int:
        return sum(1 for k, a in self.answers.items() if (ids is None or k in ids) and _kind(a) == kind)


def _kind(a: Answer) -> str:
    if a.body is not None:
        return "ok"
    return (a.problem or "").split("：", 1)[0]


ERROR, STATUS, INVALID = "出错", "状态码非200", "应答无效"


def classify(entry: Any) -> Answer:
    """One results line as an answer body, or the reason it has none."""
    from reviewer.llm import AnswerError
    from reviewer.llm.sdk import parse_facts

    if entry.get("error"):
        err = entry["error"]
        text = err.get("message") or err.get("code") if isinstance(err, dict) else err
        return Answer(problem=f"{ERROR}：{str(text)[:200]}")
    response = entry.get("response") or {}
    status = response.get("status_code") if isinstance(response, dict) else None
    body = response.get("body") if isinstance(response, dict) else None
    if status != 200 or not isinstance(body, dict):
        return Answer(problem=f"{STATUS}：HTTP {status}")
    try:
        parse_facts(body)
    except AnswerError as e:
        return Answer(problem=f"{INVALID}：{e}")
    return Answer(body=body)


def load_results(path: str | Path) -> Results:
    """Read a results file (UsageError when it cannot be read at all). Of several lines for one
    custom_id, a valid answer wins, else the last."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise UsageError(f"批处理结果文件 {path} 无法读取：{getattr(e, 'strerror', None) or e}") from None
    out = Results()
    for raw in text.splitlines():
        if not raw.strip():
            continue
        out.lines += 1
        try:
            entry = json.loads(raw)
            custom_id = entry["custom_id"]
            if not isinstance(custom_id, str):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            out.malformed += 1
            continue
        answer = classify(entry)
        if answer.body is not None and answer.body.get("model"):
            out.models.add(str(answer.body["model"]))
        if answer.body is not None or custom_id not in out.answers or out.answers[custom_id].body is None:
            out.answers[custom_id] = answer
    if out.lines == 0:
        raise UsageError(f"批处理结果文件 {path} 是空的")
    return out


_LOADED: dict[tuple, Results] = {}


def cached_results(path: str) -> Results:
    """Loaded once per process (forked workers inherit the parent's copy)."""
    st = Path(path).stat()
    key = (str(Path(path).resolve()), st.st_mtime_ns, st.st_size)
    if key not in _LOADED:
        _LOADED.clear()
        _LOADED[key] = load_results(path)
    return _LOADED[key]


def ingest_spec(results: str, *, model: str | None, profile: str, select: tuple[str, ...],
                ignore: tuple[str, ...]) -> EngineSpec:
    try:
        loaded = cached_results(results)
    except OSError as e:
        raise UsageError(f"批处理结果文件 {results} 无法读取：{e.strerror or e}") from None
    named = model or ",".join(sorted(loaded.models)) or "unknown"
    return EngineSpec(profile=profile, select=select, ignore=ignore, extractor="ingest",
                      extractor_options=(("source", "batch-ingest"), ("model", named)),
                      runtime=(("results", str(Path(results).resolve())), ("model", named)))


class BatchAnswers:
    """The extractor of an ingest: the answer for the report's content, or the rules with a notice."""

    name = "llm"

    def __init__(self, results: Results, profile, model: str) -> None:
        from reviewer.extract.rules import RulesExtractor

        self.results, self.model = results, model
        self.rules = RulesExtractor(profile)

    def extract(self, doc, tables):
        from reviewer.extract.base import Extraction
        from reviewer.llm import AnswerError, parse_response
        from reviewer.llm.merge import tag
        from schemas.output import Usage

        rules = self.rules.extract(doc, tables)
        from reviewer.errors import InputError
        from reviewer.ingest import read_bytes

        try:
            sha = hashlib.sha256(read_bytes(doc.path)).hexdigest()
        except InputError:
            sha = ""
        answer = self.results.answers.get(sha) or Answer(problem="批处理结果中没有该报告的应答")
        if answer.body is not None:
            try:
                return parse_response(answer.body, doc, tables, rules_extraction=rules, profile=self.rules.profile)
            except AnswerError as e:  # pragma: no cover - classify() already parsed it
                answer = Answer(problem=f"{INVALID}：{e}")
        notice = f"批处理结果未能采用（{answer.problem}）。本文件改用规则提取器审核，叙述类检查的结果可能不完整"
        return Extraction(facts=tag(rules.facts, doc, "rules"), extractor="rules", notices=[*rules.notices, notice],
                          usage=Usage(model=self.model))


def ingest_engine(spec: EngineSpec):
    from reviewer.engine import Engine

    runtime = dict(spec.runtime)
    engine = Engine(profile=spec.profile, select=spec.select, ignore=spec.ignore)
    engine.extractor = BatchAnswers(cached_results(runtime["results"]), engine.profile, runtime["model"])
    return engine


def ingest_summary(results: Results, shas: set[str], missing: set[str], path: str) -> str:
    """The line saying how many answers were used and how many failed, and why. ``shas``: the
    batch's reports; ``missing``: those reviewed without an answer (not the ones D001 stopped)."""
    ids = set(results.answers)
    known = ids & shas
    unknown = len(ids - shas)
    ok = results.count("ok", known)
    failed = {k: results.count(k, known) for k in (ERROR, STATUS, INVALID)}
    parts = "，".join(f"{k} {v}" for k, v in failed.items())
    return (f"批处理结果 {path}：{results.lines} 行，采用 {ok} 份报告的应答；未能采用 {sum(failed.values())} 份（{parts}），"
            f"custom_id 不对应任何报告 {unknown} 行，无法解析 {results.malformed} 行；没有应答的报告 {len(missing)} 份。"
            "未能采用或没有应答的报告已改用规则提取器审核（见各报告的注意事项），导入新的结果文件即可补上。")
