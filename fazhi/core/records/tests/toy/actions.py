"""The toy ledger's actions: validation, then one call into the record kit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from fazhi.core.records import handoffs, perform
from fazhi.core.records.tests.toy.ledger import LEDGER
from fazhi.core.records.tests.toy.models import Case
from fazhi.core.tenancy.access import access_for
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.tenancy.roles import Permission
from fazhi.core.workflow import ActionError


def register(
    *,
    unit: OrgUnit,
    by: Any,
    received_on: dt.date,
    subject: str,
    category: str = "person",
    id_number: str = "",
    handler: Any = None,
    number: str = "",
    backdate_reason: str = "",
) -> Case:
    fields = {
        "received_on": received_on,
        "subject": subject,
        "category": category,
        "id_number": id_number,
        "handler": handler,
    }
    case: Case = perform.register(
        LEDGER,
        unit=unit,
        by=by,
        fields=fields,
        number=number,
        backdate_reason=backdate_reason,
    )
    return case


def step(case: Case, code: str, *, by: Any, on: dt.date, **kw: Any) -> Case:
    changes = {"closed_on": on} if code == "review" else None
    done: Case = perform.perform(LEDGER, case, code, by=by, on=on, changes=changes, **kw)
    return done


def assign(
    case: Case, *, by: Any, on: dt.date, handler: Any, note: str = "", backdate_reason: str = ""
) -> Case:
    """分办: the leader names the handler, who alone may then submit the case."""
    if not access_for(handler).can(case.unit_id, Permission.HANDLE):
        raise ActionError("承办人须为本单位可以办理案件的人员", field="handler")
    changes = {"handler": handler}
    done: Case = perform.perform(
        LEDGER,
        case,
        "assign",
        by=by,
        on=on,
        changes=changes,
        note=note,
        backdate_reason=backdate_reason,
        audit_data={"handler": handler.get_username()},
    )
    return done


def simple(code: str) -> Callable[..., Case]:
    """A move that needs only its date and a remark."""

    def action(
        case: Case, *, by: Any, on: dt.date, note: str = "", backdate_reason: str = ""
    ) -> Case:
        return step(case, code, by=by, on=on, note=note, backdate_reason=backdate_reason)

    return action


def reasoned(code: str) -> Callable[..., Case]:
    """An extension step: a dated decision with its reason (kept as the step's note)."""

    def action(case: Case, *, by: Any, on: dt.date, reason: str, backdate_reason: str = "") -> Case:
        if not reason.strip():
            raise ActionError("请写明理由", field="reason")
        return step(case, code, by=by, on=on, note=reason, backdate_reason=backdate_reason)

    return action


def hand_over(
    case: Case, *, by: Any, on: dt.date, note: str = "", backdate_reason: str = ""
) -> Case:
    """移交: the case goes to the upper unit with its whole history (ADR 0012)."""
    parent = case.unit.parent
    if parent is None:
        raise ActionError("本单位没有上级单位，不能移交")
    done: Case = handoffs.hand_over(
        LEDGER,
        case,
        "hand_over",
        by=by,
        on=on,
        to_unit=parent,
        note=note,
        backdate_reason=backdate_reason,
    )
    return done
