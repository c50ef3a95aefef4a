"""reviewer.lazyre: patterns compiled from the cache behave as ``re.compile``'s, and a missing, broken
or foreign cache, or a package directory that cannot be written, only means compiling as usual."""

from __future__ import annotations

import gc
import importlib
import marshal
import os
import pkgutil
import re
import re._compiler
import re._parser
import subprocess
import sys

import pytest

import reviewer
import schemas
from reviewer import lazyre
from tests.conftest import ROOT, sample


@pytest.fixture
def cache(tmp_path, monkeypatch: pytest.MonkeyPatch):
    """A cache file of the test's own, and a lazyre that has read nothing yet."""
    path = tmp_path / "__pycache__" / "lazyre.test.patterns"
    path.parent.mkdir()  # as an installer that compiled the bytecode leaves it
    monkeypatch.setattr(lazyre, "cache_path", lambda: str(path))
    monkeypatch.setattr(lazyre, "_loaded", None)
    monkeypatch.setattr(lazyre, "_new", {})
    monkeypatch.setattr(lazyre, "_used", set())
    monkeypatch.setattr(lazyre, "_compiled", {})
    return path


def fresh() -> None:
    """As a new process would start: nothing read, nothing compiled."""
    lazyre._loaded = None
    lazyre._new.clear()
    lazyre._used.clear()
    lazyre._compiled.clear()


def package_patterns() -> list[tuple[str, int]]:
    """Every lazy pattern of the package (all its modules imported)."""
    for package in (reviewer, schemas):
        for mod in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            try:
                importlib.import_module(mod.name)
            except ImportError:  # an optional dependency (the xlsx extra, ...)
                continue
    found = {(o.pattern, o._flags) for o in gc.get_objects() if type(o) is lazyre.LazyPattern}
    return sorted(found, key=repr)


def corpus() -> list[str]:
    texts = [sample(n).read_text(encoding="utf-8")[:20000] for n in ("001", "002", "003")]
    return [*texts, "", "一、二、三\n（一）1.2 年 2023年 ＡＢＣ abc ABC 第一部分：概况 123.45万元 -7 〔2021〕30号"]


def test_every_package_pattern_from_the_cache_is_re_compiles(cache) -> None:
    patterns = package_patterns()
    assert len(patterns) > 150
    expected = {key: re.compile(*key) for key in patterns}
    for key in patterns:  # first run: compiled in Python, written at the end
        assert lazyre.compile(*key) == expected[key]
    lazyre.save()
    assert cache.is_file()
    fresh()
    texts = corpus()
    for key in patterns:  # second run: every one from the file
        got = lazyre.compile(*key)
        want = expected[key]
        assert got == want and got.groupindex == want.groupindex and got.groups == want.groups, key
        for text in texts:
            assert [m.span() + m.groups() for m in got.finditer(text)] == [
                m.span() + m.groups() for m in want.finditer(text)], key
    assert lazyre._new == {} and set(lazyre._loaded) >= set(patterns)


def test_a_hit_does_not_compile_in_python(cache, monkeypatch: pytest.MonkeyPatch) -> None:
    lazyre.compile(r"(?P<n>\d+)年", re.I)
    lazyre.save()
    fresh()

    def no(*a, **k):
        raise AssertionError("compiled in Python")

    monkeypatch.setattr(re._compiler, "_code", no)
    monkeypatch.setattr(re._parser, "parse", no)
    assert lazyre.compile(r"(?P<n>\d+)年", re.I).search("共2023年").group("n") == "2023"


def test_lazy_pattern_uses_the_cache(cache) -> None:
    p = lazyre.lazy(r"第(?P<n>[一二三])部分")
    assert p.search("第二部分").group("n") == "二"
    assert (r"第(?P<n>[一二三])部分", 0) in lazyre._new


def _write_then_break(cache, damage) -> None:
    lazyre.compile(r"\d+(?=元)")
    lazyre.save()
    data = cache.read_bytes()
    cache.write_bytes(damage(data))
    fresh()


@pytest.mark.parametrize("damage", [
    lambda d: d[: len(d) // 2],  # truncated
    lambda d: b"",
    lambda d: b"\x00garbage" + d,
    lambda d: bytes(b ^ 0x5A for b in d),
    # another release's:
    lambda d: marshal.dumps((("other", "interpreter"), marshal.loads(d)[1])),  # another version's
    # another release's:
    lambda d: marshal.dumps(((*marshal.loads(d)[0][:4], "0.0.0", *marshal.loads(d)[0][5:]), marshal.loads(d)[1])),
    lambda d: marshal.dumps((marshal.loads(d)[0], [1, 2, 3])),
    lambda d: marshal.dumps((marshal.loads(d)[0], {(r"\d+(?=元)", 0): (0, [1, 2, 3], 0, {}, ())})),  # bad code
    lambda d: marshal.dumps((marshal.loads(d)[0], {(r"\d+(?=元)", 0): "x"})),
], ids=["truncated", "empty", "garbage", "scrambled", "foreign-version", "foreign-release", "not-a-dict",
        "invalid-code", "bad-entry"])
def test_a_broken_or_foreign_cache_is_ignored(cache, damage) -> None:
    _write_then_break(cache, damage)
    p = lazyre.compile(r"\d+(?=元)")
    assert p == re.compile(r"\d+(?=元)") and p.findall("共12元，3人") == ["12"]
    lazyre.save()  # and rewritten whole
    fresh()
    assert lazyre.compile(r"\d+(?=元)") == re.compile(r"\d+(?=元)") and lazyre._new == {}


def test_an_unwritable_directory_means_no_cache(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    if os.geteuid() == 0:  # root writes anywhere: a path under a file cannot be written by anyone
        target = tmp_path / "file"
        target.write_text("x")
        path = target / "__pycache__" / "lazyre.test.patterns"
    else:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        path = locked / "__pycache__" / "lazyre.test.patterns"
    monkeypatch.setattr(lazyre, "cache_path", lambda: str(path))
    monkeypatch.setattr(lazyre, "_loaded", None)
    monkeypatch.setattr(lazyre, "_new", {})
    monkeypatch.setattr(lazyre, "_used", set())
    monkeypatch.setattr(lazyre, "_compiled", {})
    assert lazyre.compile(r"[一二三]、").findall("一、二、") == ["一、", "二、"]
    lazyre.save()  # no error
    assert not path.exists()
    assert lazyre.compile(r"[一二三]、").findall("三、") == ["三、"]


def test_no_new_pycache_under_dont_write_bytecode(cache, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    cache.parent.rmdir()
    lazyre.compile(r"x+")
    lazyre.save()
    assert not cache.parent.exists()
    cache.parent.mkdir()  # an installer's __pycache__: used
    lazyre.save()
    assert cache.is_file()


def test_what_re_compile_raises_is_raised(cache) -> None:
    with pytest.raises(re.error):
        lazyre.compile(r"(unclosed")
    with pytest.raises(ValueError):
        lazyre.compile(r"x", re.ASCII | re.LOCALE)
    assert lazyre._new == {}


def test_the_fast_path_writes_the_cache_and_reads_it(tmp_path) -> None:
    """A copy of the package in a directory of its own: the first review writes the file, the second
    reads it, and both say the same."""
    import shutil

    for name in ("reviewer", "schemas"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "PYTHONDONTWRITEBYTECODE": ""}
    for k in ("REVIEW_MODEL", "OPENAI_BASE_URL", "REVIEW_LLM_MODE"):
        env.pop(k, None)
    cmd = [sys.executable, "-m", "reviewer", str(sample("002"))]
    first = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, encoding="utf-8", timeout=120)
    cached = tmp_path / "reviewer" / "__pycache__"
    assert len(list(cached.glob("lazyre.patterns.*"))) == 1 and len(list(cached.glob("profile.national.*"))) == 1
    second = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert (first.returncode, first.stdout, first.stderr) == (second.returncode, second.stdout, second.stderr)
    assert first.returncode == 1 and "共审核 1 个文件" in first.stdout
