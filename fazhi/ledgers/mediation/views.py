"""The ledger's own pages: a case's dossier (一案一册) and the statistics by dispute type and
committee. Both read through the tenant door."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fazhi.core.metrics import get_indicator
from fazhi.core.reports.render_docx import render_docx
from fazhi.core.tenancy.access import access_for, get_for_user_or_404
from fazhi.core.tenancy.roles import Permission
from fazhi.core.web.stats import FigureCell, figure_cell, unit_param, year_param
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
    units, unit = unit_param(request)
    year = year_param(request)
    cases = Case.objects.visible_to(request.user).filter(unit=unit)
    screenings = Screening.objects.visible_to(request.user).filter(unit=unit)

    def cell(code: str, qs: QuerySet[Any], extra: dict[str, str] | None = None) -> FigureCell:
        case_figure = get_indicator(code).model is Case
        return figure_cell(
            code,
            qs if case_figure else screenings,
            slug="mediation" if case_figure else "mediation_screenings",
            unit=unit,
            year=year,
            **(extra or {}),
        )

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
