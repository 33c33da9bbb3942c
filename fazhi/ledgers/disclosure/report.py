"""The unit's 政府信息公开工作年度报告 as data: JSON for machines, a Document for HTML and .docx."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from fazhi.core.metrics import evaluate
from fazhi.core.reports.actions import input_for, texts_for
from fazhi.core.reports.document import (
    Block,
    Cell,
    Document,
    Heading,
    Paragraph,
    Table,
    chinese_date,
)
from fazhi.core.tenancy.models import OrgUnit
from fazhi.ledgers.disclosure import annual
from fazhi.ledgers.disclosure.models import Application, Outcome
from fazhi.ledgers.disclosure.proactive import indicators as register_figures
from fazhi.ledgers.disclosure.proactive.models import ProactiveItem

# The row name under which the link function gives the records behind section 六's fee total.
FEES_FIGURE = "fees_collected"
# The on-time definition as the report states it (the indicator's own definition is longer).
ON_TIME_NOTE = (
    "（按期答复的认定：以答复办结的，在答复期限内作出答复；申请人逾期不补正、逾期未缴费而办结的，"
    "本机关在法定期限内发出补正通知、收费通知，并在申请人的期限届满后办结；申请人撤回申请的，"
    "在答复期限内或等待申请人补正、缴费期间撤回。）"
)

KIND = "xxgk"
# Narrative sections the unit writes, with what the format asks for in each.
SECTIONS: list[tuple[str, str, str]] = [
    ("overview_proactive", "（一）主动公开", "本年度主动公开政府信息的主要做法和成效。"),
    ("overview_requests", "（二）依申请公开", ""),  # generated from the ledger
    (
        "overview_management",
        "（三）政府信息管理",
        "政府信息管理、公开前保密审查、规范性文件清理等情况。",
    ),
    (
        "overview_platform",
        "（四）政府信息公开平台建设",
        "政府网站、政务新媒体、公开专栏等平台建设情况。",
    ),
    (
        "overview_oversight",
        "（五）监督保障",
        "工作考核、社会评议和责任追究结果情况（条例第五十条第四项，政府应当报告）。",
    ),
    (
        "problems",
        "五、存在的主要问题及改进情况",
        "上一年度问题的整改情况、本年度存在的主要问题及改进措施。",
    ),
    (
        "other",
        "六、其他需要报告的事项",
        "落实上级年度政务公开工作要点、建议提案办理结果公开等情况。",
    ),
]
TEXT_KEYS = [key for key, _, _ in SECTIONS if key != "overview_requests"] + ["signed_on"]

LinkFn = Callable[[str, str], str]  # (row, col) -> URL of the records behind a cell (二 or 三)

# Where a cell of table 二 comes from (see `_table2`).
FROM_REGISTER = "register"
FROM_INPUT = "input"
NOT_ENTERED = "missing"


@dataclass
class XxgkReport:
    unit: OrgUnit
    year: int
    table2: dict[str, dict[str, Any]]
    table3: dict[str, dict[str, int]]
    table4: dict[str, dict[str, int]]
    fees: Decimal
    texts: dict[str, str]
    sources: dict[str, str] = field(default_factory=dict)
    on_time: int = 0  # replied within the statutory period
    provisional: int = 0  # replied ones whose statutory period rests on an unloaded calendar year
    table2_sources: dict[str, dict[str, str]] = field(default_factory=dict)  # FROM_* per cell
    proactive: register_figures.RegisterFigures | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit.code,
            "unit_name": self.unit.name,
            "year": self.year,
            "table2": self.table2,
            "table3": self.table3,
            "table4": self.table4,
            "fees_yuan": str(self.fees),
            "sources": self.sources,
            "table2_sources": self.table2_sources,
            "proactive_published": self.proactive.published if self.proactive else 0,
            "proactive_on_time": self.proactive.on_time if self.proactive else 0,
            "replied_on_time": self.on_time,
            "provisional_records": self.provisional,
        }

    @property
    def title(self) -> str:
        return f"{self.unit.name}{self.year}年政府信息公开工作年度报告"

    def requests_summary(self) -> str:
        t = self.table3
        total = t["total"]["total"]
        parts = [
            f"{Outcome(r).label}{t[r]['total']}件" for r in annual.OUTCOME_ROWS if t[r]["total"]
        ]
        detail = "，其中" + "、".join(parts) if parts else ""
        return (
            f"{self.year}年，本单位共收到政府信息公开申请{t['new']['total']}件，"
            f"上年结转{t['carried_in']['total']}件。本年度办结{total}件{detail}。"
            f"结转下年度继续办理{t['carried_out']['total']}件。"
            + ("办结的申请均在法定期限内答复。" if total and self.on_time == total else "")
            + (f"在法定期限内答复{self.on_time}件。" if total and self.on_time != total else "")
            + (ON_TIME_NOTE if total else "")
            + ("（按期情况涉及尚未公布节假日安排的年份，暂定。）" if self.provisional else "")
        )

    def proactive_summary(self) -> str:
        """Section 一（一）'s figures from the register; empty when the register holds nothing."""
        p = self.proactive
        if p is None or not (p.published or p.overdue):
            return ""
        text = f"{self.year}年，本单位主动公开政府信息{p.published}条"
        if p.published and p.on_time == p.published:
            text += "，均在信息形成或者变更之日起20个工作日内公开"
        elif p.published:
            text += f"，其中在信息形成或者变更之日起20个工作日内公开{p.on_time}条"
        text += "。"
        if p.overdue:
            text += f"截至{chinese_date(p.as_of)}，另有{p.overdue}条超过公开期限尚未公开。"
        if p.provisional:
            text += "（公开期限涉及尚未公布节假日安排的年份，暂定。）"
        return text

    def table2_source_lines(self) -> list[str]:
        """Per cell of table 二, where its figure comes from (for the unit's eyes only)."""
        groups: dict[str, list[str]] = {FROM_REGISTER: [], FROM_INPUT: [], NOT_ENTERED: []}
        for _, cols, rows in annual.TABLE2_BLOCKS:
            for row, row_label in rows:
                for col, col_label in cols:
                    source = self.table2_sources.get(row, {}).get(col, NOT_ENTERED)
                    groups[source].append(f"{row_label}·{col_label}")
        lines = []
        if groups[FROM_REGISTER]:
            lines.append(
                f"数据来源：本单位主动公开政府信息台账（{register_figures.YEAR_RULE}，"
                f"点击数字可查看条目）——{'、'.join(groups[FROM_REGISTER])}。"
            )
        if groups[FROM_INPUT]:
            note = self.sources.get("table2") or "未注明来源"
            lines.append(f"数据来源：{note}（手工填报）——{'、'.join(groups[FROM_INPUT])}。")
        if groups[NOT_ENTERED]:
            lines.append(f"尚未填报，按0计：{'、'.join(groups[NOT_ENTERED])}。")
        return lines

    def fee_sentence(self) -> str:
        if self.fees > 0:
            return f"依据《政府信息公开信息处理费管理办法》规定，本年度共收取信息处理费{self.fees:.2f}元。"
        return "本年度未收取信息处理费。"

    def signed_on(self) -> dt.date | None:
        raw = self.texts.get("signed_on", "")
        try:
            return dt.date.fromisoformat(raw) if raw else None
        except ValueError:
            return None

    def document(self, link: LinkFn | None = None) -> Document:
        blocks: list[Block] = [
            Paragraph(
                "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国政府信息公开"
                "工作年度报告格式》（国办公开办函〔2021〕30号）编制。本报告中所列数据的统计期限自"
                f"{self.year}年1月1日起至{self.year}年12月31日止。"
            ),
            Heading("一、总体情况", 1),
        ]
        for key, heading, hint in SECTIONS[:5]:
            blocks.append(Heading(heading, 2))
            proactive = self.proactive_summary() if key == "overview_proactive" else ""
            if proactive:
                blocks.append(Paragraph(proactive, key="overview_proactive_register"))
            if key == "overview_requests":
                blocks.append(Paragraph(self.requests_summary(), key=key))
            else:
                blocks.append(_narrative(self.texts, key, hint))
        blocks += [
            Heading("二、主动公开政府信息情况", 1),
            table2_block(self.table2, link, self.table2_sources),
        ]
        blocks += [
            Paragraph(line, key="table2_source", internal=True)
            for line in self.table2_source_lines()
        ]
        blocks += [
            Heading("三、收到和处理政府信息公开申请情况", 1),
            table3_block(self.table3, link),
        ]
        blocks += [Heading("四、政府信息公开行政复议、行政诉讼情况", 1), table4_block(self.table4)]
        if self.sources.get("table4"):
            blocks.append(
                Paragraph(f"数据来源：{self.sources['table4']}", key="table4_source", internal=True)
            )
        for key, heading, hint in SECTIONS[5:]:
            blocks.append(Heading(heading, 1))
            blocks.append(_narrative(self.texts, key, hint))
        fee_link = link(FEES_FIGURE, "total") if link and self.fees > 0 else ""
        blocks.append(Paragraph(self.fee_sentence(), key="fees", link=fee_link))
        return Document(
            title=self.title,
            blocks=blocks,
            issuer=self.unit.name,
            date=self.signed_on(),
            provisional=self.provisional > 0,
            period_end=dt.date(self.year, 12, 31),
            today=timezone.localdate(),
        )


def _narrative(texts: dict[str, str], key: str, hint: str) -> Paragraph:
    text = texts.get(key, "").strip()
    if text:
        return Paragraph(text, key=key, editable=True)
    return Paragraph(f"（尚未填写：{hint}）", key=key, editable=True, placeholder=True)


def build(unit: OrgUnit, year: int) -> XxgkReport:
    """The report of one unit: its own applications (not those of units below it)."""
    qs = Application.objects.filter(unit=unit)
    t2 = input_for(unit, KIND, year, "table2")
    t4 = input_for(unit, KIND, year, "table4")
    proactive = register_figures.register_figures(
        ProactiveItem.objects.filter(unit=unit), year, timezone.localdate()
    )
    table2, table2_sources = _table2(t2.data if t2 else None, proactive)
    table4 = annual.empty_table4()
    if t4:
        for group, cells in t4.data.items():
            if group in table4:
                table4[group].update({k: int(v) for k, v in cells.items() if k in table4[group]})
    for cells in table4.values():
        cells["total"] = sum(v for k, v in cells.items() if k != "total")
    sources = {k: v.source_note for k, v in (("table2", t2), ("table4", t4)) if v is not None}
    # The same figure (definition and records) as the registry's 按时答复率.
    on_time = evaluate("xxgk.on_time_rate", qs, year)
    within, provisional = on_time.numerator or 0, on_time.provisional_count
    return XxgkReport(
        unit=unit,
        year=year,
        table2=table2,
        table3=annual.table3(qs, year),
        table4=table4,
        fees=annual.fees_collected(qs, year),
        texts=texts_for(unit, KIND, year),
        sources=sources,
        on_time=within,
        provisional=provisional,
        table2_sources=table2_sources,
        proactive=proactive,
    )


def _table2(
    typed: dict[str, dict[str, Any]] | None, register: register_figures.RegisterFigures
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, str]]]:
    """Table 二 and, per cell, where its figure comes from. A row the register holds entries
    for in the year comes from the register; a row it holds none for keeps the figures typed
    in by hand (years before the register was kept), else the register's 0. 现行有效件数 is
    always typed (see indicators.REGISTER_CELLS)."""
    table2 = annual.empty_table2()
    sources: dict[str, dict[str, str]] = {}
    typed = typed or {}
    for row, cells in table2.items():
        kept = register.table2.get(row, {})
        use_register = row in register.rows_kept or not any(
            col in typed.get(row, {}) for col in kept
        )
        for col in cells:
            if col in kept and use_register:
                # The register holds 元, the table 万元.
                cells[col] = (
                    float(round(Decimal(kept[col]) / 10000, 4))
                    if col == "amount_wan"
                    else int(kept[col])
                )
                sources.setdefault(row, {})[col] = FROM_REGISTER
            elif col in typed.get(row, {}):
                cells[col] = typed[row][col]
                sources.setdefault(row, {})[col] = FROM_INPUT
            else:
                sources.setdefault(row, {})[col] = NOT_ENTERED
    return table2, sources


def _num(value: Any, link: str = "") -> Cell:
    return Cell(value if value is not None else 0, link=link, align="center")


def table2_block(
    t2: dict[str, dict[str, Any]],
    link: LinkFn | None = None,
    sources: dict[str, dict[str, str]] | None = None,
) -> Table:
    """The format's table 二; a figure from the register links to its entries."""

    def cell(row: str, col: str, span: int) -> Cell:
        from_register = (sources or {}).get(row, {}).get(col) == FROM_REGISTER
        url = link(row, col) if link and from_register else ""
        return Cell(t2[row][col], colspan=span, align="center", link=url)

    rows: list[list[Cell]] = []
    for section, cols, items in annual.TABLE2_BLOCKS:
        rows.append([Cell(section, colspan=4, bold=True, align="center")])
        span = 3 // len(cols)
        rows.append(
            [Cell("信息内容", bold=True, align="center")]
            + [Cell(label, colspan=span, bold=True, align="center") for _, label in cols]
        )
        for code, label in items:
            rows.append([Cell(label, align="center")] + [cell(code, col, span) for col, _ in cols])
    return Table(header=[], rows=rows, key="table2", column_widths=[3, 2, 2, 2])


def table3_block(t3: dict[str, dict[str, int]], link: LinkFn | None = None) -> Table:
    cols = [c for c, _ in annual.COLUMNS]

    def nums(row: str) -> list[Cell]:
        return [_num(t3[row][c], link(row, c) if link else "") for c in cols]

    header = [
        [
            Cell(
                "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
                colspan=3,
                rowspan=3,
            ),
            Cell("申请人情况", colspan=7, align="center", bold=True),
        ],
        [
            Cell("自然人", rowspan=2, align="center", bold=True),
            Cell("法人或其他组织", colspan=5, align="center", bold=True),
            Cell("总计", rowspan=2, align="center", bold=True),
        ],
        [Cell(label, align="center", bold=True) for _, label in annual.COLUMNS[1:6]],
    ]
    rows: list[list[Cell]] = [
        [Cell(annual.ROW_LABELS["new"], colspan=3), *nums("new")],
        [Cell(annual.ROW_LABELS["carried_in"], colspan=3), *nums("carried_in")],
    ]
    outcome_row_count = sum(len(items) for _, items in annual.OUTCOME_GROUPS)
    first = True
    for group, items in annual.OUTCOME_GROUPS:
        for i, (code, label) in enumerate(items):
            row: list[Cell] = []
            if first:
                row.append(Cell("三、本年度办理结果", rowspan=outcome_row_count))
                first = False
            if not label:
                row.append(Cell(group, colspan=2))
            else:
                if i == 0:
                    row.append(Cell(group, rowspan=len(items)))
                row.append(Cell(label))
            rows.append(row + nums(code))
    rows.append([Cell(annual.ROW_LABELS["carried_out"], colspan=3), *nums("carried_out")])
    return Table(
        header=header, rows=rows, key="table3", column_widths=[1.3, 1.6, 4.2, 1, 1, 1, 1, 1, 1, 1]
    )


def table4_block(t4: dict[str, dict[str, int]]) -> Table:
    header = [
        [
            Cell("行政复议", colspan=5, align="center", bold=True),
            Cell("行政诉讼", colspan=10, align="center", bold=True),
        ],
        [Cell(label, rowspan=2, align="center", bold=True) for _, label in annual.TABLE4_COLUMNS]
        + [
            Cell(label, colspan=5, align="center", bold=True)
            for _, label in annual.TABLE4_GROUPS[1:]
        ],
        [
            Cell(label, align="center", bold=True)
            for _ in range(2)
            for _, label in annual.TABLE4_COLUMNS
        ],
    ]
    row = [_num(t4[g][c]) for g, _ in annual.TABLE4_GROUPS for c, _ in annual.TABLE4_COLUMNS]
    return Table(header=header, rows=[row], key="table4")
