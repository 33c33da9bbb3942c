"""What a record's detail page shows of its attachments."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from fazhi.core.attachments.models import Attachment
from fazhi.core.attachments.owners import resolve_record
from fazhi.core.attachments.sniff import ACCEPTED, human_size
from fazhi.core.tenancy.access import access_for
from fazhi.core.tenancy.roles import Permission

__all__ = ["AttachmentList", "attachments_for"]

# A hint for the browser's file picker only; the server decides by content.
ACCEPT_ATTR = ".pdf,.docx,.doc,.xlsx,.xls,.ofd,.jpg,.jpeg,.png,.txt"


@dataclass(frozen=True)
class AttachmentList:
    owner: str
    record_id: int
    files: list[Attachment]
    removed: list[Attachment]
    can_handle: bool  # may add and remove: HANDLE on the record's unit
    by_event: dict[int, list[Attachment]] = field(default_factory=dict)
    accepted: str = ACCEPTED
    accept_attr: str = ACCEPT_ATTR

    @property
    def limit_display(self) -> str:
        return human_size(settings.FAZHI_MAX_ATTACHMENT_BYTES)


def attachments_for(owner: str, record_id: int, user: Any) -> AttachmentList:
    """The record's attachments as `user` may see them; Http404 if the record is closed to them.

    Render with `{% include "attachments/_list.html" with attachments=... %}`."""
    record = resolve_record(owner, user, record_id)
    rows = list(
        Attachment.objects.of_record(owner, record_id)
        .visible_to(user)
        .select_related("created_by", "removed_by")
    )
    files = [a for a in rows if not a.is_removed]
    by_event: dict[int, list[Attachment]] = {}
    for a in files:
        if a.event_id is not None:
            by_event.setdefault(a.event_id, []).append(a)
    return AttachmentList(
        owner=owner,
        record_id=record_id,
        files=files,
        removed=[a for a in rows if a.is_removed],
        can_handle=access_for(user).can(record.unit.pk, Permission.HANDLE),
        by_event=by_event,
    )
