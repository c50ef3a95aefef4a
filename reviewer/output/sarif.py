"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run; the driver lists every registered rule with its documentation as help text; ``ruleId`` is the
rule code (a public contract); paths are repository-relative URIs; each result carries a fingerprint
built from the rule code, the path and the message (plus an occurrence index for exact repeats), so a
finding keeps its identity when lines above it move.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import re

from reviewer import __version__
from reviewer.output.paths import path_uri, repo_relative
from reviewer.output.safe import json_text
from reviewer.output.where import page_note
from reviewer.rules.base import DOC_HEADINGS, Rule, all_rules
from schemas.common import Confidence, Severity
from schemas.output import FileResult

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "reportReviewer/v1"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_PROBLEM_SEVERITY = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "recommendation"}
_EXAMPLES = {"不合规示例", "合规示例"}


def fingerprint(code: str, path: str, message: str, occurrence: int = 0) -> str:
    key = "\x1f".join((code, path, message, str(occurrence)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def help_markdown(cls: type[Rule]) -> str:
    sections = cls.doc_sections()
    parts = [cls.summary()]
    for heading in DOC_HEADINGS:
        body = sections.get(heading)
        if not body:
            continue
        parts.append(f"**{heading}**")
        parts.append(f"```text\n{body}\n```" if heading in _EXAMPLES else body)
    return "\n\n".join(parts)


def rule_descriptor(cls: type[Rule]) -> dict:
    sections = cls.doc_sections()
    summary = cls.summary() or cls.name
    return {
        "id": cls.code,
        "name": cls.name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": sections.get("检查内容") or summary},
        "help": {"text": inspect.getdoc(cls) or summary, "markdown": help_markdown(cls)},
        "defaultConfiguration": {"level": LEVELS[cls.severity], **({"enabled": False} if cls.opt_in else {})},
        "properties": {
            "tags": [*cls.groups, cls.confidence.value],
            "precision": "very-high" if cls.confidence == Confidence.CERTAIN else "medium",
            "problem.severity": _PROBLEM_SEVERITY[cls.severity],
        },
    }


def _artifact(rel: str) -> dict:
    uri = path_uri(rel)
    return {"uri": uri} if uri.startswith("file:") else {"uri": uri, "uriBaseId": "%SRCROOT%"}


def sarif_log(results: list[FileResult]) -> dict:
    rules = all_rules()
    index = {cls.code: i for i, cls in enumerate(rules)}
    descriptors = [rule_descriptor(cls) for cls in rules]
    out_results: list[dict] = []
    notifications: list[dict] = []
    for r in results:
        rel = repo_relative(r.path)
        where = [{"physicalLocation": {"artifactLocation": _artifact(rel)}}]
        if r.error:
            notifications.append({"level": "error", "message": {"text": f"{rel}: {r.error}"}, "locations": where})
        notifications.extend({"level": "note", "message": {"text": f"{rel}: {n}"}, "locations": where} for n in r.notices)
        seen: dict[tuple[str, str], int] = {}
        for f in r.findings:
            if f.code not in index:  # a finding from a rule not in the registry (plugins): describe it minimally
                index[f.code] = len(descriptors)
                descriptors.append({"id": f.code, "name": f.name, "shortDescription": {"text": f.name}})
            occurrence = seen.get((f.code, f.message), 0)
            seen[(f.code, f.message)] = occurrence + 1
            fp = fingerprint(f.code, rel, f.message, occurrence)
            region: dict = {"startLine": max(1, f.line), "startColumn": max(1, f.column)}
            if f.evidence:
                region["snippet"] = {"text": f.evidence}
            props = {"confidence": f.confidence.value, "severity": f.severity.value}
            if f.page:  # a PDF's line is a paragraph index: the page is what a reader looks up
                region["properties"] = {"page": f.page}
                props["page"] = f.page
            if f.hint:
                props["hint"] = f.hint
            if f.extractor:
                props["extractor"] = f.extractor
            out_results.append({
                "ruleId": f.code,
                "ruleIndex": index[f.code],
                "level": LEVELS[f.severity],
                "kind": "fail",
                "message": {"text": f.message + page_note(f) + (f"\n建议：{f.hint}" if f.hint else "")},
                "locations": [{"physicalLocation": {"artifactLocation": _artifact(rel), "region": region}}],
                "fingerprints": {FINGERPRINT_KEY: fp},
                "partialFingerprints": {FINGERPRINT_KEY: fp},
                "properties": props,
            })
    driver = {
        "name": "report-reviewer",
        "version": __version__,
        "rules": descriptors,
    }
    if re.fullmatch(r"\d+\.\d+\.\d+([-+].*)?", __version__):
        driver["semanticVersion"] = __version__
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "invocations": [{
                "executionSuccessful": not any(r.error for r in results),
                "toolExecutionNotifications": notifications,
            }],
            "language": "zh-CN",
            "columnKind": "unicodeCodePoints",
            "results": out_results,
        }],
    }


def render_sarif(results: list[FileResult]) -> str:
    return json_text(json.dumps(sarif_log(results), ensure_ascii=False, indent=2)) + "\n"
