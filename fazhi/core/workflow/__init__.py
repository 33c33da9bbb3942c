"""Workflows as data: a ledger declares its moves in a table; `check_move` enforces it.

A `Move` names the statuses it may start from, the status it leads to, the permission it needs,
and optional guards (rules such as "only once" or "not by the person who asked") that return a
Chinese reason when the move is not allowed for this record right now.

Guards see a `StepContext`: the record, its timeline events (oldest first, undone steps left
out), the user and the date the step takes effect. They never query the database, so the same
guards judge a step typed into a form and a step replayed from an imported ledger.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from fazhi.core.tenancy.roles import Permission


@dataclass(frozen=True)
class StepContext:
    record: Any
    events: Sequence[Any]  # the record's live events, oldest first
    user: Any  # None for a step replayed from an imported file
    on: dt.date
    importer_id: int | None = None  # who brought an imported step into fazhi
    approver: str = ""  # for an imported approval: who approved it, as the file names them

    @property
    def imported(self) -> bool:
        return self.user is None

    @property
    def actor_id(self) -> int | None:
        """Who takes this step, for separation of duties: the user, or the importer."""
        if self.user is not None:
            return getattr(self.user, "pk", None)
        return self.importer_id

    def kinds(self) -> set[str]:
        return {e.kind for e in self.events}

    def last(self, *kinds: str) -> Any | None:
        found = [e for e in self.events if e.kind in kinds]
        return found[-1] if found else None


Guard = Callable[[StepContext], str | None]


def dated(guard: Guard) -> Guard:
    """Mark a guard that depends on the date the move takes effect (e.g. "within 7 working
    days"). Such a guard is checked when the move is made, with the date the user gives; it does
    not hide the move beforehand, since a step taken in time may be entered later."""
    guard.dated = True  # type: ignore[attr-defined]
    return guard


def event_actor_id(event: Any) -> int | None:
    """The person behind a timeline step: its actor, or for an imported step its importer.
    An imported step thus cannot slip through a separation-of-duties guard: the clerk who
    imported a request counts as the one who made it."""
    if getattr(event, "by_id", None) is not None:
        return int(event.by_id)
    imported_by = (event.data or {}).get("imported_by_id")
    return int(imported_by) if imported_by is not None else None


def not_by_actor_of(*kinds: str, message: str) -> Guard:
    """Separation of duties: the step may not be taken by whoever took the latest step of
    `kinds` (e.g. an extension is not approved by the person who asked for it)."""

    def guard(ctx: StepContext) -> str | None:
        earlier = ctx.last(*kinds)
        if earlier is None:
            return None
        if ctx.imported and ctx.approver:
            # An approval the file attributes to a named person outside fazhi; the earlier
            # step is the same person only if the file names them for it too.
            return message if (earlier.data or {}).get("approver") == ctx.approver else None
        actor = event_actor_id(earlier)
        if actor is None or ctx.actor_id is None or actor == ctx.actor_id:
            return message
        return None

    return guard


def only_assigned_handler(field: str = "handler", *, message: str = "") -> Guard:
    """Only the handler assigned to the record may take the step (none assigned: anyone)."""

    def guard(ctx: StepContext) -> str | None:
        handler_id = getattr(ctx.record, f"{field}_id", None)
        if handler_id is None or ctx.imported:
            return None
        if ctx.actor_id != handler_id:
            return message or "只有本件的承办人可以办理此环节"
        return None

    return guard


@dataclass(frozen=True)
class Approval:
    """A request that waits for someone else's decision (e.g. an extension the head approves).
    Pending while the latest of its steps is the request."""

    label: str  # 待办 section, e.g. "待批准延期"
    request: str  # event kind of the request
    decisions: frozenset[str]  # event kinds that decide it

    def pending(self, events: Sequence[Any]) -> bool:
        last = None
        for e in events:
            if e.kind == self.request or e.kind in self.decisions:
                last = e
        return last is not None and last.kind == self.request

    def requested(self, message: str) -> Guard:
        def guard(ctx: StepContext) -> str | None:
            return None if self.pending(ctx.events) else message

        return guard

    def not_requested(self, message: str) -> Guard:
        def guard(ctx: StepContext) -> str | None:
            return message if self.pending(ctx.events) else None

        return guard


class ActionError(Exception):
    """An action refused its input; the message is Chinese and shown to the user as it is."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class IllegalMove(ActionError):
    """A move the workflow table does not allow."""


# Sentinel: undoing the move needs the same permission as making it.
SAME = object()


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
    event: str = ""  # timeline event kind written; defaults to the code
    date_label: str = "日期"  # what the step's date is, in messages ("答复日期")
    undo: Any = SAME  # Permission to undo it, SAME, or None (cannot be undone)
    # Fields of the record the move sets whose new values the timeline shows with the step,
    # labelled (a result, a choice by its label); kept with the step, as later moves overwrite
    # them. A ledger's `sensitive` fields are never kept.
    shown: tuple[str, ...] = ()

    @property
    def event_kind(self) -> str:
        return self.event or self.code

    @property
    def undo_permission(self) -> Permission | None:
        if self.undo is SAME:
            return self.permission
        return self.undo


def moves_by_code(table: Sequence[Move]) -> dict[str, Move]:
    return {m.code: m for m in table}


def blocked_reason(
    move: Move,
    ctx: StepContext,
    *,
    can: Callable[[Permission], bool],
    dated_too: bool = True,
) -> str | None:
    """Why the move is not allowed, or None. With `dated_too=False` (listing the moves a user
    may make), date-dependent guards are left to the moment the move is made."""
    record = ctx.record
    if record.status not in move.sources:
        return f"当前状态「{record.get_status_display()}」下不能执行「{move.label}」"
    if not can(move.permission):
        return f"您没有执行「{move.label}」的权限"
    for guard in move.guards:
        if not dated_too and getattr(guard, "dated", False):
            continue
        reason = guard(ctx)
        if reason:
            return reason
    return None


def check_move(
    table: Sequence[Move], code: str, ctx: StepContext, *, can: Callable[[Permission], bool]
) -> Move:
    move = moves_by_code(table).get(code)
    if move is None:
        raise IllegalMove(f"未知操作「{code}」")
    reason = blocked_reason(move, ctx, can=can)
    if reason:
        raise IllegalMove(reason)
    return move


def available_moves(
    table: Iterable[Move],
    record: Any,
    events: Sequence[Any],
    user: Any,
    *,
    can: Callable[[Permission], bool],
) -> list[Move]:
    ctx = StepContext(record, events, user, timezone.localdate())
    return [m for m in table if blocked_reason(m, ctx, can=can, dated_too=False) is None]
