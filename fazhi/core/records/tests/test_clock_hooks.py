"""The clock declaration's hooks for periods that do not run from the step itself: a start on
another day (the addressee's receipt), a rule chosen by the starting event, a pause capped by a
window that runs from elsewhere. `derive` is a pure function of the events given it."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from fazhi.core.calendar.service import get_calendar
from fazhi.core.deadlines.rules import DeadlineRule, PeriodUnit
from fazhi.core.records.clocks import ClockSpec, PauseSpec, Start, derive

D = dt.date
pytestmark = pytest.mark.django_db
FIVE = DeadlineRule("t.five", "五个工作日", 5, PeriodUnit.WORKDAY, "测试", "通知之日")
TEN = DeadlineRule("t.ten", "十个工作日", 10, PeriodUnit.WORKDAY, "测试", "通知之日")


def ev(kind: str, on: dt.date, **data: Any) -> Any:
    return SimpleNamespace(kind=kind, on=on, data=data)


RECORD = SimpleNamespace(opened_on=D(2026, 3, 2))


def _received(event: Any, events: Any) -> tuple[dt.date, str]:
    return dt.date.fromisoformat(event.data["received"]), "对方收到通知之日"


@pytest.mark.parametrize(
    ("hooks", "due", "first_step"),
    [
        ({}, D(2026, 3, 10), "起算：通知发出之日 2026年3月3日"),  # 3/3 + 5 工作日
        ({"date_from": _received}, D(2026, 3, 13), "起算：对方收到通知之日 2026年3月6日"),
    ],
)
def test_a_start_may_take_its_day_from_the_event(
    hooks: dict[str, Any], due: dt.date, first_step: str
) -> None:
    spec = ClockSpec(
        "notice",
        "期限",
        FIVE,
        starts=(Start("通知发出之日", kind="notice", **hooks),),
        runs=frozenset({"open"}),
    )
    events = [ev("notice", D(2026, 3, 3), received="2026-03-06")]
    derived = derive(spec, RECORD, events, get_calendar(), D(2026, 3, 20))
    assert derived is not None
    assert derived[0].due == due
    assert derived[0].steps[0].startswith(first_step)


def test_the_rule_may_depend_on_the_starting_event() -> None:
    spec = ClockSpec(
        "notice",
        "期限",
        FIVE,
        starts=(Start("通知发出之日", kind="notice"),),
        runs=frozenset({"open"}),
        rule_for=lambda e: TEN if e.data.get("long") else FIVE,
    )
    cal = get_calendar()
    short = derive(spec, RECORD, [ev("notice", D(2026, 3, 3))], cal, D(2026, 3, 3))
    long = derive(spec, RECORD, [ev("notice", D(2026, 3, 3), long=True)], cal, D(2026, 3, 3))
    assert short is not None and long is not None
    assert (short[0].due, long[0].due) == (D(2026, 3, 10), D(2026, 3, 17))
    assert long[0].rule_code == "t.ten"


@pytest.mark.parametrize(
    ("window", "due"),
    [
        # The cap runs from the pause's own first day: 3/3 + 5 = 3/10; resumes 3/11.
        (None, D(2026, 3, 23)),
        # From the party's receipt 3/6 with a ten-day rule: cap 3/20; resumes 3/23.
        (lambda e, es: (D(2026, 3, 6), TEN), D(2026, 4, 2)),
    ],
)
def test_a_capped_pause_may_run_its_window_from_elsewhere(window: Any, due: dt.date) -> None:
    pause = PauseSpec("asked", frozenset({"answered"}), "征求意见", limit=FIVE, limit_window=window)
    spec = ClockSpec(
        "reply",
        "答复期限",
        TEN,
        starts=(Start("收到之日", field="opened_on"),),
        runs=frozenset({"open"}),
        pauses=(pause,),
    )
    derived = derive(spec, RECORD, [ev("asked", D(2026, 3, 3))], get_calendar(), D(2026, 5, 1))
    assert derived is not None
    # 3/2 + 10 工作日 with 3/4 … the cap excluded (3/3 itself counts).
    assert derived[0].due == due
