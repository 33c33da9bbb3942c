"""The audit trail on screen (审计日志): leaders, supervisors and admins browse the events of
the units where they hold `Permission.AUDIT`, filter them, and export them to .xlsx.

Every list starts at `AuditEvent.objects.visible_to(user)`; the filters only narrow it. A record
named in the filter is resolved through its ledger's door first, so a forged id answers "未找到"
and lists nothing. Users without AUDIT anywhere get the 404 of a missing page.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from fazhi.core.attachments.models import audit_object_type
from fazhi.core.audit.catalogue import code_groups, ledger_of_object, object_types
from fazhi.core.audit.display import iter_rows, rows
from fazhi.core.audit.models import AuditEvent, AuditScope, audit_scope
from fazhi.core.imports.writing import write_xlsx
from fazhi.core.records.ledger import Ledger, ledgers
from fazhi.core.tenancy.access import access_for
from fazhi.core.tenancy.roles import Permission
from fazhi.core.web import html
from fazhi.core.web.paging import CappedPaginator
from fazhi.core.web.transfer_views import XLSX, attachment

PAGE_SIZE = 50
# The pages reach the newest 10 000 events of a filter: counting (and OFFSET-ing) millions of
# rows on every page load would cost more than the page; dates narrow a search further.
PAGE_CAP = 10_000
EARLIEST_YEAR = 1900
NO_UNIT = "-"  # the unit filter's value for the events of no unit
CODE = re.compile(r"[a-z0-9_]+(?:\.[a-z0-9_]+)*")
CELL_MAX = 32_000  # Excel holds at most 32 767 characters in a cell
EXPORT_HEADERS = [
    "序号",
    "时间",
    "事件",
    "事件代码",
    "操作人",
    "登录名",
    "单位",
    "单位代码",
    "对象",
    "对象类型",
    "对象ID",
    "内容",
]


def _record_types(ledger: Ledger) -> list[str]:
    """A record's full audit: its own events and its attachments'."""
    return [ledger.audit_object, audit_object_type(ledger.slug)]


def _date(value: str, label: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise forms.ValidationError(
            f"{label}「{value[:20]}」不是有效日期，请按 2026-03-01 的格式填写"
        ) from None
    if day.year < EARLIEST_YEAR:  # no event is that old; year 1 would not survive the time zone
        raise forms.ValidationError(f"{label}「{value}」早于{EARLIEST_YEAR}年，请核对")
    return day


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class AuditFilter(forms.Form):
    unit = forms.CharField(label="单位", required=False, max_length=64)
    code = forms.CharField(label="事件", required=False, max_length=100)
    actor = forms.CharField(label="操作人", required=False, max_length=150)
    number = forms.CharField(label="记录编号", required=False, max_length=64)
    object_type = forms.CharField(label="对象类型", required=False, max_length=64)
    object_id = forms.CharField(label="对象ID", required=False, max_length=64)
    start = forms.CharField(label="起始日期", required=False, max_length=20)
    end = forms.CharField(label="截止日期", required=False, max_length=20)

    def __init__(self, data: Any, *, user: Any) -> None:
        super().__init__(data)
        self.user = user
        self.scope = audit_scope(user)
        self.records: list[tuple[Ledger, int]] = []  # what the number names

    def clean_unit(self) -> str:
        value: str = self.cleaned_data["unit"]
        known = {u.code for u in self.scope.units}
        if value and value not in known and not (value == NO_UNIT and self.scope.system):
            raise forms.ValidationError(f"未找到单位「{value}」，或您无权查看该单位的审计日志")
        return value

    def _code(self, name: str, what: str) -> str:
        value: str = self.cleaned_data[name]
        if value and not CODE.fullmatch(value):
            raise forms.ValidationError(
                f"{what}「{value}」格式不正确：应为小写字母、数字、下划线和点，"
                "如 disclosure.application.replied"
            )
        return value

    def clean_code(self) -> str:
        return self._code("code", "事件代码")

    def clean_object_type(self) -> str:
        return self._code("object_type", "对象类型")

    def clean_start(self) -> dt.date | None:
        return _date(self.cleaned_data["start"], "起始日期")

    def clean_end(self) -> dt.date | None:
        return _date(self.cleaned_data["end"], "截止日期")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "截止日期早于起始日期")
        kind, oid = data.get("object_type"), data.get("object_id", "").strip()
        data["object_id"] = oid
        if oid and not kind and "object_type" not in self.errors:
            self.add_error("object_type", "按对象ID筛选时，请同时选择对象类型")
        ledger = ledger_of_object(kind) if kind else None
        if ledger is not None and oid and not self._visible(ledger, oid):
            self.add_error("object_id", f"未找到{ledger.name}（ID {oid[:20]}），或您无权查看")
        number = data.get("number", "").strip()
        data["number"] = number
        if number:
            self.records = [
                (lg, pk)
                for lg in ledgers()
                for pk in lg.model.with_voided.visible_to(self.user)
                .filter(number=number)
                .values_list("pk", flat=True)
            ]
            if not self.records:
                self.add_error("number", f"未找到编号为「{number}」的记录，或您无权查看")
        return data

    def _visible(self, ledger: Ledger, oid: str) -> bool:
        if not (oid.isascii() and oid.isdigit()) or len(oid) > 18:
            return False
        return bool(ledger.model.with_voided.visible_to(self.user).filter(pk=int(oid)).exists())

    def apply(self, qs: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        """Narrow events already through the door by the (valid) filters."""
        d = self.cleaned_data
        if d["unit"]:
            qs = qs.filter(unit_code="" if d["unit"] == NO_UNIT else d["unit"])
        if d["code"]:
            qs = qs.filter(code=d["code"])
        actor = d["actor"].strip()
        if actor:
            qs = qs.filter(_actor_q(actor))
        if d["object_type"]:
            ledger = ledger_of_object(d["object_type"])
            types = _record_types(ledger) if ledger else [d["object_type"]]
            qs = qs.filter(object_type__in=types)
            if d["object_id"]:
                qs = qs.filter(object_id=d["object_id"])
        if d["number"]:
            named = Q()
            for lg, pk in self.records:
                named |= Q(object_type__in=_record_types(lg), object_id=str(pk))
            qs = qs.filter(named)
        if d["start"]:
            qs = qs.filter(at__gte=_local_midnight(d["start"]))
        if d["end"] and d["end"] < dt.date.max:
            qs = qs.filter(at__lt=_local_midnight(d["end"] + dt.timedelta(days=1)))
        return qs


def _actor_q(text: str) -> Q:
    """Events by the accounts whose login is `text` or whose real name contains it; "系统" the
    command line's. Accounts are deactivated, never deleted, so every author is found."""
    users = get_user_model().objects.filter(
        Q(username__iexact=text) | Q(first_name__icontains=text)
    )
    # The ids as a list, not a subquery: PostgreSQL would plan the semi-join blind and walk the
    # whole time index for an actor with few events.
    q = Q(actor_id__in=list(users.values_list("pk", flat=True)))
    if text == "系统":
        q |= Q(actor_id__isnull=True)
    return q


def _unit_options(scope: AuditScope, chosen: str) -> SafeString:
    """Units in tree order, indented below the reader's top unit; then the events of no unit."""
    top = min((u.path.count("/") for u in scope.units), default=0)
    units = [(u.code, "　" * (u.path.count("/") - top) + u.name) for u in scope.units]
    if scope.system:
        units.append((NO_UNIT, "（无单位：系统事件）"))
    return html.options(units, chosen)


def _code_options(chosen: str) -> SafeString:
    groups = code_groups()
    out = format_html_join(
        "",
        '<optgroup label="{}">{}</optgroup>',
        (
            (g.label, html.options(((c, f"{label}（{c}）") for c, label in g.codes), chosen))
            for g in groups
        ),
    )
    # A code nobody named (from a link, a newer app) stays selectable as it is.
    if chosen and chosen not in {c for g in groups for c, _ in g.codes}:
        out += html.options([(chosen, chosen)], chosen)
    return out


def _type_options(chosen: str) -> SafeString:
    types = [(t, f"{label}（{t}）") for t, label in object_types()]
    if chosen and chosen not in {t for t, _ in types}:
        types.append((chosen, chosen))
    return html.options(types, chosen)


def _require_auditor(request: HttpRequest) -> None:
    if not access_for(request.user).can_anywhere(Permission.AUDIT):
        raise Http404("未找到该页面")


def _query(request: HttpRequest) -> str:
    return urlencode({k: v for k, v in request.GET.items() if k != "page" and v})


def _filtered(request: HttpRequest) -> tuple[AuditFilter, QuerySet[AuditEvent]]:
    form = AuditFilter(request.GET, user=request.user)
    events = AuditEvent.objects.visible_to(request.user)
    return form, (form.apply(events) if form.is_valid() else events.none())


def _errors(form: AuditFilter) -> list[str]:
    return [str(message) for field in form.errors.values() for message in field]


@login_required
def audit_events(request: HttpRequest) -> HttpResponse:
    _require_auditor(request)
    form, events = _filtered(request)
    paginator = CappedPaginator(events, PAGE_SIZE, PAGE_CAP)
    page = paginator.get_page(request.GET.get("page"))
    value = form.data.get
    f = {name: str(value(name, "")) for name in form.fields}
    return render(
        request,
        "audit/events.html",
        {
            "rows": rows(request.user, list(page.object_list)),
            "page": page,
            "capped": paginator.capped,
            "cap": PAGE_CAP,
            "total": paginator.count,
            "query": _query(request),
            "errors": _errors(form),
            "unit_options": _unit_options(form.scope, f["unit"]),
            "code_options": _code_options(f["code"]),
            "type_options": _type_options(f["object_type"]),
            "f": f,
        },
    )


@login_required
def audit_export(request: HttpRequest) -> HttpResponse:
    _require_auditor(request)
    form, events = _filtered(request)
    page = f"{reverse('web:audit')}?{_query(request)}"
    if form.errors:  # the page says what is wrong
        return redirect(page)
    limit = settings.FAZHI_AUDIT_EXPORT_MAX_ROWS
    if events.order_by()[: limit + 1].count() > limit:
        messages.error(
            request,
            f"符合条件的审计事件超过 {limit} 条，无法一次导出。请缩小日期范围或增加筛选条件后再导出。",
        )
        return redirect(page)
    table = (
        [
            r.event.pk,
            r.at,
            r.code_label or r.event.code,
            r.event.code,
            r.actor_name,
            r.event.actor,
            r.unit_name,
            r.event.unit_code,
            r.object_label,
            r.event.object_type,
            r.event.object_id,
            r.detail[:CELL_MAX],
        ]
        for r in iter_rows(request.user, events.iterator(chunk_size=2000))
    )
    stamp = timezone.localdate().isoformat()
    return attachment(
        write_xlsx(EXPORT_HEADERS, table, sheet_title="审计日志"), f"审计日志-{stamp}.xlsx", XLSX
    )
