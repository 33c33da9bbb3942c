"""The one way a record changes: `perform` a move of its ledger's table, or `register` it.

In one transaction: through the door, lock the row, check the move against the transition
table (with the record's events as the guards see them), apply the change, set the status only
from the move's target, write the timeline event, recompute every clock, write the audit event.
A ledger's actions validate their own input and then call one of these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypedDict

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from fazhi.core.audit.models import record_event
from fazhi.core.calendar.workcalendar import date_zh
from fazhi.core.records.clocks import events_of, recompute
from fazhi.core.records.ledger import Ledger
from fazhi.core.records.numbering import check_own_number, draw_number
from fazhi.core.tenancy.access import access_for
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.tenancy.roles import Permission
from fazhi.core.workflow import ActionError, StepContext, check_move
from fazhi.textclean import TextTooLong, clean_text

if TYPE_CHECKING:
    from typing_extensions import Unpack


class Step(TypedDict, total=False):
    """What every step may carry besides its own fields."""

    note: str
    backdate_reason: str


Changes = Mapping[str, Any] | Callable[[Any, list[Any]], Mapping[str, Any]]


def today() -> dt.date:
    return timezone.localdate()


def audit(ledger: Ledger, record: Any, code: str, by: Any, **data: Any) -> None:
    record_event(
        f"{ledger.audit_object}.{code}",
        by=by,
        unit_code=record.unit.code,
        object_type=ledger.audit_object,
        object_id=str(record.pk),
        data={"number": record.number, **data},
    )


def clean_input(
    text: str, *, max_length: int, label: str, field: str, multiline: bool = True
) -> str:
    """`clean_text` for an action's own input: text too long is refused on its field, as
    a Chinese ActionError (a ValueError would be a 500 in the web and a crash in imports)."""
    try:
        return clean_text(text, max_length=max_length, multiline=multiline, label=label)
    except TextTooLong as exc:
        raise ActionError(str(exc), field=field) from exc


def check_fields(model: type[Any], fields: dict[str, Any]) -> dict[str, Any]:
    """The input-cleaning layer for a record's own fields: control characters removed, text
    held to the model's limits (a TextField's max_length too), with a Chinese message."""
    cleaned = dict(fields)
    for name, value in fields.items():
        if not isinstance(value, str):
            continue
        try:
            f: Any = model._meta.get_field(name)
        except Exception:  # a form field that is not a model field (e.g. the unit)
            continue
        limit = getattr(f, "max_length", None)
        multiline = isinstance(f, models.TextField)
        try:
            cleaned[name] = clean_text(
                value, max_length=limit, multiline=multiline, label=str(f.verbose_name)
            )
        except TextTooLong as exc:
            raise ActionError(str(exc), field=name) from exc
    return cleaned


def _check_backdate(on: dt.date, reason: str, label: str) -> str:
    """A step dated well before the day it is entered needs a reason (shown in the timeline)."""
    allowed = settings.FAZHI_BACKDATE_DAYS
    reason = clean_input(reason, max_length=500, label="补录原因", field="backdate_reason")
    if allowed is not None and (today() - on).days > allowed and not reason:
        raise ActionError(
            f"{label}（{on.isoformat()}）早于今天{(today() - on).days}日，超过{allowed}日的补录须写明补录原因",
            field="backdate_reason",
        )
    return reason


def check_start_date(ledger: Ledger, start: dt.date) -> None:
    """A record's first date is neither in the future nor before FAZHI_EARLIEST_DATE (a 1900 typo
    would otherwise head 待办 as 逾期 and count in every 上年结转 since)."""
    label = ledger.field_label(ledger.start_field)
    if start > today():
        raise ActionError(f"{label}不能晚于今天（{today().isoformat()}）", field=ledger.start_field)
    earliest = settings.FAZHI_EARLIEST_DATE
    if start < earliest:
        raise ActionError(
            f"{label}（{start.isoformat()}）早于{date_zh(earliest)}，请核对",
            field=ledger.start_field,
        )


def check_step_date(
    ledger: Ledger, record: Any, events: list[Any], on: dt.date, label: str
) -> None:
    if on > today():
        raise ActionError(f"{label}不能晚于今天（{today().isoformat()}）", field="on")
    start = getattr(record, ledger.start_field)
    if on < start:
        raise ActionError(
            f"{label}不能早于{ledger.start_label}（{start.isoformat()}）",
            field="on",
        )
    last = max((e.on for e in events), default=None)
    if last and on < last:
        raise ActionError(f"{label}不能早于上一办理环节的日期（{last.isoformat()}）", field="on")


def lock(ledger: Ledger, record: Any, by: Any) -> Any:
    """Through the door, then lock: two clerks (or a double click) cannot both pass a guard
    such as "only one extension". Returns the locked, fresh record."""
    if record.unit_id not in access_for(by).unit_ids:
        raise ActionError("未找到该记录")
    try:
        return ledger.model.objects.select_for_update().select_related("unit").get(pk=record.pk)
    except ledger.model.DoesNotExist as exc:  # voided meanwhile
        raise ActionError("未找到该记录（可能已作废）") from exc


def perform(
    ledger: Ledger,
    record: Any,
    code: str,
    *,
    by: Any,
    on: dt.date,
    data: Mapping[str, Any] | None = None,
    changes: Changes | None = None,
    check: Callable[[Any, list[Any]], None] | None = None,
    audit_data: Mapping[str, Any] | None = None,
    **step: Unpack[Step],
) -> Any:
    """Make move `code` on `record` as `by`, effective `on`. `check(locked, events)` validates
    what needs the locked record; `changes` (or a function of it) are the fields the move
    sets. Returns the updated record."""
    with transaction.atomic():
        locked = lock(ledger, record, by)
        events = events_of(locked)
        access = access_for(by)
        ctx = StepContext(locked, events, by, on)
        move = check_move(ledger.moves, code, ctx, can=lambda p: access.can(locked.unit_id, p))
        check_step_date(ledger, locked, events, on, move.date_label)
        reason = _check_backdate(on, step.get("backdate_reason", ""), move.date_label)
        if check is not None:
            check(locked, events)
        new = dict(changes(locked, events) if callable(changes) else (changes or {}))
        if "status" in new:
            raise ValueError(f"move {code}: the status comes from the move's target, not changes")
        if move.target is not None:
            new["status"] = move.target
        # What the move changed, so that undoing it restores exactly this. Stored as the
        # column holds it (a relation by its key), so it fits in the event's JSON.
        before = {name: locked._meta.get_field(name).value_from_object(locked) for name in new}
        for name, value in new.items():
            setattr(locked, name, value)
        if new:
            locked.save(update_fields=list(new))
        event_data = {**(data or {}), "_before": before}
        shown = {
            name: locked._meta.get_field(name).value_from_object(locked)
            for name in move.shown
            if name in new and name not in ledger.sensitive
        }
        if shown:
            event_data["_shown"] = shown
        if reason:
            event_data["backdate_reason"] = reason
        note = clean_input(step.get("note", ""), max_length=5000, label="说明", field="note")
        ledger.event_model.objects.create(
            record=locked, kind=move.event_kind, on=on, by=_user(by), note=note, data=event_data
        )
        recompute(ledger, locked)
        audit(ledger, locked, move.event_kind, by, status=locked.status, **(audit_data or {}))
        return locked


class NumberTaken(ActionError):
    """The number is a record's of the unit already; `voided_pk` when that record is voided
    (its page still opens: the web links to it)."""

    def __init__(self, message: str, *, field: str | None = None, voided_pk: int | None) -> None:
        super().__init__(message, field=field)
        self.voided_pk = voided_pk


def register(
    ledger: Ledger,
    *,
    unit: OrgUnit,
    by: Any,
    fields: dict[str, Any],
    number: str = "",
    data: Mapping[str, Any] | None = None,
    backdate_reason: str = "",
) -> Any:
    """A new record with its registration step, its number (given, or the next one drawn
    under a lock) and its clocks."""
    if not access_for(by).can(unit.pk, Permission.REGISTER):
        raise ActionError("您没有在该单位登记的权限")
    fields = check_fields(ledger.model, fields)
    ledger.validate(fields)
    start = fields[ledger.start_field]
    check_start_date(ledger, start)
    reason = _check_backdate(start, backdate_reason, ledger.field_label(ledger.start_field))
    number = clean_input(number, max_length=64, multiline=False, label="编号", field="number")
    with transaction.atomic():
        record = ledger.model(
            unit=unit, status=ledger.initial, created_by=_user(by), number=number, **fields
        )
        if number:
            check_own_number(ledger, record)
        else:
            if ledger.numbering is None:
                raise ActionError("请填写编号", field="number")
            record.number = draw_number(ledger, record)
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError as exc:
            voided = (
                ledger.model.with_voided.filter(
                    unit=unit, number=record.number, voided_at__isnull=False
                )
                .values_list("pk", flat=True)
                .first()
            )
            held = "已被一条作废的记录占用" if voided else "在本单位已存在"
            raise NumberTaken(
                f"编号「{record.number}」{held}", field="number", voided_pk=voided
            ) from exc
        event_data = dict(data or {})
        if reason:
            event_data["backdate_reason"] = reason
        ledger.event_model.objects.create(
            record=record, kind=ledger.registered_event, on=start, by=_user(by), data=event_data
        )
        recompute(ledger, record)
        audit(ledger, record, "registered", by, status=record.status)
        return record


def _user(by: Any) -> Any:
    """The actor to store: a real user, or None for the command-line operator."""
    return by if getattr(by, "pk", None) else None
