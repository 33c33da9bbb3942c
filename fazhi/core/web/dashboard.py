"""统计看板: every ledger's figures for a unit and the units below it, over three years; its
逾期 and 临期 records; and the units side by side. Every number links to exactly its records
(the figure's own predicate on the ledger's list, `?under=` for a unit and those below it).

The charts are Apache ECharts, installed from npm by `make` and served by the app
(`static/vendor/`); the page carries its data as JSON and the same figures as tables, so it
reads without script and with no network. It imports no ledger: figures come through
core.metrics and the ledgers' own `summary_indicators`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from fazhi.core.metrics import (
    Figure,
    evaluate_by_unit,
    evaluate_many,
    get_indicator,
    roll_up,
)
from fazhi.core.records import queries
from fazhi.core.tenancy.access import get_unit_for_user_or_404, visible_units
from fazhi.core.web import html
from fazhi.core.web.middleware import CHARTS_CSP
from fazhi.core.web.registry import LedgerUI, ledgers
from fazhi.core.web.views import query_param

YEARS = 3


def list_url(ui: LedgerUI, unit: Any, **params: str) -> str:
    """The ledger's list over `unit` and the units below it, with `params` (its filters)."""
    return reverse("web:list", args=[ui.slug]) + "?" + urlencode({"under": unit.code, **params})


@dataclass
class Point:
    label: str
    value: int | float | None  # None: a rate of no records (shown "—", a gap in the chart)
    shown: str
    url: str
    definition: str


@dataclass
class Series:
    code: str
    name: str
    rate: bool
    points: list[Point] = field(default_factory=list)


@dataclass
class LedgerBoard:
    ui: LedgerUI
    open: int
    overdue: Point
    due_soon: Point
    trends: list[Series]
    compared: Series | None
    side_by_side: list[tuple[str, list[Point]]]  # (unit, a point per summary figure)

    @property
    def side_by_side_rows(self) -> SafeString:
        """The side-by-side table's rows, built in Python: 240 streets by their figures
        through the template engine cost more than all of the page's queries."""
        return html.figure_rows(
            (label, [(p.url, p.shown, p.definition) for p in points])
            for label, points in self.side_by_side
        )


def _point(label: str, fig: Figure, url: str) -> Point:
    # A rate of nothing has no value: a gap in the chart, 「—」 as Figure.shown says.
    value = fig.value if fig.computable else None
    return Point(label, value, fig.shown, url, fig.definition)


def _board(
    ui: LedgerUI, request: HttpRequest, unit: Any, years: list[int], seen: dict[int, Any]
) -> LedgerBoard:
    qs = ui.queryset().visible_to(request.user).filter(unit__path__startswith=unit.path)
    today = timezone.localdate()
    overdue = queries.overdue(ui.ledger, qs, today).count()
    soon = queries.due_soon(ui.ledger, qs, today).count()
    codes = list(ui.summary_indicators)
    by_year = {y: evaluate_many(codes, qs, y) for y in years}
    trends = []
    for code in codes:
        ind = get_indicator(code)
        series = Series(code, ind.name, ind.is_rate)
        for y in years:
            url = list_url(ui, unit, figure=f"{code}:{y}")
            series.points.append(_point(f"{y}年", by_year[y][code], url))
        trends.append(series)
    compared, side_by_side = _compared(ui, qs, unit, codes, years[-1], seen)
    return LedgerBoard(
        ui,
        queries.open_items(ui.ledger, qs).count(),
        Point(
            "逾期", overdue, str(overdue), list_url(ui, unit, due="overdue"), "已超过期限仍未办结"
        ),
        Point("临期", soon, str(soon), list_url(ui, unit, due="due_soon"), "期限将至仍未办结"),
        trends,
        compared,
        side_by_side,
    )


def _compared(
    ui: LedgerUI, qs: Any, unit: Any, codes: list[str], year: int, seen: dict[int, Any]
) -> tuple[Series | None, list[tuple[str, list[Point]]]]:
    """The units directly below `unit` side by side, each with the units below it (a city's
    districts, a district's streets): every summary figure of `year` per subtree (rates from
    the subtree's own numerator and denominator), and the unit's own records as 本级 when it
    has any. The first figure is also charted."""
    children = sorted((u for u in seen.values() if u.parent_id == unit.pk), key=lambda u: u.path)
    if not codes or not children:
        return None, []
    per_unit = evaluate_by_unit(codes, qs, year)  # one pass: the subtrees and 本级 from it
    subtrees = roll_up(codes, per_unit, year, children)
    own = per_unit.get(unit.pk)
    rows: list[tuple[Any, str, dict[str, Figure], str]] = [
        (u, u.name, subtrees[u.pk], "under") for u in children
    ]
    if own and any(f.value or f.denominator for f in own.values()):
        rows.append((unit, f"{unit.name}（本级）", own, "unit"))

    base = reverse("web:list", args=[ui.slug]) + "?"  # once: a district has 240 rows

    def url(u: Any, scope: str, code: str) -> str:
        return base + urlencode({scope: u.code, "figure": f"{code}:{year}"})

    table = [
        (label, [_point(label, figures[code], url(u, scope, code)) for code in codes])
        for u, label, figures, scope in rows
    ]
    first = get_indicator(codes[0])
    series = Series(codes[0], f"{year}年{first.name}", first.is_rate)
    series.points = sorted(
        (points[0] for _, points in table),
        key=lambda p: -(p.value if p.value is not None else -1),
    )
    return series, table


def _chart_data(boards: list[LedgerBoard]) -> dict[str, Any]:
    def series(s: Series | None) -> Any:
        if s is None:
            return None
        return {
            "name": s.name,
            "rate": s.rate,
            "points": [{"label": p.label, "value": p.value, "url": p.url} for p in s.points],
        }

    return {
        "due": {
            "ledgers": [b.ui.name for b in boards],
            "overdue": [{"value": b.overdue.value, "url": b.overdue.url} for b in boards],
            "due_soon": [{"value": b.due_soon.value, "url": b.due_soon.url} for b in boards],
        },
        "ledgers": [
            {
                "slug": b.ui.slug,
                "trends": [series(s) for s in b.trends],
                "compared": series(b.compared),
            }
            for b in boards
        ],
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    units = list(visible_units(request.user).order_by("path"))
    code = query_param(request, "unit") or (units[0].code if units else "")
    unit = get_unit_for_user_or_404(request.user, code)
    this_year = timezone.localdate().year
    years = list(range(this_year - YEARS + 1, this_year + 1))
    seen = {u.pk: u for u in units}
    boards = [_board(ui, request, unit, years, seen) for ui in ledgers()]
    response = render(
        request,
        "web/dashboard.html",
        {
            "unit": unit,
            "units": units,
            "years": years,
            "boards": boards,
            "chart_data": _chart_data(boards),
        },
    )
    response["Content-Security-Policy"] = CHARTS_CSP
    return response
