"""The work order's rules over whole columns (ADR 0013): cleaning, parsing, the transition
table walked once per path, the SLA and the kit's clock caches. No Python loop per row: what is
computed in Python is a table per distinct value (paths, SLA entries, calendar days)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.conf import settings

from fazhi.core.calendar.service import get_calendar
from fazhi.core.deadlines.columnar import timed_due_columns
from fazhi.core.masking import ANONYMOUS
from fazhi.core.records.search import HALF_WIDTH
from fazhi.ledgers.hotline import sla
from fazhi.ledgers.hotline.columns import BY_KEY, FIELDS
from fazhi.ledgers.hotline.ledger import LEDGER
from fazhi.ledgers.hotline.models import Category, LimitSource, Status, Urgency, VisitResult
from fazhi.ledgers.hotline.validation import ADDRESS_KEY_LENGTH, FOLDED
from fazhi.ledgers.hotline.workflow import IMPORT_PATH, out_of_turn

# fazhi.textclean's control characters, in the regex dialect polars speaks.
CONTROLS = (
    r"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\x{202A}-\x{202E}\x{2066}-\x{2069}\x{FFFE}\x{FFFF}]"
)
LINE_BREAKS = r"[\t\n\r\x{2028}\x{2029}\x{85}]"
ADDRESS_NOISE = r"[\s,，.。、;；:：\-—_()（）#·]"
DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")
TIMES = ("called_at", "dispatched_at", "time_limit", "feedback_at", "closed_at")
STEP_TIMES = ("dispatched_at", "feedback_at", "closed_at")  # in the order steps happen
ORDER_CHECKED = (*STEP_TIMES, "time_limit")  # the columns `with_order_errors` checks
TRUE = ("是", "Y", "y", "1", "true", "TRUE", "True", "已督办", "督办")
FALSE = ("否", "N", "n", "0", "false", "FALSE", "False", "未督办")

for _move, _ in IMPORT_PATH:  # a guard would judge one row at a time: not on this path
    if LEDGER.move(_move).guards:
        raise ValueError(f"hotline move {_move} has guards; the columnar import cannot run them")


def clean_text(expr: pl.Expr, *, multiline: bool) -> pl.Expr:
    """`fazhi.textclean.clean_text` without the length check (that is an error column)."""
    out = expr.str.replace_all("\r\n", "\n", literal=True).str.replace_all("\r", "\n", literal=True)
    out = out.str.replace_all(CONTROLS, "")
    if not multiline:
        out = out.str.replace_all(LINE_BREAKS, " ")
    return out.str.strip_chars()


def phone_key(expr: pl.Expr) -> pl.Expr:
    digits = expr.str.replace_all(r"\D", "")
    return pl.when(digits.str.len_chars() > 11).then(digits.str.slice(-11)).otherwise(digits)


def address_key(expr: pl.Expr) -> pl.Expr:
    return expr.str.replace_all(ADDRESS_NOISE, "").str.slice(0, ADDRESS_KEY_LENGTH)


# The export's masks (validation.mask_phone, core.masking's mask_name and mask_address) as
# expressions, so the import can tell a masked value read back from a change; a test holds them
# to the functions case by case.
_STARS = pl.lit("*" * 256)


def mask_phone(expr: pl.Expr) -> pl.Expr:
    s = expr.str.strip_chars()
    n = s.str.len_chars()
    return (
        pl.when(n < 7)
        .then(_STARS.str.slice(0, n))
        .otherwise(pl.concat_str(s.str.slice(0, 3), _STARS.str.slice(0, n - 7), s.str.slice(-4)))
    )


def mask_name(expr: pl.Expr) -> pl.Expr:
    s = expr.str.strip_chars()
    n = s.str.len_chars()
    return (
        pl.when(s.is_in(sorted(ANONYMOUS)))
        .then(s)
        .when(n <= 1)
        .then(_STARS.str.slice(0, n))
        .otherwise(
            pl.concat_str(s.str.slice(0, 1), _STARS.str.slice(0, pl.min_horizontal(n - 1, 6)))
        )
    )


def mask_address(expr: pl.Expr) -> pl.Expr:
    s = expr.str.strip_chars()
    n = s.str.len_chars()
    keep = pl.min_horizontal(n // 2, 6)
    return (
        pl.when(n == 0)
        .then(pl.lit(""))
        .otherwise(pl.concat_str(s.str.slice(0, keep), pl.lit("****")))
    )


MASKS = {"phone": mask_phone, "requester": mask_name, "address": mask_address}
EXPORTED_TIME = "1m"  # the export writes times to the minute (ui._t)


def parse_datetime(expr: pl.Expr) -> pl.Expr:
    norm = (
        expr.str.strip_chars()
        .str.replace_all(r"[/.年月]", "-")
        .str.replace_all("日", " ", literal=True)
        .str.replace_all("T", " ", literal=True)
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )
    return pl.coalesce(
        [norm.str.to_datetime(f, strict=False, time_unit="us") for f in DATETIME_FORMATS]
    )


def with_times(frame: pl.DataFrame, keys: tuple[str, ...]) -> pl.DataFrame:
    """`frame` with `_t_<key>`, each datetime column parsed once: the canonical spelling
    (2026-03-01 09:30:00) on every row, `parse_datetime`'s other spellings only on the rows
    that need them (an export is written by one program, so they are few)."""
    fast = frame.with_columns(
        pl.col(k)
        .str.strip_chars()
        .str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False, time_unit="us")
        .alias(f"_t_{k}")
        for k in keys
    )
    need = pl.any_horizontal(
        pl.col(f"_t_{k}").is_null() & (pl.col(k).fill_null("").str.strip_chars() != "")
        for k in keys
    )
    rest = fast.filter(need)
    if rest.height == 0:
        return fast
    slow = rest.select("_line", *[parse_datetime(pl.col(k)).alias(f"_s_{k}") for k in keys])
    return fast.join(slow, on="_line", how="left", maintain_order="left").select(
        *frame.columns,
        *[pl.coalesce(f"_t_{k}", f"_s_{k}").alias(f"_t_{k}") for k in keys],
    )


_WIDE = [chr(k) for k in HALF_WIDTH]
_NARROW = [chr(v) for v in HALF_WIDTH.values()]


def _folded(key: str, expr: pl.Expr) -> pl.Expr:
    """validation.fold as an expression: 工单编号 and 来电号码 in half width."""
    return expr.str.replace_many(_WIDE, _NARROW) if key in FOLDED else expr


def _choice(labels: Mapping[str, str]) -> dict[str, str]:
    return {**labels, **{code: code for code in labels.values()}}


CATEGORY = _choice({c.label: c.value for c in Category})
URGENCY = _choice({u.label: u.value for u in Urgency})
VISIT = _choice({v.label: v.value for v in VisitResult})


@dataclass(frozen=True)
class Context:
    units: Mapping[str, int]  # name or code -> unit id (the importer's scope)
    now: dt.datetime  # local, naive
    batch_id: int | None = None


def _err(cond: pl.Expr, message: pl.Expr | str) -> pl.Expr:
    msg = pl.lit(message) if isinstance(message, str) else message
    return pl.when(cond).then(msg).otherwise(pl.lit(None, pl.String))


def parse(raw: pl.DataFrame, ctx: Context) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Typed columns and the errors (line, column label, message) of a frame of strings whose
    columns are fazhi's field keys (absent optional fields may be missing) plus `_line`."""
    frame = raw
    for f in FIELDS:
        if f.key not in frame.columns:
            frame = frame.with_columns(pl.lit(None, pl.String).alias(f.key))
    # Each column cleaned or parsed once (an expression used thrice would run thrice).
    texts = [f for f in FIELDS if f.kind in ("text", "multiline", "unit", "choice")]
    frame = with_times(frame, TIMES).with_columns(
        _folded(
            f.key, clean_text(pl.col(f.key).fill_null(""), multiline=f.kind == "multiline")
        ).alias(f"_c_{f.key}")
        for f in texts
    )
    errors: dict[str, pl.Expr] = {}
    cols: list[pl.Expr] = []
    for f in FIELDS:
        c = pl.col(f.key)
        shown = c.fill_null("").str.slice(0, 40)
        if f.kind in ("text", "multiline", "unit"):
            cleaned = pl.col(f"_c_{f.key}")
            too_long = cleaned.str.len_chars() > f.max_length
            length_msg = pl.format(
                f"过长（最多{f.max_length}个字符，实际{{}}个字符）", cleaned.str.len_chars()
            )
            blank = cleaned == ""
            e = _err(too_long, length_msg)
            if f.required:
                e = pl.coalesce([_err(blank, "不能为空"), e])
            errors[f.key] = e
            cols.append(cleaned.alias(f.key))
        elif f.kind == "datetime":
            parsed = pl.col(f"_t_{f.key}")
            present = c.is_not_null() & (c.str.strip_chars() != "")
            e = _err(present & parsed.is_null(), pl.format("不是有效的时间: {}", shown))
            if f.key != "time_limit":  # a limit lies ahead; a step cannot
                e = pl.coalesce([e, _err(parsed > pl.lit(ctx.now), "不能晚于现在")])
            if f.required:
                e = pl.coalesce([_err(~present, "不能为空"), e])
            errors[f.key] = e
            cols.append(parsed.dt.truncate("1s").alias(f.key))
        elif f.kind == "choice":
            table = {"category": CATEGORY, "urgency": URGENCY, "visit_result": VISIT}[f.key]
            text = pl.col(f"_c_{f.key}")
            code = text.replace_strict(table, default=None, return_dtype=pl.String)
            options = "、".join(k for k in table if not k.isascii())
            e = _err((text != "") & code.is_null(), pl.format(f"应为{options}之一: {{}}", shown))
            if f.required:
                e = pl.coalesce([_err(text == "", "不能为空"), e])
            errors[f.key] = e
            default = Urgency.NORMAL.value if f.key == "urgency" else ""
            cols.append(code.fill_null(default).alias(f.key))
        elif f.kind == "int":
            text = c.fill_null("").str.strip_chars()
            number = text.cast(pl.Float64, strict=False)
            bad = (text != "") & (number.is_null() | (number < 0) | (number != number.floor()))
            errors[f.key] = _err(bad, pl.format("不是有效的次数: {}", shown))
            cols.append(
                pl.when(text == "")
                .then(0)
                .otherwise(number)
                .cast(pl.Int64, strict=False)
                .fill_null(0)
                .alias(f.key)
            )
        elif f.kind == "bool":
            text = c.fill_null("").str.strip_chars()
            known = text.is_in([*TRUE, *FALSE, ""])
            errors[f.key] = _err(~known, pl.format("应为「是」或「否」: {}", shown))
            cols.append(text.is_in(TRUE).alias(f.key))
    checked = frame.select(pl.col("_line"), *cols, *[e.alias(f"_e_{k}") for k, e in errors.items()])
    # The handler unit, by name or code, within the importer's scope.
    checked = checked.with_columns(
        pl.col("handler")
        .replace_strict(dict(ctx.units), default=None, return_dtype=pl.Int64)
        .alias("unit_id")
    )
    checked = checked.with_columns(
        pl.coalesce(
            [
                pl.col("_e_handler"),
                _err(
                    (pl.col("handler") != "") & pl.col("unit_id").is_null(),
                    pl.format("不是本单位或下级单位: {}", pl.col("handler").str.slice(0, 40)),
                ),
            ]
        ).alias("_e_handler")
    )
    earliest = dt.datetime.combine(settings.FAZHI_EARLIEST_DATE, dt.time())
    checked = checked.with_columns(
        pl.coalesce(
            [
                pl.col("_e_called_at"),
                _err(
                    pl.col("called_at") < pl.lit(earliest),
                    f"早于{settings.FAZHI_EARLIEST_DATE:%Y-%m-%d}，请核对",
                ),
            ]
        ).alias("_e_called_at")
    )
    checked = with_order_errors(checked)
    checked = with_path(checked)
    checked = checked.with_columns(
        pl.coalesce(
            [
                pl.col("_e_number"),
                _err(
                    pl.col("number").is_duplicated() & (pl.col("number") != ""), "在文件中重复出现"
                ),
            ]
        ).alias("_e_number")
    )
    error_cols = [c for c in checked.columns if c.startswith("_e_")]
    errs = (
        checked.select("_line", *error_cols)
        .unpivot(index="_line", on=error_cols, variable_name="column", value_name="message")
        .drop_nulls("message")
        .with_columns(
            pl.col("column")
            .str.strip_prefix("_e_")
            .replace_strict({f.key: f.label for f in FIELDS} | {"path": ""}, default="")
        )
        .sort("_line")
    )
    return checked.drop(error_cols), errs


def with_order_errors(frame: pl.DataFrame) -> pl.DataFrame:
    """Each step no earlier than the one before it (as a step made in fazhi is refused)."""
    prev = pl.col("called_at")
    prev_label = pl.lit(BY_KEY["called_at"].label)
    for key in STEP_TIMES:
        cur = pl.col(key)
        early = cur.is_not_null() & prev.is_not_null() & (cur < prev)
        frame = frame.with_columns(
            pl.coalesce(
                [pl.col(f"_e_{key}"), _err(early, pl.format("早于「{}」", prev_label))]
            ).alias(f"_e_{key}")
        )
        prev_label = (
            pl.when(cur.is_not_null()).then(pl.lit(BY_KEY[key].label)).otherwise(prev_label)
        )
        prev = pl.coalesce([cur, prev])
    # A platform's 办理时限 lies after its 派单 (actions.check_limit).
    early_limit = pl.col("time_limit") < pl.col("dispatched_at")
    return frame.with_columns(
        pl.coalesce(
            [
                pl.col("_e_time_limit"),
                _err(early_limit, f"不能早于「{BY_KEY['dispatched_at'].label}」"),
            ]
        ).alias("_e_time_limit")
    )


def walk(steps: tuple[str, ...]) -> tuple[str, str]:
    """The status the transition table reaches by the moves `steps` from the initial status,
    or ("", the Chinese reason) where it refuses one: the kit's import replay, once per path."""
    status = LEDGER.initial
    for code in steps:
        move = LEDGER.move(code)
        if status not in move.sources:
            return "", out_of_turn(code, status)
        if move.target is not None:
            status = move.target
    return str(status), ""


def path_table() -> pl.DataFrame:
    rows = []
    for mask in range(1 << len(IMPORT_PATH)):
        steps = tuple(code for i, (code, _) in enumerate(IMPORT_PATH) if mask >> i & 1)
        status, error = walk(steps)
        rows.append((mask, status, error or None))
    return pl.DataFrame(
        rows, schema={"_mask": pl.Int64, "status": pl.String, "_e_path": pl.String}, orient="row"
    )


def mask_expr() -> pl.Expr:
    bits = []
    for i, (_, field) in enumerate(IMPORT_PATH):
        present = pl.col(field).is_not_null()
        if field == "visit_result":
            present = pl.col(field).fill_null("") != ""
        bits.append(present.cast(pl.Int64) * (1 << i))
    return pl.sum_horizontal(bits)


def with_path(frame: pl.DataFrame) -> pl.DataFrame:
    return (
        frame.with_columns(mask_expr().alias("_mask"))
        .join(path_table(), on="_mask", how="left")
        .drop("_mask")
    )


def with_limits(frame: pl.DataFrame) -> pl.DataFrame:
    """办理时限: the file's, else the SLA's from 派单 (ADR 0013), and the kit's caches."""
    pairs = [(c.value, u.value, sla.limit_for(c.value, u.value)) for c in Category for u in Urgency]
    table = pl.DataFrame(
        [(c, u, lim.amount, lim.unit.value) for c, u, lim in pairs if lim is not None],
        schema={
            "category": pl.String,
            "urgency": pl.String,
            "_amount": pl.Int64,
            "_unit": pl.String,
        },
        orient="row",
    )
    cal = get_calendar()
    work = frame.join(table, on=["category", "urgency"], how="left")
    work = work.with_columns(
        pl.when(pl.col("time_limit").is_null() & pl.col("dispatched_at").is_not_null())
        .then(pl.col("dispatched_at"))
        .otherwise(None)
        .alias("_sla_start")
    )
    work = timed_due_columns(
        work,
        start="_sla_start",
        amount="_amount",
        unit="_unit",
        calendar=cal,
        hours=sla.working_hours(),
        due="_sla_due",
        provisional="_sla_prov",
    )
    known = sorted(cal.known_years)
    dispatched = pl.col("dispatched_at").is_not_null()
    work = work.with_columns(
        pl.when(pl.col("time_limit").is_not_null())
        .then(pl.lit(LimitSource.FILE.value))
        .when(dispatched & pl.col("_sla_due").is_not_null())
        .then(pl.lit(LimitSource.SLA.value))
        .otherwise(pl.lit(""))
        .alias("limit_source"),
        pl.coalesce([pl.col("time_limit"), pl.col("_sla_due")]).alias("time_limit"),
    )
    handling = pl.col("status") == Status.HANDLING.value
    due_date = pl.when(dispatched).then(pl.col("time_limit").dt.date()).otherwise(None)
    work = work.with_columns(
        due_date.alias("handle_due_on"),
        pl.when(handling).then(due_date).otherwise(None).alias("due_on"),
        pl.when(handling & due_date.is_not_null())
        .then(pl.lit("handle"))
        .otherwise(pl.lit(""))
        .alias("due_kind"),
        (due_date.is_not_null() & ~due_date.dt.year().is_in(known)).alias("due_provisional"),
        pl.col("called_at").dt.date().alias("called_on"),
        pl.col("dispatched_at").dt.date().alias("dispatched_on"),
        pl.col("closed_at").dt.date().alias("closed_on"),
        phone_key(pl.col("phone")).alias("phone_key"),
        address_key(pl.col("address")).alias("address_key"),
    )
    return work.drop("_amount", "_unit", "_sla_start", "_sla_due", "_sla_prov")


def describe(value: Any) -> str:
    return "" if value is None else str(value)
