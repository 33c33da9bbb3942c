"""Importing a ledger file: every row is validated like the form and its steps are replayed
through the ledger's transition table — the same moves, guards and field checks, no second
status logic. All or nothing; idempotent on the record's number.

Historical steps that break a guard (a 补正 notice sent after 7 工作日) are kept as they
happened and flagged, never silently accepted; a step that needs an approval is recorded as
imported with the approver the file names, never as the importing clerk's own act.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fazhi.core.audit.models import AuditEvent, record_event
from fazhi.core.calendar.service import get_calendar
from fazhi.core.imports.dbwrite import insert_many
from fazhi.core.imports.reader import read_table
from fazhi.core.imports.spec import ImportSpec, ParsedRow, RowError
from fazhi.core.records.clocks import cached_values
from fazhi.core.records.ledger import Ledger
from fazhi.core.records.models import Handoff
from fazhi.core.records.numbering import check_own_number
from fazhi.core.records.perform import check_fields, check_start_date
from fazhi.core.tenancy.access import access_for
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.tenancy.names import display_name
from fazhi.core.tenancy.roles import Permission
from fazhi.core.workflow import ActionError, StepContext

# A step's approver is a person's name as the file gives it; an import column naming one
# carries this limit (the approvals made in fazhi record the approving user's name).
APPROVER_MAX_LENGTH = 100


@dataclass(frozen=True)
class ImportStep:
    """One dated step of an imported row, named by its move in the ledger's table."""

    move: str
    on: dt.date
    column: str  # the header the date came from, for messages
    data: Mapping[str, Any] = field(default_factory=dict)
    changes: Mapping[str, Any] = field(default_factory=dict)  # record fields the step sets
    approver: str = ""  # who approved it, as the file names them


@dataclass(frozen=True)
class ImportRow:
    line: int
    number: str
    fields: dict[str, Any]  # the record's own fields, as the register form would give them
    steps: Sequence[ImportStep] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)  # fields not validated as input
    children: Mapping[str, Sequence[dict[str, Any]]] = field(default_factory=dict)  # by ChildSpec
    # The registration step's data, as the ledger's register action writes it (clocks read it).
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportDeclaration:
    """What a ledger declares for its import file."""

    spec: ImportSpec
    to_row: Callable[[ParsedRow, dt.date], tuple[ImportRow | None, list[RowError]]]
    # What re-importing compares, for a stored record (with its events) and for a row.
    stored_signature: Callable[[Any, list[Any]], tuple[object, ...]]
    row_signature: Callable[[ImportRow], tuple[object, ...]]
    headers: Mapping[str, str] = field(default_factory=dict)  # record field -> column header
    noun: str = "记录"  # what a row is, in the summary ("申请", "信访事项")
    # References a row makes within the importing unit (a committee named in a cell):
    # `resolve(unit, by, row)` -> the row with the objects in its fields and steps, or errors.
    # It reads through the door of `by`, like the form's choices.
    resolve: Callable[[OrgUnit, Any, ImportRow], tuple[ImportRow | None, list[RowError]]] | None = (
        None
    )


@dataclass
class ImportOutcome:
    rows: int = 0
    created: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False
    noun: str = "记录"

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_json(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "created": self.created,
            "unchanged": self.unchanged,
            "errors": self.errors,
            "warnings": self.warnings,
        }

    def summary(self) -> str:
        if self.errors:
            return f"导入失败：发现 {len(self.errors)} 处错误，未写入任何记录。"
        verb = "可导入" if self.dry_run else "已导入"
        return f"共 {self.rows} 行：{verb}新{self.noun} {self.created} 件，已存在且无变化 {self.unchanged} 件。"


@dataclass
class _Built:
    row: ImportRow
    record: Any
    events: list[Any]


def import_file(
    ledger: Ledger,
    declaration: ImportDeclaration,
    *,
    unit: OrgUnit,
    by: Any,
    data: bytes | IO[bytes] | Path,
    filename: str,
    dry_run: bool = False,
) -> ImportOutcome:
    if not access_for(by).can(unit.pk, Permission.REGISTER):
        raise ActionError("您没有向该单位导入台账的权限")
    outcome = ImportOutcome(dry_run=dry_run, noun=declaration.noun)
    parsed = read_table(data, filename, declaration.spec, max_bytes=settings.FAZHI_MAX_UPLOAD_BYTES)
    outcome.warnings = list(parsed.warnings)
    outcome.rows = parsed.row_count
    if not parsed.ok:
        outcome.errors = parsed.error_messages()
        return outcome
    today = timezone.localdate()
    errors: list[RowError] = []
    rows: list[ImportRow] = []
    converted = [declaration.to_row(parsed_row, today) for parsed_row in parsed.rows]
    handed = _handed_away(ledger, unit, by, [r.number for r, _ in converted if r is not None])
    for row, row_errors in converted:
        if row is not None and row.number in handed:
            # An export of this unit lists the records it handed up (it still reads them);
            # importing that export back leaves them to the unit that holds them now.
            outcome.unchanged += 1
            outcome.warnings.append(
                f"第{row.line}行「{row.number}」已移交{handed[row.number]}办理，本单位不再导入或修改"
            )
            continue
        if row is not None and declaration.resolve is not None:
            row, more = declaration.resolve(unit, by, row)
            row_errors = [*row_errors, *more]
        errors.extend(row_errors)
        if row is not None:
            rows.append(row)
    existing = {
        r.number: r
        for r in ledger.model.with_voided.filter(
            unit=unit, number__in=[r.number for r in rows]
        ).prefetch_related("events")
    }
    built: list[_Built] = []
    importer_id = getattr(by, "pk", None)
    for row in rows:
        stored = existing.get(row.number)
        if stored is not None:
            _compare(declaration, row, stored, outcome, errors)
            continue
        try:
            built.append(_build(ledger, declaration, unit, by, row, importer_id, today))
        except _RowProblem as exc:
            errors.append(RowError(row.line, exc.column, exc.message))
    if errors:
        outcome.errors = [str(e) for e in errors]
        return outcome
    for b in built:
        for e in b.events:
            for flag in e.data.get("flags", []):
                column = e.data.get("column", "")
                where = f"「{column}」" if column else "："
                outcome.warnings.append(f"第{b.row.line}行{where}{flag}（已如实导入并标注）")
    outcome.created = len(built)
    if dry_run or not built:
        return outcome
    cal = get_calendar()
    for b in built:
        for name, value in cached_values(ledger, b.record, b.events, cal, today).items():
            setattr(b.record, name, value)
    with transaction.atomic():
        _write(ledger, unit, by, built, filename)
    return outcome


def _handed_away(ledger: Ledger, unit: OrgUnit, by: Any, numbers: list[str]) -> dict[str, str]:
    """Number -> the unit now holding it, for the records `unit` handed away (that `by` may
    still see through the door)."""
    # The unit's trail is short (a few cases a year) while a file may hold many rows: read the
    # trail and match the numbers here rather than sending every number to the database.
    wanted = set(numbers)
    trail = [
        record_id
        for number, record_id in Handoff.objects.filter(
            model=ledger.model._meta.label_lower, from_unit=unit
        ).values_list("number", "record_id")
        if number in wanted
    ]
    if not trail:
        return {}
    held = (
        ledger.model.objects.visible_to(by)
        .filter(pk__in=trail)
        .exclude(unit=unit)
        .select_related("unit")
    )
    return {r.number: r.unit.name for r in held}


def _compare(
    declaration: ImportDeclaration,
    row: ImportRow,
    stored: Any,
    outcome: ImportOutcome,
    errors: list[RowError],
) -> None:
    header = declaration.spec.column(declaration.spec.key or "number").header
    if stored.voided_at is not None:
        errors.append(RowError(row.line, header, f"「{row.number}」已作废，不能再次导入"))
    elif declaration.stored_signature(
        stored, list(stored.events.all())
    ) == declaration.row_signature(row):
        outcome.unchanged += 1
    else:
        errors.append(
            RowError(
                row.line,
                header,
                f"「{row.number}」已存在，且内容与系统中的记录不同（修改请在系统中办理）",
            )
        )


class _RowProblem(Exception):
    def __init__(self, column: str | None, message: str) -> None:
        super().__init__(message)
        self.column, self.message = column, message


def _build(
    ledger: Ledger,
    declaration: ImportDeclaration,
    unit: OrgUnit,
    by: Any,
    row: ImportRow,
    importer_id: int | None,
    today: dt.date,
) -> _Built:
    try:
        fields = check_fields(ledger.model, {**row.fields, "number": row.number})
        fields.pop("number")
        ledger.validate(fields)
    except ActionError as exc:
        key = declaration.spec.key if exc.field == "number" else exc.field
        column = declaration.headers.get(key or "")
        message = exc.message
        if column:  # the column header is shown once, before the message
            message = message.removeprefix(f"「{ledger.field_label(exc.field or '')}」")
        raise _RowProblem(column, message) from exc
    record = ledger.model(
        unit=unit,
        number=row.number,
        status=ledger.initial,
        created_by=by if getattr(by, "pk", None) else None,
        **fields,
        **row.extra,
    )
    try:
        check_own_number(ledger, record)
    except ActionError as exc:
        column = declaration.spec.column(declaration.spec.key or "number").header
        raise _RowProblem(column, exc.message) from exc
    stamp = {
        "imported_by": by.get_username(),
        "imported_by_name": display_name(by),
        "imported_by_id": importer_id,
    }
    start = fields[ledger.start_field]
    try:
        check_start_date(ledger, start)
    except ActionError as exc:
        raise _RowProblem(declaration.headers.get(ledger.start_field), exc.message) from exc
    registered = {**row.data, **stamp}
    events = [ledger.event_model(kind=ledger.registered_event, on=start, by=None, data=registered)]
    # By date; the row's own order of its steps decides between steps on the same day.
    for _, step in sorted(enumerate(row.steps), key=lambda pair: (pair[1].on, pair[0])):
        events.append(_replay(ledger, record, events, step, stamp, importer_id, today))
    return _Built(row, record, events)


def _replay(
    ledger: Ledger,
    record: Any,
    events: list[Any],
    step: ImportStep,
    stamp: dict[str, Any],
    importer_id: int | None,
    today: dt.date,
) -> Any:
    move = ledger.move(step.move)
    if record.status not in move.sources:
        status = ledger.statuses(record.status).label
        raise _RowProblem(
            step.column, f"「{move.label}」不能在「{status}」状态下发生（请核对各环节的日期和顺序）"
        )
    if step.on > today:  # as a step made in fazhi refuses it
        raise _RowProblem(step.column, _not_after(today))
    if step.on < events[-1].on:
        raise _RowProblem(step.column, f"早于上一办理环节的日期（{events[-1].on.isoformat()}）")
    ctx = StepContext(
        record, events, None, step.on, importer_id=importer_id, approver=step.approver
    )
    # The ledger's own findings on the step's content (e.g. a reply without its reasons), then
    # the guards the step broke: kept as the file has it, flagged.
    flags = [
        *step.data.get("flags", ()),
        *(reason for guard in move.guards if (reason := guard(ctx))),
    ]
    data = {**step.data, **stamp, "column": step.column}
    if move.permission is Permission.APPROVE:
        if step.approver:
            data["approver"] = step.approver
        else:
            flags.append("文件未注明批准人")
    if flags:
        data["flags"] = flags
    if "status" in step.changes:
        raise ValueError(f"move {move.code}: the status comes from the move's target, not changes")
    for name, value in step.changes.items():
        setattr(record, name, value)
    if move.target is not None:
        record.status = move.target
    return ledger.event_model(kind=move.event_kind, on=step.on, by=None, data=data)


def _not_after(today: dt.date) -> str:
    return f"不能晚于今天（{today.isoformat()}）"


def _write(ledger: Ledger, unit: OrgUnit, by: Any, built: list[_Built], filename: str) -> None:
    user = by if getattr(by, "pk", None) else None
    records = [b.record for b in built]
    insert_many(ledger.model, records)
    all_events = []
    for b in built:
        for e in b.events:
            e.record = b.record
            all_events.append(e)
    insert_many(ledger.event_model, all_events)
    for spec in ledger.children:
        rows = [
            spec.model(record=b.record, created_by=user, **fields)
            for b in built
            for fields in b.row.children.get(spec.code, ())
        ]
        insert_many(spec.model, rows)
    actor = by.get_username() if user else "系统"
    insert_many(
        AuditEvent,
        [
            AuditEvent(
                code=f"{ledger.audit_object}.imported",
                actor_id=getattr(user, "pk", None),
                actor=actor,
                unit_code=unit.code,
                object_type=ledger.audit_object,
                object_id=str(r.pk),
                data={"number": r.number, "file": filename},
            )
            for r in records
        ],
    )
    record_event(
        f"{ledger.slug}.import.completed",
        by=by,
        unit_code=unit.code,
        object_type="import",
        object_id=filename[:64],
        data={"file": filename, "created": len(records)},
    )
