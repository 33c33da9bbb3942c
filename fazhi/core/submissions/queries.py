"""Read side: the supervisor's inbox (every unit below, sent or not), a unit's own page, and
the submission rows on 待办. All through the tenant door."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fazhi.core.submissions.deadlines import Clock, supervisor_clock, unit_clock
from fazhi.core.submissions.models import NOT_SUBMITTED, Kind, Submission
from fazhi.core.tenancy.access import access_for, visible_units
from fazhi.core.tenancy.models import OrgUnit, UnitKind
from fazhi.core.tenancy.roles import Permission

KINDS = list(Kind.choices)
# 社区/村 publish neither report; every other unit below a supervisor is expected to send both.
REPORTING_KINDS = (UnitKind.DISTRICT, UnitKind.STREET, UnitKind.DEPARTMENT)


@dataclass(frozen=True)
class Row:
    unit: OrgUnit
    kind: str
    year: int
    submission: Submission | None
    clock: Clock | None

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label

    @property
    def state(self) -> str:
        return self.submission.get_status_display() if self.submission else NOT_SUBMITTED

    @property
    def status(self) -> str:
        return self.submission.status if self.submission else ""


def reviewed_units(user: Any) -> list[OrgUnit]:
    """The units whose reports `user` reviews: those whose parent they hold 审阅 at."""
    access = access_for(user)
    above = [uid for uid, perms in access.grants.items() if Permission.REVIEW_REPORTS in perms]
    if not above:
        return []
    return list(
        visible_units(user)
        .filter(parent_id__in=above, active=True, kind__in=REPORTING_KINDS)
        .order_by("path")
    )


def reviews_anything(user: Any) -> bool:
    return bool(reviewed_units(user))


def _submissions(user: Any, kind: str, year: int, units: Iterable[OrgUnit]) -> dict[int, Any]:
    qs = Submission.objects.visible_to(user).filter(
        kind=kind, year=year, unit_id__in=[u.pk for u in units]
    )
    return {s.unit_id: s for s in qs}


def inbox(
    user: Any, kind: str, year: int, today: dt.date, *, state: str = "", due: str = "", q: str = ""
) -> list[Row]:
    units = reviewed_units(user)
    if q:
        units = [u for u in units if q in u.name or q == u.code]
    sent = _submissions(user, kind, year, units)
    rows = []
    for unit in units:
        sub = sent.get(unit.pk)
        status = sub.status if sub else ""
        clock = supervisor_clock(kind, unit.kind, year, status, today)
        row = Row(unit, kind, year, sub, clock)
        if state and (state != "none" or sub) and state != status:
            continue
        if due and (clock is None or clock.state != {"overdue": "逾期", "due_soon": "临期"}[due]):
            continue
        rows.append(row)
    return rows


def own_rows(user: Any, year: int, today: dt.date) -> list[Row]:
    """The units where `user` writes reports (编辑报告), each kind, for `year`."""
    units = [
        u
        for u in visible_units(user).filter(active=True).order_by("path")
        if access_for(user).can(u.pk, Permission.EDIT_REPORT)
    ]
    rows = []
    for kind, _ in KINDS:
        sent = _submissions(user, kind, year, units)
        for unit in units:
            sub = sent.get(unit.pk)
            clock = unit_clock(kind, unit.kind, year, sub.status if sub else "", today)
            rows.append(Row(unit, kind, year, sub, clock))
    return rows


@dataclass(frozen=True)
class TodoItem:
    label: str  # 待报送 / 待修改重报 / 待审阅 / 待公开 / 逾期未报送
    row: Row
    side: str  # "unit" (the unit sends) or "supervisor" (the unit above reviews)


def todo(user: Any, today: dt.date) -> list[TodoItem]:
    """The submission clocks on 待办 for both sides: last year's reports, which are due this
    year, and a report of this year sent early and now returned, waiting or accepted (the
    work it asks for does not wait for next year)."""
    due_year = today.year - 1
    items = []
    for year in (due_year, today.year):
        for row in own_rows(user, year, today):
            if row.status == "returned":
                items.append(TodoItem("待修改重报", row, "unit"))
            elif year == due_year and row.submission is None and row.clock and row.clock.state:
                items.append(TodoItem("待报送", row, "unit"))
        for kind, _ in KINDS:
            for row in inbox(user, kind, year, today):
                if row.status == "submitted":
                    items.append(TodoItem("待审阅", row, "supervisor"))
                elif row.status == "accepted":
                    items.append(TodoItem("待公开", row, "supervisor"))
                elif (
                    year == due_year
                    and row.submission is None
                    and row.clock
                    and row.clock.state == "逾期"
                ):
                    items.append(TodoItem("逾期未报送", row, "supervisor"))
    return items


def published() -> Any:
    """What the public page lists: published reports only (no login, no door: they are public
    by law). Named for what it is rather than `unscoped_`, since nothing here is private."""
    return (
        Submission.objects.filter(status="published", published_on__isnull=False)
        .select_related("unit")
        .order_by("-year", "unit__path", "kind")
    )
