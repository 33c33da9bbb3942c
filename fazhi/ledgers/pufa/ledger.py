"""The 普法 app's four declarations for the record kit: 责任清单 items, activities, the
法律明白人 roster, and 学法 sessions and exams."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fazhi.core.records.ledger import Ledger, Numbering
from fazhi.ledgers.pufa import clocks, validation
from fazhi.ledgers.pufa.models import (
    Activity,
    ActivityEvent,
    ActivityEventKind,
    ActivityStatus,
    Duty,
    DutyEvent,
    DutyEventKind,
    DutyStatus,
    Person,
    PersonEvent,
    PersonEventKind,
    PersonStatus,
    Study,
    StudyEvent,
    StudyEventKind,
    StudyStatus,
)
from fazhi.ledgers.pufa.workflow import ACTIVITY_MOVES, DUTY_MOVES, PERSON_MOVES


def _demo(unit: Any, users: dict[str, Any], seed: int, today: dt.date) -> int:
    from fazhi.ledgers.pufa import demo  # demo drives the actions, which need the LEDGERs

    return demo.seed(unit, users, seed, today)


DUTIES = Ledger(
    slug="pufa_duties",
    name="普法责任清单",
    model=Duty,
    event_model=DutyEvent,
    statuses=DutyStatus,
    initial=DutyStatus.OPEN,
    closed=frozenset({DutyStatus.DONE}),
    moves=DUTY_MOVES,
    event_labels=dict(DutyEventKind.choices),
    audit_object="pufa.duty",
    start_field="listed_on",
    start_label="列入清单日期",
    validate=validation.validate_duty,
    clocks=clocks.DUTY_CLOCKS,
    numbering=Numbering(lambda d: f"QD-{d.year}-", width=3),
    correctable=("department", "content", "laws", "listed_on", "planned_on"),
    closed_on="done_on",
)

ACTIVITIES = Ledger(
    slug="pufa",
    name="普法活动",
    model=Activity,
    event_model=ActivityEvent,
    statuses=ActivityStatus,
    initial=ActivityStatus.HELD,
    closed=frozenset({ActivityStatus.HELD}),
    moves=ACTIVITY_MOVES,
    event_labels=dict(ActivityEventKind.choices),
    audit_object="pufa.activity",
    start_field="held_on",
    start_label="活动日期",
    validate=validation.validate_activity,
    numbering=Numbering(lambda a: f"PF-{a.held_on.year}-"),
    correctable=(
        "held_on",
        "title",
        "theme",
        "theme_note",
        "form",
        "venue",
        "audience",
        "attendance",
        "materials",
        "online_reach",
        "partner",
        "summary",
    ),
    demo=_demo,
)

PEOPLE = Ledger(
    slug="pufa_people",
    name="法律明白人名册",
    model=Person,
    event_model=PersonEvent,
    statuses=PersonStatus,
    initial=PersonStatus.ACTIVE,
    closed=frozenset({PersonStatus.LEFT}),
    moves=PERSON_MOVES,
    event_labels=dict(PersonEventKind.choices),
    audit_object="pufa.person",
    start_field="joined_on",
    start_label="纳入名册日期",
    validate=validation.validate_person,
    numbering=Numbering(lambda p: "MB-"),
    correctable=(
        "community",
        "name",
        "gender",
        "background",
        "phone",
        "id_number",
        "joined_on",
        "trained",
    ),
    sensitive=frozenset({"phone", "id_number"}),
    closed_on="left_on",
)

STUDIES = Ledger(
    slug="pufa_studies",
    name="学法与考试",
    model=Study,
    event_model=StudyEvent,
    statuses=StudyStatus,
    initial=StudyStatus.HELD,
    closed=frozenset({StudyStatus.HELD}),
    moves=(),
    event_labels=dict(StudyEventKind.choices),
    audit_object="pufa.study",
    start_field="held_on",
    start_label="日期",
    validate=validation.validate_study,
    numbering=Numbering(lambda s: f"XF-{s.held_on.year}-"),
    correctable=("held_on", "topic", "lecturer", "expected", "participants", "passed"),
)

LEDGERS = (ACTIVITIES, DUTIES, PEOPLE, STUDIES)
