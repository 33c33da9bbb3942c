"""Read-side helpers over any ledger. Callers pass a queryset that went through the tenant door.

Overdue and due-soon are the clocks' own definitions as filters (clocks.overdue_q/due_soon_q),
so a list, the 待办 page and the supervisor's comparison count the same records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from fazhi.core.records.clocks import due_soon_q, overdue_q
from fazhi.core.records.ledger import Ledger
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.tenancy.roles import Permission
from fazhi.core.workflow import Approval


def open_items(ledger: Ledger, qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs.exclude(status__in=ledger.closed)


def overdue(ledger: Ledger, qs: QuerySet[Any], today: dt.date) -> QuerySet[Any]:
    return open_items(ledger, qs).filter(overdue_q(ledger, today))


def due_soon(ledger: Ledger, qs: QuerySet[Any], today: dt.date) -> QuerySet[Any]:
    return open_items(ledger, qs).filter(due_soon_q(ledger, today))


def pending(ledger: Ledger, approval: Approval, qs: QuerySet[Any]) -> QuerySet[Any]:
    """Open records whose latest step of the approval is its request (no decision yet)."""
    kinds = [approval.request, *approval.decisions]
    last_step = (
        ledger.event_model.objects.filter(
            record=OuterRef("pk"), kind__in=kinds, undone_at__isnull=True
        )
        .order_by("-on", "-id")
        .values("kind")[:1]
    )
    return (
        open_items(ledger, qs)
        .annotate(last_approval_step=Subquery(last_step))
        .filter(last_approval_step=approval.request)
    )


def todo(
    ledger: Ledger,
    qs: QuerySet[Any],
    today: dt.date,
    acting: Callable[[Permission], Sequence[int]] | None = None,
) -> dict[str, QuerySet[Any]]:
    """The 待办 groups; `acting(permission)` gives the ids of the units where the user holds
    that permission (a record waiting for a unit is that unit's to-do, not its readers')."""
    groups = {"逾期": overdue(ledger, qs, today), "临期": due_soon(ledger, qs, today)}
    for approval in ledger.approvals:
        groups[approval.label] = pending(ledger, approval, qs)
    if acting is not None:
        for waiting in ledger.waiting:
            groups[waiting.label] = qs.filter(
                status=waiting.status, unit_id__in=list(acting(waiting.permission))
            )
    return groups


@dataclass(frozen=True)
class UnitSummary:
    """One row of the supervisor's comparison of units."""

    unit: OrgUnit
    open: int
    overdue: int
    due_soon: int
    closed_this_year: int
    figures: dict[str, Any] = field(default_factory=dict)  # indicator code -> Figure


def unit_summary(ledger: Ledger, qs: QuerySet[Any], today: dt.date) -> list[UnitSummary]:
    """Per unit: open, overdue, due soon and closed this year, from one GROUP BY."""
    closed = Q(status__in=ledger.closed)
    if ledger.closed_on:
        closed &= Q(**{f"{ledger.closed_on}__year": today.year})
    rows = (
        qs.order_by()
        .values("unit")
        .annotate(
            open=Count("id", filter=~Q(status__in=ledger.closed)),
            overdue=Count("id", filter=~Q(status__in=ledger.closed) & overdue_q(ledger, today)),
            due_soon=Count("id", filter=~Q(status__in=ledger.closed) & due_soon_q(ledger, today)),
            closed=Count("id", filter=closed),
        )
    )
    units = OrgUnit.objects.in_bulk([r["unit"] for r in rows])
    summaries = [
        UnitSummary(units[r["unit"]], r["open"], r["overdue"], r["due_soon"], r["closed"])
        for r in rows
    ]
    return sorted(summaries, key=lambda s: (-s.overdue, s.unit.path))
