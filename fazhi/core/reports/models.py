"""What a unit writes into its reports by hand: narrative sections and figures whose ledger
does not exist yet (each with a note saying where the number came from)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from fazhi.core.tenancy.access import TenantQuerySet
from fazhi.core.tenancy.models import OrgUnit


class UnitYearEntry(models.Model):
    """Something a unit enters for one report kind and year, under a key."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE)
    kind = models.CharField("报告类型", max_length=32)  # e.g. "xxgk"
    year = models.PositiveIntegerField("年度")
    key = models.CharField("项目", max_length=64)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.unit} {self.year} {self.kind}.{self.key}"


class ReportText(UnitYearEntry):
    """A narrative section (key = section, e.g. "problems"), or the signing date."""

    text = models.TextField("内容", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "year", "key"], name="report_text_unique"
            )
        ]
        verbose_name = "报告段落"
        verbose_name_plural = verbose_name


class ReportInput(UnitYearEntry):
    """Figures typed in by hand (key = table, e.g. "table2"), with where they came from."""

    data = models.JSONField(default=dict)
    source_note = models.CharField("数据来源说明", max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "year", "key"], name="report_input_unique"
            )
        ]
        verbose_name = "报告手工数据"
        verbose_name_plural = verbose_name


class ReviewRunQuerySet(models.QuerySet["ReviewRun"]):
    def visible_to(self, user: Any) -> ReviewRunQuerySet:
        """A review run is private to the supervisor who ran it."""
        if not getattr(user, "is_authenticated", False) or user.pk is None:
            return self.none()
        return self.filter(created_by_id=user.pk)


class ReviewRun(models.Model):
    """One batch review done on the web page, kept so its findings can be exported."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    result = models.JSONField(default=dict)

    objects = ReviewRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "报告审查记录"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"审查 {self.pk}（{timezone.localtime(self.created_at):%Y-%m-%d %H:%M}）"
