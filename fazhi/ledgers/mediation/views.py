"""The ledger's own pages: a case's dossier (一案一册) and the statistics by dispute type and
committee. Both read through the tenant door."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fazhi.core.metrics import evaluate, get_indicator
from fazhi.core.reports.render_docx import render_docx
from fazhi.core.tenancy.access import (
    access_for,
    get_for_user_or_404,
    get_unit_for_user_or_404,
    visible_units,
)
from fazhi.core.tenancy.roles import Permission
from fazhi.core.web.figures import figure_url
from fazhi.core.web.views import query_param, with_query
from fazhi.ledgers.mediation import dossier
from fazhi.ledgers.mediation.indicators import HEADLINE
from fazhi.ledgers.mediation.models import Case, Committee, CommitteeKind, DisputeType, Screening


@login_required
def dossier_docx(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_for_user_or_404(
        Case.objects.select_related("unit", "committee", "mediator"), request.user, pk=pk
    )
    masked = not access_for(request.user).can(case.unit_id, Permission.HANDLE)
    doc = dossier.build(case, timezone.localdate(), masked=masked)
    response = HttpResponse(
        render_docx(doc),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    name = f"人民调解案卷-{case.number}.docx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


FAMILY = ("med.cases", "med.success_rate", "med.in_month_rate")


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    """The figures for one unit and year: headline, by type, by kind of committee and by each
    committee; every figure links to the list of its records."""
    units = list(visible_units(request.user).order_by("path"))
    code = query_param(request, "unit") or (units[0].code if units else "")
    unit = get_unit_for_user_or_404(request.user, code)
    year_text = query_param(request, "year")
    year = (
        int(year_text)
        if year_text.isdigit() and 2000 <= int(year_text) <= 2100
        else timezone.localdate().year
    )
    cases = Case.objects.visible_to(request.user).filter(unit=unit)
    screenings = Screening.objects.visible_to(request.user).filter(unit=unit)

    def cell(code: str, qs: object, extra: dict[str, str] | None = None) -> dict[str, object]:
        ind = get_indicator(code)
        figure = evaluate(code, qs if ind.model is Case else screenings, year)  # type: ignore[arg-type]
        slug = "mediation" if ind.model is Case else "mediation_screenings"
        url = figure_url(slug, code, unit, year)
        if extra:
            url = with_query(url.split("?")[0], unit=unit.code, figure=f"{code}:{year}", **extra)
        return {
            "name": ind.name,
            "shown": figure.shown,
            "definition": figure.definition,
            "url": url,
        }

    headline = [cell(c, cases) for c in HEADLINE]
    by_type = [
        (name, [cell(f"{f}.type.{t}", cases) for f in FAMILY]) for t, name in DisputeType.choices
    ]
    by_kind = [
        (name, [cell(f"{f}.committee.{k}", cases) for f in FAMILY])
        for k, name in CommitteeKind.choices
    ]
    committees = Committee.objects.visible_to(request.user).filter(unit=unit).order_by("name")
    by_committee = [
        (c.name, [cell(f, cases.filter(committee=c), {"committee": str(c.pk)}) for f in FAMILY])
        for c in committees
    ]
    return render(
        request,
        "mediation/stats.html",
        {
            "unit": unit,
            "units": units,
            "year": year,
            "headline": headline,
            "families": [get_indicator(f).name for f in FAMILY],
            "by_type": by_type,
            "by_kind": by_kind,
            "by_committee": by_committee,
        },
    )
