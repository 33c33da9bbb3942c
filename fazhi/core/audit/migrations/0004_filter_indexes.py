"""Indexes for the audit page's filters by actor and by code. The table takes an insert with
every action, so on PostgreSQL they are built CONCURRENTLY (writes go on meanwhile; hence not
atomic). CREATE INDEX leaves the append-only triggers of 0002/0003 as they are, on both engines
(no table is rebuilt, as an AlterField would on SQLite)."""

from django.db import migrations, models

INDEXES = [
    models.Index(fields=["actor_id", "at"], name="audit_actor_at_idx"),
    models.Index(fields=["code", "at"], name="audit_code_at_idx"),
]


def add(apps, schema_editor):
    model = apps.get_model("audit", "AuditEvent")
    concurrently = schema_editor.connection.vendor == "postgresql"
    for index in INDEXES:
        if concurrently:
            schema_editor.add_index(model, index, concurrently=True)
        else:
            schema_editor.add_index(model, index)


def remove(apps, schema_editor):
    model = apps.get_model("audit", "AuditEvent")
    concurrently = schema_editor.connection.vendor == "postgresql"
    for index in INDEXES:
        if concurrently:
            schema_editor.remove_index(model, index, concurrently=True)
        else:
            schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("audit", "0003_refuse_replace_and_delete")]
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex("auditevent", index) for index in INDEXES],
            database_operations=[migrations.RunPython(add, remove)],
        )
    ]
