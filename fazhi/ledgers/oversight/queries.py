"""Read-side helpers of the 第一责任人 ledger."""

from __future__ import annotations

from django.db.models import QuerySet

from fazhi.ledgers.oversight.models import DutyKind, LeaderDuty


def same_case(duty: LeaderDuty) -> QuerySet[LeaderDuty]:
    """The unit's other 出庭应诉 of the same year under the same 案号 (voided ones left out).
    The caller has passed the door to `duty`; these are records of the same unit."""
    if duty.kind != DutyKind.COURT or not duty.case_number:
        return LeaderDuty.objects.none()
    return (
        LeaderDuty.objects.filter(
            unit_id=duty.unit_id,
            kind=DutyKind.COURT,
            case_number=duty.case_number,
            held_on__year=duty.held_on.year,
        )
        .exclude(pk=duty.pk)
        .order_by("held_on", "pk")
    )
