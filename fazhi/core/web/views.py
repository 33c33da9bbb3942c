"""Generic ledger pages: 待办, list, detail with every clock and the timeline, move forms,
register, and the corrections (correct, void, undo). Nothing here names a ledger.

Every page resolves records through the tenant door; a record of another unit is a 404.
"""

from __future__ import annotations

import datetime as dt
from functools import cache, wraps
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from fazhi.core.attachments.queries import attachments_for
from fazhi.core.audit.catalogue import record_audit_url
from fazhi.core.calendar.service import get_calendar
from fazhi.core.letters.queries import event_letters
from fazhi.core.metrics import evaluate_by_unit
from fazhi.core.records import corrections, options, queries
from fazhi.core.records.clocks import badge, badge_of, events_of, states
from fazhi.core.records.search import terms as search_terms
from fazhi.core.tenancy.access import (
    access_for,
    get_for_user_or_404,
    get_unit_for_user_or_404,
    units_where,
    visible_unit_names,
    with_units,
)
from fazhi.core.tenancy.roles import Permission
from fazhi.core.web import html, once
from fazhi.core.web.figures import describe_figure, figure_valid, filter_by_figure
from fazhi.core.web.forms import ReasonForm, backdate_field
from fazhi.core.web.paging import CappedPaginator
from fazhi.core.web.registry import Filter, LedgerUI, get_ledger, ledgers
from fazhi.core.web.timeline import timeline, with_files
from fazhi.core.workflow import ActionError, StepContext, available_moves, blocked_reason

PAGE_SIZE = 50
DUE_CHOICES = [("overdue", "逾期"), ("due_soon", "临期"), ("provisional", "期限暂定")]
# Voided records leave every list; these find them again (a number a voided record holds).
VOIDED_CHOICES = [("include", "含已作废"), ("only", "仅已作废")]


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
    several_units = len(access_for(request.user).unit_ids) > 1

    @cache  # one query per permission for the whole page, not one per ledger
    def acting(permission: Permission) -> list[int]:
        return [u.pk for u in units_where(request.user, permission)]

    sections = []
    for ui in ledgers():
        qs = ui.queryset().visible_to(request.user)
        summary = queries.unit_summary(ui.ledger, qs, today) if several_units else []
        if summary and ui.summary_indicators:
            figures = evaluate_by_unit(ui.summary_indicators, qs, today.year)
            summary = [
                queries.UnitSummary(
                    s.unit,
                    s.open,
                    s.overdue,
                    s.due_soon,
                    s.closed_this_year,
                    figures.get(s.unit.pk, {}),
                )
                for s in summary
            ]
        groups = []
        waiting = {w.label for w in ui.ledger.waiting}
        for label, items in queries.todo(ui.ledger, qs, today, acting).items():
            rows = [
                {
                    "record": r,
                    "cells": [ui.columns[i].value(r) for i in ui.todo_columns],
                    "due": _due_text(ui, r),
                }
                for r in items.order_by("due_on")[:100]
            ]
            if label in waiting and not rows:
                # Nothing handed to the user's units: most units never receive any (a 社区
                # has none below it), so an empty "waiting" group is noise, not reassurance.
                continue
            groups.append((label, rows, items.count()))
        sections.append(
            {
                "ledger": ui,
                "groups": groups,
                "todo_headers": [ui.columns[i].label for i in ui.todo_columns],
                "summary": summary,
                "summary_labels": [_indicator_name(c) for c in ui.summary_indicators],
                "summary_codes": list(ui.summary_indicators),
            }
        )
    from fazhi.core.submissions.queries import todo as submission_todo

    return render(
        request,
        "web/home.html",
        {
            "sections": sections,
            "today": today,
            "submission_todo": submission_todo(request.user, today),
        },
    )


def _indicator_name(code: str) -> str:
    from fazhi.core.metrics import get_indicator

    return f"本年{get_indicator(code).name}"


def _due_text(ui: LedgerUI, record: Any) -> str:
    if record.due_on is None:
        return "—"
    spec = ui.ledger.clock(record.due_kind)
    label = spec.label if spec else ""
    at = getattr(record, spec.due_at, None) if spec and spec.due_at else None
    shown = f"{timezone.localtime(at):%Y-%m-%d %H:%M}" if at else f"{record.due_on:%Y-%m-%d}"
    return f"{label} {shown}" + ("（暂定）" if record.due_provisional else "")


def query_param(request: HttpRequest, name: str) -> str:
    """A query parameter without NUL characters, which PostgreSQL text cannot hold (a 500)."""
    return request.GET.get(name, "").replace("\x00", "")


def _filter_due(ui: LedgerUI) -> Filter:
    def apply(qs: Any, value: str) -> Any:
        today = timezone.localdate()
        if value == "overdue":
            return queries.overdue(ui.ledger, qs, today)
        if value == "due_soon":
            return queries.due_soon(ui.ledger, qs, today)
        if value == "provisional":
            return qs.filter(due_provisional=True)
        return qs

    return Filter("due", "期限", lambda: DUE_CHOICES, apply)


def voided_too(request: HttpRequest) -> bool:
    """The list asks for voided records too (`?voided=include` or `only`)."""
    return query_param(request, "voided") in dict(VOIDED_CHOICES)


VOIDED_FILTER = Filter(
    "voided",
    "作废记录",
    lambda: VOIDED_CHOICES,
    lambda qs, v: qs.filter(voided_at__isnull=False) if v == "only" else qs,
)

FIGURE_FILTER = Filter(
    "figure", "统计数字", list, filter_by_figure, describe_figure, valid=figure_valid
)


def list_filters(ui: LedgerUI) -> list[Filter]:
    """The ledger's own filters plus the kit's: deadlines, voided records (a record voided is
    still reached through the door: its page opens), and the records behind a figure."""
    return [*ui.filters, _filter_due(ui), VOIDED_FILTER, FIGURE_FILTER]


def under_param(request: HttpRequest) -> Any:
    """`?under=CODE`: a unit and those below it (the dashboard's links), through the door: a
    unit the user cannot see is a 404, as on the dashboard."""
    code = query_param(request, "under")
    return get_unit_for_user_or_404(request.user, code) if code else None


def record_list_queryset(request: HttpRequest, ui: LedgerUI, base: Any = None) -> Any:
    """The list's records after the tenant door, the unit choice, filters and search; of
    `base` (default: the ledger's queryset, with the voided records when the list asks)."""
    if base is None:
        base = ui.queryset_with_voided() if voided_too(request) else ui.queryset()
    qs = base.visible_to(request.user)
    unit_code = query_param(request, "unit")
    if unit_code:
        qs = qs.filter(unit__code=unit_code)
    under = under_param(request)
    if under is not None:
        qs = qs.filter(unit__path__startswith=under.path)
    for f in list_filters(ui):
        value = query_param(request, f.name)
        if value:
            qs = f.apply(qs, value) if f.is_valid(value) else qs.none()
    for term in search_terms(query_param(request, "q")):
        qs = ui.search(qs, term)  # every word must match
    return qs


@login_required
def record_list(request: HttpRequest, slug: str) -> HttpResponse:
    ui = ledger_or_404(slug)
    qs = record_list_queryset(request, ui, ui.list_queryset(voided_too=voided_too(request)))
    only = ui.list_only()
    if only:
        qs = qs.only(*only)
    paginator = CappedPaginator(qs, PAGE_SIZE, settings.FAZHI_LIST_COUNT_CAP)
    page = paginator.get_page(request.GET.get("page"))
    today = timezone.localdate()
    # One reverse() for the page, not one per row (50 of them cost more than the rows' query).
    detail = reverse("web:detail", args=[ui.slug, 0]).removesuffix("0/")
    rows = html.record_rows(
        (
            (
                f"{detail}{r.pk}/",
                [c.value(r) for c in ui.columns],
                "已作废" if r.voided_at is not None else badge(ui.ledger, r, today),
            )
            for r in with_units(request.user, page.object_list)
        ),
        ui.badge_column,
    )
    params = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "web/list.html",
        {
            "ledger": ui,
            "rows": rows,
            "page": page,
            "several_units": len(access_for(request.user).unit_ids) > 1,
            "unit_options": html.options(
                visible_unit_names(request.user), query_param(request, "unit")
            ),
            "under": under_param(request),
            # Each filter's <option>s as markup built here (a template loop per option and an
            # {% if %} per option to mark the chosen one cost more than the rows).
            "filters": [
                (f, html.options(choices, value) if choices else "", value, described)
                for f in list_filters(ui)
                for value in [query_param(request, f.name)]
                for choices in [f.choices()]
                for described in [f.describe(value) if f.describe and value else value]
            ],
            "invalid": [
                (f.label, value)
                for f in list_filters(ui)
                for value in [query_param(request, f.name)]
                if value and not f.is_valid(value)
            ],
            "q": query_param(request, "q").strip(),
            "query": urlencode(params),
            "can_register": bool(units_where(request.user, Permission.REGISTER)),
            "options_unit": _options_units(request, ui)[:1],
            "total": paginator.count,
            "capped": paginator.capped,
        },
    )


class AlreadyVoided(Exception):
    """The record the user may see was voided meanwhile (e.g. a second 作废 from a stale tab):
    answered with that, not with the 404 of a record that never was."""

    def __init__(self, slug: str, pk: int) -> None:
        super().__init__(slug, pk)
        self.slug, self.pk = slug, pk


VOIDED_MESSAGE = "该记录已作废，本次操作未作任何更改"


def _record(request: HttpRequest, ui: LedgerUI, pk: int, *, voided_too: bool = False) -> Any:
    if voided_too:
        return get_for_user_or_404(ui.queryset_with_voided(), request.user, pk=pk)
    try:
        return get_for_user_or_404(ui.queryset(), request.user, pk=pk)
    except Http404:
        voided = get_for_user_or_404(ui.queryset_with_voided(), request.user, pk=pk)
        if voided.voided_at is None:
            raise
        raise AlreadyVoided(ui.slug, pk) from None


def _answers_voided(view: Any) -> Any:
    """A page of a live record, reached for one voided since: say so and show the record."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response: HttpResponse = view(request, *args, **kwargs)
        except AlreadyVoided as voided:
            messages.warning(request, VOIDED_MESSAGE)
            return redirect("web:detail", slug=voided.slug, pk=voided.pk)
        return response

    return wrapped


@login_required
def record_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    ui = ledger_or_404(slug)
    record = _record(request, ui, pk, voided_too=True)
    access = access_for(request.user)
    today = timezone.localdate()
    events = events_of(record)

    def can(p: Permission) -> bool:
        return access.can(record.unit_id, p)

    voided = record.voided_at is not None
    moves = (
        [] if voided else available_moves(ui.ledger.moves, record, events, request.user, can=can)
    )
    clocks: list[dict[str, Any]] = [
        {"state": st, "badge": badge_of(st, today)}
        for st in states(ui.ledger, record, events, get_calendar(), today)
        if not st.stopped and (st.live or record.status in st.spec.runs)
    ]
    undoable = None
    if not voided and corrections.undo_blocked(ui.ledger, record, events, request.user) is None:
        undoable = corrections.last_move(ui.ledger, events)
    attachments = None if voided else attachments_for(ui.slug, record.pk, request.user)
    steps = timeline(ui, record)
    if attachments is not None:
        every = list(record.events.all())
        letters = event_letters(ui.slug, record, every, request.user)
        steps = with_files(steps, attachments.by_event, letters)
    return render(
        request,
        "web/detail.html",
        {
            "ledger": ui,
            "record": record,
            "voided": voided,
            "details": ui.details(record, request),
            "timeline": steps,
            "clocks": clocks,
            "current": next((c for c in clocks if c["state"].spec.code == record.due_kind), None),
            "pending": [a.label for a in ui.ledger.approvals if a.pending(events)],
            "moves": moves,
            "undoable": undoable[1] if undoable else None,
            "can_correct": not voided
            and ui.correct_form is not None
            and can(ui.ledger.correct_permission),
            "can_void": not voided and can(ui.ledger.void_permission),
            "children": _children(ui, record, can, voided),
            "attachments": attachments,
            "audit_url": record_audit_url(ui.ledger, record.pk) if can(Permission.AUDIT) else "",
        },
    )


@login_required
@_answers_voided
def record_move(request: HttpRequest, slug: str, pk: int, move: str) -> HttpResponse:
    ui = ledger_or_404(slug)
    record = _record(request, ui, pk)
    spec = ui.ledger.by_code.get(move)
    move_form = ui.move_forms.get(move)
    if spec is None or move_form is None:
        raise Http404("未找到该操作")
    access = access_for(request.user)
    ctx = StepContext(record, events_of(record), request.user, timezone.localdate())
    reason = blocked_reason(spec, ctx, can=lambda p: access.can(record.unit_id, p), dated_too=False)
    if reason:
        messages.error(request, reason)
        return redirect("web:detail", slug=slug, pk=pk)
    form_class: Any = move_form.form  # a FazhiForm: it takes the record it is for
    form = form_class(request.POST or None, initial={"on": timezone.localdate()}, record=record)
    form.fields["backdate_reason"] = backdate_field()
    if request.method == "POST" and not form.unavailable and form.is_valid():
        try:
            with transaction.atomic():
                claimed = once.claim(request)
                move_form.action(record, by=request.user, **form.cleaned_data)
                once.done(claimed, reverse("web:detail", args=[slug, pk]))
        except once.Duplicate:
            messages.warning(request, once.DUPLICATE_MESSAGE)
            return redirect("web:detail", slug=slug, pk=pk)
        except ActionError as exc:
            apply_form_error(form, exc)
        else:
            messages.success(request, f"已完成「{spec.label}」")
            return redirect("web:detail", slug=slug, pk=pk)
    return render(
        request, "web/move.html", {"ledger": ui, "record": record, "move": spec, "form": form}
    )


@login_required
def record_new(request: HttpRequest, slug: str) -> HttpResponse:
    ui = ledger_or_404(slug)
    units = units_where(request.user, Permission.REGISTER)
    if not units:
        raise Http404("没有可登记的单位")
    form = ui.register_form(request.POST or None, initial=ui.register_initial(timezone.localdate()))
    form.fields["unit"] = forms.ChoiceField(
        label=ui.unit_label, choices=[(u.code, u.name) for u in units], initial=units[0].code
    )
    form.order_fields(["unit"])
    form.fields["backdate_reason"] = backdate_field()
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        unit = next(u for u in units if u.code == data.pop("unit"))
        try:
            with transaction.atomic():
                claimed = once.claim(request)
                record = ui.register(unit=unit, by=request.user, **data)
                once.done(claimed, reverse("web:detail", args=[slug, record.pk]))
        except once.Duplicate as dup:
            messages.warning(request, once.DUPLICATE_MESSAGE + "（未重复登记）")
            return redirect(dup.url or reverse("web:list", args=[slug]))
        except ActionError as exc:
            apply_form_error(form, exc)
            _link_voided(request, ui, exc)
        else:
            messages.success(request, f"已登记：{record}")
            for note in ui.register_notes(record):
                messages.warning(request, note)
            return redirect("web:detail", slug=slug, pk=record.pk)
    return render(request, "web/new.html", {"ledger": ui, "form": form})


def _link_voided(request: HttpRequest, ui: LedgerUI, exc: ActionError) -> None:
    """A number a voided record holds: link to that record's page (it still opens)."""
    pk = getattr(exc, "voided_pk", None)
    if pk is None or not ui.queryset_with_voided().visible_to(request.user).filter(pk=pk).exists():
        return
    url = reverse("web:detail", args=[ui.slug, pk])
    messages.warning(
        request, format_html('占用该编号的是一条作废的记录：<a href="{}">查看该作废记录</a>', url)
    )


@login_required
@_answers_voided
def record_correct(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    ui = ledger_or_404(slug)
    record = _record(request, ui, pk)
    if ui.correct_form is None:
        raise Http404("该台账不支持更正")
    if not access_for(request.user).can(record.unit_id, ui.ledger.correct_permission):
        messages.error(request, "您没有更正登记信息的权限")
        return redirect("web:detail", slug=slug, pk=pk)
    initial = {
        name: _as_entered(field, getattr(record, name))
        for name, field in ui.correct_form.base_fields.items()
    }
    form = ui.correct_form(request.POST or None, initial=initial)
    form.fields["reason"] = ReasonForm.base_fields["reason"]
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        changes = {k: v for k, v in data.items() if v != initial.get(k)}
        try:
            with transaction.atomic():
                claimed = once.claim(request)
                corrections.correct(
                    ui.ledger, record, by=request.user, changes=changes, reason=reason
                )
                once.done(claimed, reverse("web:detail", args=[slug, pk]))
        except once.Duplicate:
            messages.warning(request, once.DUPLICATE_MESSAGE)
            return redirect("web:detail", slug=slug, pk=pk)
        except ActionError as exc:
            apply_form_error(form, exc)
        else:
            messages.success(request, "已更正登记信息")
            return redirect("web:detail", slug=slug, pk=pk)
    return render(
        request,
        "web/reason.html",
        {"ledger": ui, "record": record, "form": form, "title": "更正登记信息", "confirm": ""},
    )


def _as_entered(field: forms.Field, value: Any) -> Any:
    """A stored time as its form field gives it back (to the minute: an imported 来电时间 has
    seconds), so a field the user left alone is not a change."""
    if isinstance(field, forms.DateTimeField) and isinstance(value, dt.datetime):
        return value.replace(second=0, microsecond=0)
    return value


def _children(ui: LedgerUI, record: Any, can: Any, voided: bool) -> list[dict[str, Any]]:
    found = []
    for spec in ui.ledger.children:
        related = spec.model._default_manager.filter(record=record, removed_at__isnull=True)
        form_class = ui.child_forms.get(spec.code)
        allowed = not voided and can(spec.permission)
        mask = None if can(Permission.HANDLE) else ui.child_masks.get(spec.code)
        rows = []
        for row in related:
            masked = mask(row) if mask is not None else {}
            rows.append(
                (row, [_shown(masked[f]) if f in masked else _display(row, f) for f in spec.fields])
            )
        found.append(
            {
                "spec": spec,
                "headers": [ui.ledger_field_label(spec.model, f) for f in spec.fields],
                "rows": rows,
                "form": form_class(prefix=spec.code) if form_class and allowed else None,
                "can_remove": allowed,
            }
        )
    return found


def _display(row: Any, name: str) -> Any:
    shown = getattr(row, f"get_{name}_display", None)
    return _shown(shown() if callable(shown) else getattr(row, name))


def _shown(value: Any) -> Any:
    return "—" if value in (None, "") else value


@login_required
@_answers_voided
def child_add(request: HttpRequest, slug: str, pk: int, child: str) -> HttpResponse:
    ui = ledger_or_404(slug)
    record = _record(request, ui, pk)
    spec = ui.ledger.child(child)
    form_class = ui.child_forms.get(child)
    if spec is None or form_class is None or request.method != "POST":
        raise Http404("未找到该页面")
    form = form_class(request.POST, prefix=spec.code)
    if form.is_valid():
        try:
            with transaction.atomic():
                claimed = once.claim(request)
                corrections.add_child(
                    ui.ledger, spec, record, by=request.user, fields=form.cleaned_data
                )
                once.done(claimed, reverse("web:detail", args=[slug, pk]))
        except once.Duplicate:
            messages.warning(request, once.DUPLICATE_MESSAGE)
            return redirect("web:detail", slug=slug, pk=pk)
        except ActionError as exc:
            apply_form_error(form, exc)
        else:
            messages.success(request, f"已添加{spec.label}")
            return redirect("web:detail", slug=slug, pk=pk)
    return render(
        request,
        "web/child.html",
        {"ledger": ui, "record": record, "spec": spec, "form": form},
    )


def with_query(url: str, **params: Any) -> str:
    return f"{url}?{urlencode({k: v for k, v in params.items() if v not in (None, '')})}"


def _options_units(request: HttpRequest, ui: LedgerUI) -> list[Any]:
    """Units whose ledger options the user may set (their head's)."""
    if not ui.ledger.options:
        return []
    return units_where(request.user, options.PERMISSION)


@login_required
def record_options(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """台账设置: a unit's head chooses how the unit runs the ledger (each option: yes, no, or
    follow the upper unit)."""
    ui = ledger_or_404(slug)
    units = _options_units(request, ui)
    unit = next((u for u in units if u.code == code), None)
    if unit is None:
        raise Http404("未找到该单位")
    if request.method == "POST":
        changed = 0
        for state in options.states(ui.ledger, unit):
            raw = request.POST.get(state.option.key, "")
            if raw not in ("", "yes", "no"):
                messages.error(request, "设置值无效，请重新选择")
                return redirect("web:options", slug=slug, code=code)
            chosen = None if raw == "" else raw == "yes"
            try:
                changed += options.set_option(
                    ui.ledger, unit, state.option.key, chosen, by=request.user
                )
            except ActionError as exc:
                messages.error(request, exc.message)
                return redirect("web:options", slug=slug, code=code)
        messages.success(request, "设置已保存" if changed else "设置没有变化")
        return redirect("web:options", slug=slug, code=code)
    return render(
        request,
        "web/options.html",
        {"ledger": ui, "unit": unit, "units": units, "states": options.states(ui.ledger, unit)},
    )
