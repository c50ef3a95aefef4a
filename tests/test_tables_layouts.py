"""One reader for every text layout: the same tables as tab-separated text, Markdown pipe tables
(with the converters' damage) and run-together digits give the same cells; the 2019 layout's single
（六）其他处理 row; tool limits as notices in every output format."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from reviewer.batch import Batch, EngineSpec
from reviewer.document import build_document
from reviewer.engine import Engine
from reviewer.output import renderer
from reviewer.tables import parse_tables
from schemas.tables import TableStatus, Tables
from tests.conftest import BASES

TEXT = (BASES / "clean_department_2023.txt").read_text(encoding="utf-8")
T3_START, T3_END = TEXT.index("（本列数据的勾稽关系"), TEXT.index("四、政府信息公开行政复议")


def cells(tables: Tables) -> dict:
    def vals(rows: dict) -> dict:
        return {k: [c.raw for c in v] for k, v in rows.items()}

    return {"t2": vals(tables.t2.rows), "t3": vals(tables.t3.rows), "t4": vals(tables.t4.blocks)}


def tables_of(text: str) -> Tables:
    return parse_tables(build_document(text, "x.md"))


def pipes(text: str, start: int, end: int) -> str:
    """The tab-separated lines of [start, end) as Markdown pipe rows, a rule line after the first."""
    out, ruled = [], False
    for line in text[start:end].split("\n"):
        if "\t" in line:
            fields = line.split("\t")
            out.append("| " + " | ".join(fields) + " |")
            if not ruled:
                out.append("|" + "---|" * len(fields))
                ruled = True
        else:
            out.append(line)
    return text[:start] + "\n".join(out) + text[end:]


EXPECTED = cells(tables_of(TEXT))


def test_the_base_reads_completely() -> None:
    t = tables_of(TEXT)
    assert all(x.status == TableStatus.PARSED for x in (t.t2, t.t3, t.t4))
    assert len(EXPECTED["t3"]) == 25 and EXPECTED["t3"]["total"] == ["20", "4", "0", "0", "1", "0", "25"]


def test_markdown_pipe_tables_give_the_same_cells() -> None:
    start = TEXT.index("二、主动公开政府信息情况")
    end = TEXT.index("五、存在的主要问题")
    assert cells(tables_of(pipes(TEXT, start, end))) == EXPECTED


def test_converter_damage_gives_the_same_cells() -> None:
    """Placeholder column names, a repeated header row inside the table, a label that drifted
    off its row (the row keeps its place by reading order), rows of table 二 on loose lines."""
    text = pipes(TEXT, TEXT.index("二、主动公开政府信息情况"), TEXT.index("五、存在的主要问题"))
    text = text.replace("|  | 自然人 | 法人或其他组织 |  |  |  |  | 总计 |", "| 类别 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 总计 |")
    text = text.replace("|  |  | 2.重复申请 |", "| 项目 | 本年新收件数 | 上年结转件数 | 予以公开 | 部分公开 | 不予公开 | 结转下年度 | 总计 |\n|  |  | 2.重复申请 |")
    text = text.replace("|  | （二）部分公开（区分处理的，只计这一情形，不计其他情形） |", "（二）部分公开（区分处理的，\n只计这一情形，不计其他情形）\n|  |  |")
    text = text.replace("| 行政许可 | 120 |", "").replace("第二十条第（一）项", "行政许可 120\n\n第二十条第（一）项", 1)
    assert "数据1" in text and "\n|  |  | 3 | 0 |" in text and "行政许可 120\n" in text
    assert cells(tables_of(text)) == EXPECTED


def test_digits_run_together_give_the_same_cells() -> None:
    """Table 三 on one line with each row's digits run together: each row's own total decides."""
    region = re.sub(r"(?<=\d)\t(?=\d)", "", TEXT[T3_START:T3_END]).replace("\n", "").replace("\t", "")
    t3 = tables_of(TEXT[:T3_START] + region + "\n\n" + TEXT[T3_END:]).t3
    assert t3.status == TableStatus.PARSED
    assert {k: [c.raw for c in v] for k, v in t3.rows.items()} == EXPECTED["t3"]
    assert all(c.split for c in t3.rows["total"])


def _one_row_other(text: str) -> str:
    """The 2019 layout: （六）其他处理 as one row (the sum of its three rows)."""
    return re.sub(
        r"\t（六）其他处理\t1\.申请人无正当理由[^\n]*\n[^\n]*\n[^\n]*\n",
        "\t（六）其他处理\t\t1\t0\t0\t0\t0\t0\t1\n",
        text,
    )


def test_single_other_row_is_read_and_checked() -> None:
    """A 2021+ report with the single （六） row: F102 once, every identity still checked."""
    text = _one_row_other(TEXT)
    t3 = tables_of(text).t3
    assert t3.status == TableStatus.PARSED and t3.layout == "2019" and [c.raw for c in t3.merged["other"]] == ["1", "0", "0", "0", "0", "0", "1"]
    codes = [f.code for f in Engine().review_text(text, "x.txt").findings if f.code[0] in "TF"]
    assert codes == ["F102"]
    broken = text.replace("\t（七）总计\t20\t4\t0\t0\t1\t0\t25", "\t（七）总计\t20\t4\t0\t0\t1\t0\t26")
    found = {f.code: f.message for f in Engine().review_text(broken, "x.txt").findings}
    assert "（七）总计”行：自然人20 + 商业企业4 + 科研机构0 + 社会公益组织0 + 法律服务机构1 + 其他0 = 25，但总计为26" in found["T301"]
    assert "（六）其他处理1" in found["T303"] and "总计列" in found["T303"]


def test_table_present_but_not_mapped_is_a_notice_not_t101() -> None:
    """Header words and numbers without a single recognisable row: the reviewer's limit."""
    text = TEXT[:T3_START] + "申请人情况 自然人 商业企业 合计 12 3 4 5 6 7 8 9\n\n" + TEXT[T3_END:]
    result = Engine().review_text(text, "x.txt")
    assert not [f for f in result.findings if f.code == "T101"]
    assert any(n.startswith("第三部分表格未能自动核对") for n in result.notices)


# Table 四's digits run together with two readings that both satisfy every block.
NOTICE_TEXT = TEXT.replace("1\t0\t0\t1\t2\t0\t0\t0\t1\t1\t0\t0\t0\t0\t0", "01012123412010132122218")


def test_notice_in_every_output_format(tmp_path: Path) -> None:
    result = Engine().review_text(NOTICE_TEXT, "x.txt")
    [notice] = result.notices
    assert notice.startswith("第四部分表格未能自动核对：数字连写“01012123412010132122218”有2种读法") and notice.endswith("请人工核对")
    for fmt in ("text", "full", "json", "github", "sarif", "markdown"):
        out = renderer(fmt)([result])
        shown = json.dumps(json.loads(out), ensure_ascii=False) if fmt in ("json", "sarif") else out
        assert "第四部分表格未能自动核对" in shown, fmt
        assert "不要用图片" not in shown, fmt
    src = tmp_path / "in"
    src.mkdir()
    (src / "r.txt").write_text(NOTICE_TEXT, encoding="utf-8")
    Batch(tmp_path / "out", EngineSpec()).run([str(src)])
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "第四部分表格未能自动核对" in page and "不要用图片" not in page
    shutil.rmtree(tmp_path / "out")
