"""The matter's statuses and the table of moves between them (《信访工作条例》 Arts. 22–36)."""

from __future__ import annotations

from typing import Any

from fazhi.core.records.clocks import by_due
from fazhi.core.tenancy.roles import Permission
from fazhi.core.workflow import (
    Approval,
    Move,
    StepContext,
    not_by_actor_of,
    only_assigned_handler,
)
from fazhi.ledgers.petitions import clocks
from fazhi.ledgers.petitions.models import EventKind, Stage, Status

S = Status
E = EventKind
H = Permission.HANDLE
OPEN = frozenset({S.REGISTERED, S.OBJECTED, S.HANDLING})
CLOSED = frozenset(Status.values) - OPEN

EXTENSION = Approval(
    "待批准延期", E.EXTENSION_REQUESTED, frozenset({E.EXTENDED, E.EXTENSION_REFUSED})
)

_handler_only = only_assigned_handler(message="只有本件的承办人可以办理此环节")


def _from_above(ctx: StepContext) -> str | None:
    registered = ctx.last(E.REGISTERED)
    if registered is None or not registered.data.get("from_above"):
        return "只有上级交办、转送的事项才能提出异议"
    if E.OBJECTED in ctx.kinds():
        return "已提出过异议；上级不同意退回的，应予受理办理"
    return None


_objection_in_time = by_due(
    clocks.OBJECTION, "异议应在收到之日起5个工作日内（{due} 前）提出（条例第二十三条）"
)


def _initial_only(ctx: StepContext) -> str | None:
    if ctx.record.stage != Stage.INITIAL:
        return f"{ctx.record.get_stage_display()}事项不适用此环节"
    return None


def _not_extended(ctx: StepContext) -> str | None:
    if E.EXTENDED in ctx.kinds():
        return "办理期限只能延长一次（条例第三十四条）"
    return None


_before_due = by_due(clocks.HANDLE, "办理期限已于 {due} 届满，不能再延期")


def _recheck_only(ctx: StepContext) -> str | None:
    if ctx.record.stage != Stage.RECHECK:
        return "只有复核事项可以举行听证并扣除听证时间"
    return None


def _hearing_open(ctx: StepContext) -> str | None:
    last = ctx.last(E.HEARING_STARTED, E.HEARING_ENDED)
    if last is None or last.kind != E.HEARING_STARTED:
        return "没有正在进行的听证"
    return None


def _no_hearing_open(ctx: StepContext) -> str | None:
    return None if _hearing_open(ctx) else "听证尚未结束"


_not_self_approved = not_by_actor_of(
    E.EXTENSION_REQUESTED, message="提请延期的人不能自行批准，须由本机关负责人决定"
)


def _move(
    code: str,
    label: str,
    sources: frozenset[str],
    target: str | None,
    permission: Permission = H,
    **kw: Any,
) -> Move:
    return Move(code, label, sources, target, permission, **kw)


MOVES: tuple[Move, ...] = (
    _move(
        "accept",
        "受理",
        frozenset({S.REGISTERED}),
        S.HANDLING,
        primary=True,
        event=E.ACCEPTED,
        date_label="受理日期",
    ),
    _move(
        "transfer",
        "转送/交办",
        frozenset({S.REGISTERED}),
        S.TRANSFERRED,
        event=E.TRANSFERRED,
        date_label="转送日期",
        guards=(_initial_only,),
        confirm="转送后本单位不再办理此事项。确认转送？",
    ),
    _move(
        "not_accept",
        "不予受理（告知其他途径）",
        frozenset({S.REGISTERED}),
        S.NOT_ACCEPTED,
        event=E.NOT_ACCEPTED,
        date_label="告知日期",
        confirm="不予受理并告知信访人应通过的途径。确认？",
    ),
    _move(
        "object",
        "对交办/转送提出异议",
        frozenset({S.REGISTERED}),
        S.OBJECTED,
        event=E.OBJECTED,
        date_label="提出异议日期",
        guards=(_from_above, _objection_in_time),
    ),
    _move(
        "objection_agreed",
        "上级同意退回",
        frozenset({S.OBJECTED}),
        S.RETURNED,
        event=E.OBJECTION_AGREED,
        date_label="同意日期",
    ),
    _move(
        "objection_refused",
        "上级不同意退回（继续办理）",
        frozenset({S.OBJECTED}),
        S.REGISTERED,
        event=E.OBJECTION_REFUSED,
    ),
    _move(
        "request_extension",
        "提请延期（报负责人批准）",
        frozenset({S.HANDLING}),
        None,
        event=E.EXTENSION_REQUESTED,
        date_label="提请日期",
        guards=(
            _initial_only,
            _handler_only,
            _not_extended,
            EXTENSION.not_requested("已提请延期，等待负责人批准"),
            _before_due,
        ),
    ),
    _move(
        "extend",
        "批准延期（负责人）",
        frozenset({S.HANDLING}),
        None,
        permission=Permission.APPROVE,
        event=E.EXTENDED,
        date_label="批准日期",
        guards=(
            _initial_only,
            _not_extended,
            EXTENSION.requested("没有待批准的延期申请"),
            _not_self_approved,
            _before_due,
        ),
        confirm="延期只能一次、最长30日，并须告知信访人延期理由。确认批准？",
    ),
    _move(
        "refuse_extension",
        "不予批准延期（负责人）",
        frozenset({S.HANDLING}),
        None,
        permission=Permission.APPROVE,
        event=E.EXTENSION_REFUSED,
        guards=(EXTENSION.requested("没有待批准的延期申请"), _not_self_approved),
    ),
    _move(
        "start_hearing",
        "举行听证",
        frozenset({S.HANDLING}),
        None,
        event=E.HEARING_STARTED,
        date_label="听证开始日期",
        guards=(_recheck_only, _no_hearing_open),
    ),
    _move(
        "end_hearing",
        "听证结束",
        frozenset({S.HANDLING}),
        None,
        event=E.HEARING_ENDED,
        date_label="听证结束日期",
        guards=(_hearing_open,),
    ),
    _move(
        "opinion",
        "出具处理意见书",
        frozenset({S.HANDLING}),
        S.REPLIED,
        primary=True,
        event=E.OPINION,
        date_label="意见书日期",
        guards=(_handler_only,),
        confirm="出具意见书后本事项即办结；如有错误须由负责人撤销。确认？",
        undo=Permission.APPROVE,
    ),
    _move(
        "agreement",
        "达成调解/和解协议",
        frozenset({S.HANDLING}),
        S.REPLIED,
        event=E.AGREEMENT,
        date_label="协议日期",
        guards=(_handler_only,),
        undo=Permission.APPROVE,
    ),
    _move(
        "feedback",
        "回访（满意度）",
        frozenset({S.REPLIED, S.REVIEWED, S.FINAL}),
        None,
        event=E.FEEDBACK,
        date_label="回访日期",
    ),
    _move(
        "review_requested",
        "登记信访人申请复查",
        frozenset({S.REPLIED}),
        S.UNDER_REVIEW,
        event=E.REVIEW_REQUESTED,
        date_label="申请复查日期",
        guards=(_initial_only,),
    ),
    _move(
        "review_decided",
        "登记复查意见",
        frozenset({S.UNDER_REVIEW}),
        S.REVIEWED,
        event=E.REVIEW_DECIDED,
        date_label="复查意见日期",
    ),
    _move(
        "recheck_requested",
        "登记信访人申请复核",
        frozenset({S.REVIEWED}),
        S.UNDER_RECHECK,
        event=E.RECHECK_REQUESTED,
        date_label="申请复核日期",
    ),
    _move(
        "recheck_decided",
        "登记复核意见",
        frozenset({S.UNDER_RECHECK}),
        S.FINAL,
        event=E.RECHECK_DECIDED,
        date_label="复核意见日期",
    ),
)
