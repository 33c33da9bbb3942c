"""Generic ledger pages: 待办, list, detail with timeline and deadline, action forms, register.

Every page resolves records through the tenant door; a record of another unit is a 404.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from fazhi.core.tenancy.access import access_for, get_for_user_or_404, units_where, visible_units
from fazhi.core.tenancy.roles import Permission
from fazhi.core.web.registry import LedgerUI, get_ledger, ledgers
from fazhi.core.workflow import ActionError, available_moves, blocked_reason, moves_by_code

PAGE_SIZE = 50


def ledger_or_404(slug: str) -> LedgerUI:
    ledger = get_ledger(slug)
    if ledger is None:
        raise Http404("未找到该台账")
    return ledger


def apply_form_error(form: forms.Form, exc: ActionError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    sections = []
    for ledger in ledgers():
        qs = ledger.queryset().visible_to(request.user)
        groups = ledger.todo(qs, today)
        several_units = len(access_for(request.user).unit_ids) > 1
        sections.append(
            {
                "ledger": ledger,
                "groups": [
                    (label, list(items.order_by("due_on")[:100]), items.count())
                    for label, items in groups.items()
                ],
                # Supervisors compare their units at a glance.
                "summary": ledger.summary(qs, today) if ledger.summary and several_units else [],
            }
        )
    return render(request, "web/home.html", {"sections": sections, "today": today})


def query_param(request: HttpRequest, name: str) -> str:
    """A query parameter without NUL characters, which PostgreSQL text cannot hold (a 500)."""
    return request.GET.get(name, "").replace("\x00", "")


def record_list_queryset(request: HttpRequest, ledger: LedgerUI) -> Any:
    """The list's records after the tenant door, the unit choice, filters and search."""
    qs = ledger.queryset().visible_to(request.user)
    unit_code = query_param(request, "unit")
    if unit_code:
        qs = qs.filter(unit__code=unit_code)
    for f in ledger.filters:
        value = query_param(request, f.name)
        if value:
            qs = f.apply(qs, value)
    q = query_param(request, "q").strip()
    if q:
        qs = ledger.search(qs, q)
    return qs


@login_required
def record_list(request: HttpRequest, slug: str) -> HttpResponse:
    ledger = ledger_or_404(slug)
    qs = record_list_queryset(request, ledger)
    units = list(visible_units(request.user).order_by("path"))
    unit_code = request.GET.get("unit", "")
    q = request.GET.get("q", "").strip()
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [
        {
            "record": r,
            "cells": [c.value(r) for c in ledger.columns],
            "badge": ledger.badge(r, today),
        }
        for r in page.object_list
    ]
    params = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "web/list.html",
        {
            "ledger": ledger,
            "rows": rows,
            "page": page,
            "units": units,
            "unit_code": unit_code,
            "filters": [
                (f, f.choices(), value, f.describe(value) if f.describe and value else value)
                for f in ledger.filters
                for value in [query_param(request, f.name)]
            ],
            "q": q,
            "query": urlencode(params),
            "can_register": bool(units_where(request.user, Permission.REGISTER)),
            "total": page.paginator.count,
        },
    )


@login_required
def record_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    ledger = ledger_or_404(slug)
    record = get_for_user_or_404(ledger.queryset(), request.user, pk=pk)
    access = access_for(request.user)
    today = timezone.localdate()
    moves = available_moves(
        ledger.moves, record, request.user, can=lambda p: access.can(record.unit_id, p)
    )
    return render(
        request,
        "web/detail.html",
        {
            "ledger": ledger,
            "record": record,
            "details": ledger.details(record, request),
            "timeline": ledger.timeline(record),
            "current": ledger.deadline(record, today),
            "moves": moves,
            "notes": [text for _, fn in ledger.notes if (text := fn(record, today))],
        },
    )


@login_required
def record_move(request: HttpRequest, slug: str, pk: int, move: str) -> HttpResponse:
    ledger = ledger_or_404(slug)
    record = get_for_user_or_404(ledger.queryset(), request.user, pk=pk)
    spec = moves_by_code(ledger.moves).get(move)
    form_class = ledger.move_forms.get(move)
    if spec is None or form_class is None:
        raise Http404("未找到该操作")
    access = access_for(request.user)
    reason = blocked_reason(spec, record, request.user, can=lambda p: access.can(record.unit_id, p))
    if reason:
        messages.error(request, reason)
        return redirect("web:detail", slug=slug, pk=pk)
    form = form_class(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            ledger.run_move(move, record, form.cleaned_data, request.user)
        except ActionError as exc:
            apply_form_error(form, exc)
        else:
            messages.success(request, f"已完成「{spec.label}」")
            return redirect("web:detail", slug=slug, pk=pk)
    return render(
        request, "web/move.html", {"ledger": ledger, "record": record, "move": spec, "form": form}
    )


@login_required
def record_new(request: HttpRequest, slug: str) -> HttpResponse:
    ledger = ledger_or_404(slug)
    units = units_where(request.user, Permission.REGISTER)
    if not units:
        raise Http404("没有可登记的单位")
    form = ledger.register_form(request.POST or None, initial={"received_on": timezone.localdate()})
    form.fields["unit"] = forms.ChoiceField(
        label="受理单位", choices=[(u.code, u.name) for u in units], initial=units[0].code
    )
    form.order_fields(["unit"])
    if request.method == "POST" and form.is_valid():
        unit = next(u for u in units if u.code == form.cleaned_data["unit"])
        try:
            record = ledger.register(unit, request.user, form.cleaned_data)
        except ActionError as exc:
            apply_form_error(form, exc)
        else:
            messages.success(request, f"已登记：{record}")
            return redirect("web:detail", slug=slug, pk=record.pk)
    return render(request, "web/new.html", {"ledger": ledger, "form": form})


def with_query(url: str, **params: Any) -> str:
    return f"{url}?{urlencode({k: v for k, v in params.items() if v not in (None, '')})}"
