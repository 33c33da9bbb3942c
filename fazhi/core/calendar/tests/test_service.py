"""The cached calendar follows changes made by other processes (or the command line)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from fazhi.core.calendar import service
from fazhi.core.calendar.models import CalendarDay, CalendarRevision, CalendarYear

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
