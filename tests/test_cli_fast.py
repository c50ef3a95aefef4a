"""``review FILE...`` without options skips click (reviewer.entry -> reviewer.check.run): it must
say and exit exactly what ``review check FILE...`` (the click command) says and exits."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys

import pytest

from reviewer import check, entry
from reviewer.cli import main as cli_main
from tests.conftest import ROOT, base_text, sample


def review(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in entry.CLICK_ENV}
    return subprocess.run([sys.executable, "-m", "reviewer", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=120, check=False)


def test_run_defaults_are_the_click_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in entry.CLICK_ENV:
        monkeypatch.delenv(name, raising=False)
    from reviewer.llm.options import _OPTIONS

    llm_names = {opt(lambda: None).__click_params__[0].name for opt in _OPTIONS}
    params = cli_main.commands["check"].make_context("check", ["a.txt"]).params  # what click passes for `review a.txt`
    signature = inspect.signature(check.run).parameters
    assert set(params) == (set(signature) - {"llm"}) | llm_names
    for name, param in signature.items():
        if name not in ("paths", "llm"):
            assert param.default == params[name], name
    # and the LLM options, as click gives them, ask for no model: the rules extractor (llm=None)
    from reviewer.llm.options import build_extractor

    assert build_extractor({k: params[k] for k in llm_names}, "national") is None


@pytest.mark.parametrize(("args", "plain"), [
    (["a.txt"], True),
    (["a.txt", "reports/"], True),
    (["a.txt", "rules"], True),  # a later argument is a path
    ([], False),
    (["rules"], False),
    (["check", "a.txt"], False),
    (["a.txt", "--format", "json"], False),
    (["-"], False),
    (["a.txt", "-h"], False),
    (["--version"], False),
    ([""], False),
])
def test_only_bare_paths_take_the_fast_path(args: list[str], plain: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in entry.CLICK_ENV:
        monkeypatch.delenv(name, raising=False)
    assert entry.plain(args) is plain


@pytest.mark.parametrize("name", entry.CLICK_ENV)
def test_a_configured_model_goes_through_click(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(name, "x")
    assert not entry.plain(["a.txt"])


def test_the_fast_path_says_what_check_says(tmp_path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "README.md").write_text("# 说明\n这里是报告。\n", encoding="utf-8")
    (folder / "clean.txt").write_text(base_text("clean_department_2023"), encoding="utf-8")
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    cases = [
        [str(sample("002"))],  # findings: exit 1
        [str(folder / "clean.txt")],  # clean: exit 0
        [str(sample("003")), str(tmp_path / "missing.txt"), str(tmp_path / "empty.txt")],  # errors: exit 2
        [str(folder)],  # a folder: a skipped README and an unsupported .doc
        [str(tmp_path / "nothing")],
    ]
    for args in cases:
        fast, slow = review(*args), review("check", *args)
        assert (fast.returncode, fast.stdout, fast.stderr) == (slow.returncode, slow.stdout, slow.stderr), args
        assert fast.stdout or fast.stderr
    assert {review(*c).returncode for c in cases} == {0, 1, 2}
