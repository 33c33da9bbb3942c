"""An attachment: a file kept for one record of a ledger, or for one event of its timeline.

The bytes live in Django's default storage under a random name; the row keeps what is needed to
serve them through the door and, after removal, what the audit must still show (name, SHA-256,
who removed it, when and why) while the bytes themselves are gone.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from fazhi.core.attachments.sniff import human_size
from fazhi.core.tenancy.access import TenantQuerySet
from fazhi.core.tenancy.models import OrgUnit

NAME_MAX = 255
NOTE_MAX = 500


def audit_object_type(owner: str) -> str:
    """The audit events of a record's attachments name the record: object_type "<owner>.record",
    object_id the record's id, so the record's audit trail finds them."""
    return f"{owner}.record"


class AttachmentQuerySet(TenantQuerySet["Attachment"]):
    def present(self) -> AttachmentQuerySet:
        return self.filter(removed_at__isnull=True)

    def of_record(self, owner: str, record_id: int) -> AttachmentQuerySet:
        return self.filter(owner=owner, record_id=record_id)


class Attachment(models.Model):
    unit = models.ForeignKey(
        OrgUnit, verbose_name="单位", on_delete=models.PROTECT, related_name="+"
    )
    owner = models.CharField("台账", max_length=32)  # the owning ledger's slug
    record_id = models.BigIntegerField("记录")
    event_id = models.BigIntegerField("办理环节", null=True, blank=True)
    name = models.CharField("文件名", max_length=NAME_MAX)
    content_type = models.CharField("文件类型", max_length=100)
    type_label = models.CharField("类型", max_length=32)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    storage_name = models.CharField(max_length=255, unique=True, editable=False)
    note = models.CharField("说明", max_length=NOTE_MAX, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("上传时间", default=timezone.now)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="删除人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    removed_at = models.DateTimeField("删除时间", null=True, blank=True)
    removed_reason = models.CharField("删除原因", max_length=NOTE_MAX, blank=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["owner", "record_id"], name="attachment_record")]
        constraints = [
            models.CheckConstraint(
                condition=Q(removed_by__isnull=True, removed_at__isnull=True)
                | Q(removed_by__isnull=False, removed_at__isnull=False),
                name="attachment_removed_by_and_at_paired",
            ),
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True, removed_reason="")
                | (Q(removed_at__isnull=False) & ~Q(removed_reason="")),
                name="attachment_removed_with_reason",
            ),
            models.CheckConstraint(condition=Q(size__gt=0), name="attachment_not_empty"),
        ]
        verbose_name = "附件"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.name

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    @property
    def size_display(self) -> str:
        return human_size(self.size)
