"""review batch with a model: --extractor llm on threads (fake server), --llm-batch (the OpenAI Batch
API input file) and --ingest (a fake results file), the state key, the shared 429 cooldown."""

from __future__ import annotations

import hashlib
import json
import pickle
import shutil
import threading
import time
from pathlib import Path

import pytest

from reviewer.batch import config_key
from reviewer.batch.llm import Cooldown, llm_spec
from reviewer.llm.errors import TransportError
from tests.conftest import BASES, SAMPLES
from tests.fakeopenai import FakeOpenAI, dead_url, error, text_answer, tool_answer
from tests.llmkit import CLEAN_FACTS, SECRET, fake  # noqa: F401 - fixture
from tests.test_llm_cli import review
from tests.test_llm_request import TABLE_ROWS

CLEAN = (BASES / "clean_department_2023.txt").read_text(encoding="utf-8")
SAMPLE_FILES = sorted(SAMPLES.glob("*.txt"))


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def variants(folder: Path, n: int) -> list[Path]:
    """``n`` distinct clean reports (their narratives differ by a phone number; the quotes still hold)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        p = folder / f"clean_{i}.txt"
        p.write_text(CLEAN.replace("0791-1234567", f"0791-123456{i}"), encoding="utf-8")
        out.append(p)
    return out


def records(out: Path) -> dict[str, dict]:
    lines = (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()
    return {Path(r["path"]).name: r for r in map(json.loads, lines)}


# --- the state key --------------------------------------------------------------------------------
def options(**kw: object) -> dict:
    opts = {"extractor": "llm", "model": "m1", "base_url": "http://127.0.0.1:9/v1", "llm_mode": "tools",
            "llm_timeout": 120.0, "strict_llm": False, "no_cache": False, "llm_record": None, "llm_replay": None}
    opts.update(kw)
    return opts


def test_the_key_has_model_endpoint_mode_and_prompt_version_never_the_api_key(monkeypatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    spec = llm_spec(options(), profile="national", select=(), ignore=())
    assert spec.extractor == "llm"
    named = dict(spec.extractor_options)
    assert named["model"] == "m1" and named["endpoint"] == "http://127.0.0.1:9/v1" and named["mode"] == "tools"
    assert named["prompt_version"] and named["schema_version"]
    assert SECRET not in repr(spec) and SECRET.encode() not in pickle.dumps(spec)
    key = config_key(spec, tool="t")
    for changed in ({"model": "m2"}, {"base_url": "http://127.0.0.1:8/v1"}, {"llm_mode": "json"}):
        assert config_key(llm_spec(options(**changed), profile="national", select=(), ignore=()), tool="t") != key
    # how it runs (timeout, the key itself) is not what it extracts: same key
    monkeypatch.setenv("OPENAI_API_KEY", "sk-other")
    assert config_key(llm_spec(options(llm_timeout=5.0), profile="national", select=(), ignore=()), tool="t") == key
    rules = llm_spec(options(extractor="auto", model=None), profile="national", select=(), ignore=())
    assert rules.extractor == "rules" and rules.extractor_options == ()


def test_a_429_pauses_every_thread_for_the_servers_wait() -> None:
    now = [100.0]
    slept: list[float] = []

    class Inner:
        calls = 0

        def send(self, body, meta=None):
            Inner.calls += 1
            if Inner.calls == 1:
                raise TransportError("HTTP 429", retryable=True, status=429, retry_after=7.0)
            return {"ok": True}

    def sleep(s: float) -> None:
        slept.append(s)
        now[0] += s

    cool = Cooldown(Inner(), cap=5.0, default=0.5, clock=lambda: now[0], sleep=sleep)
    with pytest.raises(TransportError):
        cool.send({})
    assert cool.send({}) == {"ok": True} and slept == [5.0]  # the server's wait, capped
    assert cool.send({}) == {"ok": True} and slept == [5.0]  # then no more waiting


# --- --extractor llm on threads ------------------------------------------------------------------
class Gauge:
    """A scripted answer that takes a while and records how many requests were in flight at once."""

    def __init__(self) -> None:
        self.now = self.peak = 0
        self.lock = threading.Lock()

    def __call__(self, body: dict) -> dict:
        with self.lock:
            self.now += 1
            self.peak = max(self.peak, self.now)
        time.sleep(0.3)
        with self.lock:
            self.now -= 1
        return tool_answer(CLEAN_FACTS)


def test_llm_extractor_with_bounded_concurrency_and_the_state(fake: FakeOpenAI, tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    variants(reports, 4)
    gauge = Gauge()
    fake.push(*[gauge] * 5)
    args = ("batch", str(reports), "--out", str(tmp_path / "out"), "--extractor", "llm", "--model", "fake-model",
            "--base-url", fake.base_url, "--llm-mode", "tools", "--llm-concurrency", "2", "--no-progress")
    r = review(*args, tmp=tmp_path)
    assert r.returncode == 0, r.stderr
    assert len(fake.requests) == 4 and gauge.peak == 2
    recs = records(tmp_path / "out")
    assert all(rec["extractor"] == "llm" and rec["usage"]["requests"] == 1 for rec in recs.values())
    assert all(rec["findings"] == [] and rec["notices"] == [] for rec in recs.values())
    assert SECRET not in (tmp_path / "out" / "state.sqlite").read_bytes().decode("utf-8", "replace")
    # a rerun is all state hits; a new report costs exactly one request
    again = review(*args, tmp=tmp_path)
    assert "使用缓存 4 份" in again.stdout and len(fake.requests) == 4
    (reports / "more.txt").write_text(CLEAN.replace("0791-1234567", "0791-7654321"), encoding="utf-8")
    more = review(*args, tmp=tmp_path)
    assert "新审核 1 份，使用缓存 4 份" in more.stdout and len(fake.requests) == 5


def test_a_dead_endpoint_degrades_every_report_and_the_batch_completes(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    variants(reports, 3)
    out = tmp_path / "out"
    args = ("batch", str(reports), "--out", str(out), "--extractor", "llm", "--model", "m", "--base-url", dead_url(),
            "--llm-concurrency", "2", "--no-progress")
    r = review(*args, tmp=tmp_path)
    recs = records(out)
    assert len(recs) == 3 and "新审核 3 份" in r.stdout and r.returncode == 0
    for rec in recs.values():
        assert rec["extractor"] == "rules" and rec["error"] is None
        assert any("大模型提取失败" in n and "改用规则提取器" in n for n in rec["notices"])
    # --strict-llm: each such report is an error row, and the batch ends with exit 2 once the outputs are written
    r = review(*args, "--strict-llm", tmp=tmp_path)
    recs = records(out)
    assert all("大模型提取失败" in rec["error"] and rec["findings"] == [] for rec in recs.values())
    assert r.returncode == 2 and "大模型提取失败（--strict-llm），涉及 3 个文件" in r.stderr
    assert (out / "index.html").exists() and (out / "summary.csv").exists()


# --- --llm-batch and --ingest ---------------------------------------------------------------------
@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    src = tmp_path / "reports"
    src.mkdir()
    shutil.copy(BASES / "clean_department_2023.txt", src / "clean.txt")
    shutil.copy(BASES / "clean_department_2023.txt", src / "clean_copy.txt")
    for i, f in enumerate(SAMPLE_FILES[:4]):
        shutil.copy(f, src / f"s{i}.txt")
    (src / "broken.txt").write_bytes(bytes(range(256)) * 8)
    return src


def test_llm_batch_writes_one_request_per_content(corpus: Path, tmp_path: Path) -> None:
    target = tmp_path / "requests.jsonl"
    r = review("batch", str(corpus), "--out", str(tmp_path / "out"), "--llm-batch", str(target),
               env={"REVIEW_MODEL": "gpt-4o-mini"}, tmp=tmp_path)
    assert r.returncode == 0, r.stderr
    lines = [json.loads(x) for x in target.read_text(encoding="utf-8").splitlines()]
    expected = {sha(corpus / f"s{i}.txt") for i in range(4)} | {sha(corpus / "clean.txt")}
    assert [x["custom_id"] for x in lines] and {x["custom_id"] for x in lines} == expected and len(lines) == 5
    for x in lines:
        assert x["method"] == "POST" and x["url"] == "/v1/chat/completions"
        body = x["body"]
        assert body["model"] == "gpt-4o-mini" and body["tools"][0]["function"]["name"] == "NarrativeFacts"
    clean = next(x["body"] for x in lines if x["custom_id"] == sha(corpus / "clean.txt"))
    user = clean["messages"][1]["content"]
    assert "全年被申请行政复议2件，被提起行政诉讼1件。" in user
    assert not any(row in user for row in TABLE_ROWS)
    assert SECRET not in target.read_text(encoding="utf-8")
    assert "broken.txt" in r.stdout and "--ingest" in r.stdout and "合并 1 份" in r.stdout
    assert not (tmp_path / "out").exists()  # nothing reviewed, nothing written there


def test_llm_batch_needs_a_model(corpus: Path, tmp_path: Path) -> None:
    r = review("batch", str(corpus), "--out", str(tmp_path / "out"), "--llm-batch", str(tmp_path / "x.jsonl"),
               tmp=tmp_path)
    assert r.returncode == 2 and r.stderr.startswith("review: 错误：") and len(r.stderr.strip().splitlines()) == 1


def result_line(custom_id: str, action: dict | None = None, err: dict | None = None) -> str:
    response = None if action is None else {"status_code": action["status"], "request_id": "req", "body": action["body"]}
    return json.dumps({"id": "batch_req", "custom_id": custom_id, "response": response, "error": err},
                      ensure_ascii=False)


def test_ingest_completes_the_review_with_the_answers(corpus: Path, tmp_path: Path) -> None:
    results = tmp_path / "results.jsonl"
    results.write_text("\n".join([
        result_line(sha(corpus / "clean.txt"), tool_answer(CLEAN_FACTS)),
        result_line(sha(corpus / "s0.txt"), err={"code": "batch_expired", "message": "expired"}),
        result_line(sha(corpus / "s1.txt"), text_answer("这不是 JSON")),
        result_line(sha(corpus / "s2.txt"), error(500)),
        result_line("0" * 64, tool_answer(CLEAN_FACTS)),
        "not json at all",
    ]) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    r = review("batch", str(corpus), "--out", str(out), "--ingest", str(results), "--no-progress", tmp=tmp_path)
    assert r.returncode == 0, r.stderr
    recs = records(out)
    for name in ("clean.txt", "clean_copy.txt"):
        assert recs[name]["extractor"] == "llm" and recs[name]["notices"] == [] and recs[name]["findings"] == []
        assert recs[name]["usage"]["model"] == "fake-model"
    why = {"s0.txt": "出错：expired", "s1.txt": "应答无效", "s2.txt": "状态码非200：HTTP 500", "s3.txt": "没有该报告的应答"}
    for name, text in why.items():
        assert recs[name]["extractor"] == "rules" and recs[name]["error"] is None
        assert any(text in n and "改用规则提取器" in n for n in recs[name]["notices"]), recs[name]["notices"]
        assert recs[name]["findings"]  # the real samples' defects are still found by the rules
    assert recs["broken.txt"]["error"]
    assert ("采用 1 份报告的应答；未能采用 3 份（出错 1，状态码非200 1，应答无效 1），custom_id 不对应任何报告 1 行，"
            "无法解析 1 行；没有应答的报告 1 份") in r.stdout
    # the answers used are in the state (and broken.txt's error); the failed ones are reviewed again by the next ingest
    again = review("batch", str(corpus), "--out", str(out), "--ingest", str(results), "--no-progress", tmp=tmp_path)
    assert "新审核 4 份，使用缓存 2 份" in again.stdout and "另有 1 个文件无法审核" in again.stdout
    assert records(out) == recs


def test_ingest_of_a_missing_results_file_is_a_usage_error(corpus: Path, tmp_path: Path) -> None:
    r = review("batch", str(corpus), "--out", str(tmp_path / "out"), "--ingest", str(tmp_path / "none.jsonl"),
               tmp=tmp_path)
    assert r.returncode == 2 and r.stderr.startswith("review: 错误：") and len(r.stderr.strip().splitlines()) == 1
