"""The 人民调解 figures, registered with core.metrics, each a predicate over cases or 排查 rounds,
by dispute type and by kind of committee. Per single committee, the statistics page applies the
same predicates to the committee's cases (`views.stats`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db.models import F, Q

from fazhi.core.metrics import Indicator, register
from fazhi.ledgers.mediation.models import (
    SUCCESS,
    Case,
    CommitteeKind,
    CourtResult,
    DisputeType,
    Outcome,
    Screening,
)

# Mediated to an end: an agreement or a failure. A refusal (Art. 17) ends a case unmediated and
# counts in neither the success rate nor the one-month rate.
MEDIATED = [Outcome.WRITTEN, Outcome.ORAL, Outcome.FAILED]


def _year(field: str, year: int) -> Q:
    return Q(**{f"{field}__gte": dt.date(year, 1, 1), f"{field}__lte": dt.date(year, 12, 31)})


def received(year: int) -> Q:
    return _year("received_on", year)


def concluded(year: int) -> Q:
    return _year("concluded_on", year) & Q(outcome__in=MEDIATED)


def _is(field: str, value: str) -> Callable[[int], Q]:
    return lambda year: Q(**{field: value})


def _family(suffix: str, label: str, narrow: Callable[[int], Q] = lambda y: Q()) -> list[Indicator]:
    """调解件数, 调解成功率 and 一个月内调结率 over the cases `narrow` selects."""
    return [
        Indicator(
            f"med.cases{suffix}",
            f"调解件数{label}",
            f"受理日期在本年度内的人民调解案件{label}",
            Case,
            lambda y: received(y) & narrow(y),
        ),
        Indicator(
            f"med.success_rate{suffix}",
            f"调解成功率{label}",
            f"达成书面或口头协议的件数 ÷ 本年调结（达成协议或调解不成）的件数{label}；"
            "当事人拒绝调解而终止的不计入",
            Case,
            lambda y: concluded(y) & narrow(y),
            numerator=lambda y: Q(outcome__in=list(SUCCESS)),
        ),
        Indicator(
            f"med.in_month_rate{suffix}",
            f"一个月内调结率{label}",
            f"在调结目标期限（受理之日起一个月，上报的自上级受理之日起）内调结的件数 ÷ "
            f"本年调结的件数{label}",
            Case,
            lambda y: concluded(y) & Q(target_due_on__isnull=False) & narrow(y),
            numerator=lambda y: Q(concluded_on__lte=F("target_due_on")),
        ),
    ]


register(
    Indicator(
        "med.screenings",
        "排查次数",
        "排查日期在本年度内的矛盾纠纷排查",
        Screening,
        lambda y: _year("held_on", y),
    ),
    Indicator(
        "med.confirmations",
        "司法确认数",
        "申请司法确认日期在本年度内的调解案件（双方当事人共同向人民法院申请）",
        Case,
        lambda y: _year("confirmation_applied_on", y),
    ),
    Indicator(
        "med.confirmed",
        "司法确认有效数",
        "申请司法确认日期在本年度内、人民法院裁定协议有效的调解案件",
        Case,
        lambda y: _year("confirmation_applied_on", y) & Q(court_result=CourtResult.CONFIRMED),
    ),
    *_family("", ""),
    *(
        ind
        for code, name in DisputeType.choices
        for ind in _family(f".type.{code}", f"（{name}）", _is("dispute_type", code))
    ),
    *(
        ind
        for code, name in CommitteeKind.choices
        for ind in _family(f".committee.{code}", f"（{name}）", _is("committee__kind", code))
    ),
)

HEADLINE = (
    "med.screenings",
    "med.cases",
    "med.success_rate",
    "med.confirmations",
    "med.in_month_rate",
)
