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
from django.utils import timezone

from fazhi.core.metrics import evaluate, get_indicator
from fazhi.core.tenancy.access import get_unit_for_user_or_404, visible_units
from fazhi.core.web.figures import figure_url
from fazhi.core.web.views import query_param, with_query
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
    units = list(visible_units(request.user).order_by("path"))
    code = query_param(request, "unit") or (units[0].code if units else "")
    unit = get_unit_for_user_or_404(request.user, code)
    year_text = query_param(request, "year")
    year = (
        int(year_text)
        if year_text.isascii() and year_text.isdigit() and 2000 <= int(year_text) <= 2100
        else timezone.localdate().year
    )
    records: dict[type[Any], QuerySet[Any]] = {
        model: model.objects.visible_to(request.user).filter(unit=unit) for model in SLUGS
    }

    def cell(code: str, narrow: dict[str, str] | None = None) -> dict[str, object]:
        """The figure over the unit's records (narrowed by a list filter: a department, a
        community), linked to the list that applies the same predicate and filter."""
        ind = get_indicator(code)
        qs = records[ind.model]
        if narrow:
            field, value = next(iter(narrow.items()))
            qs = qs.filter(**{field: value})
        figure = evaluate(code, qs, year)
        url = figure_url(SLUGS[ind.model], code, unit, year)
        if narrow:
            url = with_query(url.split("?")[0], unit=unit.code, figure=f"{code}:{year}", **narrow)
        return {
            "name": ind.name,
            "shown": figure.shown,
            "definition": figure.definition,
            "url": url,
            "figure": figure,
        }

    departments = sorted(set(records[Duty].filter(year=year).values_list("department", flat=True)))
    communities = sorted(set(records[Person].values_list("community", flat=True)))
    people = [(c, cell("pufa.people", {"community": c})) for c in communities]
    return render(
        request,
        "pufa/stats.html",
        {
            "unit": unit,
            "units": units,
            "year": year,
            "headline": [cell(c) for c in HEADLINE],
            "by_theme": [(name, cell(f"pufa.activities.theme.{t}")) for t, name in Theme.choices],
            "by_department": [(d, cell("pufa.duty_rate", {"department": d})) for d in departments],
            "by_community": [(c, f) for c, f in people if f["figure"].value],  # type: ignore[attr-defined]
            "by_kind": [
                (name, cell(f"pufa.studies.{k}"))
                for k, name in StudyKind.choices
                if k in STUDY_KINDS
            ],
        },
    )
