"""Declared clocks on the toy ledger: several per record, each cached in its own field; the
nearest duty in `due_on`; a window that lapses quietly; a capped pause and an open one; and
the caches following the calendar (DESIGN invariant 4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.core.calendar.service import get_calendar, replace_year, set_day
from fazhi.core.deadlines.recompute import recompute_open_deadlines
from fazhi.core.records import corrections, queries
from fazhi.core.records.clocks import (
    badge,
    badge_of,
    events_of,
    recompute,
    recompute_all,
    states,
)
from fazhi.core.records.tests.helpers import LEDGER, RECEIVED, TODAY, at, d, fresh, new_case, step
from fazhi.core.records.tests.toy.models import Case, Status

S = Status


def clock_fields(case: Case) -> tuple[Any, ...]:
    case = fresh(case)
    return case.handle_due_on, case.window_due_on, case.due_on, case.due_kind


def clock_states(case: Case, today: dt.date) -> dict[str, Any]:
    case = fresh(case)
    return {st.spec.code: st for st in states(LEDGER, case, events_of(case), get_calendar(), today)}


def todo_numbers(today: dt.date) -> dict[str, list[str]]:
    groups = queries.todo(LEDGER, Case.objects.all(), today)
    return {label: sorted(qs.values_list("number", flat=True)) for label, qs in groups.items()}


def overdue_numbers(today: dt.date) -> list[str]:
    return sorted(
        queries.overdue(LEDGER, Case.objects.all(), today).values_list("number", flat=True)
    )


def after_calendar_change() -> int:
    """What a calendar change sets off. On this branch set_day/replace_year run it themselves
    (this then finds nothing left to move); on main they queue a background task that runs
    exactly this, which a test must run itself."""
    return recompute_open_deadlines()


def test_each_clock_is_cached_in_its_field_and_due_on_is_the_nearest_duty(cast: Any) -> None:
    with at(RECEIVED):
        case = new_case(cast)
    # 10 工作日 from Monday 11-02: 11-16. 5日: Saturday 11-07, not a working day, so 11-09.
    # The window is nearer, but it is an opportunity, not a duty: due_on is the handling clock.
    assert clock_fields(case) == (d(11, 16), d(11, 9), d(11, 16), "handle")


def test_a_stop_event_clears_its_clock_only(cast: Any) -> None:
    with at(d(11, 4)):
        case = new_case(cast)
        step(case, "supplement", cast.a_clerk, d(11, 4))
    assert clock_fields(case) == (d(11, 16), None, d(11, 16), "handle")


def test_an_extension_moves_the_duty(cast: Any) -> None:
    with at(d(11, 10)):
        case = new_case(cast)
        step(case, "request_extension", cast.a_clerk, d(11, 10), note="材料多")
        step(case, "extend", cast.a_leader, d(11, 10))
    assert clock_fields(case)[0] == d(11, 23)  # +5 工作日


def test_a_window_lapses_without_becoming_overdue(cast: Any) -> None:
    with at(RECEIVED):
        case = new_case(cast)
    # 11-05: the window ends within 3 working days: 临期, on the list and in 待办.
    with at(d(11, 5)):
        assert badge(LEDGER, fresh(case), d(11, 5)) == "临期"
        assert todo_numbers(d(11, 5))["临期"] == [case.number]
        assert badge_of(clock_states(case, d(11, 5))["supplement"], d(11, 5)) == "临期"
    # 11-10: past the window. It lapsed; nothing is overdue, and the duty clock is not near.
    with at(d(11, 10)):
        window = clock_states(case, d(11, 10))["supplement"]
        assert window.due == d(11, 9) and not window.live
        assert badge_of(window, d(11, 10)) == ""
        assert badge(LEDGER, fresh(case), d(11, 10)) == ""
        assert overdue_numbers(d(11, 10)) == []
        assert todo_numbers(d(11, 10)) == {"逾期": [], "临期": [], "待审批延期": []}
        assert "期限届满后不再接受补充材料" in window.deadline.steps
    # 11-17: the duty clock is overdue; the window still is not what makes it so.
    with at(d(11, 17)):
        assert badge(LEDGER, fresh(case), d(11, 17)) == "逾期"
        assert fresh(case).due_kind == "handle"


def test_a_capped_pause_ends_at_its_limit_and_the_clock_runs_again(cast: Any) -> None:
    with at(d(11, 4)):
        case = new_case(cast)
        step(case, "ask", cast.a_clerk, d(11, 4))
        # Entered within the 5 工作日 (to 11-11): the pause is counted to its limit at most, so
        # the cache is already the date it will be if no answer comes: 11-23.
        assert clock_fields(case)[0] == d(11, 23)
        explained = clock_states(case, d(11, 4))["handle"].deadline.steps
        assert (
            "征询意见（至5个工作日期限届满之日止） 2026年11月4日至2026年11月11日，"
            "其间5个工作日不计入期限"
        ) in explained
    # No answer recorded, nothing recomputed: on 11-25 it is overdue, still waiting.
    with at(TODAY):
        assert fresh(case).status == S.WAITING
        assert overdue_numbers(TODAY) == [case.number]
        assert todo_numbers(TODAY)["逾期"] == [case.number]
        assert badge(LEDGER, fresh(case), TODAY) == "逾期"
        on_time = new_case(cast, TODAY)
        client = Client()
        client.force_login(cast.a_clerk)
        listed = client.get(reverse("web:list", args=["toy"]), {"due": "overdue"}).content.decode()
        assert case.number in listed and on_time.number not in listed
        handle = clock_states(case, TODAY)["handle"]
        assert handle.live and handle.due == d(11, 23) and not handle.deadline.paused
        assert any("期限届满，此后恢复计算" in s for s in handle.deadline.steps)
        # A late answer does not buy time: the pause ended at its limit.
        step(case, "answer", cast.a_clerk, d(11, 24))
        assert clock_fields(case)[0] == d(11, 23)


def test_an_answer_within_the_limit_ends_the_pause_then(cast: Any) -> None:
    with at(d(11, 6)):
        case = new_case(cast)
        step(case, "ask", cast.a_clerk, d(11, 4))
        step(case, "answer", cast.a_clerk, d(11, 6))
    assert clock_fields(case)[0] == d(11, 18)  # two working days (11-05, 11-06) not counted


def test_a_pause_without_a_limit_freezes_the_clock(cast: Any) -> None:
    with at(d(11, 4)):
        case = new_case(cast)
        step(case, "suspend", cast.a_clerk, d(11, 4))
    assert fresh(case).due_on is None and fresh(case).due_kind == ""
    with at(TODAY):  # weeks later, still suspended: frozen, never overdue
        assert overdue_numbers(TODAY) == []
        assert todo_numbers(TODAY)["逾期"] == []
        assert badge(LEDGER, fresh(case), TODAY) == ""
        handle = clock_states(case, TODAY)["handle"]
        assert not handle.live and handle.deadline.paused
        assert any("目前计时暂停中" in s for s in handle.deadline.steps)
    with at(d(11, 20)):
        step(fresh(case), "resume", cast.a_clerk, d(11, 20))
    # 12 working days (11-05 … 11-20) were not counted: 10 工作日 end on 12-02.
    assert clock_fields(case)[0] == d(12, 2)
    assert fresh(case).due_on == d(12, 2)


def test_the_caches_follow_a_calendar_change(cast: Any) -> None:
    with at(RECEIVED):
        case = new_case(cast)
    with at(d(11, 5)):
        set_day(date=d(11, 12), kind="holiday", name="测试假日", by=None)
        after_calendar_change()
    assert clock_fields(case)[0] == d(11, 17)  # 11-12 no longer counts
    with at(d(11, 5)):
        set_day(date=d(11, 12), kind=None, name="", by=None)
        after_calendar_change()
    assert clock_fields(case)[0] == d(11, 16)


def test_a_deadline_in_an_unloaded_year_is_provisional_until_it_is_loaded(cast: Any) -> None:
    with at(d(12, 28)):
        case = new_case(cast, d(12, 24))
    # 2027 is not loaded: 1月1日 counts as a Friday working day, provisionally.
    assert clock_fields(case)[0] == d(1, 7, 2027)
    assert fresh(case).due_provisional
    assert list(Case.objects.filter(due_provisional=True)) == [case]
    with at(d(12, 28)):
        replace_year(year=2027, days=[(d(1, 1, 2027), "holiday", "元旦")], source="测试", by=None)
        after_calendar_change()
    assert clock_fields(case)[0] == d(1, 8, 2027)
    assert not fresh(case).due_provisional


def test_recompute_all_reports_progress_and_counts_what_moved(cast: Any) -> None:
    with at(d(11, 10)):
        cases = [new_case(cast) for _ in range(4)]
        closed = new_case(cast)
        step(closed, "submit", cast.a_clerk, d(11, 3))
        step(closed, "review", cast.a_reviewer, d(11, 4))
    Case.objects.update(handle_due_on=None, due_on=None, due_kind="")  # a stale cache
    reported: list[int] = []
    with at(d(11, 10)):
        # (main's recompute_all reports progress(done); this branch's progress(done, total))
        moved = recompute_all(LEDGER, progress=lambda done, *_: reported.append(done), chunk=3)
    assert moved == 4  # the open ones; a closed record keeps its cache
    assert reported == [3, 4]  # after each chunk of 3
    assert {clock_fields(c)[0] for c in cases} == {d(11, 16)}
    assert fresh(closed).handle_due_on is None


def test_recompute_is_a_no_op_on_a_fresh_cache(cast: Any) -> None:
    with at(RECEIVED):
        case = new_case(cast)
        assert recompute(LEDGER, fresh(case)) is False


@pytest.mark.parametrize("voided", [False, True])
def test_a_voided_record_has_no_live_clock(cast: Any, voided: bool) -> None:
    with at(RECEIVED):
        case = new_case(cast)
        if voided:
            corrections.void(LEDGER, case, by=cast.a_leader, reason="重复")
    with at(TODAY):
        live = {code: st.live for code, st in clock_states(case, TODAY).items()}
        assert live["handle"] is not voided
        assert badge(LEDGER, fresh(case), TODAY) == ("" if voided else "逾期")
