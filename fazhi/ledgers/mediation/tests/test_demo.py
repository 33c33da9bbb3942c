"""The demo hook makes a year of realistic records through the actions."""

from __future__ import annotations

from typing import Any

from fazhi.ledgers.mediation.ledger import LEDGER
from fazhi.ledgers.mediation.models import Case, Committee, Screening
from fazhi.ledgers.mediation.tests.world import TODAY


def test_demo_makes_committee_screenings_and_cases_in_every_state(cast: Any, now: Any) -> None:
    assert LEDGER.demo is not None
    users = {"clerk": cast.a_clerk, "leader": cast.a_leader}
    created = LEDGER.demo(cast.street_a, users, 1, TODAY)
    assert created == Case.objects.count() + Screening.objects.count()
    assert Committee.objects.filter(unit=cast.street_a).count() == 1
    statuses = set(Case.objects.values_list("status", flat=True))
    assert {"mediating", "agreed", "failed"} <= statuses
    assert Case.objects.filter(confirmation_applied_on__isnull=False).exists()
