from __future__ import annotations

from django.conf import settings
from django.db import models

from fazhi.core.records.models import (
    Child,
    Event,
    HandedLiveRecordManager,
    HandedRecordQuerySet,
    Record,
    event_choices,
)


class Status(models.TextChoices):
    RECEIVED = "received", "办理中"
    WAITING = "waiting", "等待答复"
    SUSPENDED = "suspended", "中止办理"
    SUBMITTED = "submitted", "待审核"
    CLOSED = "closed", "已办结"


class Category(models.TextChoices):
    PERSON = "person", "个人"
    ORG = "org", "单位"


class Kind(models.TextChoices):
    REGISTERED = "registered", "登记"
    ASSIGNED = "assigned", "分办"
    ASKED = "asked", "发出征询"
    ANSWERED = "answered", "收到答复"
    SUSPENDED = "suspended", "中止办理"
    RESUMED = "resumed", "恢复办理"
    SUPPLEMENTED = "supplemented", "补充材料"
    SUBMITTED = "submitted", "提交审核"
    REVIEWED = "reviewed", "审核通过"
    RETURNED = "returned", "退回重办"
    EXTENSION_REQUESTED = "extension_requested", "提请延期"
    EXTENDED = "extended", "批准延期"
    EXTENSION_REFUSED = "extension_refused", "不予批准延期"
    HANDED_OVER = "handed_over", "移交上级单位"


class Case(Record):
    number = models.CharField("案件编号", max_length=64)
    received_on = models.DateField("收到日期")
    subject = models.CharField("事项", max_length=100)
    category = models.CharField("类型", max_length=16, choices=Category.choices)
    id_number = models.CharField("证件号码", max_length=32, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField("状态", max_length=32, choices=Status.choices)
    closed_on = models.DateField("办结日期", null=True, blank=True)

    handle_due_on = models.DateField("办理期限", null=True, blank=True)
    window_due_on = models.DateField("补充材料期限", null=True, blank=True)

    # Cases can be handed to the upper unit (ADR 0012): the unit that handed one keeps reading it.
    objects = HandedLiveRecordManager()  # type: ignore[misc]
    with_voided = HandedRecordQuerySet.as_manager()  # type: ignore[misc,django-manager-missing,unused-ignore]

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = "示例案件"
        constraints = Record.kit_constraints("toy")


class CaseEvent(Event):
    record = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=32, choices=event_choices(Kind))

    class Meta(Event.Meta):
        verbose_name = "办理环节"


class Note(Child):
    record = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    noted_on = models.DateField("记录日期")
    text = models.CharField("内容", max_length=200)

    class Meta(Child.Meta):
        verbose_name = "工作记录"

    def __str__(self) -> str:
        return f"{self.noted_on:%Y-%m-%d} {self.text}"
