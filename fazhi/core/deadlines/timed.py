"""Deadlines to the minute: service-level limits in natural hours, working hours or 工作日.

A 12345 work order's 办理时限 runs from the moment it was dispatched (派单), not from a day:
an urgent order may have 2 natural hours, a complaint 3 working days. The pure functions here
take a local (naive) datetime and return one; the working calendar decides which days count
and `WorkingHours` which part of a working day does.

Conventions (documented in the hotline README and ADR 0013):
- 自然小时 (`hour`): the clock never stops; holidays make no difference.
- 工作小时 (`workhour`): only the working window of working days counts. A start outside it
  counts from the next window's opening; a limit landing exactly on a window's close stays
  on that day.
- 工作日 (`workday`): the start day is not counted (DESIGN invariant 4); the limit is the end of
  the n-th working day after it (23:59:59).
Any day the count touches in a year without calendar data makes the result provisional.

`fazhi.core.deadlines.columnar` computes the same for whole columns; a test holds the two equal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from fazhi.core.calendar.workcalendar import WorkCalendar, date_zh

ONE_DAY = dt.timedelta(days=1)
END_OF_DAY = dt.time(23, 59, 59)


class TimedUnit(StrEnum):
    HOUR = "hour"
    WORKHOUR = "workhour"
    WORKDAY = "workday"

    @property
    def label(self) -> str:
        return {"hour": "小时", "workhour": "个工作小时", "workday": "个工作日"}[self.value]


@dataclass(frozen=True)
class WorkingHours:
    """The part of a working day that counts for 工作小时 (one window, e.g. 09:00–17:00)."""

    opens: dt.time = dt.time(9, 0)
    closes: dt.time = dt.time(17, 0)

    def __post_init__(self) -> None:
        if self.closes <= self.opens:
            raise ValueError("working hours must close after they open")

    @property
    def minutes(self) -> int:
        return _minute_of(self.closes) - _minute_of(self.opens)

    @classmethod
    def parse(cls, text: str) -> WorkingHours:
        """'09:00-17:00' (a setting's value)."""
        opens, _, closes = text.strip().partition("-")
        return cls(dt.time.fromisoformat(opens.strip()), dt.time.fromisoformat(closes.strip()))

    @property
    def text(self) -> str:
        return f"{self.opens:%H:%M}—{self.closes:%H:%M}"


@dataclass(frozen=True)
class TimedDeadline:
    start: dt.datetime
    due: dt.datetime
    provisional: bool
    steps: tuple[str, ...]


def _minute_of(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def datetime_zh(t: dt.datetime) -> str:
    return f"{date_zh(t.date(), weekday=True)} {t:%H:%M}"


def timed_due(
    start: dt.datetime,
    amount: int,
    unit: TimedUnit,
    calendar: WorkCalendar,
    hours: WorkingHours = WorkingHours(),
    *,
    start_label: str = "派单时间",
    basis: str = "",
) -> TimedDeadline:
    """The limit `amount` `unit`s after the local datetime `start`, with its steps in Chinese."""
    if start.tzinfo is not None:
        raise ValueError("timed_due takes a local (naive) datetime")
    if amount < 1:
        raise ValueError("a limit needs a positive amount")
    start = start.replace(second=0, microsecond=0)
    basis_text = f"（{basis}）" if basis else ""
    steps = [f"起算：{start_label} {datetime_zh(start)}", f"时限：{amount}{unit.label}{basis_text}"]
    touched: list[dt.date] = [start.date()]
    if unit is TimedUnit.HOUR:
        due = start + dt.timedelta(hours=amount)
        touched = []  # natural hours do not depend on the calendar
    elif unit is TimedUnit.WORKDAY:
        d, counted = start.date(), 0
        while counted < amount:
            d += ONE_DAY
            touched.append(d)
            if calendar.is_workday(d):
                counted += 1
        due = dt.datetime.combine(d, END_OF_DAY)
        steps.append(f"起算当日不计入，第{amount}个工作日为{date_zh(d, weekday=True)}，当日24时前")
    else:
        due, touched = _add_working_minutes(start, amount * 60, calendar, hours)
        steps.append(f"只计工作日的 {hours.text}，节假日和工作时间以外不计")
    unknown = sorted({d.year for d in touched if not calendar.is_known(d)})
    if unknown:
        years = "、".join(f"{y}年" for y in unknown)
        steps.append(f"{years}节假日安排尚未载入，按周一至周五为工作日暂算，时限为暂定")
    steps.append(f"办理时限：{datetime_zh(due)}" + ("（暂定）" if unknown else ""))
    return TimedDeadline(start, due, bool(unknown), tuple(steps))


def _add_working_minutes(
    start: dt.datetime, minutes: int, calendar: WorkCalendar, hours: WorkingHours
) -> tuple[dt.datetime, list[dt.date]]:
    """Walk the working windows day by day from `start` until `minutes` have been counted."""
    d = start.date()
    touched = [d]
    left = minutes
    at = _minute_of(start.time()) if calendar.is_workday(d) else 0
    while True:
        if calendar.is_workday(d):
            begin = max(at, _minute_of(hours.opens))
            end = _minute_of(hours.closes)
            available = max(0, end - begin)
            if left <= available:
                return dt.datetime.combine(d, dt.time()) + dt.timedelta(
                    minutes=begin + left
                ), touched
            left -= available
        d += ONE_DAY
        touched.append(d)
        at = 0
