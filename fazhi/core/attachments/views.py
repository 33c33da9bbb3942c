"""Download, add and remove attachments. Stored files are served here and nowhere else.

Each view goes through two doors: the attachment's unit (`visible_to`) and the owning ledger's
own resolver for the record. A file of another unit answers exactly like a missing one.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from fazhi.core.attachments.actions import add_attachment, remove_attachment
from fazhi.core.attachments.models import NOTE_MAX, Attachment
from fazhi.core.attachments.owners import OwnedRecord, resolve_record
from fazhi.core.attachments.queries import ACCEPT_ATTR
from fazhi.core.attachments.sniff import ACCEPTED, human_size
from fazhi.core.tenancy.access import access_for, get_for_user_or_404
from fazhi.core.tenancy.roles import Permission
from fazhi.core.workflow import ActionError

_MAX_BIGINT = 2**63 - 1
# Nothing a browser could run: a file opened from here stays inert even if it were rendered.
_DOWNLOAD_CSP = "default-src 'none'; sandbox"


class AddForm(forms.Form):
    file = forms.FileField(label="文件")
    note = forms.CharField(label="说明", required=False, max_length=NOTE_MAX)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ACCEPT_ATTR
        self.fields["file"].help_text = f"可上传：{ACCEPTED}；单个文件不超过 {_limit()}"


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label="删除原因", max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


def _limit() -> str:
    return human_size(settings.FAZHI_MAX_ATTACHMENT_BYTES)


def _positive_int(value: str | None) -> int | None:
    if value is None or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 0 < number <= _MAX_BIGINT else None


def _next_url(value: str | None) -> str:
    """Where to go back to: only a path on this site (no scheme, no host, no control chars)."""
    if (
        value
        and value.startswith("/")
        and not value.startswith(("//", "/\\"))
        and not re.search(r"[\x00-\x1f\x7f]", value)
        and url_has_allowed_host_and_scheme(value, allowed_hosts=set())
    ):
        return value
    return "/"


def _refused(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/error.html",
        {"title": "无权操作", "message": "您可以查看这些附件，但没有添加或删除附件的权限。"},
        status=403,
    )


def _removed(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/error.html",
        {"title": "附件已删除", "message": "该附件已被删除，文件内容已不再保存。"},
        status=404,
    )


def _attachment_or_404(request: HttpRequest, pk: int) -> tuple[Attachment, OwnedRecord]:
    attachment = get_for_user_or_404(Attachment.objects.select_related("unit"), request.user, pk=pk)
    record = resolve_record(attachment.owner, request.user, attachment.record_id)
    return attachment, record


def content_disposition(name: str) -> str:
    """An ASCII fallback for old clients, and the real name RFC 5987-encoded."""
    fallback = "".join(ch if ch.isascii() and ch.isprintable() else "_" for ch in name)
    fallback = fallback.replace("\\", "_").replace('"', "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


@login_required
def download(request: HttpRequest, pk: int) -> HttpResponseBase:
    attachment, _ = _attachment_or_404(request, pk)
    if attachment.is_removed:
        return _removed(request)
    try:
        fh = default_storage.open(attachment.storage_name, "rb")
    except FileNotFoundError as exc:
        raise Http404("未找到该附件") from exc
    response = FileResponse(fh, content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition(attachment.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = _DOWNLOAD_CSP
    return response


@login_required
def add(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    owner = source.get("owner", "")
    record_id = _positive_int(source.get("record_id"))
    raw_event = source.get("event_id") or None
    event_id = _positive_int(raw_event)
    if record_id is None or (raw_event is not None and event_id is None):
        raise Http404("未找到该记录")
    record = resolve_record(owner, request.user, record_id)
    if not access_for(request.user).can(record.unit.pk, Permission.HANDLE):
        return _refused(request)
    next_url = _next_url(source.get("next"))
    form = AddForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = add_attachment(
                unit=record.unit,
                owner=owner,
                record_id=record_id,
                event_id=event_id,
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ActionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"已添加附件「{added.name}」")
            return redirect(next_url)
    context = {
        "form": form,
        "record": record,
        "owner": owner,
        "record_id": record_id,
        "event_id": event_id,
        "next": next_url,
    }
    return render(request, "attachments/add.html", context)


@login_required
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    attachment, record = _attachment_or_404(request, pk)
    if attachment.is_removed:
        return _removed(request)
    if not access_for(request.user).can(attachment.unit_id, Permission.HANDLE):
        return _refused(request)
    source = request.POST if request.method == "POST" else request.GET
    next_url = _next_url(source.get("next"))
    form = RemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            remove_attachment(
                attachment=attachment, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ActionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"已删除附件「{attachment.name}」")
            return redirect(next_url)
    context = {"form": form, "attachment": attachment, "record": record, "next": next_url}
    return render(request, "attachments/remove.html", context)
