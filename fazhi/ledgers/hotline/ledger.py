"""The hotline ledger's declaration for the record kit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fazhi.core.records.ledger import Ledger
from fazhi.ledgers.hotline import clocks, validation
from fazhi.ledgers.hotline.models import EventKind, Status, WorkOrder, WorkOrderEvent
from fazhi.ledgers.hotline.workflow import CLOSED, MOVES


def _demo(unit: Any, users: dict[str, Any], seed: int, today: dt.date) -> int:
    from fazhi.ledgers.hotline import demo  # demo drives the actions, which need LEDGER

    return demo.seed(unit, users, seed, today)


LEDGER = Ledger(
    slug="hotline",
    name="12345热线工单",
    model=WorkOrder,
    event_model=WorkOrderEvent,
    statuses=Status,
    initial=Status.RECEIVED,
    closed=CLOSED,
    moves=MOVES,
    event_labels=dict(EventKind.choices),
    audit_object="hotline.order",
    start_field="called_on",
    start_label="来电日期",
    validate=validation.validate,
    clocks=clocks.CLOCKS,
    correctable=("phone", "requester", "address", "category", "urgency", "content"),
    sensitive=frozenset({"phone", "requester", "address"}),
    closed_on="closed_on",
    # upsert_order and a re-import change an order's facts in place, audited field by field.
    audit_codes={"updated": "平台数据更新（推送或导入）"},
    demo=_demo,
)
