"""The working-day calendar as a pure value: dates in, answers out, no ORM and no `now()`.

A date is a working day when it is a 调休 make-up workday, or a Monday–Friday that is not a
holiday. Years without loaded data fall back to Monday–Friday and are reported as unknown, so
deadlines that touch them can be flagged provisional (DESIGN invariant 5).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

WEEKDAYS = "一二三四五六日"


def weekday_zh(d: dt.date) -> str:
    return "周" + WEEKDAYS[d.weekday()]


def date_zh(d: dt.date, *, weekday: bool = False) -> str:
    text = f"{d.year}年{d.month}月{d.day}日"
    return f"{text}（{weekday_zh(d)}）" if weekday else text


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()  # 调休 make-up working days (weekends)
    known_years: frozenset[int] = frozenset()
    names: Mapping[dt.date, str] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        days: Iterable[tuple[dt.date, str, str]],
        known_years: Iterable[int],
    ) -> WorkCalendar:
        holidays: set[dt.date] = set()
        workdays: set[dt.date] = set()
        names: dict[dt.date, str] = {}
        for day, kind, name in days:
            (holidays if kind == "holiday" else workdays).add(day)
            if name:
                names[day] = name
        return cls(frozenset(holidays), frozenset(workdays), frozenset(known_years), names)

    def is_known(self, d: dt.date) -> bool:
        return d.year in self.known_years

    def is_workday(self, d: dt.date) -> bool:
        if d in self.workdays:
            return True
        if d in self.holidays:
            return False
        return d.weekday() < 5

    def is_makeup_workday(self, d: dt.date) -> bool:
        return d in self.workdays

    def is_holiday(self, d: dt.date) -> bool:
        return d in self.holidays

    def name(self, d: dt.date) -> str:
        return self.names.get(d, "")

    def next_workday(self, d: dt.date) -> dt.date:
        """The first working day on or after d."""
        while not self.is_workday(d):
            d += dt.timedelta(days=1)
        return d

    def add_workdays(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after start (start itself not counted)."""
        d = start
        counted = 0
        while counted < n:
            d += dt.timedelta(days=1)
            if self.is_workday(d):
                counted += 1
        return d

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.workdays_between(end, start)
        d, count = start, 0
        while d < end:
            d += dt.timedelta(days=1)
            if self.is_workday(d):
                count += 1
        return count
