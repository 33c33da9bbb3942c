"""Every state change of a 信访事项 is one of these actions: each validates its own input, then
makes one move through the record kit's `perform` (door, lock, table, timeline, clocks, audit)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction

from fazhi.core.records import corrections, perform
from fazhi.core.records.perform import Step
from fazhi.core.tenancy.access import access_for
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.tenancy.names import display_name
from fazhi.core.tenancy.roles import Permission
from fazhi.core.workflow import ActionError
from fazhi.ledgers.petitions.ledger import LEDGER, VISITS
from fazhi.ledgers.petitions.models import (
    FROM_ABOVE,
    EventKind,
    Form,
    Petition,
    Procedure,
    Result,
    ReviewResult,
    Satisfaction,
    Stage,
    Visit,
)
from fazhi.ledgers.petitions.validation import BASIS_MAX_LENGTH, BODY_MAX_LENGTH, check_visit
from fazhi.ledgers.petitions.workflow import OPEN

if TYPE_CHECKING:
    from typing_extensions import Unpack


def find_repeat(by: Any, petitioner: str, contact: str, address: str) -> Petition | None:
    """Art. 19: the same petitioner's matter still pending, among the units `by` may see (an
    upper level sees the lower levels'). Matched on the name and a contact or address."""
    name = petitioner.strip()
    if not name or not (contact.strip() or address.strip()):
        return None
    same = Petition.objects.visible_to(by).filter(petitioner=name, status__in=OPEN)
    reach = same.filter(contact=contact.strip()) if contact.strip() else same.none()
    if address.strip():
        reach = reach | same.filter(address=address.strip())
    return reach.order_by("received_on", "id").first()


def register(
    *,
    unit: OrgUnit,
    by: Any,
    received_on: dt.date,
    form: str,
    source: str,
    category: str,
    content: str,
    petitioner: str = "",
    address: str = "",
    contact: str = "",
    source_ref: str = "",
    stage: str = Stage.INITIAL,
    original: str = "",
    visitors: int | None = None,
    representatives: int | None = None,
    number: str = "",
    backdate_reason: str = "",
) -> Petition:
    """Register a matter (Art. 21). A visit records its first batch; a pending matter of the
    same petitioner is linked as the one this repeats (Art. 19)."""
    if form == Form.VISIT:
        check_visit(visitors or 0, representatives or 1)
    fields = {
        "received_on": received_on,
        "stage": stage,
        "form": form,
        "source": source,
        "source_ref": source_ref,
        "category": category,
        "petitioner": petitioner,
        "address": address,
        "contact": contact,
        "content": content,
        "original": original,
    }
    with transaction.atomic():
        repeat = find_repeat(by, petitioner, contact, address)
        record = Petition(**{k: v for k, v in fields.items() if isinstance(v, str)})
        data = {
            "stage": stage,
            "from_above": source in FROM_ABOVE,
            "notifiable": record.notifiable,
            "repeat_of": repeat.number if repeat else "",
        }
        petition: Petition = perform.register(
            LEDGER,
            unit=unit,
            by=by,
            fields={**fields, "repeat_of": repeat},
            number=number,
            data=data,
            backdate_reason=backdate_reason,
        )
        if form == Form.VISIT:
            corrections.add_child(
                LEDGER,
                VISITS,
                petition,
                by=by,
                fields={
                    "on": received_on,
                    "visitors": visitors or 1,
                    "representatives": representatives or 1,
                    "note": "首次来访",
                },
            )
        return petition


def _move(p: Petition, code: str, *, by: Any, on: dt.date, **kw: Any) -> Petition:
    result: Petition = perform.perform(LEDGER, p, code, by=by, on=on, **kw)
    return result


def _handler(unit_id: int, handler: Any, by: Any) -> Any:
    chosen = handler or by
    if getattr(chosen, "pk", None) is None:
        return None  # the command-line operator assigns nobody
    if not access_for(chosen).can(unit_id, Permission.HANDLE):
        raise ActionError("所选承办人不是本单位的办理人员", field="handler")
    return chosen


def accept(
    p: Petition, *, by: Any, on: dt.date, handler: Any = None, **step: Unpack[Step]
) -> Petition:
    """受理: the unit will handle it (Arts. 23, 31(6)); the 60日 run from its date. The handler
    is checked after the door and the lock (perform calls `changes` with the locked record)."""
    chosen = handler or by
    name = display_name(chosen)

    def changes(locked: Petition, events: list[Any]) -> dict[str, Any]:
        return {"handler": _handler(locked.unit_id, handler, by), "routed_on": on}

    return _move(p, "accept", by=by, on=on, changes=changes, data={"handler": name}, **step)


def transfer(
    p: Petition, *, by: Any, on: dt.date, to: str, assign: bool = False, **step: Unpack[Step]
) -> Petition:
    """转送 (or 交办 with a deadline for the result) to the body competent for it (Art. 22)."""
    if not to.strip():
        raise ActionError("请写明转送或交办的机关", field="to")
    data = {"to": to.strip()[:BODY_MAX_LENGTH], "assign": bool(assign)}
    return _move(p, "transfer", by=by, on=on, data=data, changes={"routed_on": on}, **step)


def not_accept(
    p: Petition, *, by: Any, on: dt.date, procedure: str, **step: Unpack[Step]
) -> Petition:
    """不予受理, telling the petitioner the procedure to follow instead (Arts. 19, 31(1)–(5))."""
    if procedure not in Procedure.values:
        raise ActionError("请选择应告知信访人的途径", field="procedure")
    data = {"procedure": procedure}
    return _move(p, "not_accept", by=by, on=on, data=data, changes={"routed_on": on}, **step)


def _reasoned(
    p: Petition, code: str, by: Any, on: dt.date, reason: str, missing: str, step: Step, **kw: Any
) -> Petition:
    if not reason.strip():
        raise ActionError(missing, field="reason")
    return _move(
        p, code, by=by, on=on, note=reason, backdate_reason=step.get("backdate_reason", ""), **kw
    )


def object_to_transfer(
    p: Petition, *, by: Any, on: dt.date, reason: str, **step: Unpack[Step]
) -> Petition:
    """Art. 23: a matter from above outside this unit's powers, objected to within 5 工作日."""
    return _reasoned(p, "object", by, on, reason, "请详细说明不属于本机关职权范围的理由", step)


def objection_agreed(p: Petition, *, by: Any, on: dt.date, **step: Unpack[Step]) -> Petition:
    return _move(p, "objection_agreed", by=by, on=on, **step)


def objection_refused(p: Petition, *, by: Any, on: dt.date, **step: Unpack[Step]) -> Petition:
    return _move(p, "objection_refused", by=by, on=on, **step)


def request_extension(
    p: Petition, *, by: Any, on: dt.date, days: int, reason: str, **step: Unpack[Step]
) -> Petition:
    if not 1 <= days <= 30:
        raise ActionError("延长期限为1至30日（条例第三十四条）", field="days")
    return _reasoned(
        p, "request_extension", by, on, reason, "请写明延期理由", step, data={"amount": days}
    )


def extend(
    p: Petition,
    *,
    by: Any,
    on: dt.date,
    reason: str,
    told_on: dt.date,
    days: int | None = None,
    **step: Unpack[Step],
) -> Petition:
    """The head of the unit approves (at most 30日, once); the petitioner is told why."""
    asked = next(
        (e for e in reversed(list(p.events.all())) if e.kind == EventKind.EXTENSION_REQUESTED),
        None,
    )
    amount = days or (int(asked.data.get("amount", 30)) if asked else 30)
    if not 1 <= amount <= 30:
        raise ActionError("延长期限为1至30日（条例第三十四条）", field="days")
    if told_on < on or told_on > perform.today():
        raise ActionError("告知信访人的日期应在批准之日至今天之间", field="told_on")
    data = {"amount": amount, "told_on": told_on.isoformat()}
    return _reasoned(p, "extend", by, on, reason, "请写明延期理由（须告知信访人）", step, data=data)


def refuse_extension(
    p: Petition, *, by: Any, on: dt.date, reason: str, **step: Unpack[Step]
) -> Petition:
    return _reasoned(p, "refuse_extension", by, on, reason, "请写明不予批准的理由", step)


def start_hearing(p: Petition, *, by: Any, on: dt.date, **step: Unpack[Step]) -> Petition:
    """复核 may hold a hearing; its time is excluded from the 30日 (Art. 36)."""
    return _move(p, "start_hearing", by=by, on=on, **step)


def end_hearing(p: Petition, *, by: Any, on: dt.date, **step: Unpack[Step]) -> Petition:
    return _move(p, "end_hearing", by=by, on=on, **step)


def opinion(
    p: Petition, *, by: Any, on: dt.date, result: str, basis: str, **step: Unpack[Step]
) -> Petition:
    """信访处理意见书 (Art. 32): the decision with its facts, reasons and legal basis."""
    if result not in (Result.SUPPORT, Result.EXPLAIN, Result.REJECT):
        raise ActionError("请选择处理意见：支持、解释说明或不予支持", field="result")
    if not basis.strip():
        raise ActionError("请写明处理意见的政策法律依据", field="basis")
    data = {"result": result, "basis": basis.strip()[:BASIS_MAX_LENGTH]}
    changes = {"result": result, "replied_on": on}
    return _move(
        p,
        "opinion",
        by=by,
        on=on,
        data=data,
        changes=changes,
        audit_data={"result": result},
        **step,
    )


def agreement(p: Petition, *, by: Any, on: dt.date, result: str, **step: Unpack[Step]) -> Petition:
    """调解协议书 or 和解协议书 (Art. 33)."""
    if result not in (Result.MEDIATED, Result.SETTLED):
        raise ActionError("请选择调解或和解", field="result")
    changes = {"result": result, "replied_on": on}
    return _move(p, "agreement", by=by, on=on, data={"result": result}, changes=changes, **step)


def feedback(
    p: Petition, *, by: Any, on: dt.date, satisfaction: str, **step: Unpack[Step]
) -> Petition:
    if satisfaction not in Satisfaction.values:
        raise ActionError("请选择满意度", field="satisfaction")
    data = {"satisfaction": satisfaction}
    return _move(
        p, "feedback", by=by, on=on, data=data, changes={"satisfaction": satisfaction}, **step
    )


def _requested(
    p: Petition, code: str, what: str, by: Any, on: dt.date, to: str, step: Step
) -> Petition:
    """The petitioner asked the level above for a 复查 or 复核 (this matter's further history)."""
    if not to.strip():
        raise ActionError(f"请写明受理{what}的机关", field="to")
    return _move(p, code, by=by, on=on, data={"to": to.strip()[:BODY_MAX_LENGTH]}, **step)


def _decided(
    p: Petition, code: str, what: str, field: str, by: Any, on: dt.date, result: str, step: Step
) -> Petition:
    if result not in ReviewResult.values:
        raise ActionError(f"请选择{what}结果", field="result")
    data = {"result": result}
    return _move(p, code, by=by, on=on, data=data, changes={field: result}, **step)


def review_requested(
    p: Petition, *, by: Any, on: dt.date, to: str, **step: Unpack[Step]
) -> Petition:
    return _requested(p, "review_requested", "复查", by, on, to, step)


def review_decided(
    p: Petition, *, by: Any, on: dt.date, result: str, **step: Unpack[Step]
) -> Petition:
    return _decided(p, "review_decided", "复查", "review_result", by, on, result, step)


def recheck_requested(
    p: Petition, *, by: Any, on: dt.date, to: str, **step: Unpack[Step]
) -> Petition:
    return _requested(p, "recheck_requested", "复核", by, on, to, step)


def recheck_decided(
    p: Petition, *, by: Any, on: dt.date, result: str, **step: Unpack[Step]
) -> Petition:
    return _decided(p, "recheck_decided", "复核", "recheck_result", by, on, result, step)


def add_visit(
    p: Petition, *, by: Any, on: dt.date, visitors: int, representatives: int = 1, note: str = ""
) -> Visit:
    """A further batch of visitors on the same matter (批次, 人次)."""
    check_visit(visitors, representatives)
    fields = {"on": on, "visitors": visitors, "representatives": representatives, "note": note}
    visit: Visit = corrections.add_child(LEDGER, VISITS, p, by=by, fields=fields)
    return visit
