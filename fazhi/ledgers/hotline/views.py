"""The hotline's own pages: import with a saved header mapping (a background task with its
progress page), the mappings (edited with a preview of a file's first rows), the ranking."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fazhi.core.metrics import evaluate_by_unit, get_indicator, ranked
from fazhi.core.tasks.actions import start_task
from fazhi.core.tenancy.access import get_for_user_or_404, units_where, visible_units
from fazhi.core.tenancy.roles import Permission
from fazhi.core.web.forms import FazhiForm
from fazhi.core.web.stats import year_param
from fazhi.core.workflow import ActionError
from fazhi.ledgers.hotline import importing
from fazhi.ledgers.hotline.columns import BY_KEY, FIELDS, normalise_header, own_mapping
from fazhi.ledgers.hotline.indicators import SUMMARY
from fazhi.ledgers.hotline.models import HeaderMapping, WorkOrder
from fazhi.ledgers.hotline.stream import StreamError

OWN = "__own__"
AUTO = "__auto__"


def _mappings(user: Any) -> Any:
    return HeaderMapping.objects.visible_to(user).select_related("unit")


class ImportForm(FazhiForm):
    unit = forms.ChoiceField(label="导入到单位")
    mapping = forms.ChoiceField(label="表头映射")
    file = forms.FileField(label="工单文件（.xlsx 或 .csv，UTF-8 或 GB18030）")
    dry_run = forms.BooleanField(label="仅检查，不写入", required=False)


def _save_upload(upload: Any) -> Path:
    folder = Path(settings.MEDIA_ROOT) / "hotline-imports"
    folder.mkdir(parents=True, exist_ok=True)
    suffix = Path(upload.name).suffix.lower()[:8]
    with tempfile.NamedTemporaryFile("wb", dir=folder, suffix=suffix, delete=False) as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return Path(out.name)


@login_required
def import_view(request: HttpRequest) -> HttpResponse:
    units = units_where(request.user, Permission.REGISTER)
    if not units:
        raise Http404("没有可导入的单位")
    mappings = list(_mappings(request.user).filter(unit__in=units))
    form = ImportForm(request.POST or None, request.FILES or None)
    form.fields["unit"].choices = [(u.code, u.name) for u in units]  # type: ignore[attr-defined]
    form.fields["mapping"].choices = [  # type: ignore[attr-defined]
        (AUTO, "自动识别（本系统表头，或与文件表头相符的已保存映射）"),
        (OWN, "本系统表头（无需映射）"),
    ] + [(str(m.pk), f"{m.name}（{m.unit.name}）") for m in mappings]
    if request.method == "POST" and form.is_valid():
        unit = next(u for u in units if u.code == form.cleaned_data["unit"])
        choice = form.cleaned_data["mapping"]
        saved = next((m for m in mappings if str(m.pk) == choice), None)
        columns = dict(saved.columns) if saved else (own_mapping() if choice == OWN else None)
        upload = form.cleaned_data["file"]
        path = _save_upload(upload)
        with transaction.atomic():
            run = start_task(
                "hotline_import",
                by=request.user,
                unit=unit,
                title=f"导入12345热线工单：{upload.name}",
                path=str(path),
                filename=upload.name,
                unit_code=unit.code,
                user_id=request.user.pk,
                mapping=columns,
                mapping_name=saved.name if saved else "",
                dry_run=form.cleaned_data["dry_run"],
            )
        return redirect("tasks:detail", pk=run.pk)
    return render(request, "hotline/import.html", {"form": form, "mappings": mappings})


MAPPING_NAME_LENGTH = 50  # shown in the import's choice list and its outcome (model: 100)


class MappingForm(FazhiForm):
    unit = forms.ChoiceField(label="所属单位")
    name = forms.CharField(
        label="映射名称",
        max_length=MAPPING_NAME_LENGTH,
        help_text=f"如：区12345平台导出（最多{MAPPING_NAME_LENGTH}个字）",
        error_messages={
            "max_length": f"映射名称最多{MAPPING_NAME_LENGTH}个字，请缩短后保存",
            "required": "请填写映射名称",
        },
    )
    preview = forms.FileField(label="样例文件（可选，显示表头和前几行）", required=False)

    def clean(self) -> dict[str, Any]:
        """One platform header feeds one field: mapped to two, the import would read the same
        column as both (a 工单号 as the 诉求内容) without a word."""
        data = super().clean() or {}
        fields_of: dict[str, list[str]] = {}
        for f in FIELDS:
            header = data.get(f"col_{f.key}") or ""
            if normalise_header(header):
                fields_of.setdefault(normalise_header(header), []).append(f.key)
        for keys in fields_of.values():
            if len(keys) > 1:
                labels = "」「".join(BY_KEY[k].label for k in keys)
                header = data[f"col_{keys[0]}"]
                for k in keys[1:]:
                    self.add_error(
                        f"col_{k}",
                        f"表头「{header}」同时对应了「{labels}」，一个表头只能对应一个字段，"
                        "请改为样例文件中的另一列或留空",
                    )
        return data


def _mapping_fields(form: forms.Form, initial: dict[str, str]) -> None:
    for f in FIELDS:
        form.fields[f"col_{f.key}"] = forms.CharField(
            label=f"{f.label}{'（必填）' if f.required else ''}",
            required=False,
            max_length=100,
            initial=initial.get(f.key, f.label),
            help_text=f.help,
        )


@login_required
def mapping_view(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    units = units_where(request.user, Permission.REGISTER)
    if not units:
        raise Http404("没有可设置的单位")
    # Edited only where the user may import (a supervisor sees, and may not change, a mapping).
    editable = _mappings(request.user).filter(unit__in=units)
    mapping = get_for_user_or_404(editable, request.user, pk=pk) if pk else None
    initial = dict(mapping.columns) if mapping else own_mapping()
    form = MappingForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "name": mapping.name if mapping else "",
            "unit": mapping.unit.code if mapping else "",
        },
    )
    form.fields["unit"].choices = [(u.code, u.name) for u in units]  # type: ignore[attr-defined]
    _mapping_fields(form, initial)
    headers: list[str] = []
    rows: list[list[str]] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("preview")
        if upload is not None:
            path = _save_upload(upload)
            try:
                headers, rows = importing.preview(path, upload.name)
            except StreamError as exc:
                form.add_error("preview", str(exc))
            finally:
                path.unlink(missing_ok=True)
        if "save" in request.POST and not form.errors:
            unit = next(u for u in units if u.code == form.cleaned_data["unit"])
            columns = {
                f.key: form.cleaned_data[f"col_{f.key}"]
                for f in FIELDS
                if form.cleaned_data[f"col_{f.key}"]
            }
            try:
                with transaction.atomic():
                    target = mapping or HeaderMapping(unit=unit)
                    target.unit, target.name, target.columns = (
                        unit,
                        form.cleaned_data["name"],
                        columns,
                    )
                    target.updated_by = request.user
                    target.save()
            except IntegrityError:
                form.add_error("name", "本单位已有同名的表头映射")
            else:
                return redirect("hotline:mapping", pk=target.pk)
    known = {normalise_header(h) for h in headers}
    missing = [
        (f, form[f"col_{f.key}"].value() or "")
        for f in FIELDS
        if headers and normalise_header(form[f"col_{f.key}"].value() or "") not in known
    ]
    return render(
        request,
        "hotline/mapping.html",
        {
            "form": form,
            "mapping": mapping,
            "mappings": list(_mappings(request.user)),
            "headers": headers,
            "rows": rows,
            "missing_required": [(f.label, h) for f, h in missing if f.required],
            "missing_optional": "、".join(f.label for f, _ in missing if not f.required),
        },
    )


@login_required
def ranking_view(request: HttpRequest) -> HttpResponse:
    """The supervisor's ranking of the units they see, by one indicator, for a year."""
    year = year_param(request)
    code = request.GET.get("by", "hotline.on_time_rate")
    if code not in SUMMARY:
        code = "hotline.on_time_rate"
    qs = WorkOrder.objects.visible_to(request.user)
    figures = evaluate_by_unit(SUMMARY, qs, year)
    units = {u.pk: u for u in visible_units(request.user)}
    rows = [
        (units[uid], [found.get(c) for c in SUMMARY])
        for uid, found in figures.items()
        if uid in units
    ]
    index = SUMMARY.index(code)
    table = [(n, unit, found) for n, (unit, found) in ranked(rows, lambda row: row[1][index])]
    return render(
        request,
        "hotline/ranking.html",
        {
            "year": year,
            "code": code,
            "indicators": [get_indicator(c) for c in SUMMARY],
            "table": table,
        },
    )


__all__ = ["ActionError", "import_view", "mapping_view", "ranking_view"]
