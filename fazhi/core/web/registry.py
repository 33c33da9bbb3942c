"""What a ledger declares so the generic web layer can render it (DESIGN §4, "A ledger's anatomy").

The web layer owns the pages (待办, list, detail with every clock, move forms, corrections,
import, export, reports); a ledger owns its vocabulary: columns, filters, a form and an action
per move, how its events read in the timeline, its reports. The record itself — moves, clocks,
numbering, imports — is declared to the record kit (`fazhi.core.records.ledger.Ledger`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from fazhi.core.records.bulk import ImportDeclaration
from fazhi.core.records.ledger import Ledger


@dataclass(frozen=True)
class Column:
    label: str
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class Filter:
    name: str  # query parameter
    label: str
    choices: Callable[[], Sequence[tuple[str, str]]]
    apply: Callable[[models.QuerySet[Any], str], models.QuerySet[Any]]
    describe: Callable[[str], str] | None = None  # how a value without choices reads to users
    # Whether a value can mean anything; by default one of the choices, when there are any.
    # A value that cannot (a hand-edited URL, a stale link) lists nothing and says so.
    valid: Callable[[str], bool] | None = None

    def is_valid(self, value: str) -> bool:
        if self.valid is not None:
            return self.valid(value)
        choices = self.choices()
        return not choices or value in {str(v) for v, _ in choices}


def due_column(label: str = "当前期限") -> Column:
    """The record kit's nearest due date, marked 暂定 when it rests on an unloaded year."""

    def shown(r: Any) -> str:
        if r.due_on is None:
            return "—"
        return f"{r.due_on:%Y-%m-%d}" + ("（暂定）" if r.due_provisional else "")

    return Column(label, shown)


def year_filter(name: str, label: str, field: str) -> Filter:
    """A filter on the year of a date field, offering the last six years."""

    def years() -> list[tuple[str, str]]:
        this = timezone.localdate().year
        return [(str(y), f"{y}年") for y in range(this, this - 6, -1)]

    def valid(value: str) -> bool:
        # A year outside what a date can hold (?year=99999) lists nothing instead of a 500.
        return value.isascii() and value.isdigit() and dt.MINYEAR <= int(value) <= dt.MAXYEAR

    def apply(qs: models.QuerySet[Any], value: str) -> models.QuerySet[Any]:
        if valid(value):
            return qs.filter(**{f"{field}__year": int(value)})
        return qs.none()

    return Filter(name, label, years, apply, valid=valid)


def exact_filter(name: str, label: str, field: str) -> Filter:
    """A filter on a free-text field (a department, a community) by its exact value: no
    choices to offer, so the list shows the value itself as the filter's chip."""

    def apply(qs: models.QuerySet[Any], value: str) -> models.QuerySet[Any]:
        return qs.filter(**{field: value.strip()})

    return Filter(name, label, list, apply, lambda value: value)


@dataclass(frozen=True)
class MoveForm:
    """The form of a move and the action it runs: `action(record, by=user, **cleaned_data)`."""

    form: type[forms.Form]
    action: Callable[..., Any]


@dataclass(frozen=True)
class ReportInputSpec:
    """Manual figures a report needs until the ledger that owns them exists."""

    key: str  # e.g. "table2"
    title: str
    fields: Sequence[tuple[str, str, str]]  # (group, item, label) -> data[group][item]
    decimal: frozenset[str] = frozenset()  # items that take decimals (e.g. 万元)
    hint: str = ""  # what the ledger fills in itself, shown above the form


@dataclass(frozen=True)
class ReportUI:
    kind: str  # "xxgk"
    name: str  # "政府信息公开工作年度报告"
    build: Callable[[Any, int], Any]  # (unit, year) -> report with .as_json(), .document(link)
    sections: Sequence[tuple[str, str, str]]  # editable narrative (key, heading, hint)
    # (unit, year) -> the link function its document takes: (row, col) -> URL of the records
    link: Callable[[Any, int], Callable[[str, str], str]] | None = None
    generated: frozenset[str] = frozenset()  # sections written from the ledger, not typed
    inputs: Sequence[ReportInputSpec] = ()
    hint: str = ""  # shown above the report, e.g. which figures link to their records
    edit_hint: str = ""
    # The figures the editor offers as live tokens: (unit, year) -> [(code, name, shown)].
    tokens: Callable[[Any, int], Sequence[tuple[str, str, str]]] | None = None
    # Last year's text to start this year's from: (unit, year) -> {section: text}.
    previous_texts: Callable[[Any, int], Mapping[str, str]] | None = None
    # What a unit should read before it sends the report to its supervisor (core.submissions):
    # (unit, year) -> Chinese sentences, e.g. figures carried over from last year's report.
    submit_warnings: Callable[[Any, int], Sequence[str]] | None = None


@dataclass(frozen=True)
class LedgerUI:
    ledger: Ledger
    columns: Sequence[Column]
    filters: Sequence[Filter]
    search: Callable[[models.QuerySet[Any], str], models.QuerySet[Any]]
    search_hint: str  # placeholder of the search box
    move_forms: Mapping[str, MoveForm]
    register_form: type[forms.Form]
    register: Callable[..., Any]  # register(unit=, by=, **cleaned_data) -> record
    register_label: str  # e.g. "登记申请"
    details: Callable[[Any, HttpRequest], Sequence[tuple[str, Any]]]
    import_declaration: ImportDeclaration
    export: Callable[[models.QuerySet[Any]], tuple[list[str], Any]]
    correct_form: type[forms.Form] | None = None
    register_initial: Callable[[dt.date], dict[str, Any]] = lambda today: {}
    # How the register form names the unit the record belongs to (a committee is not 受理).
    unit_label: str = "受理单位"
    # What the clerk should know about a record just registered (e.g. it looks like an earlier
    # one), shown as warnings on the page the registration leads to.
    register_notes: Callable[[Any], Sequence[str]] = lambda record: ()
    event_detail: Mapping[str, Callable[[dict[str, Any]], str]] = field(default_factory=dict)
    # Steps a record holds as fields and not as events (an import that writes no event rows):
    # record -> timeline items (`core.web.timeline.TimelineItem`), merged with the events in
    # time order on the detail page.
    field_steps: Callable[[Any], Sequence[Any]] | None = None
    reports: Sequence[ReportUI] = ()
    badge_column: int = 0  # 1-based column after whose value the 临期/逾期 badge is shown
    todo_columns: Sequence[int] = (0, 1)  # which columns the 待办 rows show (after the number)
    summary_indicators: Sequence[str] = ()  # indicator codes in the supervisor's comparison
    child_forms: Mapping[str, type[forms.Form]] = field(default_factory=dict)
    # Personal data in child rows (a case's parties): child code -> row -> {field: masked value}.
    # The detail page shows the masked values to whoever may open the record but cannot handle
    # it at its current unit (a supervisor, the unit that handed it on; invariant 8).
    child_masks: Mapping[str, Callable[[Any], Mapping[str, Any]]] = field(default_factory=dict)
    # Pages of the ledger's own beyond the generic ones: (label, URL name without arguments),
    # shown on the list page (e.g. the 政府信息公开指南 and 目录 of the 主动公开 register).
    links: Sequence[tuple[str, str]] = ()
    # Links to pages that register records (a ledger's own import page): shown, as the
    # register button, only to those who may register at some unit (`can_register`), the
    # rule such a page applies.
    register_links: Sequence[tuple[str, str]] = ()
    # A ledger with an import page of its own (URL name): the generic import page leads there.
    import_view: str = ""
    # Relations the list's columns read, joined in the list's one query (no query per row).
    list_related: Sequence[str] = ()
    # The fields the list's columns and badge read (`only()`), a relation's as "duty__name";
    # empty: every field. A big table's list then builds its rows from a few columns rather
    # than parsing every timestamp of every row. The record's unit is always there: the list
    # sets it from what the tenant door read (`with_units`: code, name), with no join.
    list_fields: Sequence[str] = ()

    @property
    def slug(self) -> str:
        return self.ledger.slug

    @property
    def name(self) -> str:
        return self.ledger.name

    @property
    def model(self) -> type[models.Model]:
        return self.ledger.model

    def queryset(self) -> Any:
        """The ledger's tenant-aware queryset; callers must go through `.visible_to(user)`."""
        return self.ledger.model._default_manager.select_related("unit", *self.list_related)

    def list_queryset(self, *, voided_too: bool = False) -> Any:
        """`queryset()` as the list reads it: its unit is not joined (see `list_fields`);
        `voided_too` with the voided records (the list's 作废记录 filter)."""
        model = self.ledger.model
        qs = (model.with_voided if voided_too else model._default_manager).all()
        # (select_related() with no names would join every foreign key)
        return qs.select_related(*self.list_related) if self.list_related else qs

    def ledger_field_label(self, model: type[models.Model], name: str) -> str:
        field: Any = model._meta.get_field(name)
        return str(field.verbose_name)

    def list_only(self) -> list[str]:
        """`list_fields` and what the kit's badge and due column read of every record (the
        status, voiding, the nearest due date, each clock's cached date and time); [] for all."""
        if not self.list_fields:
            return []
        kit = ["unit", "status", "voided_at", "due_on", "due_kind", "due_provisional"]
        clocks = [spec.field for spec in self.ledger.clocks if spec.field]
        clocks += [spec.due_at for spec in self.ledger.clocks if spec.due_at]
        return list(dict.fromkeys([*self.list_fields, *kit, *clocks]))

    def queryset_with_voided(self) -> Any:
        return self.ledger.model.with_voided.select_related("unit", *self.list_related)


_LEDGERS: dict[str, LedgerUI] = {}


def register_ledger_ui(ui: LedgerUI) -> None:
    """Register a ledger's pages; its records may then carry attachments (their door is the
    ledger's own: another unit's or a voided record's files answer 404)."""
    from fazhi.core.attachments.owners import register_owner
    from fazhi.core.tenancy.access import get_for_user_or_404

    if _LEDGERS.get(ui.slug) is ui:
        return
    _LEDGERS[ui.slug] = ui
    register_owner(ui.slug, lambda user, pk: get_for_user_or_404(ui.queryset(), user, pk=pk))


def ledgers() -> list[LedgerUI]:
    return list(_LEDGERS.values())


def get_ledger(slug: str) -> LedgerUI | None:
    return _LEDGERS.get(slug)


_REPORTS: dict[str, ReportUI] = {}


def register_report(ui: ReportUI) -> None:
    """Register a report that belongs to no ledger (the 法治政府建设情况报告, kind "fazhi")."""
    existing = _REPORTS.get(ui.kind)
    if existing is not None and existing is not ui:
        raise ValueError(f"report {ui.kind} registered twice")
    _REPORTS[ui.kind] = ui


def reports() -> list[ReportUI]:
    """Every report: the core ones first, then each ledger's."""
    return [*_REPORTS.values(), *(r for ledger in _LEDGERS.values() for r in ledger.reports)]


def get_report(kind: str) -> tuple[LedgerUI | None, ReportUI] | None:
    """The report of `kind` and the ledger it belongs to (None for a core report)."""
    if kind in _REPORTS:
        return None, _REPORTS[kind]
    for ledger in _LEDGERS.values():
        for report in ledger.reports:
            if report.kind == kind:
                return ledger, report
    return None
