"""How the generic web layer shows the toy ledger, and its import and export files."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from fazhi.core.imports.idnumber import mask_id_number
from fazhi.core.imports.parsers import parse_choice, parse_date
from fazhi.core.imports.spec import Column as ImportColumn
from fazhi.core.imports.spec import ImportSpec, ParsedRow, RowError
from fazhi.core.masking import mask_id_numbers_in
from fazhi.core.records.bulk import (
    APPROVER_MAX_LENGTH,
    ImportDeclaration,
    ImportRow,
    ImportStep,
)
from fazhi.core.records.clocks import live_events
from fazhi.core.records.tests.toy import actions
from fazhi.core.records.tests.toy.ledger import LEDGER
from fazhi.core.records.tests.toy.models import Case, Category, Status
from fazhi.core.tenancy.access import access_for
from fazhi.core.tenancy.roles import Permission
from fazhi.core.web.forms import FazhiForm, date_field, note_form
from fazhi.core.web.registry import Column, Filter, LedgerUI, MoveForm


class RegisterForm(FazhiForm):
    received_on = date_field("收到日期")
    subject = forms.CharField(label="事项", max_length=100)
    category = forms.ChoiceField(label="类型", choices=Category.choices)
    id_number = forms.CharField(label="证件号码", max_length=32, required=False)
    number = forms.CharField(label="案件编号", max_length=64, required=False)


class CorrectForm(FazhiForm):
    received_on = RegisterForm.base_fields["received_on"]
    subject = RegisterForm.base_fields["subject"]
    category = RegisterForm.base_fields["category"]
    id_number = RegisterForm.base_fields["id_number"]


class ReasonStepForm(FazhiForm):
    on = date_field("日期")
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(FazhiForm):
    noted_on = date_field("记录日期")
    text = forms.CharField(label="内容", max_length=200)


class AssignForm(FazhiForm):
    on = date_field("分办日期")
    # A toy's shortcut: every active user is offered; the action refuses one of another unit.
    handler = forms.ModelChoiceField(
        label="承办人", queryset=get_user_model().objects.filter(is_active=True)
    )


MOVE_FORMS = {
    m.code: (
        MoveForm(ReasonStepForm, actions.reasoned(m.code))
        if "extension" in m.code or m.code == "extend"
        else MoveForm(note_form(m.date_label), actions.simple(m.code))
    )
    for m in LEDGER.moves
} | {
    "assign": MoveForm(AssignForm, actions.assign),
    "hand_over": MoveForm(note_form("移交日期"), actions.hand_over),
}

# Step columns of the import file: (key, header, move), in the order the steps happen.
STEP_COLUMNS = (
    ("asked_on", "征询日期", "ask"),
    ("answered_on", "答复日期", "answer"),
    ("supplemented_on", "补充材料日期", "supplement"),
    ("submitted_on", "提交审核日期", "submit"),
    ("extended_on", "批准延期日期", "extend"),
    ("reviewed_on", "审核日期", "review"),
)
HEADERS = {
    "number": "案件编号",
    "received_on": "收到日期",
    "subject": "事项",
    "category": "类型",
    "id_number": "证件号码",
}
SPEC = ImportSpec(
    name="示例案件",
    key="number",
    columns=(
        ImportColumn(HEADERS["number"], "number"),
        ImportColumn(HEADERS["received_on"], "received_on", parse_date),
        ImportColumn(HEADERS["subject"], "subject"),
        ImportColumn(
            HEADERS["category"],
            "category",
            parse_choice({label: code for code, label in Category.choices}),
        ),
        ImportColumn(HEADERS["id_number"], "id_number", required=False, allow_blank=True),
        *(
            ImportColumn(header, key, parse_date, required=False, allow_blank=True)
            for key, header, _ in STEP_COLUMNS
        ),
        ImportColumn(
            "批准人", "approver", required=False, allow_blank=True, max_length=APPROVER_MAX_LENGTH
        ),
        ImportColumn("承办人", "handler", required=False, allow_blank=True, max_length=150),
    ),
)


def _to_row(row: ParsedRow, today: dt.date) -> tuple[ImportRow | None, list[RowError]]:
    v = row.values
    steps = [
        ImportStep(
            move,
            v[key],  # type: ignore[arg-type]
            header,
            changes={"closed_on": v[key]} if move == "review" else {},
            approver=str(v.get("approver") or "") if move == "extend" else "",
        )
        for key, header, move in STEP_COLUMNS
        if v.get(key)
    ]
    fields = {
        "received_on": v["received_on"],
        "subject": v["subject"],
        "category": v["category"],
        "id_number": v.get("id_number") or "",
    }
    extra = {"handler": str(v.get("handler") or "")}
    return ImportRow(row.line, str(v["number"]), fields, steps, extra=extra), []


def _resolve(unit: Any, by: Any, row: ImportRow) -> tuple[ImportRow | None, list[RowError]]:
    """承办人 names a user (by login name) who may handle cases in the importing unit; one of
    another unit reads as one that does not exist."""
    name = str(row.extra.get("handler") or "")
    if not name:
        return dataclasses.replace(row, extra={}), []
    user = get_user_model().objects.filter(username=name, is_active=True).first()
    if user is None or not access_for(user).can(unit.pk, Permission.HANDLE):
        return None, [RowError(row.line, "承办人", f"本单位没有可以办理案件的人员「{name}」")]
    return dataclasses.replace(row, extra={"handler": user}), []


def _stored_signature(case: Case, events: list[Any]) -> tuple[object, ...]:
    dates = {e.kind: e.on for e in live_events(events)}
    kinds = [LEDGER.move(move).event_kind for _, _, move in STEP_COLUMNS]
    return (case.received_on, case.subject, case.category, *(dates.get(k) for k in kinds))


def _row_signature(row: ImportRow) -> tuple[object, ...]:
    dates = {s.move: s.on for s in row.steps}
    f = row.fields
    moves = [move for _, _, move in STEP_COLUMNS]
    return (f["received_on"], f["subject"], f["category"], *(dates.get(m) for m in moves))


DECLARATION = ImportDeclaration(
    spec=SPEC,
    to_row=_to_row,
    stored_signature=_stored_signature,
    row_signature=_row_signature,
    headers=HEADERS,
    noun="案件",
    resolve=_resolve,
)

EXPORT_HEADERS = [
    *HEADERS.values(),
    *(header for _, header, _ in STEP_COLUMNS),
    "状态",
    "当前期限",
]


def _export(qs: QuerySet[Case]) -> tuple[list[str], Iterator[list[object]]]:
    kinds = [LEDGER.move(move).event_kind for _, _, move in STEP_COLUMNS]

    def rows() -> Iterator[list[object]]:
        for case in qs.prefetch_related("events").iterator(chunk_size=500):
            dates = {e.kind: e.on for e in live_events(case.events.all())}
            yield [
                case.number,
                case.received_on,
                case.subject,
                case.get_category_display(),
                mask_id_number(case.id_number) if case.id_number else "",
                *(dates.get(k) for k in kinds),
                case.get_status_display(),
                case.due_on,
            ]

    return EXPORT_HEADERS, rows()


def _details(case: Case, request: HttpRequest) -> Sequence[tuple[str, Any]]:
    shown = case.id_number
    if shown and not access_for(request.user).can(case.unit_id, Permission.HANDLE):
        shown = mask_id_number(shown)
    return [
        ("案件编号", case.number),
        ("受理单位", case.unit.name),
        ("收到日期", case.received_on),
        ("事项", case.subject),
        ("类型", case.get_category_display()),
        ("证件号码", shown or "—"),
        ("状态", case.get_status_display()),
    ]


def _due(case: Case) -> str:
    if case.due_on is None:
        return "—"
    return f"{case.due_on:%Y-%m-%d}" + ("（暂定）" if case.due_provisional else "")


UI = LedgerUI(
    ledger=LEDGER,
    columns=[
        Column("案件编号", lambda c: c.number),
        Column("单位", lambda c: c.unit.name),
        Column("收到日期", lambda c: f"{c.received_on:%Y-%m-%d}"),
        Column("事项", lambda c: c.subject),
        Column("状态", lambda c: c.get_status_display()),
        Column("当前期限", _due),
    ],
    filters=[
        Filter("status", "状态", lambda: Status.choices, lambda qs, v: qs.filter(status=v)),
        Filter("category", "类型", lambda: Category.choices, lambda qs, v: qs.filter(category=v)),
    ],
    search=lambda qs, q: qs.filter(Q(number__icontains=q) | Q(subject__icontains=q)),
    search_hint="编号、事项",
    move_forms=MOVE_FORMS,
    register_form=RegisterForm,
    register=actions.register,
    register_label="登记案件",
    register_initial=lambda today: {"received_on": today},
    correct_form=CorrectForm,
    details=_details,
    import_declaration=DECLARATION,
    export=_export,
    badge_column=6,
    todo_columns=(3,),
    child_forms={"notes": NoteForm},
    # A note may quote an ID number: those who only read the case see it masked.
    child_masks={"notes": lambda n: {"text": mask_id_numbers_in(n.text)}},
)
