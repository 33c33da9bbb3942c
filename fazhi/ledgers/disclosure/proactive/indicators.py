"""The register's figures, registered with core.metrics: the year's publications, how many in
time, and the cells of table 二 that the register holds. Each is a predicate over entries, so
the same definition counts the figure and lists its entries (DESIGN invariant 6)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum

from fazhi.core.metrics import Indicator, register
from fazhi.ledgers.disclosure.proactive.models import (
    DECISION_KINDS,
    DOCUMENT_KINDS,
    DocAction,
    ProactiveItem,
    Table2Kind,
)


def _bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def made_in(year: int) -> Q:
    first, last = _bounds(year)
    return Q(made_on__gte=first, made_on__lte=last)


def published_in(year: int) -> Q:
    first, last = _bounds(year)
    return Q(published_on__gte=first, published_on__lte=last)


def on_time_q(year: int) -> Q:
    """Published by the Art. 26 due date (the clock's cached date, kept after publication)."""
    return Q(publish_due_on__isnull=False, published_on__lte=F("publish_due_on"))


def overdue_q(as_of: dt.date) -> Q:
    """Past its due date on `as_of` and not published by then (the kit's 逾期: due < today)."""
    return Q(publish_due_on__lt=as_of) & (Q(published_on__isnull=True) | Q(published_on__gt=as_of))


def overdue_at_year_end_q(year: int) -> Q:
    return overdue_q(_bounds(year)[1])


# --- table 二 ------------------------------------------------------------------------------

# The cells the register holds; 现行有效件数 needs every document ever issued and repealed, which
# a register begun in some year cannot know, so it stays typed in (report input "table2").
REGISTER_CELLS: dict[str, tuple[str, ...]] = {
    Table2Kind.REGULATIONS: (DocAction.ISSUED, DocAction.REPEALED),
    Table2Kind.NORMATIVE_DOCUMENTS: (DocAction.ISSUED, DocAction.REPEALED),
    Table2Kind.LICENSING: ("decisions",),
    Table2Kind.PENALTY: ("decisions",),
    Table2Kind.COERCION: ("decisions",),
    Table2Kind.FEES: ("amount_wan",),
}
YEAR_RULE = "按信息形成（变更）日期计入年度"


def table2_code(row: str, col: str) -> str:
    return f"xxgk.table2.{row}.{col}"


def cell_q(row: str, col: str, year: int) -> Q:
    """The entries behind one cell of table 二."""
    if col not in REGISTER_CELLS.get(row, ()):
        raise ValueError(f"table 二 cell {row}.{col} is not kept in the register")
    q = Q(table2_kind=row) & made_in(year)
    if row in DOCUMENT_KINDS:
        return q & Q(doc_action=col)
    if row in DECISION_KINDS:
        return q & Q(quantity__gt=0)
    return q & Q(amount__gt=0)


def cell_value(row: str, col: str, year: int) -> Any:
    """What the cell adds up over its entries: entries, decisions, or 元."""
    q = cell_q(row, col, year)
    if row in DECISION_KINDS:
        return Sum("quantity", filter=q)
    if row == Table2Kind.FEES:
        return Sum("amount", filter=q)
    return Count("pk", filter=q)


def _definition(row: str, col: str) -> str:
    label = Table2Kind(row).label
    if row in DOCUMENT_KINDS:
        what = f"本年{DocAction(col).label}的{label}件数"
    elif row in DECISION_KINDS:
        what = f"{label}条目所载处理决定数量之和"
    else:
        what = "行政事业性收费条目所载收费金额之和（元；表中折算为万元）"
    return f"主动公开台账中{what}，{YEAR_RULE}"


def _cell(row: str, col: str) -> Indicator:
    value = None if row in DOCUMENT_KINDS else (lambda year: cell_value(row, col, year))
    col_label = {
        DocAction.ISSUED: "本年制发件数",
        DocAction.REPEALED: "本年废止件数",
        "decisions": "本年处理决定数量",
        "amount_wan": "本年收费金额（元）",
    }[col]
    return Indicator(
        table2_code(row, col),
        f"表二 {Table2Kind(row).label} · {col_label}",
        _definition(row, col),
        ProactiveItem,
        lambda year: cell_q(row, col, year),
        value=value,
    )


register(
    Indicator(
        "xxgk.proactive.published",
        "本年主动公开政府信息",
        "公开日期在本年度内的主动公开条目",
        ProactiveItem,
        published_in,
    ),
    Indicator(
        "xxgk.proactive.on_time_rate",
        "主动公开及时率",
        "在信息形成或变更之日起20个工作日内公开的条目 ÷ 本年公开的条目（条例第二十六条）",
        ProactiveItem,
        published_in,
        numerator=on_time_q,
        provisional=lambda year: Q(due_provisional=True),
    ),
    Indicator(
        "xxgk.proactive.overdue_at_year_end",
        "年底逾期未公开",
        "至12月31日已超过公开期限、尚未公开的条目",
        ProactiveItem,
        overdue_at_year_end_q,
    ),
    *(_cell(row, col) for row, cols in REGISTER_CELLS.items() for col in cols),
)


@dataclass(frozen=True)
class RegisterFigures:
    """What the annual report takes from the register for one unit and year."""

    table2: dict[str, dict[str, int | Decimal]]  # row -> col -> entries, decisions or 元
    rows_kept: frozenset[str]  # table-二 rows with at least one entry made in the year
    published: int
    on_time: int
    overdue: int  # as of `as_of`
    as_of: dt.date  # 12月31日, or today while the year runs
    provisional: int


def register_figures(qs: QuerySet[ProactiveItem], year: int, today: dt.date) -> RegisterFigures:
    """All of it in one aggregate, from the same predicates as the indicators."""
    as_of = min(today, _bounds(year)[1])
    aggregates: dict[str, Any] = {
        f"{row}__{col}": cell_value(row, col, year)
        for row, cols in REGISTER_CELLS.items()
        for col in cols
    }
    aggregates |= {
        f"kept__{row}": Count("pk", filter=Q(table2_kind=row) & made_in(year))
        for row in REGISTER_CELLS
    }
    aggregates |= {
        "published": Count("pk", filter=published_in(year)),
        "on_time": Count("pk", filter=published_in(year) & on_time_q(year)),
        "overdue": Count("pk", filter=overdue_q(as_of)),
        "provisional": Count("pk", filter=published_in(year) & Q(due_provisional=True)),
    }
    got = qs.order_by().aggregate(**aggregates)
    table2: dict[str, dict[str, int | Decimal]] = {
        row: {col: got[f"{row}__{col}"] or 0 for col in cols}
        for row, cols in REGISTER_CELLS.items()
    }
    return RegisterFigures(
        table2=table2,
        rows_kept=frozenset(row for row in REGISTER_CELLS if got[f"kept__{row}"]),
        published=got["published"],
        on_time=got["on_time"],
        overdue=got["overdue"],
        as_of=as_of,
        provisional=got["provisional"],
    )
