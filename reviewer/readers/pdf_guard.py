"""Bounds on what pdfminer and pdfplumber may spend on one PDF (reviewer.limits).

pdfminer inflates a stream whole (``zlib.decompress``), and its fallback for a corrupt stream
feeds the inflater one byte at a time, concatenating the output (quadratic); LZW and RunLength
decode to unbounded output too. pdfplumber keeps an object per character and per ruling of a page,
and its table finder is quadratic in the crossings of the rulings. ``install()`` (once per process,
by the PDF reader) puts bounded versions in place:

- every stream is inflated with ``max_length``, and the streams of one document together may not
  inflate beyond ``limits.inflated``;
- the characters and the rulings of a page are counted as pdfminer lays them out
  (``limits.glyphs``, ``limits.rulings``);
- the table finder stops before building cells when a page has more crossings than
  ``limits.crossings``.

Exceeding a limit raises ``Exceeded`` (a BaseException, so that no ``except Exception`` in the
libraries swallows it); the reader turns it into a LimitError. Counters are per thread (the LLM
batch reads reports on threads) and reset per document and per page.
"""

from __future__ import annotations

import threading
import zlib

from reviewer import limits


class Exceeded(BaseException):
    def __init__(self, name: str, value: int, exact: bool = False) -> None:
        super().__init__(name, value)
        self.name, self.value, self.exact = name, value, exact


_state = threading.local()


def start_document() -> None:
    _state.inflated = 0
    start_page()


def start_page() -> None:
    _state.glyphs = 0
    _state.rulings = 0


def _count(name: str, k: int = 1) -> None:
    n = getattr(_state, name, 0) + k
    setattr(_state, name, n)
    cap = limits.allowed(name)
    if cap is not None and n > cap:
        raise Exceeded(name, n)


# --- stream decoding ------------------------------------------------------------------------------
class _Inflater:
    """A zlib decompressobj whose output counts against the document's inflation budget."""

    def __init__(self, *args: object) -> None:
        self._d = zlib.decompressobj(*args)  # type: ignore[arg-type]

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        cap = limits.allowed("inflated")
        if cap is None:
            return self._d.decompress(data, max_length)
        room = max(1, cap - getattr(_state, "inflated", 0) + 1)
        out = self._d.decompress(data, room if not max_length else min(max_length, room))
        _count("inflated", len(out))
        return out

    def flush(self, *args: int) -> bytes:
        out = self._d.flush(*args)
        _count("inflated", len(out))
        return out

    def copy(self) -> _Inflater:
        other = _Inflater.__new__(_Inflater)
        other._d = self._d.copy()
        return other

    def __getattr__(self, name: str) -> object:  # eof, unused_data, unconsumed_tail
        return getattr(self._d, name)


class _Zlib:
    """Stands in for the zlib module inside pdfminer.pdftypes."""

    error = zlib.error
    MAX_WBITS = zlib.MAX_WBITS

    @staticmethod
    def decompressobj(*args: object) -> _Inflater:
        return _Inflater(*args)

    @staticmethod
    def decompress(data: bytes, *args: object) -> bytes:
        d = _Inflater(*args[:1])  # zlib.decompress(data, wbits, bufsize)
        out = d.decompress(data)
        if not d.eof:  # as zlib.decompress: a truncated stream is an error (pdfminer then salvages it)
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        return out


def decompress_corrupted(data: bytes) -> bytes:
    """pdfminer's salvage of a stream with a bad checksum — what inflates before the error, kept
    when the error is in the last bytes — in linear time: whole chunks, byte by byte only in the
    chunk where the error is."""
    d = _Inflater()
    out: list[bytes] = []
    pos, step = 0, 1 << 14
    while pos < len(data):
        chunk = data[pos : pos + step]
        saved = d.copy()
        try:
            out.append(d.decompress(chunk))
            pos += len(chunk)
            continue
        except zlib.error:
            d = saved
        for i in range(len(chunk)):
            try:
                out.append(d.decompress(chunk[i : i + 1]))
            except zlib.error:
                if pos + i < len(data) - 3:
                    raise
                return b"".join(out)
        pos += len(chunk)
    return b"".join(out)


def lzwdecode(data: bytes) -> bytes:
    from io import BytesIO

    from pdfminer.lzw import LZWDecoder

    out = []
    for piece in LZWDecoder(BytesIO(data)).run():
        _count("inflated", len(piece))
        out.append(piece)
    return b"".join(out)


def rldecode(data: bytes) -> bytes:
    """RunLength (PDF Reference 3.3.4), bounded."""
    out = bytearray()
    i, n = 0, len(data)
    while i < n:
        length = data[i]
        if length == 128:
            break
        if length < 128:
            piece = data[i + 1 : i + 2 + length]
            i += 2 + length
        else:
            piece = data[i + 1 : i + 2] * (257 - length)
            i += 2
        _count("inflated", len(piece))
        out += piece
    return bytes(out)


# --- layout objects and the table finder ----------------------------------------------------------
def _counting_add(original):
    from pdfminer.layout import LTChar, LTCurve

    def add(self, obj):
        if isinstance(obj, LTChar):
            _count("glyphs")
        elif isinstance(obj, LTCurve):  # lines and rectangles are curves
            _count("rulings")
        return original(self, obj)

    return add


def _bounded_cells(original):
    def intersections_to_cells(intersections):
        cap = limits.allowed("crossings")
        if cap is not None and len(intersections) > cap:
            raise Exceeded("crossings", len(intersections), exact=True)
        return original(intersections)

    return intersections_to_cells


_installed = False
_lock = threading.Lock()


def install() -> None:
    global _installed
    with _lock:
        if _installed:
            return
        import pdfminer.layout
        import pdfminer.pdftypes
        import pdfplumber.table

        pdfminer.pdftypes.zlib = _Zlib  # type: ignore[assignment]
        pdfminer.pdftypes.decompress_corrupted = decompress_corrupted
        pdfminer.pdftypes.lzwdecode = lzwdecode
        pdfminer.pdftypes.rldecode = rldecode
        pdfminer.layout.LTContainer.add = _counting_add(pdfminer.layout.LTContainer.add)  # type: ignore[method-assign]
        pdfplumber.table.intersections_to_cells = _bounded_cells(pdfplumber.table.intersections_to_cells)
        _installed = True
