"""This ledger's figures, registered with core.metrics: the headline indicators and every cell
of table 三, each a predicate over applications (annual.py holds the year-attribution rules)."""

from __future__ import annotations

from django.db.models import F, Q

from fazhi.core.metrics import Indicator, register
from fazhi.ledgers.disclosure import annual
from fazhi.ledgers.disclosure.models import Application

ROW_DEFINITIONS = {
    "new": "收到日期在本年度内的申请（补正后重新起算的仍按首次收到计）",
    "carried_in": "上年度及以前收到、本年1月1日尚未答复的申请",
    "carried_out": "本年12月31日前收到、年底尚未答复的申请",
    "total": "答复日期在本年度内的申请",
}


def on_time_q(year: int) -> Q:
    """Answered within the statutory period (the reply clock's due date, extensions counted)."""
    return Q(reply_due_on__isnull=False, replied_on__lte=F("reply_due_on"))


register(
    Indicator(
        "xxgk.new_requests",
        "本年新收政府信息公开申请",
        ROW_DEFINITIONS["new"],
        Application,
        lambda year: annual.row_q("new", year),
    ),
    Indicator(
        "xxgk.replied",
        "本年办结政府信息公开申请",
        "答复日期在本年度内的申请件数（年报表三“（七）总计”）",
        Application,
        lambda year: annual.row_q("total", year),
    ),
    Indicator(
        "xxgk.on_time_rate",
        "依申请公开按时答复率",
        "在法定期限内答复的件数 ÷ 本年办结件数",
        Application,
        lambda year: annual.row_q("total", year),
        numerator=on_time_q,
        provisional=lambda year: Q(due_provisional=True),
    ),
)


def table3_code(row: str, col: str) -> str:
    return f"xxgk.table3.{row}.{col}"


def _cell(row: str, col: str) -> Indicator:
    label = dict(annual.COLUMNS)[col]
    definition = ROW_DEFINITIONS.get(
        row, f"答复日期在本年度内、办理结果为“{annual.ROW_LABELS[row]}”的申请"
    )
    if col != "total":
        definition += f"，申请人类型为{label}"
    return Indicator(
        table3_code(row, col),
        f"表三 {annual.ROW_LABELS[row]} · {label}",
        definition,
        Application,
        lambda year: annual.row_q(row, year) & annual.column_q(col),
    )


register(*(_cell(row, col) for row in annual.ROWS for col, _ in annual.COLUMNS))
