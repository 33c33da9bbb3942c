"""The disclosure ledger's declaration for the record kit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fazhi.core.records.ledger import Ledger, Numbering, UnitOption
from fazhi.ledgers.disclosure import clocks, validation
from fazhi.ledgers.disclosure.models import Application, ApplicationEvent, EventKind, Status
from fazhi.ledgers.disclosure.workflow import EXTENSION, FEE_RELIEF, MOVES, REPLY_REVIEW


def _demo(unit: Any, users: dict[str, Any], seed: int, today: dt.date) -> int:
    from fazhi.ledgers.disclosure import demo  # demo drives the actions, which need LEDGER

    return demo.seed(unit, users, seed, today)


# Whether a reply that withholds (不予公开, 无法提供, 不予处理) goes out only after a 审核员 has
# approved its draft (a unit's internal rule; no national one requires it).
REVIEW_WITHHOLDING = UnitOption(
    "review_withholding",
    "不予公开、无法提供、不予处理的答复须经审核员审核通过后发出",
    "开启后，此类答复须先“提交答复审核”，由另一位审核员审核通过，按审核通过的内容答复",
    default=False,
)

LEDGER = Ledger(
    slug="disclosure",
    name="政府信息公开申请",
    model=Application,
    event_model=ApplicationEvent,
    statuses=Status,
    initial=Status.RECEIVED,
    closed=frozenset({Status.CLOSED}),
    moves=MOVES,
    event_labels=dict(EventKind.choices),
    audit_object="disclosure.application",
    start_field="received_on",
    start_label="收到申请的日期",
    validate=validation.validate,
    clocks=clocks.CLOCKS,
    approvals=(EXTENSION, FEE_RELIEF, REPLY_REVIEW),
    options=(REVIEW_WITHHOLDING,),
    numbering=Numbering(lambda app: f"YSQ-{app.received_on.year}-"),
    correctable=(
        "received_on",
        "channel",
        "applicant_category",
        "applicant_name",
        "id_type",
        "id_number",
        "contact",
        "arrived_on",
        "confirmed_via",
        "content",
        "form_requested",
    ),
    sensitive=frozenset({"id_number"}),
    closed_on="replied_on",
    demo=_demo,
)
