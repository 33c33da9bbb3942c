"""Workflows as data: a ledger declares its moves in a table; `check_move` enforces it.

A `Move` names the statuses it may start from, the status it leads to, the permission it needs,
and optional guards (rules such as "only once" or "not by the case handler") that return a
Chinese reason when the move is not allowed for this record right now.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from fazhi.core.tenancy.roles import Permission

# (record, user, on) -> the reason the move is not allowed on that date, or None. `on` is the
# date the move takes effect (today when only listing the moves a user may make).
Guard = Callable[[Any, Any, dt.date], str | None]


def dated(guard: Guard) -> Guard:
    """Mark a guard that depends on the date the move takes effect (e.g. "within 7 working
    days"). Such a guard is checked when the move is made, with the date the user gives; it does
    not hide the move beforehand, since a step taken in time may be entered later."""
    guard.dated = True  # type: ignore[attr-defined]
    return guard


class ActionError(Exception):
    """An action refused its input; the message is Chinese and shown to the user as it is."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class IllegalMove(ActionError):
    """A move the workflow table does not allow."""


@dataclass(frozen=True)
class Move:
    code: str  # e.g. "extend"
    label: str  # button text, e.g. "延期答复"
    sources: frozenset[str]
    target: str | None  # None: the status does not change
    permission: Permission
    guards: tuple[Guard, ...] = field(default=())
    confirm: str = ""  # ask before an irreversible move
    primary: bool = False


def moves_by_code(table: Sequence[Move]) -> dict[str, Move]:
    return {m.code: m for m in table}


def blocked_reason(
    move: Move,
    record: Any,
    user: Any,
    *,
    can: Callable[[Permission], bool],
    on: dt.date | None = None,
) -> str | None:
    """Why the move is not allowed, or None. Without `on` (listing the moves a user may make),
    date-dependent guards are left to the moment the move is made."""
    if record.status not in move.sources:
        return f"当前状态「{record.get_status_display()}」下不能执行「{move.label}」"
    if not can(move.permission):
        return f"您没有执行「{move.label}」的权限"
    for guard in move.guards:
        if on is None and getattr(guard, "dated", False):
            continue
        reason = guard(record, user, on or timezone.localdate())
        if reason:
            return reason
    return None


def check_move(
    table: Sequence[Move],
    code: str,
    record: Any,
    user: Any,
    *,
    can: Callable[[Permission], bool],
    on: dt.date | None = None,
) -> Move:
    move = moves_by_code(table).get(code)
    if move is None:
        raise IllegalMove(f"未知操作「{code}」")
    reason = blocked_reason(move, record, user, can=can, on=on)
    if reason:
        raise IllegalMove(reason)
    return move


def available_moves(
    table: Iterable[Move], record: Any, user: Any, *, can: Callable[[Permission], bool]
) -> list[Move]:
    return [m for m in table if blocked_reason(m, record, user, can=can) is None]
