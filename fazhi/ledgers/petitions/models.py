"""信访事项 (《信访工作条例》 2022): a matter from receipt through routing, handling, the
信访处理意见书 and the petitioner's further remedies (复查, 复核). Visits are child rows.

Deliberately absent: watch lists, 稳控 or any tracking of petitioners as persons (DESIGN §3).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from fazhi.core.records.models import Child, Event, Record, event_choices


class Form(models.TextChoices):
    """信访形式 (Art. 17)."""

    LETTER = "letter", "来信"
    VISIT = "visit", "来访"
    ONLINE = "online", "网上信访"
    PHONE = "phone", "电话"
    OTHER = "other", "其他"


class Source(models.TextChoices):
    SYSTEM = "system", "信访信息系统"
    ASSIGNED = "assigned", "上级交办"
    TRANSFERRED = "transferred", "上级转送"
    MAILBOX = "mailbox", "领导信箱"
    DIRECT = "direct", "本单位直接收到"
    OTHER = "other", "其他"


FROM_ABOVE = frozenset({Source.ASSIGNED, Source.TRANSFERRED})


class Category(models.TextChoices):
    """The type decides the procedure (Arts. 29–31)."""

    SUGGESTION = "suggestion", "建议意见"
    ACCUSATION = "accusation", "检举控告"
    APPEAL = "appeal", "申诉求决"


class Stage(models.TextChoices):
    """What this unit handles: a first matter, or the level-above review of another's reply."""

    INITIAL = "initial", "信访事项"
    REVIEW = "review", "复查"
    RECHECK = "recheck", "复核"


class Status(models.TextChoices):
    REGISTERED = "registered", "待受理"
    OBJECTED = "objected", "已提出异议"
    HANDLING = "handling", "办理中"
    REPLIED = "replied", "已答复"
    TRANSFERRED = "transferred", "已转送/交办"
    NOT_ACCEPTED = "not_accepted", "不予受理"
    RETURNED = "returned", "已退回交办单位"
    UNDER_REVIEW = "under_review", "复查中"
    REVIEWED = "reviewed", "已复查"
    UNDER_RECHECK = "under_recheck", "复核中"
    FINAL = "final", "已复核（终结）"


class Procedure(models.TextChoices):
    """Where a 申诉求决 matter that belongs to another procedure is pointed (Art. 31(1)–(5))."""

    LITIGATION = "litigation", "诉讼"
    ARBITRATION = "arbitration", "仲裁"
    ADMIN_REVIEW = "admin_review", "行政复议"
    LICENSING = "licensing", "行政许可、行政处罚等行政程序"
    OTHER_LAW = "other_law", "其他法定途径（如劳动争议调解、纪检监察）"
    REPEAT = "repeat", "同一事项已在办理中（第十九条）"


class Result(models.TextChoices):
    """The 信访处理意见书's decision (Art. 32), or an agreement (Art. 33)."""

    SUPPORT = "support", "支持"
    EXPLAIN = "explain", "解释说明"
    REJECT = "reject", "不予支持"
    MEDIATED = "mediated", "调解"
    SETTLED = "settled", "和解"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASICALLY = "basically", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"


class ReviewResult(models.TextChoices):
    UPHELD = "upheld", "维持"
    CHANGED = "changed", "变更"
    REVOKED = "revoked", "撤销并重新办理"


class Petition(Record):
    number = models.CharField("信访编号", max_length=64)
    status = models.CharField(
        "状态", max_length=32, choices=Status.choices, default=Status.REGISTERED
    )
    received_on = models.DateField("收到日期")
    stage = models.CharField(
        "事项类别", max_length=16, choices=Stage.choices, default=Stage.INITIAL
    )
    form = models.CharField("信访形式", max_length=16, choices=Form.choices)
    source = models.CharField("来源", max_length=16, choices=Source.choices)
    source_ref = models.CharField("来源文号/系统编号", max_length=100, blank=True)
    category = models.CharField("信访类型", max_length=16, choices=Category.choices)
    petitioner = models.CharField("信访人", max_length=100, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    contact = models.CharField("联系方式", max_length=100, blank=True)
    content = models.TextField("诉求内容", max_length=5000)
    original = models.CharField("原办理单位及答复", max_length=300, blank=True)

    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    repeat_of = models.ForeignKey(
        "self",
        verbose_name="重复信访（同一事项在办）",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="repeats",
    )
    routed_on = models.DateField("受理/转送/不予受理日期", null=True, blank=True)
    result = models.CharField("处理结果", max_length=16, choices=Result.choices, blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    satisfaction = models.CharField(
        "满意度", max_length=16, choices=Satisfaction.choices, blank=True
    )
    review_result = models.CharField(
        "复查结果", max_length=16, choices=ReviewResult.choices, blank=True
    )
    recheck_result = models.CharField(
        "复核结果", max_length=16, choices=ReviewResult.choices, blank=True
    )

    # Each clock's due date, cached (see clocks.py); never edited by hand.
    notice_due_on = models.DateField("书面告知期限", null=True, blank=True)
    objection_due_on = models.DateField("异议期限", null=True, blank=True)
    handle_due_on = models.DateField("办理期限", null=True, blank=True)
    review_request_due_on = models.DateField("复查申请期限", null=True, blank=True)
    recheck_request_due_on = models.DateField("复核申请期限", null=True, blank=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = "信访事项"
        verbose_name_plural = verbose_name
        constraints = [
            *Record.kit_constraints("petitions"),
            models.CheckConstraint(
                condition=(Q(result="") & Q(replied_on__isnull=True))
                | (~Q(result="") & Q(replied_on__isnull=False)),
                name="petitions_result_with_reply_date",
            ),
            models.CheckConstraint(
                condition=Q(replied_on__isnull=True) | Q(replied_on__gte=models.F("received_on")),
                name="petitions_reply_not_before_receipt",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "received_on"]),
            models.Index(fields=["unit", "replied_on"]),
            models.Index(fields=["unit", "status", "due_on"]),
        ]

    @property
    def anonymous(self) -> bool:
        return not self.petitioner.strip()

    @property
    def notifiable(self) -> bool:
        """Art. 23: no written notice is owed when the name or address is unknown."""
        return bool(self.petitioner.strip() and (self.address.strip() or self.contact.strip()))


class EventKind(models.TextChoices):
    REGISTERED = "registered", "登记"
    ACCEPTED = "accepted", "受理"
    TRANSFERRED = "transferred", "转送/交办"
    NOT_ACCEPTED = "not_accepted", "不予受理"
    OBJECTED = "objected", "对交办/转送提出异议"
    OBJECTION_AGREED = "objection_agreed", "上级同意退回"
    OBJECTION_REFUSED = "objection_refused", "上级不同意退回"
    EXTENSION_REQUESTED = "extension_requested", "提请延期"
    EXTENDED = "extended", "批准延期"
    EXTENSION_REFUSED = "extension_refused", "不予批准延期"
    HEARING_STARTED = "hearing_started", "举行听证"
    HEARING_ENDED = "hearing_ended", "听证结束"
    OPINION = "opinion", "出具处理意见书"
    AGREEMENT = "agreement", "达成调解/和解协议"
    FEEDBACK = "feedback", "回访（满意度）"
    REVIEW_REQUESTED = "review_requested", "信访人申请复查"
    REVIEW_DECIDED = "review_decided", "复查意见"
    RECHECK_REQUESTED = "recheck_requested", "信访人申请复核"
    RECHECK_DECIDED = "recheck_decided", "复核意见"


class PetitionEvent(Event):
    record = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=32, choices=event_choices(EventKind))

    class Meta(Event.Meta):
        verbose_name = "信访办理环节"
        verbose_name_plural = verbose_name


class Visit(Child):
    """One batch (批次) of a visit: how many came (人次) and how many spoke for them."""

    record = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="visits")
    on = models.DateField("来访日期")
    visitors = models.PositiveIntegerField("来访人数")
    representatives = models.PositiveIntegerField("代表人数", default=1)
    note = models.CharField("接谈情况", max_length=500, blank=True)

    class Meta(Child.Meta):
        verbose_name = "来访登记"
        verbose_name_plural = verbose_name
        constraints = [
            models.CheckConstraint(
                condition=Q(visitors__gte=1)
                & Q(representatives__gte=1)
                & Q(representatives__lte=5)
                & Q(representatives__lte=models.F("visitors")),
                name="petitions_visit_counts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.on:%Y-%m-%d} {self.visitors}人（代表{self.representatives}人）"
