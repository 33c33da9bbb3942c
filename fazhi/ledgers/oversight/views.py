"""The ledgers' own page: the 第一责任人 and 督察整改 statistics of one unit and year — the
figures the report's 第一责任人 section reads, and rectification by source and by 责任部门.
Every figure is a core.metrics predicate and links to the list of exactly its records. Read
through the tenant door."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fazhi.core.metrics import get_indicator
from fazhi.core.web.stats import FigureCell, figure_cell, unit_param, year_param
from fazhi.ledgers.oversight.indicators import DUTY_CODES, RECTIFY_CODES, due_or_closed
from fazhi.ledgers.oversight.ledger import DUTIES, RECTIFICATIONS
from fazhi.ledgers.oversight.models import LeaderDuty, Rectification, Source

SLUGS: dict[type[Any], str] = {LeaderDuty: DUTIES.slug, Rectification: RECTIFICATIONS.slug}


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    units, unit = unit_param(request)
    year = year_param(request)
    records: dict[type[Any], QuerySet[Any]] = {
        model: model.objects.visible_to(request.user).filter(unit=unit) for model in SLUGS
    }

    def cell(code: str, **narrow: str) -> FigureCell:
        """Narrowed by a field that is also the list's filter of the same name."""
        model = get_indicator(code).model
        qs = records[model].filter(**narrow)
        return figure_cell(code, qs, slug=SLUGS[model], unit=unit, year=year, **narrow)

    items = records[Rectification].filter(due_or_closed(year))
    departments = sorted(set(items.values_list("department", flat=True)))
    return render(
        request,
        "oversight/stats.html",
        {
            "unit": unit,
            "units": units,
            "year": year,
            "duties": [cell(c) for c in DUTY_CODES],
            "rectify": [cell(c) for c in RECTIFY_CODES],
            "by_source": [
                (name, [cell(c, source=s) for c in RECTIFY_CODES]) for s, name in Source.choices
            ],
            "by_department": [
                (d, [cell(c, department=d) for c in RECTIFY_CODES]) for d in departments
            ],
        },
    )
