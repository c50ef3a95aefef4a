"""reviewer.pycache and the built-in profiles parsed from it: a stored value is returned only under
the header it was stored with, a broken file is no cache, and a profile read from the cache is the
profile parsed from its TOML."""

from __future__ import annotations

import os
import tomllib

import pytest

from reviewer import profile, pycache


def test_read_only_under_the_same_header(tmp_path) -> None:
    f = str(tmp_path / "x.marshal")
    assert pycache.write(f, pycache.header("a", 1), {"k": [1, "二"]})
    assert pycache.read(f, pycache.header("a", 1)) == {"k": [1, "二"]}
    assert pycache.read(f, pycache.header("a", 2)) is None
    for damage in (b"", b"\xff\x00", open(f, "rb").read()[:-3]):
        with open(f, "wb") as out:
            out.write(damage)
        assert pycache.read(f, pycache.header("a", 1)) is None
    assert pycache.read(str(tmp_path / "missing"), pycache.header("a", 1)) is None


def test_write_never_raises(tmp_path) -> None:
    (tmp_path / "file").write_text("x")
    assert not pycache.write(str(tmp_path / "file" / "__pycache__" / "x"), ("h",), 1)  # under a file
    assert not pycache.write(str(tmp_path / "y"), ("h",), object())  # not marshallable
    assert os.listdir(tmp_path) == ["file"]


@pytest.fixture
def here(tmp_path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "__pycache__").mkdir()
    monkeypatch.setattr(pycache, "path", lambda name: str(tmp_path / "__pycache__" / f"{name}.marshal"))
    return tmp_path / "__pycache__"


@pytest.mark.parametrize("name", ["national", "shandong", "strict"])
def test_builtin_profiles_from_the_cache_are_the_toml(here, name: str) -> None:
    parsed = tomllib.loads((profile._builtins() / f"{name}.toml").read_text(encoding="utf-8"))
    first = profile.load_profile(name)
    assert (here / f"profile.{name}.marshal").is_file()
    assert profile._builtin(profile._builtins() / f"{name}.toml") == parsed
    assert profile.load_profile(name) == first


def test_a_changed_or_broken_cache_is_parsed_again(here) -> None:
    res = profile._builtins() / "national.toml"
    parsed = tomllib.loads(res.read_text(encoding="utf-8"))
    profile._builtin(res)
    cached = here / "profile.national.marshal"
    pycache.write(str(cached), pycache.header("profile", str(res), 0, 0), {"stale": True})  # another mtime
    assert profile._builtin(res) == parsed
    cached.write_bytes(b"garbage")
    assert profile._builtin(res) == parsed
