"""The corrections that take only a reason: void a record, undo its last move, remove a child
row. Each page is done once (once.py), as the move forms are."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from fazhi.core.records import corrections
from fazhi.core.records.clocks import events_of
from fazhi.core.tenancy.access import access_for
from fazhi.core.tenancy.names import display_name
from fazhi.core.web import once
from fazhi.core.web.forms import ReasonForm
from fazhi.core.web.registry import LedgerUI
from fazhi.core.web.views import _answers_voided, _record, apply_form_error, ledger_or_404
from fazhi.core.workflow import ActionError


def _reasoned_view(
    request: HttpRequest,
    slug: str,
    pk: int,
    *,
    title: str,
    confirm: str,
    run: Any,
    blocked: Any,
    back_to_list: bool = False,
    lead: Any = None,
) -> HttpResponse:
    """A correction that takes only a reason; `back_to_list` when the record leaves the lists.
    Done once per page, as the moves (once.py): a replayed POST is told so, not run again on
    what the record has become (a second 撤销上一步 would take back the step before). `lead`
    says on the page what will be done; `step` is the id it names, sent back with the form."""
    ui = ledger_or_404(slug)
    record = _record(request, ui, pk)
    posted = request.method == "POST"
    reason = blocked(ui, record)
    if reason and not (posted and once.seen(request)):
        messages.error(request, reason)
        return redirect("web:detail", slug=slug, pk=pk)
    form = ReasonForm(request.POST or None)
    done = (
        reverse("web:list", args=[slug]) if back_to_list else reverse("web:detail", args=[slug, pk])
    )
    if posted and form.is_valid():
        try:
            with transaction.atomic():
                claimed = once.claim(request)
                run(ui, record, form.cleaned_data["reason"])
                once.done(claimed, done)
        except once.Duplicate:
            messages.warning(request, once.DUPLICATE_MESSAGE)
            return redirect("web:detail", slug=slug, pk=pk)
        except ActionError as exc:
            apply_form_error(form, exc)
        else:
            messages.success(request, f"已{title}")
            return redirect(done)
    shown, step = lead(ui, record) if lead is not None else ("", None)
    return render(
        request,
        "web/reason.html",
        {
            "ledger": ui,
            "record": record,
            "form": form,
            "title": title,
            "confirm": confirm,
            "lead": shown,
            "step": step,
        },
    )


@login_required
@_answers_voided
def record_void(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _reasoned_view(
        request,
        slug,
        pk,
        title="作废",
        confirm="作废后本记录将不再出现在台账、待办和统计中（审计日志保留）。确认作废？",
        run=lambda ui, record, reason: corrections.void(
            ui.ledger, record, by=request.user, reason=reason
        ),
        blocked=lambda ui, record: (
            None
            if access_for(request.user).can(record.unit_id, ui.ledger.void_permission)
            else "您没有作废记录的权限"
        ),
        back_to_list=True,
    )


@login_required
@_answers_voided
def record_undo(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _reasoned_view(
        request,
        slug,
        pk,
        title="撤销上一步",
        confirm="撤销后，该环节在办理过程中标为“已撤销”，记录回到此前的状态。确认撤销？",
        run=lambda ui, record, reason: corrections.undo(
            ui.ledger, record, by=request.user, reason=reason, step=_posted_step(request)
        ),
        blocked=lambda ui, record: corrections.undo_blocked(
            ui.ledger, record, events_of(record), request.user
        ),
        lead=_undo_lead,
    )


def _posted_step(request: HttpRequest) -> int | None:
    """The step the undo page named (None from a page without it: an old page, a script)."""
    value = str(request.POST.get("step", ""))
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


def _undo_lead(ui: LedgerUI, record: Any) -> tuple[str, int | None]:
    """「将撤销：回访（2026-12-07，张三，录入于 2026-12-07 05:20）」 and that step's id."""
    found = corrections.last_move(ui.ledger, events_of(record))
    if found is None:
        return "", None
    event, move = found
    parts = [f"{event.on:%Y-%m-%d}"]
    if event.by_id is not None:
        parts.append(display_name(event.by))
    if event.at is not None:
        parts.append(f"录入于 {timezone.localtime(event.at):%Y-%m-%d %H:%M}")
    return f"将撤销：{move.label}（{'，'.join(parts)}）", event.pk


@login_required
@_answers_voided
def child_remove(request: HttpRequest, slug: str, pk: int, child: str, cid: int) -> HttpResponse:
    ui = ledger_or_404(slug)
    record = _record(request, ui, pk)
    spec = ui.ledger.child(child)
    if spec is None:
        raise Http404("未找到该页面")
    try:
        row = spec.model._default_manager.get(record=record, pk=cid, removed_at__isnull=True)
    except (spec.model.DoesNotExist, ValueError) as exc:
        raise Http404("未找到该记录") from exc
    return _reasoned_view(
        request,
        slug,
        pk,
        title=f"删除{spec.label}",
        confirm=f"确认删除这条{spec.label}？删除后仍保留在审计日志中。",
        run=lambda ui, record, reason: corrections.remove_child(
            ui.ledger, spec, row, by=request.user, reason=reason
        ),
        blocked=lambda ui, record: (
            None
            if access_for(request.user).can(record.unit_id, spec.permission)
            else f"您没有删除{spec.label}的权限"
        ),
    )
