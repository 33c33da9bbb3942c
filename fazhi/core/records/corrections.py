"""Mistakes can be put right: correct a record's fields, void a record, undo the last move, and
add or remove a child row. Each is an action with a reason and a declared permission, shown in
the timeline and audited; nothing is ever deleted from the timeline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from fazhi.core.records.clocks import events_of, recompute
from fazhi.core.records.ledger import ChildSpec, Ledger
from fazhi.core.records.perform import (
    audit,
    check_fields,
    check_start_date,
    check_step_date,
    clean_input,
    lock,
    today,
)
from fazhi.core.tenancy.access import access_for
from fazhi.core.tenancy.roles import Permission
from fazhi.core.workflow import ActionError, Move

# A correction that would change nothing is refused with this message; the API's upsert reads
# it as "unchanged" (fazhi/core/api/resources.py).
NOTHING_TO_CORRECT = "没有需要更正的内容"


def _reason(reason: str, what: str) -> str:
    text = clean_input(reason, max_length=500, label="原因", field="reason")
    if not text:
        raise ActionError(f"请写明{what}的原因", field="reason")
    return text


def _require(by: Any, record: Any, permission: Permission, what: str) -> None:
    if not access_for(by).can(record.unit_id, permission):
        raise ActionError(f"您没有{what}的权限")


def _event(
    ledger: Ledger, record: Any, kind: str, by: Any, note: str, on: Any = None, **data: Any
) -> Any:
    return ledger.event_model.objects.create(
        record=record,
        kind=kind,
        on=on or today(),
        by=by if getattr(by, "pk", None) else None,
        note=note,
        data=data,
    )


def correct(ledger: Ledger, record: Any, *, by: Any, changes: dict[str, Any], reason: str) -> Any:
    """Correct registered facts (a typo, a wrong date). The same validation as registering;
    the start date may not pass the record's first step; clocks are recomputed."""
    unknown = set(changes) - set(ledger.correctable)
    if unknown:
        raise ActionError(f"不能更正：{'、'.join(sorted(unknown))}")
    reason = _reason(reason, "更正")
    with transaction.atomic():
        locked = lock(ledger, record, by)
        _require(by, locked, ledger.correct_permission, "更正登记信息")
        changes = check_fields(ledger.model, changes)
        diff = {k: v for k, v in changes.items() if getattr(locked, k) != v}
        if not diff:
            raise ActionError(NOTHING_TO_CORRECT)
        # Validated as a whole, as when registering: fields a correction may not change (the
        # 信访 ledger's 来源, 事项类别) still take part in the ledger's checks.
        stored = {
            f.name: getattr(locked, f.name)
            for f in ledger.model._meta.concrete_fields
            if not f.is_relation
        }
        merged = stored | diff
        ledger.validate(merged)
        # Validation may normalise (an ID's check digit upper-cased): store what registering
        # would have stored.
        diff = {k: merged[k] for k in diff if merged[k] != getattr(locked, k)}
        if not diff:
            raise ActionError(NOTHING_TO_CORRECT)
        # What follows from the corrected fields is stored with them but not shown: it says
        # nothing new (and a blocking key of a phone number would show the number).
        follows = ledger.derive(locked, diff) if ledger.derive is not None else {}
        stored_too = {k: v for k, v in follows.items() if k not in diff and getattr(locked, k) != v}
        written = diff | stored_too
        events = events_of(locked)
        if ledger.start_field in written:
            _check_new_start(ledger, locked, events, written[ledger.start_field])
        shown = {
            k: ["（已更正）", "（已更正）"]
            if k in ledger.sensitive
            else [shown_value(ledger.model, k, getattr(locked, k)), shown_value(ledger.model, k, v)]
            for k, v in diff.items()
        }
        before = {k: getattr(locked, k) for k in written}
        for k, v in written.items():
            setattr(locked, k, v)
        locked.save(update_fields=list(written))
        if ledger.start_field in written:
            # The registration step is dated by the start field; keep them one fact.
            ledger.event_model.objects.filter(record=locked, kind=ledger.registered_event).update(
                on=written[ledger.start_field]
            )
        _event(ledger, locked, "fields_corrected", by, reason, changes=shown)
        recompute(ledger, locked)
        if ledger.changed is not None:
            ledger.changed(locked, before)
        audit(ledger, locked, "fields_corrected", by, changes=shown, reason=reason)
        return locked


def _check_new_start(ledger: Ledger, record: Any, events: list[Any], start: dt.date) -> None:
    label = ledger.field_label(ledger.start_field)
    check_start_date(ledger, start)
    later = [e.on for e in events if e.kind != ledger.registered_event]
    if later and start > min(later):
        raise ActionError(
            f"{label}不能晚于第一个办理环节的日期（{min(later).isoformat()}）",
            field=ledger.start_field,
        )


def shown_value(model: Any, name: str, value: Any) -> str:
    """A field's value as people read it: a choice by its label (投诉, not complaint), a time
    to the minute, a date; "" for none."""
    field: Any = model._meta.get_field(name)
    if field.choices and value not in (None, ""):
        return str(dict(field.flatchoices).get(value, value))
    return _shown(value)


def _shown(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def void(ledger: Ledger, record: Any, *, by: Any, reason: str) -> Any:
    """A record entered by mistake (a test entry, a duplicate) leaves every list and figure.
    It stays in the audit and its number stays taken."""
    reason = _reason(reason, "作废")
    with transaction.atomic():
        locked = lock(ledger, record, by)
        _require(by, locked, ledger.void_permission, "作废记录")
        locked.voided_at = timezone.now()
        locked.voided_by = by if getattr(by, "pk", None) else None
        locked.void_reason = reason
        locked.save(update_fields=["voided_at", "voided_by", "void_reason"])
        _event(ledger, locked, "voided", by, reason)
        if ledger.changed is not None:
            ledger.changed(locked, {"voided_at": None})
        audit(ledger, locked, "voided", by, reason=reason, status=locked.status)
        return locked


def last_move(ledger: Ledger, events: list[Any]) -> tuple[Any, Move] | None:
    """The latest step that a move made (not the registration), if any."""
    for e in reversed(events):
        move = ledger.move_for_event(e.kind)
        if move is not None:
            return e, move
    return None


def undo_blocked(ledger: Ledger, record: Any, events: list[Any], by: Any) -> str | None:
    found = last_move(ledger, events)
    if found is None:
        return "没有可撤销的办理环节"
    event, move = found
    permission = move.undo_permission
    if permission is None:
        return f"「{move.label}」不能撤销"
    if "_before" not in event.data:
        return f"「{move.label}」为导入的环节，不能撤销；如有错误请更正或作废"
    if not access_for(by).can(record.unit_id, permission):
        return f"您没有撤销「{move.label}」的权限"
    return None


def undo(ledger: Ledger, record: Any, *, by: Any, reason: str, step: int | None = None) -> Any:
    """Take back the last move: the fields it changed (status included) return to what they
    were, the step stays in the timeline marked undone, and the clocks are recomputed. With
    `step` (the event the user was shown), only if that is still the last move."""
    reason = _reason(reason, "撤销")
    with transaction.atomic():
        locked = lock(ledger, record, by)
        events = events_of(locked)
        blocked = undo_blocked(ledger, locked, events, by)
        if blocked:
            raise ActionError(blocked)
        found = last_move(ledger, events)
        assert found is not None
        event, move = found
        if step is not None and event.pk != step:
            raise ActionError(
                f"办理环节已有变化，上一步现为「{move.label}」，请返回记录页面后重新确认"
            )
        before: dict[str, Any] = event.data["_before"]
        for name, value in before.items():
            model_field: Any = ledger.model._meta.get_field(name)
            setattr(locked, model_field.attname, model_field.to_python(value))
        if before:
            locked.save(update_fields=list(before))
        type(event).objects.filter(pk=event.pk).update(undone_at=timezone.now())
        _event(ledger, locked, "undone", by, reason, move=move.code, event=event.pk)
        recompute(ledger, locked)
        audit(ledger, locked, "undone", by, move=move.code, reason=reason, status=locked.status)
        return locked


def add_child(
    ledger: Ledger, spec: ChildSpec, record: Any, *, by: Any, fields: dict[str, Any]
) -> Any:
    with transaction.atomic():
        locked = lock(ledger, record, by)
        _require(by, locked, spec.permission, f"添加{spec.label}")
        unknown = set(fields) - set(spec.fields)
        if unknown:
            raise ActionError(f"不能填写：{'、'.join(sorted(unknown))}")
        fields = check_fields(spec.model, fields)
        if spec.validate is not None:
            spec.validate(fields)
        if spec.check is not None:
            spec.check(locked, by, fields)
        if spec.date_field:
            try:
                check_step_date(ledger, locked, [], fields[spec.date_field], spec.label + "日期")
            except ActionError as exc:  # named after the row's own date field, not a step's "on"
                raise ActionError(exc.message, field=spec.date_field) from exc
        child = spec.model(record=locked, created_by=_user(by), **fields)
        try:
            child.full_clean(exclude=["record", "created_by"])
        except ValidationError as exc:
            raise ActionError("；".join(exc.messages)) from exc
        _check_rows(spec, [*_live_rows(spec, locked), child])
        child.save()
        _event(
            ledger,
            locked,
            "child_added",
            by,
            "",
            child=spec.code,
            id=child.pk,
            text=spec.describe(child),
        )
        audit(ledger, locked, f"{spec.code}.added", by, id=child.pk)
        return child


def remove_child(ledger: Ledger, spec: ChildSpec, child: Any, *, by: Any, reason: str) -> Any:
    reason = _reason(reason, "删除")
    with transaction.atomic():
        locked = lock(ledger, child.record, by)
        _require(by, locked, spec.permission, f"删除{spec.label}")
        fresh = spec.model._default_manager.select_for_update().get(pk=child.pk)
        if fresh.removed_at is not None:
            raise ActionError(f"该{spec.label}已删除")
        _check_rows(spec, [r for r in _live_rows(spec, locked) if r.pk != fresh.pk])
        fresh.removed_at = timezone.now()
        fresh.save(update_fields=["removed_at"])
        _event(
            ledger,
            locked,
            "child_removed",
            by,
            reason,
            child=spec.code,
            id=fresh.pk,
            text=spec.describe(fresh),
        )
        audit(ledger, locked, f"{spec.code}.removed", by, id=fresh.pk, reason=reason)
        return fresh


def _live_rows(spec: ChildSpec, record: Any) -> list[Any]:
    return list(spec.model._default_manager.filter(record=record, removed_at__isnull=True))


def _check_rows(spec: ChildSpec, rows: list[Any]) -> None:
    if spec.check_rows is not None:
        reason = spec.check_rows(rows)
        if reason:
            raise ActionError(reason)


def _user(by: Any) -> Any:
    return by if getattr(by, "pk", None) else None
