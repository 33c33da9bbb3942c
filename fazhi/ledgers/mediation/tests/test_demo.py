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


def test_the_district_demo_has_a_committee_that_takes_over_handed_up_cases(
    cast: Any, now: Any
) -> None:
    from fazhi.core.tenancy.actions import add_user
    from fazhi.ledgers.mediation import actions

    assert LEDGER.demo is not None and LEDGER.demo_district
    LEDGER.demo(cast.street_a, {"clerk": cast.a_clerk, "leader": cast.a_leader}, 1, TODAY)
    handed = Case.objects.filter(status="handed_up")
    assert handed.exists(), "the demo hands a few cases up"
    clerk = add_user(
        username="qu_clerk", unit=cast.district, role="clerk", password="x", by=None,
        check_password=False,
    )  # fmt: skip
    assert LEDGER.demo(cast.district, {"clerk": clerk}, 4, TODAY) == 1
    committee = Committee.objects.get(unit=cast.district)
    assert committee.status == "active" and committee.kind == "center"
    assert 3 <= committee.mediators.filter(role__in=["chair", "vice_chair", "member"]).count() <= 9
    assert committee.term_due_on is not None and committee.term_due_on > TODAY
    case = handed.first()
    assert case is not None
    taken = actions.take_over(case, by=clerk, on=TODAY, committee=committee)
    assert (taken.status, taken.committee) == ("mediating", committee)
