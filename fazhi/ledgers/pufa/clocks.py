"""The one clock of the 普法 ledgers: a 责任清单 item's 完成期限.

No statute sets a period for a 普法 item (legal-rules.md §10), so the due date is the one the
department put in its list (计划完成日期), or, when it gave none, the last day of the list's
year. The kit caches it, so an item not ticked off by then is 逾期 on 待办. Activities, the roster
and study sessions have no clock.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fazhi.core.deadlines.rules import DeadlineRule, PeriodUnit
from fazhi.core.records.clocks import ClockSpec, Start
from fazhi.ledgers.pufa.models import DutyStatus

# Not registered with `fazhi deadline`: there is no period to count, only the list's own date.
PLAN = DeadlineRule(
    "pufa.duty_plan",
    "落实普法责任清单事项",
    12,
    PeriodUnit.MONTH,
    "本单位普法责任清单（“谁执法谁普法”责任制）",
    "列入清单之日",
)


def plan_due(duty: Any) -> dt.date | None:
    if duty.planned_on is not None:
        return duty.planned_on
    return dt.date(duty.year, 12, 31) if duty.year else None


PLAN_CLOCK = ClockSpec(
    "plan",
    "完成期限",
    PLAN,
    starts=(Start("列入清单之日", field="listed_on"),),
    runs=frozenset({DutyStatus.OPEN}),
    field="plan_due_on",
    due_from=plan_due,
    set_label="计划完成日期（未填写的为清单年度12月31日）",
)
DUTY_CLOCKS = (PLAN_CLOCK,)
