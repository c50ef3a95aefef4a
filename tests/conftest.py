"""Shared fixtures. Tests never touch the network: any connection to a non-loopback address fails."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run against this checkout, whatever else is installed
    sys.path.insert(0, str(ROOT))

SAMPLES = ROOT / "evals" / "samples"
BASES = ROOT / "evals" / "bases"
DATA = Path(__file__).resolve().parent / "data"

_real_connect = socket.socket.connect
_real_create_connection = socket.create_connection


def _is_local(address: object) -> bool:
    if isinstance(address, tuple) and address:
        host = str(address[0])
        return host in ("localhost", "::1") or host.startswith("127.")
    return isinstance(address, (str, bytes))  # AF_UNIX paths


def _guarded_connect(self: socket.socket, address: object) -> None:
    if not _is_local(address):
        raise RuntimeError(f"tests must not use the network (tried to connect to {address!r})")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "REVIEW_MODEL"):
        monkeypatch.delenv(var, raising=False)


def sample(prefix: str) -> Path:
    return next(SAMPLES.glob(f"{prefix}_*.txt"))


def base_text(name: str) -> str:
    return (BASES / f"{name}.txt").read_text(encoding="utf-8")
