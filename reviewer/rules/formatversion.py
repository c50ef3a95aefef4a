"""F rules: which version of the national format the report follows."""

from __future__ import annotations

from collections.abc import Iterator

from reviewer.lazyre import lazy
from reviewer.rules.base import Context, Rule
from schemas.common import Severity
from schemas.findings import Finding
from schemas.tables import TABLE3_GROUPS

NOTICE_2019 = lazy(r"国办公开办函\s*[〔\[【(]\s*2019\s*[〕\]】)]\s*60\s*号")
# The same notice cited by its title alone, and the trial format it issued.
_NOTICE_2019_TITLE = lazy(r"《(?:国务院办公厅政府信息与政务公开办公室)?关于政府信息公开工作年度报告有关事项的通知》")
_TRIAL_FORMAT = lazy(r"《[^》\n]{0,30}年度报告格式\s*[(（]\s*试行\s*[)）]\s*》")
# A local office issuing a notice of the same title for its own area (not the State Council's office).
_LOCAL_ISSUER = lazy(r"(?:省|市|县|区|州|盟|旗)[^，。；《]{0,12}(?:办公室|办公厅|政务公开办|管委会)\s*$")


class SupersededFormatNotice(Rule):
    """2021年度及以后的报告仍以已被替代的2019年格式通知为依据。

    检查内容:
        2021年度及以后的报告应依据国办公开办函〔2021〕30号《中华人民共和国政府信息公开工作年度报告格式》
        编制。报告仍引用国办公开办函〔2019〕60号的——写文号，或只写其标题《关于政府信息公开工作年度报告有关
        事项的通知》，或以它印发的《……年度报告格式（试行）》为依据——报告此问题（一份报告一次）。地方
        机关同名的通知（“××市政府办公室《关于……的通知》”）不算。没有引用任何格式通知不报告：条例和格式都
        不要求引言注明依据。2020年度及以前的报告引用〔2019〕60号是正确的，不报告。

    依据:
        国办公开办函〔2021〕30号（2021年9月26日印发），自2021年度报告起适用，替代〔2019〕60号。

    不合规示例:
        （2022年度报告）根据……《关于政府信息公开工作年度报告有关事项的通知》（国办公开办函〔2019〕60号）要求，
        编制本报告。

    合规示例:
        根据……《关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）
        要求，编制本报告。
    """

    code = "F101"
    name = "superseded-format-notice"
    title = "引用已被替代的格式通知"
    severity = Severity.WARNING
    groups = ("format",)
    hint = "改为依据国办公开办函〔2021〕30号年度报告格式编制，并在引言中注明。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        doc = ctx.doc
        if doc.year is None or doc.year < 2021:
            return
        text = doc.text
        found = [(m, "国办公开办函〔2019〕60号") for m in NOTICE_2019.finditer(text)]
        found += [(m, f"{doc.raw[m.start():m.end()]}（国办公开办函〔2019〕60号）") for m in _NOTICE_2019_TITLE.finditer(text)
                  if not _LOCAL_ISSUER.search(text, max(0, m.start() - 30), m.start())]  # fmt: skip
        found += [(m, f"{doc.raw[m.start():m.end()]}（国办公开办函〔2019〕60号印发）") for m in _TRIAL_FORMAT.finditer(text)]
        if found:
            m, what = min(found, key=lambda f: f[0].start())  # one report, one finding
            yield self.finding(
                ctx,
                f"{doc.year}年度报告引用了已被替代的{what}，应依据国办公开办函〔2021〕30号格式",
                at=m.start(),
                evidence=doc.quote((m.start(), m.end())),
            )


class LegacyTableLabels(Rule):
    """2021年度及以后的报告仍使用2019年格式的表格。

    检查内容:
        表格使用旧格式（国办公开办函〔2019〕60号）的栏目：如“本年新制作数量”“本年新公开数量”“对外公开总数量”
        “上一年项目数量”“本年增/减”“处理决定数量”，“其他对外管理服务事项”“规范性文件”（而非“行政规范性文件”），
        第二十条第（九）项“政府集中采购”子表，或第三部分“（六）其他处理”只有一行（2021年格式分为1–3项）。
        每张表报告一次。

    依据:
        国办公开办函〔2021〕30号年度报告格式，第二、三部分表格。

    不合规示例:
        第二十条第（一）项 | 信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量
        规范性文件 | 3 | 3 | 20

    合规示例:
        第二十条第（一）项 | 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数
        行政规范性文件 | 3 | 0 | 20
    """

    code = "F102"
    name = "legacy-table-labels"
    title = "使用2019年格式的表格"
    severity = Severity.ERROR
    groups = ("format", "tables")
    hint = "按2021年格式重新制作表格。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        if ctx.year is None or ctx.year < 2021:
            return
        t3 = ctx.tables.t3
        for name, table in (("第二部分", ctx.tables.t2), ("第三部分", t3), ("第四部分", ctx.tables.t4)):
            words = list(dict.fromkeys(d.found for d in table.drift if d.legacy_2019))
            if words:
                at = next(d.loc for d in table.drift if d.legacy_2019)
                shown = "、".join(f"“{w}”" for w in words)
                want = next((d.canonical for d in table.drift if d.legacy_2019 and d.canonical), "")
                tail = f"，2021年格式为“{want}”" if len(words) == 1 and want else ""
                yield self.finding(ctx, f"{name}表格使用2019年格式的栏目{shown}{tail}", at=at, evidence=words[0])
        for group, (label, keys) in TABLE3_GROUPS.items():
            cells = t3.merged.get(group)
            if cells:
                yield self.finding(
                    ctx,
                    f"第三部分表格“{label}”只有一行（2019年格式），2021年格式分为1–{len(keys)}项",
                    at=cells[0].loc,
                    evidence=label,
                )


class NonstandardLayout(Rule):
    """表格含非标准的小计行或小计列。

    检查内容:
        第三部分表格出现“法人或其他组织小计”列或小计行（“28×8”格式）。审核时已按标准格式归一处理，
        但报告应使用标准格式。每张表报告一次。

    依据:
        国办公开办函〔2021〕30号年度报告格式，第三部分表格（7列25行）。

    不合规示例:
        自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 小计 | 总计

    合规示例:
        自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计
    """

    code = "F103"
    name = "nonstandard-table-layout"
    title = "表格含非标准小计"
    severity = Severity.INFO
    groups = ("format", "tables")
    hint = "删除小计行、列，使用标准表格。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        for table in (ctx.tables.t2, ctx.tables.t3, ctx.tables.t4):
            if table.nonstandard:
                yield self.finding(ctx, "；".join(table.nonstandard), at=table.loc)
