"""The ledgers' own page: the 普法 statistics of one unit and year — the headline figures, by
theme, 责任清单 completion by department, 法律明白人 by community and 学法 by kind. Every figure
is a core.metrics predicate and links to the list of exactly its records. Read through the
tenant door."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fazhi.core.metrics import get_indicator
from fazhi.core.web.stats import FigureCell, figure_cell, unit_param, year_param
from fazhi.ledgers.pufa.indicators import HEADLINE
from fazhi.ledgers.pufa.ledger import ACTIVITIES, DUTIES, PEOPLE, STUDIES
from fazhi.ledgers.pufa.models import STUDIES as STUDY_KINDS
from fazhi.ledgers.pufa.models import Activity, Duty, Person, Study, StudyKind, Theme

SLUGS: dict[type[Any], str] = {
    Activity: ACTIVITIES.slug,
    Duty: DUTIES.slug,
    Person: PEOPLE.slug,
    Study: STUDIES.slug,
}


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    units, unit = unit_param(request)
    year = year_param(request)
    records: dict[type[Any], QuerySet[Any]] = {
        model: model.objects.visible_to(request.user).filter(unit=unit) for model in SLUGS
    }

    def cell(code: str, **narrow: str) -> FigureCell:
        """Narrowed by a free-text field (a department, a community) that is also the list's
        filter of the same name."""
        model = get_indicator(code).model
        qs = records[model].filter(**narrow)
        return figure_cell(code, qs, slug=SLUGS[model], unit=unit, year=year, **narrow)

    departments = sorted(set(records[Duty].filter(year=year).values_list("department", flat=True)))
    communities = sorted(set(records[Person].values_list("community", flat=True)))
    people = [(c, cell("pufa.people", community=c)) for c in communities]
    return render(
        request,
        "pufa/stats.html",
        {
            "unit": unit,
            "units": units,
            "year": year,
            "headline": [cell(c) for c in HEADLINE],
            "by_theme": [(name, cell(f"pufa.activities.theme.{t}")) for t, name in Theme.choices],
            "by_department": [(d, cell("pufa.duty_rate", department=d)) for d in departments],
            "by_community": [(c, f) for c, f in people if f.figure.value],
            "by_kind": [
                (name, cell(f"pufa.studies.{k}"))
                for k, name in StudyKind.choices
                if k in STUDY_KINDS
            ],
        },
    )
