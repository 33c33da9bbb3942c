"""Reading the calendar from the database, and the actions that change it. A change schedules
the recompute of open deadlines as a background task (`fazhi.core.calendar.tasks`)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import Count, Max

from fazhi.core.audit.models import record_event
from fazhi.core.calendar.models import CalendarDay, CalendarRevision, CalendarYear
from fazhi.core.calendar.workcalendar import WorkCalendar
from fazhi.core.tasks.actions import start_task
from fazhi.core.tasks.models import TaskRun
from fazhi.textclean import TextTooLong, clean_text, strip_controls

# How long a process trusts its cached calendar before asking whether it changed.
REVISION_CHECK_SECONDS = 2.0
# The background kind that recomputes open deadlines after a change.
RECOMPUTE = "recompute_deadlines"
_cache: dict[str, Any] = {}


def _revision() -> tuple[int, int]:
    # Ids are drawn in insert order but committed in any order: a change committed after a later
    # one leaves Max(id) unchanged, so the count is compared too.
    found = CalendarRevision.objects.aggregate(latest=Max("id"), count=Count("id"))
    return found["latest"] or 0, found["count"]


def get_calendar() -> WorkCalendar:
    """The current calendar. Cached per process and rebuilt when any process changed it
    (checked at most every REVISION_CHECK_SECONDS); changes go through `replace_year`/`set_day`."""
    cal: WorkCalendar | None = _cache.get("calendar")
    now = time.monotonic()
    if cal is not None and now - _cache["checked"] < REVISION_CHECK_SECONDS:
        return cal
    revision = _revision()
    if cal is None or revision != _cache["revision"]:
        days = CalendarDay.objects.values_list("date", "kind", "name")
        years = CalendarYear.objects.values_list("year", flat=True)
        cal = WorkCalendar.build(days, years)
    _cache.update(calendar=cal, revision=revision, checked=now)
    return cal


def clear_cache() -> None:
    _cache.clear()


def _changed(note: str) -> None:
    CalendarRevision.objects.create(note=note[:200])
    clear_cache()
    transaction.on_commit(clear_cache)


NAME_MAX = CalendarDay._meta.get_field("name").max_length or 64
SOURCE_MAX = CalendarYear._meta.get_field("source").max_length or 200


def _name(name: str) -> str:
    """A day's name passes the input-cleaning layer; too long is refused, as on every database."""
    try:
        return clean_text(name, max_length=NAME_MAX, multiline=False, label="节假日名称")
    except TextTooLong as exc:
        raise ValueError(str(exc)) from exc


def replace_year(
    *,
    year: int,
    days: Iterable[tuple[dt.date, str, str]],
    source: str,
    by: AbstractBaseUser | AnonymousUser | None,
) -> TaskRun:
    """Replace a whole year's holidays and make-up days, mark the year loaded, and schedule the
    recompute of every open record's due dates. Returns the recompute's run.

    A notice's 元旦 break may begin in the previous December ("12月31日至1月2日"); such days
    are added to that year without replacing the rest of it."""
    rows = [CalendarDay(date=d, kind=kind, name=_name(name)) for d, kind, name in days]
    # Where the days came from (a file name may be long): informative, so shortened, not refused.
    source = strip_controls(source, multiline=False).strip()[:SOURCE_MAX]
    outside = [
        r.date
        for r in rows
        if r.date.year != year and not (r.date.year == year - 1 and r.date.month == 12)
    ]
    if outside:
        raise ValueError(f"日期 {outside[0].isoformat()} 不属于 {year} 年")
    with transaction.atomic():
        CalendarDay.objects.filter(date__year=year).delete()
        CalendarDay.objects.bulk_create([r for r in rows if r.date.year == year])
        for r in rows:
            if r.date.year != year:
                CalendarDay.objects.update_or_create(
                    date=r.date, defaults={"kind": r.kind, "name": r.name}
                )
        CalendarYear.objects.update_or_create(year=year, defaults={"source": source})
        record_event(
            "calendar.year.loaded",
            by=by,
            object_type="calendar_year",
            object_id=str(year),
            data={"source": source, "days": len(rows)},
        )
        _changed(f"{year}: {source}")
        return start_task(RECOMPUTE, by=by)


def set_day(
    *, date: dt.date, kind: str | None, name: str, by: AbstractBaseUser | AnonymousUser | None
) -> TaskRun:
    """Add, change or (kind=None) remove one day; the admin page's single-day edit. Returns the
    run of the recompute it schedules."""
    name = _name(name)
    with transaction.atomic():
        if kind is None:
            CalendarDay.objects.filter(date=date).delete()
        else:
            CalendarDay.objects.update_or_create(date=date, defaults={"kind": kind, "name": name})
        record_event(
            "calendar.day.changed",
            by=by,
            object_type="calendar_day",
            object_id=date.isoformat(),
            data={"kind": kind, "name": name},
        )
        _changed(f"{date.isoformat()}: {kind or 'removed'}")
        return start_task(RECOMPUTE, by=by)


def year_days(year: int) -> list[CalendarDay]:
    return list(CalendarDay.objects.filter(date__year=year))


def loaded_year(year: int) -> CalendarYear | None:
    return CalendarYear.objects.filter(year=year).first()


def loaded_years(limit: int = 30) -> list[CalendarYear]:
    return list(CalendarYear.objects.order_by("-year")[:limit])


def last_recompute() -> TaskRun | None:
    return TaskRun.objects.filter(kind=RECOMPUTE).order_by("-created_at", "-id").first()
