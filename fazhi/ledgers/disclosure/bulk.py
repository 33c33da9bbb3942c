"""Importing a year of applications from Excel/CSV through the record kit: each row's step dates
become moves of the transition table, replayed with the same guards as the forms.

An existing 申请编号 with the same content is left alone; with different content it is an error
(changes to a registered application go through its actions, not through re-import).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import IO, Any

from fazhi.core.calendar.service import get_calendar
from fazhi.core.deadlines.clock import compute
from fazhi.core.imports.spec import ParsedRow, RowError
from fazhi.core.records import bulk
from fazhi.core.records.bulk import ImportDeclaration, ImportOutcome, ImportRow, ImportStep
from fazhi.core.tenancy.models import OrgUnit
from fazhi.ledgers.disclosure import replies, rules
from fazhi.ledgers.disclosure.importing import HEADERS, SPEC, ImportRecord, to_record
from fazhi.ledgers.disclosure.ledger import LEDGER
from fazhi.ledgers.disclosure.models import Application, EventKind, Outcome

__all__ = ["DECLARATION", "ImportOutcome", "import_file"]

CLOSING_MOVE = {Outcome.OTHER_1: "close_uncorrected", Outcome.OTHER_2: "close_unpaid"}


def _steps(r: ImportRecord) -> list[ImportStep]:
    cal = get_calendar()
    steps: list[ImportStep] = []
    if r.correction_requested_on:
        deadline = compute(rules.CORRECTION_PERIOD, r.correction_requested_on, cal).due
        notice_due = compute(rules.CORRECTION_NOTICE, r.received_on, cal).due
        data = {"deadline": deadline.isoformat(), "late": r.correction_requested_on > notice_due}
        steps.append(
            ImportStep(
                "request_correction",
                r.correction_requested_on,
                HEADERS["correction_requested_on"],
                data,
            )
        )
    if r.corrected_on:
        steps.append(ImportStep("record_correction", r.corrected_on, HEADERS["corrected_on"]))
    if r.consultation_started_on:
        data = {"party_kind": "third_party", "party": ""}
        steps.append(
            ImportStep(
                "start_consultation",
                r.consultation_started_on,
                HEADERS["consultation_started_on"],
                data,
            )
        )
    if r.consultation_ended_on:
        steps.append(
            ImportStep(
                "end_consultation", r.consultation_ended_on, HEADERS["consultation_ended_on"]
            )
        )
    if r.fee_notice_on:
        steps.append(ImportStep("issue_fee_notice", r.fee_notice_on, HEADERS["fee_notice_on"]))
    if r.extended_on:
        extension: dict[str, object] = {"amount": r.extension_days or rules.EXTENSION.amount}
        if r.extension_told_on:
            extension["told_on"] = r.extension_told_on.isoformat()
        steps.append(
            ImportStep(
                "extend",
                r.extended_on,
                HEADERS["extended_on"],
                extension,
                approver=r.extension_approver,
            )
        )
    if r.replied_on:
        move = CLOSING_MOVE.get(Outcome(r.outcome), "reply")
        steps.append(
            ImportStep(
                move,
                r.replied_on,
                HEADERS["replied_on"],
                {"outcome": r.outcome, **_reply_data(r)},
                changes={"outcome": r.outcome, "replied_on": r.replied_on},
            )
        )
    return steps


def _reply_data(r: ImportRecord) -> dict[str, str]:
    """What the file says of the reply; the basis defaults to the outcome's, as in the form."""
    data = dict(r.reply_content)
    if r.outcome in replies.NEEDS_REASONS and not data.get("basis"):
        basis = replies.default_basis(r.outcome, not_ours=bool(data.get("competent_body")))
        if basis:
            data["basis"] = basis
    return data


def _to_row(row: ParsedRow, today: dt.date) -> tuple[ImportRow | None, list[RowError]]:
    r, errors = to_record(row, today)
    if r is None:
        return None, errors
    fields = {
        "received_on": r.received_on,
        "channel": r.channel,
        "applicant_category": r.applicant_category,
        "applicant_name": r.applicant_name,
        "id_number": r.id_number,
        "contact": r.contact,
        "content": r.content,
    }
    return ImportRow(r.line, r.number, fields, _steps(r), {"fee_amount": r.fee_amount}), []


def _stored_signature(app: Application, events: list[Any]) -> tuple[object, ...]:
    """Matches `_row_signature`; step dates are read as the ledger export writes them."""
    first: dict[str, dt.date] = {}
    last: dict[str, dt.date] = {}
    for e in events:
        if e.undone_at is None:
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


def _row_signature(row: ImportRow) -> tuple[object, ...]:
    dates = {s.move: s.on for s in row.steps}
    closing = next((s for s in row.steps if "outcome" in s.changes), None)
    f = row.fields
    return (
        f["received_on"],
        f["applicant_category"],
        f["applicant_name"],
        f["content"],
        closing.on if closing else None,
        closing.changes["outcome"] if closing else "",
        dates.get("request_correction"),
        dates.get("record_correction"),
        dates.get("start_consultation"),
        dates.get("end_consultation"),
        dates.get("extend"),
    )


DECLARATION = ImportDeclaration(
    spec=SPEC,
    to_row=_to_row,
    stored_signature=_stored_signature,
    row_signature=_row_signature,
    headers=HEADERS,
    noun="申请",
)


def import_file(
    *,
    unit: OrgUnit,
    by: Any,
    data: bytes | IO[bytes] | Path,
    filename: str,
    dry_run: bool = False,
) -> ImportOutcome:
    return bulk.import_file(
        LEDGER, DECLARATION, unit=unit, by=by, data=data, filename=filename, dry_run=dry_run
    )
