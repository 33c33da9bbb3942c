"""Synthetic 12345 work orders for the hotline benchmarks: a district of 240 街道 and a year of
orders, as a platform's export (fazhi's own headers, so no mapping) or loaded straight into the
table with COPY through the import's own columnar rules (so statuses and limits are consistent)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

STREETS = 240
REPEAT_SHARE = 0.15
YEAR = 2025
CATEGORIES = ["咨询", "求助", "投诉", "举报", "建议", "表扬"]
CATEGORY_WEIGHTS = [0.3, 0.25, 0.3, 0.05, 0.08, 0.02]
VISITS = ["满意", "基本满意", "不满意", "未回访"]
TOPICS = [
    "噪音扰民",
    "道路破损",
    "垃圾清运",
    "占道经营",
    "供暖不热",
    "停水",
    "物业纠纷",
    "违章搭建",
]


def district() -> tuple[Any, list[Any]]:
    """The district (code D) and its 240 streets (S000…S239)."""
    from fazhi.core.tenancy.models import OrgUnit

    top = OrgUnit.objects.create(code="D", name="基准区", kind="district")
    streets = [
        OrgUnit.objects.create(code=f"S{i:03d}", name=f"第{i}街道", kind="street", parent=top)
        for i in range(STREETS)
    ]
    return top, streets


def supervisor(top: Any) -> Any:
    """The district's supervisor (依法治区办), who sees every unit below it."""
    from fazhi.core.tenancy.actions import add_user

    return add_user(
        username="supervisor",
        unit=top,
        role="supervisor",
        password="bench-password",
        by=None,
        check_password=False,
    )


def file_frame(n: int, handlers: list[str], *, seed: int = 11, offset: int = 0) -> pl.DataFrame:
    """N orders of YEAR as a platform's export: every column a string, fazhi's own headers."""
    from fazhi.ledgers.hotline.columns import FIELDS

    rng = np.random.default_rng(seed + offset)
    start = np.datetime64(f"{YEAR}-01-01T08:00:00")
    called = start + rng.integers(0, 350 * 86400, n).astype("timedelta64[s]")
    topic = np.array(TOPICS, dtype=object)[rng.integers(0, len(TOPICS), n)]
    road = rng.integers(1, 400, n)
    phone = rng.integers(3_000_000_000, 9_999_999_999, n)
    # About one order in seven calls again about an earlier one of the same street (the same
    # caller, address and issue, up to 20 days later): a plausible 重复诉求 share, so grouping
    # has groups to find.
    again = np.flatnonzero(rng.random(n) < REPEAT_SHARE)
    earlier = again - len(handlers) * rng.integers(1, 4, again.size)
    keep = earlier >= 0
    again, earlier = again[keep], earlier[keep]
    road[again], topic[again], phone[again] = road[earlier], topic[earlier], phone[earlier]
    called[again] = called[earlier] + rng.integers(3600, 20 * 86400, again.size).astype(
        "timedelta64[s]"
    )
    dispatched = called + rng.integers(300, 4 * 3600, n).astype("timedelta64[s]")
    feedback = dispatched + rng.integers(3600, 12 * 86400, n).astype("timedelta64[s]")
    closed = feedback + rng.integers(600, 2 * 86400, n).astype("timedelta64[s]")
    u = rng.random(n)
    has_dispatch, has_feedback, has_close = u < 0.97, u < 0.88, u < 0.8
    has_visit = has_close & (rng.random(n) < 0.85)
    has_limit = rng.random(n) < 0.5
    limit = dispatched + rng.integers(2, 15, n).astype("timedelta64[D]")
    idx = np.arange(offset, offset + n)

    def times(values: np.ndarray, present: np.ndarray) -> pl.Series:
        text = np.datetime_as_string(values, unit="s").astype(object)
        out = pl.Series(text, dtype=pl.String).str.replace("T", " ", literal=True)
        return pl.select(pl.when(pl.Series(present)).then(out).otherwise(None)).to_series()

    columns: dict[str, Any] = {
        "number": pl.Series([f"GD{YEAR}{i:08d}" for i in idx]),
        "called_at": times(called, np.ones(n, bool)),
        "phone": pl.Series([f"1{p:010d}" for p in phone]),
        "requester": pl.Series(["某先生" if b else "某女士" for b in rng.random(n) < 0.5]),
        "address": pl.Series([f"基准区幸福路{r}号" for r in road]),
        "category": pl.Series(
            np.array(CATEGORIES, dtype=object)[rng.choice(6, n, p=CATEGORY_WEIGHTS)]
        ),
        "urgency": pl.Series(np.where(rng.random(n) < 0.1, "紧急", "一般").astype(object)),
        "content": pl.Series(
            [f"反映幸福路{r}号附近{t}问题，请尽快处理。" for r, t in zip(road, topic, strict=True)]
        ),
        "dispatched_at": times(dispatched, has_dispatch),
        "handler": pl.Series(np.array(handlers, dtype=object)[idx % len(handlers)]),
        "time_limit": times(limit, has_limit & has_dispatch),
        "feedback_at": times(feedback, has_dispatch & has_feedback),
        "closed_at": times(closed, has_dispatch & has_feedback & has_close),
        "result": pl.Series(np.where(has_close, "已处理并答复诉求人", "").astype(object)),
        "visit_result": pl.Series(
            np.where(has_visit, np.array(VISITS, dtype=object)[rng.integers(0, 4, n)], "")
        ),
        "returns": pl.Series(np.where(rng.random(n) < 0.06, "1", "0").astype(object)),
        "redispatches": pl.Series(np.where(rng.random(n) < 0.04, "1", "0").astype(object)),
        "supervised": pl.Series(np.where(rng.random(n) < 0.02, "是", "否").astype(object)),
    }
    labels = {f.key: f.label for f in FIELDS}
    # Blank cells as a platform writes them: nothing between the commas.
    return pl.DataFrame(
        {labels[k]: v.cast(pl.String).replace("", None) for k, v in columns.items()}
    )


def chunks(n: int, handlers: list[str], size: int = 100_000) -> Iterator[pl.DataFrame]:
    for start in range(0, n, size):
        yield file_frame(min(size, n - start), handlers, offset=start)


def write_csv(n: int, handlers: list[str], path: Path) -> None:
    with path.open("wb") as out:
        for i, frame in enumerate(chunks(n, handlers)):
            frame.write_csv(out, include_header=i == 0)


def write_xlsx(n: int, handlers: list[str], path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("工单")
    for i, frame in enumerate(chunks(n, handlers)):
        if i == 0:
            sheet.append(frame.columns)
        for row in frame.iter_rows():
            sheet.append(list(row))
    book.save(path)


def load_orders(m: int, units: list[Any]) -> None:
    """M orders over `units` written with COPY (SQLite: executemany), through the import's own
    parsing and limits; about one in 17 flagged as repeating the order before it."""
    from django.db import connection, transaction
    from django.utils import timezone

    from fazhi.ledgers.hotline import columnar, importing
    from fazhi.ledgers.hotline.columns import FIELDS
    from fazhi.ledgers.hotline.models import WorkOrder

    keys = {f.label: f.key for f in FIELDS}
    ctx = columnar.Context({u.code: u.pk for u in units}, timezone.localtime().replace(tzinfo=None))
    now = timezone.now()
    with transaction.atomic():
        for frame in chunks(m, [u.code for u in units]):
            raw = (
                frame.rename(keys)
                .with_row_index("_line")
                .with_columns(pl.col("_line").cast(pl.Int64))
            )
            typed, errs = columnar.parse(raw, ctx)
            assert errs.height == 0, errs.head(5)
            importing._insert(columnar.with_limits(typed), None, None, now)
        table = connection.ops.quote_name(WorkOrder._meta.db_table)
        with connection.cursor() as cur:
            cur.execute(f"UPDATE {table} SET repeat_of_id = id - 1 WHERE id % 17 = 0")
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(f"VACUUM ANALYZE {table}")
