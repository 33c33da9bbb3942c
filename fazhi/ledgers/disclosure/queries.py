"""Read-side helpers. Callers pass a queryset that already went through the tenant door."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery

from fazhi.core.calendar.service import get_calendar
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.web.registry import UnitSummary
from fazhi.ledgers.disclosure.models import Application, ApplicationEvent, EventKind, Status


def open_items(qs: QuerySet[Application]) -> QuerySet[Application]:
    return qs.exclude(status=Status.CLOSED)


def overdue(qs: QuerySet[Application], on: dt.date) -> QuerySet[Application]:
    """Open applications whose current deadline has passed (a running consultation is paused)."""
    return open_items(qs).exclude(status=Status.CONSULTING).filter(due_on__lt=on)


def due_soon(qs: QuerySet[Application], on: dt.date) -> QuerySet[Application]:
    """Open applications with at most FAZHI_DUE_SOON_WORKDAYS working days left (临期)."""
    limit = get_calendar().add_workdays(on, settings.FAZHI_DUE_SOON_WORKDAYS)
    return (
        open_items(qs).exclude(status=Status.CONSULTING).filter(due_on__gte=on, due_on__lte=limit)
    )


def extension_requested(qs: QuerySet[Application]) -> QuerySet[Application]:
    """Open applications whose handler asked for an extension that no leader has decided on."""
    last_step = (
        ApplicationEvent.objects.filter(
            application=OuterRef("pk"),
            kind__in=[
                EventKind.EXTENSION_REQUESTED,
                EventKind.EXTENSION_REFUSED,
                EventKind.EXTENDED,
            ],
        )
        .order_by("-on", "-id")
        .values("kind")[:1]
    )
    return (
        open_items(qs)
        .annotate(last_extension_step=Subquery(last_step))
        .filter(last_extension_step=EventKind.EXTENSION_REQUESTED)
    )


def badge(app: Application, on: dt.date) -> str:
    """逾期, 临期 or "" for an application's current deadline."""
    if app.status in (Status.CLOSED, Status.CONSULTING) or app.due_on is None:
        return ""
    if app.due_on < on:
        return "逾期"
    if get_calendar().workdays_between(on, app.due_on) <= settings.FAZHI_DUE_SOON_WORKDAYS:
        return "临期"
    return ""


def unit_summary(qs: QuerySet[Application], on: dt.date) -> list[UnitSummary]:
    """Per unit: open, overdue, due soon, closed this year and the share answered in time."""
    limit = get_calendar().add_workdays(on, settings.FAZHI_DUE_SOON_WORKDAYS)
    running = ~Q(status=Status.CLOSED) & ~Q(status=Status.CONSULTING)
    this_year = Q(status=Status.CLOSED, replied_on__year=on.year)
    rows = (
        qs.order_by()
        .values("unit")
        .annotate(
            open=Count("id", filter=~Q(status=Status.CLOSED)),
            overdue=Count("id", filter=running & Q(due_on__lt=on)),
            due_soon=Count("id", filter=running & Q(due_on__gte=on, due_on__lte=limit)),
            closed=Count("id", filter=this_year),
            in_time=Count("id", filter=this_year & Q(replied_on__lte=F("reply_due_on"))),
        )
    )
    units = OrgUnit.objects.in_bulk([r["unit"] for r in rows])
    summaries = [
        UnitSummary(
            unit=units[r["unit"]],
            open=r["open"],
            overdue=r["overdue"],
            due_soon=r["due_soon"],
            closed_this_year=r["closed"],
            on_time_rate=round(100 * r["in_time"] / r["closed"], 1) if r["closed"] else None,
        )
        for r in rows
    ]
    return sorted(summaries, key=lambda s: (-s.overdue, s.unit.path))
