"""A report as plain data: the one structure that both the HTML and the .docx renderers read.

Builders (e.g. a ledger's annual report) produce a `Document`; `render_html` and `render_docx`
turn it into pages and files, so both always show the same figures (DESIGN invariant 6).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Cell:
    """One table cell. `value` is text or a number; `link` points at the records behind a figure."""

    value: str | int | float | None
    colspan: int = 1
    rowspan: int = 1
    link: str = ""
    note: str = ""  # e.g. "暂定" for a figure touched by a provisional deadline
    align: str = ""  # "", "left", "center", "right"; renderers default numbers to center
    bold: bool = False

    @property
    def text(self) -> str:
        if self.value is None:
            return ""
        if isinstance(self.value, float):
            return f"{self.value:.2f}".rstrip("0").rstrip(".")
        return str(self.value)


@dataclass(frozen=True)
class Table:
    """A table with one or more header rows. Spans follow HTML semantics: a cell covered by a
    rowspan/colspan from an earlier cell is simply absent from the later row."""

    header: list[list[Cell]]
    rows: list[list[Cell]]
    caption: str = ""
    column_widths: list[float] = field(default_factory=list)  # relative widths, optional
    key: str = ""  # stable identifier, e.g. "table3"


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1: 一、 (黑体)  2: （一） (楷体)  3: 1. (仿宋 bold)  4: （1）


@dataclass(frozen=True)
class Inline:
    """A piece of a paragraph's text: a figure linking to its records, or one flagged because
    the sentence around it was written for another value (`stale`, explained in `note`)."""

    text: str
    link: str = ""
    stale: bool = False
    note: str = ""
    carried: bool = False  # in a sentence identical to last year's report (marked on the page)


@dataclass(frozen=True)
class Paragraph:
    text: str
    key: str = ""  # narrative sections carry the key they are edited under
    editable: bool = False
    placeholder: bool = False  # text is a hint shown because nothing was written yet
    internal: bool = False  # for the unit's own eyes (e.g. where a figure came from): web only
    link: str = ""  # the records behind a figure the paragraph states (web only)
    # The same text in pieces, each figure with its own link (web only; `text` is their join).
    inlines: tuple[Inline, ...] = ()


@dataclass(frozen=True)
class Bar:
    label: str  # e.g. a street's name
    value: float | None  # None: nothing to draw (a rate of no records), shown as "—"
    shown: str  # the figure as the report prints it: "48", "96.5%"
    link: str = ""  # the records behind it (web only)


@dataclass(frozen=True)
class Chart:
    """One figure across units (or years) as horizontal bars: drawn as SVG on the web and as
    a picture in the .docx, from the same layout (`chart.py`), so both show the same bars."""

    title: str
    bars: list[Bar]
    key: str = ""
    note: str = ""  # under the chart, e.g. the figure's definition

    def as_table(self, *, links: bool = True) -> Table:
        """The same figures as a table: under the picture on the page, instead of it in a
        file that cannot draw it."""
        rows = [
            [Cell(bar.label, align="left"), Cell(bar.shown, link=bar.link if links else "")]
            for bar in self.bars
        ]
        return Table([[Cell("单位"), Cell("数值")]], rows, key=self.key)


Block = Heading | Paragraph | Table | Chart


@dataclass(frozen=True)
class Document:
    """A whole report. `issuer` and `date` form the 落款 (signature block) at the end."""

    title: str
    blocks: list[Block]
    issuer: str = ""
    date: dt.date | None = None
    subtitle: str = ""
    provisional: bool = False  # some figure rests on a calendar year not yet loaded
    period_end: dt.date | None = None  # last day the figures cover (an annual report: 12-31)
    today: dt.date | None = None  # the day it is rendered (the builder's clock, for drafts)

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def draft_reasons(self) -> list[str]:
        """Why this is a draft (草稿), not a report to publish; empty when it is finished.
        Only a report over a period (`period_end` set: the annual reports) can be a draft."""
        reasons: list[str] = []
        if self.period_end is None:
            return reasons
        if self.today is not None and self.today <= self.period_end:
            reasons.append(f"统计期截至{chinese_date(self.period_end)}，尚未结束，数据还会变化")
        unfilled = sum(1 for b in self.blocks if isinstance(b, Paragraph) and b.placeholder)
        if unfilled:
            reasons.append(f"文字部分尚有{unfilled}处未填写")
        if self.date is None:
            reasons.append("未填写成文日期（落款）")
        return reasons

    @property
    def draft_note(self) -> str:
        reasons = self.draft_reasons
        return f"草稿：{'；'.join(reasons)}。" if reasons else ""


def chinese_date(d: dt.date) -> str:
    """2026年3月1日 — the 公文 date form (GB/T 9704 uses Arabic numerals since 2012)."""
    return f"{d.year}年{d.month}月{d.day}日"
