"""One background run as the user sees it. django-tasks keeps the queue row (status, return
value, traceback) but no progress; this row carries the Chinese title, the counters, the message
and the result, and is written by the task itself as it runs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone

from fazhi.core.tenancy.access import access_for
from fazhi.core.tenancy.roles import Permission


class TaskStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "运行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


FINISHED = (TaskStatus.DONE, TaskStatus.FAILED)


class TaskRunQuerySet(models.QuerySet["TaskRun"]):
    def visible_to(self, user: Any) -> TaskRunQuerySet:
        """A run belongs to whoever started it; administrators see every run (the calendar's
        recomputes are theirs to watch, whether started on the web or the command line)."""
        if not getattr(user, "is_authenticated", False) or user.pk is None:
            return self.none()
        if access_for(user).can_anywhere(Permission.MANAGE):
            return self.all()
        return self.filter(by_id=user.pk)


class TaskRun(models.Model):
    kind = models.CharField("类型", max_length=64, db_index=True)
    title = models.CharField("任务", max_length=200)
    args = models.JSONField("参数", default=dict, encoder=DjangoJSONEncoder)
    result_id = models.CharField("队列任务ID", max_length=64, blank=True, db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    unit_code = models.CharField("单位代码", max_length=64, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=TaskStatus.choices, default=TaskStatus.QUEUED
    )
    done = models.PositiveBigIntegerField("已完成", default=0)
    total = models.PositiveBigIntegerField("总数", default=0)
    message = models.CharField("说明", max_length=500, blank=True)
    result = models.JSONField("结果", null=True, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField("提交时间", default=timezone.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    updated_at = models.DateTimeField("最后更新", default=timezone.now)

    objects = TaskRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["by", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                name="taskrun_finished_iff_done_or_failed",
                condition=Q(status__in=FINISHED, finished_at__isnull=False)
                | (~Q(status__in=FINISHED) & Q(finished_at__isnull=True)),
            ),
            models.CheckConstraint(
                name="taskrun_running_or_done_has_started",
                condition=~Q(status__in=[TaskStatus.RUNNING, TaskStatus.DONE])
                | Q(started_at__isnull=False),
            ),
        ]
        verbose_name = "后台任务"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.title}（{self.get_status_display()}）"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)
