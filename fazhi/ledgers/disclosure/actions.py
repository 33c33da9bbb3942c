"""Every state change of an application is one of these actions (DESIGN invariant 2).

Each is keyword-only with an explicit actor `by`, runs in one transaction, checks the move
against the workflow table, appends a timeline event, refreshes the cached deadlines and writes
the audit event — all or nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from fazhi.core.audit.models import record_event
from fazhi.core.calendar.service import get_calendar
from fazhi.core.deadlines.clock import compute
from fazhi.core.tenancy.access import access_for
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.tenancy.roles import Permission
from fazhi.core.workflow import ActionError, check_move
from fazhi.ledgers.disclosure import rules
from fazhi.ledgers.disclosure.clock import recompute
from fazhi.ledgers.disclosure.models import (
    ApplicantCategory,
    Application,
    ApplicationEvent,
    Channel,
    ConsultationAnswer,
    EventKind,
    FeeMethod,
    Outcome,
    Status,
)
from fazhi.ledgers.disclosure.validation import check_id_number
from fazhi.ledgers.disclosure.workflow import MOVES

# Outcomes that have their own move; `reply` may not record them directly.
OWN_MOVE_OUTCOMES = {Outcome.OTHER_1, Outcome.OTHER_2}


def _today() -> dt.date:
    return timezone.localdate()


def _check_date(on: dt.date, app: Application, label: str) -> None:
    if on > _today():
        raise ActionError(f"{label}不能晚于今天（{_today():%Y-%m-%d}）", field="on")
    if on < app.received_on:
        raise ActionError(
            f"{label}不能早于收到申请的日期（{app.received_on:%Y-%m-%d}）", field="on"
        )
    last = app.events.order_by("-on").values_list("on", flat=True).first()
    if last and on < last:
        raise ActionError(f"{label}不能早于上一办理环节的日期（{last:%Y-%m-%d}）", field="on")


def _move(app: Application, code: str, by: Any, on: dt.date) -> Application:
    """Lock the record, then check the move on its current state: two clerks (or a double
    click) cannot both pass a guard such as "only one extension". Returns the locked record."""
    access = access_for(by)
    if app.unit_id not in access.unit_ids:
        raise ActionError("未找到该记录")
    locked = Application.objects.select_for_update().select_related("unit").get(pk=app.pk)
    check_move(MOVES, code, locked, by, can=lambda p: access.can(locked.unit_id, p), on=on)
    return locked


def _event(
    app: Application, kind: str, on: dt.date, by: Any, note: str = "", **data: Any
) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=app, kind=kind, on=on, by=by, note=note, data=data
    )


def _audit(app: Application, code: str, by: Any, **data: Any) -> None:
    record_event(
        f"disclosure.application.{code}",
        by=by,
        unit_code=app.unit.code,
        object_type="disclosure.application",
        object_id=str(app.pk),
        data={"number": app.number, **data},
    )


def _finish(app: Application, status: str | None, code: str, by: Any, **data: Any) -> Application:
    if status is not None:
        app.status = status
    app.save()
    recompute(app)
    _audit(app, code, by, status=app.status, **data)
    return app


def next_number(unit: OrgUnit, year: int) -> str:
    prefix = f"YSQ-{year}-"
    taken = Application.objects.filter(unit=unit, number__startswith=prefix).values_list(
        "number", flat=True
    )
    seq = max((int(n[len(prefix) :]) for n in taken if n[len(prefix) :].isdigit()), default=0)
    return f"{prefix}{seq + 1:04d}"


def _save_numbered(app: Application, *, generate: bool, attempts: int = 5) -> None:
    """Save under the given number, or the next free YSQ-<year>-NNNN. Two clerks registering
    at the same moment may draw the same number; the loser simply draws again."""
    for _ in range(attempts if generate else 1):
        if generate:
            app.number = next_number(app.unit, app.received_on.year)
        try:
            with transaction.atomic():
                app.save()
            return
        except IntegrityError:
            app.pk = None
    raise ActionError(f"申请编号「{app.number}」在本单位已存在", field="number")


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
) -> Application:
    access = access_for(by)
    if not access.can(unit.pk, Permission.REGISTER):
        raise ActionError("您没有在该单位登记申请的权限")
    if received_on > _today():
        raise ActionError(f"收到日期不能晚于今天（{_today():%Y-%m-%d}）", field="received_on")
    if applicant_category not in ApplicantCategory.values:
        raise ActionError("申请人类型无效", field="applicant_category")
    if channel not in Channel.values:
        raise ActionError("收到方式无效", field="channel")
    if not applicant_name.strip():
        raise ActionError("请填写申请人姓名或名称", field="applicant_name")
    if not content.strip():
        raise ActionError(
            "请填写申请内容（所需政府信息的名称、文号或便于查询的特征性描述）", field="content"
        )
    id_error = check_id_number(id_number, applicant_category)
    if id_error:
        raise ActionError(id_error, field="id_number")
    with transaction.atomic():
        app = Application(
            unit=unit,
            number=number.strip(),
            received_on=received_on,
            channel=channel,
            applicant_category=applicant_category,
            applicant_name=applicant_name.strip(),
            id_number=id_number.strip().upper(),
            contact=contact.strip(),
            content=content.strip(),
            form_requested=form_requested.strip(),
            created_by=by if getattr(by, "pk", None) else None,
        )
        _save_numbered(app, generate=not app.number)
        _event(app, EventKind.REGISTERED, received_on, by, channel=channel)
        return _finish(app, None, "registered", by)


def request_correction(
    *, app: Application, by: Any, on: dt.date, items: str, deadline: dt.date | None = None
) -> Application:
    """补正: one notice listing everything to correct, with a reasonable deadline (Art. 30)."""
    with transaction.atomic():
        app = _move(app, "request_correction", by, on)
        _check_date(on, app, "补正通知日期")
        if not items.strip():
            raise ActionError("请写明需要补正的事项（应一次性告知）", field="items")
        default_due = compute(rules.CORRECTION_PERIOD, on, get_calendar()).due
        deadline = deadline or default_due
        if deadline <= on:
            raise ActionError("补正期限应晚于补正通知日期", field="deadline")
        _event(app, EventKind.CORRECTION_REQUESTED, on, by, items, deadline=deadline.isoformat())
        return _finish(app, Status.AWAITING_CORRECTION, "correction_requested", by)


def record_correction(*, app: Application, by: Any, on: dt.date, note: str = "") -> Application:
    """The corrected application arrived: the 20-working-day reply period starts again."""
    with transaction.atomic():
        app = _move(app, "record_correction", by, on)
        _check_date(on, app, "收到补正日期")
        _event(app, EventKind.CORRECTED, on, by, note)
        return _finish(app, Status.RECEIVED, "corrected", by)


def _close_lapsed(
    app: Application, by: Any, on: dt.date, note: str, move: str, kind: str, outcome: str
) -> Application:
    """The applicant let a deadline pass: the application is no longer processed (其他处理)."""
    with transaction.atomic():
        app = _move(app, move, by, on)
        _check_date(on, app, "办结日期")
        _event(app, kind, on, by, note)
        app.outcome, app.replied_on = outcome, on
        return _finish(app, Status.CLOSED, kind, by)


def close_uncorrected(*, app: Application, by: Any, on: dt.date, note: str = "") -> Application:
    """No correction by the applicant's deadline: treated as withdrawn (Art. 30; 其他处理 1)."""
    return _close_lapsed(
        app, by, on, note, "close_uncorrected", EventKind.CLOSED_UNCORRECTED, Outcome.OTHER_1
    )


def start_consultation(
    *, app: Application, by: Any, on: dt.date, party_kind: str, party: str, note: str = ""
) -> Application:
    """Arts. 32/34: consulting a third party or co-authoring agency pauses the reply clock."""
    with transaction.atomic():
        app = _move(app, "start_consultation", by, on)
        _check_date(on, app, "征求意见日期")
        if party_kind not in ("third_party", "co_author"):
            raise ActionError("请选择征求意见对象类型", field="party_kind")
        if not party.strip():
            raise ActionError("请填写征求意见对象", field="party")
        _event(
            app,
            EventKind.CONSULTATION_STARTED,
            on,
            by,
            note,
            party_kind=party_kind,
            party=party.strip(),
        )
        return _finish(app, Status.CONSULTING, "consultation_started", by, party_kind=party_kind)


def end_consultation(
    *, app: Application, by: Any, on: dt.date, answer: str = "", note: str = ""
) -> Application:
    """The consulted party answered (or let its 15 working days pass): the clock runs again."""
    with transaction.atomic():
        app = _move(app, "end_consultation", by, on)
        _check_date(on, app, "意见反馈日期")
        if answer and answer not in ConsultationAnswer.values:
            raise ActionError("请选择第三方意见", field="answer")
        _event(app, EventKind.CONSULTATION_ENDED, on, by, note, answer=answer)
        return _finish(app, Status.RECEIVED, "consultation_ended", by)


def _extension_step(
    app: Application,
    by: Any,
    on: dt.date,
    reason: str,
    *,
    move: str,
    kind: str,
    date_label: str,
    missing: str,
) -> Application:
    """The three extension steps share one shape: a dated decision with its reason."""
    with transaction.atomic():
        app = _move(app, move, by, on)
        _check_date(on, app, date_label)
        if not reason.strip():
            raise ActionError(missing, field="reason")
        _event(app, kind, on, by, reason)
        return _finish(app, None, kind, by)


def request_extension(*, app: Application, by: Any, on: dt.date, reason: str) -> Application:
    """The handler asks the head of the office to approve an extension (Art. 33)."""
    return _extension_step(
        app,
        by,
        on,
        reason,
        move="request_extension",
        kind=EventKind.EXTENSION_REQUESTED,
        date_label="提请日期",
        missing="请写明延期理由",
    )


def refuse_extension(*, app: Application, by: Any, on: dt.date, reason: str) -> Application:
    """The leader declines the requested extension; the original period stands."""
    return _extension_step(
        app,
        by,
        on,
        reason,
        move="refuse_extension",
        kind=EventKind.EXTENSION_REFUSED,
        date_label="日期",
        missing="请写明不予批准的理由",
    )


def extend(*, app: Application, by: Any, on: dt.date, reason: str) -> Application:
    """One extension of up to 20 working days, approved by the head of the office (Art. 33);
    the approver is the event's actor."""
    return _extension_step(
        app,
        by,
        on,
        reason,
        move="extend",
        kind=EventKind.EXTENDED,
        date_label="批准延期日期",
        missing="请写明延期理由（需告知申请人）",
    )


def issue_fee_notice(
    *, app: Application, by: Any, on: dt.date, method: str, quantity: int, note: str = ""
) -> Application:
    """收费通知 per 国办函〔2020〕109号: 按件 (n-th application this month) or 按量 (pages)."""
    with transaction.atomic():
        app = _move(app, "issue_fee_notice", by, on)
        _check_date(on, app, "收费通知日期")
        if method == FeeMethod.PER_ITEM:
            amount = rules.fee_per_item(quantity)
        elif method == FeeMethod.PER_PAGE:
            amount = rules.fee_per_page(quantity)
        else:
            raise ActionError("请选择计收方式（按件或按量，不得同时适用）", field="method")
        if quantity <= 0:
            raise ActionError("数量应为正整数", field="quantity")
        if amount <= 0:
            raise ActionError(
                "按该数量不应收费（按件10件以内、按量30页以内免费）", field="quantity"
            )
        _event(
            app,
            EventKind.FEE_NOTICE,
            on,
            by,
            note,
            method=method,
            quantity=quantity,
            amount=str(amount),
        )
        return _finish(app, Status.AWAITING_FEE, "fee_notice", by, amount=str(amount))


def record_payment(*, app: Application, by: Any, on: dt.date, note: str = "") -> Application:
    with transaction.atomic():
        app = _move(app, "record_payment", by, on)
        _check_date(on, app, "缴费日期")
        notice = app.events.filter(kind=EventKind.FEE_NOTICE).order_by("-on", "-id").first()
        amount = Decimal(notice.data["amount"]) if notice else Decimal(0)
        _event(app, EventKind.FEE_PAID, on, by, note, amount=str(amount))
        app.fee_amount = app.fee_amount + amount
        return _finish(app, Status.RECEIVED, "fee_paid", by, amount=str(amount))


def close_unpaid(*, app: Application, by: Any, on: dt.date, note: str = "") -> Application:
    """The fee was not paid in time: no longer processed (109号; 其他处理 2)."""
    return _close_lapsed(
        app, by, on, note, "close_unpaid", EventKind.CLOSED_UNPAID, Outcome.OTHER_2
    )


def reply(*, app: Application, by: Any, on: dt.date, outcome: str, note: str = "") -> Application:
    """The reply, with exactly one outcome from the 2021 format's rows (Arts. 36–39)."""
    with transaction.atomic():
        app = _move(app, "reply", by, on)
        _check_date(on, app, "答复日期")
        if outcome not in Outcome.values:
            raise ActionError("请选择办理结果", field="outcome")
        if outcome in OWN_MOVE_OUTCOMES:
            raise ActionError("逾期不补正、逾期不缴费请使用对应的办理操作", field="outcome")
        _event(app, EventKind.REPLIED, on, by, note, outcome=outcome)
        app.outcome, app.replied_on = outcome, on
        return _finish(app, Status.CLOSED, "replied", by, outcome=outcome)
