"""Importing a year of applications from Excel/CSV: all or nothing, and idempotent.

An existing 申请编号 with the same content is left alone; with different content it is an error
(changes to a registered application go through its actions, not through re-import).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fazhi.core.audit.models import AuditEvent, record_event
from fazhi.core.calendar.service import get_calendar
from fazhi.core.deadlines.clock import compute
from fazhi.core.imports.dbwrite import insert_many
from fazhi.core.imports.reader import read_table
from fazhi.core.imports.spec import RowError
from fazhi.core.tenancy.access import access_for
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.tenancy.roles import Permission
from fazhi.core.workflow import ActionError
from fazhi.ledgers.disclosure import rules
from fazhi.ledgers.disclosure.clock import current_deadline, reply_deadline
from fazhi.ledgers.disclosure.importing import SPEC, ImportRecord, to_record
from fazhi.ledgers.disclosure.models import (
    Application,
    ApplicationEvent,
    EventKind,
    Outcome,
    Status,
)


@dataclass
class ImportOutcome:
    rows: int = 0
    created: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False

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
        return f"共 {self.rows} 行：{verb}新申请 {self.created} 件，已存在且无变化 {self.unchanged} 件。"


def import_file(
    *,
    unit: OrgUnit,
    by: Any,
    data: bytes | IO[bytes] | Path,
    filename: str,
    dry_run: bool = False,
) -> ImportOutcome:
    if not access_for(by).can(unit.pk, Permission.REGISTER):
        raise ActionError("您没有向该单位导入台账的权限")
    outcome = ImportOutcome(dry_run=dry_run)
    parsed = read_table(data, filename, SPEC, max_bytes=settings.FAZHI_MAX_UPLOAD_BYTES)
    outcome.warnings = list(parsed.warnings)
    outcome.rows = parsed.row_count
    if not parsed.ok:
        outcome.errors = parsed.error_messages()
        return outcome
    today = timezone.localdate()
    records: list[ImportRecord] = []
    errors: list[RowError] = []
    for row in parsed.rows:
        record, row_errors = to_record(row, today)
        errors.extend(row_errors)
        if record is not None:
            records.append(record)
    existing = {
        a.number: a
        for a in Application.objects.filter(
            unit=unit, number__in=[r.number for r in records]
        ).prefetch_related("events")
    }
    new: list[ImportRecord] = []
    for r in records:
        stored = existing.get(r.number)
        if stored is None:
            new.append(r)
        elif _signature(stored) == r.signature():
            outcome.unchanged += 1
        else:
            errors.append(
                RowError(
                    r.line,
                    "申请编号",
                    f"「{r.number}」已存在，且内容与系统中的记录不同（修改请在系统中办理）",
                )
            )
    if errors:
        outcome.errors = [str(e) for e in errors]
        return outcome
    outcome.created = len(new)
    if dry_run or not new:
        return outcome
    with transaction.atomic():
        _write(unit, by, new, today, filename)
    return outcome


def _signature(app: Application) -> tuple[object, ...]:
    """Matches ImportRecord.signature(); step dates are read as the ledger export writes them."""
    first: dict[str, dt.date] = {}
    last: dict[str, dt.date] = {}
    for e in app.events.all():
        first.setdefault(e.kind, e.on)
        last[e.kind] = e.on
    return (
        app.received_on,
        app.applicant_category,
        app.applicant_name,
        app.content,
        app.replied_on,
        app.outcome,
        first.get(EventKind.CORRECTION_REQUESTED),
        last.get(EventKind.CORRECTED),
        first.get(EventKind.CONSULTATION_STARTED),
        last.get(EventKind.CONSULTATION_ENDED),
        first.get(EventKind.EXTENDED),
    )


def _events(r: ImportRecord, by: Any) -> list[ApplicationEvent]:
    cal = get_calendar()
    steps: list[tuple[str, dt.date | None, dict[str, Any]]] = [
        (EventKind.REGISTERED, r.received_on, {"channel": r.channel, "imported": True}),
    ]
    if r.correction_requested_on:
        deadline = compute(rules.CORRECTION_PERIOD, r.correction_requested_on, cal).due
        notice_due = compute(rules.CORRECTION_NOTICE, r.received_on, cal).due
        late = r.correction_requested_on > notice_due  # recorded as it happened, flagged
        steps.append(
            (
                EventKind.CORRECTION_REQUESTED,
                r.correction_requested_on,
                {"deadline": deadline.isoformat(), "late": late},
            )
        )
    steps += [
        (EventKind.CORRECTED, r.corrected_on, {}),
        (
            EventKind.CONSULTATION_STARTED,
            r.consultation_started_on,
            {"party_kind": "third_party", "party": ""},
        ),
        (EventKind.CONSULTATION_ENDED, r.consultation_ended_on, {}),
        (EventKind.EXTENDED, r.extended_on, {}),
    ]
    if r.replied_on:
        kind = {
            Outcome.OTHER_1: EventKind.CLOSED_UNCORRECTED,
            Outcome.OTHER_2: EventKind.CLOSED_UNPAID,
        }.get(Outcome(r.outcome), EventKind.REPLIED)
        steps.append((kind, r.replied_on, {"outcome": r.outcome}))
    # The steps were taken by people outside fazhi (a leader approved the extension, not the
    # clerk who imports the ledger): no actor, only who imported them.
    importer = by.get_username()
    return [
        ApplicationEvent(kind=k, on=on, data={**d, "imported_by": importer}, by=None)
        for k, on, d in steps
        if on is not None
    ]


def _status(r: ImportRecord) -> str:
    if r.replied_on:
        return Status.CLOSED
    if r.correction_requested_on and not r.corrected_on:
        return Status.AWAITING_CORRECTION
    if r.consultation_started_on and not r.consultation_ended_on:
        return Status.CONSULTING
    return Status.RECEIVED


def _write(
    unit: OrgUnit, by: Any, records: list[ImportRecord], today: dt.date, filename: str
) -> None:
    cal = get_calendar()
    user = by if getattr(by, "pk", None) else None
    apps: list[Application] = []
    events_per_app: list[list[ApplicationEvent]] = []
    for r in records:
        app = Application(
            unit=unit,
            number=r.number,
            received_on=r.received_on,
            channel=r.channel,
            applicant_category=r.applicant_category,
            applicant_name=r.applicant_name,
            id_number=r.id_number,
            contact=r.contact,
            content=r.content,
            status=_status(r),
            outcome=r.outcome,
            replied_on=r.replied_on,
            fee_amount=r.fee_amount,
            created_by=user,
        )
        events = _events(r, by)
        current = current_deadline(app, events, cal, today)
        reply = reply_deadline(app, events, cal, r.replied_on or today)
        app.due_on = current.deadline.due if current else None
        app.due_kind = current.kind if current else ""
        app.reply_due_on = reply.due
        app.due_provisional = current.deadline.provisional if current else reply.provisional
        apps.append(app)
        events_per_app.append(events)
    insert_many(Application, apps)
    all_events = []
    for app, events in zip(apps, events_per_app, strict=True):
        for e in events:
            e.application = app
            all_events.append(e)
    insert_many(ApplicationEvent, all_events)
    actor = by.get_username() if user else "系统"
    insert_many(
        AuditEvent,
        [
            AuditEvent(
                code="disclosure.application.imported",
                actor_id=getattr(user, "pk", None),
                actor=actor,
                unit_code=unit.code,
                object_type="disclosure.application",
                object_id=str(app.pk),
                data={"number": app.number, "file": filename},
            )
            for app in apps
        ],
    )
    record_event(
        "disclosure.import.completed",
        by=by,
        unit_code=unit.code,
        object_type="import",
        object_id=filename[:64],
        data={"file": filename, "created": len(apps)},
    )
