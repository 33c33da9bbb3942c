"""Adding and removing attachments; each is one audited action."""

from __future__ import annotations

import os
import re
import unicodedata
import uuid
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from fazhi.core.attachments.models import NAME_MAX, NOTE_MAX, Attachment, audit_object_type
from fazhi.core.attachments.owners import is_owner, resolve_record
from fazhi.core.attachments.sniff import Refused, human_size, inspect
from fazhi.core.audit.models import record_event
from fazhi.core.masking import mask_id_numbers_in
from fazhi.core.tenancy.access import access_for
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.tenancy.roles import Permission
from fazhi.core.workflow import ActionError

__all__ = ["add_attachment", "clean_name", "remove_attachment"]

_MAX_BIGINT = 2**63 - 1


def clean_name(name: str) -> str:
    """The file name a user gave, fit to show: no folders, no control or direction characters
    (a right-to-left override can make "gpj.exe" look like "exe.jpg"), within the column."""
    name = unicodedata.normalize("NFC", name)
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in {"Cc", "Cf", "Zl", "Zp"})
    name = name.strip().strip(".").strip()
    if not name:
        return "附件"
    if len(name) > NAME_MAX:
        stem, ext = os.path.splitext(name)
        ext = ext if len(ext) <= 16 else ""
        name = stem[: NAME_MAX - len(ext)] + ext
    return name


def _clean_text(text: str, *, field: str, label: str) -> str:
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc").strip()
    if len(text) > NOTE_MAX:
        raise ActionError(f"{label}不能超过 {NOTE_MAX} 字", field=field)
    return text


def _check_handle(unit_id: int, by: Any) -> None:
    if not access_for(by).can(unit_id, Permission.HANDLE):
        raise ActionError("您没有办理该单位记录的权限，不能添加或删除附件")


def _as_file(upload: File | bytes, name: str | None) -> File:
    if isinstance(upload, bytes | bytearray):
        return ContentFile(bytes(upload), name=name or "")
    if name is not None:
        upload.name = name
    return upload


def add_attachment(
    *,
    unit: OrgUnit,
    owner: str,
    record_id: int,
    upload: File | bytes,
    name: str | None = None,
    event_id: int | None = None,
    note: str = "",
    by: Any,
) -> Attachment:
    """Attach a file to a record of `owner` (or to one of its events) in `unit`.

    `upload` is a Django File (an UploadedFile from a form) or the bytes themselves, with `name`.
    The file is checked and hashed before anything is stored; if writing the row or the audit
    event fails, the stored bytes are deleted again."""
    _check_handle(unit.pk, by)
    if not is_owner(owner):
        raise ActionError(f"未知的台账「{owner}」")
    for value in (record_id, event_id):
        if value is not None and not 0 < value <= _MAX_BIGINT:
            raise ActionError("未找到该记录")
    try:
        record = resolve_record(owner, by, record_id)
    except Http404 as exc:
        raise ActionError("未找到该记录") from exc
    if record.unit.pk != unit.pk:
        raise ActionError("附件所属单位与记录所属单位不一致")
    note = _clean_text(note, field="note", label="说明")
    file = _as_file(upload, name)
    display_name = clean_name(file.name or "")
    limit = settings.FAZHI_MAX_ATTACHMENT_BYTES
    if file.size is not None and file.size > limit:
        raise ActionError(
            f"文件过大（{human_size(file.size)}），附件上限为 {human_size(limit)}", field="file"
        )
    try:
        found = inspect(file, limit=limit)
    except Refused as exc:
        raise ActionError(str(exc), field="file") from exc

    today = timezone.localdate()
    stored = default_storage.save(
        f"attachments/{today:%Y}/{today:%m}/{uuid.uuid4().hex}", file, max_length=255
    )
    try:
        with transaction.atomic():
            attachment = Attachment.objects.create(
                unit=unit,
                owner=owner,
                record_id=record_id,
                event_id=event_id,
                name=display_name,
                content_type=found.type.content_type,
                type_label=found.type.label,
                size=found.size,
                sha256=found.sha256,
                storage_name=stored,
                note=note,
                created_by=by,
            )
            record_event(
                "attachments.file.added",
                by=by,
                unit_code=unit.code,
                object_type=audit_object_type(owner),
                object_id=str(record_id),
                data={
                    "attachment": attachment.pk,
                    "event": event_id,
                    "name": mask_id_numbers_in(display_name),
                    "type": found.type.content_type,
                    "size": found.size,
                    "sha256": found.sha256,
                },
            )
    except BaseException:
        default_storage.delete(stored)
        raise
    return attachment


def remove_attachment(*, attachment: Attachment, by: Any, reason: str) -> Attachment:
    """Mark the attachment removed (the row stays for the audit) and delete its bytes.

    The bytes go once the transaction commits, so a rollback never leaves a row that claims a
    file whose bytes are already gone."""
    _check_handle(attachment.unit_id, by)
    reason = _clean_text(reason, field="reason", label="删除原因")
    if not reason:
        raise ActionError("请填写删除原因", field="reason")
    with transaction.atomic():
        locked = Attachment.objects.select_for_update().select_related("unit").get(pk=attachment.pk)
        if locked.removed_at is not None:
            raise ActionError("该附件已删除")
        locked.removed_by = by
        locked.removed_at = timezone.now()
        locked.removed_reason = reason
        locked.save(update_fields=["removed_by", "removed_at", "removed_reason"])
        record_event(
            "attachments.file.removed",
            by=by,
            unit_code=locked.unit.code,
            object_type=audit_object_type(locked.owner),
            object_id=str(locked.record_id),
            data={
                "attachment": locked.pk,
                "event": locked.event_id,
                "name": mask_id_numbers_in(locked.name),
                "sha256": locked.sha256,
                "reason": mask_id_numbers_in(reason),
            },
        )
        transaction.on_commit(partial(default_storage.delete, locked.storage_name))
    return locked
