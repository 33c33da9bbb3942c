"""Statuses and moves. A 责任清单 item is ticked off by an activity: the activity's `tick` and
the item's `tick` are made together by `actions.tick` (and `untick` takes both back), so neither
is undone alone. The roster has one move (退出名册); activities and study sessions none."""

from __future__ import annotations

from fazhi.core.tenancy.roles import Permission
from fazhi.core.workflow import Move, StepContext
from fazhi.ledgers.pufa.models import (
    ActivityEventKind,
    ActivityStatus,
    DutyEventKind,
    DutyStatus,
    PersonEventKind,
    PersonStatus,
)

H = Permission.HANDLE


def _no_duty(ctx: StepContext) -> str | None:
    if ctx.record.duty_id is not None:
        return "本次活动已落实一项责任清单事项（一场活动落实一项）"
    return None


def _has_duty(ctx: StepContext) -> str | None:
    if ctx.record.duty_id is None:
        return "本次活动未落实责任清单事项"
    return None


ACTIVITY_MOVES: tuple[Move, ...] = (
    Move(
        "tick",
        "落实责任清单事项",
        frozenset({ActivityStatus.HELD}),
        None,
        H,
        event=ActivityEventKind.TICKED,
        date_label="落实日期",
        guards=(_no_duty,),
        primary=True,
        undo=None,
    ),
    Move(
        "untick",
        "撤销落实责任清单事项",
        frozenset({ActivityStatus.HELD}),
        None,
        Permission.APPROVE,
        event=ActivityEventKind.UNTICKED,
        date_label="撤销日期",
        guards=(_has_duty,),
        confirm="撤销后该清单事项恢复为待落实，完成率随之变化。确认？",
        undo=None,
    ),
)

DUTY_MOVES: tuple[Move, ...] = (
    # Made only by `actions.tick` / `actions.untick`, with the activity (no form of their own).
    Move(
        "tick",
        "由普法活动落实",
        frozenset({DutyStatus.OPEN}),
        DutyStatus.DONE,
        H,
        event=DutyEventKind.TICKED,
        date_label="落实日期",
        undo=None,
    ),
    Move(
        "reopen",
        "撤销落实",
        frozenset({DutyStatus.DONE}),
        DutyStatus.OPEN,
        Permission.APPROVE,
        event=DutyEventKind.REOPENED,
        date_label="撤销日期",
        undo=None,
    ),
)

PERSON_MOVES: tuple[Move, ...] = (
    Move(
        "leave",
        "退出名册",
        frozenset({PersonStatus.ACTIVE}),
        PersonStatus.LEFT,
        H,
        event=PersonEventKind.LEFT,
        date_label="退出日期",
        confirm="退出后不再计入法律明白人人数。确认？",
        undo=Permission.APPROVE,
    ),
)
