"""Every state change of a work order is one of these actions. `upsert_order` is the one door
for a platform's order arriving whole (the API, a single pushed order): idempotent by 工单编号,
creating through the kit's `register` and `perform`, or updating what changed, audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models.functions import Upper
from django.utils import timezone

from fazhi.core.records import perform
from fazhi.core.tenancy.access import access_for
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.tenancy.roles import Permission
from fazhi.core.workflow import ActionError
from fazhi.ledgers.hotline import repeats, sla, workflow
from fazhi.ledgers.hotline.ledger import LEDGER
from fazhi.ledgers.hotline.models import (
    UPDATABLE,
    EventKind,
    LimitSource,
    Status,
    Urgency,
    WorkOrder,
)
from fazhi.ledgers.hotline.validation import address_key, fold, phone_key

# The 补录原因 of the steps a platform pushes: they happened before they reached fazhi.
PUSHED = "平台推送"

# A change to one of these may make an order repeat another, or stop doing so.
REGROUPED = {"called_at", "phone", "address", "content"}


def local_date(t: dt.datetime) -> dt.date:
    return timezone.localtime(t).date()


def derived(fields: dict[str, Any]) -> dict[str, Any]:
    """The columns that follow from others (dates of times, blocking keys)."""
    out: dict[str, Any] = {}
    if "called_at" in fields:
        out["called_on"] = local_date(fields["called_at"])
    if "dispatched_at" in fields:
        out["dispatched_on"] = (
            local_date(fields["dispatched_at"]) if fields["dispatched_at"] else None
        )
    if "closed_at" in fields:
        out["closed_on"] = local_date(fields["closed_at"]) if fields["closed_at"] else None
    if "phone" in fields:
        out["phone_key"] = phone_key(fields["phone"] or "")
    if "address" in fields:
        out["address_key"] = address_key(fields["address"] or "")
    return out


STEP_LABELS = {
    "called_at": "来电时间",
    "dispatched_at": "派单时间",
    "feedback_at": "反馈时间",
    "closed_at": "办结时间",
}


def _times(at: dt.datetime, label: str, *after: str, after_event: str = "") -> Any:
    """A move's `check`: its time is not in the future and not before the order's steps named,
    nor before the latest step of kind `after_event` (重派 after its 退单; dates alone are the
    kit's check; two steps of one day must still be in order)."""

    def check(locked: WorkOrder, events: list[Any]) -> None:
        if at > timezone.now():
            raise ActionError(f"{label}不能晚于现在", field="at")
        for name in after:
            before = getattr(locked, name)
            if before is not None and at < before:
                raise ActionError(
                    f"{label}不能早于{STEP_LABELS[name]}（{_minute(before)}）", field="at"
                )
        times = [
            dt.datetime.fromisoformat(e.data["at"])
            for e in events
            if after_event and e.kind == after_event and e.undone_at is None and e.data.get("at")
        ]
        if times and at < max(times):
            step = EventKind(after_event).label
            raise ActionError(f"{label}不能早于{step}时间（{_minute(max(times))}）", field="at")

    return check


def _minute(t: dt.datetime) -> str:
    return timezone.localtime(t).strftime("%Y-%m-%d %H:%M")


LIMIT_BEFORE_DISPATCH = "办理时限不能早于派单时间"


def check_limit(dispatched_at: dt.datetime | None, time_limit: dt.datetime | None) -> None:
    """A platform's 办理时限 lies after its 派单 (the form, the push and the import refuse it)."""
    if dispatched_at is not None and time_limit is not None and time_limit < dispatched_at:
        raise ActionError(LIMIT_BEFORE_DISPATCH, field="time_limit")


def limit_at(
    category: str, urgency: str, dispatched_at: dt.datetime, given: dt.datetime | None
) -> dict[str, Any]:
    if given is not None:
        return {"time_limit": given, "limit_source": LimitSource.FILE}
    due = sla.due_for(category, urgency, dispatched_at)
    if due is None:
        return {"time_limit": None, "limit_source": ""}
    return {
        "time_limit": timezone.make_aware(due.due),
        "limit_source": LimitSource.SLA,
    }


def register(
    *,
    unit: OrgUnit,
    by: Any,
    number: str,
    called_at: dt.datetime,
    category: str,
    content: str,
    urgency: str = Urgency.NORMAL,
    phone: str = "",
    requester: str = "",
    address: str = "",
    backdate_reason: str = "",
) -> WorkOrder:
    number, phone = fold({"number": number, "phone": phone}).values()
    if not number.strip():
        raise ActionError("请填写工单编号", field="number")
    # Later today, to the minute, as the moves (`_times`) and the import refuse it; a later
    # day is the kit's date check, which names today.
    if called_at > timezone.now() and local_date(called_at) == timezone.localdate():
        raise ActionError("来电时间不能晚于现在", field="called_at")
    _refuse_case_variant(unit, number.strip())
    fields = {
        "called_at": called_at,
        "category": category,
        "urgency": urgency,
        "content": content,
        "phone": phone,
        "requester": requester,
        "address": address,
    }
    fields.update(derived(fields))
    with transaction.atomic():
        record: WorkOrder = perform.register(
            LEDGER, unit=unit, by=by, fields=fields, number=number, backdate_reason=backdate_reason
        )
        repeats.link(record)
    return record


def _refuse_case_variant(unit: OrgUnit, number: str) -> None:
    """Numbers are matched in any case by the search; two of one unit differing only by case
    would be one order typed twice (the import refuses them alike)."""
    other = (
        WorkOrder.with_voided.filter(unit=unit)
        .alias(upper=Upper("number"))
        .filter(upper=number.upper())
        .exclude(number=number)
        .values_list("number", flat=True)
        .first()
    )
    if other is not None:
        raise ActionError(f"工单编号 {number} 与已有工单 {other} 仅大小写不同", field="number")


def dispatch(
    order: WorkOrder,
    *,
    by: Any,
    at: dt.datetime,
    time_limit: dt.datetime | None = None,
    **step: Any,
) -> WorkOrder:
    if at < order.called_at:
        raise ActionError("派单时间不能早于来电时间", field="at")
    check_limit(at, time_limit)
    return perform.perform(
        LEDGER,
        order,
        "dispatch",
        by=by,
        on=local_date(at),
        data={"at": at.isoformat()},
        check=_times(at, "派单时间", "called_at"),
        changes=lambda locked, _: {
            "dispatched_at": at,
            "dispatched_on": local_date(at),
            **limit_at(locked.category, locked.urgency, at, time_limit),
        },
        **step,
    )


def return_order(
    order: WorkOrder, *, by: Any, at: dt.datetime, reason: str, **step: Any
) -> WorkOrder:
    reason = perform.clean_input(reason, max_length=500, label="退单理由", field="reason")
    if not reason:
        raise ActionError("请写明退单理由", field="reason")
    return perform.perform(
        LEDGER,
        order,
        "return",
        by=by,
        on=local_date(at),
        data={"at": at.isoformat(), "reason": reason},
        check=_times(at, "退单时间", "dispatched_at"),
        changes=lambda locked, _: {"returns": locked.returns + 1},
        **step,
    )


def redispatch(
    order: WorkOrder,
    *,
    by: Any,
    at: dt.datetime,
    time_limit: dt.datetime | None = None,
    **step: Any,
) -> WorkOrder:
    """重派: the limit runs afresh from the new dispatch."""
    check_limit(at, time_limit)
    return perform.perform(
        LEDGER,
        order,
        "redispatch",
        by=by,
        on=local_date(at),
        data={"at": at.isoformat()},
        check=_times(at, "重派时间", "dispatched_at", after_event=EventKind.RETURNED),
        changes=lambda locked, _: {
            "redispatches": locked.redispatches + 1,
            "dispatched_at": at,
            "dispatched_on": local_date(at),
            **limit_at(locked.category, locked.urgency, at, time_limit),
        },
        **step,
    )


def feedback(order: WorkOrder, *, by: Any, at: dt.datetime, result: str, **step: Any) -> WorkOrder:
    result = perform.clean_input(result, max_length=5000, label="办理结果", field="result")
    if not result:
        raise ActionError("请填写办理结果", field="result")
    return perform.perform(
        LEDGER,
        order,
        "feedback",
        by=by,
        on=local_date(at),
        data={"at": at.isoformat()},
        check=_times(at, "反馈时间", "dispatched_at"),
        changes={"feedback_at": at, "result": result},
        **step,
    )


def close(
    order: WorkOrder, *, by: Any, at: dt.datetime, result: str = "", **step: Any
) -> WorkOrder:
    result = perform.clean_input(result, max_length=5000, label="办理结果", field="result")
    changes: dict[str, Any] = {"closed_at": at, "closed_on": local_date(at)}
    if result:
        changes["result"] = result
    return perform.perform(
        LEDGER,
        order,
        "close",
        by=by,
        on=local_date(at),
        data={"at": at.isoformat()},
        check=_times(at, "办结时间", "called_at", "dispatched_at", "feedback_at"),
        changes=changes,
        **step,
    )


def visit(order: WorkOrder, *, by: Any, on: dt.date, visit_result: str, **step: Any) -> WorkOrder:
    from fazhi.ledgers.hotline.models import VisitResult

    if visit_result not in VisitResult.values:
        raise ActionError("请选择回访结果", field="visit_result")
    return perform.perform(
        LEDGER, order, "visit", by=by, on=on, changes={"visit_result": visit_result}, **step
    )


def supervise(order: WorkOrder, *, by: Any, on: dt.date, **step: Any) -> WorkOrder:
    return perform.perform(
        LEDGER, order, "supervise", by=by, on=on, changes={"supervised": True}, **step
    )


# --- a whole order from a platform ---------------------------------------------------------


@dataclass
class Upserted:
    order: WorkOrder
    created: bool
    changed: dict[str, list[Any]] = field(default_factory=dict)


def upsert_order(*, unit: OrgUnit, by: Any, number: str, **fields: Any) -> Upserted:
    """Create or update the order `number` of `unit` as the platform has it now. Idempotent:
    the same order again changes nothing. New steps are made through the table (their dates
    may precede today: they are the platform's history); facts the platform changed are
    updated in place and audited field by field (`hotline.order.updated`, as the import)."""
    if not access_for(by).can(unit.pk, Permission.REGISTER):
        raise ActionError("您没有在该单位登记工单的权限")
    fold(fields)
    number = perform.clean_input(
        fold({"number": number})["number"],
        max_length=64,
        multiline=False,
        label="工单编号",
        field="number",
    )
    if not number:
        raise ActionError("请填写工单编号", field="number")
    unknown = set(fields) - set(UPDATABLE)
    if unknown:
        raise ActionError(f"未知字段：{'、'.join(sorted(unknown))}")
    for required in ("called_at", "category", "content"):
        if not fields.get(required):
            raise ActionError(f"请填写{LEDGER.field_label(required)}", field=required)
    step = {"backdate_reason": PUSHED}
    with transaction.atomic():
        existing = (
            WorkOrder.with_voided.select_for_update().filter(unit=unit, number=number).first()
        )
        if existing is not None and existing.voided_at is not None:
            raise ActionError(f"工单「{number}」已作废，不能再次登记", field="number")
        if existing is None:
            order = register(
                unit=unit,
                by=by,
                number=number,
                called_at=fields["called_at"],
                category=fields["category"],
                content=fields["content"],
                urgency=fields.get("urgency") or Urgency.NORMAL,
                phone=fields.get("phone") or "",
                requester=fields.get("requester") or "",
                address=fields.get("address") or "",
                backdate_reason=PUSHED,
            )
            _steps(order, by, fields, step)
            order.refresh_from_db()
            _extras(order, by, fields)
            return Upserted(order, True)
        before = existing.called_on
        changed = _update(existing, by, fields, step)
        existing.refresh_from_db()
        if REGROUPED & set(changed):
            regroup(existing, before)
        return Upserted(existing, False, changed)


def regroup(order: WorkOrder, called_on_before: dt.date) -> None:
    """Regroup the repeats of the order's unit after a change that may make it repeat another
    or stop doing so (its time, number, address or content; its voiding), from the earlier of
    its old and new 来电日期."""
    since = min(called_on_before, order.called_on)
    repeats.group_repeats(WorkOrder.objects.filter(unit_id=order.unit_id), since=since)
    if order.voided_at is None:
        order.refresh_from_db(fields=["repeat_of"])


def _steps(order: WorkOrder, by: Any, fields: dict[str, Any], step: dict[str, str]) -> None:
    """The new steps of a pushed order, in the table's order. A step the order's status cannot
    take is refused on its field, as the import refuses its row (a 回访 of an order not 办结,
    a 反馈 of one not dispatched), never dropped."""
    if fields.get("dispatched_at") and order.dispatched_at is None:
        order = dispatch(
            order, by=by, at=fields["dispatched_at"], time_limit=fields.get("time_limit"), **step
        )
    if fields.get("feedback_at") and order.feedback_at is None:
        _in_turn(order, "feedback", "feedback_at", before=(Status.RECEIVED, Status.RETURNED))
    if fields.get("feedback_at") and order.feedback_at is None and order.status == Status.HANDLING:
        order = feedback(
            order,
            by=by,
            at=fields["feedback_at"],
            result=fields.get("result") or "（平台未提供）",
            **step,
        )
    if fields.get("closed_at") and order.closed_at is None:
        order = close(
            order, by=by, at=fields["closed_at"], result=fields.get("result") or "", **step
        )
    if fields.get("visit_result") and not order.visit_result:
        _in_turn(order, "visit", "visit_result", before=tuple(workflow.OPEN))
    if fields.get("visit_result") and not order.visit_result and order.status == Status.CLOSED:
        order = visit(
            order,
            by=by,
            on=order.closed_on or timezone.localdate(),
            visit_result=fields["visit_result"],
            **step,
        )


def _in_turn(order: WorkOrder, code: str, field: str, *, before: tuple[str, ...]) -> None:
    """Refuse the step `code` while the order is in a status `before` it (a status after it,
    such as 已办结 for a 反馈, has passed the step: the platform's time is history)."""
    if order.status in before:
        raise ActionError(workflow.out_of_turn(code, order.status), field=field)


def _extras(order: WorkOrder, by: Any, fields: dict[str, Any]) -> None:
    """Counts and flags a platform reports without their history (退单次数, 是否督办)."""
    extra = {
        k: fields[k] for k in ("returns", "redispatches", "supervised") if fields.get(k) is not None
    }
    extra = {k: v for k, v in extra.items() if getattr(order, k) != v}
    if extra:
        _write_changes(order, by, extra)


def _update(
    order: WorkOrder, by: Any, fields: dict[str, Any], step: dict[str, str]
) -> dict[str, list[Any]]:
    if order.unit_id not in access_for(by).unit_ids:
        raise ActionError("未找到该工单")
    _steps(order, by, fields, step)
    order.refresh_from_db()
    new = {k: v for k, v in fields.items() if v is not None and getattr(order, k) != v}
    if "time_limit" in new:
        new["limit_source"] = LimitSource.FILE
    return _write_changes(order, by, new)


def _write_changes(order: WorkOrder, by: Any, new: dict[str, Any]) -> dict[str, list[Any]]:
    if not new:
        return {}
    new = perform.check_fields(WorkOrder, {**new, **derived(new)})
    LEDGER.validate(
        {
            **{
                k: getattr(order, k)
                for k in (
                    "category",
                    "urgency",
                    "content",
                    "called_at",
                    "dispatched_at",
                    "time_limit",
                )
            },
            **new,
        }
    )
    changed = {k: [_shown(getattr(order, k)), _shown(v)] for k, v in new.items() if k in UPDATABLE}
    for k, v in new.items():
        setattr(order, k, v)
    order.save(update_fields=list(new))
    from fazhi.core.records.clocks import recompute

    recompute(LEDGER, order)
    perform.audit(LEDGER, order, "updated", by, changes=changed)
    return changed


def _shown(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
