"""insert_many writes the same rows as bulk_create, on both engines, and sets primary keys;
indexes_rebuilt builds a table's indexes once after many new rows (PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction

from fazhi.core.audit.models import AuditEvent
from fazhi.core.imports.dbwrite import indexes_rebuilt, insert_many

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


def _indexes(table: str) -> list[tuple[str, str]]:
    """The table's indexes and constraints with their definitions (PostgreSQL), or SQLite's
    indexes."""
    from django.db import connection

    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
                "UNION ALL SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass ORDER BY 1, 2",
                [table, table],
            )
        else:
            cur.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "ORDER BY 1, 2",
                [table],
            )
        return list(cur.fetchall())


def _events(n: int, prefix: str) -> list[AuditEvent]:
    return [AuditEvent(code=f"{prefix}.{i}", actor="系统", data={}) for i in range(n)]


# (stored rows, incoming rows, FAZHI_IMPORT_REBUILD_MIN_ROWS, FAZHI_IMPORT_REBUILD_PERCENT,
#  rebuilt on PostgreSQL)
REBUILD_CASES = [
    (0, 5, 5, 100, True),  # an empty table, enough rows
    (0, 4, 5, 100, False),  # too few rows to pay
    (5, 5, 5, 100, True),  # as many as stored
    (6, 5, 5, 100, False),  # fewer than stored
    (10, 5, 5, 50, True),  # half of what is stored, at 50 %
    (11, 5, 5, 50, False),
    (0, 5, 5, 0, False),  # turned off
]


@pytest.mark.parametrize(("stored", "incoming", "min_rows", "percent", "rebuilt"), REBUILD_CASES)
def test_indexes_are_rebuilt_only_when_the_new_rows_are_many(
    settings: Any, stored: int, incoming: int, min_rows: int, percent: int, rebuilt: bool
) -> None:
    from django.db import connection

    settings.FAZHI_IMPORT_REBUILD_MIN_ROWS = min_rows
    settings.FAZHI_IMPORT_REBUILD_PERCENT = percent
    table = AuditEvent._meta.db_table
    insert_many(AuditEvent, _events(stored, "old"))
    before = _indexes(table)
    assert before, "the audit table has indexes to rebuild"
    with transaction.atomic():
        with indexes_rebuilt(AuditEvent, incoming) as did:
            assert did is (rebuilt and connection.vendor == "postgresql")
            # While the rows go in, the indexes that back no constraint are gone.
            inside = _indexes(table)
            assert (inside != before) is did
            insert_many(AuditEvent, _events(incoming, "new"))
        assert _indexes(table) == before
    assert AuditEvent.objects.filter(code__startswith="new.").count() == incoming


class _Failed(Exception):
    pass


def _write_then_fail(model: Any, rows: list[Any]) -> None:
    with transaction.atomic(), indexes_rebuilt(model, len(rows)):
        insert_many(model, rows)
        raise _Failed


def test_a_failed_write_leaves_the_indexes_as_they_were(settings: Any) -> None:
    settings.FAZHI_IMPORT_REBUILD_MIN_ROWS = 1
    table = AuditEvent._meta.db_table
    before = _indexes(table)
    with pytest.raises(_Failed):
        _write_then_fail(AuditEvent, _events(2, "lost"))
    assert _indexes(table) == before
    assert not AuditEvent.objects.filter(code__startswith="lost.").exists()


def _write(model: Any, rows: list[Any]) -> None:
    with transaction.atomic(), indexes_rebuilt(model, len(rows)):
        insert_many(model, rows)


def test_a_constraint_still_refuses_rows_while_the_indexes_are_away(settings: Any) -> None:
    from fazhi.core.tenancy.models import OrgUnit

    settings.FAZHI_IMPORT_REBUILD_MIN_ROWS = 1
    units = [
        OrgUnit(code="Y1", name="甲", kind="street"),
        OrgUnit(code="Y1", name="乙", kind="street"),
    ]
    with pytest.raises(IntegrityError):
        _write(OrgUnit, units)
    assert not OrgUnit.objects.filter(code="Y1").exists()


# A real transaction: the foreign keys are checked when it commits (SQLite) or when they are
# made again (PostgreSQL), never by the test's own rollback.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_row_naming_nothing_still_fails_the_write(settings: Any) -> None:
    from django.db import connection

    from fazhi.core.tenancy.models import OrgUnit

    settings.FAZHI_IMPORT_REBUILD_MIN_ROWS = 1
    table = OrgUnit._meta.db_table
    before = _indexes(table)
    if connection.vendor == "postgresql":
        assert any("FOREIGN KEY" in d for _, d in before)
    orphan = OrgUnit(code="Z1", name="丙", kind="street", parent_id=10**9)
    with pytest.raises(IntegrityError):
        _write(OrgUnit, [orphan])
    assert _indexes(table) == before
    assert not OrgUnit.objects.filter(code="Z1").exists()
