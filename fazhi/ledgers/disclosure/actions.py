"""Every state change of an application is one of these actions (DESIGN invariant 2).

Each validates its own input and then makes one move through the record kit's `perform`, which
goes through the door, locks the row, checks the transition table, sets the status from the
table, writes the timeline and audit events and recomputes the clocks — all or nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction

from fazhi.core.letters import actions as letter_actions
from fazhi.core.records import corrections, options, perform
from fazhi.core.records.clocks import after_due
from fazhi.core.records.perform import Step
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.workflow import ActionError, StepContext
from fazhi.ledgers.disclosure import clocks, fees, replies, reviewing, rules, service
from fazhi.ledgers.disclosure.ledger import LEDGER, REVIEW_WITHHOLDING
from fazhi.ledgers.disclosure.letters import BOOK
from fazhi.ledgers.disclosure.models import (
    Application,
    Channel,
    ConsultationAnswer,
    EventKind,
    FeeMethod,
    Outcome,
    PartyKind,
    ServiceMethod,
    WithdrawalMethod,
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
    id_type: str = "",
    id_number: str = "",
    contact: str = "",
    form_requested: str = "",
    arrived_on: dt.date | None = None,
    confirmed_via: str = "",
    number: str = "",
    backdate_reason: str = "",
) -> Application:
    fields = {
        "received_on": received_on,
        "arrived_on": arrived_on,
        "confirmed_via": confirmed_via,
        "channel": channel,
        "applicant_category": applicant_category,
        "applicant_name": applicant_name,
        "id_type": id_type,
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
    period: int | None = None,
    deadline: dt.date | None = None,
    service_method: str = ServiceMethod.IN_PERSON,
    served_on: dt.date | None = None,
    **step: Unpack[Step],
) -> Application:
    """补正: one notice listing everything to correct, with a reasonable period (Art. 30) that
    runs from the day the applicant receives it; or a fixed last day the notice names."""
    if not items.strip():
        raise ActionError("请写明需要补正的事项（应一次性告知）", field="items")
    served_on = service.check_served_on(on, service_method, served_on)
    data: dict[str, Any] = {
        "items": items.strip(),
        **service.service_data(service_method, served_on),
    }
    if deadline is not None:
        if deadline <= (served_on or on):
            raise ActionError("补正期限应晚于申请人收到补正通知的日期", field="deadline")
        data["deadline"] = deadline.isoformat()
    else:
        workdays = period or rules.CORRECTION_PERIOD.amount
        if not 1 <= workdays <= 60:
            raise ActionError("补正期限应为1至60个工作日", field="period")
        data["period"] = workdays
    return _move(
        app,
        "request_correction",
        by=by,
        on=on,
        data=data,
        audit_data={"service_method": service_method},
        note=items,
        backdate_reason=step.get("backdate_reason", ""),
    )


def record_service(app: Application, *, by: Any, on: dt.date, **step: Unpack[Step]) -> Application:
    """登记送达: the day the pending notice reached its addressee (for post, the signed receipt);
    the addressee's period is counted from it instead of the presumption."""
    notice_kind = service.NOTICE_FOR_STATUS.get(app.status, "")
    return _move(app, "record_service", by=by, on=on, data={"of": notice_kind}, **step)


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
    app: Application,
    *,
    by: Any,
    on: dt.date,
    party_kind: str,
    party: str,
    service_method: str = ServiceMethod.IN_PERSON,
    served_on: dt.date | None = None,
    **step: Unpack[Step],
) -> Application:
    """Arts. 32–34: consulting a third party, a co-authoring agency or another agency pauses
    the reply clock, at most for the consulted party's window from its receipt."""
    if party_kind not in PartyKind.values:
        raise ActionError("请选择征求意见对象类型", field="party_kind")
    if not party.strip():
        raise ActionError("请填写征求意见对象", field="party")
    served_on = service.check_served_on(on, service_method, served_on)
    data = {
        "party_kind": party_kind,
        "party": party.strip()[:200],
        **service.service_data(service_method, served_on),
    }
    return _move(
        app,
        "start_consultation",
        by=by,
        on=on,
        data=data,
        audit_data={"party_kind": party_kind, "service_method": service_method},
        **step,
    )


def end_consultation(
    app: Application, *, by: Any, on: dt.date, answer: str = "", **step: Unpack[Step]
) -> Application:
    """The consulted party answered (or let its 15 working days pass): the clock runs again."""
    if answer and answer not in ConsultationAnswer.values:
        raise ActionError("请选择第三方意见", field="answer")

    def check(locked: Application, events: list[Any]) -> None:
        # "逾期未提出意见" only once the party's window (from its receipt) has run out.
        if answer != ConsultationAnswer.NO_ANSWER:
            return
        lapsed = after_due(
            clocks.THIRD_PARTY, "征求意见期限尚未届满（{due}），届满后方可登记“逾期未提出意见”"
        )
        refused = lapsed(StepContext(locked, events, by, on))
        if refused:
            raise ActionError(refused, field="answer")

    return _move(
        app, "end_consultation", by=by, on=on, data={"answer": answer}, check=check, **step
    )


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
    app: Application,
    *,
    by: Any,
    on: dt.date,
    method: str,
    quantity: int | None = None,
    count_reason: str = "",
    service_method: str = ServiceMethod.IN_PERSON,
    served_on: dt.date | None = None,
    **step: Unpack[Step],
) -> Application:
    """收费通知 per 国办函〔2020〕109号, one method per application: 按件 — the applicant's n-th
    application this month, counted from the ledger (a different n only with a reason) — or
    按量 (pages)."""
    data: dict[str, Any] = {"method": method}
    if method == FeeMethod.PER_ITEM:
        counted = fees.month_count(app)
        n = counted.ordinal if quantity is None else quantity
        reason = count_reason.strip()
        if n != counted.ordinal and not reason:
            raise ActionError(
                f"台账统计本件为该申请人本月第{counted.ordinal}件申请；如需更正件数，请写明理由",
                field="count_reason",
            )
        data |= {"counted": counted.ordinal, "counted_numbers": counted.numbers[-50:]}
        if n != counted.ordinal:
            data["count_reason"] = reason[:500]
        amount = rules.fee_per_item(n) if n > 0 else Decimal(0)
    elif method == FeeMethod.PER_PAGE:
        if quantity is None:
            raise ActionError("按量计收请填写页数", field="quantity")
        n = quantity
        amount = rules.fee_per_page(n)
    else:
        raise ActionError("请选择计收方式（按件或按量，不得同时适用）", field="method")
    if n <= 0:
        raise ActionError("数量应为正整数", field="quantity")
    if amount <= 0:
        raise ActionError(
            "按该数量不应收费（按件：同一申请人本月10件以内；按量：30页以内，均免费）",
            field="quantity",
        )
    served_on = service.check_served_on(on, service_method, served_on)
    data |= {
        "quantity": n,
        "amount": str(amount),
        **service.service_data(service_method, served_on),
    }
    audit_data = {"method": method, "quantity": n, "amount": str(amount)}
    if "count_reason" in data:
        audit_data |= {"counted": data["counted"], "count_reason": data["count_reason"]}
    return _move(app, "issue_fee_notice", by=by, on=on, data=data, audit_data=audit_data, **step)


def record_payment(app: Application, *, by: Any, on: dt.date, **step: Unpack[Step]) -> Application:
    """The applicant paid the amount due; section 六 counts it in the year of this date."""
    data: dict[str, Any] = {}

    def changes(locked: Application, events: list[Any]) -> dict[str, Any]:
        amount = fees.due_amount(events)  # read under the lock; the timeline shows the same amount
        data["amount"] = str(amount)
        return {"fee_amount": locked.fee_amount + amount, "fee_paid_on": on}

    return _move(app, "record_payment", by=by, on=on, changes=changes, data=data, **step)


def _fee_amount_step(
    app: Application,
    code: str,
    *,
    by: Any,
    on: dt.date,
    reason: str,
    missing: str,
    amount: Decimal,
    allowed: Callable[[Decimal, Decimal], bool],
    refusal: str,
    step: Step,
) -> Application:
    """A relief step naming the amount still to pay: checked against what the applicant owes
    (`refusal` names it as `{due}`) under the lock."""
    if not reason.strip():
        raise ActionError(missing, field="reason")

    def check(locked: Application, events: list[Any]) -> None:
        due = fees.due_amount(events)
        if not allowed(amount, due):
            raise ActionError(refusal.format(due=due), field="amount")

    return _move(
        app,
        code,
        by=by,
        on=on,
        note=reason,
        check=check,
        data={"amount": str(amount)},
        audit_data={"amount": str(amount)},
        backdate_reason=step.get("backdate_reason", ""),
    )


def request_fee_relief(
    app: Application,
    *,
    by: Any,
    on: dt.date,
    reason: str,
    amount: Decimal = Decimal(0),
    **step: Unpack[Step],
) -> Application:
    """The handler proposes waiving (amount 0) or reducing the fee; a leader decides."""
    if amount < 0:
        raise ActionError("减免后应缴金额不能为负数", field="amount")
    return _fee_amount_step(
        app,
        "request_fee_relief",
        by=by,
        on=on,
        reason=reason,
        missing="请写明减免理由",
        amount=amount,
        allowed=lambda amount, due: amount < due,
        refusal="减免后应缴金额应小于通知金额（{due} 元）；全部免收请填0",
        step=step,
    )


def waive_fee(
    app: Application, *, by: Any, on: dt.date, reason: str, **step: Unpack[Step]
) -> Application:
    """免收: a leader other than the one who asked waives the whole fee; the application goes on
    and the reply period runs again."""
    return _reasoned(app, "waive_fee", by, on, reason, "请写明免收理由", step)


def reduce_fee(
    app: Application,
    *,
    by: Any,
    on: dt.date,
    reason: str,
    amount: Decimal,
    **step: Unpack[Step],
) -> Application:
    """减收: a leader sets a lower amount; the applicant pays that within the same period."""
    return _fee_amount_step(
        app,
        "reduce_fee",
        by=by,
        on=on,
        reason=reason,
        missing="请写明减收理由",
        amount=amount,
        allowed=lambda amount, due: Decimal(0) < amount < due,
        refusal="减收后的金额应大于0、小于通知金额（{due} 元）；全部免收请使用“批准免收”",
        step=step,
    )


def refuse_fee_relief(
    app: Application, *, by: Any, on: dt.date, reason: str, **step: Unpack[Step]
) -> Application:
    return _reasoned(app, "refuse_fee_relief", by, on, reason, "请写明不予批准的理由", step)


def close_unpaid(app: Application, *, by: Any, on: dt.date, **step: Unpack[Step]) -> Application:
    """The fee was not paid in time: no longer processed (109号; 其他处理 2)."""
    changes = {"outcome": Outcome.OTHER_2, "replied_on": on}
    return _move(app, "close_unpaid", by=by, on=on, changes=changes, **step)


def _reply_draft(
    app: Application, outcome: str, **content: str
) -> tuple[dict[str, str], dict[str, str]]:
    """A reply's content checked (the reply and its review draft alike): the event's data, and
    the draft a review approves (the outcome and the words, not the standing remedies)."""
    if outcome not in Outcome.values:
        raise ActionError("请选择办理结果", field="outcome")
    if outcome in OWN_MOVE_OUTCOMES:
        raise ActionError("逾期不补正、逾期不缴费请使用对应的办理操作", field="outcome")
    data = reply_content(app, outcome, **content)
    return data, {"outcome": outcome, **reviewing.draft_keys(data)}


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
    data, draft = _reply_draft(
        app,
        outcome,
        reasons=reasons,
        basis=basis,
        withheld=withheld,
        competent_body=competent_body,
        competent_contact=competent_contact,
    )

    def check(locked: Application, events: list[Any]) -> None:
        approved = reviewing.approved_draft(events)
        if approved is not None and approved != draft:
            # An approved draft binds whatever the unit's option: the timeline must not show
            # one reply approved and another sent.
            raise ActionError(
                "答复内容与审核通过的内容不一致：请按审核通过的内容答复，或修改后重新提交审核",
                field="outcome",
            )
        if outcome not in replies.NEEDS_REVIEW or approved is not None:
            return
        if options.value(LEDGER, locked.unit, REVIEW_WITHHOLDING.key):
            raise ActionError(
                "按本单位设置，部分公开、不予公开、无法提供、不予处理的答复须先“提交答复审核”，"
                "经审核员审核通过后发出",
                field="outcome",
            )

    return _move(
        app,
        "reply",
        by=by,
        on=on,
        data={"outcome": outcome, **data},
        changes={"outcome": outcome, "replied_on": on},
        check=check,
        audit_data={"outcome": outcome},
        **step,
    )


def submit_reply(
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
    """The handler submits a reply draft to a 审核员 (checked as the reply itself would be)."""
    _, draft = _reply_draft(
        app,
        outcome,
        reasons=reasons,
        basis=basis,
        withheld=withheld,
        competent_body=competent_body,
        competent_contact=competent_contact,
    )
    return perform.perform(
        LEDGER,
        app,
        "submit_reply",
        by=by,
        on=on,
        data=draft,
        audit_data={"outcome": outcome},
        **step,
    )


def approve_reply(app: Application, *, by: Any, on: dt.date, **step: Unpack[Step]) -> Application:
    """A 审核员 (not the one who submitted it) approves the draft; the reply may then go out."""
    result: Application = perform.perform(LEDGER, app, "approve_reply", by=by, on=on, **step)
    return result


def return_reply(
    app: Application, *, by: Any, on: dt.date, reason: str, **step: Unpack[Step]
) -> Application:
    """A 审核员 returns the draft with what to change."""
    if not reason.strip():
        raise ActionError("请写明退回修改的意见", field="reason")
    result: Application = perform.perform(
        LEDGER,
        app,
        "return_reply",
        by=by,
        on=on,
        note=reason,
        backdate_reason=step.get("backdate_reason", ""),
    )
    return result


def withdraw(
    app: Application,
    *,
    by: Any,
    on: dt.date,
    how: str,
    **step: Unpack[Step],
) -> Application:
    """The applicant withdraws the application (撤回): it ends, counted in table 三 as
    （六）其他处理 3.其他. How the withdrawal is evidenced is kept with the step (the status it
    was withdrawn from is kept by the kit, in the step's "_before": indicators.in_time_q reads it)."""
    if how not in WithdrawalMethod.values:
        raise ActionError("请选择申请人撤回的方式", field="how")
    return _move(
        app,
        "withdraw",
        by=by,
        on=on,
        changes={"outcome": Outcome.OTHER_3, "replied_on": on},
        data={"how": how, "outcome": Outcome.OTHER_3},
        audit_data={"how": how},
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
    limit = replies.TEXT_LIMITS
    reasons = _text(reasons, limit["reasons"], "理由", "reasons")
    basis = _text(basis, limit["basis"], "法律依据", "basis")
    withheld = _text(withheld, limit["withheld"], "不予公开的部分", "withheld")
    body = _text(competent_body, limit["competent_body"], "负责公开的机关", "competent_body")
    contact = _text(
        competent_contact, limit["competent_contact"], "该机关的联系方式", "competent_contact"
    )
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
