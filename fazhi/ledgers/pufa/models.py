"""普法 / 学法: the 普法责任清单 items of "谁执法谁普法" per department, the 普法 activities
that tick them off, the roster of 法律明白人 per village or community, and the sessions of 学法
and the law exams with their participation and pass counts. Four ledgers on the record kit.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from fazhi.core.records.models import Event, Record, event_choices

# --- 普法责任清单 ----------------------------------------------------------------------------


class DutyStatus(models.TextChoices):
    OPEN = "open", "待落实"
    DONE = "done", "已落实"


class Duty(Record):
    """One item of a department's 普法责任清单 for a year; an activity ticks it off."""

    number = models.CharField("清单事项编号", max_length=64)
    status = models.CharField(
        "状态", max_length=32, choices=DutyStatus.choices, default=DutyStatus.OPEN
    )
    year = models.PositiveSmallIntegerField("清单年度")
    department = models.CharField("责任部门", max_length=100)
    content = models.CharField("普法事项", max_length=500)
    laws = models.CharField("重点宣传的法律法规", max_length=300, blank=True)
    listed_on = models.DateField("列入清单日期")
    planned_on = models.DateField("计划完成日期", null=True, blank=True)
    done_on = models.DateField("落实日期", null=True, blank=True)
    plan_due_on = models.DateField("完成期限", null=True, blank=True)

    class Meta:
        ordering = ["-year", "department", "number"]
        verbose_name = "普法责任清单事项"
        verbose_name_plural = verbose_name
        constraints = [
            *Record.kit_constraints("pufa_duty"),
            models.CheckConstraint(
                condition=(Q(status="done") & Q(done_on__isnull=False))
                | (~Q(status="done") & Q(done_on__isnull=True)),
                name="pufa_duty_done_with_date",
            ),
            models.CheckConstraint(
                condition=Q(planned_on__isnull=True) | Q(planned_on__gte=F("listed_on")),
                name="pufa_duty_planned_not_before_listed",
            ),
        ]
        indexes = [models.Index(fields=["unit", "year", "department"])]

    def __str__(self) -> str:
        return f"{self.number} {self.department}：{self.content[:30]}"


class DutyEventKind(models.TextChoices):
    REGISTERED = "registered", "列入责任清单"
    TICKED = "ticked", "由普法活动落实"
    REOPENED = "reopened", "撤销落实"


class DutyEvent(Event):
    record = models.ForeignKey(Duty, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=32, choices=event_choices(DutyEventKind))

    class Meta(Event.Meta):
        verbose_name = "责任清单事项环节"
        verbose_name_plural = verbose_name


# --- 普法活动 --------------------------------------------------------------------------------


class Theme(models.TextChoices):
    CONSTITUTION_WEEK = "constitution_week", "宪法宣传周"
    CIVIL_CODE_MONTH = "civil_code_month", "民法典宣传月"
    NATIONAL_SECURITY_DAY = "national_security_day", "全民国家安全教育日"
    ANTI_DRUG = "anti_drug", "国际禁毒日"
    CONSUMER_RIGHTS = "consumer_rights", "消费者权益日"
    OTHER = "other", "其他主题"


class Form(models.TextChoices):
    LECTURE = "lecture", "法治讲座"
    CONSULTATION = "consultation", "法律咨询"
    EXHIBITION = "exhibition", "展板、横幅宣传"
    PERFORMANCE = "performance", "法治文艺演出"
    DOOR_TO_DOOR = "door_to_door", "送法进社区（村）、入户"
    CONTEST = "contest", "知识竞赛"
    ONLINE = "online", "网络宣传"
    OTHER = "other", "其他形式"


class Audience(models.TextChoices):
    RESIDENTS = "residents", "社区居民、村民"
    YOUTH = "youth", "青少年学生"
    WORKERS = "workers", "企业职工"
    MIGRANTS = "migrants", "外来务工人员"
    ELDERLY = "elderly", "老年人"
    OFFICIALS = "officials", "国家工作人员"
    BUSINESSES = "businesses", "经营主体"
    OTHER = "other", "其他对象"


class ActivityStatus(models.TextChoices):
    HELD = "held", "已开展"


class Activity(Record):
    number = models.CharField("活动编号", max_length=64)
    status = models.CharField(
        "状态", max_length=32, choices=ActivityStatus.choices, default=ActivityStatus.HELD
    )
    held_on = models.DateField("活动日期")
    title = models.CharField("活动名称", max_length=200)
    theme = models.CharField("主题", max_length=32, choices=Theme.choices)
    theme_note = models.CharField("其他主题名称", max_length=100, blank=True)
    form = models.CharField("形式", max_length=16, choices=Form.choices)
    venue = models.CharField("地点", max_length=200)
    audience = models.CharField("对象", max_length=16, choices=Audience.choices)
    attendance = models.PositiveIntegerField("参与人次")
    materials = models.PositiveIntegerField("发放资料份数", default=0)
    online_reach = models.PositiveIntegerField("线上覆盖人次", default=0)
    partner = models.CharField("合办单位", max_length=200, blank=True)
    summary = models.TextField("活动情况", max_length=2000, blank=True)
    duty = models.ForeignKey(
        Duty,
        verbose_name="落实的责任清单事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = "普法活动"
        verbose_name_plural = verbose_name
        constraints = [
            *Record.kit_constraints("pufa_activity"),
            models.CheckConstraint(
                condition=Q(theme="other") | Q(theme_note=""), name="pufa_activity_theme_note"
            ),
        ]
        indexes = [models.Index(fields=["unit", "held_on"])]

    @property
    def theme_shown(self) -> str:
        if self.theme == Theme.OTHER and self.theme_note:
            return self.theme_note
        return self.get_theme_display()


class ActivityEventKind(models.TextChoices):
    REGISTERED = "registered", "登记普法活动"
    TICKED = "ticked", "落实责任清单事项"
    UNTICKED = "unticked", "撤销落实责任清单事项"


class ActivityEvent(Event):
    record = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=32, choices=event_choices(ActivityEventKind))

    class Meta(Event.Meta):
        verbose_name = "普法活动环节"
        verbose_name_plural = verbose_name


# --- 法律明白人 ------------------------------------------------------------------------------


class Gender(models.TextChoices):
    FEMALE = "female", "女"
    MALE = "male", "男"


class Background(models.TextChoices):
    CADRE = "cadre", "村（社区）“两委”成员"
    MEDIATOR = "mediator", "人民调解员"
    GRID = "grid", "网格员"
    GROUP_LEADER = "group_leader", "村（居）民小组长"
    PARTY_MEMBER = "party_member", "党员"
    VOLUNTEER = "volunteer", "法治志愿者"
    OTHER = "other", "其他"


class PersonStatus(models.TextChoices):
    ACTIVE = "active", "在册"
    LEFT = "left", "已退出"


class Person(Record):
    """A 法律明白人 on the roster of a village or community of the unit."""

    number = models.CharField("名册编号", max_length=64)
    status = models.CharField(
        "状态", max_length=32, choices=PersonStatus.choices, default=PersonStatus.ACTIVE
    )
    community = models.CharField("所在村（社区）", max_length=100)
    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=8, choices=Gender.choices)
    background = models.CharField("身份", max_length=16, choices=Background.choices)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    id_number = models.CharField("身份证号", max_length=18, blank=True)
    joined_on = models.DateField("纳入名册日期")
    trained = models.CharField("培训情况", max_length=300, blank=True)
    left_on = models.DateField("退出日期", null=True, blank=True)

    class Meta:
        ordering = ["community", "name", "id"]
        verbose_name = "法律明白人"
        verbose_name_plural = verbose_name
        constraints = [
            *Record.kit_constraints("pufa_person"),
            models.CheckConstraint(
                condition=(Q(status="left") & Q(left_on__isnull=False))
                | (~Q(status="left") & Q(left_on__isnull=True)),
                name="pufa_person_left_with_date",
            ),
        ]
        indexes = [models.Index(fields=["unit", "community"])]

    def __str__(self) -> str:
        return self.number


class PersonEventKind(models.TextChoices):
    REGISTERED = "registered", "纳入法律明白人名册"
    LEFT = "left", "退出名册"


class PersonEvent(Event):
    record = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=32, choices=event_choices(PersonEventKind))

    class Meta(Event.Meta):
        verbose_name = "法律明白人变动"
        verbose_name_plural = verbose_name


# --- 学法与考试 ------------------------------------------------------------------------------


class StudyKind(models.TextChoices):
    CENTER_GROUP = "center_group", "党委（党组）理论学习中心组学法"
    LECTURE = "lecture", "法律讲堂（法治讲座）"
    PRE_MEETING = "pre_meeting", "会前学法"
    OTHER_STUDY = "other_study", "其他集体学法"
    EXAM = "exam", "学法用法考试"
    APPOINTMENT_EXAM = "appointment_exam", "任前法律知识考试"


EXAMS = frozenset({StudyKind.EXAM, StudyKind.APPOINTMENT_EXAM})
STUDIES = frozenset(StudyKind.values) - EXAMS


class StudyStatus(models.TextChoices):
    HELD = "held", "已举行"


class Study(Record):
    """A session of 学法, or an exam: who should take part, who did, and (exams) who passed."""

    number = models.CharField("编号", max_length=64)
    status = models.CharField(
        "状态", max_length=32, choices=StudyStatus.choices, default=StudyStatus.HELD
    )
    held_on = models.DateField("日期")
    kind = models.CharField("类别", max_length=24, choices=StudyKind.choices)
    topic = models.CharField("学习内容或考试名称", max_length=300)
    lecturer = models.CharField("主讲人或组织部门", max_length=100, blank=True)
    expected = models.PositiveIntegerField("应参加人数")
    participants = models.PositiveIntegerField("实际参加人数")
    passed = models.PositiveIntegerField("考试通过人数", null=True, blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = "学法与考试"
        verbose_name_plural = verbose_name
        constraints = [
            *Record.kit_constraints("pufa_study"),
            models.CheckConstraint(
                condition=Q(participants__lte=F("expected")),
                name="pufa_study_participants_within_expected",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind__in=sorted(EXAMS))
                    & Q(passed__isnull=False)
                    & Q(passed__lte=F("participants"))
                )
                | (~Q(kind__in=sorted(EXAMS)) & Q(passed__isnull=True)),
                name="pufa_study_passed_for_exams_within_participants",
            ),
        ]
        indexes = [models.Index(fields=["unit", "held_on"])]

    @property
    def is_exam(self) -> bool:
        return self.kind in EXAMS


class StudyEventKind(models.TextChoices):
    REGISTERED = "registered", "登记学法或考试"


class StudyEvent(Event):
    record = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=32, choices=event_choices(StudyEventKind))

    class Meta(Event.Meta):
        verbose_name = "学法与考试环节"
        verbose_name_plural = verbose_name
