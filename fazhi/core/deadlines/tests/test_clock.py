"""Table-driven deadline cases (Alaveteli's holiday specs, with China's 调休).

Expected dates were counted by hand against the State Council notices for 2024–2026.
"""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.core.calendar.seed import SEED_YEARS, package_days
from fazhi.core.calendar.workcalendar import WorkCalendar
from fazhi.core.deadlines.clock import Extension, Pause, add_months, compute
from fazhi.core.deadlines.rules import DeadlineRule, PeriodUnit

D = dt.date
CAL = WorkCalendar.build([day for y in SEED_YEARS for day in package_days(y)], SEED_YEARS)


def wd(n: int) -> DeadlineRule:
    return DeadlineRule("t.wd", "测试", n, PeriodUnit.WORKDAY, "测试依据")


def days(n: int) -> DeadlineRule:
    return DeadlineRule("t.d", "测试", n, PeriodUnit.DAY, "测试依据")


@pytest.mark.parametrize(
    ("start", "n", "due", "why"),
    [
        (D(2026, 3, 2), 20, D(2026, 3, 30), "plain weeks: Monday start, start day not counted"),
        (D(2026, 3, 5), 1, D(2026, 3, 6), "Thursday start, next day"),
        (D(2026, 3, 6), 1, D(2026, 3, 9), "Friday start skips the weekend"),
        (D(2026, 3, 7), 1, D(2026, 3, 9), "Saturday start: first working day is Monday"),
        (D(2026, 9, 28), 20, D(2026, 10, 30), "国庆 2026: 10/1–7 off, 10/10 (Sat) 调休 counts"),
        (D(2026, 9, 18), 1, D(2026, 9, 20), "9/20/2026 is a 调休 Sunday: it is a working day"),
        (D(2026, 2, 13), 1, D(2026, 2, 14), "2/14/2026 is a 调休 Saturday before 春节"),
        (
            D(2026, 2, 12),
            7,
            D(2026, 2, 28),
            "春节 2026: 2/15–23 off, 2/14 and 2/28 (Sat) 调休 count",
        ),
        (
            D(2026, 2, 16),
            1,
            D(2026, 2, 24),
            "start on a holiday (正月初一): first working day after 春节",
        ),
        (
            D(2025, 1, 24),
            20,
            D(2025, 2, 27),
            "春节 2025 across 1/28–2/4, 调休 1/26 (Sun) and 2/8 (Sat)",
        ),
        (
            D(2025, 9, 26),
            5,
            D(2025, 10, 10),
            "国庆中秋 2025: 9/28 (Sun) and 10/11 (Sat) count, 10/1–8 off",
        ),
        (D(2024, 12, 31), 1, D(2025, 1, 2), "元旦 2025 (1/1 Wednesday) only the day itself"),
        (
            D(2026, 4, 30),
            3,
            D(2026, 5, 8),
            "劳动节 2026: 5/1–5 off; the 5/9 (Sat) 调休 comes after",
        ),
    ],
)
def test_workday_periods(start: dt.date, n: int, due: dt.date, why: str) -> None:
    deadline = compute(wd(n), start, CAL)
    assert deadline.due == due, why
    assert not deadline.provisional


@pytest.mark.parametrize(
    ("start", "n", "due", "why"),
    [
        (D(2026, 3, 2), 15, D(2026, 3, 17), "ends on a Tuesday: no roll"),
        (D(2026, 3, 6), 15, D(2026, 3, 23), "ends Saturday 3/21 → Monday 3/23"),
        (D(2026, 9, 16), 15, D(2026, 10, 8), "ends 10/1 (国庆) → first working day 10/8"),
    ],
)
def test_calendar_day_periods_roll_forward(start: dt.date, n: int, due: dt.date, why: str) -> None:
    assert compute(days(n), start, CAL).due == due, why


def test_calendar_day_period_ending_on_a_makeup_workday_does_not_roll() -> None:
    deadline = compute(days(15), D(2026, 9, 5), CAL)
    assert deadline.due == D(2026, 9, 20)
    assert not any("顺延" in s for s in deadline.steps)


def test_period_running_into_an_unloaded_year_is_provisional() -> None:
    deadline = compute(wd(20), D(2026, 12, 20), CAL)
    # Mon–Fri fallback in 2027: 12/21–12/31 gives 9, then 11 more from 1/1/2027 (a Friday).
    assert deadline.due == D(2027, 1, 15)
    assert deadline.provisional
    assert deadline.unknown_years == (2027,)
    assert any("2027年节假日安排尚未载入" in s for s in deadline.steps)
    assert deadline.steps[-1].endswith("（暂定）")


def test_period_inside_a_loaded_year_is_not_provisional() -> None:
    assert not compute(wd(10), D(2026, 12, 1), CAL).provisional


def test_loading_the_year_removes_the_provisional_flag_and_moves_the_date() -> None:
    holidays_2027 = [(D(2027, 1, 1), "holiday", "元旦")]
    loaded = WorkCalendar.build(
        [*[d for y in SEED_YEARS for d in package_days(y)], *holidays_2027], [*SEED_YEARS, 2027]
    )
    deadline = compute(wd(20), D(2026, 12, 20), loaded)
    assert deadline.due == D(2027, 1, 18)
    assert not deadline.provisional


@pytest.mark.parametrize(
    ("pause", "due", "excluded"),
    [
        (Pause(D(2026, 3, 5), D(2026, 3, 12), "征求第三方意见"), D(2026, 4, 6 + 1), 5),
        (Pause(D(2026, 3, 2), D(2026, 3, 3), "征求第三方意见"), D(2026, 3, 31), 1),
    ],
)
def test_pause_excludes_the_working_days_after_its_start_up_to_its_end(
    pause: Pause, due: dt.date, excluded: int
) -> None:
    # 3/2 + 20 workdays = 3/30; 清明 2026 is 4/4–6 (Sat–Mon).
    deadline = compute(wd(20), D(2026, 3, 2), CAL, pauses=[pause])
    assert deadline.due == due
    assert any(f"其间{excluded}个工作日不计入期限" in s for s in deadline.steps)


def test_open_pause_is_counted_until_as_of_and_flagged() -> None:
    deadline = compute(
        wd(20),
        D(2026, 3, 2),
        CAL,
        pauses=[Pause(D(2026, 3, 5), None, "征求第三方意见")],
        as_of=D(2026, 3, 12),
    )
    assert deadline.paused
    assert deadline.due == D(2026, 4, 7)
    assert any("尚未结束" in s for s in deadline.steps)


def test_extension_adds_twenty_working_days_and_is_explained() -> None:
    ext = Extension(20, "经负责人批准延期", "条例第三十三条第二款")
    deadline = compute(wd(20), D(2026, 3, 2), CAL, extensions=[ext])
    # 3/30 + 20 workdays, skipping 清明 (4/6, the Monday of 4/4–6): 4/28.
    assert deadline.due == D(2026, 4, 28)
    assert any("再延长20个工作日" in s for s in deadline.steps)


def test_explanation_names_the_holidays_and_makeup_days() -> None:
    steps = compute(wd(20), D(2026, 9, 28), CAL).steps
    assert steps[0].startswith("起算：") and "当日不计入" in steps[0]
    assert any("国庆节放假" in s for s in steps)
    assert any("2026年10月10日（周六）为调休上班日" in s for s in steps)
    assert steps[-1] == "到期日：2026年10月30日（周五）"


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2026, 11, 15), 2, D(2027, 1, 15)),
    ],
)
def test_add_months_clamps_to_month_end(start: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("d", "workday"),
    [
        (D(2026, 1, 4), True),  # Sunday 调休
        (D(2026, 1, 1), False),  # 元旦
        (D(2026, 2, 28), True),  # Saturday 调休
        (D(2026, 10, 7), False),  # Wednesday inside 国庆
        (D(2026, 10, 8), True),  # Thursday after 国庆 (2026: 10/1–7)
        (D(2026, 10, 10), True),  # Saturday 调休
        (D(2026, 11, 28), False),  # plain Saturday
        (D(2027, 1, 1), True),  # unloaded year: Mon–Fri fallback (a Friday)
    ],
)
def test_is_workday(d: dt.date, workday: bool) -> None:
    assert CAL.is_workday(d) is workday
