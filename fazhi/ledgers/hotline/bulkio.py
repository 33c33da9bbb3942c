"""Polars frames in and out of the database without a Python object per row.

PostgreSQL: COPY both ways, the text prepared and parsed by polars (CSV), so a 50 000-row
batch is one statement and no row passes through Python. SQLite (development, small files):
batched statements. The import (importing.py) and the repeat grouping (repeats.py) read and
write through here; ADR 0016 measures why.
"""

from __future__ import annotations

import io
from typing import Any

import polars as pl
from django.db import connection

CHUNK = 10_000  # SQLite: rows per executemany
IN_CHUNK = 5000  # SQLite: values per IN list


def postgres() -> bool:
    return connection.vendor == "postgresql"


def sqlite_values(frame: pl.DataFrame) -> pl.DataFrame:
    """Columns as SQLite holds them in Django: datetimes as text, dates ISO, booleans 0/1."""
    exprs = []
    for name, dtype in frame.schema.items():
        if dtype == pl.Datetime("us"):
            exprs.append(pl.col(name).dt.strftime("%Y-%m-%d %H:%M:%S%.6f").alias(name))
        elif dtype == pl.Date:
            exprs.append(pl.col(name).dt.strftime("%Y-%m-%d").alias(name))
        elif dtype == pl.Boolean:
            exprs.append(pl.col(name).cast(pl.Int64).alias(name))
        else:
            exprs.append(pl.col(name))
    return frame.select(exprs)


def copy_in(cursor: Any, table: str, frame: pl.DataFrame) -> None:
    """COPY `frame` into `table` (PostgreSQL; naive datetimes are UTC)."""
    buf = io.BytesIO()
    out = frame.with_columns(
        *[
            pl.col(n).dt.strftime("%Y-%m-%d %H:%M:%S%.6f+00")
            for n, t in frame.schema.items()
            if t == pl.Datetime("us")
        ]
    )
    out.write_csv(buf, include_header=False, null_value="\\N", quote_style="non_numeric")
    columns = ", ".join(connection.ops.quote_name(c) for c in frame.columns)
    with (
        connection.wrap_database_errors,
        cursor.cursor.copy(
            f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
        ) as copy,
    ):
        copy.write(buf.getbuffer())


def write(table: str, frame: pl.DataFrame) -> None:
    """Insert the rows of `frame` (its columns named as the table's)."""
    if frame.height == 0:
        return
    with connection.cursor() as cursor:
        if postgres():
            copy_in(cursor, table, frame)
            return
        qn = connection.ops.quote_name
        cols = ", ".join(qn(c) for c in frame.columns)
        marks = ", ".join(["%s"] * frame.width)
        values = sqlite_values(frame)
        for chunk in values.iter_slices(CHUNK):
            cursor.executemany(
                f"INSERT INTO {qn(table)} ({cols}) VALUES ({marks})", list(chunk.iter_rows())
            )


def read(
    sql: str,
    schema: dict[str, Any],
    params: list[Any] | None = None,
    *,
    within: tuple[str, list[Any]] | None = None,
) -> pl.DataFrame:
    """The rows of a query as a frame of `schema` (String, Int64 or Date columns, in the
    query's order; a boolean or a datetime is selected as an integer or as text). `within`
    (column, values) fills the query's `{within}` with "column among values": on PostgreSQL
    one array parameter (`= ANY(%s)`), so a batch's 50 000 numbers are one parameter and the
    rows come back in one COPY … TO STDOUT that polars parses; on SQLite chunks of IN lists."""
    params = list(params or [])
    if within is None:
        chunks: list[tuple[str, list[Any]]] = [(sql, params)]
    elif postgres():
        chunks = [(sql.format(within=f"{within[0]} = ANY(%s)"), [*params, list(within[1])])]
    else:
        values = list(within[1]) or [None]
        chunks = [
            (
                sql.format(within=f"{within[0]} IN ({', '.join(['%s'] * len(part))})"),
                [*params, *part],
            )
            for part in (values[i : i + IN_CHUNK] for i in range(0, len(values), IN_CHUNK))
        ]
    if not postgres():
        rows: list[tuple[Any, ...]] = []
        with connection.cursor() as cursor:
            for statement, args in chunks:
                cursor.execute(statement, args)
                rows.extend(cursor.fetchall())
        return pl.DataFrame(rows, schema=schema, orient="row")
    ((statement, args),) = chunks
    buf = io.BytesIO()
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.cursor.copy(f"COPY ({statement}) TO STDOUT WITH (FORMAT csv)", args) as copy,
    ):
        for block in copy:
            buf.write(block)
    if buf.tell() == 0:
        return pl.DataFrame(schema=schema)
    buf.seek(0)
    # Unquoted empty fields are NULL, quoted ones empty strings: PostgreSQL's CSV, polars' too.
    return pl.read_csv(buf, has_header=False, schema=schema)


class Ids:
    """Ids for rows before they are written: the table's own sequence on PostgreSQL (nextval,
    as an insert would draw them); on SQLite, which has none, those after the largest used (a
    writing transaction holds SQLite's write lock, so no one else takes them meanwhile)."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.next: int | None = None

    def take(self, n: int) -> pl.Series:
        if postgres():
            # One row holding an array: a million ids in about a second, where a row per id
            # costs its own protocol message (ten times that).
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT array_agg(nextval(pg_get_serial_sequence(%s, 'id'))) "
                    "FROM generate_series(1, %s)",
                    [self.table, n],
                )
                (got,) = cursor.fetchone()
            return pl.Series("id", got or [], dtype=pl.Int64).sort()
        if self.next is None:
            qn = connection.ops.quote_name
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {qn(self.table)}")
                (largest,) = cursor.fetchone()
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [self.table])
                seq = cursor.fetchone()
            self.next = max(int(largest), int(seq[0]) if seq else 0) + 1
        start, self.next = self.next, self.next + n
        return pl.Series("id", range(start, start + n), dtype=pl.Int64)
