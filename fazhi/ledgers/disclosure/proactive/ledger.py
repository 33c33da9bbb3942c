"""The 主动公开 register's declaration for the record kit: a second ledger of the disclosure app
(ledgers may not import each other, and the disclosure report counts these entries)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fazhi.core.records.ledger import Ledger, Numbering
from fazhi.ledgers.disclosure.proactive import clocks, validation
from fazhi.ledgers.disclosure.proactive.models import (
    EventKind,
    ProactiveEvent,
    ProactiveItem,
    Status,
)
from fazhi.ledgers.disclosure.proactive.workflow import MOVES


def _demo(unit: Any, users: dict[str, Any], seed: int, today: dt.date) -> int:
    from fazhi.ledgers.disclosure.proactive import demo  # demo drives the actions

    return demo.seed(unit, users, seed, today)


LEDGER = Ledger(
    slug="proactive",
    name="主动公开政府信息",
    model=ProactiveItem,
    event_model=ProactiveEvent,
    statuses=Status,
    initial=Status.PENDING,
    closed=frozenset({Status.PUBLISHED}),
    moves=MOVES,
    event_labels=dict(EventKind.choices),
    audit_object="disclosure.proactive",
    start_field="made_on",
    start_label="信息形成（变更）日期",
    validate=validation.validate,
    clocks=clocks.CLOCKS,
    # 索引号 as 目录 write them: the unit's code / year - sequence, e.g. 999101001/2026-00012.
    numbering=Numbering(lambda item: f"{item.unit.code}/{item.made_on.year}-", width=5),
    correctable=(
        "title",
        "doc_number",
        "category",
        "summary",
        "change_kind",
        "made_on",
        "table2_kind",
        "doc_action",
        "quantity",
        "amount",
    ),
    closed_on="published_on",
    demo=_demo,
)
