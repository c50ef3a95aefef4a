"""Build .docx and .html fixtures from a plain-text report (evals/bases, evals/samples).

Paragraphs stay paragraphs; each statutory table (a run of non-blank lines holding tab-separated
rows) becomes a real table with merged cells laid out as in the official Word template: the header
cells of 三 and 四 span rows and columns, the row groups of 三 (三、本年度办理结果, （三）不予公开 …)
are vertically merged, labels without a sub-label span the label columns, and the single values of
table 二's sub-tables span the three value columns.
"""

from __future__ import annotations

import html
from pathlib import Path

Span = tuple[int, int, int, int, str]  # row, col, rowspan, colspan, text


def split_blocks(text: str) -> list[tuple[str, list[str]]]:
    """("p", [line]) for each line outside tables, ("t2"|"t3"|"t4", rows) for each table."""
    lines = text.split("\n")
    out: list[tuple[str, list[str]]] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and lines[j].strip():
            j += 1
        run = lines[i:j]
        if any("\t" in ln for ln in run):
            body = "\n".join(run)
            kind = "t2" if "信息内容" in body else "t4" if "结果维持" in body else "t3"
            out.append((kind, run))
            i = j
        else:
            out.append(("p", [lines[i]]))
            i += 1
    return out


def spans_t2(rows: list[str]) -> tuple[list[Span], int]:
    spans = []
    for r, line in enumerate(rows):
        fields = line.split("\t")
        for c, f in enumerate(fields[:-1]):
            spans.append((r, c, 1, 1, f))
        last = len(fields) - 1
        spans.append((r, last, 1, 4 - last, fields[-1]))
    return spans, 4


def spans_t3(rows: list[str]) -> tuple[list[Span], int]:
    note = rows[0].split("\t")[0]
    spans: list[list] = [
        [0, 0, 3, 3, note], [0, 3, 1, 7, "申请人情况"],
        [1, 3, 2, 1, "自然人"], [1, 4, 1, 5, "法人或其他组织"], [1, 9, 2, 1, "总计"],
    ]
    spans += [[2, 4 + i, 1, 1, name] for i, name in enumerate(("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"))]
    first = next(i for i, ln in enumerate(rows) if ln.startswith("一"))
    above: dict[int, list] = {}
    for k, line in enumerate(rows[first:]):
        r = 3 + k
        fields = line.split("\t")
        values, labels = fields[-7:], fields[:-7]
        labels_stripped = _drop_leading_empty(labels)
        lead = len(labels) - len(labels_stripped)
        current: dict[int, list] = {}
        for c in range(lead):
            rec = above[c]
            if rec[0] + rec[2] == r:  # extend a cell once, whatever its width
                rec[2] += 1
            current[c] = rec
        for i, label in enumerate(labels_stripped):
            c = lead + i
            width = 3 - c if i == len(labels_stripped) - 1 else 1
            rec = [r, c, 1, width, label]
            spans.append(rec)
            for cc in range(c, c + width):
                current[cc] = rec
        spans += [[r, 3 + i, 1, 1, v] for i, v in enumerate(values)]
        above = current
    return [tuple(s) for s in spans], 10


def _drop_leading_empty(fields: list[str]) -> list[str]:
    i = 0
    while i < len(fields) and not fields[i]:
        i += 1
    return fields[i:]


def spans_t4(rows: list[str]) -> tuple[list[Span], int]:
    names = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    spans: list[Span] = [(0, 0, 1, 5, "行政复议"), (0, 5, 1, 10, "行政诉讼")]
    spans += [(1, i, 2, 1, n) for i, n in enumerate(names)]
    spans += [(1, 5, 1, 5, "未经复议直接起诉"), (1, 10, 1, 5, "复议后起诉")]
    spans += [(2, 5 + i, 1, 1, n) for i, n in enumerate(names * 2)]
    spans += [(3, i, 1, 1, v) for i, v in enumerate(rows[-1].split("\t"))]
    return spans, 15


SPANS = {"t2": spans_t2, "t3": spans_t3, "t4": spans_t4}


def to_docx(text: str, path: Path) -> Path:
    import docx

    document = docx.Document()
    for kind, rows in split_blocks(text):
        if kind == "p":
            document.add_paragraph(rows[0])
            continue
        spans, width = SPANS[kind](rows)
        nrows = max(r + rs for r, _, rs, _, _ in spans)
        table = document.add_table(rows=nrows, cols=width)
        grid = table._cells  # one snapshot (table.cell() rebuilds it on every call); merges never overlap
        for r, c, rs, cs, t in spans:
            cell = grid[r * width + c]
            cell.text = t
            if rs > 1 or cs > 1:
                cell.merge(grid[(r + rs - 1) * width + c + cs - 1])
    document.save(str(path))
    return path


CHROME_TOP = (
    '<div class="header"><div class="logo">临川市人民政府</div>'
    '<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li>'
    '<li><a href="/hdjl">互动交流</a></li><li><a href="/bsfw">办事服务</a></li></ul></div>'
    '<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 年度报告</div>'
)
CHROME_BOTTOM = (
    '<div class="share">分享到：<a href="#">微信</a><a href="#">微博</a><a href="#">QQ空间</a></div>'
    '<div id="footer">主办单位：临川市人民政府办公室 版权所有 备案号：赣ICP备00000000号</div>'
)


def to_html(text: str, path: Path, *, encoding: str = "utf-8", meta: bool = True, chrome: bool = True) -> Path:
    parts = []
    for kind, rows in split_blocks(text):
        if kind == "p":
            if rows[0].strip():
                tag = "h1" if not parts else "p"
                parts.append(f"<{tag}>{html.escape(rows[0])}</{tag}>")
            continue
        spans, _ = SPANS[kind](rows)
        trs: dict[int, list[str]] = {}
        for r, c, rs, cs, t in sorted(spans):
            attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
            trs.setdefault(r, []).append(f"<td{attrs}>{html.escape(t)}</td>")
        rows_html = "".join(f"<tr>{''.join(tds)}</tr>" for _, tds in sorted(trs.items()))
        parts.append(f'<table border="1"><tbody>{rows_html}</tbody></table>')
    head = f'<meta charset="{encoding}">' if meta else ""
    page = (
        f"<!DOCTYPE html><html><head>{head}<title>年度报告</title></head><body>"
        + (CHROME_TOP if chrome else "")
        + '<div class="article">' + "\n".join(parts) + "</div>"
        + (CHROME_BOTTOM if chrome else "")
        + "</body></html>"
    )
    path.write_bytes(page.encode(encoding))
    return path
