"""Every state change of an application is one of these actions (DESIGN invariant 2).

Each validates its own input and then makes one move through the record kit's `perform`, which
goes through the door, locks the row, checks the transition table, sets the status from the
table, writes the timeline and audit events and recomputes the clocks — all or nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction

from fazhi.core.calendar.service import get_calendar
from fazhi.core.deadlines.clock import compute
from fazhi.core.letters import actions as letter_actions
from fazhi.core.records import corrections, perform
from fazhi.core.records.perform import Step
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.workflow import ActionError
from fazhi.ledgers.disclosure import replies, rules
from fazhi.ledgers.disclosure.ledger import LEDGER
from fazhi.ledgers.disclosure.letters import BOOK
from fazhi.ledgers.disclosure.models import (
    Application,
    Channel,
    ConsultationAnswer,
    EventKind,
    FeeMethod,
    Outcome,
)

if TYPE_CHECKING:
    from typing_extensions import Unpack

# Outcomes that have their own move; `reply` may not record them directly.
OWN_MOVE_OUTCOMES = {Outcome.OTHER_1, Outcome.OTHER_2}


def register(
    *,
    unit: OrgUnit,
    by: Any,
    received_on: dt.date,
    applicant_category: str,
    applicant_name: str,
    content: str,
    channel: str = Channel.IN_PERSON,
    id_number: str = "",
    contact: str = "",
    form_requested: str = "",
    number: str = "",
    backdate_reason: str = "",
) -> Application:
    fields = {
        "received_on": received_on,
        "channel": channel,
        "applicant_category": applicant_category,
        "applicant_name": applicant_name,
        "id_number": id_number,
        "contact": contact,
        "content": content,
        "form_requested": form_requested,
    }
    app: Application = perform.register(
        LEDGER,
        unit=unit,
        by=by,
        fields=fields,
        number=number,
        data={"channel": channel},
        backdate_reason=backdate_reason,
    )
    return app


def _move(app: Application, code: str, *, by: Any, on: dt.date, **kw: Any) -> Application:
    """One move, and in the same transaction the letter it produces (numbered with the step)."""
    with transaction.atomic():
        result: Application = perform.perform(LEDGER, app, code, by=by, on=on, **kw)
        event = result.events.order_by("-id").first()
        letter_actions.issue(BOOK, result, event, by=by)
    return result


def letter_profile(unit: OrgUnit) -> letter_actions.Profile:
    return letter_actions.profile_of(unit, BOOK)


def request_correction(
    app: Application,
    *,
    by: Any,
    on: dt.date,
    items: str,
    deadline: dt.date | None = None,
    **step: Unpack[Step],
) -> Application:
    """补正: one notice listing everything to correct, with a reasonable deadline (Art. 30)."""
    if not items.strip():
        raise ActionError("请写明需要补正的事项（应一次性告知）", field="items")
    deadline = deadline or compute(rules.CORRECTION_PERIOD, on, get_calendar()).due
    if deadline <= on:
        raise ActionError("补正期限应晚于补正通知日期", field="deadline")
    return _move(
        app,
        "request_correction",
        by=by,
        on=on,
        data={"deadline": deadline.isoformat(), "items": items.strip()},
        note=items,
        backdate_reason=step.get("backdate_reason", ""),
    )


def record_correction(
    app: Application, *, by: Any, on: dt.date, **step: Unpack[Step]
) -> Application:
    """The corrected application arrived: the 20-working-day reply period starts again."""
    return _move(app, "record_correction", by=by, on=on, **step)


def close_uncorrected(
    app: Application, *, by: Any, on: dt.date, **step: Unpack[Step]
) -> Application:
    """No correction by the applicant's deadline: treated as withdrawn (Art. 30; 其他处理 1)."""
    changes = {"outcome": Outcome.OTHER_1, "replied_on": on}
    return _move(app, "close_uncorrected", by=by, on=on, changes=changes, **step)


def start_consultation(
    app: Application, *, by: Any, on: dt.date, party_kind: str, party: str, **step: Unpack[Step]
) -> Application:
    """Arts. 32/34: consulting a third party or co-authoring agency pauses the reply clock."""
    if party_kind not in ("third_party", "co_author"):
        raise ActionError("请选择征求意见对象类型", field="party_kind")
    if not party.strip():
        raise ActionError("请填写征求意见对象", field="party")
    data = {"party_kind": party_kind, "party": party.strip()[:200]}
    return _move(
        app,
        "start_consultation",
        by=by,
        on=on,
        data=data,
        audit_data={"party_kind": party_kind},
        **step,
    )


def end_consultation(
    app: Application, *, by: Any, on: dt.date, answer: str = "", **step: Unpack[Step]
) -> Application:
    """The consulted party answered (or let its 15 working days pass): the clock runs again."""
    if answer and answer not in ConsultationAnswer.values:
        raise ActionError("请选择第三方意见", field="answer")
    return _move(app, "end_consultation", by=by, on=on, data={"answer": answer}, **step)


def _reasoned(
    app: Application,
    code: str,
    by: Any,
    on: dt.date,
    reason: str,
    missing: str,
    step: Step,
    **kw: Any,
) -> Application:
    """The three extension steps share one shape: a dated decision with its reason."""
    if not reason.strip():
        raise ActionError(missing, field="reason")
    return _move(
        app, code, by=by, on=on, note=reason, backdate_reason=step.get("backdate_reason", ""), **kw
    )


def _extension_days(days: int | None) -> int:
    if days is None or not 1 <= days <= rules.EXTENSION.amount:
        raise ActionError(
            f"延长的期限为1至{rules.EXTENSION.amount}个工作日（条例第三十三条第二款）", field="days"
        )
    return days


def request_extension(
    app: Application,
    *,
    by: Any,
    on: dt.date,
    reason: str,
    days: int = rules.EXTENSION.amount,
    **step: Unpack[Step],
) -> Application:
    """The handler asks the head of the office to approve an extension (Art. 33)."""
    data = {"amount": _extension_days(days)}
    return _reasoned(app, "request_extension", by, on, reason, "请写明延期理由", step, data=data)


def refuse_extension(
    app: Application, *, by: Any, on: dt.date, reason: str, **step: Unpack[Step]
) -> Application:
    """The leader declines the requested extension; the original period stands."""
    return _reasoned(app, "refuse_extension", by, on, reason, "请写明不予批准的理由", step)


def extend(
    app: Application,
    *,
    by: Any,
    on: dt.date,
    reason: str,
    told_on: dt.date,
    days: int | None = None,
    **step: Unpack[Step],
) -> Application:
    """One extension of at most 20 working days, approved by the head of the office, who is
    the event's actor and not the person who asked for it; the applicant is told (Art. 33).
    The length is the leader's choice, by default what was asked for."""
    asked = next(
        (e for e in reversed(list(app.events.all())) if e.kind == EventKind.EXTENSION_REQUESTED),
        None,
    )
    if days is None:
        days = int(asked.data.get("amount") or rules.EXTENSION.amount) if asked else None
    amount = _extension_days(days if days is not None else rules.EXTENSION.amount)
    if told_on < on or told_on > perform.today():
        raise ActionError("告知申请人延期的日期应在批准之日至今天之间", field="told_on")
    data = {"amount": amount, "told_on": told_on.isoformat()}
    return _reasoned(
        app, "extend", by, on, reason, "请写明延期理由（需告知申请人）", step, data=data
    )


def issue_fee_notice(
    app: Application, *, by: Any, on: dt.date, method: str, quantity: int, **step: Unpack[Step]
) -> Application:
    """收费通知 per 国办函〔2020〕109号: 按件 (n-th application this month) or 按量 (pages)."""
    if method == FeeMethod.PER_ITEM:
        amount = rules.fee_per_item(quantity)
    elif method == FeeMethod.PER_PAGE:
        amount = rules.fee_per_page(quantity)
    else:
        raise ActionError("请选择计收方式（按件或按量，不得同时适用）", field="method")
    if quantity <= 0:
        raise ActionError("数量应为正整数", field="quantity")
    if amount <= 0:
        raise ActionError("按该数量不应收费（按件10件以内、按量30页以内免费）", field="quantity")
    data = {"method": method, "quantity": quantity, "amount": str(amount)}
    return _move(
        app, "issue_fee_notice", by=by, on=on, data=data, audit_data={"amount": str(amount)}, **step
    )


def _paid(app: Application, events: list[Any]) -> dict[str, Any]:
    notice = next((e for e in reversed(events) if e.kind == EventKind.FEE_NOTICE), None)
    amount = Decimal(notice.data["amount"]) if notice else Decimal(0)
    return {"fee_amount": app.fee_amount + amount}


def record_payment(app: Application, *, by: Any, on: dt.date, **step: Unpack[Step]) -> Application:
    return _move(app, "record_payment", by=by, on=on, changes=_paid, **step)


def close_unpaid(app: Application, *, by: Any, on: dt.date, **step: Unpack[Step]) -> Application:
    """The fee was not paid in time: no longer processed (109号; 其他处理 2)."""
    changes = {"outcome": Outcome.OTHER_2, "replied_on": on}
    return _move(app, "close_unpaid", by=by, on=on, changes=changes, **step)


def reply(
    app: Application,
    *,
    by: Any,
    on: dt.date,
    outcome: str,
    reasons: str = "",
    basis: str = "",
    withheld: str = "",
    competent_body: str = "",
    competent_contact: str = "",
    **step: Unpack[Step],
) -> Application:
    """The reply, with exactly one outcome from the 2021 format's rows (Arts. 36–39). A reply
    that does not give the information states its reasons and legal basis (Arts. 36(三), 37);
    a partial one what it withholds; an Art. 36(五) one the competent body if known; every
    one the remedies (Art. 51)."""
    if outcome not in Outcome.values:
        raise ActionError("请选择办理结果", field="outcome")
    if outcome in OWN_MOVE_OUTCOMES:
        raise ActionError("逾期不补正、逾期不缴费请使用对应的办理操作", field="outcome")
    data = reply_content(
        app,
        outcome,
        reasons=reasons,
        basis=basis,
        withheld=withheld,
        competent_body=competent_body,
        competent_contact=competent_contact,
    )
    return _move(
        app,
        "reply",
        by=by,
        on=on,
        data={"outcome": outcome, **data},
        changes={"outcome": outcome, "replied_on": on},
        audit_data={"outcome": outcome},
        **step,
    )


def _text(value: str, limit: int, label: str, field: str) -> str:
    return perform.clean_input(value, max_length=limit, label=label, field=field)


def reply_content(
    app: Application,
    outcome: str,
    *,
    reasons: str = "",
    basis: str = "",
    withheld: str = "",
    competent_body: str = "",
    competent_contact: str = "",
) -> dict[str, str]:
    """The reply's statutory content, checked; the event's data (and the letter) carry it."""
    reasons = _text(reasons, 2000, "理由", "reasons")
    basis = _text(basis, 1000, "法律依据", "basis")
    withheld = _text(withheld, 2000, "不予公开的部分", "withheld")
    body = _text(competent_body, 200, "负责公开的机关", "competent_body")
    contact = _text(competent_contact, 200, "该机关的联系方式", "competent_contact")
    group = replies.group_of(outcome)
    if outcome == Outcome.PARTIAL and not withheld:
        raise ActionError("部分公开的，请写明不予公开的部分（条例第三十七条）", field="withheld")
    if outcome != Outcome.PARTIAL and withheld:
        raise ActionError("只有部分公开的答复才填写不予公开的部分", field="withheld")
    if outcome in replies.NEEDS_REASONS and not reasons:
        raise ActionError(replies.REASONS_MISSING[group], field="reasons")
    if outcome == Outcome.OTHER_3 and not reasons:
        raise ActionError("请在“理由”中写明处理情况（如申请人撤回申请）", field="reasons")
    if (body or contact) and outcome != Outcome.UNABLE_1:
        raise ActionError(
            "负责公开的机关只在“本机关不掌握相关政府信息”（不属于本机关负责公开）时填写",
            field="competent_body",
        )
    if contact and not body:
        raise ActionError("请先填写负责公开该信息的机关名称", field="competent_body")
    basis = basis or replies.default_basis(outcome, not_ours=bool(body))
    if outcome in replies.NEEDS_REASONS and not basis:
        raise ActionError("请写明答复的法律依据", field="basis")
    profile = letter_profile(app.unit)
    data = {
        "reasons": reasons,
        "basis": basis,
        "remedies": replies.remedies(
            profile.values.get(replies.REVIEW_BODY, ""), profile.values.get(replies.COURT, "")
        ),
    }
    if withheld:
        data["withheld"] = withheld
    if body:
        data["competent_body"] = body
        data["competent_contact"] = contact
    return data


def correct(app: Application, *, by: Any, reason: str, **changes: Any) -> Application:
    result: Application = corrections.correct(LEDGER, app, by=by, changes=changes, reason=reason)
    return result


def void(app: Application, *, by: Any, reason: str) -> Application:
    result: Application = corrections.void(LEDGER, app, by=by, reason=reason)
    return result


def undo(app: Application, *, by: Any, reason: str) -> Application:
    result: Application = corrections.undo(LEDGER, app, by=by, reason=reason)
    return result
