"""人民调解 (《人民调解法》 2010): committees with their members and mediators, 矛盾纠纷排查
rounds with the disputes they found, and mediation cases from registration through sessions to
an agreement (or its failure), the 司法确认 window and the follow-up. Parties and sessions are
child rows; a case escalated 社区 → 街道 → 区 is handed to the upper unit (ADR 0012).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from fazhi.core.records.models import (
    Child,
    Event,
    HandedLiveRecordManager,
    HandedRecordQuerySet,
    Record,
    event_choices,
)

# --- committees ----------------------------------------------------------------------------


class CommitteeKind(models.TextChoices):
    COMMUNITY = "community", "社区（村）人民调解委员会"
    STREET = "street", "街道（乡镇）人民调解委员会"
    CENTER = "center", "矛盾纠纷调处化解中心"
    PROFESSIONAL = "professional", "行业性专业性人民调解委员会"


class CommitteeStatus(models.TextChoices):
    ACTIVE = "active", "在任"
    DISSOLVED = "dissolved", "已撤销"


class Committee(Record):
    """Art. 8: 3–9 members (a chair, women members, members of minority ethnic groups where
    relevant); Art. 9: a 3-year term, renewable."""

    number = models.CharField("调委会编号", max_length=64)
    status = models.CharField(
        "状态", max_length=32, choices=CommitteeStatus.choices, default=CommitteeStatus.ACTIVE
    )
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=16, choices=CommitteeKind.choices)
    field_of_work = models.CharField("专业领域", max_length=100, blank=True)
    term_start = models.DateField("本届起始日期")
    term_due_on = models.DateField("本届届满日期", null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "人民调解委员会"
        verbose_name_plural = verbose_name
        constraints = Record.kit_constraints("mediation_committee")

    def __str__(self) -> str:
        return self.name


class CommitteeEventKind(models.TextChoices):
    REGISTERED = "registered", "登记调委会"
    RENEWED = "renewed", "换届"
    DISSOLVED = "dissolved", "撤销"


class CommitteeEvent(Event):
    record = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=32, choices=event_choices(CommitteeEventKind))

    class Meta(Event.Meta):
        verbose_name = "调委会变动"
        verbose_name_plural = verbose_name


class MediatorRole(models.TextChoices):
    CHAIR = "chair", "主任"
    VICE_CHAIR = "vice_chair", "副主任"
    MEMBER = "member", "委员"
    APPOINTED = "appointed", "聘任调解员"


MEMBER_ROLES = frozenset({MediatorRole.CHAIR, MediatorRole.VICE_CHAIR, MediatorRole.MEMBER})


class Gender(models.TextChoices):
    FEMALE = "female", "女"
    MALE = "male", "男"


class Mediator(Child):
    """Art. 13: mediators are the committee's members and the people it appoints."""

    record = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="mediators")
    name = models.CharField("姓名", max_length=50)
    role = models.CharField("职务", max_length=16, choices=MediatorRole.choices)
    gender = models.CharField("性别", max_length=8, choices=Gender.choices)
    minority = models.BooleanField("少数民族", default=False)
    phone = models.CharField("联系电话", max_length=30, blank=True)

    class Meta(Child.Meta):
        verbose_name = "委员和调解员"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.name}（{self.get_role_display()}）"

    @property
    def is_member(self) -> bool:
        return self.role in MEMBER_ROLES


# --- 矛盾纠纷排查 ----------------------------------------------------------------------------


class ScreeningStatus(models.TextChoices):
    OPEN = "open", "排查中"
    DONE = "done", "已完成"


class Screening(Record):
    number = models.CharField("排查编号", max_length=64)
    status = models.CharField(
        "状态", max_length=32, choices=ScreeningStatus.choices, default=ScreeningStatus.OPEN
    )
    held_on = models.DateField("排查日期")
    scope = models.CharField("排查范围", max_length=200)
    staff = models.CharField("排查人员", max_length=200)
    summary = models.TextField("排查情况", max_length=2000, blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = "矛盾纠纷排查"
        verbose_name_plural = verbose_name
        constraints = Record.kit_constraints("mediation_screening")


class ScreeningEventKind(models.TextChoices):
    REGISTERED = "registered", "登记排查"
    DONE = "done", "完成排查"


class ScreeningEvent(Event):
    record = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=32, choices=event_choices(ScreeningEventKind))

    class Meta(Event.Meta):
        verbose_name = "排查环节"
        verbose_name_plural = verbose_name


class Disposal(models.TextChoices):
    CASE = "case", "转为调解案件"
    NOTE = "note", "记录备查（无需调解）"


class DisputeType(models.TextChoices):
    FAMILY = "family", "婚姻家庭纠纷"
    NEIGHBOUR = "neighbour", "邻里纠纷"
    LAND = "land", "房屋宅基地纠纷"
    CONTRACT = "contract", "合同纠纷"
    DAMAGES = "damages", "损害赔偿纠纷"
    LABOUR = "labour", "劳动争议纠纷"
    PROPERTY = "property", "物业纠纷"
    DEMOLITION = "demolition", "征地拆迁纠纷"
    MEDICAL = "medical", "医疗纠纷"
    TRAFFIC = "traffic", "道路交通事故纠纷"
    OTHER = "other", "其他纠纷"


class Finding(Child):
    """A dispute a screening found: it becomes a mediation case (its number) or a note."""

    record = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="findings")
    description = models.CharField("纠纷情况", max_length=500)
    dispute_type = models.CharField("纠纷类型", max_length=16, choices=DisputeType.choices)
    disposal = models.CharField("处置", max_length=8, choices=Disposal.choices)
    case_number = models.CharField("调解案件编号", max_length=64, blank=True)
    note = models.CharField("备注", max_length=500, blank=True)

    class Meta(Child.Meta):
        verbose_name = "发现的纠纷"
        verbose_name_plural = verbose_name
        constraints = [
            models.CheckConstraint(
                condition=(Q(disposal="case") & ~Q(case_number=""))
                | (Q(disposal="note") & Q(case_number="")),
                name="mediation_finding_case_number",
            )
        ]

    def __str__(self) -> str:
        tail = f"→ {self.case_number}" if self.case_number else "（记录备查）"
        return f"{self.get_dispute_type_display()}：{self.description} {tail}"


# --- cases -----------------------------------------------------------------------------------


class Source(models.TextChoices):
    """Art. 17: on a party's application or the committee's own initiative; or handed over."""

    APPLICATION = "application", "当事人申请"
    INITIATIVE = "initiative", "主动调解"
    SCREENING = "screening", "排查发现（主动调解）"
    PETITIONS = "petitions", "信访部门移交"
    HOTLINE = "hotline", "12345热线移交"
    COURT = "court", "人民法院委派/委托"
    POLICE = "police", "公安派出所移交"
    OTHER = "other", "其他单位移交"


# Sources that are records of a fazhi ledger, by that ledger's slug (linked through its door).
SOURCE_LEDGERS = {Source.PETITIONS: "petitions", Source.HOTLINE: "hotline"}


class Status(models.TextChoices):
    MEDIATING = "mediating", "调解中"
    HANDED_UP = "handed_up", "已上报，待上级受理"
    AGREED = "agreed", "已达成协议"
    FAILED = "failed", "调解不成"
    REFUSED = "refused", "当事人拒绝调解（终止）"


class Outcome(models.TextChoices):
    WRITTEN = "written", "书面协议"
    ORAL = "oral", "口头协议"
    FAILED = "failed", "调解不成"
    REFUSED = "refused", "当事人拒绝调解"


SUCCESS = frozenset({Outcome.WRITTEN, Outcome.ORAL})


class Route(models.TextChoices):
    """Art. 26: the other routes the parties are told of when mediation fails."""

    ARBITRATION = "arbitration", "仲裁"
    ADMINISTRATIVE = "administrative", "行政途径"
    LITIGATION = "litigation", "向人民法院提起诉讼"


class Performance(models.TextChoices):
    DONE = "done", "已履行"
    PARTLY = "partly", "部分履行"
    NOT_DONE = "not_done", "未履行"


class CourtResult(models.TextChoices):
    CONFIRMED = "confirmed", "裁定协议有效"
    REJECTED = "rejected", "裁定驳回申请"


class Case(Record):
    number = models.CharField("调解编号", max_length=64)
    status = models.CharField(
        "状态", max_length=32, choices=Status.choices, default=Status.MEDIATING
    )
    received_on = models.DateField("受理日期")
    source = models.CharField("纠纷来源", max_length=16, choices=Source.choices)
    origin_ref = models.CharField("移交单位及文号/原记录编号", max_length=100, blank=True)
    origin_ledger = models.CharField("原记录台账", max_length=32, blank=True)
    origin_id = models.BigIntegerField("原记录", null=True, blank=True)
    dispute_type = models.CharField("纠纷类型", max_length=16, choices=DisputeType.choices)
    summary = models.TextField("纠纷简要情况", max_length=5000)
    committee = models.ForeignKey(
        Committee, verbose_name="调解组织", on_delete=models.PROTECT, related_name="cases"
    )
    mediator = models.ForeignKey(
        Mediator,
        verbose_name="调解员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    outcome = models.CharField("调解结果", max_length=16, choices=Outcome.choices, blank=True)
    concluded_on = models.DateField("调结日期", null=True, blank=True)
    agreement = models.TextField("协议内容", max_length=5000, blank=True)
    effective_on = models.DateField("协议生效日期", null=True, blank=True)
    confirmation_applied_on = models.DateField("申请司法确认日期", null=True, blank=True)
    court_result = models.CharField(
        "司法确认结果", max_length=16, choices=CourtResult.choices, blank=True
    )
    followup_on = models.DateField("回访日期", null=True, blank=True)
    performance = models.CharField(
        "履行情况", max_length=16, choices=Performance.choices, blank=True
    )

    target_due_on = models.DateField("调结目标期限", null=True, blank=True)
    confirmation_due_on = models.DateField("司法确认申请期限", null=True, blank=True)

    objects = HandedLiveRecordManager()  # type: ignore[misc]
    with_voided = HandedRecordQuerySet.as_manager()  # type: ignore[misc,django-manager-missing,unused-ignore]

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = "人民调解案件"
        verbose_name_plural = verbose_name
        constraints = [
            *Record.kit_constraints("mediation_case"),
            models.CheckConstraint(
                condition=(Q(outcome="") & Q(concluded_on__isnull=True))
                | (~Q(outcome="") & Q(concluded_on__isnull=False)),
                name="mediation_case_outcome_with_date",
            ),
            models.CheckConstraint(
                condition=Q(effective_on__isnull=True) | Q(outcome__in=["written", "oral"]),
                name="mediation_case_effective_only_if_agreed",
            ),
            models.CheckConstraint(
                condition=Q(concluded_on__isnull=True)
                | Q(concluded_on__gte=models.F("received_on")),
                name="mediation_case_concluded_not_before_receipt",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "received_on"]),
            models.Index(fields=["unit", "concluded_on"]),
            models.Index(fields=["unit", "status", "due_on"]),
        ]


class EventKind(models.TextChoices):
    REGISTERED = "registered", "受理登记"
    ASSIGNED = "assigned", "指派调解员"
    RECUSED = "recused", "调解员回避"
    REFUSED = "refused", "当事人拒绝调解，终止"
    WRITTEN = "written", "达成书面调解协议"
    ORAL = "oral", "达成口头调解协议"
    FAILED = "failed", "调解不成，终止调解"
    HANDED_UP = "handed_up", "上报上级调解组织"
    TAKEN_OVER = "taken_over", "上级受理上报案件"
    CONFIRMATION_APPLIED = "confirmation_applied", "当事人申请司法确认"
    CONFIRMATION_RULED = "confirmation_ruled", "法院作出司法确认裁定"
    FOLLOWED_UP = "followed_up", "回访（协议履行情况）"


class CaseEvent(Event):
    record = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=32, choices=event_choices(EventKind))

    class Meta(Event.Meta):
        verbose_name = "调解环节"
        verbose_name_plural = verbose_name


class PartyKind(models.TextChoices):
    PERSON = "person", "自然人"
    ORG = "org", "法人或其他组织"


class Party(Child):
    record = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    kind = models.CharField("当事人类型", max_length=8, choices=PartyKind.choices)
    name = models.CharField("姓名或名称", max_length=100)
    id_number = models.CharField("身份证号或统一社会信用代码", max_length=32, blank=True)
    contact = models.CharField("联系方式", max_length=50, blank=True)
    address = models.CharField("住址", max_length=200, blank=True)

    class Meta(Child.Meta):
        verbose_name = "当事人"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"


class SessionResult(models.TextChoices):
    CONTINUE = "continue", "继续调解"
    AGREED = "agreed", "达成一致"
    DEADLOCK = "deadlock", "未达成一致"


class Session(Child):
    """调解记录 (Art. 27): each sitting of the mediation."""

    record = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sessions")
    on = models.DateField("调解日期")
    place = models.CharField("调解地点", max_length=100)
    present = models.CharField("参加人员", max_length=300)
    content = models.TextField("调解经过", max_length=5000)
    result = models.CharField("本次结果", max_length=16, choices=SessionResult.choices)

    class Meta(Child.Meta):
        verbose_name = "调解记录"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.on:%Y-%m-%d} {self.place}：{self.get_result_display()}"
