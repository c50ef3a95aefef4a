"""Which files are read: regular files only, and a symlink only when its target stays inside the
root it was found under (the folder, the manifest's folder, the glob's fixed part, the working
directory or the file's own folder)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from reviewer.batch.sources import expand
from reviewer.cli import main
from reviewer.errors import InputError
from reviewer.ingest import escapes, read_bytes
from tests.hostile import attacks


def test_only_regular_files_are_read(tmp_path: Path) -> None:
    fifo = tmp_path / "p.txt"
    os.mkfifo(fifo)
    sock_path = tmp_path / "s.txt"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))
    try:
        for path, kind in ((fifo, "命名管道"), (sock_path, "套接字"), (Path("/dev/zero"), "字符设备"), (tmp_path, "目录")):
            with pytest.raises(InputError, match=kind):
                read_bytes(path)
    finally:
        sock.close()
    assert read_bytes(attacks.text_file(tmp_path, "ok.txt", "内容")) == "内容".encode()


def test_a_symlink_is_followed_only_inside_its_root(tmp_path: Path) -> None:
    root = tmp_path / "reports"
    (root / "sub").mkdir(parents=True)
    inside = attacks.text_file(root / "sub", "a.txt", attacks.BASE)
    secret = attacks.outside_secret(tmp_path)
    (root / "in.txt").symlink_to(inside)
    (root / "out.txt").symlink_to(secret)
    (root / "outdir").symlink_to(secret.parent, target_is_directory=True)
    assert escapes(str(root / "in.txt"), str(root)) is None
    assert escapes(str(root / "out.txt"), str(root))
    assert escapes(str(root / "outdir" / secret.name), str(root))
    assert escapes(str(inside), str(root)) is None


def _linked(tmp_path: Path, name: str) -> tuple[Path, Path]:
    """A folder with a good report and link.txt pointing at a secret outside it: (folder, secret)."""
    root = tmp_path / name
    root.mkdir()
    attacks.text_file(root, "good.txt", attacks.BASE)
    secret = attacks.outside_secret(tmp_path)
    (root / "link.txt").symlink_to(secret)
    return root, secret


def test_review_of_a_folder_reads_nothing_outside_it(tmp_path: Path) -> None:
    root, secret = _linked(tmp_path, "reports")
    (root / "dir").symlink_to(secret.parent, target_is_directory=True)
    out = CliRunner().invoke(main, [str(root), "--format", "full"])
    assert out.exit_code == 2 and attacks.SECRET not in out.output
    assert "link.txt: 错误：" in out.output and "符号链接" in out.output


def test_manifest_entries_stay_in_the_manifest_folder(tmp_path: Path) -> None:
    root, _ = _linked(tmp_path, "batch")
    elsewhere = attacks.text_file(tmp_path / "outside", "named.txt", attacks.BASE)
    manifest = root / "list.csv"
    manifest.write_text(f"path\ngood.txt\nlink.txt\n{elsewhere}\n../outside/named.txt\n", encoding="utf-8")
    found = {Path(s.path).name: s for s in expand([str(manifest)])}
    assert escapes(found["good.txt"].path, found["good.txt"].root) is None
    assert escapes(found["link.txt"].path, found["link.txt"].root)
    assert escapes(found["named.txt"].path, found["named.txt"].root) is None  # named outright, not a link


def test_a_glob_is_confined_to_its_fixed_part(tmp_path: Path) -> None:
    root = tmp_path / "reports"
    root.mkdir()
    attacks.text_file(root, "a.txt", attacks.BASE)
    (root / "b.txt").symlink_to(attacks.outside_secret(tmp_path))
    found = {Path(s.path).name: s for s in expand([str(root / "*.txt")])}
    assert found["a.txt"].root == str(root) and escapes(found["b.txt"].path, found["b.txt"].root)


def test_a_file_named_alone_is_confined_to_the_working_directory(tmp_path: Path, monkeypatch) -> None:
    work = tmp_path / "repo"
    (work / "reports").mkdir(parents=True)
    (work / "reports" / "x.txt").symlink_to("/proc/self/environ")
    attacks.text_file(work, "README.txt", attacks.BASE)
    (work / "reports" / "y.txt").symlink_to(work / "README.txt")
    monkeypatch.chdir(work)
    assert escapes("reports/x.txt") and escapes("reports/y.txt") is None
    out = CliRunner().invoke(main, ["reports/x.txt", "--format", "json"])
    assert out.exit_code == 2 and "符号链接" in out.output
