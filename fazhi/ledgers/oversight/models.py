"""第一责任人 and 督察整改: the log of what the unit's principal leaders did as the 第一责任人 for
the rule of law (meetings that discussed it, 述法, instructions, 带头学法, 出庭应诉), and the
rectification items that 督察, 考核, 审计 and 巡视巡察 feedback called for, with their 整改时限.
Two ledgers on the record kit.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from fazhi.core.records.models import Event, Record, event_choices

# --- 第一责任人履职记录 ------------------------------------------------------------------------


class DutyKind(models.TextChoices):
    MEETING = "meeting", "研究法治工作的会议"
    SHUFA = "shufa", "述法"
    INSTRUCTION = "instruction", "批示"
    STUDY = "study", "带头学法"
    COURT = "court", "出庭应诉"
    OTHER = "other", "其他"


# Kinds where a head count means something (who sat in the meeting, heard the 述法, studied).
WITH_ATTENDANCE = frozenset({DutyKind.MEETING, DutyKind.SHUFA, DutyKind.STUDY})


class DutyStatus(models.TextChoices):
    REGISTERED = "registered", "待确认"
    CONFIRMED = "confirmed", "已确认"


class LeaderDuty(Record):
    """One thing a principal leader did as the 第一责任人 for the rule of law."""

    number = models.CharField("履职记录编号", max_length=64)
    status = models.CharField(
        "状态", max_length=32, choices=DutyStatus.choices, default=DutyStatus.REGISTERED
    )
    held_on = models.DateField("履职日期")
    leader = models.CharField("第一责任人姓名", max_length=50)
    post = models.CharField("职务", max_length=100)
    kind = models.CharField("履职类别", max_length=16, choices=DutyKind.choices)
    subject = models.CharField("事由", max_length=300)
    details = models.TextField("具体情况", max_length=5000, blank=True)
    attendance = models.PositiveIntegerField("参加人数", null=True, blank=True)
    case_number = models.CharField("案号", max_length=100, blank=True)
    # The record of another fazhi ledger this one is about (a 学法 session of the 普法 ledger, a
    # petition an instruction was on), by the kit's registry: ledgers never import each other.
    linked_slug = models.CharField("关联记录所在台账", max_length=50, blank=True)
    linked_pk = models.PositiveBigIntegerField("关联记录", null=True, blank=True)
    linked_number = models.CharField("关联记录编号", max_length=64, blank=True)
    confirmed_on = models.DateField("确认日期", null=True, blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = "第一责任人履职记录"
        verbose_name_plural = verbose_name
        constraints = [
            *Record.kit_constraints("oversight_duty"),
            models.CheckConstraint(
                condition=(Q(status="confirmed") & Q(confirmed_on__isnull=False))
                | (~Q(status="confirmed") & Q(confirmed_on__isnull=True)),
                name="oversight_duty_confirmed_with_date",
            ),
            models.CheckConstraint(
                condition=(Q(kind="court") & ~Q(case_number=""))
                | (~Q(kind="court") & Q(case_number="")),
                name="oversight_duty_case_number_for_court",
            ),
            models.CheckConstraint(
                condition=(Q(linked_slug="") & Q(linked_pk__isnull=True) & Q(linked_number=""))
                | (~Q(linked_slug="") & Q(linked_pk__isnull=False) & ~Q(linked_number="")),
                name="oversight_duty_link_whole_or_none",
            ),
        ]
        indexes = [models.Index(fields=["unit", "held_on", "kind"])]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}：{self.subject[:30]}"


class DutyEventKind(models.TextChoices):
    REGISTERED = "registered", "登记履职记录"
    CONFIRMED = "confirmed", "确认"


class LeaderDutyEvent(Event):
    record = models.ForeignKey(LeaderDuty, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=32, choices=event_choices(DutyEventKind))

    class Meta(Event.Meta):
        verbose_name = "履职记录环节"
        verbose_name_plural = verbose_name


# --- 督察整改事项 ------------------------------------------------------------------------------


class Source(models.TextChoices):
    INSPECTION = "inspection", "督察"
    ASSESSMENT = "assessment", "考核"
    AUDIT = "audit", "审计"
    PATROL = "patrol", "巡视巡察"
    OTHER = "other", "其他"


class RectifyStatus(models.TextChoices):
    PENDING = "pending", "待整改"
    IN_PROGRESS = "in_progress", "整改中"
    DONE = "done", "已完成"
    ONGOING = "ongoing", "长期坚持"


OPEN = frozenset({RectifyStatus.PENDING, RectifyStatus.IN_PROGRESS})
CLOSED = frozenset({RectifyStatus.DONE, RectifyStatus.ONGOING})


class Rectification(Record):
    """A problem that 督察, 考核, 审计 or 巡视巡察 feedback named, and its rectification."""

    number = models.CharField("整改事项编号", max_length=64)
    status = models.CharField(
        "状态", max_length=32, choices=RectifyStatus.choices, default=RectifyStatus.PENDING
    )
    source = models.CharField("问题来源", max_length=16, choices=Source.choices)
    source_doc = models.CharField("反馈文件文号", max_length=100, blank=True)
    fed_back_on = models.DateField("反馈日期")
    problem = models.TextField("问题", max_length=2000)
    measures = models.TextField("整改措施", max_length=5000)
    department = models.CharField("责任部门", max_length=100)
    owner = models.CharField("责任人", max_length=50)
    deadline = models.DateField("整改时限")
    done_on = models.DateField("完成（销号）日期", null=True, blank=True)
    evidence = models.TextField("整改成效及佐证材料", max_length=5000, blank=True)
    limit_due_on = models.DateField("整改期限", null=True, blank=True)

    class Meta:
        ordering = ["-fed_back_on", "-id"]
        verbose_name = "督察整改事项"
        verbose_name_plural = verbose_name
        constraints = [
            *Record.kit_constraints("oversight_rectify"),
            models.CheckConstraint(
                condition=(
                    Q(status__in=sorted(CLOSED)) & Q(done_on__isnull=False) & ~Q(evidence="")
                )
                | (~Q(status__in=sorted(CLOSED)) & Q(done_on__isnull=True)),
                name="oversight_rectify_closed_with_date_and_evidence",
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=F("fed_back_on")),
                name="oversight_rectify_deadline_not_before_feedback",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "deadline"]),
            models.Index(fields=["unit", "done_on"]),
        ]

    def __str__(self) -> str:
        return self.number


class RectifyEventKind(models.TextChoices):
    REGISTERED = "registered", "登记整改事项"
    STARTED = "started", "开始整改"
    EXTENDED = "extended", "延长整改时限"
    COMPLETED = "completed", "整改完成"
    ONGOING = "ongoing", "转为长期坚持"


class RectificationEvent(Event):
    record = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=32, choices=event_choices(RectifyEventKind))

    class Meta(Event.Meta):
        verbose_name = "整改事项环节"
        verbose_name_plural = verbose_name
