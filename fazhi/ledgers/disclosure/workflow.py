"""The application's statuses and the table of moves between them (条例 Arts. 30–36)."""

from __future__ import annotations

from django.conf import settings

from fazhi.core.calendar.service import get_calendar
from fazhi.core.deadlines.clock import compute
from fazhi.core.records.clocks import ClockSpec, after_due, by_due
from fazhi.core.tenancy.roles import Permission
from fazhi.core.workflow import Approval, Guard, Move, StepContext, dated, not_by_actor_of
from fazhi.ledgers.disclosure import clocks, rules, service
from fazhi.ledgers.disclosure.models import EventKind, FeeMethod, Status

S = Status
E = EventKind
OPEN_ACTIVE = frozenset({S.RECEIVED, S.CONSULTING})
OPEN = frozenset({S.RECEIVED, S.CONSULTING, S.AWAITING_CORRECTION, S.AWAITING_FEE})

EXTENSION = Approval(
    "待批准延期", E.EXTENSION_REQUESTED, frozenset({E.EXTENSION_REFUSED, E.EXTENDED})
)
# A reply draft a 审核员 approves or returns before it is sent (required for withholding replies
# where the unit's option says so: actions.reply checks it).
REPLY_REVIEW = Approval(
    "待审核答复", E.REPLY_SUBMITTED, frozenset({E.REPLY_RETURNED, E.REPLY_APPROVED})
)
FEE_RELIEF = Approval(
    "待批准减免信息处理费",
    E.FEE_RELIEF_REQUESTED,
    frozenset({E.FEE_RELIEF_REFUSED, E.FEE_WAIVED, E.FEE_REDUCED}),
)


def _not_extended(ctx: StepContext) -> str | None:
    if E.EXTENDED in ctx.kinds():
        return "答复期限只能延长一次（条例第三十三条第二款）"
    return None


_not_past_due = by_due(clocks.REPLY, "答复期限已于 {due} 届满，不能再延期")


def _correction_once(ctx: StepContext) -> str | None:
    """Art. 30: one notice listing everything to correct."""
    kinds = ctx.kinds()
    if E.CORRECTION_REQUESTED in kinds:
        return "补正通知应一次性告知，本申请已发出过补正通知"
    if E.EXTENDED in kinds:
        return "答复期限已延长，不能再要求补正"
    return None


@dated
def _correction_in_time(ctx: StepContext) -> str | None:
    """Art. 30: the notice goes out within 7 working days of receipt."""
    due = compute(rules.CORRECTION_NOTICE, ctx.record.received_on, get_calendar()).due
    if ctx.on > due:
        return f"补正通知应在收到申请之日起7个工作日内（{due:%Y-%m-%d} 前）发出（条例第三十条），已超过期限"
    return None


def _window_passed(clock: ClockSpec) -> Guard:
    return after_due(clock, "期限尚未届满（{due}），届满后方可按逾期处理")


_not_self_reviewed = not_by_actor_of(
    E.REPLY_SUBMITTED, message="提交审核的人不能审核自己的答复，须由另一位审核员审核"
)
_review_pending = REPLY_REVIEW.requested("没有待审核的答复")
_not_under_review = REPLY_REVIEW.not_requested("答复正在审核中，审核通过或退回后方可答复或重新提交")

_not_self_approved = not_by_actor_of(
    E.EXTENSION_REQUESTED, message="提请延期的人不能自行批准延期，须由另一位负责人决定"
)


def _one_fee_notice(ctx: StepContext) -> str | None:
    """109号 Art. 3: one method per application, never both. A second notice with the same
    method is refused too: the fee of an application is computed once, progressively over all
    of it (Arts. 4–5), so a second notice would charge the same application twice."""
    earlier = ctx.last(E.FEE_NOTICE)
    if earlier is None:
        return None
    method = (earlier.data or {}).get("method", "")
    label = FeeMethod(method).label if method in FeeMethod.values else "已选定的方式"
    return (
        f"本申请已发出过收费通知（{label}）；同一申请只能选择一种计收标准、计收一次，"
        "不得同时或重复计算（国办函〔2020〕109号第三条）。如通知有误，请先撤销该通知"
    )


_fee_within_reply_period = by_due(
    clocks.REPLY,
    "答复期限已于 {due} 届满，不能再发出收费通知（收费通知应在答复期限内发出，国办函〔2020〕109号第六条）",
)


def _relief_offered(ctx: StepContext) -> str | None:
    if not settings.FAZHI_XXGK_FEE_RELIEF:
        return "按本地设置，不办理信息处理费减免"
    return None


def _relief_not_decided(ctx: StepContext) -> str | None:
    if ctx.last(E.FEE_WAIVED, E.FEE_REDUCED) is not None:
        return "本申请的信息处理费已批准减免，不能再次减免"
    return None


_relief_not_self_approved = not_by_actor_of(
    E.FEE_RELIEF_REQUESTED, message="提请减免的人不能自行批准，须由另一位负责人决定"
)


def _awaiting_service(ctx: StepContext) -> str | None:
    notice_kind = service.NOTICE_FOR_STATUS.get(ctx.record.status)
    notice = ctx.last(notice_kind) if notice_kind else None
    if notice is None:
        return "没有待登记送达的通知"
    if service.receipt(notice, ctx.events).known:
        return "该通知的送达日期已登记"
    return None


MOVES: tuple[Move, ...] = (
    Move(
        "reply",
        "答复",
        OPEN_ACTIVE - {S.CONSULTING},
        S.CLOSED,
        Permission.HANDLE,
        guards=(_not_under_review,),
        primary=True,
        confirm="答复后申请即办结；如有错误，须由负责人撤销。确认答复？",
        event=E.REPLIED,
        date_label="答复日期",
        undo=Permission.APPROVE,
    ),
    Move(
        "submit_reply",
        "提交答复审核",
        OPEN_ACTIVE - {S.CONSULTING},
        None,
        Permission.HANDLE,
        guards=(_not_under_review,),
        event=E.REPLY_SUBMITTED,
        date_label="提交审核日期",
    ),
    Move(
        "approve_reply",
        "审核通过答复（审核员）",
        OPEN_ACTIVE - {S.CONSULTING},
        None,
        Permission.LEGAL_REVIEW,
        guards=(_review_pending, _not_self_reviewed),
        event=E.REPLY_APPROVED,
        date_label="审核日期",
    ),
    Move(
        "return_reply",
        "退回答复修改（审核员）",
        OPEN_ACTIVE - {S.CONSULTING},
        None,
        Permission.LEGAL_REVIEW,
        guards=(_review_pending, _not_self_reviewed),
        event=E.REPLY_RETURNED,
        date_label="审核日期",
    ),
    Move(
        "withdraw",
        "申请人撤回申请",
        OPEN,
        S.CLOSED,
        Permission.HANDLE,
        confirm="申请人撤回后本申请即办结，计入年报表三“（六）其他处理 3.其他”。确认登记撤回？",
        event=E.WITHDRAWN,
        date_label="撤回日期",
        undo=Permission.APPROVE,
    ),
    Move(
        "request_correction",
        "发出补正通知",
        frozenset({S.RECEIVED}),
        S.AWAITING_CORRECTION,
        Permission.HANDLE,
        guards=(_correction_once, _correction_in_time),
        event=E.CORRECTION_REQUESTED,
        date_label="补正通知日期",
    ),
    Move(
        "record_correction",
        "登记补正",
        frozenset({S.AWAITING_CORRECTION}),
        S.RECEIVED,
        Permission.HANDLE,
        event=E.CORRECTED,
        date_label="收到补正日期",
    ),
    Move(
        "close_uncorrected",
        "逾期未补正，不再处理",
        frozenset({S.AWAITING_CORRECTION}),
        S.CLOSED,
        Permission.HANDLE,
        guards=(_window_passed(clocks.CORRECTION),),
        confirm="申请人逾期未补正，本申请将办结。确认？",
        event=E.CLOSED_UNCORRECTED,
        date_label="办结日期",
        undo=Permission.APPROVE,
    ),
    Move(
        "start_consultation",
        "征求意见（第三方、共同制作机关、其他机关）",
        frozenset({S.RECEIVED}),
        S.CONSULTING,
        Permission.HANDLE,
        event=E.CONSULTATION_STARTED,
        date_label="征求意见日期",
    ),
    Move(
        "end_consultation",
        "登记意见反馈",
        frozenset({S.CONSULTING}),
        S.RECEIVED,
        Permission.HANDLE,
        event=E.CONSULTATION_ENDED,
        date_label="意见反馈日期",
    ),
    Move(
        "request_extension",
        "提请延期（报负责人批准）",
        OPEN_ACTIVE,
        None,
        Permission.HANDLE,
        guards=(
            _not_extended,
            EXTENSION.not_requested("已提请延期，等待负责人批准"),
            _not_past_due,
        ),
        event=E.EXTENSION_REQUESTED,
        date_label="提请日期",
    ),
    Move(
        "extend",
        "批准延期（负责人）",
        OPEN_ACTIVE,
        None,
        Permission.APPROVE,
        guards=(_not_extended, _not_past_due, _not_self_approved),
        confirm="延期只能一次，确认批准延长答复期限20个工作日？",
        event=E.EXTENDED,
        date_label="批准延期日期",
    ),
    Move(
        "refuse_extension",
        "不予批准延期（负责人）",
        OPEN_ACTIVE,
        None,
        Permission.APPROVE,
        guards=(EXTENSION.requested("没有待批准的延期申请"), _not_self_approved),
        event=E.EXTENSION_REFUSED,
    ),
    Move(
        "issue_fee_notice",
        "发出收费通知",
        frozenset({S.RECEIVED}),
        S.AWAITING_FEE,
        Permission.HANDLE,
        guards=(_one_fee_notice, _fee_within_reply_period),
        event=E.FEE_NOTICE,
        date_label="收费通知日期",
    ),
    Move(
        "record_service",
        "登记送达",
        frozenset(service.NOTICE_FOR_STATUS),
        None,
        Permission.HANDLE,
        guards=(_awaiting_service,),
        event=E.SERVED,
        date_label="送达日期",
    ),
    Move(
        "request_fee_relief",
        "提请减免信息处理费",
        frozenset({S.AWAITING_FEE}),
        None,
        Permission.HANDLE,
        guards=(
            _relief_offered,
            _relief_not_decided,
            FEE_RELIEF.not_requested("已提请减免，等待负责人批准"),
        ),
        event=E.FEE_RELIEF_REQUESTED,
        date_label="提请日期",
    ),
    Move(
        "waive_fee",
        "批准免收（负责人）",
        frozenset({S.AWAITING_FEE}),
        S.RECEIVED,
        Permission.APPROVE,
        guards=(_relief_offered, _relief_not_decided, _relief_not_self_approved),
        confirm="免收后申请人无需缴费，答复期限恢复计算。确认批准免收？",
        event=E.FEE_WAIVED,
        date_label="批准日期",
    ),
    Move(
        "reduce_fee",
        "批准减收（负责人）",
        frozenset({S.AWAITING_FEE}),
        None,
        Permission.APPROVE,
        guards=(_relief_offered, _relief_not_decided, _relief_not_self_approved),
        event=E.FEE_REDUCED,
        date_label="批准日期",
    ),
    Move(
        "refuse_fee_relief",
        "不予批准减免（负责人）",
        frozenset({S.AWAITING_FEE}),
        None,
        Permission.APPROVE,
        guards=(FEE_RELIEF.requested("没有待批准的减免申请"), _relief_not_self_approved),
        event=E.FEE_RELIEF_REFUSED,
        date_label="日期",
    ),
    Move(
        "record_payment",
        "登记缴费",
        frozenset({S.AWAITING_FEE}),
        S.RECEIVED,
        Permission.HANDLE,
        event=E.FEE_PAID,
        date_label="缴费日期",
    ),
    Move(
        "close_unpaid",
        "逾期未缴费，不再处理",
        frozenset({S.AWAITING_FEE}),
        S.CLOSED,
        Permission.HANDLE,
        guards=(_window_passed(clocks.FEE),),
        confirm="申请人逾期未缴费，本申请将办结。确认？",
        event=E.CLOSED_UNPAID,
        date_label="办结日期",
        undo=Permission.APPROVE,
    ),
)
