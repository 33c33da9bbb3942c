"""Searching a record list by a fragment of its text (`icontains`), fast on big tables.

Django's `icontains` is `UPPER(col::text) LIKE UPPER('%q%')` on PostgreSQL: no B-tree index
can serve it, so a supervisor's search over two million work orders read the whole table
(about 1 s at 2M rows). A trigram GIN index on `UPPER(col)` (the `pg_trgm` extension, shipped
with PostgreSQL and trusted since 13, so a database owner may create it) serves exactly that
expression, so the lookup and its results stay the same on both engines; SQLite keeps its scan
(its deployments are one street's records).

A ledger declares its searched columns in a migration:

    operations = [TrigramIndex("hotline_workorder", "content", "hotline_content_trgm")]
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import migrations, transaction
from django.db.utils import DatabaseError

log = logging.getLogger(__name__)


class TrigramIndex(migrations.operations.base.Operation):
    """CREATE INDEX … USING gin (UPPER(column) gin_trgm_ops) on PostgreSQL; nothing elsewhere.

    The extension is created when missing; where the database refuses it (an account without
    the right), the migration still applies and searching stays correct, only slower — logged.
    """

    reversible = True
    reduces_to_sql = False

    def __init__(self, table: str, column: str, name: str) -> None:
        self.table, self.column, self.name = table, column, name

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (self.__class__.__qualname__, [self.table, self.column, self.name], {})

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass  # the index is the database's business, not the models'

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        q = schema_editor.quote_name
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                schema_editor.execute(
                    f"CREATE INDEX IF NOT EXISTS {q(self.name)} ON {q(self.table)} "
                    f"USING gin (UPPER({q(self.column)}) gin_trgm_ops)"
                )
        except DatabaseError as exc:
            log.warning("no trigram index %s (search stays correct, slower): %s", self.name, exc)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(self.name)}")

    def describe(self) -> str:
        return f"Trigram search index {self.name} on {self.table}.{self.column} (PostgreSQL)"
