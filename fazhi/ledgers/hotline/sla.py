"""The handling limit (办理时限) of a work order: the SLA per 诉求类型 and 紧急程度, from settings.

No national rule sets these (国办发〔2020〕53号 and GB/T 33358-2016 fix none; legal-rules §9);
local rules do (济南, 潍坊 条例; 杭州 DB3301/T 0328-2020). `FAZHI_HOTLINE_SLA` holds them as
"category.urgency=amount unit", "*" matching any, the most specific entry winning.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from fazhi.core.calendar.service import get_calendar
from fazhi.core.deadlines.timed import TimedDeadline, TimedUnit, WorkingHours, timed_due
from fazhi.ledgers.hotline.models import Category, Urgency

BASIS = "本地12345热线工单办理时限规定（FAZHI_HOTLINE_SLA）"
_ENTRY = re.compile(r"^\s*([a-z*]+)\.([a-z*]+)\s*=\s*(\d+)\s*(hour|workhour|workday)\s*$")


@dataclass(frozen=True)
class Limit:
    amount: int
    unit: TimedUnit

    @property
    def text(self) -> str:
        return f"{self.amount}{self.unit.label}"


def parse_sla(text: str) -> dict[tuple[str, str], Limit]:
    table: dict[tuple[str, str], Limit] = {}
    categories = {c.value for c in Category} | {"*"}
    urgencies = {u.value for u in Urgency} | {"*"}
    for part in filter(str.strip, text.split(",")):
        m = _ENTRY.match(part)
        if not m or m[1] not in categories or m[2] not in urgencies or int(m[3]) < 1:
            raise ImproperlyConfigured(f"FAZHI_HOTLINE_SLA: cannot read {part.strip()!r}")
        table[(m[1], m[2])] = Limit(int(m[3]), TimedUnit(m[4]))
    return table


@cache
def _table(text: str) -> dict[tuple[str, str], Limit]:
    return parse_sla(text)


def sla_table() -> dict[tuple[str, str], Limit]:
    return _table(settings.FAZHI_HOTLINE_SLA)


def working_hours() -> WorkingHours:
    try:
        return WorkingHours.parse(settings.FAZHI_HOTLINE_WORK_HOURS)
    except ValueError as exc:
        raise ImproperlyConfigured(f"FAZHI_HOTLINE_WORK_HOURS: {exc}") from exc


def limit_for(category: str, urgency: str) -> Limit | None:
    table = sla_table()
    for key in ((category, urgency), (category, "*"), ("*", urgency), ("*", "*")):
        if key in table:
            return table[key]
    return None


def all_limits() -> list[tuple[str, str, Limit | None]]:
    """(诉求类型, 紧急程度, limit) for every pair: the README's and the settings page's table."""
    return [(c.label, u.label, limit_for(c.value, u.value)) for c in Category for u in Urgency]


def due_for(category: str, urgency: str, dispatched_at: dt.datetime) -> TimedDeadline | None:
    """The limit of an order dispatched at the aware `dispatched_at`; None without an SLA."""
    limit = limit_for(category, urgency)
    if limit is None:
        return None
    local = timezone.localtime(dispatched_at).replace(tzinfo=None)
    return timed_due(local, limit.amount, limit.unit, get_calendar(), working_hours(), basis=BASIS)
