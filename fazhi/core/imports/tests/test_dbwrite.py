"""insert_many writes the same rows as bulk_create, on both engines, and sets primary keys."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from fazhi.core.audit.models import AuditEvent
from fazhi.core.imports.dbwrite import insert_many

pytestmark = pytest.mark.django_db


def test_rows_are_inserted_with_their_keys_and_defaults() -> None:
    events = [
        AuditEvent(code=f"test.{i}", actor="系统", data={"n": i, "名称": "中文"}) for i in range(3)
    ]
    insert_many(AuditEvent, events)
    assert all(e.pk for e in events)
    stored = {e.pk: e for e in AuditEvent.objects.filter(code__startswith="test.")}
    assert sorted(stored) == sorted(e.pk for e in events)
    for e in events:
        assert stored[e.pk].code == e.code
        assert stored[e.pk].data == {"n": int(e.code[-1]), "名称": "中文"}
        assert stored[e.pk].at is not None  # auto_now_add filled


def test_nothing_to_insert_is_fine() -> None:
    insert_many(AuditEvent, [])
    assert not AuditEvent.objects.exists()


def test_a_refused_row_writes_nothing(db: object) -> None:
    from fazhi.core.tenancy.models import OrgUnit

    units = [
        OrgUnit(code="X1", name="甲", kind="street"),
        OrgUnit(code="X1", name="乙", kind="street"),
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_many(OrgUnit, units)
    assert not OrgUnit.objects.filter(code="X1").exists()
