"""信息处理费 按件: which of the applicant's applications this month the one charged is.

109号 Art. 4 counts "同一申请人一个自然月内累计申请" — every application the same applicant made to
this office in the calendar month of receipt (the free first ten included), up to this one.
The count is read from the ledger, not typed; the clerk may correct it only with a reason.

Who is "the same applicant": two applications match when both carry an ID number and the
numbers are equal, or, when either has none, the name and the contact details are both the
same. (A name alone is too weak — 王某 — and an ID typed on one application but not on another
must not split one person in two.)
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from fazhi.ledgers.disclosure.models import Application, EventKind


@dataclass(frozen=True)
class MonthCount:
    ordinal: int  # this application's place among the applicant's applications of the month
    records: list[Application]  # those counted, oldest first, this one last
    matched_by: str  # how the applicant was matched, in Chinese

    @property
    def numbers(self) -> list[str]:
        return [a.number for a in self.records]


def same_applicant_q(app: Application) -> Q:
    by_name = Q(applicant_name=app.applicant_name.strip(), contact=app.contact.strip())
    if app.id_number:
        return Q(id_number=app.id_number) | (Q(id_number="") & by_name)
    return by_name


def matched_by(app: Application) -> str:
    if app.id_number:
        return "身份证件号码相同（未填证件号码的，按姓名或名称及联系方式相同）"
    return "姓名或名称及联系方式相同"


def month_applications(app: Application) -> QuerySet[Application]:
    """The applicant's applications to the same unit received in the same calendar month, up to
    and including `app` (voided ones are no applications). The caller has passed the door to
    `app`; these are records of the same unit."""
    first = app.received_on.replace(day=1)
    return (
        Application.objects.filter(unit_id=app.unit_id, received_on__gte=first)
        .filter(same_applicant_q(app))
        .filter(Q(received_on__lt=app.received_on) | Q(received_on=app.received_on, pk__lte=app.pk))
        .order_by("received_on", "pk")
    )


def month_count(app: Application) -> MonthCount:
    records = list(month_applications(app))
    return MonthCount(len(records), records, matched_by(app))


def due_amount(events: list[Any]) -> Decimal:
    """What the applicant owes: the notice's amount, or the reduced one a leader approved (an
    application has one live notice, so any live reduction is of it)."""
    notice = next((e for e in reversed(events) if e.kind == EventKind.FEE_NOTICE), None)
    if notice is None:
        return Decimal(0)
    reduced = next((e for e in reversed(events) if e.kind == EventKind.FEE_REDUCED), None)
    return Decimal(str((reduced or notice).data.get("amount") or 0))
