"""The work order's statuses and transition table.

```
            派单              反馈               办结
 待派单 ───────────▶ 办理中 ─────────▶ 已反馈 ─────────▶ 已办结 ──┐ 回访
                     │  ▲  ──────────────────────────▶ (办结)    ◀┘
                 退单 ▼  │ 重派
                     已退单
 督办: on any open order, the status unchanged.
```

The import reaches the same statuses by walking this table (ADR 0013), never by its own `if`s.
"""

from __future__ import annotations

from fazhi.core.tenancy.roles import Permission
from fazhi.core.workflow import Move
from fazhi.ledgers.hotline.models import EventKind, Status

S = Status
OPEN = frozenset({S.RECEIVED, S.HANDLING, S.RETURNED, S.FED_BACK})
CLOSED = frozenset({S.CLOSED})

MOVES: tuple[Move, ...] = (
    Move(
        "dispatch",
        "派单",
        frozenset({S.RECEIVED}),
        S.HANDLING,
        Permission.HANDLE,
        event=EventKind.DISPATCHED,
        shown=("time_limit",),
        date_label="派单日期",
        primary=True,
    ),
    Move(
        "return",
        "退单",
        frozenset({S.HANDLING}),
        S.RETURNED,
        Permission.HANDLE,
        event=EventKind.RETURNED,
        date_label="退单日期",
    ),
    Move(
        "redispatch",
        "重派",
        frozenset({S.RETURNED}),
        S.HANDLING,
        Permission.HANDLE,
        event=EventKind.REDISPATCHED,
        shown=("time_limit",),
        date_label="重派日期",
        primary=True,
    ),
    Move(
        "feedback",
        "反馈",
        frozenset({S.HANDLING}),
        S.FED_BACK,
        Permission.HANDLE,
        event=EventKind.FED_BACK,
        shown=("result",),
        date_label="反馈日期",
        primary=True,
    ),
    Move(
        "close",
        "办结",
        frozenset({S.HANDLING, S.FED_BACK}),
        S.CLOSED,
        Permission.HANDLE,
        event=EventKind.CLOSED,
        shown=("result",),
        date_label="办结日期",
        primary=True,
    ),
    Move(
        "visit",
        "回访",
        frozenset({S.CLOSED}),
        None,
        Permission.HANDLE,
        event=EventKind.VISITED,
        shown=("visit_result",),
        date_label="回访日期",
    ),
    Move(
        "supervise",
        "督办",
        OPEN,
        None,
        Permission.APPROVE,
        event=EventKind.SUPERVISED,
        date_label="督办日期",
    ),
)

# The steps an imported row may carry, in the order a platform's columns record them, each with
# the field whose presence means the step happened (ADR 0013).
IMPORT_PATH: tuple[tuple[str, str], ...] = (
    ("dispatch", "dispatched_at"),
    ("feedback", "feedback_at"),
    ("close", "closed_at"),
    ("visit", "visit_result"),
)


def out_of_turn(code: str, status: str) -> str:
    """Why the step `code` of IMPORT_PATH cannot happen in `status`: the import's words for a
    row, and the push's for an order (both refuse what the table refuses)."""
    from fazhi.ledgers.hotline.ledger import LEDGER

    field = dict(IMPORT_PATH)[code]
    return (
        f"「{LEDGER.move(code).label}」不能在「{LEDGER.statuses(status).label}」状态下发生"
        f"（请核对「{LEDGER.field_label(field)}」）"
    )
