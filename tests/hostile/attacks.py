"""Hostile inputs, built on the fly (no large fixtures): each ``Attack`` writes its files into a folder
and returns the arguments of ``python -m reviewer`` that run it.

Used by tests/hostile (which assert the clean answer: exit code, one-line error, nothing leaked) and
by ``python evals/bench.py --hostile`` (which measures time and peak memory of each in a subprocess).
``full=True`` builds the attack at the size that was measured against the unhardened reviewer (a
1 GB zip bomb, a 48 MB line); the tests build smaller equivalents where the size itself is not the
point.
"""

from __future__ import annotations

import io
import os
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
BASE = (ROOT / "evals" / "bases" / "clean_department_2023.txt").read_text(encoding="utf-8")
SECRET = "TOP-SECRET-7f3a9c"  # the content of a file outside the input; must never reach any output

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@dataclass(frozen=True)
class Attack:
    name: str
    what: str
    build: Callable[[Path, bool], list[str]]  # (folder, full) -> arguments of `python -m reviewer`
    codes: tuple[int, ...] = (0, 1, 2)  # acceptable exit codes
    expect: str | None = None  # text the output (stdout + stderr) must contain
    secret: bool = False  # SECRET must not appear in the output nor in any file under the folder
    tags: tuple[str, ...] = field(default=())


# --- texts ------------------------------------------------------------------------------------
def with_t3_digits(n: int) -> str:
    """The clean base with table 三's first row as ``n`` digits run together after its label."""
    lines = BASE.split("\n")
    i = next(k for k, ln in enumerate(lines) if ln.startswith("一、本年新收"))
    digits = ("2710000218" * (n // 10 + 1))[:n]
    lines[i] = "一、本年新收政府信息公开申请数量" + digits
    return "\n".join(lines)


def with_t4_digits(n: int) -> str:
    lines = BASE.split("\n")
    i = next(k for k, ln in enumerate(lines) if ln.startswith("结果维持\t结果纠正"))
    lines[i + 1] = ("10012000110000" * (n // 14 + 1))[:n]
    return "\n".join(lines)


def flat(text: str) -> str:
    """A report as a scraped page: one line, cells run together."""
    return text.replace("\n", "").replace("\t", "")


def text_file(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --- .docx ----------------------------------------------------------------------------------------
_CT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)


def para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def docx_file(folder: Path, name: str, body: str | Callable[[zipfile.ZipFile], None]) -> Path:
    """A minimal .docx whose body is ``body`` (XML inside <w:body>), or written by ``body(zip)``."""
    path = folder / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        if callable(body):
            body(z)
        else:
            z.writestr("word/document.xml", f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>')
    return path


def title_paras() -> str:
    return "".join(para(ln) for ln in BASE.split("\n")[:12] if ln.strip() and "\t" not in ln)


def docx_table(tc_attr: str, tr_attr: str = "") -> str:
    cells = "".join(f"<w:tc>{tc_attr if i == 0 else ''}{para(str(i))}</w:tc>" for i in range(3))
    grid = "<w:tblGrid>" + "<w:gridCol/>" * 3 + "</w:tblGrid>"
    return f"<w:tbl>{grid}<w:tr>{tr_attr}{cells}</w:tr><w:tr>{cells}</w:tr></w:tbl>"


def zip_bomb(size: int) -> Callable[[zipfile.ZipFile], None]:
    """word/document.xml inflating to ``size`` bytes (a paragraph of one endless run of text)."""

    def write(z: zipfile.ZipFile) -> None:
        info = zipfile.ZipInfo("word/document.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=True) as f:
            f.write(f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>'.encode())
            chunk = b"A" * (1 << 20)
            for _ in range(size >> 20):
                f.write(chunk)
            f.write(b"</w:t></w:r></w:p></w:body></w:document>")

    return write


def lying_sizes(path: Path, part: str, size: int) -> None:
    """Make the zip's headers declare ``size`` bytes for ``part`` (a bomb as the reader sees it
    before inflating anything, at no cost to build)."""
    data = bytearray(path.read_bytes())
    name = part.encode()
    for sig, off in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        at = 0
        while (at := data.find(sig, at)) != -1:
            name_at = at + (46 if sig == b"PK\x01\x02" else 30)
            if data[name_at : name_at + len(name)] == name:
                data[at + off : at + off + 4] = size.to_bytes(4, "little")
            at += 4
    path.write_bytes(bytes(data))


# --- .pdf -----------------------------------------------------------------------------------------
def pdf_file(folder: Path, name: str, contents: list[bytes | Callable[[], tuple[bytes, bytes]]]) -> Path:
    """A PDF with one page per content stream (raw bytes, or a callable giving (dictionary extra,
    stream bytes), e.g. a Flate-compressed stream). Helvetica is resource /F1."""
    objs: list[bytes] = []
    n_pages = len(contents)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n_pages))
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objs.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for i, content in enumerate(contents):
        extra, data = content() if callable(content) else (b"", content)
        objs.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>"
            f" /Contents {5 + 2 * i} 0 R >>".encode()
        )
        objs.append(b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for k, body in enumerate(objs, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % k + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref))
    path = folder / name
    path.write_bytes(out.getvalue())
    return path


TEXT_OP = b"BT /F1 12 Tf 72 800 Td (Annual report, page text) Tj ET\n"


def ruled_page(lines: int) -> bytes:
    """A page of ``lines`` ruling lines: half horizontal, half vertical, every pair crossing."""
    half = lines // 2
    ops = [TEXT_OP]
    for k in range(half):
        y = 100 + k * (600 / half)
        ops.append(b"50 %.2f m 545 %.2f l S\n" % (y, y))
        x = 50 + k * (495 / half)
        ops.append(b"%.2f 100 m %.2f 700 l S\n" % (x, x))
    return b"".join(ops)


def flate_bomb(size: int) -> Callable[[], tuple[bytes, bytes]]:
    """A content stream that inflates to ``size`` bytes of spaces after one line of text."""

    def make() -> tuple[bytes, bytes]:
        c = zlib.compressobj(9)
        parts = [c.compress(TEXT_OP)]
        chunk = b" " * (1 << 20)
        for _ in range(size >> 20):
            parts.append(c.compress(chunk))
        parts.append(c.flush())
        return b"/Filter /FlateDecode", b"".join(parts)

    return make


# --- html -------------------------------------------------------------------------------------------
def span_table(rows: int, cols: int, span: int) -> str:
    tds = f'<td rowspan="{span}" colspan="{span}">1</td>' * cols
    return "<table>" + f"<tr>{tds}</tr>" * rows + "</table>"


def html_file(folder: Path, name: str, body: str) -> Path:
    head = "".join(f"<p>{ln}</p>" for ln in BASE.split("\n")[:12] if ln.strip() and "\t" not in ln)
    return text_file(folder, name, f'<html><head><meta charset="utf-8"></head><body>{head}{body}</body></html>')


# --- file system tricks ------------------------------------------------------------------------------
SECRET_HOME: Path | None = None  # where outside_secret puts its files (default: FOLDER/outside)


def outside_secret(folder: Path) -> Path:
    """A file outside the input folder, with a secret in it (stands for /etc/shadow)."""
    home = SECRET_HOME or folder / "outside"
    secret = home / f"shadow-{folder.name}"  # no report suffix: a folder search never picks it itself
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_text(f"root:{SECRET}:19000:0:99999:7:::\n", encoding="utf-8")
    return secret


def reports_dir(folder: Path) -> Path:
    d = folder / "reports"
    d.mkdir(exist_ok=True)
    text_file(d, "good.txt", BASE)
    return d


def build_fifo(folder: Path, full: bool) -> list[str]:
    fifo = folder / "pipe.txt"
    os.mkfifo(fifo)
    return [str(fifo)]


def build_dev_zero(folder: Path, full: bool) -> list[str]:
    link = folder / "zero.txt"
    link.symlink_to("/dev/zero")
    return [str(link)]


def build_outside_link(folder: Path, full: bool) -> list[str]:
    d = reports_dir(folder)
    (d / "shadow.txt").symlink_to(outside_secret(folder))
    return [str(d), "--format", "full"]


def build_batch_hostile(folder: Path, full: bool) -> list[str]:
    """A batch folder holding a FIFO, a link to /dev/zero, a link out of the folder, a report whose
    digits run together for a long time, and a good report."""
    d = reports_dir(folder)
    os.mkfifo(d / "pipe.txt")
    (d / "zero.txt").symlink_to("/dev/zero")
    (d / "shadow.txt").symlink_to(outside_secret(folder))
    text_file(d, "digits.txt", with_t3_digits(60))
    return ["batch", str(d), "--out", str(folder / "audit"), "--no-progress", "--jobs", "2", "--timeout", "5"]


def build_manifest_hostile(folder: Path, full: bool) -> list[str]:
    d = reports_dir(folder)
    os.mkfifo(d / "pipe.txt")
    (d / "zero.txt").symlink_to("/dev/zero")
    secret = outside_secret(folder)
    (d / "shadow.txt").symlink_to(secret)
    rows = ["path,agency", "good.txt,=HYPERLINK(\"http://evil.example/\"\"x\",\"点击\")",
            "pipe.txt,\x1b[31m红色\x07机关", "zero.txt,@SUM(1+1)", "shadow.txt,\t-1+1", f"{secret},+cmd"]
    manifest = d / "list.csv"
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return ["batch", str(manifest), "--out", str(folder / "audit"), "--no-progress", "--jobs", "1", "--xlsx"]


def build_ansi_name(folder: Path, full: bool) -> list[str]:
    path = text_file(folder, "\x1b]0;pwned\x07\x1b[2J\x9b31m报告.txt", "关于召开会议的通知\n各科室：定于明日开会。\n")
    return [str(path)]


def build_profile_regex(folder: Path, full: bool) -> list[str]:
    prof = folder / "evil.toml"
    prof.write_text(
        'name = "evil"\n[[required_items]]\nkey = "x"\nlabel = "x"\nsection = 0\nrule = "R603"\n'
        'patterns = ["(a+)+$", "(x|x)*y"]\n',
        encoding="utf-8",
    )
    report = text_file(folder, "r.txt", BASE + "\n" + "a" * 60 + "!")
    return ["--profile", str(prof), str(report)]


def build_profile_extends(folder: Path, full: bool) -> list[str]:
    prof = folder / "evil.toml"
    prof.write_text('name = "evil"\nextends = "/dev/zero"\n', encoding="utf-8")
    return ["--profile", str(prof), str(text_file(folder, "r.txt", BASE))]


def build_long_number(folder: Path, full: bool) -> list[str]:
    text = BASE.replace("一、本年新收政府信息公开申请数量\t20", "一、本年新收政府信息公开申请数量\t" + "9" * 5000, 1)
    text = text.replace("全年", "全年共" + "8" * 5000 + "件，", 1)
    return [str(text_file(folder, "long-number.txt", text))]


ATTACKS: list[Attack] = [
    Attack("digits-t3-40", "40 digits run together after a table 三 row label",
           lambda d, full: [str(text_file(d, "t3-40.txt", with_t3_digits(40)))], tags=("digits",)),
    Attack("digits-t3-60", "60 digits run together after a table 三 row label",
           lambda d, full: [str(text_file(d, "t3-60.txt", with_t3_digits(60)))], tags=("digits",)),
    Attack("digits-t4-100", "100 digits run together in table 四",
           lambda d, full: [str(text_file(d, "t4-100.txt", with_t4_digits(100)))], tags=("digits",)),
    Attack("html-spans-900", "HTML table of 900 cells with rowspan/colspan 1000 (37 KB)",
           lambda d, full: [str(html_file(d, "spans.html", span_table(30, 30, 1000)))], codes=(2,), expect="表格"),
    Attack("html-spans-10000", "HTML table of 10,000 cells with rowspan/colspan 1000 (411 KB)",
           lambda d, full: [str(html_file(d, "spans.html", span_table(100, 100, 1000)))], codes=(2,), expect="表格"),
    Attack("docx-gridspan", 'a .docx cell with w:gridSpan w:val="200000000"',
           lambda d, full: [str(docx_file(d, "span.docx", title_paras()
                                          + docx_table('<w:tcPr><w:gridSpan w:val="200000000"/></w:tcPr>')))]),
    Attack("docx-gridbefore", 'a .docx row with w:gridBefore w:val="200000000"',
           lambda d, full: [str(docx_file(d, "before.docx", title_paras()
                                          + docx_table("", '<w:trPr><w:gridBefore w:val="200000000"/></w:trPr>')))]),
    Attack("docx-paragraphs", "a .docx of 1,000,000 empty paragraphs (114 KB)",
           lambda d, full: [str(docx_file(d, "paras.docx", title_paras() + "<w:p/>" * 1_000_000))],
           codes=(2,), expect="段落"),
    Attack("docx-zip-bomb", "a .docx whose document.xml inflates to 1 GB (lying headers when not full)",
           lambda d, full: [str(_docx_bomb(d, full))], codes=(2,), expect="解压"),
    Attack("pdf-stream-bomb", "a PDF content stream inflating to 1 GB (200 MB when not full)",
           lambda d, full: [str(pdf_file(d, "bomb.pdf", [flate_bomb((1 << 30) if full else (200 << 20))]))],
           codes=(2,), expect="解压"),
    Attack("pdf-rulings", "a PDF of 8 pages x 180 crossing ruling lines (11 KB)",
           lambda d, full: [str(pdf_file(d, "rulings.pdf", [ruled_page(180)] * 8))], codes=(2,), expect="线条"),
    Attack("text-48mb-line", "a single-line text of 48 MB (a scraped report padded with prose)",
           lambda d, full: [str(_long_line(d, 48 if full else 12))], codes=(2,), expect="字符"),
    Attack("text-48mb-line-unlimited", "the same with the character and size limits lifted",
           lambda d, full: ["--limit", "chars=0", "--limit", "bytes=0", str(_long_line(d, 48 if full else 12))],
           tags=("slow",)),
    Attack("report-line-1mb-unlimited", "a scraped report repeated on one line to 1 MB, limits lifted (was 18 s)",
           lambda d, full: ["--limit", "chars=0", str(_repeated_line(d, 1))], tags=("slow",)),
    Attack("report-line-2mb-unlimited", "the same at 2 MB (was 64 s: quadratic; now about twice the 1 MB time)",
           lambda d, full: ["--limit", "chars=0", str(_repeated_line(d, 2))], tags=("slow",)),
    Attack("fifo", "a path that is a FIFO", build_fifo, codes=(2,), expect="不是普通文件"),
    Attack("symlink-dev-zero", "a symlink to /dev/zero", build_dev_zero, codes=(2,), expect="不予读取"),
    Attack("dev-zero", "/dev/zero named directly", lambda d, full: ["/dev/zero"], codes=(2,), expect="不是普通文件"),
    Attack("symlink-outside", "a folder entry linking to a file outside the folder (/etc/shadow)",
           build_outside_link, codes=(2,), expect="符号链接", secret=True),
    # the FIFO, /dev/zero and the link outside cannot be reviewed; the 60 digits are (a notice, fast)
    Attack("batch-hostile", "a batch folder holding a FIFO, /dev/zero, a link outside and 60 digits",
           build_batch_hostile, codes=(0,), expect="另有 3 个文件无法审核", secret=True),
    Attack("manifest-hostile", "a manifest naming the same, with formula and control characters as agencies",
           build_manifest_hostile, codes=(0,), secret=True),
    Attack("ansi-file-name", "a file name with ANSI/OSC escapes, C1 CSI and BEL", build_ansi_name, codes=(1,)),
    Attack("profile-regex", "a profile with catastrophic regexes", build_profile_regex, codes=(2,), expect="正则"),
    Attack("profile-extends-dev-zero", 'a profile with extends = "/dev/zero"', build_profile_extends,
           codes=(2,), expect="extends"),
    Attack("long-number", "a 5,000-digit number in a table cell and in the prose", build_long_number),
]


def _docx_bomb(folder: Path, full: bool) -> Path:
    if full:
        return docx_file(folder, "bomb.docx", zip_bomb(1 << 30))
    path = docx_file(folder, "bomb.docx", title_paras())
    lying_sizes(path, "word/document.xml", (1 << 32) - 1)
    return path


def _long_line(folder: Path, megabytes: int) -> Path:
    report = flat(BASE)
    pad = "本机关持续推进政务公开标准化规范化建设，" * 1000
    body = [report]
    size = len(report.encode())
    while size < megabytes << 20:
        body.append(pad)
        size += len(pad.encode())
    return text_file(folder, "long-line.txt", "".join(body))


def _repeated_line(folder: Path, megabytes: int) -> Path:
    unit = flat(BASE)
    return text_file(folder, "repeated.txt", unit * ((megabytes << 20) // len(unit.encode())))


def by_name(name: str) -> Attack:
    return next(a for a in ATTACKS if a.name == name)
