"""The one clock of these ledgers: a rectification item's 整改时限.

No statute sets the period (the feedback or the unit's own 整改方案 does), so the clock's due
date is the item's 整改时限 as it stands, extended where a leader approved it. It runs while
the item is 待整改 or 整改中, so an item not closed by then is 逾期 on 待办, and 临期 from
`FAZHI_OVERSIGHT_DUE_SOON_DAYS` calendar days before (a period of months warns weeks ahead, not
the kit's three workdays). 履职记录 have no clock.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

from fazhi.core.deadlines.rules import DeadlineRule, PeriodUnit
from fazhi.core.records.clocks import ClockSpec, Start
from fazhi.ledgers.oversight.models import OPEN

# Not registered with `fazhi deadline`: there is no period to count, only the item's own date.
LIMIT = DeadlineRule(
    "oversight.rectify_limit",
    "督察整改事项整改时限",
    3,
    PeriodUnit.MONTH,
    "督察、考核、审计、巡视巡察反馈意见或本单位整改方案确定的整改时限",
    "反馈之日",
)


def limit_due(item: Any) -> dt.date | None:
    deadline: dt.date | None = item.deadline
    return deadline


def soon(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=settings.FAZHI_OVERSIGHT_DUE_SOON_DAYS)


LIMIT_CLOCK = ClockSpec(
    "limit",
    "整改时限",
    LIMIT,
    starts=(Start("反馈之日", field="fed_back_on"),),
    runs=OPEN,
    field="limit_due_on",
    due_from=limit_due,
    set_label="整改时限（经批准延长的，为延长后的时限）",
    soon=soon,
)
RECTIFY_CLOCKS = (LIMIT_CLOCK,)
