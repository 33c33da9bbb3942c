"""The cached calendar follows changes made by other processes (or the command line)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from fazhi.core.audit.models import AuditEvent
from fazhi.core.calendar import service
from fazhi.core.calendar.models import CalendarDay, CalendarRevision, CalendarYear
from fazhi.core.deadlines import recompute
from fazhi.core.deadlines.recompute import register_recomputer
from fazhi.core.tasks.actions import start_task
from fazhi.core.tasks.runner import run_queued

pytestmark = pytest.mark.django_db


def test_a_change_made_elsewhere_reaches_a_cached_calendar(monkeypatch: Any) -> None:
    monkeypatch.setattr(service, "REVISION_CHECK_SECONDS", 3600.0)
    d = dt.date(2027, 10, 1)
    before = service.get_calendar()
    assert before.is_workday(d) and not before.is_known(d)
    # Another process loads 2027: rows and a revision appear, this process's cache is untouched.
    CalendarDay.objects.create(date=d, kind="holiday", name="国庆节")
    CalendarYear.objects.create(year=2027, source="另一进程")
    CalendarRevision.objects.create(note="elsewhere")
    assert service.get_calendar() is before  # still within the check interval
    monkeypatch.setattr(service, "REVISION_CHECK_SECONDS", 0.0)
    after = service.get_calendar()
    assert not after.is_workday(d) and after.is_known(d)


def test_an_unchanged_calendar_is_not_rebuilt(monkeypatch: Any) -> None:
    monkeypatch.setattr(service, "REVISION_CHECK_SECONDS", 0.0)
    assert service.get_calendar() is service.get_calendar()


def test_actions_record_a_revision() -> None:
    start = CalendarRevision.objects.count()
    service.set_day(date=dt.date(2027, 1, 1), kind="holiday", name="元旦", by=None)
    service.replace_year(
        year=2027, days=[(dt.date(2027, 1, 1), "holiday", "元旦")], source="测试", by=None
    )
    assert CalendarRevision.objects.count() == start + 2


def test_a_change_committed_after_a_later_one_is_still_seen(monkeypatch: Any) -> None:
    """Two overlapping changes: the later id commits first, the earlier id after it."""
    monkeypatch.setattr(service, "REVISION_CHECK_SECONDS", 0.0)
    CalendarRevision.objects.create(pk=100, note="B, committed first")
    before = service.get_calendar()
    CalendarDay.objects.create(date=dt.date(2027, 5, 3), kind="holiday", name="劳动节")
    CalendarRevision.objects.create(pk=99, note="A, committed second")  # Max(id) is still 100
    assert not service.get_calendar().is_workday(dt.date(2027, 5, 3))
    assert before.is_workday(dt.date(2027, 5, 3))


def test_a_change_schedules_the_recompute_instead_of_running_it() -> None:
    by_day = service.set_day(date=dt.date(2027, 1, 1), kind="holiday", name="元旦", by=None)
    by_year = service.replace_year(
        year=2027, days=[(dt.date(2027, 1, 1), "holiday", "元旦")], source="测试", by=None
    )
    for run in (by_day, by_year):
        assert (run.kind, run.status, run.title) == (
            service.RECOMPUTE,
            "queued",
            "重新计算在办事项的期限",
        )
    assert service.last_recompute() == by_year
    assert AuditEvent.objects.filter(code="tasks.recompute_deadlines.started").count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_recompute_task_reads_the_committed_calendar_not_its_cache(monkeypatch: Any) -> None:
    """The worker is a long-lived process with its own cached calendar; the task that exists
    because the calendar changed must not trust that cache."""
    monkeypatch.setattr(service, "REVISION_CHECK_SECONDS", 3600.0)
    d = dt.date(2027, 10, 1)
    seen: list[bool] = []

    def probe(*, progress: Any = None) -> int:
        seen.append(service.get_calendar().is_workday(d))
        if progress:
            progress(1, 1)
        return 0

    register_recomputer(probe)
    try:
        assert service.get_calendar().is_workday(d)  # the worker's cache, warm
        # Another process changes the calendar and schedules the recompute.
        CalendarDay.objects.create(date=d, kind="holiday", name="国庆节")
        CalendarRevision.objects.create(note="elsewhere")
        run = start_task(service.RECOMPUTE, by=None)
        run_queued()
    finally:
        recompute._recomputers.remove(probe)
    assert seen == [False]
    run.refresh_from_db()
    assert (run.status, run.result) == ("done", {"moved": 0, "checked": 1})
    assert run.message == "已完成：共检查 1 件事项，0 件事项的期限已重新计算"
