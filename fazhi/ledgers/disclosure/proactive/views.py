"""The register's own pages: the unit's 政府信息公开指南 (page, edit, .docx) and 目录 (page, .xlsx).

Every page finds the unit through the door (`get_unit_for_user_or_404`) and its entries through
`visible_to`; another unit's guide or catalogue answers 404 like a missing one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from fazhi.core.imports.writing import write_xlsx
from fazhi.core.reports.render_docx import render_docx
from fazhi.core.reports.render_html import render_html
from fazhi.core.tenancy.access import access_for, get_unit_for_user_or_404, visible_units
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.tenancy.roles import Permission
from fazhi.core.web.forms import FazhiForm
from fazhi.core.web.transfer_views import XLSX, attachment
from fazhi.core.web.views import apply_form_error, query_param
from fazhi.core.workflow import ActionError
from fazhi.ledgers.disclosure.proactive import catalogue as catalogue_entries
from fazhi.ledgers.disclosure.proactive import guide
from fazhi.ledgers.disclosure.proactive.models import Category, Guide, ProactiveItem

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PAGE_SIZE = 100


@login_required
def index(request: HttpRequest) -> HttpResponse:
    units = list(visible_units(request.user).order_by("path"))
    saved = {g.unit_id: g for g in Guide.objects.visible_to(request.user)}
    rows = [(u, saved.get(u.pk)) for u in units]
    return render(request, "disclosure/xxgk_index.html", {"rows": rows})


@login_required
def guide_view(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_for_user_or_404(request.user, code)
    fields, saved = guide.current(unit)
    doc = guide.document(unit)
    return render(
        request,
        "disclosure/guide.html",
        {
            "unit": unit,
            "doc": doc,
            "body": render_html(doc),
            "saved": saved,
            "missing": guide.missing(fields),
            "can_edit": access_for(request.user).can(unit.pk, Permission.EDIT_REPORT),
        },
    )


class GuideForm(FazhiForm):
    """One field per part of the guide, labelled as the model names it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in guide.FIELDS:
            f: Any = Guide._meta.get_field(name)
            long_text = isinstance(f, models.TextField)
            self.fields[name] = forms.CharField(
                label=str(f.verbose_name),
                max_length=f.max_length,
                required=name in guide.REQUIRED,
                widget=forms.Textarea(attrs={"rows": 8 if name == "how_to_apply" else 4})
                if long_text
                else None,
                help_text="每段一行" if long_text else "",
            )


@login_required
def guide_edit(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_for_user_or_404(request.user, code)
    if not access_for(request.user).can(unit.pk, Permission.EDIT_REPORT):
        raise Http404("未找到该页面")
    fields, saved = guide.current(unit)
    form = GuideForm(request.POST or None, initial=fields)
    if request.method == "POST" and form.is_valid():
        try:
            guide.save_guide(unit=unit, by=request.user, **form.cleaned_data)
        except ActionError as exc:
            apply_form_error(form, exc)
        else:
            messages.success(request, "政府信息公开指南已保存")
            return redirect("xxgk:guide", code=unit.code)
    return render(
        request, "disclosure/guide_edit.html", {"unit": unit, "form": form, "saved": saved}
    )


@login_required
def guide_docx(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_for_user_or_404(request.user, code)
    doc = guide.document(unit)
    return attachment(render_docx(doc), f"{doc.title}.docx", DOCX)


def _catalogue(request: HttpRequest, unit: OrgUnit) -> Any:
    """The unit's published entries through the door, narrowed by the page's filters."""
    qs = catalogue_entries.entries(ProactiveItem.objects.visible_to(request.user), unit)
    category = query_param(request, "category")
    if category:
        qs = qs.filter(category=category)
    year = query_param(request, "year")
    if year:
        valid = year.isascii() and year.isdigit() and dt.MINYEAR <= int(year) <= dt.MAXYEAR
        qs = qs.filter(made_on__year=int(year)) if valid else qs.none()
    return qs


@login_required
def catalogue(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_for_user_or_404(request.user, code)
    qs = _catalogue(request, unit)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = {k: v for k, v in request.GET.items() if k != "page" and v}
    this_year = timezone.localdate().year
    return render(
        request,
        "disclosure/catalogue.html",
        {
            "unit": unit,
            "page": page,
            "total": page.paginator.count,
            "query": urlencode(params),
            "categories": Category.choices,
            "category": query_param(request, "category"),
            "years": [str(y) for y in range(this_year, this_year - 6, -1)],
            "year": query_param(request, "year"),
        },
    )


@login_required
def catalogue_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_for_user_or_404(request.user, code)
    rows = catalogue_entries.rows(_catalogue(request, unit))
    content = write_xlsx(catalogue_entries.HEADERS, rows, sheet_title="政府信息公开目录")
    return attachment(content, f"{unit.name}政府信息公开目录.xlsx", XLSX)
