"""How a file's rows meet the stored orders, beside the import's two passes (importing.py):
numbers that differ from another only by letter case, and values a file holds as fazhi's own
export wrote them (masked personal data, times to the minute), which are no change."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from django.db import connection

from fazhi.ledgers.hotline import bulkio, columnar
from fazhi.ledgers.hotline.models import LimitSource, WorkOrder


def row_message(line: int | None, column: str, message: str) -> str:
    """An import error as the user reads it: 第N行「列」message."""
    where = f"第{line}行" if line is not None else ""
    col = f"「{column}」" if column else ""
    return f"{where}{col}{message}"


def case_variants_in_file(parts: list[Path]) -> list[str]:
    """Numbers of the file differing from an earlier row's only by letter case (the search
    finds numbers in any case: they would be one order twice), each naming the first."""
    rows = (
        pl.scan_parquet([str(p) for p in parts])
        .select("number", "_line")
        .with_columns(pl.col("number").str.to_uppercase().alias("_u"))
    )
    first = (
        rows.sort("_line")
        .group_by("_u")
        .agg(
            pl.col("number").first().alias("_first"),
            pl.col("_line").first().alias("_first_line"),
            pl.col("number").n_unique().alias("_n"),
        )
        .filter(pl.col("_n") > 1)
    )
    clash = (
        rows.join(first, on="_u")
        .filter(pl.col("number") != pl.col("_first"))
        .sort("_line")
        .select("_line", "number", "_first_line", "_first")
        .collect()
    )
    return [
        row_message(line, "工单编号", f"{n} 与文件中第{at}行的工单 {other} 仅大小写不同")
        for line, n, at, other in clash.rows()
    ]


def case_variants_stored(
    frame: pl.DataFrame, stored: pl.DataFrame, unit_ids: list[int]
) -> list[str]:
    """The file's new numbers that a stored order of the scope has in another letter case."""
    new = frame.join(stored.select("number"), on="number", how="anti").select(
        "_line", "number", pl.col("number").str.to_uppercase().alias("_u")
    )
    if new.height == 0:
        return []
    qn = connection.ops.quote_name
    units = ", ".join(str(int(u)) for u in unit_ids) or "NULL"
    found = bulkio.read(
        f"SELECT UPPER({qn('number')}), {qn('number')} FROM {qn(WorkOrder._meta.db_table)} "
        f"WHERE {qn('unit_id')} IN ({units}) AND {{within}}",
        {"_u": pl.String, "_other": pl.String},
        within=(f"UPPER({qn('number')})", new.get_column("_u").unique().to_list()),
    )
    clash = new.join(found, on="_u").sort("_line", "_other").unique("_line", keep="first")
    return [
        row_message(line, "工单编号", f"{n} 与已有工单 {other} 仅大小写不同")
        for line, n, other in clash.sort("_line").select("_line", "number", "_other").rows()
    ]


def as_exported(columns: list[str]) -> list[pl.Expr]:
    """A value the file holds as our own export wrote the stored one (来电号码, 诉求人, 地址
    masked; times to the minute) is the stored value read back, not a change: re-importing an
    export must not overwrite personal data with its masks, nor seconds with zeros. A 办理时限
    read back from the SLA's stays the SLA's (blank, so it is counted again as before)."""
    exprs = []
    for c, mask in columnar.MASKS.items():
        if c in columns:
            old = pl.col(f"{c}_old")
            masked = old.is_not_null() & (old != "") & (pl.col(c) == mask(old))
            exprs.append(pl.when(masked).then(old).otherwise(pl.col(c)).alias(c))
    for c in columnar.TIMES:
        old = pl.col(f"{c}_old")
        same = pl.col(c).is_not_null() & (pl.col(c) == old.dt.truncate(columnar.EXPORTED_TIME))
        kept = old
        if c == "time_limit":
            sla_limit = pl.col("limit_source_old") == LimitSource.SLA.value
            kept = pl.when(sla_limit).then(pl.lit(None, pl.Datetime("us"))).otherwise(old)
        exprs.append(pl.when(same).then(kept).otherwise(pl.col(c)).alias(c))
    return exprs
