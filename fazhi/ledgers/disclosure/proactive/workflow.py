"""An entry waits to be published, then is published; that is the whole table."""

from __future__ import annotations

from fazhi.core.tenancy.roles import Permission
from fazhi.core.workflow import Move
from fazhi.ledgers.disclosure.proactive.models import EventKind, Status

MOVES: tuple[Move, ...] = (
    Move(
        "publish",
        "登记公开",
        frozenset({Status.PENDING}),
        Status.PUBLISHED,
        Permission.HANDLE,
        primary=True,
        event=EventKind.PUBLISHED,
        date_label="公开日期",
        undo=Permission.APPROVE,
    ),
)
