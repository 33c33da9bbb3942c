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
from fazhi.ledgers.disclosure import replies, rules, service
from fazhi.ledgers.disclosure.importing import HEADERS, SPEC, ImportRecord, to_record
from fazhi.ledgers.disclosure.ledger import LEDGER
from fazhi.ledgers.disclosure.models import Application, EventKind, FeeMethod, Outcome

__all__ = ["DECLARATION", "ImportOutcome", "import_file"]

CLOSING_MOVE = {Outcome.OTHER_1: "close_uncorrected", Outcome.OTHER_2: "close_unpaid"}


def _served(method: str, on: dt.date | None, served_on: dt.date | None) -> dict[str, Any]:
    """A notice's service as the file gives it; none recorded: the old files' reading (the
    periods run from the notice's own date)."""
    if not method or on is None:
        return {}
    if served_on is None and method in service.SAME_DAY:
        served_on = on
    return service.service_data(method, served_on)


def _fee_notice(r: ImportRecord) -> dict[str, Any]:
    data = _served(r.fee_service, r.fee_notice_on, r.fee_served_on)
    if r.fee_method:
        data["method"] = r.fee_method
    if r.fee_quantity:
        data["quantity"] = r.fee_quantity
        if r.fee_method:
            fee = rules.fee_per_item if r.fee_method == FeeMethod.PER_ITEM else rules.fee_per_page
            data["amount"] = str(fee(r.fee_quantity))
    return data


def _steps(r: ImportRecord) -> list[ImportStep]:
    cal = get_calendar()
    steps: list[ImportStep] = []
    if r.correction_requested_on:
        notice_due = compute(rules.CORRECTION_NOTICE, r.received_on, cal).due
        data: dict[str, Any] = {
            "period": rules.CORRECTION_PERIOD.amount,
            "late": r.correction_requested_on > notice_due,
            **_served(r.correction_service, r.correction_requested_on, r.correction_served_on),
        }
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
        data = {
            "party_kind": r.party_kind,
            "party": "",
            **_served(r.consultation_service, r.consultation_started_on, r.consultation_served_on),
        }
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
        steps.append(
            ImportStep(
                "issue_fee_notice", r.fee_notice_on, HEADERS["fee_notice_on"], _fee_notice(r)
            )
        )
    if r.relief_on and r.relief_amount is not None:
        waived = r.relief_amount == 0
        steps.append(
            ImportStep(
                "waive_fee" if waived else "reduce_fee",
                r.relief_on,
                HEADERS["relief_on"],
                {} if waived else {"amount": str(r.relief_amount)},
                approver=r.relief_approver,
            )
        )
    if r.fee_paid_on:
        steps.append(
            ImportStep(
                "record_payment",
                r.fee_paid_on,
                HEADERS["fee_paid_on"],
                {"amount": str(r.fee_amount)},
                changes={"fee_paid_on": r.fee_paid_on},
            )
        )
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
        move = "withdraw" if r.withdrawn else CLOSING_MOVE.get(Outcome(r.outcome), "reply")
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
        "id_type": r.id_type,
        "id_number": r.id_number,
        "contact": r.contact,
        "content": r.content,
        "arrived_on": r.arrived_on,
        "confirmed_via": r.confirmed_via,
    }
    # A fee with no payment date (files from before the column): reported in its reply's year,
    # as it was before payment dates were kept.
    paid_on = r.fee_paid_on or (r.replied_on if r.fee_amount > 0 else None)
    extra = {"fee_amount": r.fee_amount, "fee_paid_on": paid_on}
    return ImportRow(r.line, r.number, fields, _steps(r), extra), []


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
        EventKind.WITHDRAWN in last,
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
        closing is not None and closing.move == "withdraw",
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
