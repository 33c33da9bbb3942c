"""Every state change of the two ledgers is one of these actions: each validates its own input,
then registers or moves records through the record kit (door, lock, table, timeline, clocks,
audit). A 履职记录 may name a record of another ledger (`linking.py`, through the actor's
door); a rectification item's 整改时限 moves only by `extend`, with its reason, audited."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction

from fazhi.core.records import perform
from fazhi.core.records.perform import Step
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.workflow import ActionError
from fazhi.ledgers.oversight.ledger import DUTIES, RECTIFICATIONS
from fazhi.ledgers.oversight.linking import linked
from fazhi.ledgers.oversight.models import LeaderDuty, Rectification
from fazhi.ledgers.oversight.validation import check_deadline_bound

if TYPE_CHECKING:
    from typing_extensions import Unpack

# --- 第一责任人履职记录 ------------------------------------------------------------------------


def register_duty(
    *,
    unit: OrgUnit,
    by: Any,
    held_on: dt.date,
    leader: str,
    post: str,
    kind: str,
    subject: str,
    details: str = "",
    attendance: int | None = None,
    case_number: str = "",
    linked_slug: str = "",
    linked_number: str = "",
    number: str = "",
    backdate_reason: str = "",
) -> LeaderDuty:
    """What a principal leader did as the 第一责任人: a meeting that discussed rule-of-law work,
    a 述法, an instruction, 带头学法, or 出庭应诉 (with its 案号: the litigation ledger does not
    exist yet); it may name the record of another ledger it is about (a 普法 学法 session)."""
    fields: dict[str, Any] = {
        "held_on": held_on,
        "leader": leader,
        "post": post,
        "kind": kind,
        "subject": subject,
        "details": details,
        "attendance": attendance,
        "case_number": case_number,
    }
    fields.update(linked(unit, by, linked_slug, linked_number))
    result: LeaderDuty = perform.register(
        DUTIES, unit=unit, by=by, fields=fields, number=number, backdate_reason=backdate_reason
    )
    return result


def confirm(record: LeaderDuty, *, by: Any, on: dt.date, **step: Unpack[Step]) -> LeaderDuty:
    """A leader confirms the record is accurate (确认)."""
    result: LeaderDuty = perform.perform(
        DUTIES, record, "confirm", by=by, on=on, changes={"confirmed_on": on}, **step
    )
    return result


# --- 督察整改事项 ------------------------------------------------------------------------------


def register_rectification(
    *,
    unit: OrgUnit,
    by: Any,
    source: str,
    fed_back_on: dt.date,
    problem: str,
    measures: str,
    department: str,
    owner: str,
    deadline: dt.date | None,
    source_doc: str = "",
    number: str = "",
    backdate_reason: str = "",
) -> Rectification:
    """A problem named by 督察 / 考核 / 审计 / 巡视巡察 feedback (its 文号 and date), the measures,
    who owns it and by when; its clock runs to the 整改时限."""
    fields = {
        "source": source,
        "source_doc": source_doc,
        "fed_back_on": fed_back_on,
        "problem": problem,
        "measures": measures,
        "department": department,
        "owner": owner,
        "deadline": deadline,
    }
    result: Rectification = perform.register(
        RECTIFICATIONS,
        unit=unit,
        by=by,
        fields=fields,
        number=number,
        backdate_reason=backdate_reason,
    )
    return result


def start(item: Rectification, *, by: Any, on: dt.date, **step: Unpack[Step]) -> Rectification:
    result: Rectification = perform.perform(RECTIFICATIONS, item, "start", by=by, on=on, **step)
    return result


def _evidence(text: str, label: str) -> str:
    value = perform.clean_input(
        text or "", max_length=5000, label="整改成效及佐证材料", field="evidence"
    ).strip()
    if not value:
        raise ActionError(f"{label}请填写整改成效及佐证材料", field="evidence")
    return value


def complete(
    item: Rectification, *, by: Any, on: dt.date, evidence: str, **step: Unpack[Step]
) -> Rectification:
    """整改完成 on `on`, with what was done and the evidence (files go on the item as its
    attachments; this text names them)."""
    text = _evidence(evidence, "整改完成的，")
    result: Rectification = perform.perform(
        RECTIFICATIONS,
        item,
        "complete",
        by=by,
        on=on,
        changes={"done_on": on, "evidence": text},
        **step,
    )
    return result


def ongoing(
    item: Rectification, *, by: Any, on: dt.date, evidence: str, **step: Unpack[Step]
) -> Rectification:
    """转为长期坚持 (a leader's decision): the measures are in place and continue; the item is
    closed on `on`, with what was done so far."""
    text = _evidence(evidence, "转为长期坚持的，")
    result: Rectification = perform.perform(
        RECTIFICATIONS,
        item,
        "ongoing",
        by=by,
        on=on,
        changes={"done_on": on, "evidence": text},
        **step,
    )
    return result


def extend(
    item: Rectification,
    *,
    by: Any,
    on: dt.date,
    deadline: dt.date | None,
    reason: str,
    backdate_reason: str = "",
) -> Rectification:
    """A leader extends the 整改时限 to `deadline`, for `reason`; the old and new dates are on
    the timeline and in the audit, and undoing it restores the old one. The new 整改时限 is
    later than the current one and than the day the extension is approved (`on`): an item
    already 逾期 cannot be "extended" to a day that has passed and so leave 逾期 silently; and
    it keeps the register's bound (`MAX_DEADLINE_YEARS` after the feedback)."""
    why = perform.clean_input(reason or "", max_length=2000, label="延期理由", field="reason")
    if not why.strip():
        raise ActionError("请填写延期理由", field="reason")
    if not isinstance(deadline, dt.date):
        raise ActionError("请填写延长后的整改时限", field="deadline")

    def check(locked: Rectification, events: list[Any]) -> None:
        if deadline <= locked.deadline:
            raise ActionError(
                f"延长后的整改时限应晚于现整改时限（{locked.deadline:%Y-%m-%d}）",
                field="deadline",
            )
        if deadline <= on:
            raise ActionError(
                f"延长后的整改时限应晚于批准延期日期（{on:%Y-%m-%d}）",
                field="deadline",
            )
        check_deadline_bound(locked.fed_back_on, deadline)

    with transaction.atomic():
        old = item.deadline
        result: Rectification = perform.perform(
            RECTIFICATIONS,
            item,
            "extend",
            by=by,
            on=on,
            changes={"deadline": deadline},
            check=check,
            data={"from": f"{old:%Y-%m-%d}", "to": f"{deadline:%Y-%m-%d}"},
            audit_data={"from": f"{old:%Y-%m-%d}", "to": f"{deadline:%Y-%m-%d}", "reason": why},
            note=why,
            backdate_reason=backdate_reason,
        )
        return result
