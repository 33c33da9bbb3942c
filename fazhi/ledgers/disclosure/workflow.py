"""The application's statuses and the table of moves between them (条例 Arts. 30–36)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fazhi.core.calendar.service import get_calendar
from fazhi.core.deadlines.clock import compute
from fazhi.core.tenancy.roles import Permission
from fazhi.core.workflow import Move, dated
from fazhi.ledgers.disclosure import rules
from fazhi.ledgers.disclosure.clock import reply_deadline
from fazhi.ledgers.disclosure.models import Application, EventKind, Status

S = Status
OPEN_ACTIVE = frozenset({S.RECEIVED, S.CONSULTING})


def _not_extended(app: Application, user: Any, on: dt.date) -> str | None:
    if app.events.filter(kind=EventKind.EXTENDED).exists():
        return "答复期限只能延长一次（条例第三十三条第二款）"
    return None


EXTENSION_STEPS = (EventKind.EXTENSION_REQUESTED, EventKind.EXTENSION_REFUSED, EventKind.EXTENDED)


def extension_pending(app: Application) -> bool:
    """A handler asked for an extension and no leader has decided yet."""
    last = app.events.filter(kind__in=EXTENSION_STEPS).order_by("-on", "-id").first()
    return last is not None and last.kind == EventKind.EXTENSION_REQUESTED


def _not_requested(app: Application, user: Any, on: dt.date) -> str | None:
    if extension_pending(app):
        return "已提请延期，等待负责人批准"
    return None


def _requested(app: Application, user: Any, on: dt.date) -> str | None:
    if not extension_pending(app):
        return "没有待批准的延期申请"
    return None


@dated
def _not_past_due(app: Application, user: Any, on: dt.date) -> str | None:
    # Computed afresh: while a consultation runs, the cached due date lags behind the pause.
    due = reply_deadline(app, list(app.events.all()), get_calendar(), on).due
    if on > due:
        return f"答复期限已于 {due:%Y-%m-%d} 届满，不能再延期"
    return None


def _correction_once(app: Application, user: Any, on: dt.date) -> str | None:
    """Art. 30: one notice listing everything to correct."""
    kinds = set(app.events.values_list("kind", flat=True))
    if EventKind.CORRECTION_REQUESTED in kinds:
        return "补正通知应一次性告知，本申请已发出过补正通知"
    if EventKind.EXTENDED in kinds:
        return "答复期限已延长，不能再要求补正"
    return None


@dated
def _correction_in_time(app: Application, user: Any, on: dt.date) -> str | None:
    """Art. 30: the notice goes out within 7 working days of receipt."""
    due = compute(rules.CORRECTION_NOTICE, app.received_on, get_calendar()).due
    if on > due:
        return f"补正通知应在收到申请之日起7个工作日内（{due:%Y-%m-%d} 前）发出（条例第三十条），已超过期限"
    return None


def _past_due(app: Application, user: Any, on: dt.date) -> str | None:
    if app.due_on and on <= app.due_on:
        return f"期限尚未届满（{app.due_on:%Y-%m-%d}），届满后方可按逾期处理"
    return None


MOVES: tuple[Move, ...] = (
    Move(
        "reply",
        "答复",
        OPEN_ACTIVE - {S.CONSULTING},
        S.CLOSED,
        Permission.HANDLE,
        primary=True,
        confirm="答复后申请即办结，不能撤回。确认答复？",
    ),
    Move(
        "request_correction",
        "发出补正通知",
        frozenset({S.RECEIVED}),
        S.AWAITING_CORRECTION,
        Permission.HANDLE,
        guards=(_correction_once, _correction_in_time),
    ),
    Move(
        "record_correction",
        "登记补正",
        frozenset({S.AWAITING_CORRECTION}),
        S.RECEIVED,
        Permission.HANDLE,
    ),
    Move(
        "close_uncorrected",
        "逾期未补正，不再处理",
        frozenset({S.AWAITING_CORRECTION}),
        S.CLOSED,
        Permission.HANDLE,
        guards=(_past_due,),
        confirm="申请人逾期未补正，本申请将办结且不能撤回。确认？",
    ),
    Move(
        "start_consultation",
        "征求第三方/共同制作机关意见",
        frozenset({S.RECEIVED}),
        S.CONSULTING,
        Permission.HANDLE,
    ),
    Move(
        "end_consultation", "登记意见反馈", frozenset({S.CONSULTING}), S.RECEIVED, Permission.HANDLE
    ),
    Move(
        "request_extension",
        "提请延期（报负责人批准）",
        OPEN_ACTIVE,
        None,
        Permission.HANDLE,
        guards=(_not_extended, _not_requested, _not_past_due),
    ),
    Move(
        "extend",
        "批准延期（负责人）",
        OPEN_ACTIVE,
        None,
        Permission.APPROVE,
        guards=(_not_extended, _not_past_due),
        confirm="延期只能一次，确认批准延长答复期限20个工作日？",
    ),
    Move(
        "refuse_extension",
        "不予批准延期（负责人）",
        OPEN_ACTIVE,
        None,
        Permission.APPROVE,
        guards=(_requested,),
    ),
    Move(
        "issue_fee_notice",
        "发出收费通知",
        frozenset({S.RECEIVED}),
        S.AWAITING_FEE,
        Permission.HANDLE,
    ),
    Move("record_payment", "登记缴费", frozenset({S.AWAITING_FEE}), S.RECEIVED, Permission.HANDLE),
    Move(
        "close_unpaid",
        "逾期未缴费，不再处理",
        frozenset({S.AWAITING_FEE}),
        S.CLOSED,
        Permission.HANDLE,
        guards=(_past_due,),
        confirm="申请人逾期未缴费，本申请将办结且不能撤回。确认？",
    ),
)
