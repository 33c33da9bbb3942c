"""Writing many new rows fast: PostgreSQL's COPY where available, `bulk_create` elsewhere.

Imports write tens of thousands of records, timeline events and audit events at once; through
the ORM's INSERT statements that costs about a millisecond a row, through COPY a fraction.
The rows get their primary keys drawn from the table's own sequence first, so callers can link
related rows exactly as after `bulk_create`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connections, models, router


def insert_many(
    model: type[models.Model], objs: Sequence[models.Model], *, batch_size: int = 1000
) -> None:
    """Insert new instances of `model` and set their primary keys. Run it inside a transaction:
    a row the database refuses (a constraint) aborts the whole COPY, as it would the INSERTs."""
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(list(objs), batch_size=batch_size)
        return
    meta = model._meta
    fields = list(meta.concrete_fields)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(objs)],
        )
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk
        columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
        sql = f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
        # The raw psycopg cursor: translate its errors into Django's, as INSERTs would raise them.
        with connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
            for obj in objs:
                copy.write_row([_db_value(f, obj, connection) for f in fields])


def _db_value(field: models.Field[Any, Any], obj: models.Model, connection: Any) -> Any:
    value = field.pre_save(obj, add=True)  # fills auto_now_add and other defaults-on-save
    return field.get_db_prep_save(value, connection=connection)


@contextmanager
def indexes_rebuilt(model: type[models.Model], incoming: int) -> Iterator[bool]:
    """Write `incoming` rows (new, or changed in every index) into `model`'s table inside this
    block; when they are many against what the table holds, its indexes are built and its
    foreign keys checked once, after the rows, instead of row by row (ADR 0019). Yields
    whether it does so.

    PostgreSQL only, inside the caller's transaction, and only when `incoming` is at least
    FAZHI_IMPORT_REBUILD_MIN_ROWS and at least FAZHI_IMPORT_REBUILD_PERCENT % of the stored
    rows. On entry the table's foreign keys and the indexes that back no constraint are
    dropped (the primary key, the unique constraints and the checks stay, so a duplicate or a
    bad value is still refused at once); on a clean exit they are created again from their
    own definitions: each index sorted in one pass, each foreign key checked by one join over
    the table, so a row naming a missing unit still fails the import. DDL is transactional
    there: a failed write or a rollback leaves the table exactly as it was. The table is
    locked against readers until the transaction ends, so the block should hold only the
    writing itself.
    """
    connection = connections[router.db_for_write(model)]
    if not _rebuild_pays(connection, model, incoming):
        yield False
        return
    with rebuilding(connection, model._meta.db_table):
        yield True


@contextmanager
def rebuilding(connection: Any, name: str) -> Iterator[None]:
    """`indexes_rebuilt` without the judging: the foreign keys and the indexes that back no
    constraint of table `name` are dropped on entry and made again on a clean exit
    (PostgreSQL, inside a transaction)."""
    table = connection.ops.quote_name(name)
    with connection.cursor() as cursor:
        # Neither an index nor a constraint can be dropped or made over rows whose deferred
        # checks are pending: run them now (they would run at the commit anyway).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE i.indrelid = %s::regclass "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) "
            "ORDER BY c.relname",
            [name],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
            [name],
        )
        keys = cursor.fetchall()
        qn = connection.ops.quote_name
        for key, _ in keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {qn(key)}")
        for index, _ in indexes:
            cursor.execute(f"DROP INDEX {qn(index)}")
    yield
    with connection.cursor() as cursor:
        for _, definition in indexes:
            cursor.execute(definition)
        for key, definition in keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {qn(key)} {definition}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _rebuild_pays(connection: Any, model: type[models.Model], incoming: int) -> bool:
    if connection.vendor != "postgresql" or incoming < settings.FAZHI_IMPORT_REBUILD_MIN_ROWS:
        return False
    percent = settings.FAZHI_IMPORT_REBUILD_PERCENT
    if percent <= 0:
        return False
    # Rebuild when stored × percent / 100 <= incoming; count no further than that.
    limit = incoming * 100 // percent + 1
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {connection.ops.quote_name(model._meta.db_table)} "
            "LIMIT %s) t",
            [limit],
        )
        (stored,) = cursor.fetchone()
    return bool(stored < limit)
