"""The two declarations for the record kit: the 第一责任人's 履职记录 and the 督察整改 items."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fazhi.core.records.ledger import Ledger, Numbering
from fazhi.ledgers.oversight import clocks, validation
from fazhi.ledgers.oversight.models import (
    CLOSED,
    DutyEventKind,
    DutyStatus,
    LeaderDuty,
    LeaderDutyEvent,
    Rectification,
    RectificationEvent,
    RectifyEventKind,
    RectifyStatus,
)
from fazhi.ledgers.oversight.workflow import DUTY_MOVES, RECTIFY_MOVES


def _demo(unit: Any, users: dict[str, Any], seed: int, today: dt.date) -> int:
    from fazhi.ledgers.oversight import demo  # demo drives the actions, which need the LEDGERs

    return demo.seed(unit, users, seed, today)


DUTIES = Ledger(
    slug="oversight_duties",
    name="第一责任人履职记录",
    model=LeaderDuty,
    event_model=LeaderDutyEvent,
    statuses=DutyStatus,
    initial=DutyStatus.REGISTERED,
    closed=frozenset({DutyStatus.CONFIRMED}),
    moves=DUTY_MOVES,
    event_labels=dict(DutyEventKind.choices),
    audit_object="oversight.duty",
    start_field="held_on",
    start_label="履职日期",
    validate=validation.validate_duty,
    numbering=Numbering(lambda r: f"LZ-{r.held_on.year}-"),
    # Not the 履职类别: it decides the 案号 and the linked 学法 record (void and register again).
    correctable=(
        "held_on",
        "leader",
        "post",
        "subject",
        "details",
        "attendance",
        "case_number",
    ),
    closed_on="confirmed_on",
    demo=_demo,
    demo_district=True,  # the 区委书记's and 区长's own log and the district's own items
)

RECTIFICATIONS = Ledger(
    slug="oversight_rectify",
    name="督察整改事项",
    model=Rectification,
    event_model=RectificationEvent,
    statuses=RectifyStatus,
    initial=RectifyStatus.PENDING,
    closed=CLOSED,
    moves=RECTIFY_MOVES,
    event_labels=dict(RectifyEventKind.choices),
    audit_object="oversight.rectify",
    start_field="fed_back_on",
    start_label="反馈日期",
    validate=validation.validate_rectification,
    clocks=clocks.RECTIFY_CLOCKS,
    numbering=Numbering(lambda r: f"ZG-{r.fed_back_on.year}-", width=3),
    # The 整改时限 is not corrected: it moves only by an extension, with its reason.
    correctable=(
        "source",
        "source_doc",
        "fed_back_on",
        "problem",
        "measures",
        "department",
        "owner",
    ),
    closed_on="done_on",
)

LEDGERS = (DUTIES, RECTIFICATIONS)
