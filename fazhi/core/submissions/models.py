"""A unit's annual report sent to the unit above: one record per unit, kind and year (on the
record kit), its frozen versions, and the supervisor's comments on their paragraphs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from fazhi.core.records.models import Child, Event, Record, event_choices


class Kind(models.TextChoices):
    FAZHI = "fazhi", "法治政府建设情况报告"
    XXGK = "xxgk", "政府信息公开工作年度报告"


class Status(models.TextChoices):
    SUBMITTED = "submitted", "已报送"
    RETURNED = "returned", "已退回"
    ACCEPTED = "accepted", "已接收"
    PUBLISHED = "published", "已公开"


NOT_SUBMITTED = "未报送"  # no record yet: the state the inbox shows for a unit that sent nothing


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", "报送"
    RESUBMITTED = "resubmitted", "修改后重新报送"
    RETURNED = "returned", "退回修改"
    ACCEPTED = "accepted", "接收"
    PUBLISHED = "published", "公开"
    UNPUBLISHED = "unpublished", "撤回公开"


class Submission(Record):
    number = models.CharField("报送编号", max_length=64)
    status = models.CharField("状态", max_length=32, choices=Status.choices)
    kind = models.CharField("报告类型", max_length=16, choices=Kind.choices)
    year = models.PositiveSmallIntegerField("报告年度")
    submitted_on = models.DateField("首次报送日期")
    accepted_on = models.DateField("接收日期", null=True, blank=True)
    published_on = models.DateField("公开日期", null=True, blank=True)

    class Meta:
        ordering = ["-year", "kind", "unit__path"]
        verbose_name = "报告报送"
        verbose_name_plural = verbose_name
        constraints = [
            *Record.kit_constraints("submission"),
            models.UniqueConstraint(
                fields=["unit", "kind", "year"], name="submission_one_per_unit_kind_year"
            ),
            models.CheckConstraint(
                condition=(Q(status="published") & Q(published_on__isnull=False))
                | (~Q(status="published") & Q(published_on__isnull=True)),
                name="submission_published_with_date",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["accepted", "published"]) & Q(accepted_on__isnull=False)
                | ~Q(status__in=["accepted", "published"]) & Q(accepted_on__isnull=True),
                name="submission_accepted_with_date",
            ),
        ]
        indexes = [models.Index(fields=["kind", "year", "status"])]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}年{self.get_kind_display()}"


class SubmissionEvent(Event):
    record = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=32, choices=event_choices(EventKind))

    class Meta(Event.Meta):
        verbose_name = "报送环节"
        verbose_name_plural = verbose_name


class Source(models.TextChoices):
    GENERATED = "generated", "系统生成"
    UPLOADED = "uploaded", "上传文件"


class Version(models.Model):
    """What the unit sent, frozen: the file's bytes, the text the reviewer read from them (one
    paragraph a line, the anchors of comments), a generated report's HTML and figures, and the
    reviewer's result on exactly these bytes. Never edited; a resubmission adds the next one."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="versions")
    n = models.PositiveSmallIntegerField("版本")
    source = models.CharField("来源", max_length=16, choices=Source.choices)
    filename = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    text = models.TextField(blank=True)
    html = models.TextField(blank=True)
    figures = models.JSONField(default=dict, blank=True)  # a generated report's as_json()
    review = models.JSONField(default=dict, blank=True)  # fazhi.review's to_json()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["submission", "n"]
        verbose_name = "报送版本"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["submission", "n"], name="submission_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} 第{self.n}版"

    def served_name(self) -> str:
        """The name every download of this version gets (the unit's own file name is kept only
        as information): 单位名称 + 年度 + 报告名称 + 第N版, the extension from the detected type."""
        ext = "pdf" if self.content_type == "application/pdf" else "docx"
        s = self.submission
        return f"{s.unit.name}{s.year}年{s.get_kind_display()}（第{self.n}版）.{ext}"

    @property
    def paragraphs(self) -> list[str]:
        return self.text.split("\n") if self.text else []


class Comment(Child):
    """The supervisor's comment on one paragraph of one version."""

    record = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="comments")
    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="comments")
    paragraph = models.PositiveIntegerField("段落")  # 1-based line of `Version.text`
    quote = models.CharField("原文", max_length=200, blank=True)
    text = models.TextField("意见", max_length=2000)

    class Meta(Child.Meta):
        verbose_name = "审阅意见"
        verbose_name_plural = verbose_name
