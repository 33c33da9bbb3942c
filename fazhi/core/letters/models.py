"""Letters to the people a record concerns (告知书, 通知书), their numbers and the templates.

A `Letter` is issued by a step of a record (its event) in the step's own transaction, so a
step that is rolled back never uses a number and a number is never drawn twice for one step.
Its .docx is kept as the event's attachment. A unit may replace a kind's default template
with its own Word file (`LetterTemplate`, one current per unit and kind, the replaced ones
kept for the audit) and set its numbering prefix and the fields its ledger declares
(`LetterProfile`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from fazhi.core.attachments.models import Attachment
from fazhi.core.tenancy.access import TenantQuerySet
from fazhi.core.tenancy.models import OrgUnit


class Letter(models.Model):
    unit = models.ForeignKey(
        OrgUnit, verbose_name="单位", on_delete=models.PROTECT, related_name="+"
    )
    owner = models.CharField("台账", max_length=32)  # the ledger's slug
    kind = models.CharField("告知书类型", max_length=48)
    record_id = models.BigIntegerField("记录")
    event_id = models.BigIntegerField("办理环节")
    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveIntegerField("序号")
    number = models.CharField("文号", max_length=160)
    on = models.DateField("成文日期")
    values = models.JSONField("字段", default=dict)  # what the letter says, frozen when issued
    attachment = models.ForeignKey(
        Attachment, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    template_sha256 = models.CharField("所用模板", max_length=64, blank=True)
    render_error = models.CharField("生成失败原因", max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["year", "seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "owner", "year", "seq"], name="letters_number_unique"
            ),
            models.UniqueConstraint(fields=["owner", "event_id"], name="letters_one_per_event"),
        ]
        indexes = [models.Index(fields=["owner", "record_id"], name="letters_record")]
        verbose_name = "告知书"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.number


class LetterTemplate(models.Model):
    """A unit's own Word template for one kind of letter; the current one has no replaced_at."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name="单位", on_delete=models.PROTECT, related_name="+"
    )
    owner = models.CharField("台账", max_length=32)
    kind = models.CharField("告知书类型", max_length=48)
    name = models.CharField("文件名", max_length=255)
    content = models.BinaryField("模板文件")
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    fields = models.JSONField("使用的字段", default=list)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    replaced_at = models.DateTimeField("停用时间", null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "owner", "kind"],
                condition=Q(replaced_at__isnull=True),
                name="letters_one_current_template",
            ),
            models.CheckConstraint(
                condition=Q(replaced_by__isnull=True, replaced_at__isnull=True)
                | Q(replaced_by__isnull=False, replaced_at__isnull=False),
                name="letters_template_replaced_by_and_at_paired",
            ),
        ]
        verbose_name = "告知书模板"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.name


class LetterProfile(models.Model):
    """A unit's letter settings for one ledger: the numbering prefix, the issuer (落款) and the
    values of the fields the ledger declares (e.g. the 复议机关 named in every reply)."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name="单位", on_delete=models.PROTECT, related_name="+"
    )
    owner = models.CharField("台账", max_length=32)
    prefix = models.CharField("文号前缀", max_length=64, blank=True)
    issuer = models.CharField("落款单位", max_length=100, blank=True)
    values = models.JSONField("其他设置", default=dict)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "owner"], name="letters_one_profile")
        ]
        verbose_name = "告知书设置"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.owner} {self.prefix}"
