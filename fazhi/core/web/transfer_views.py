"""Excel import (with a template to download) and export of a ledger."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from fazhi.core.imports.writing import write_template, write_xlsx
from fazhi.core.records.bulk import import_file
from fazhi.core.tenancy.access import units_where
from fazhi.core.tenancy.roles import Permission
from fazhi.core.web.views import ledger_or_404, record_list_queryset
from fazhi.core.workflow import ActionError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


class ImportForm(forms.Form):
    unit = forms.ChoiceField(label="导入到单位")
    file = forms.FileField(label="台账文件（.xlsx 或 .csv）")
    dry_run = forms.BooleanField(label="仅检查，不写入", required=False)

    def clean_file(self) -> object:
        f = self.cleaned_data["file"]
        limit = settings.FAZHI_MAX_UPLOAD_BYTES
        if f.size > limit:
            raise forms.ValidationError(
                f"文件过大（{f.size / 1024 / 1024:.1f} MB），上限为 {limit // 1024 // 1024} MB"
            )
        return f


@login_required
def import_view(request: HttpRequest, slug: str) -> HttpResponse:
    ledger = ledger_or_404(slug)
    if ledger.import_view:
        return redirect(ledger.import_view)
    units = units_where(request.user, Permission.REGISTER)
    if not units:
        raise Http404("没有可导入的单位")
    form = ImportForm(request.POST or None, request.FILES or None)
    unit_field = form.fields["unit"]
    assert isinstance(unit_field, forms.ChoiceField)
    unit_field.choices = [(u.code, u.name) for u in units]
    outcome = None
    if request.method == "POST" and form.is_valid():
        unit = next(u for u in units if u.code == form.cleaned_data["unit"])
        upload = form.cleaned_data["file"]
        try:
            outcome = import_file(
                ledger.ledger,
                ledger.import_declaration,
                unit=unit,
                by=request.user,
                data=upload.file,
                filename=upload.name,
                dry_run=form.cleaned_data["dry_run"],
            )
        except ActionError as exc:
            form.add_error(None, exc.message)
    return render(request, "web/import.html", {"ledger": ledger, "form": form, "outcome": outcome})


@login_required
def template_view(request: HttpRequest, slug: str) -> HttpResponse:
    ledger = ledger_or_404(slug)
    content = write_template(ledger.import_declaration.spec)
    return attachment(content, f"{ledger.name}导入模板.xlsx", XLSX)


@login_required
def export_view(request: HttpRequest, slug: str) -> HttpResponse:
    ledger = ledger_or_404(slug)
    qs = record_list_queryset(request, ledger)
    headers, rows = ledger.export(qs)
    content = write_xlsx(headers, rows, sheet_title=ledger.name[:31])
    stamp = timezone.localdate().isoformat()
    return attachment(content, f"{ledger.name}台账-{stamp}.xlsx", XLSX)
