"""The database refuses to rewrite or delete audit events (issue 6, item 7).

PostgreSQL's guard against the app's own role is tested with a real login role in
tests/test_audit_role.py; here: the triggers on both engines, and SQLite outside Django."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from fazhi.core.audit.models import AuditEvent, record_event

ROOT = Path(__file__).resolve().parents[4]
COLUMNS = "id, at, code, actor_id, actor, unit_code, object_type, object_id, data"
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="SQLite's REPLACE and its DELETE trigger; PostgreSQL: tests/test_audit_role.py",
)


def _rewrites(event_id: int) -> list[str]:
    values = f"{event_id}, '2026-01-01 00:00:00', 'forged', NULL, 'x', '', '', '', '{{}}'"
    return [
        f"INSERT OR REPLACE INTO audit_auditevent ({COLUMNS}) VALUES ({values})",
        f"REPLACE INTO audit_auditevent ({COLUMNS}) VALUES ({values})",
        f"INSERT INTO audit_auditevent ({COLUMNS}) VALUES ({values}) "
        "ON CONFLICT (id) DO UPDATE SET code = 'forged'",
        f"UPDATE OR REPLACE audit_auditevent SET code = 'forged' WHERE id = {event_id}",
        f"DELETE FROM audit_auditevent WHERE id = {event_id}",
        "DELETE FROM audit_auditevent",
    ]


@sqlite_only
@pytest.mark.django_db
def test_sqlite_refuses_replace_and_delete_through_the_app_connection() -> None:
    event = record_event("test.kept", by=None, data={"n": 1})
    for statement in _rewrites(event.pk):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    kept = AuditEvent.objects.get(pk=event.pk)
    assert (kept.code, kept.data) == ("test.kept", {"n": 1})


def test_outside_django_sqlite_cannot_delete_or_rewrite_events(tmp_path: Path) -> None:
    """As from the sqlite3 shell: plain sqlite3 on a migrated file, no Django, no harness."""
    path = tmp_path / "fazhi.sqlite3"
    subprocess.run(
        [sys.executable, "-m", "fazhi.cli", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{path}"},
        check=True,
        timeout=300,
    )
    db = sqlite3.connect(path, isolation_level=None)
    db.execute(
        f"INSERT INTO audit_auditevent ({COLUMNS}) "
        "VALUES (1, '2026-01-01 00:00:00', 'test.kept', NULL, 'x', '', '', '', '{}')"
    )
    for statement in _rewrites(1):
        # DELETE fails for want of the harness's function, the rest by RAISE(ABORT).
        with pytest.raises(
            sqlite3.DatabaseError, match=r"append-only|fazhi_test_flush_in_progress"
        ):
            db.execute(statement)
    db.execute(
        f"INSERT INTO audit_auditevent ({COLUMNS}) "
        "VALUES (2, '2026-01-01 00:00:00', 'test.appended', NULL, 'x', '', '', '', '{}')"
    )
    rows = db.execute("SELECT id, code FROM audit_auditevent ORDER BY id").fetchall()
    assert rows == [(1, "test.kept"), (2, "test.appended")]
    db.close()


@pytest.mark.django_db
def test_the_append_only_triggers_survive_the_migrations() -> None:
    """A later migration that rebuilds the table (SQLite's way to alter it) would drop them."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [AuditEvent._meta.db_table],
            )
            expected = {"audit_no_update", "audit_no_replace", "audit_no_delete"}
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND tgenabled = 'O'",
                [AuditEvent._meta.db_table],
            )
            expected = {"audit_no_update"}
        assert {name for (name,) in cursor.fetchall()} == expected


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_only_the_test_harness_flush_may_empty_the_table(cast: Any) -> None:
    """During the test the table refuses DELETE; pytest-django's flush after it (DELETE on
    SQLite, TRUNCATE by the superuser on PostgreSQL) still empties it, or teardown errors."""
    event = record_event("test.flushed", by=None)
    with pytest.raises(DatabaseError, match="append-only"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()
