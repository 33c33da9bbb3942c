from __future__ import annotations

from django.db import models


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", "放假"
    WORKDAY = "workday", "调休上班"


class CalendarDay(models.Model):
    """A date that departs from the Monday–Friday rule: a holiday, or a weekend make-up workday."""

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=16, choices=DayKind.choices)
    name = models.CharField("名称", max_length=64, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = "节假日/调休日"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"


class CalendarYear(models.Model):
    """A year whose arrangements are loaded. A year without a row counts Monday–Friday, provisionally."""

    year = models.PositiveIntegerField("年份", unique=True)
    source = models.CharField("来源", max_length=200)
    loaded_at = models.DateTimeField("载入时间", auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = "已载入年份"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.year}（{self.source}）"


class CalendarRevision(models.Model):
    """One row per change to the calendar. Every process compares the newest id with the one it
    built its cached calendar from, so a year loaded by one worker (or by the command line)
    reaches all of them."""

    at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"#{self.pk} {self.note}"
