"""What a ledger's own statistics page shares: the unit and year it is asked for (through the
door) and a figure shown with its definition and the link to exactly its records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from fazhi.core.metrics import Figure, evaluate, get_indicator
from fazhi.core.tenancy.access import get_unit_for_user_or_404, visible_units
from fazhi.core.web.figures import figure_url
from fazhi.core.web.views import query_param, with_query


def year_param(request: HttpRequest, name: str = "year") -> int:
    """The year asked for (2000–2100), else this year."""
    text = query_param(request, name)
    if text.isascii() and text.isdigit() and 2000 <= int(text) <= 2100:
        return int(text)
    return timezone.localdate().year


def unit_param(request: HttpRequest) -> tuple[list[Any], Any]:
    """The units the user sees and the one `?unit=` names (default the first): a unit outside
    the user's answers 404 like one that does not exist."""
    units = list(visible_units(request.user).order_by("path"))
    code = query_param(request, "unit") or (units[0].code if units else "")
    return units, get_unit_for_user_or_404(request.user, code)


@dataclass(frozen=True)
class FigureCell:
    name: str
    shown: str
    definition: str
    url: str
    figure: Figure


def figure_cell(
    code: str, qs: QuerySet[Any], *, slug: str, unit: Any, year: int, **filters: str
) -> FigureCell:
    """The figure over `qs` (through the door, narrowed to the unit and by `filters`' own
    list filters) and the link to the ledger's list applying the same predicate and filters."""
    figure = evaluate(code, qs, year)
    url = figure_url(slug, code, unit, year)
    if filters:
        url = with_query(url.split("?")[0], unit=unit.code, figure=f"{code}:{year}", **filters)
    return FigureCell(get_indicator(code).name, figure.shown, figure.definition, url, figure)
