"""The 信访 ledger's declaration for the record kit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fazhi.core.records.ledger import ChildSpec, Ledger, Numbering
from fazhi.ledgers.petitions import clocks, validation
from fazhi.ledgers.petitions.models import EventKind, Petition, PetitionEvent, Status, Visit
from fazhi.ledgers.petitions.workflow import CLOSED, EXTENSION, MOVES


def _demo(unit: Any, users: dict[str, Any], seed: int, today: dt.date) -> int:
    from fazhi.ledgers.petitions import demo  # demo drives the actions, which need LEDGER

    return demo.seed(unit, users, seed, today)


VISITS = ChildSpec(
    "visits",
    "来访登记",
    Visit,
    ("on", "visitors", "representatives", "note"),
    date_field="on",
    describe=str,
    validate=lambda f: validation.check_visit(f.get("visitors", 0), f.get("representatives", 1)),
)

LEDGER = Ledger(
    slug="petitions",
    name="信访事项",
    model=Petition,
    event_model=PetitionEvent,
    statuses=Status,
    initial=Status.REGISTERED,
    closed=CLOSED,
    moves=MOVES,
    event_labels=dict(EventKind.choices),
    audit_object="petitions.petition",
    start_field="received_on",
    start_label="收到信访事项的日期",
    validate=validation.validate,
    clocks=clocks.CLOCKS,
    approvals=(EXTENSION,),
    numbering=Numbering(lambda p: f"XF-{p.received_on.year}-"),
    correctable=(
        "received_on",
        "form",
        "category",
        "source_ref",
        "petitioner",
        "address",
        "contact",
        "content",
        "original",
    ),
    sensitive=frozenset({"petitioner", "address", "contact"}),
    children=(VISITS,),
    closed_on="replied_on",
    demo=_demo,
)
