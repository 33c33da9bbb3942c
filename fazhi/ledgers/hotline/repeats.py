"""Repeated demands (重复诉求): the same number or address, a similar issue, within N days.

An order repeats an earlier one of the same unit when

- they share a blocking key: the number's key (`phone_key`, at least MIN_PHONE digits) or the
  address's key (`address_key`, at least MIN_ADDRESS characters);
- the earlier one was called at most FAZHI_HOTLINE_REPEAT_DAYS calendar days before
  (`called_on`), and earlier means (来电时间, id) before;
- their 诉求内容 are alike at FAZHI_HOTLINE_REPEAT_SIMILARITY percent or more
  (`core.records.similar`, the Dice coefficient over character bigrams).

Of the earlier orders that qualify, the most alike wins (ties: the earliest). A group is an
order and everything that repeats it, directly or through a chain: `repeat_of` always points
at the group's first order (its root), so the list filter and 重复诉求率 read one column.

Candidates are found through the blocking keys, never by comparing all pairs: one order at a
time through the (unit, key, 来电日期) indexes (`link`, used by `upsert_order`), and for a whole
table (`group_repeats`, used after an import) by a self-join of each key on itself within
window buckets (an order meets the orders of its own bucket of N days and of the one before),
so the pairs compared are those of a block within 2N days, not of the table.

Only orders of one unit are grouped: a repeat names its first order on the detail page, and
an order of another unit is not the clerk's to see.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, QuerySet

from fazhi.core.imports.dbwrite import indexes_rebuilt
from fazhi.core.records.similar import (
    Match,
    dice,
    dice_expr,
    fingerprint,
    fingerprint_expr,
    most_similar,
)
from fazhi.core.tenancy.models import OrgUnit
from fazhi.ledgers.hotline import bulkio
from fazhi.ledgers.hotline.models import WorkOrder

MIN_PHONE = 7  # shorter numbers (blank, 110, an extension) block nothing
MIN_ADDRESS = 4  # a street name alone ("和平路") is not an address
KEYS = ("phone_key", "address_key")
CANDIDATES = 200  # one order at a time: the most recent earlier orders of its blocks
CHUNK = 50_000
PAIRS_CHUNK = 100_000  # candidate pairs scored at a time (whole units)


def days() -> int:
    return int(settings.FAZHI_HOTLINE_REPEAT_DAYS)


def threshold() -> float:
    return int(settings.FAZHI_HOTLINE_REPEAT_SIMILARITY) / 100


def definition() -> str:
    return (
        f"同一单位、同一来电号码或地址、{days()}日内、诉求内容相似度不低于"
        f"{settings.FAZHI_HOTLINE_REPEAT_SIMILARITY}%的后一件工单为前一件的重复诉求"
    )


def _key_q(order: WorkOrder) -> Q | None:
    q = Q()
    if len(order.phone_key) >= MIN_PHONE:
        q |= Q(phone_key=order.phone_key)
    if len(order.address_key) >= MIN_ADDRESS:
        q |= Q(address_key=order.address_key)
    return q or None


def earlier_alike(order: WorkOrder, limit: int = 5) -> Sequence[Match[WorkOrder]]:
    """The unit's earlier orders within the window that `order` repeats, most alike first."""
    keys = _key_q(order)
    if keys is None or not order.content.strip():
        return []
    start = order.called_on - dt.timedelta(days=days())
    earlier = (
        WorkOrder.objects.filter(unit_id=order.unit_id, called_on__gte=start)
        .filter(keys)
        .filter(Q(called_at__lt=order.called_at) | Q(called_at=order.called_at, pk__lt=order.pk))
        .exclude(pk=order.pk)
        .order_by("-called_at", "-pk")[:CANDIDATES]
    )
    # Earliest first, so that among equally alike ones the earliest wins (as group_repeats).
    found = sorted(earlier, key=lambda o: (o.called_at, o.pk))
    return most_similar(
        order.content, found, lambda o: o.content, threshold=threshold(), limit=limit
    )


def _has_later(order: WorkOrder) -> bool:
    keys = _key_q(order)
    if keys is None:
        return False
    end = order.called_on + dt.timedelta(days=days())
    return (
        WorkOrder.objects.filter(unit_id=order.unit_id, called_on__lte=end)
        .filter(keys)
        .filter(Q(called_at__gt=order.called_at) | Q(called_at=order.called_at, pk__gt=order.pk))
        .exists()
    )


def link(order: WorkOrder) -> int | None:
    """Set `order.repeat_of` from the orders before it; returns the root's id (or None).
    An order arriving after later ones of its blocks regroups the unit from its date."""
    if _has_later(order):
        group_repeats(WorkOrder.objects.filter(unit_id=order.unit_id), since=order.called_on)
        order.refresh_from_db(fields=["repeat_of"])
        return order.repeat_of_id
    found = earlier_alike(order, limit=1)
    root = (found[0].item.repeat_of_id or found[0].item.pk) if found else None
    if root != order.repeat_of_id:
        WorkOrder.with_voided.filter(pk=order.pk).update(repeat_of_id=root)
        order.repeat_of_id = root
    return root


def group(order: WorkOrder) -> list[WorkOrder]:
    """The order's group in call order (its root first); [] when it is in none."""
    root = order.repeat_of_id or order.pk
    members = list(
        WorkOrder.objects.filter(unit_id=order.unit_id)
        .filter(Q(pk=root) | Q(repeat_of_id=root))
        .order_by("called_at", "pk")
    )
    return members if len(members) > 1 else []


# --- a whole table, columnar ----------------------------------------------------------------


@dataclass
class Grouping:
    orders: int = 0  # orders regrouped (called on or after `since`)
    pairs: int = 0  # candidate pairs compared (same block, within the window)
    repeats: int = 0  # of the regrouped orders, those that repeat an earlier one
    changed: int = 0  # orders whose repeat_of was written (or is to be, for pending ones)
    pending_roots: pl.DataFrame | None = None  # (id, new) of the pending orders that repeat
    write_seconds: float = 0.0  # of the whole, the time spent writing `repeat_of`


def _orders(target: OrgUnit | QuerySet[WorkOrder]) -> QuerySet[WorkOrder]:
    if isinstance(target, OrgUnit):
        # A unit and those below it (system code: an import, a command, a benchmark).
        return WorkOrder.objects.filter(unit__path__startswith=target.path)
    return target


FRAME_SCHEMA: dict[str, Any] = {
    "id": pl.Int64,
    "unit_id": pl.Int64,
    "called_at": pl.Datetime("us", "UTC"),
    "called_on": pl.Date,
    "phone_key": pl.String,
    "address_key": pl.String,
    "repeat_of_id": pl.Int64,
}


def _frame(qs: QuerySet[WorkOrder]) -> pl.DataFrame:
    """The columns grouping needs, read with the queryset's own SQL but without building a
    Python object per row (a city's year is millions of orders)."""
    sql, params = qs.order_by().values_list(*FRAME_SCHEMA).query.sql_with_params()
    schema = dict(FRAME_SCHEMA)
    if connection.vendor == "sqlite":  # Django's SQLite converters give naive UTC datetimes
        schema["called_at"] = pl.Datetime("us")
        parts: list[pl.DataFrame] = [pl.DataFrame(schema=schema)]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(CHUNK):
                parts.append(pl.DataFrame(rows, schema=schema, orient="row"))
        return pl.concat(parts).with_columns(pl.col("called_at").dt.replace_time_zone("UTC"))
    schema["called_at"] = pl.String  # PostgreSQL's text of a timestamptz, offset included
    frame = bulkio.read(sql, schema, list(params))
    return frame.with_columns(
        pl.col("called_at").str.to_datetime(
            "%Y-%m-%d %H:%M:%S%.f%#z", time_unit="us", time_zone="UTC"
        )
    )


def candidate_pairs(frame: pl.DataFrame, window: int) -> pl.DataFrame:
    """(id, cand, cand_at): `cand` is earlier than `id`, of the same unit, shares a key with it
    and was called at most `window` days before. A self-join of each key on itself within
    buckets of `window` days (its own and the one before), never all pairs."""
    day = pl.col("called_on").cast(pl.Int64)
    base = frame.select(
        "id", "unit_id", "called_at", "phone_key", "address_key", "_target", day.alias("_day")
    ).with_columns((pl.col("_day") // max(window, 1)).alias("_bucket"))
    found: list[pl.DataFrame] = []
    for key, shortest in (("phone_key", MIN_PHONE), ("address_key", MIN_ADDRESS)):
        block = base.filter(pl.col(key).str.len_chars() >= shortest).select(
            "id", "unit_id", key, "called_at", "_day", "_bucket", "_target"
        )
        later = block.filter(pl.col("_target"))
        earlier = block.select(
            pl.col("id").alias("cand"),
            "unit_id",
            key,
            pl.col("called_at").alias("cand_at"),
            pl.col("_day").alias("cand_day"),
            "_bucket",
        )
        for back in (0, 1):
            pairs = later.with_columns(pl.col("_bucket") - back).join(
                earlier, on=["unit_id", key, "_bucket"], how="inner"
            )
            pairs = pairs.filter(
                (pl.col("_day") - pl.col("cand_day") <= window)
                & (
                    (pl.col("cand_at") < pl.col("called_at"))
                    | ((pl.col("cand_at") == pl.col("called_at")) & (pl.col("cand") < pl.col("id")))
                )
            )
            found.append(pairs.select("id", "cand", "cand_at"))
    return pl.concat(found).unique(["id", "cand"])


def _texts(ids: pl.Series) -> pl.DataFrame:
    """(id, content) of stored orders."""
    qn = connection.ops.quote_name
    table = qn(WorkOrder._meta.db_table)
    return bulkio.read(
        f"SELECT id, {qn('content')} FROM {table} WHERE {{within}}",
        {"id": pl.Int64, "content": pl.String},
        within=("id", ids.to_list()),
    )


def roots(frame: pl.DataFrame, best: pl.DataFrame) -> pl.DataFrame:
    """(id, root) for every order of `frame`: a regrouped order follows its best match to the
    match's root (pointer jumping, log of the chain's length rounds of one join); an order only
    read as context keeps the root it has."""
    ptr = (
        frame.select("id", "_target", "repeat_of_id")
        .join(best.select("id", "cand"), on="id", how="left")
        .select(
            "id",
            pl.when(pl.col("_target"))
            .then(pl.coalesce("cand", "id"))
            .otherwise(pl.coalesce("repeat_of_id", "id"))
            .alias("ptr"),
        )
    )
    for _ in range(64):  # 2**64 orders in one chain would be needed to use them all
        hop = ptr.join(ptr.rename({"id": "ptr", "ptr": "next"}), on="ptr", how="left").select(
            "id", "ptr", pl.coalesce("next", "ptr").alias("next")
        )
        if hop.filter(pl.col("next") != pl.col("ptr")).height == 0:
            return hop.select("id", pl.col("ptr").alias("root"))
        ptr = hop.select("id", pl.col("next").alias("ptr"))
    raise RuntimeError("repeat_of forms a cycle")


def group_repeats(
    target: OrgUnit | QuerySet[WorkOrder],
    *,
    since: dt.date | None = None,
    pending: pl.DataFrame | None = None,
) -> Grouping:
    """Regroup the orders of `target` (a unit with the units below it, or a queryset of work
    orders) called on or after `since` (all when None); the orders of the N days before
    `since` are read as the earlier side only. Writes `repeat_of` where it changes.

    `pending`: orders about to be written (an import's new ones, their ids allocated; the
    columns of FRAME_SCHEMA but `repeat_of_id`, times in UTC, and `content`), grouped with the
    stored ones; their roots are returned in `Grouping.pending_roots` (id, new) instead of
    written, so that they are inserted with their `repeat_of` rather than updated after."""
    window = days()
    qs = _orders(target)
    if since is not None:
        qs = qs.filter(called_on__gte=since - dt.timedelta(days=window))
    frame = _frame(qs)
    texts = pl.DataFrame(schema={"id": pl.Int64, "content": pl.String})
    if pending is not None and pending.height:
        texts = pending.select("id", "content")
        frame = pl.concat(
            [
                frame,
                pending.with_columns(pl.lit(None, pl.Int64).alias("repeat_of_id"))
                .select(*FRAME_SCHEMA)
                .cast(frame.schema),
            ]
        )
    target_expr = pl.lit(True) if since is None else pl.col("called_on") >= pl.lit(since)
    frame = frame.with_columns(target_expr.alias("_target"))
    out = Grouping(orders=frame.filter(pl.col("_target")).height)
    pairs = candidate_pairs(frame, window)
    out.pairs = pairs.height
    # Scored some units at a time (a pair never crosses a unit): each text is fingerprinted
    # once, and the fingerprints held are those of a few units, not of every order in a pair.
    pairs = pairs.join(frame.select("id", "unit_id"), on="id").sort("unit_id", "id", "cand")
    scored = []
    for part in _whole_units(pairs):
        ids = pl.concat([part["id"], part["cand"]]).unique().to_frame("id")
        held = texts.join(ids, on="id", how="semi")
        prints = pl.concat([held, _texts(ids.join(held, on="id", how="anti")["id"])]).select(
            "id", fingerprint_expr(pl.col("content")).alias("grams")
        )
        scored.append(
            part.join(prints, on="id", how="left")
            .join(prints.rename({"id": "cand", "grams": "cand_grams"}), on="cand", how="left")
            .with_columns(dice_expr(pl.col("grams"), pl.col("cand_grams")).alias("score"))
            .drop("grams", "cand_grams")
        )
        del prints
    best = (
        (pl.concat(scored) if scored else pairs.with_columns(pl.lit(0.0).alias("score")))
        .filter(pl.col("score") >= threshold())
        .sort(["id", "score", "cand_at", "cand"], descending=[False, True, False, False])
        .group_by("id", maintain_order=True)
        .first()
    )
    found = roots(frame, best).join(frame.select("id", "_target", "repeat_of_id"), on="id")
    found = found.filter(pl.col("_target")).with_columns(
        pl.when(pl.col("root") != pl.col("id")).then(pl.col("root")).alias("new")
    )
    out.repeats = found.filter(pl.col("new").is_not_null()).height
    changed = found.filter(pl.col("new").ne_missing(pl.col("repeat_of_id"))).select("id", "new")
    out.changed = changed.height
    out.pending_roots = changed.join(texts.select("id"), on="id", how="semi")
    started = time.perf_counter()
    # Within an import (pending orders) the import's own block rebuilds: a rebuild here would
    # check the stored orders' new roots before those orders are written.
    _write(changed.join(texts.select("id"), on="id", how="anti"), rebuild=pending is None)
    out.write_seconds = time.perf_counter() - started
    return out


def _whole_units(pairs: pl.DataFrame) -> Iterator[pl.DataFrame]:
    """Slices of `pairs` (sorted by unit) of about PAIRS_CHUNK pairs, each unit in one."""
    start = size = 0
    for n in pairs.group_by("unit_id", maintain_order=True).len().get_column("len").to_list():
        size += n
        if size >= PAIRS_CHUNK:
            yield pairs.slice(start, size)
            start, size = start + size, 0
    if size:
        yield pairs.slice(start, size)


def _write(changed: pl.DataFrame, *, rebuild: bool) -> None:
    """One statement for all the changes, from a temporary table (COPY on PostgreSQL). Many
    changes (a first grouping of a large ledger) are written with the table's indexes made
    again after them (ADR 0019): each changed row would otherwise enter every index again."""
    if changed.height == 0:
        return
    qn = connection.ops.quote_name
    table = qn(WorkOrder._meta.db_table)
    with (
        transaction.atomic(),
        indexes_rebuilt(WorkOrder, changed.height) if rebuild else nullcontext(),
        connection.cursor() as cursor,
    ):
        cursor.execute("CREATE TEMP TABLE hotline_repeat (id bigint PRIMARY KEY, new bigint)")
        bulkio.write("hotline_repeat", changed.select("id", "new"))
        cursor.execute(
            f"UPDATE {table} SET {qn('repeat_of_id')} = r.new "
            f"FROM hotline_repeat r WHERE {table}.id = r.id"
        )
        cursor.execute("DROP TABLE hotline_repeat")


def naive_repeats(orders: Sequence[WorkOrder]) -> dict[int, int | None]:
    """The definition applied by comparing every pair (id -> root): the reference the blocked
    grouping is tested against and a benchmark's baseline. Quadratic; for small samples."""
    window = days()
    ordered = sorted(orders, key=lambda o: (o.called_at, o.pk))
    root: dict[int, int | None] = {}
    for i, o in enumerate(ordered):
        best: tuple[float, WorkOrder] | None = None
        for e in ordered[:i]:
            shares = (len(o.phone_key) >= MIN_PHONE and o.phone_key == e.phone_key) or (
                len(o.address_key) >= MIN_ADDRESS and o.address_key == e.address_key
            )
            if not shares or e.unit_id != o.unit_id:
                continue
            if (o.called_on - e.called_on).days > window:
                continue
            score = dice(fingerprint(o.content), fingerprint(e.content))
            if score >= threshold() and (best is None or score > best[0]):
                best = (score, e)
        root[o.pk] = None if best is None else (root[best[1].pk] or best[1].pk)
    return root
