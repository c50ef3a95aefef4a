"""A model that fails says so plainly (issue #13, item 8): with --strict-llm the file is an error (JSON
``error`` set, no findings, exit 2) instead of a rules review plus a notice; a 401/403 names the key's
environment variable; an answer that does not validate is explained in Chinese."""

from __future__ import annotations

import json
from pathlib import Path

from reviewer.batch import Batch
from reviewer.batch.llm import ThreadRunner, llm_spec
from tests.fakeopenai import FakeOpenAI, dead_url, error, text_answer, tool_answer
from tests.llmkit import CLEAN_FACTS, SECRET, config, engine, fake  # noqa: F401 - fixture
from tests.test_llm_cli import CLEAN_PATH, review


def test_strict_makes_a_model_failure_the_files_error(tmp_path: Path) -> None:
    r = review("--strict-llm", "--model", "m", "--base-url", dead_url(), "--format", "json", CLEAN_PATH, tmp=tmp_path)
    assert r.returncode == 2
    (f,) = json.loads(r.stdout)["files"]
    assert f["error"] and "大模型提取失败" in f["error"] and f["findings"] == [] and f["notices"] == []
    assert "改用规则提取器" not in r.stdout + r.stderr
    text = review("--strict-llm", "--model", "m", "--base-url", dead_url(), CLEAN_PATH, tmp=tmp_path)
    assert text.returncode == 2 and "注意" not in text.stdout and "改用" not in text.stdout
    assert f"{CLEAN_PATH}: 错误：大模型提取失败" in text.stderr and "1 个无法审核" in text.stdout
    assert len(text.stderr.strip().splitlines()) == 1


def test_without_strict_the_fallback_stays_a_notice(tmp_path: Path) -> None:
    r = review("--model", "m", "--base-url", dead_url(), "--format", "json", CLEAN_PATH, tmp=tmp_path)
    assert r.returncode == 0
    (f,) = json.loads(r.stdout)["files"]
    assert f["error"] is None and f["extractor"] == "rules" and "改用规则提取器" in f["notices"][0]


def test_401_and_403_name_the_key_variable(fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.push(error(401, message="Incorrect API key provided"), error(403, message="forbidden"))
    for status in (401, 403):
        r = review("--model", "fake-model", "--base-url", fake.base_url, "--llm-mode", "tools", "--no-cache",
                   "--format", "json", CLEAN_PATH, tmp=tmp_path)
        notice = json.loads(r.stdout)["files"][0]["notices"][0]
        assert f"HTTP {status}" in notice and "OPENAI_API_KEY" in notice and SECRET not in notice
    assert len(fake.requests) == 2  # neither is retried


def test_an_invalid_answer_is_explained_in_chinese(fake: FakeOpenAI, tmp_path: Path) -> None:
    bad = {**CLEAN_FACTS, "fee": {"quote": 5}}
    fake.push(tool_answer(bad), tool_answer(bad), tool_answer(bad), text_answer("不是 JSON"))
    r = review("--model", "fake-model", "--base-url", fake.base_url, "--llm-mode", "tools", "--no-cache",
               "--format", "json", CLEAN_PATH, tmp=tmp_path)
    notice = json.loads(r.stdout)["files"][0]["notices"][-1]
    assert "大模型提取失败" in notice
    assert "ValidationError" not in notice and "validation error" not in notice and "Input should" not in notice
    assert "字段" in notice or "JSON" in notice


def test_strict_batch_rows_are_errors_and_not_stored(tmp_path: Path) -> None:
    import shutil

    from tests.conftest import ROOT

    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(ROOT / CLEAN_PATH, src / "a.txt")
    opts = {"extractor": "llm", "model": "m", "base_url": dead_url(), "llm_mode": "tools", "llm_timeout": 2.0,
            "strict_llm": True, "no_cache": True, "llm_record": None, "llm_replay": None}
    spec = llm_spec(opts, profile="national", select=(), ignore=())
    out = tmp_path / "out"
    report = Batch(out, spec, runner=ThreadRunner(spec, 1), pages=False).run([str(src)])
    assert report.failed == 1
    rec = json.loads((out / "findings.jsonl").read_text(encoding="utf-8"))
    assert "大模型提取失败" in rec["error"] and rec["findings"] == []
    assert rec["sha256"] is not None
    from reviewer.batch.store import Store

    store = Store(out / "state.sqlite")
    try:
        assert store.db.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 0  # asked again next time
    finally:
        store.close()
