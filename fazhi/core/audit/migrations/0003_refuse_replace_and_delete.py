"""SQLite: refuse what 0002 let through. `INSERT OR REPLACE` (and `REPLACE`, upserts) with the id
of an existing event would delete and rewrite it without firing the UPDATE trigger; a BEFORE
INSERT trigger now refuses an id that exists. DELETE is refused unless the SQL function
fazhi_test_flush_in_progress() says otherwise: only the test harness registers it (conftest.py,
while pytest-django flushes a transactional test), so everywhere else, the sqlite3 shell
included, deleting an event fails.

PostgreSQL already refuses UPDATE and DELETE by trigger (0002); TRUNCATE and disabling the
trigger are withheld from the app by its role (`fazhi grant_app_role`)."""

from django.db import migrations

SQLITE_UP = [
    """
    CREATE TRIGGER audit_no_replace BEFORE INSERT ON audit_auditevent
    WHEN EXISTS (SELECT 1 FROM audit_auditevent WHERE id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
    """,
    """
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_auditevent
    WHEN NOT fazhi_test_flush_in_progress()
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
    """,
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_no_replace;",
    "DROP TRIGGER IF EXISTS audit_no_delete;",
]


def up(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_UP:
            schema_editor.execute(statement)


def down(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]
    operations = [migrations.RunPython(up, down)]
