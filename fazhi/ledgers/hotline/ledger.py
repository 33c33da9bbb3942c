"""The hotline ledger's declaration for the record kit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fazhi.core.records.ledger import Ledger
from fazhi.ledgers.hotline import clocks, validation
from fazhi.ledgers.hotline.models import (
    REGISTERED,
    EventKind,
    Status,
    WorkOrder,
    WorkOrderEvent,
)
from fazhi.ledgers.hotline.workflow import CLOSED, MOVES


def _derive(order: Any, changes: dict[str, Any]) -> dict[str, Any]:
    """What a correction changes with it: the 来电日期 of a 来电时间, the blocking keys of a
    number or an address, and a limit the SLA gave when the category or urgency changes."""
    from django.utils import timezone

    from fazhi.core.workflow import ActionError
    from fazhi.ledgers.hotline import actions
    from fazhi.ledgers.hotline.models import LimitSource

    called = changes.get("called_at")
    if called is not None and called > timezone.now():
        raise ActionError("来电时间不能晚于现在", field="called_at")
    out = actions.derived(changes)
    if (
        {"category", "urgency"} & set(changes)
        and order.limit_source == LimitSource.SLA
        and order.dispatched_at is not None
    ):
        category = changes.get("category", order.category)
        urgency = changes.get("urgency", order.urgency)
        out |= actions.limit_at(category, urgency, order.dispatched_at, None)
    return out


def _changed(order: Any, before: dict[str, Any]) -> None:
    """A corrected time, number, address or content may make the order repeat another, or
    stop doing so, and a voided order is no one's first: the unit's orders are regrouped from
    the earlier of the two dates."""
    from fazhi.ledgers.hotline import actions

    if (actions.REGROUPED | {"voided_at"}) & set(before):
        actions.regroup(order, before.get("called_on", order.called_on))


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
    correctable=REGISTERED,
    derive=_derive,
    changed=_changed,
    sensitive=frozenset({"phone", "requester", "address"}),
    closed_on="closed_on",
    # upsert_order and a re-import change an order's facts in place, audited field by field.
    audit_codes={"updated": "平台数据更新（推送或导入）"},
    demo=_demo,
)
