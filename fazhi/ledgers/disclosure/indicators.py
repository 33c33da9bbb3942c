"""This ledger's figures, registered with core.metrics: the headline indicators and every cell
of table 三, each a predicate over applications (annual.py holds the year-attribution rules)."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q, Sum

from fazhi.core.metrics import Indicator, register
from fazhi.ledgers.disclosure import annual
from fazhi.ledgers.disclosure.models import (
    Application,
    ApplicationEvent,
    EventKind,
    Outcome,
    Status,
)

ROW_DEFINITIONS = {
    "new": "收到日期在本年度内的申请（补正后重新起算的仍按首次收到计）",
    "carried_in": "上年度及以前收到、本年1月1日尚未答复的申请",
    "carried_out": "本年12月31日前收到、年底尚未答复的申请",
    "total": "答复日期在本年度内的申请",
}


# How an application ends decides what "answered within the statutory period" means. Shown
# with the figure (its definition) and in the report's 一（二）.
ON_TIME_DEFINITION = (
    "按期的认定：以答复办结的，答复日期不晚于答复期限（20个工作日，补正后重新起算，含经批准的延期，"
    "征求意见等不计入期限的时间已扣除）；申请人逾期不补正而办结的，补正通知在收到申请之日起7个工作日内"
    "一次性发出、且在申请人补正期限届满后办结；申请人逾期未缴费而办结的，收费通知在答复期限内发出、"
    "且在缴费期限届满后办结；申请人撤回申请的，撤回日期不晚于答复期限，或撤回时正等待申请人补正、缴费。"
    "作废的记录不计入"
)
REPLIED_OUTCOMES = [o for o in Outcome.values if o not in (Outcome.OTHER_1, Outcome.OTHER_2)]


def _steps_in_time(*kinds: str) -> Q:
    """Each of the office's steps `kinds` was taken as the table allows: live, and not flagged
    when imported (a replayed step that broke a guard — a late notice, a closing before the
    applicant's window — carries its flags)."""
    q = Q()
    for kind in kinds:
        irregular = ApplicationEvent.objects.filter(
            record=OuterRef("pk"), kind=kind, undone_at__isnull=True, data__has_key="flags"
        )
        done = ApplicationEvent.objects.filter(
            record=OuterRef("pk"), kind=kind, undone_at__isnull=True
        )
        q &= Q(Exists(done)) & ~Q(Exists(irregular))
    return q


def on_time_q(year: int) -> Q:
    """The rate's numerator (the same whatever the year: the denominator picks the year)."""
    return in_time_q()


def in_time_q() -> Q:
    """Answered within the statutory period, for every way an application ends."""
    replied = Q(
        outcome__in=REPLIED_OUTCOMES,
        reply_due_on__isnull=False,
        replied_on__lte=F("reply_due_on"),
    )
    uncorrected = Q(outcome=Outcome.OTHER_1) & _steps_in_time(
        EventKind.CORRECTION_REQUESTED, EventKind.CLOSED_UNCORRECTED
    )
    unpaid = Q(outcome=Outcome.OTHER_2) & _steps_in_time(
        EventKind.FEE_NOTICE, EventKind.CLOSED_UNPAID
    )
    withdrawn_waiting = Q(outcome=Outcome.OTHER_3) & Q(
        Exists(
            ApplicationEvent.objects.filter(
                record=OuterRef("pk"),
                kind=EventKind.WITHDRAWN,
                undone_at__isnull=True,
                data___before__status__in=[Status.AWAITING_CORRECTION, Status.AWAITING_FEE],
            )
        )
    )
    return replied | uncorrected | unpaid | withdrawn_waiting


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
        f"在法定期限内答复的件数 ÷ 本年办结件数（{ON_TIME_DEFINITION}）",
        Application,
        lambda year: annual.row_q("total", year),
        numerator=on_time_q,
        provisional=lambda year: Q(due_provisional=True),
    ),
)


register(
    Indicator(
        "xxgk.fees_collected",
        "本年收取信息处理费（元）",
        "缴费日期在本年度内的信息处理费合计（按缴费日期计，不论答复年度；年报第六部分）",
        Application,
        annual.fees_q,
        value=lambda year: Sum("fee_amount", filter=annual.fees_q(year)),
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
