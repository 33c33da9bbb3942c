"""Limits to the minute (natural hours, working hours, 工作日) across 春节, 国庆 and 调休.

Expected values were counted by hand against the State Council notice for 2026: 春节 2/15–23
off with 2/14 (Sat) and 2/28 (Sat) worked; 国庆 10/1–7 off with 9/20 (Sun) and 10/10 (Sat)
worked. Working hours 09:00–17:00.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from fazhi.core.calendar.seed import SEED_YEARS, package_days
from fazhi.core.calendar.workcalendar import WorkCalendar
from fazhi.core.deadlines.columnar import timed_due_columns
from fazhi.core.deadlines.timed import TimedUnit, WorkingHours, timed_due

CAL = WorkCalendar.build([day for y in SEED_YEARS for day in package_days(y)], SEED_YEARS)
HOURS = WorkingHours(dt.time(9), dt.time(17))
T = dt.datetime
H, WH, WD = TimedUnit.HOUR, TimedUnit.WORKHOUR, TimedUnit.WORKDAY


@pytest.mark.parametrize(
    ("start", "amount", "unit", "due", "why"),
    [
        (T(2026, 2, 14, 10), 2, H, T(2026, 2, 14, 12), "natural hours ignore the calendar"),
        (T(2026, 2, 15, 20), 24, H, T(2026, 2, 16, 20), "natural hours run through 春节"),
        (T(2026, 3, 2, 10), 2, WH, T(2026, 3, 2, 12), "inside one working window"),
        (T(2026, 3, 2, 16), 2, WH, T(2026, 3, 3, 10), "past the close: the rest next morning"),
        (T(2026, 3, 2, 7), 1, WH, T(2026, 3, 2, 10), "before opening: counts from 09:00"),
        (T(2026, 3, 2, 18), 1, WH, T(2026, 3, 3, 10), "after closing: counts from next day"),
        (T(2026, 3, 2, 15), 2, WH, T(2026, 3, 2, 17), "a limit on the close stays that day"),
        (T(2026, 3, 6, 16), 2, WH, T(2026, 3, 9, 10), "Friday afternoon: Monday morning"),
        (T(2026, 2, 13, 16), 2, WH, T(2026, 2, 14, 10), "2/14/2026 is a 调休 Saturday"),
        (T(2026, 2, 14, 16), 2, WH, T(2026, 2, 24, 10), "春节 2/15–23 does not count"),
        (T(2026, 2, 16, 11), 8, WH, T(2026, 2, 24, 17), "start on a holiday: a full day after"),
        (T(2026, 9, 30, 16), 16, WH, T(2026, 10, 9, 16), "国庆 10/1–7 off, 10/8–9 count"),
        (T(2026, 9, 19, 16, 30), 1, WH, T(2026, 9, 20, 10), "Sat 9/19 off, Sun 9/20 调休 counts"),
        (T(2026, 3, 6, 15), 1, WD, T(2026, 3, 9, 23, 59, 59), "Friday: 1 工作日 is Monday"),
        (T(2026, 2, 13, 10), 3, WD, T(2026, 2, 25, 23, 59, 59), "2/14 调休, then after 春节"),
        (T(2026, 10, 3, 9), 1, WD, T(2026, 10, 8, 23, 59, 59), "start on a holiday"),
        (T(2026, 10, 9, 9), 1, WD, T(2026, 10, 10, 23, 59, 59), "10/10/2026 调休 Saturday"),
        (T(2026, 3, 2, 10, 17, 42), 1, H, T(2026, 3, 2, 11, 17), "seconds are dropped"),
    ],
)
def test_timed_due(start: T, amount: int, unit: TimedUnit, due: T, why: str) -> None:
    result = timed_due(start, amount, unit, CAL, HOURS)
    assert result.due == due, why
    assert not result.provisional
    assert result.steps[-1].startswith("办理时限：")


def test_a_limit_reaching_an_unloaded_year_is_provisional() -> None:
    result = timed_due(T(2026, 12, 31, 10), 2, WD, CAL, HOURS)
    # 2027 is not loaded: 1 January (a Friday) counts as a working day, provisionally.
    assert result.due == T(2027, 1, 4, 23, 59, 59)
    assert result.provisional
    assert any("2027年节假日安排尚未载入" in s for s in result.steps)
    assert not timed_due(T(2026, 12, 31, 10), 48, H, CAL, HOURS).provisional


def test_refuses_aware_datetimes_and_empty_limits() -> None:
    with pytest.raises(ValueError, match="naive"):
        timed_due(T(2026, 3, 2, tzinfo=dt.UTC), 1, H, CAL, HOURS)
    with pytest.raises(ValueError, match="positive"):
        timed_due(T(2026, 3, 2), 0, WD, CAL, HOURS)


def test_working_hours_parse_and_validate() -> None:
    assert WorkingHours.parse("08:30 - 17:30").minutes == 540
    with pytest.raises(ValueError, match="close after"):
        WorkingHours.parse("17:00-09:00")


def _starts() -> list[T]:
    found = []
    for first, last in [
        (T(2026, 2, 10), T(2026, 2, 27)),
        (T(2026, 9, 17), T(2026, 10, 12)),
        (T(2026, 12, 28), T(2027, 1, 2)),
    ]:
        t = first
        while t <= last:
            found.append(t)
            t += dt.timedelta(minutes=97)
    return found


@pytest.mark.parametrize("hours", [HOURS, WorkingHours(dt.time(8, 30), dt.time(17, 30))])
def test_columns_equal_the_pure_function(hours: WorkingHours) -> None:
    starts = _starts()
    rows = [
        (s, a, u.value)
        for s in starts
        for a, u in [
            (1, H),
            (2, WH),
            (9, WH),
            (17, WH),
            (40, WH),
            (1, WD),
            (5, WD),
            (15, WD),
            (72, H),
        ]
    ]
    frame = pl.DataFrame(
        {"s": [r[0] for r in rows], "a": [r[1] for r in rows], "u": [r[2] for r in rows]},
        schema={"s": pl.Datetime("us"), "a": pl.Int64, "u": pl.String},
    )
    out = timed_due_columns(frame, start="s", amount="a", unit="u", calendar=CAL, hours=hours)
    expected = [timed_due(s, a, TimedUnit(u), CAL, hours) for s, a, u in rows]
    assert out["due"].to_list() == [e.due for e in expected]
    assert out["due_provisional"].to_list() == [e.provisional for e in expected]


def test_columns_leave_incomplete_rows_empty() -> None:
    frame = pl.DataFrame(
        {"s": [T(2026, 3, 2, 10), None], "a": [None, 2], "u": ["hour", "hour"]},
        schema={"s": pl.Datetime("us"), "a": pl.Int64, "u": pl.String},
    )
    out = timed_due_columns(frame, start="s", amount="a", unit="u", calendar=CAL, hours=HOURS)
    assert out["due"].to_list() == [None, None]
