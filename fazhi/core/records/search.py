"""Searching a record list by a fragment of its text (`icontains`), fast on big tables.

Django's `icontains` is `UPPER(col::text) LIKE UPPER('%q%')` on PostgreSQL: no B-tree index
can serve it, so a supervisor's search over two million work orders read the whole table
(about 1 s at 2M rows). A trigram GIN index on `UPPER(col)` (the `pg_trgm` extension, shipped
with PostgreSQL and trusted since 13, so a database owner may create it) serves exactly that
expression, so the lookup and its results stay the same on both engines; SQLite keeps its scan
(its deployments are one street's records).

A ledger declares its searched columns in a migration:

    operations = [TrigramIndex("hotline_workorder", "content", "hotline_content_trgm")]

A term that reads as a record number (`looks_like_number`) is better served by the number's
B-tree on `UPPER(number)` (`prefix_q`): the trigrams of a number are digits that nearly every number shares, so
the trigram index reads about as many entries as there are numbers (35 ms at 200k orders).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.db import migrations, transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Left, Upper
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


def prefix_q(field: str, text: str) -> Q:
    """Values of `field` that begin with `text` in any letter case: a range of the B-tree index
    on `UPPER(field)` (`UPPER(field) >= TEXT AND UPPER(field) < next`) with
    `LEFT(UPPER(field), n) = 'TEXT'` as the exact condition, so a number stored as
    `GD-abc-0002` is found by `gd-abc-0`, `GD-ABC-0` or `Gd-AbC-0002` alike. For ASCII text (a
    record number); the queryset needs the aliases `prefix_search` gives it.

    Not `UPPER(field) LIKE 'TEXT%'`: that is the very expression of the trigram index on the
    number, and PostgreSQL ANDed that index's bitmap with the range (115 ms at 2M orders, for
    a condition the range had already met), then sorted every match."""
    term = text.upper()
    after = term[:-1] + chr(ord(term[-1]) + 1)
    return Q(_upper__gte=term, _upper__lt=after, _upper_head=term)


def prefix_search(qs: QuerySet[Any], field: str, text: str) -> QuerySet[Any] | None:
    """The records of `qs` whose `field` begins with `text` in any case (as `prefix_q`),
    newest number first (`UPPER(field)` descending, then `-pk`); None when no record's does.

    One range of the `UPPER(field)` index read backwards: the first page is the range's last
    50 entries, not a sort of every match (a leading fragment of a city's numbers matches tens
    of thousands of orders; sorted by call time that took 40 ms at 2M orders). The ledger
    declares that index (`models.Index(Upper(field), …)`)."""
    found = qs.alias(_upper=Upper(field), _upper_head=Left(Upper(field), len(text))).filter(
        prefix_q(field, text)
    )
    if not found.exists():
        return None
    return found.order_by(Upper(field).desc(), "-pk")


# Full-width letters, digits and the hyphen (Ａ, １, －) as typed with a Chinese input method,
# to their ASCII forms: numbers are stored in ASCII. Other full-width signs (the Chinese comma
# and the like) stay: content is written with them.
_WIDTH = {
    **{0xFF10 + i: 0x30 + i for i in range(10)},
    **{0xFF21 + i: 0x41 + i for i in range(26)},
    **{0xFF41 + i: 0x61 + i for i in range(26)},
    0xFF0D: 0x2D,
}
MAX_TERMS = 8

# All of full-width ASCII (U+FF01-U+FF5E) and the ideographic space, to their ASCII forms: for
# numbers typed with a Chinese input method (a 工单编号, a phone number), stored in ASCII.
HALF_WIDTH = {0xFF01 + i: 0x21 + i for i in range(0x5E)} | {0x3000: 0x20}


def half_width(text: str) -> str:
    """`text` with full-width ASCII and the ideographic space folded to half width (Ｔ－１ → T-1)."""
    return text.translate(HALF_WIDTH)


def terms(text: str) -> list[str]:
    """The words of a search box: split at spaces (full-width ones too), full-width letters
    and digits folded to ASCII, each word once, at most MAX_TERMS. A record matches when it
    matches every word (the list applies the ledger's search once per word)."""
    return list(dict.fromkeys(text.translate(_WIDTH).split()))[:MAX_TERMS]


_NUMBER_LIKE = re.compile(r"[A-Za-z0-9-]*[0-9][A-Za-z0-9-]*")


def looks_like_number(text: str, *, shortest: int = 6) -> bool:
    """A search term that reads as (the beginning of) a record number: ASCII letters, digits
    and hyphens, at least one digit, at least `shortest` characters."""
    return len(text) >= shortest and _NUMBER_LIKE.fullmatch(text) is not None
