"""A ledger's declaration: what the record kit needs to run its records (no web code here).

A ledger app builds one `Ledger` and registers it in its AppConfig.ready(). Everything generic —
registering, moving through the transition table, correcting, voiding, undoing, clocks,
numbering, imports, queries — reads this declaration.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from fazhi.core.records.clocks import ClockSpec
from fazhi.core.records.models import KIT_EVENT_LABELS
from fazhi.core.tenancy.roles import Permission
from fazhi.core.workflow import Approval, Move, moves_by_code


@dataclass(frozen=True)
class Numbering:
    """Automatic numbers: `prefix(record)` + a zero-padded sequence per unit and prefix."""

    prefix: Callable[[Any], str]  # e.g. lambda app: f"YSQ-{app.received_on.year}-"
    width: int = 4


@dataclass(frozen=True)
class ChildSpec:
    """Rows a record owns (hearings, sessions, evidence items), with their own form."""

    code: str  # URL slug and audit code, e.g. "visits"
    label: str  # e.g. "接谈记录"
    model: type[Any]  # has `record` (FK), `created_by`, `created_at`, `removed_at`
    fields: Sequence[str]  # fields the form sets
    permission: Permission = Permission.HANDLE
    date_field: str = ""  # the row's own date, checked like a step's date
    describe: Callable[[Any], str] = str
    validate: Callable[[dict[str, Any]], None] | None = None  # raises ActionError(field=...)
    # What needs the record or the actor, run under the record's lock after `validate`:
    # `check(record, by, fields)`, e.g. a reference to another record looked up through the
    # actor's door. Raises ActionError(field=...).
    check: Callable[[Any, Any, dict[str, Any]], None] | None = None
    # A rule over the record's live rows as they would be after an addition or a removal
    # (a committee's 3 to 9 members): returns a Chinese reason to refuse, or None.
    check_rows: Callable[[list[Any]], str | None] | None = None


@dataclass(frozen=True)
class UnitOption:
    """A yes/no choice a unit makes about how it runs a ledger; a unit that has not chosen
    follows its nearest upper unit that has, else `default`."""

    key: str
    label: str  # Chinese, e.g. "不予公开等答复须经审核员审核后发出"
    help: str = ""
    default: bool = False


@dataclass(frozen=True)
class Waiting:
    """A 待办 group of records waiting in a status for a unit to act (e.g. a case handed up,
    waiting for the upper unit to take it over): listed to users with `permission` on the
    record's current unit only."""

    label: str
    status: str
    permission: Permission = Permission.HANDLE


@dataclass(frozen=True)
class Ledger:
    slug: str  # URL and registry key, e.g. "disclosure"
    name: str  # e.g. "政府信息公开申请"
    model: type[Any]  # a Record subclass
    event_model: type[Any]  # an Event subclass
    statuses: type[models.TextChoices]
    initial: str
    closed: frozenset[str]
    moves: tuple[Move, ...]
    event_labels: Mapping[str, str]  # event kind -> Chinese
    audit_object: str  # dotted object type, e.g. "disclosure.application"
    start_field: str  # the record's first date (steps may not precede it)
    start_label: str  # how messages name it, e.g. "收到申请的日期"
    validate: Callable[[dict[str, Any]], None]  # raises ActionError(field=...) on bad fields
    clocks: tuple[ClockSpec, ...] = ()
    approvals: tuple[Approval, ...] = ()
    numbering: Numbering | None = None
    correctable: tuple[str, ...] = ()  # fields a correction may change
    # A correction's consequences: `derive(record, changes)` gives the columns that follow from
    # the corrected ones (a date of a time, a blocking key, a limit from the SLA), stored with
    # them. `changed(record, before)` runs after a correction or a voiding, in the same
    # transaction, with the old values of every column written (e.g. regrouping repeats).
    derive: Callable[[Any, dict[str, Any]], dict[str, Any]] | None = None
    changed: Callable[[Any, dict[str, Any]], None] | None = None
    sensitive: frozenset[str] = frozenset()  # never written into timelines or the audit
    correct_permission: Permission = Permission.HANDLE
    void_permission: Permission = Permission.APPROVE
    children: tuple[ChildSpec, ...] = ()
    closed_on: str = ""  # date field set when a record closes (e.g. replied_on)
    registered_event: str = "registered"
    # Audit codes the ledger's own actions write beyond the kit's (`perform.audit`'s code ->
    # Chinese label), e.g. {"updated": "平台更新工单"}: the audit page names them.
    audit_codes: Mapping[str, str] = field(default_factory=dict)
    # How each unit may run this ledger (e.g. withholding replies need a reviewer's approval):
    # set per unit on the ledger's 设置 page, inherited by the units below (see options.py).
    options: tuple[UnitOption, ...] = ()
    waiting: tuple[Waiting, ...] = ()
    # Demo data: (unit, users by role code, random seed, today) -> records created
    demo: Callable[[Any, dict[str, Any], int, dt.date], int] | None = None
    # The demo also seeds the district itself (its own clerk and leader), not only its 街道.
    demo_district: bool = False
    by_code: dict[str, Move] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        self.by_code.update(moves_by_code(self.moves))
        kinds = [m.event_kind for m in self.moves]
        if len(set(kinds)) != len(kinds):
            raise ValueError(f"ledger {self.slug}: two moves write the same event kind")
        for spec in self.clocks:
            if spec.field and spec.field not in {f.name for f in self.model._meta.fields}:
                raise ValueError(f"ledger {self.slug}: clock {spec.code} caches in a missing field")
            if spec.due_at and spec.due_at not in {f.name for f in self.model._meta.fields}:
                raise ValueError(f"ledger {self.slug}: clock {spec.code} has a missing due_at")

    def move(self, code: str) -> Move:
        return self.by_code[code]

    def move_for_event(self, kind: str) -> Move | None:
        for m in self.moves:
            if m.event_kind == kind:
                return m
        return None

    def event_label(self, kind: str) -> str:
        return self.event_labels.get(kind) or KIT_EVENT_LABELS.get(kind, kind)

    def clock(self, code: str) -> ClockSpec | None:
        return next((c for c in self.clocks if c.code == code), None)

    def child(self, code: str) -> ChildSpec | None:
        return next((c for c in self.children if c.code == code), None)

    def field_label(self, name: str) -> str:
        field: Any = self.model._meta.get_field(name)
        return str(field.verbose_name)


_LEDGERS: dict[str, Ledger] = {}


def register_ledger(ledger: Ledger) -> Ledger:
    existing = _LEDGERS.get(ledger.slug)
    if existing is not None and existing is not ledger:
        raise ValueError(f"ledger {ledger.slug} registered twice")
    _LEDGERS[ledger.slug] = ledger
    return ledger


def ledgers() -> list[Ledger]:
    return list(_LEDGERS.values())


def get_ledger(slug: str) -> Ledger | None:
    return _LEDGERS.get(slug)


def unregister_ledger(slug: str) -> None:
    """For tests that declare a throwaway ledger."""
    _LEDGERS.pop(slug, None)
