"""The 人民调解 app's three declarations for the record kit: committees, 排查 rounds, cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fazhi.core.records.ledger import ChildSpec, Ledger, Numbering, Waiting
from fazhi.ledgers.mediation import clocks, privacy, validation
from fazhi.ledgers.mediation.models import (
    Case,
    CaseEvent,
    Committee,
    CommitteeEvent,
    CommitteeEventKind,
    CommitteeStatus,
    EventKind,
    Finding,
    Mediator,
    Party,
    Screening,
    ScreeningEvent,
    ScreeningEventKind,
    ScreeningStatus,
    Session,
    Status,
)
from fazhi.ledgers.mediation.workflow import CASE_MOVES, CLOSED, COMMITTEE_MOVES, SCREENING_MOVES


def _demo(unit: Any, users: dict[str, Any], seed: int, today: dt.date) -> int:
    from fazhi.ledgers.mediation import demo  # demo drives the actions, which need the LEDGERs

    return demo.seed(unit, users, seed, today)


MEDIATORS = ChildSpec(
    "mediators",
    "委员和调解员",
    Mediator,
    ("name", "role", "gender", "minority", "phone"),
    check_rows=validation.check_members,
)
COMMITTEES = Ledger(
    slug="mediation_committees",
    name="人民调解委员会",
    model=Committee,
    event_model=CommitteeEvent,
    statuses=CommitteeStatus,
    initial=CommitteeStatus.ACTIVE,
    closed=frozenset({CommitteeStatus.DISSOLVED}),
    moves=COMMITTEE_MOVES,
    event_labels=dict(CommitteeEventKind.choices),
    audit_object="mediation.committee",
    start_field="term_start",
    start_label="本届起始日期",
    validate=validation.validate_committee,
    clocks=clocks.COMMITTEE_CLOCKS,
    numbering=Numbering(lambda c: "TWH-", width=3),
    correctable=("name", "field_of_work", "term_start"),
    children=(MEDIATORS,),
)

FINDINGS = ChildSpec(
    "findings",
    "发现的纠纷",
    Finding,
    ("description", "dispute_type", "disposal", "case_number", "note"),
    validate=lambda f: validation.check_finding(f),
    check=validation.check_finding_case,
)
SCREENINGS = Ledger(
    slug="mediation_screenings",
    name="矛盾纠纷排查",
    model=Screening,
    event_model=ScreeningEvent,
    statuses=ScreeningStatus,
    initial=ScreeningStatus.OPEN,
    closed=frozenset({ScreeningStatus.DONE}),
    moves=SCREENING_MOVES,
    event_labels=dict(ScreeningEventKind.choices),
    audit_object="mediation.screening",
    start_field="held_on",
    start_label="排查日期",
    validate=validation.validate_screening,
    numbering=Numbering(lambda s: f"PC-{s.held_on.year}-"),
    correctable=("held_on", "scope", "staff", "summary"),
    children=(FINDINGS,),
)

PARTIES = ChildSpec(
    "parties",
    "当事人",
    Party,
    ("kind", "name", "id_number", "contact", "address"),
    validate=lambda f: validation.check_party(f),
    check=validation.check_new_party,
    describe=privacy.party_label,
)
SESSIONS = ChildSpec(
    "sessions",
    "调解记录",
    Session,
    ("on", "place", "present", "content", "result"),
    date_field="on",
)
LEDGER = Ledger(
    slug="mediation",
    name="人民调解案件",
    model=Case,
    event_model=CaseEvent,
    statuses=Status,
    initial=Status.MEDIATING,
    closed=CLOSED,
    moves=CASE_MOVES,
    event_labels=dict(EventKind.choices),
    audit_object="mediation.case",
    start_field="received_on",
    start_label="受理日期",
    validate=validation.validate_case,
    clocks=clocks.CASE_CLOCKS,
    # The unit's code is in the number: a case handed up keeps its number in the upper unit.
    numbering=Numbering(lambda c: f"TJ-{c.unit.code}-{c.received_on.year}-"),
    correctable=("received_on", "dispute_type", "summary", "origin_ref"),
    sensitive=frozenset({"agreement"}),
    children=(PARTIES, SESSIONS),
    closed_on="concluded_on",
    # A handed-up case waits on the upper unit's 待办 until its committee takes it over.
    waiting=(Waiting("已上报，待上级受理", Status.HANDED_UP),),
    demo=_demo,
    # The district's own committee takes over the cases its 街道 hand up.
    demo_district=True,
)
