"""The CLI with a model: options, JSON usage, visible degradation, --strict-llm, the cache; and the
import rules (only reviewer/llm/sdk.py imports openai/instructor; a rules-only run loads none of the
LLM stack)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, sample
from tests.fakeopenai import FakeOpenAI, dead_url, tool_answer
from tests.llmkit import CLEAN_FACTS, SECRET, fake  # noqa: F401 - fixture

CLEAN_PATH = "evals/bases/clean_department_2023.txt"
HEAVY = ("openai", "instructor", "jinja2", "httpx", "httpx2", "tenacity")


def review(*args: str, env: dict[str, str] | None = None, tmp: Path) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "REVIEW_MODEL")}
    base.update({"XDG_CACHE_HOME": str(tmp / "xdg"), "REVIEW_CACHE_DIR": "", "OPENAI_API_KEY": SECRET})
    base.update(env or {})
    return subprocess.run([sys.executable, "-m", "reviewer", *args], cwd=ROOT, env=base, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


@pytest.mark.parametrize("args", [["--extractor", "llm"], ["--strict-llm"], ["--extractor", "rules", "--strict-llm"]])
def test_llm_options_without_a_model_are_usage_errors(args: list[str], tmp_path: Path) -> None:
    r = review(*args, CLEAN_PATH, tmp=tmp_path)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.startswith("review: 错误：") and len(r.stderr.strip().splitlines()) == 1


def test_json_output_shows_extractor_and_usage_and_the_cache_works(fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.push(tool_answer(CLEAN_FACTS, usage=(800, 120)), tool_answer(CLEAN_FACTS))
    args = ("--model", "fake-model", "--base-url", fake.base_url, "--llm-mode", "tools", "--format", "json", CLEAN_PATH)
    first = review(*args, tmp=tmp_path)
    assert first.returncode == 0, first.stderr
    out = json.loads(first.stdout)["files"][0]
    assert out["extractor"] == "llm" and out["notices"] == []
    assert out["usage"] == {"model": "fake-model", "prompt_version": out["usage"]["prompt_version"], "requests": 1,
                            "prompt_tokens": 800, "completion_tokens": 120, "cached": False}
    assert len(fake.requests) == 1
    cached = json.loads(review(*args, tmp=tmp_path).stdout)["files"][0]
    assert cached["extractor"] == "llm" and cached["usage"]["cached"] is True and cached["usage"]["requests"] == 0
    assert len(fake.requests) == 1  # an unchanged report costs zero requests
    entries = list((tmp_path / "xdg" / "report-reviewer" / "llm").rglob("*.json"))
    assert len(entries) == 1 and SECRET not in entries[0].read_text(encoding="utf-8")
    review("--no-cache", *args, tmp=tmp_path)
    assert len(fake.requests) == 2
    for text in (first.stdout, first.stderr):
        assert SECRET not in text


def test_auto_uses_the_model_from_the_environment(fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.push(tool_answer(CLEAN_FACTS))
    r = review("--format", "json", "--no-cache", CLEAN_PATH, tmp=tmp_path,
               env={"REVIEW_MODEL": "fake-model", "OPENAI_BASE_URL": fake.base_url, "REVIEW_LLM_MODE": "tools"})
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["files"][0]["extractor"] == "llm" and len(fake.requests) == 1


def test_dead_endpoint_degrades_visibly_and_strict_exits_2(tmp_path: Path) -> None:
    r = review("--model", "m", "--base-url", dead_url(), CLEAN_PATH, tmp=tmp_path)
    # the review completed with the rules extractor and says so …
    assert f"{CLEAN_PATH}: 注意：大模型提取失败" in r.stdout and "改用规则提取器" in r.stdout
    assert r.stdout.rstrip().endswith("未发现问题。") and r.returncode == 0
    # … and --strict-llm makes the file an error instead (tests/test_llm_strict.py)
    r = review("--strict-llm", "--model", "m", "--base-url", dead_url(), CLEAN_PATH, tmp=tmp_path)
    assert r.returncode == 2 and r.stderr.startswith(f"{CLEAN_PATH}: 错误：大模型提取失败")


def test_rules_only_review_imports_no_llm_stack() -> None:
    script = (
        "import sys\n"
        "from reviewer.cli import main\n"
        f"try:\n    main([{str(sample('003'))!r}, '--format', 'json'])\n"
        "except SystemExit:\n    pass\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("REVIEW_MODEL", "OPENAI_BASE_URL")}
    r = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == "[]"


IMPORT_RX = re.compile(r"^\s*(?:import|from)\s+(openai|instructor)\b", re.M)


def test_only_one_module_imports_openai_or_instructor() -> None:
    importers = sorted(
        str(p.relative_to(ROOT))
        for p in ROOT.rglob("*.py")
        if not ({".venv", "build", ".git"} & set(p.relative_to(ROOT).parts)) and IMPORT_RX.search(p.read_text(encoding="utf-8"))
    )
    assert importers == ["reviewer/llm/sdk.py"]
