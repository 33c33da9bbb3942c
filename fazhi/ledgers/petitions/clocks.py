"""The matter's clocks, declared; the record kit derives and caches them.

| clock | rule | from | while | note |
|---|---|---|---|---|
| notice | 15日 (Art. 23) | receipt | 待受理 | not owed when the name or address is unknown |
| objection | 5 工作日 (Art. 23) | receipt of a matter from above | 待受理 | a window |
| handle | 60日 (+≤30, Art. 34) | 受理 | 办理中 | 复查 and 复核 matters: 30日 from receipt (Arts. 35–36), 复核's hearing excluded |
| review_request | 30日 (Art. 35) | the reply | 已答复 | the petitioner's window |
| recheck_request | 30日 (Art. 36) | the 复查意见 | 已复查 | the petitioner's window |
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from fazhi.core.records.clocks import ClockSpec, ExtendSpec, PauseSpec, Start
from fazhi.ledgers.petitions import rules
from fazhi.ledgers.petitions.models import EventKind, Stage, Status

E = EventKind
S = Status


def _registered(events: Sequence[Any]) -> dict[str, Any]:
    first = next((e for e in events if e.kind == E.REGISTERED), None)
    return first.data if first is not None else {}


def _stage_is(stage: str) -> Callable[[Any, Sequence[Any]], bool]:
    return lambda event, events: _registered(events).get("stage", Stage.INITIAL) == stage


def _notifiable(event: Any, events: Sequence[Any]) -> bool:
    data = _registered(events)
    return bool(data.get("notifiable")) and data.get("stage", Stage.INITIAL) == Stage.INITIAL


def _from_above(event: Any, events: Sequence[Any]) -> bool:
    return bool(_registered(events).get("from_above"))


NOTICE = ClockSpec(
    "notice",
    "书面告知期限",
    rules.NOTICE,
    starts=(Start("收到信访事项之日", kind=E.REGISTERED, when=_notifiable),),
    runs=frozenset({S.REGISTERED}),
    field="notice_due_on",
    lapse_note="应告知信访人受理、转送或不予受理的情况；信访人姓名（名称）、住址不清的除外",
)
OBJECTION = ClockSpec(
    "objection",
    "异议期限",
    rules.TRANSFER_OBJECTION,
    starts=(Start("收到交办、转送事项之日", kind=E.REGISTERED, when=_from_above),),
    runs=frozenset({S.REGISTERED}),
    stops=frozenset({E.OBJECTED, E.ACCEPTED}),
    field="objection_due_on",
    window=True,
    lapse_note="不属于本机关职权范围的，应在此前向交办、转送机关提出异议并详细说明理由",
)
HANDLE = ClockSpec(
    "handle",
    "办理期限",
    rules.HANDLE,
    starts=(Start("受理之日", kind=E.ACCEPTED, when=_stage_is(Stage.INITIAL)),),
    runs=frozenset({S.HANDLING}),
    extensions=(ExtendSpec(E.EXTENDED, rules.EXTENSION, "经本机关负责人批准延长"),),
    field="handle_due_on",
)
REVIEW = ClockSpec(
    "review",
    "复查期限",
    rules.REVIEW,
    starts=(Start("收到复查请求之日", kind=E.REGISTERED, when=_stage_is(Stage.REVIEW)),),
    runs=frozenset({S.REGISTERED, S.HANDLING}),
    field="handle_due_on",
)
RECHECK = ClockSpec(
    "recheck",
    "复核期限",
    rules.RECHECK,
    starts=(Start("收到复核请求之日", kind=E.REGISTERED, when=_stage_is(Stage.RECHECK)),),
    runs=frozenset({S.REGISTERED, S.HANDLING}),
    pauses=(PauseSpec(E.HEARING_STARTED, frozenset({E.HEARING_ENDED}), "听证", status=""),),
    field="handle_due_on",
)
REVIEW_REQUEST = ClockSpec(
    "review_request",
    "申请复查期限",
    rules.REVIEW_REQUEST,
    starts=(
        Start("书面答复之日", kind=E.OPINION, when=_stage_is(Stage.INITIAL)),
        Start("书面答复之日", kind=E.AGREEMENT, when=_stage_is(Stage.INITIAL)),
    ),
    runs=frozenset({S.REPLIED}),
    stops=frozenset({E.REVIEW_REQUESTED}),
    field="review_request_due_on",
    window=True,
    lapse_note="信访人对处理意见不服的，可在此前向原办理机关的上一级机关请求复查",
)
RECHECK_REQUEST = ClockSpec(
    "recheck_request",
    "申请复核期限",
    rules.RECHECK_REQUEST,
    starts=(Start("复查意见之日", kind=E.REVIEW_DECIDED),),
    runs=frozenset({S.REVIEWED}),
    stops=frozenset({E.RECHECK_REQUESTED}),
    field="recheck_request_due_on",
    window=True,
    lapse_note="信访人对复查意见不服的，可在此前向复查机关的上一级机关请求复核",
)

CLOCKS = (NOTICE, OBJECTION, HANDLE, REVIEW, RECHECK, REVIEW_REQUEST, RECHECK_REQUEST)
