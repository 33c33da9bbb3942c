"""The work order's one clock: 办理时限, from 派单 to 反馈 or 办结 (or 退单), to the minute.

The limit itself is a datetime on the order (`time_limit`: the platform's, or the SLA's computed
at dispatch); the kit's clock caches its date and is told the time (`due_at`), so an order is
临期 before its limit and 逾期 from the minute after it, on its last day too, in the list, its
filters, 待办 and the detail page alike.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from fazhi.core.calendar.workcalendar import date_zh
from fazhi.core.deadlines.rules import DeadlineRule, PeriodUnit, register
from fazhi.core.deadlines.timed import END_OF_DAY
from fazhi.core.records.clocks import ClockSpec, Start
from fazhi.ledgers.hotline.models import LimitSource, Status
from fazhi.ledgers.hotline.sla import BASIS

# The rule is what the explanation cites; the due date itself is the order's 办理时限.
HANDLE = DeadlineRule("hotline.handle", "工单办理", 5, PeriodUnit.WORKDAY, BASIS, "派单之日")
register(HANDLE)


def limit_shown(order: Any) -> tuple[str, str]:
    """办理时限 as the explanation shows it: its date, and its time unless it is the end of a
    working day; the platform's limit named as such, the SLA's by its setting."""
    local = timezone.localtime(order.time_limit)
    shown = date_zh(local.date(), weekday=True)
    if local.time().replace(microsecond=0) != END_OF_DAY:
        shown += f" {local:%H:%M}"
    source = LimitSource.FILE.label if order.limit_source == LimitSource.FILE else BASIS
    return shown, source


def limit_date(order: Any) -> dt.date | None:
    limit = order.time_limit
    return timezone.localtime(limit).date() if limit is not None else None


HANDLE_CLOCK = ClockSpec(
    "handle",
    "办理时限",
    HANDLE,
    starts=(Start("派单之日", field="dispatched_on"),),
    runs=frozenset({Status.HANDLING}),
    field="handle_due_on",
    due_from=limit_date,
    set_label="办理时限",
    due_at="time_limit",
    set_shown=limit_shown,
)

CLOCKS = (HANDLE_CLOCK,)
