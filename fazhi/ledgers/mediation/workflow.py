"""Statuses and the tables of moves: cases (《人民调解法》 Arts. 17, 26–33), committees (Art. 9)
and 排查 rounds."""

from __future__ import annotations

from fazhi.core.records.clocks import by_due
from fazhi.core.tenancy.roles import Permission
from fazhi.core.workflow import Move, StepContext
from fazhi.ledgers.mediation import clocks
from fazhi.ledgers.mediation.models import (
    CommitteeEventKind,
    CommitteeStatus,
    EventKind,
    Outcome,
    ScreeningEventKind,
    ScreeningStatus,
    Status,
)

S = Status
E = EventKind
H = Permission.HANDLE
OPEN = frozenset({S.MEDIATING, S.HANDED_UP})
CLOSED = frozenset(Status.values) - OPEN


def _mediator_assigned(ctx: StepContext) -> str | None:
    if ctx.record.mediator_id is None:
        return "请先指派调解员（协议由调解员签名，第二十九条）"
    return None


def _has_upper_unit(ctx: StepContext) -> str | None:
    if ctx.record.unit.parent_id is None:
        return "本单位没有上级单位，不能上报"
    return None


def _written(ctx: StepContext) -> str | None:
    if ctx.record.outcome != Outcome.WRITTEN:
        return "只有书面调解协议可以申请司法确认"
    if E.CONFIRMATION_APPLIED in ctx.kinds():
        return "已登记申请司法确认"
    return None


def _applied_not_ruled(ctx: StepContext) -> str | None:
    if E.CONFIRMATION_APPLIED not in ctx.kinds():
        return "当事人尚未申请司法确认"
    if E.CONFIRMATION_RULED in ctx.kinds():
        return "已登记法院的裁定"
    return None


_in_window = by_due(
    clocks.CONFIRMATION, "司法确认应在调解协议生效之日起30日内（{due} 前）申请（第三十三条）"
)

CASE_MOVES: tuple[Move, ...] = (
    Move(
        "assign",
        "指派调解组织和调解员",
        frozenset({S.MEDIATING}),
        None,
        H,
        event=E.ASSIGNED,
        date_label="指派日期",
        primary=True,
    ),
    Move(
        "recuse",
        "调解员回避",
        frozenset({S.MEDIATING}),
        None,
        H,
        event=E.RECUSED,
        date_label="回避日期",
    ),
    Move(
        "written",
        "达成书面调解协议",
        frozenset({S.MEDIATING}),
        S.AGREED,
        H,
        event=E.WRITTEN,
        date_label="协议生效日期",
        guards=(_mediator_assigned,),
        confirm="协议经各方当事人签名（盖章或按指印）、调解员签名并加盖调委会印章后生效。确认？",
        undo=Permission.APPROVE,
    ),
    Move(
        "oral",
        "达成口头调解协议",
        frozenset({S.MEDIATING}),
        S.AGREED,
        H,
        event=E.ORAL,
        date_label="达成协议日期",
        guards=(_mediator_assigned,),
        undo=Permission.APPROVE,
    ),
    Move(
        "fail",
        "调解不成，终止调解",
        frozenset({S.MEDIATING}),
        S.FAILED,
        H,
        event=E.FAILED,
        date_label="终止调解日期",
        confirm="终止调解时须告知当事人可通过仲裁、行政、司法等途径维护权利（第二十六条）。确认？",
        undo=Permission.APPROVE,
    ),
    Move(
        "refuse",
        "当事人拒绝调解，终止",
        frozenset({S.MEDIATING}),
        S.REFUSED,
        H,
        event=E.REFUSED,
        date_label="拒绝日期",
        confirm="一方当事人明确拒绝调解的，不得调解（第十七条）。确认终止？",
    ),
    Move(
        "hand_up",
        "上报上级调解组织",
        frozenset({S.MEDIATING}),
        S.HANDED_UP,
        H,
        event=E.HANDED_UP,
        date_label="上报日期",
        guards=(_has_upper_unit,),
        confirm="上报后由上级单位的调解组织受理，本单位仍可查看本件但不能再办理。确认上报？",
        undo=None,
    ),
    Move(
        "take_over",
        "受理上报的案件",
        frozenset({S.HANDED_UP}),
        S.MEDIATING,
        H,
        event=E.TAKEN_OVER,
        date_label="受理日期",
        primary=True,
    ),
    Move(
        "apply_confirmation",
        "登记申请司法确认",
        frozenset({S.AGREED}),
        None,
        H,
        event=E.CONFIRMATION_APPLIED,
        date_label="申请日期",
        guards=(_written, _in_window),
    ),
    Move(
        "rule_confirmation",
        "登记法院司法确认裁定",
        frozenset({S.AGREED}),
        None,
        H,
        event=E.CONFIRMATION_RULED,
        date_label="裁定日期",
        guards=(_applied_not_ruled,),
    ),
    Move(
        "follow_up",
        "回访（协议履行情况）",
        frozenset({S.AGREED}),
        None,
        H,
        event=E.FOLLOWED_UP,
        date_label="回访日期",
    ),
)

COMMITTEE_MOVES: tuple[Move, ...] = (
    Move(
        "renew",
        "换届",
        frozenset({CommitteeStatus.ACTIVE}),
        None,
        H,
        event=CommitteeEventKind.RENEWED,
        date_label="换届日期",
        primary=True,
    ),
    Move(
        "dissolve",
        "撤销调委会",
        frozenset({CommitteeStatus.ACTIVE}),
        CommitteeStatus.DISSOLVED,
        Permission.APPROVE,
        event=CommitteeEventKind.DISSOLVED,
        date_label="撤销日期",
        confirm="撤销后不能再受理新的纠纷。确认？",
    ),
)

SCREENING_MOVES: tuple[Move, ...] = (
    Move(
        "conclude",
        "完成排查",
        frozenset({ScreeningStatus.OPEN}),
        ScreeningStatus.DONE,
        H,
        event=ScreeningEventKind.DONE,
        date_label="完成日期",
        primary=True,
    ),
)
