"""Importing a platform's export: streamed, columnar, all or nothing, idempotent by 工单编号.

Pass 1 reads the file in batches, cleans, parses and checks every column (columnar.py) and
spills the good batches to Parquet; its progress shows on the task page. Only a file without
errors reaches pass 2, which in one transaction joins each batch with the stored orders of the
importer's scope, derives status, 办理时限 and the kit's caches from the merged columns, and
writes: COPY on PostgreSQL, batched statements on SQLite. A changed order is updated and its
changes audited field by field; an unchanged one is left alone; new ones take their ids, are
grouped into repeats with the stored ones, and go in by COPY with their `repeat_of`. Why this
keeps to the kit's transition table: docs/adr/0013-columnar-import.md; the write path's
measurements: docs/adr/0016-hotline-import-write-path.md.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from fazhi.core.audit.models import AuditEvent, record_event
from fazhi.core.imports.dbwrite import indexes_rebuilt
from fazhi.core.tenancy.access import access_for, units_where
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.tenancy.names import display_name
from fazhi.core.tenancy.roles import Permission
from fazhi.core.workflow import ActionError
from fazhi.ledgers.hotline import bulkio, columnar, matching, repeats
from fazhi.ledgers.hotline.columns import BY_KEY, REQUIRED, normalise_header, own_mapping
from fazhi.ledgers.hotline.matching import row_message as _message
from fazhi.ledgers.hotline.models import (
    UPDATABLE,
    HeaderMapping,
    ImportBatch,
    LimitSource,
    WorkOrder,
)
from fazhi.ledgers.hotline.stream import StreamError, open_source

Progress = Callable[[int, int, str], None]
TZ = settings.TIME_ZONE
# Compared between the file and the stored order; any difference updates the order.
COMPARED = ("unit_id", *UPDATABLE)
OPTIONAL_STEP = (
    "dispatched_at",
    "time_limit",
    "feedback_at",
    "closed_at",
    "result",
    "visit_result",
)
DB_COLUMNS = (
    "unit_id", "number", "status", "due_on", "due_kind", "due_provisional", "created_by_id",
    "created_at", "void_reason", "called_at", "called_on", "phone", "phone_key", "requester",
    "address", "address_key", "category", "urgency", "content", "dispatched_at", "dispatched_on",
    "time_limit", "limit_source", "feedback_at", "closed_at", "closed_on", "result",
    "visit_result", "returns", "redispatches", "supervised", "import_batch_id", "handle_due_on",
)  # fmt: skip
UTC_TIMES = ("called_at", "dispatched_at", "time_limit", "feedback_at", "closed_at", "created_at")


@dataclass
class Outcome:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    repeats: int = 0  # of the orders the file created or changed, those repeating an earlier one
    errors: list[str] = field(default_factory=list)
    error_count: int = 0
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False
    batch_id: int | None = None
    mapping: str = ""  # the saved mapping the file was read with ("": fazhi's own headers)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add_errors(self, messages: list[str]) -> None:
        room = settings.FAZHI_HOTLINE_ERRORS_SHOWN - len(self.errors)
        self.errors.extend(messages[: max(0, room)])
        self.error_count += len(messages)

    @property
    def more_errors(self) -> int:
        return self.error_count - len(self.errors)

    def summary(self) -> str:
        if not self.ok:
            more = (
                f"（仅列出前 {len(self.errors)} 处，另有 {self.more_errors} 处）"
                if self.more_errors
                else ""
            )
            return f"导入失败：发现 {self.error_count} 处错误{more}，未写入任何工单。"
        verb = "可导入" if self.dry_run else "已导入"
        how = f"按表头映射「{self.mapping}」读取，" if self.mapping else ""
        return (
            f"{how}共 {self.rows} 行：{verb}新工单 {self.created} 件，更新 {self.updated} 件，"
            f"已存在且无变化 {self.unchanged} 件。"
            + (f"其中重复诉求 {self.repeats} 件。" if self.repeats else "")
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "repeats": self.repeats,
            "mapping": self.mapping,
            "errors": self.errors,
            "error_count": self.error_count,
            "warnings": self.warnings,
            "summary": self.summary(),
        }


class _Rollback(Exception):
    pass


def scope_units(unit: OrgUnit, by: Any) -> list[OrgUnit]:
    """The units an import into `unit` may name as 承办单位: `unit` and those below it where
    the importer may register."""
    return [u for u in units_where(by, Permission.REGISTER) if u.path.startswith(unit.path)]


def unit_lookup(units: list[OrgUnit]) -> dict[str, int]:
    found: dict[str, int] = {}
    for u in units:
        found[u.code] = u.pk
        found.setdefault(u.name, u.pk)
    return found


def resolve_mapping(unit: OrgUnit, name: str) -> dict[str, str]:
    """A saved mapping of the unit (or of a unit above it), by name."""
    ids = [int(p) for p in unit.path.strip("/").split("/") if p]
    found = HeaderMapping.objects.filter(unit_id__in=ids, name=name).order_by("-unit__path").first()
    if found is None:
        raise ActionError(f"未找到表头映射「{name}」")
    return dict(found.columns)


def detect_mapping(unit: OrgUnit, headers: list[str]) -> tuple[dict[str, str], str] | None:
    """The mapping a file's headers fit, so that a file of a known shape imports without
    asking: fazhi's own headers first, else the saved mapping of the unit (or of a unit above
    it) under which the file has every required column and the most columns mapped (ties: the
    nearest unit's). ("" for fazhi's own headers.) None when none fits."""
    own = own_mapping()
    if not column_plan(headers, own)[1]:
        return own, ""
    ids = [int(p) for p in unit.path.strip("/").split("/") if p]
    best: tuple[int, HeaderMapping] | None = None
    for m in HeaderMapping.objects.filter(unit_id__in=ids).order_by("-unit__path", "name"):
        index, errors, _ = column_plan(headers, dict(m.columns))
        if not errors and (best is None or len(index) > best[0]):
            best = (len(index), m)
    return (dict(best[1].columns), best[1].name) if best else None


def duplicate_headers(headers: list[str]) -> list[str]:
    """A header that appears twice in the first row (after normalising): which column is
    meant cannot be told."""
    seen: set[str] = set()
    errors = []
    for h in headers:
        n = normalise_header(h)
        if n in seen and n:
            errors.append(f"第1行「{h}」列重复出现，请删除或改名其中一列后重新导入")
        seen.add(n)
    return errors


def column_plan(
    headers: list[str], mapping: Mapping[str, str]
) -> tuple[dict[str, int], list[str], list[str]]:
    """(field key -> column index, errors, warnings) for a file's headers under `mapping`."""
    index: dict[str, int] = {}
    errors = duplicate_headers(headers)
    seen: dict[str, int] = {}
    for i, h in enumerate(headers):
        seen.setdefault(normalise_header(h), i)
    used: set[int] = set()
    for key, header in mapping.items():
        if key not in BY_KEY or not header:
            continue
        found = seen.get(normalise_header(header))
        if found is not None:
            index[key] = found
            used.add(found)
    for key in REQUIRED:
        if key not in index:
            wanted = mapping.get(key) or BY_KEY[key].label
            errors.append(f"缺少必填列「{BY_KEY[key].label}」（文件中应有表头「{wanted}」）")
    warnings = [f"已忽略无法对应的列「{h}」" for i, h in enumerate(headers) if i not in used and h]
    return index, errors, warnings


def preview(path: Path, filename: str, *, rows: int = 5) -> tuple[list[str], list[list[str]]]:
    """The headers and first rows of a file, for the mapping page."""
    with open_source(
        path, filename, batch_rows=rows, max_bytes=settings.FAZHI_HOTLINE_MAX_IMPORT_BYTES
    ) as src:
        first = next(src.frames, None)
        body = [] if first is None else [[v or "" for v in r] for r in first.head(rows).rows()]
        return src.headers, body


def import_orders(
    *,
    unit: OrgUnit,
    by: Any,
    path: Path,
    filename: str,
    mapping: Mapping[str, str] | None = None,
    mapping_name: str = "",
    dry_run: bool = False,
    progress: Progress | None = None,
    batch_rows: int = 50_000,
) -> Outcome:
    if not access_for(by).can(unit.pk, Permission.REGISTER):
        raise ActionError("您没有向该单位导入工单的权限")
    if mapping is None and mapping_name:
        mapping = resolve_mapping(unit, mapping_name)
    outcome = Outcome(dry_run=dry_run, mapping=mapping_name)
    units = scope_units(unit, by)
    ctx = columnar.Context(unit_lookup(units), timezone.localtime().replace(tzinfo=None))
    report = progress or (lambda done, total, message: None)
    with tempfile.TemporaryDirectory(prefix="fazhi-hotline-") as spill:
        try:
            parts = _check(
                path, filename, unit, mapping, ctx, outcome, report, batch_rows, Path(spill)
            )
        except StreamError as exc:
            outcome.add_errors([str(exc)])
            return outcome
        if not outcome.ok:
            return outcome
        try:
            with transaction.atomic():
                _write_all(
                    unit, by, units, parts, filename, outcome.mapping, outcome, report, Path(spill)
                )
                if not outcome.ok or dry_run:
                    raise _Rollback
        except _Rollback:
            outcome.batch_id = None if dry_run or not outcome.ok else outcome.batch_id
    return outcome


def _check(
    path: Path,
    filename: str,
    unit: OrgUnit,
    mapping: Mapping[str, str] | None,
    ctx: columnar.Context,
    outcome: Outcome,
    report: Progress,
    batch_rows: int,
    spill: Path,
) -> list[Path]:
    parts: list[Path] = []
    with open_source(
        path, filename, batch_rows=batch_rows, max_bytes=settings.FAZHI_HOTLINE_MAX_IMPORT_BYTES
    ) as src:
        if mapping is None:
            # Named before guessing: a duplicated header fits no mapping, fazhi's own neither.
            duplicated = duplicate_headers(src.headers)
            if duplicated:
                outcome.add_errors(duplicated)
                return parts
            found = detect_mapping(unit, src.headers)
            if found is None:
                shown = "".join(f"「{h[:20]}」" for h in src.headers[:5] if h) or "（空）"
                outcome.add_errors(
                    [
                        f"无法识别文件的表头：第1行为{shown}，既不是本系统的表头"
                        "（如「工单编号」「来电时间」），也不符合本单位已保存的任何表头映射。"
                        "请确认文件第1行是表头，或先设置表头映射"
                    ]
                )
                return parts
            mapping, outcome.mapping = found
        index, errors, warnings = column_plan(src.headers, mapping)
        outcome.warnings.extend(warnings)
        if errors:
            outcome.add_errors(errors)
            return parts
        offset = 0
        for raw in src.frames:
            frame = raw.select(
                *[pl.col(f"c{i}").alias(key) for key, i in index.items()],
            ).with_row_index("_line", offset=offset + 2)
            frame = frame.with_columns(pl.col("_line").cast(pl.Int64))
            blank = pl.all_horizontal(
                [pl.col(k).fill_null("").str.strip_chars() == "" for k in index]
            )
            frame = frame.filter(~blank)
            offset += raw.height
            typed, errs = columnar.parse(frame, ctx)
            if errs.height:
                outcome.add_errors(
                    [
                        _message(line, col, msg)
                        for line, col, msg in errs.head(settings.FAZHI_HOTLINE_ERRORS_SHOWN).rows()
                    ]
                    + [""] * max(0, errs.height - settings.FAZHI_HOTLINE_ERRORS_SHOWN)
                )
                outcome.errors = [e for e in outcome.errors if e]
            outcome.rows += typed.height
            if outcome.ok:
                part = spill / f"{len(parts):05d}.parquet"
                typed.write_parquet(part)
                parts.append(part)
            report(
                min(offset, max(src.total, offset)), max(src.total, offset), f"已检查 {offset} 行"
            )
    # Numbers repeated across batches (each batch checked its own).
    if outcome.ok and len(parts) > 1:
        dup = (
            pl.scan_parquet([str(p) for p in parts])
            .select("number", "_line")
            .filter(pl.col("number").is_duplicated())
            .sort("_line")
            .collect()
        )
        if dup.height:
            outcome.add_errors(
                [_message(line, "工单编号", "在文件中重复出现") for number, line in dup.rows()]
            )
    if outcome.ok and parts:
        outcome.add_errors(matching.case_variants_in_file(parts))
    if outcome.rows == 0 and outcome.ok:
        outcome.add_errors(["文件中没有数据行"])
    return parts


# --- pass 2: merge with the stored orders and write ----------------------------------------


def _write_all(
    unit: OrgUnit,
    by: Any,
    units: list[OrgUnit],
    parts: list[Path],
    filename: str,
    mapping_name: str,
    outcome: Outcome,
    report: Progress,
    spill: Path,
) -> None:
    """Changed orders are updated batch by batch; new ones get their ids and wait in the spill
    until the repeats are grouped with them, then go in by COPY with their `repeat_of` (an
    UPDATE after COPY would write a repeating order, and its every index entry, twice)."""
    user = by if getattr(by, "pk", None) else None
    batch = ImportBatch.objects.create(
        unit=unit,
        filename=filename[:255],
        by=user,
        actor=by.get_username(),
        mapping=mapping_name[:100],
    )
    outcome.batch_id = batch.pk
    unit_ids = [u.pk for u in units]
    codes = {u.pk: u.code for u in units}
    done = 0
    now = timezone.now()
    since: dt.date | None = None  # the earliest call date the file touches (old or new)
    ids = bulkio.Ids(WorkOrder._meta.db_table)
    new_parts: list[Path] = []
    for part in parts:
        frame = pl.read_parquet(part)
        stored = _stored(frame.get_column("number").to_list(), unit_ids)
        merged, errs = _merge(frame, stored)
        errs += matching.case_variants_stored(frame, stored, unit_ids)
        if errs:
            outcome.add_errors(errs)
            return
        for col in ("called_at", "called_at_old"):
            first = merged.get_column(col).min()
            if isinstance(first, dt.datetime):
                since = min(since, first.date()) if since else first.date()
        merged = columnar.with_limits(merged)
        new = merged.filter(pl.col("id").is_null())
        old = merged.filter(pl.col("id").is_not_null())
        changes = _changes(old, stored)
        changed = old.join(changes.select("id"), on="id", how="semi")
        outcome.created += new.height
        outcome.updated += changed.height
        outcome.unchanged += old.height - changed.height
        if not outcome.dry_run:
            if new.height:
                # Ids in the order of the unit-first indexes: a unit's entries go in together.
                rows = _db_frame(new.sort("unit_id", "called_at"), batch.pk, user, now)
                rows = rows.with_columns(ids.take(rows.height)).with_columns(
                    pl.lit(None, pl.Int64).alias("repeat_of_id")
                )
                new_parts.append(spill / f"new-{len(new_parts):05d}.parquet")
                rows.write_parquet(new_parts[-1])
            _update(changed, batch.pk)
            _audit_changes(changes, by, user, codes, now, filename)
        done += frame.height
        report(done, outcome.rows, f"已写入 {done}/{outcome.rows} 行")
    if outcome.dry_run:
        return
    # Grouping updates stored orders to point at new ones not yet written: inside the block,
    # where a rebuild checks the foreign keys once, after the rows (ADR 0019).
    with indexes_rebuilt(WorkOrder, outcome.created) as rebuilt:
        if rebuilt:
            report(done, outcome.rows, "正在批量写入并重建索引，完成前工单列表暂停查询")
        roots = _group(unit_ids, since, new_parts)
        for path in new_parts:
            rows = pl.read_parquet(path)
            rows = rows.drop("repeat_of_id").join(roots, on="id", how="left", maintain_order="left")
            bulkio.write(WorkOrder._meta.db_table, rows.rename({"new": "repeat_of_id"}))
    outcome.repeats = WorkOrder.objects.filter(
        import_batch_id=batch.pk, repeat_of__isnull=False
    ).count()
    batch.rows, batch.created, batch.updated, batch.unchanged = (
        outcome.rows,
        outcome.created,
        outcome.updated,
        outcome.unchanged,
    )
    batch.save(update_fields=["rows", "created", "updated", "unchanged"])
    record_event(
        "hotline.import.completed",
        by=by,
        unit_code=unit.code,
        object_type="hotline.import",
        object_id=str(batch.pk),
        data={
            "file": filename,
            "rows": outcome.rows,
            "created": outcome.created,
            "updated": outcome.updated,
            "display": display_name(by) if user else "系统",
        },
    )


PENDING = ("id", "unit_id", "called_at", "called_on", "phone_key", "address_key", "content")


def _group(unit_ids: list[int], since: dt.date | None, new_parts: list[Path]) -> pl.DataFrame:
    """Groups the new orders (in the spill) with the stored ones; the new orders' roots."""
    roots = pl.DataFrame(schema={"id": pl.Int64, "new": pl.Int64})
    if since is None:
        return roots
    pending = (
        pl.scan_parquet([str(p) for p in new_parts])
        .select(*PENDING)
        .with_columns(pl.col("called_at").dt.replace_time_zone("UTC"))
        .collect()
        if new_parts
        else None
    )
    found = repeats.group_repeats(
        WorkOrder.objects.filter(unit_id__in=unit_ids), since=since, pending=pending
    )
    return roots if found.pending_roots is None else found.pending_roots


def _to_local(expr: pl.Expr) -> pl.Expr:
    return expr.dt.replace_time_zone("UTC").dt.convert_time_zone(TZ).dt.replace_time_zone(None)


def _to_utc(expr: pl.Expr) -> pl.Expr:
    return expr.dt.replace_time_zone(TZ).dt.convert_time_zone("UTC").dt.replace_time_zone(None)


STORED = ("id", "number", "voided_at", "limit_source", *COMPARED)


def _stored(numbers: list[str], unit_ids: list[int]) -> pl.DataFrame:
    """The stored orders of the scope with these numbers, times as local naive datetimes."""
    qn = connection.ops.quote_name
    table = qn(WorkOrder._meta.db_table)
    times = {"called_at", "dispatched_at", "time_limit", "feedback_at", "closed_at", "voided_at"}
    if connection.vendor == "postgresql":
        select = ", ".join(
            f"to_char({qn(c)} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')" if c in times else qn(c)
            for c in STORED
        )
    else:
        select = ", ".join(f"substr({qn(c)}, 1, 19)" if c in times else qn(c) for c in STORED)
    select = select.replace(qn("supervised"), f"CASE WHEN {qn('supervised')} THEN 1 ELSE 0 END")
    units = ", ".join(str(int(u)) for u in unit_ids) or "NULL"
    schema: dict[str, Any] = dict.fromkeys(STORED, pl.String)
    schema.update(
        id=pl.Int64, unit_id=pl.Int64, returns=pl.Int64, redispatches=pl.Int64, supervised=pl.Int64
    )
    frame = bulkio.read(
        f"SELECT {select} FROM {table} WHERE {qn('unit_id')} IN ({units}) AND {{within}}",
        schema,
        within=(qn("number"), numbers),
    )
    return frame.with_columns(
        pl.col("supervised").cast(pl.Boolean),
        *[
            _to_local(
                pl.col(c).str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False, time_unit="us")
            ).alias(c)
            for c in times
        ],
    )


def _merge(frame: pl.DataFrame, stored: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    """The file's rows with the stored ones; a blank step in the file keeps the stored value,
    and the status is walked again over the merged steps."""
    old = stored.rename({c: f"{c}_old" for c in stored.columns if c != "number"})
    joined = frame.join(old, on="number", how="left")
    voided = joined.filter(pl.col("voided_at_old").is_not_null()).select("_line", "number")
    errs = [_message(line, "工单编号", f"「{n}」已作废，不能再次导入") for line, n in voided.rows()]
    joined = joined.with_columns(*matching.as_exported(joined.columns))
    kept_limit = pl.when(pl.col("limit_source_old") == LimitSource.FILE.value).then(
        pl.col("time_limit_old")
    )
    merged = joined.with_columns(
        *[
            pl.coalesce([pl.col(c), pl.col(f"{c}_old")]).alias(c)
            for c in ("dispatched_at", "feedback_at", "closed_at")
        ],
        *[
            pl.when(pl.col(c) == "")
            .then(pl.col(f"{c}_old").fill_null(""))
            .otherwise(pl.col(c))
            .alias(c)
            for c in ("result", "visit_result")
        ],
        # The file's own limit; else a platform limit stored before; else the SLA afresh.
        pl.coalesce([pl.col("time_limit"), kept_limit]).alias("time_limit"),
        pl.col("id_old").alias("id"),
    )
    merged = merged.drop("status", "_e_path", strict=False).with_columns(
        *[pl.lit(None, pl.String).alias(f"_e_{k}") for k in columnar.ORDER_CHECKED]
    )
    merged = columnar.with_path(columnar.with_order_errors(merged))
    checks = [f"_e_{k}" for k in columnar.ORDER_CHECKED]
    for line, var, msg in (
        merged.select("_line", *checks).unpivot(index="_line", on=checks).drop_nulls("value").rows()
    ):
        errs.append(_message(line, BY_KEY[var.removeprefix("_e_")].label, msg))
    errs += [
        _message(line, "", msg)
        for line, msg in merged.select("_line", "_e_path").drop_nulls("_e_path").rows()
    ]
    return merged.drop(*checks, "_e_path"), errs


def _json_text(expr: pl.Expr) -> pl.Expr:
    """A JSON encoding of each value (polars encodes structs, so wrap and unwrap one)."""
    return pl.struct(expr.alias("v")).struct.json_encode().str.slice(5).str.strip_suffix("}")


def _changes(old: pl.DataFrame, stored: pl.DataFrame) -> pl.DataFrame:
    """Per changed order: id, unit, number and the JSON of {field label: [old, new]}."""
    if old.height == 0:
        return pl.DataFrame(
            schema={"id": pl.Int64, "unit_id": pl.Int64, "number": pl.String, "changes": pl.String}
        )
    fragments = []
    for c in COMPARED:
        new_v, old_v = pl.col(c), pl.col(f"{c}_old")
        if c in ("called_at", "dispatched_at", "time_limit", "feedback_at", "closed_at"):
            new_s, old_s = (
                new_v.dt.strftime("%Y-%m-%d %H:%M:%S"),
                old_v.dt.strftime("%Y-%m-%d %H:%M:%S"),
            )
        else:
            new_s, old_s = new_v.cast(pl.String), old_v.cast(pl.String)
        differs = new_s.ne_missing(old_s)
        label = (
            "承办单位"
            if c == "unit_id"
            else getattr(WorkOrder._meta.get_field(c), "verbose_name", c)
        )
        pair = pl.concat_list([old_s, new_s])
        fragments.append(
            pl.when(differs)
            .then(pl.concat_str(pl.lit(_json(str(label)) + ":"), _json_text(pair)))
            .otherwise(None)
        )
    out = old.select(
        "id", "unit_id", "number", pl.concat_list(fragments).list.drop_nulls().alias("_f")
    ).filter(pl.col("_f").list.len() > 0)
    return out.select(
        "id",
        "unit_id",
        "number",
        pl.concat_str(pl.lit("{"), pl.col("_f").list.join(","), pl.lit("}")).alias("changes"),
    )


def _db_frame(frame: pl.DataFrame, batch_id: int, user: Any, now: dt.datetime) -> pl.DataFrame:
    created = now.astimezone(dt.UTC).replace(tzinfo=None)
    out = frame.with_columns(
        pl.lit(getattr(user, "pk", None), pl.Int64).alias("created_by_id"),
        pl.lit(created, pl.Datetime("us")).alias("created_at"),
        pl.lit("").alias("void_reason"),
        pl.lit(batch_id, pl.Int64).alias("import_batch_id"),
        *[_to_utc(pl.col(c)).alias(c) for c in UTC_TIMES if c != "created_at"],
    )
    return out.select(*DB_COLUMNS)


def _insert(frame: pl.DataFrame, batch_id: int, user: Any, now: dt.datetime) -> None:
    if frame.height == 0:
        return
    # In the order of the unit-first indexes: each unit's entries go in side by side.
    rows = _db_frame(frame.sort("unit_id", "called_at"), batch_id, user, now)
    bulkio.write(WorkOrder._meta.db_table, rows)


def _update(frame: pl.DataFrame, batch_id: int) -> None:
    if frame.height == 0:
        return
    rows = (
        _db_frame(frame, batch_id, None, timezone.now())
        .drop("created_by_id", "created_at", "number")
        .with_columns(frame.get_column("id"))
    )
    qn = connection.ops.quote_name
    table = qn(WorkOrder._meta.db_table)
    cols = [c for c in rows.columns if c != "id"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            listed = ", ".join(qn(c) for c in rows.columns)
            cursor.execute(
                f"CREATE TEMP TABLE hotline_update ON COMMIT DROP AS SELECT {listed} FROM {table} WITH NO DATA"
            )
            bulkio.copy_in(cursor, "hotline_update", rows)
            sets = ", ".join(f"{qn(c)} = u.{qn(c)}" for c in cols)
            cursor.execute(f"UPDATE {table} t SET {sets} FROM hotline_update u WHERE t.id = u.id")
            cursor.execute("DROP TABLE hotline_update")
        return
    sets = ", ".join(f"{qn(c)} = %s" for c in cols)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {sets} WHERE id = %s",
            list(rows.select(*cols, "id").pipe(bulkio.sqlite_values).iter_rows()),
        )


def _audit_changes(
    changes: pl.DataFrame,
    by: Any,
    user: Any,
    codes: dict[int, str],
    now: dt.datetime,
    filename: str,
) -> None:
    if changes.height == 0:
        return
    created = now.astimezone(dt.UTC).replace(tzinfo=None)
    rows = changes.select(
        pl.lit(created, pl.Datetime("us")).alias("at"),
        pl.lit("hotline.order.updated").alias("code"),
        pl.lit(getattr(user, "pk", None), pl.Int64).alias("actor_id"),
        pl.lit(by.get_username() if user else "系统").alias("actor"),
        pl.col("unit_id")
        .replace_strict(codes, default="", return_dtype=pl.String)
        .alias("unit_code"),
        pl.lit("hotline.order").alias("object_type"),
        pl.col("id").cast(pl.String).alias("object_id"),
        pl.concat_str(
            pl.lit('{"number": '),
            _json_text(pl.col("number")),
            pl.lit(f', "file": {_json(filename)}, "changes": '),
            pl.col("changes"),
            pl.lit("}"),
        ).alias("data"),
    )
    bulkio.write(AuditEvent._meta.db_table, rows)


def _json(value: str) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)
