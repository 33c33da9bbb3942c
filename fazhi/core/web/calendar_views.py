"""The admin's calendar page: see each year, edit single days, load a State Council notice."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from fazhi.core.calendar.csvfile import parse_calendar_csv
from fazhi.core.calendar.models import DayKind
from fazhi.core.calendar.notice import NoticeError, check_complete, parse_notice
from fazhi.core.calendar.service import (
    last_recompute,
    loaded_year,
    loaded_years,
    replace_year,
    set_day,
    year_days,
)
from fazhi.core.tasks.models import TaskRun
from fazhi.core.tenancy.access import access_for
from fazhi.core.tenancy.roles import Permission


def _require_admin(request: HttpRequest) -> None:
    if not access_for(request.user).can_anywhere(Permission.MANAGE):
        raise Http404("未找到该页面")


class DayForm(forms.Form):
    date = forms.DateField(label="日期", help_text="如 2027-10-01")
    kind = forms.ChoiceField(
        label="类型", choices=[*DayKind.choices, ("remove", "恢复为普通日（删除）")]
    )
    name = forms.CharField(label="名称", required=False, max_length=64, help_text="如 国庆节")


class NoticeForm(forms.Form):
    text = forms.CharField(
        label="通知正文",
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=20000,
        help_text="粘贴国务院办公厅节假日安排通知全文，如：一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。",
    )


class CsvForm(forms.Form):
    file = forms.FileField(label="CSV 文件（列：date,kind,name）")


def _loaded(request: HttpRequest, year: int, days: int, run: TaskRun) -> HttpResponse:
    """After a whole year was loaded the admin follows the recompute on its task page."""
    messages.success(request, f"已载入{year}年节假日安排（{days}天），正在重新计算在办事项的期限")
    return redirect("tasks:detail", pk=run.pk)


@login_required
def calendar_view(request: HttpRequest, year: int | None = None) -> HttpResponse:
    _require_admin(request)
    year = year or timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise Http404("年份无效")
    day_form = DayForm(prefix="day")
    notice_form = NoticeForm(prefix="notice")
    csv_form = CsvForm(prefix="csv")
    if request.method == "POST":
        which = request.POST.get("form")
        try:
            if which == "day":
                day_form = DayForm(request.POST, prefix="day")
                if day_form.is_valid():
                    d: dt.date = day_form.cleaned_data["date"]
                    kind = day_form.cleaned_data["kind"]
                    set_day(
                        date=d,
                        kind=None if kind == "remove" else kind,
                        name=day_form.cleaned_data["name"],
                        by=request.user,
                    )
                    messages.success(request, f"已保存 {d.isoformat()}，正在重新计算在办事项的期限")
                    return redirect("web:calendar_year", year=d.year)
            elif which == "notice":
                notice_form = NoticeForm(request.POST, prefix="notice")
                if notice_form.is_valid():
                    days = parse_notice(notice_form.cleaned_data["text"], year)
                    check_complete(days)
                    run = replace_year(
                        year=year,
                        days=[(x.date, x.kind, x.name) for x in days],
                        source="国务院办公厅通知（网页粘贴）",
                        by=request.user,
                    )
                    return _loaded(request, year, len(days), run)
            elif which == "csv":
                csv_form = CsvForm(request.POST, request.FILES, prefix="csv")
                if csv_form.is_valid():
                    upload = csv_form.cleaned_data["file"]
                    if upload.size > settings.FAZHI_MAX_UPLOAD_BYTES:
                        raise NoticeError("文件过大")
                    days = [x for x in parse_calendar_csv(upload.read()) if x.date.year == year]
                    if not days:
                        raise NoticeError(f"文件中没有 {year} 年的日期")
                    run = replace_year(
                        year=year,
                        days=[(x.date, x.kind, x.name) for x in days],
                        source=f"CSV：{upload.name}",
                        by=request.user,
                    )
                    return _loaded(request, year, len(days), run)
        except (NoticeError, ValueError) as exc:
            messages.error(request, str(exc))
    loaded = loaded_year(year)
    return render(
        request,
        "web/calendar.html",
        {
            "year": year,
            "loaded": loaded,
            "days": year_days(year),
            "years": loaded_years(),
            "day_form": day_form,
            "notice_form": notice_form,
            "csv_form": csv_form,
            "prev": year - 1,
            "next": year + 1,
            "recompute": last_recompute(),
        },
    )
