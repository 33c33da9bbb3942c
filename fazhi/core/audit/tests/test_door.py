"""The door to the audit trail: events of the units where the reader holds AUDIT; the events of
no unit only for those holding it at a top unit (and superusers)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from fazhi.core.audit.models import AuditEvent, record_event
from fazhi.core.tenancy.actions import add_user

pytestmark = pytest.mark.django_db

UNITS = ["D1", "A1", "B1", "", "ZZ"]  # ZZ: a unit code no unit has (never a door's answer)
EVERY_UNIT = {"D1", "A1", "B1", ""}

# reader -> the unit codes whose events they see
SEES: list[tuple[str, set[str]]] = [
    ("admin", EVERY_UNIT),
    ("supervisor", EVERY_UNIT),
    ("a_leader", {"A1"}),
    ("b_leader", {"B1"}),
    ("a_clerk", set()),
    ("a_reviewer", set()),
    ("b_clerk", set()),
    ("root", {*EVERY_UNIT, "ZZ"}),
    ("anonymous", set()),
    ("retired_leader", set()),
]


@pytest.fixture
def readers(cast: Any) -> dict[str, Any]:
    for code in UNITS:
        record_event("test.event.written", by=None, unit_code=code, object_type="x", object_id=code)
    b_leader = add_user(
        username="b_leader",
        unit=cast.street_b,
        role="leader",
        password="x",
        by=None,
        check_password=False,
    )
    retired = add_user(
        username="retired",
        unit=cast.street_a,
        role="leader",
        password="x",
        by=None,
        check_password=False,
    )
    retired.is_active = False
    retired.save()
    root = get_user_model().objects.create_superuser("root", password="x")
    return {
        "admin": cast.admin,
        "supervisor": cast.supervisor,
        "a_leader": cast.a_leader,
        "b_leader": b_leader,
        "a_clerk": cast.a_clerk,
        "a_reviewer": cast.a_reviewer,
        "b_clerk": cast.b_clerk,
        "root": root,
        "anonymous": AnonymousUser(),
        "retired_leader": retired,
    }


@pytest.mark.parametrize(("reader", "units"), SEES)
def test_each_reader_sees_the_events_of_their_units(
    readers: dict[str, Any], reader: str, units: set[str]
) -> None:
    seen = AuditEvent.objects.visible_to(readers[reader]).filter(code="test.event.written")
    assert set(seen.values_list("unit_code", flat=True)) == units


def test_a_deactivated_unit_keeps_its_history_readable(cast: Any) -> None:
    record_event("test.event.written", by=None, unit_code="A1")
    cast.street_a.active = False
    cast.street_a.save()
    assert AuditEvent.objects.visible_to(cast.a_leader).filter(code="test.event.written").exists()
