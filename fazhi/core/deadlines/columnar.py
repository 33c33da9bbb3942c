"""`timed_due` for whole columns (polars): the SLA of a million imported work orders without a
Python loop per row.

The working calendar becomes a small table of days (one row per calendar day over the span the
column needs) with each day's working-day ordinal; a moment then maps to a position counted in
working minutes, the limit is that position plus the amount, and the position maps back through
the same table. Only the table is built in Python (a few hundred days), never per row. A test
holds the result equal to `timed_due` for every unit over starts around holidays and 调休.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from fazhi.core.calendar.workcalendar import WorkCalendar
from fazhi.core.deadlines.timed import END_OF_DAY, TimedUnit, WorkingHours

ONE_DAY = dt.timedelta(days=1)


def day_table(first: dt.date, last: dt.date, calendar: WorkCalendar) -> pl.DataFrame:
    """One row per day in [first, last]: date, working?, known year?, working days before it."""
    days, working, known, before = [], [], [], []
    count = 0
    d = first
    while d <= last:
        w = calendar.is_workday(d)
        days.append(d)
        working.append(w)
        known.append(calendar.is_known(d))
        before.append(count)
        count += int(w)
        d += ONE_DAY
    return pl.DataFrame(
        {"day": days, "working": working, "known": known, "before": before},
        schema={"day": pl.Date, "working": pl.Boolean, "known": pl.Boolean, "before": pl.Int64},
    )


def timed_due_columns(
    frame: pl.DataFrame,
    *,
    start: str,
    amount: str,
    unit: str,
    calendar: WorkCalendar,
    hours: WorkingHours,
    due: str = "due",
    provisional: str = "due_provisional",
) -> pl.DataFrame:
    """Add `due` (local datetime) and `provisional` for the rows where `start`, `amount` and
    `unit` (a TimedUnit value) are all set; null elsewhere."""
    if frame.height == 0:
        return frame.with_columns(
            pl.lit(None, pl.Datetime("us")).alias(due), pl.lit(None, pl.Boolean).alias(provisional)
        )
    starts = frame.get_column(start).dt.truncate("1m")
    first = starts.min()
    amounts = frame.get_column(amount)
    if first is None or amounts.max() is None:
        return frame.with_columns(
            pl.lit(None, pl.Datetime("us")).alias(due), pl.lit(None, pl.Boolean).alias(provisional)
        )
    assert isinstance(first, dt.datetime)
    last_start = starts.max()
    assert isinstance(last_start, dt.datetime)
    biggest = int(amounts.max())  # type: ignore[arg-type]
    # Enough days for the longest limit: every day a working day at worst 1 in 3 (春节 weeks).
    per_day = max(1, hours.minutes)
    span_days = 3 * max(biggest, biggest * 60 // per_day + 1) + 40
    table = day_table(
        first.date() - ONE_DAY, last_start.date() + dt.timedelta(days=span_days), calendar
    )
    minutes = hours.minutes
    opens = hours.opens.hour * 60 + hours.opens.minute

    work = frame.with_row_index("_row").select(
        "_row",
        starts.alias("_start"),
        pl.col(amount).cast(pl.Int64).alias("_amount"),
        pl.col(unit).alias("_unit"),
    )
    work = work.with_columns(pl.col("_start").dt.date().alias("day")).join(
        table, on="day", how="left"
    )
    minute_of_day = pl.col("_start").dt.hour().cast(pl.Int64) * 60 + pl.col(
        "_start"
    ).dt.minute().cast(pl.Int64)
    in_day = pl.when(pl.col("working")).then((minute_of_day - opens).clip(0, minutes)).otherwise(0)
    position = pl.col("before") * minutes + in_day
    work = work.with_columns(
        (position + pl.col("_amount") * 60).alias("_target"),
        pl.col("before").alias("_before_start"),
    )
    # Working hours: the k-th working day (k from 0) holds positions (k*M, (k+1)*M].
    work = work.with_columns(((pl.col("_target") - 1) // minutes).alias("_k"))
    workdays = table.filter(pl.col("working")).select(
        pl.col("before").alias("_k"), pl.col("day").alias("_wday")
    )
    work = work.join(workdays, on="_k", how="left")
    workhour_due = pl.col("_wday").cast(pl.Datetime("us")) + pl.duration(
        minutes=opens + pl.col("_target") - pl.col("_k") * minutes
    )
    # 工作日: the n-th working day after the start day (the start day itself not counted).
    work = work.with_columns(
        (pl.col("_before_start") + pl.col("working").cast(pl.Int64) + pl.col("_amount") - 1).alias(
            "_n"
        )
    )
    work = work.join(workdays.rename({"_k": "_n", "_wday": "_nday"}), on="_n", how="left")
    workday_due = pl.col("_nday").cast(pl.Datetime("us")) + pl.duration(
        hours=END_OF_DAY.hour, minutes=END_OF_DAY.minute, seconds=END_OF_DAY.second
    )
    hour_due = pl.col("_start") + pl.duration(hours=pl.col("_amount"))
    work = work.with_columns(
        pl.when(pl.col("_unit") == TimedUnit.HOUR.value)
        .then(hour_due)
        .when(pl.col("_unit") == TimedUnit.WORKHOUR.value)
        .then(workhour_due)
        .when(pl.col("_unit") == TimedUnit.WORKDAY.value)
        .then(workday_due)
        .otherwise(None)
        .alias("_due")
    )
    # Provisional: the count touched (from the start day to the limit) a year without data.
    unknown_years = sorted(
        {d.year for d, k in zip(table["day"], table["known"], strict=True) if not k}
    )
    prov: pl.Expr = pl.lit(False)
    for y in unknown_years:
        prov = prov | ((pl.col("_start").dt.year() <= y) & (pl.col("_due").dt.year() >= y))
    work = work.with_columns(
        pl.when(pl.col("_unit") == TimedUnit.HOUR.value).then(False).otherwise(prov).alias("_prov")
    )
    work = work.sort("_row")
    ok = (
        frame.get_column(start).is_not_null()
        & amounts.is_not_null()
        & frame.get_column(unit).is_not_null()
    )
    return frame.with_columns(
        pl.when(ok).then(work.get_column("_due")).otherwise(None).alias(due),
        pl.when(ok).then(work.get_column("_prov")).otherwise(None).alias(provisional),
    )
