"""What a ledger declares so the generic web layer can render it (DESIGN §4, "A ledger's anatomy").

The web layer owns the pages (list, detail, action forms, import, export, reports); a ledger
owns its vocabulary: columns, filters, forms per move, how to run a move, its report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models
from django.http import HttpRequest

from fazhi.core.deadlines.clock import Deadline
from fazhi.core.imports.spec import ImportSpec
from fazhi.core.reports.document import Document
from fazhi.core.workflow import Move


@dataclass(frozen=True)
class Column:
    label: str
    value: Callable[[Any], Any]
    link: bool = False  # render as the link to the record's detail page


@dataclass(frozen=True)
class Filter:
    name: str  # query parameter
    label: str
    choices: Callable[[], Sequence[tuple[str, str]]]
    apply: Callable[[models.QuerySet[Any], str], models.QuerySet[Any]]
    describe: Callable[[str], str] | None = None  # how a value without choices reads to users


@dataclass(frozen=True)
class TimelineItem:
    on: dt.date
    label: str
    detail: str = ""
    by: str = ""


@dataclass(frozen=True)
class CurrentDeadline:
    label: str
    deadline: Deadline
    badge: str  # "逾期", "临期" or ""


@dataclass(frozen=True)
class UnitSummary:
    """One row of the supervisor's comparison of units."""

    unit: Any
    open: int
    overdue: int
    due_soon: int
    closed_this_year: int
    on_time_rate: float | None  # percent of this year's closed ones answered in time


@dataclass(frozen=True)
class ReportInputSpec:
    """Manual figures a report needs until the ledger that owns them exists."""

    key: str  # e.g. "table2"
    title: str
    fields: Sequence[tuple[str, str, str]]  # (group, item, label) -> data[group][item]
    decimal: frozenset[str] = frozenset()  # items that take decimals (e.g. 万元)


@dataclass(frozen=True)
class ReportUI:
    kind: str  # "xxgk"
    name: str  # "政府信息公开工作年度报告"
    build: Callable[[Any, int], Any]  # (unit, year) -> report with .as_json(), .document(link)
    cell_link: Callable[[Any, int, str, str], str]  # (unit, year, row, col) -> URL
    sections: Sequence[tuple[str, str, str]]  # editable narrative (key, heading, hint)
    inputs: Sequence[ReportInputSpec] = ()
    document: Callable[[Any, Callable[[str, str], str] | None], Document] | None = None


@dataclass(frozen=True)
class LedgerUI:
    slug: str
    name: str
    model: type[models.Model]
    columns: Sequence[Column]
    filters: Sequence[Filter]
    search: Callable[[models.QuerySet[Any], str], models.QuerySet[Any]]
    moves: Sequence[Move]
    move_forms: dict[str, type[forms.Form]]
    run_move: Callable[[str, Any, dict[str, Any], Any], Any]  # (code, record, cleaned, by)
    register_form: type[forms.Form]
    register: Callable[[Any, Any, dict[str, Any]], Any]  # (unit, by, cleaned) -> record
    details: Callable[[Any, HttpRequest], Sequence[tuple[str, Any]]]
    timeline: Callable[[Any], Sequence[TimelineItem]]
    deadline: Callable[[Any, dt.date], CurrentDeadline | None]
    badge: Callable[[Any, dt.date], str]
    todo: Callable[[models.QuerySet[Any], dt.date], dict[str, models.QuerySet[Any]]]
    import_spec: ImportSpec
    import_file: Callable[..., Any]
    export: Callable[[models.QuerySet[Any]], tuple[list[str], Any]]
    reports: Sequence[ReportUI] = ()
    notes: Sequence[tuple[str, Callable[[Any, dt.date], str]]] = ()  # extra info lines on detail
    # Demo data: (unit, users by role code, random seed, today) -> records created
    demo: Callable[[Any, dict[str, Any], int, dt.date], int] | None = None
    badge_column: int = 0  # 1-based column after whose value the 临期/逾期 badge is shown
    summary: Callable[[models.QuerySet[Any], dt.date], Sequence[UnitSummary]] | None = None

    def queryset(self) -> Any:
        """The ledger's tenant-aware queryset; callers must go through `.visible_to(user)`."""
        return self.model._default_manager.select_related("unit")


_LEDGERS: dict[str, LedgerUI] = {}


def register_ledger(ledger: LedgerUI) -> None:
    _LEDGERS[ledger.slug] = ledger


def ledgers() -> list[LedgerUI]:
    return list(_LEDGERS.values())


def get_ledger(slug: str) -> LedgerUI | None:
    return _LEDGERS.get(slug)


def get_report(kind: str) -> tuple[LedgerUI, ReportUI] | None:
    for ledger in _LEDGERS.values():
        for report in ledger.reports:
            if report.kind == kind:
                return ledger, report
    return None
