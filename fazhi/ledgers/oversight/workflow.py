"""Statuses and moves. A 履职记录 is entered by a clerk and confirmed by a leader (登记 → 确认);
a rectification item runs 待整改 → 整改中 → 已完成 / 长期坚持, closing with its evidence, and
its 整改时限 may be extended, with a reason, by a leader (`actions.extend`)."""

from __future__ import annotations

from fazhi.core.tenancy.roles import Permission
from fazhi.core.workflow import Move
from fazhi.ledgers.oversight.models import (
    OPEN,
    DutyEventKind,
    DutyStatus,
    RectifyEventKind,
    RectifyStatus,
)

H = Permission.HANDLE
A = Permission.APPROVE

DUTY_MOVES: tuple[Move, ...] = (
    Move(
        "confirm",
        "确认",
        frozenset({DutyStatus.REGISTERED}),
        DutyStatus.CONFIRMED,
        A,
        event=DutyEventKind.CONFIRMED,
        date_label="确认日期",
        primary=True,
        undo=A,
    ),
)

RECTIFY_MOVES: tuple[Move, ...] = (
    Move(
        "start",
        "开始整改",
        frozenset({RectifyStatus.PENDING}),
        RectifyStatus.IN_PROGRESS,
        H,
        event=RectifyEventKind.STARTED,
        date_label="开始整改日期",
        primary=True,
    ),
    Move(
        "complete",
        "整改完成",
        OPEN,
        RectifyStatus.DONE,
        H,
        event=RectifyEventKind.COMPLETED,
        date_label="完成日期",
        primary=True,
        undo=A,
    ),
    Move(
        "ongoing",
        "转为长期坚持",
        OPEN,
        RectifyStatus.ONGOING,
        A,
        event=RectifyEventKind.ONGOING,
        date_label="销号日期",
        confirm="转为长期坚持后，该事项不再计入整改期限，也不计为已完成。确认？",
        undo=A,
    ),
    Move(
        "extend",
        "延长整改时限",
        OPEN,
        None,
        A,
        event=RectifyEventKind.EXTENDED,
        date_label="批准延期日期",
        undo=A,
    ),
)
