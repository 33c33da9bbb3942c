"""Report pages: the figures with links to their records, .docx and JSON, and editing."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from fazhi.core.reports.actions import input_for, save_input, save_texts, texts_for
from fazhi.core.reports.render_docx import render_docx
from fazhi.core.reports.render_html import render_html
from fazhi.core.reports.tokens import token
from fazhi.core.reports.years import is_report_year, report_years
from fazhi.core.tenancy.access import access_for, get_unit_for_user_or_404, visible_units
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.tenancy.roles import Permission
from fazhi.core.web.registry import ReportUI, get_report, reports
from fazhi.core.web.transfer_views import attachment
from fazhi.core.workflow import ActionError

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _resolve(request: HttpRequest, kind: str, code: str, year: int) -> tuple[ReportUI, OrgUnit]:
    found = get_report(kind)
    unsupported = not is_report_year(year, timezone.localdate())
    if found is None or unsupported or "\x00" in code:  # NUL: a 500 on PostgreSQL
        raise Http404("未找到该报告")
    return found[1], get_unit_for_user_or_404(request.user, code)


@login_required
def report_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/report_index.html",
        {
            "reports": reports(),
            "units": visible_units(request.user).order_by("path"),
            "years": report_years(timezone.localdate())[:6],
        },
    )


@login_required
def report_view(request: HttpRequest, kind: str, code: str, year: int) -> HttpResponse:
    report_ui, unit = _resolve(request, kind, code, year)
    if request.GET.get("unit") or request.GET.get("year"):
        new_code = request.GET.get("unit") or code
        new_year = request.GET.get("year") or str(year)
        # ?year=abc or ?unit=a/b cannot name a report: 404, not a NoReverseMatch (500).
        if "/" in new_code or not (new_year.isascii() and new_year.isdigit()):
            raise Http404("未找到该报告")
        if not is_report_year(int(new_year), timezone.localdate()):
            raise Http404("未找到该报告")
        return redirect("web:report", kind=kind, code=new_code, year=int(new_year))
    report = report_ui.build(unit, year)
    doc = report.document(report_ui.link(unit, year) if report_ui.link else None)
    can_edit = access_for(request.user).can(unit.pk, Permission.EDIT_REPORT)
    return render(
        request,
        "web/report.html",
        {
            "report_ui": report_ui,
            "unit": unit,
            "year": year,
            "body": render_html(doc),
            "doc": doc,
            "warnings": getattr(report, "warnings", []),
            "can_edit": can_edit,
            "units": visible_units(request.user).order_by("path"),
            "years": report_years(timezone.localdate()),
        },
    )


@login_required
def report_docx(request: HttpRequest, kind: str, code: str, year: int) -> HttpResponse:
    report_ui, unit = _resolve(request, kind, code, year)
    report = report_ui.build(unit, year)
    content = render_docx(report.document(None))
    return attachment(content, f"{report.title}.docx", DOCX)


@login_required
def report_json(request: HttpRequest, kind: str, code: str, year: int) -> HttpResponse:
    report_ui, unit = _resolve(request, kind, code, year)
    data = report_ui.build(unit, year).as_json()
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})


class TextsForm(forms.Form):
    def __init__(self, *args: Any, sections: Any, generated: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, heading, hint in sections:
            if key in generated:
                continue
            self.fields[key] = forms.CharField(
                label=heading,
                required=False,
                help_text=hint,
                widget=forms.Textarea(attrs={"rows": 6}),
                max_length=20000,
            )
        self.fields["signed_on"] = forms.DateField(
            label="成文日期（落款）", required=False, help_text="如 2027-01-20"
        )


@login_required
def report_edit(request: HttpRequest, kind: str, code: str, year: int) -> HttpResponse:
    report_ui, unit = _resolve(request, kind, code, year)
    if not access_for(request.user).can(unit.pk, Permission.EDIT_REPORT):
        raise Http404("未找到该报告")
    current = texts_for(unit, kind, year)
    started_from_last = False
    if request.method != "POST" and request.GET.get("from") == "last" and report_ui.previous_texts:
        # Last year's text as the form's start: nothing is saved until the unit saves it.
        last = report_ui.previous_texts(unit, year)
        started_from_last = bool(last)
        current = {**current, **last}
    form = TextsForm(
        request.POST or None,
        sections=report_ui.sections,
        generated=report_ui.generated,
        initial=current,
    )
    if request.method == "POST" and form.is_valid():
        texts = {
            k: (v.isoformat() if hasattr(v, "isoformat") else (v or ""))
            for k, v in form.cleaned_data.items()
        }
        try:
            save_texts(unit=unit, kind=kind, year=year, texts=texts, by=request.user)
        except ActionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "报告文字已保存")
            return redirect("web:report", kind=kind, code=code, year=year)
    warnings: list[str] = []
    tokens: list[tuple[str, str, str, str]] = []
    if report_ui.tokens:
        warnings = getattr(report_ui.build(unit, year), "warnings", [])
        tokens = [
            (code, name, shown, token(code, shown))
            for code, name, shown in report_ui.tokens(unit, year)
        ]
    return render(
        request,
        "web/report_edit.html",
        {
            "report_ui": report_ui,
            "unit": unit,
            "year": year,
            "form": form,
            "tokens": tokens,
            "warnings": warnings,
            "started_from_last": started_from_last,
            "can_start_from_last": report_ui.previous_texts is not None,
        },
    )


class InputForm(forms.Form):
    source_note = forms.CharField(
        label="数据来源说明",
        max_length=500,
        help_text="例如：区司法局规范性文件备案台账；区行政复议机构统计",
    )

    def __init__(self, *args: Any, spec: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for group, item, label in spec.fields:
            name = f"{group}__{item}"
            if item in spec.decimal:
                # Bounded: "1e400" would become an infinite float and a 500 when stored.
                self.fields[name] = forms.DecimalField(
                    label=label, min_value=0, max_digits=16, decimal_places=4, initial=0
                )
            else:
                self.fields[name] = forms.IntegerField(
                    label=label, min_value=0, max_value=10**12, initial=0
                )
        self.order_fields([*(f"{g}__{i}" for g, i, _ in spec.fields), "source_note"])


@login_required
def report_input(request: HttpRequest, kind: str, code: str, year: int, key: str) -> HttpResponse:
    report_ui, unit = _resolve(request, kind, code, year)
    spec = next((s for s in report_ui.inputs if s.key == key), None)
    if spec is None or not access_for(request.user).can(unit.pk, Permission.EDIT_REPORT):
        raise Http404("未找到该报告")
    stored = input_for(unit, kind, year, key)
    initial: dict[str, Any] = {"source_note": stored.source_note if stored else ""}
    if stored:
        for group, cells in stored.data.items():
            for item, value in cells.items():
                initial[f"{group}__{item}"] = value
    form = InputForm(request.POST or None, spec=spec, initial=initial)
    if request.method == "POST" and form.is_valid():
        data: dict[str, dict[str, Any]] = {}
        for group, item, _ in spec.fields:
            value = form.cleaned_data[f"{group}__{item}"]
            data.setdefault(group, {})[item] = (
                json.loads(str(value)) if item in spec.decimal else int(value)
            )
        try:
            save_input(
                unit=unit,
                kind=kind,
                year=year,
                key=key,
                data=data,
                source_note=form.cleaned_data["source_note"],
                by=request.user,
            )
        except ActionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"{spec.title}已保存")
            return redirect("web:report", kind=kind, code=code, year=year)
    return render(
        request,
        "web/report_input.html",
        {
            "report_ui": report_ui,
            "unit": unit,
            "year": year,
            "form": form,
            "spec": spec,
            "grid": _input_grid(form, spec),
        },
    )


def _input_grid(form: forms.Form, spec: Any) -> dict[str, Any]:
    """Lay the inputs out like the printed table: a row per group, a column per item."""
    groups: dict[str, str] = {}
    items: dict[str, str] = {}
    for group, item, label in spec.fields:
        group_label, _, item_label = label.partition("·")
        groups.setdefault(group, group_label)
        items.setdefault(item, item_label)
    rows = [
        (
            groups[g],
            [form[f"{g}__{i}"] if f"{g}__{i}" in form.fields else None for i in items],
        )
        for g in groups
    ]
    return {"columns": list(items.values()), "rows": rows}
