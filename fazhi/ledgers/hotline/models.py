"""12345 政务服务便民热线 work orders (国办发〔2020〕53号; GB/T 33358-2016), as a unit receives
them from its platform: dispatched, handled, fed back, closed and visited back. The handling
limit (办理时限) is the platform's when the file carries it, else the SLA's (sla.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils import timezone

from fazhi.core.records.models import Event, Record, event_choices
from fazhi.core.tenancy.access import TenantQuerySet
from fazhi.core.tenancy.models import OrgUnit


class Category(models.TextChoices):
    CONSULT = "consult", "咨询"
    HELP = "help", "求助"
    COMPLAINT = "complaint", "投诉"
    REPORT = "report", "举报"
    SUGGESTION = "suggestion", "建议"
    PRAISE = "praise", "表扬"


class Urgency(models.TextChoices):
    URGENT = "urgent", "紧急"
    NORMAL = "normal", "一般"


class Status(models.TextChoices):
    RECEIVED = "received", "待派单"
    HANDLING = "handling", "办理中"
    RETURNED = "returned", "已退单"
    FED_BACK = "fed_back", "已反馈"
    CLOSED = "closed", "已办结"


class VisitResult(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"
    NONE = "none", "未回访"


class LimitSource(models.TextChoices):
    FILE = "file", "平台派单时限"
    SLA = "sla", "按本系统时限设置计算"


class ImportBatch(models.Model):
    """One imported file: every order it created or changed points here (traceability without
    a timeline row per order; ADR 0013)."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name="导入单位", on_delete=models.PROTECT, related_name="+"
    )
    filename = models.CharField("文件名", max_length=255)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.CharField("导入人", max_length=150, blank=True)
    at = models.DateTimeField("导入时间", auto_now_add=True)
    mapping = models.CharField("表头映射", max_length=100, blank=True)
    rows = models.PositiveIntegerField("行数", default=0)
    created = models.PositiveIntegerField("新增", default=0)
    updated = models.PositiveIntegerField("更新", default=0)
    unchanged = models.PositiveIntegerField("无变化", default=0)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "工单导入批次"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.filename}（{timezone.localtime(self.at):%Y-%m-%d %H:%M}）"


class HeaderMapping(models.Model):
    """A platform's export headers, mapped once per unit to fazhi's fields (field -> header)."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name="单位", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField("映射名称", max_length=100)
    columns = models.JSONField("字段与表头", default=dict)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["unit", "name"]
        verbose_name = "导入表头映射"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="hotline_mapping_unique")
        ]

    def __str__(self) -> str:
        return self.name


class WorkOrder(Record):
    # Three of the kit's fields, indexed for a table of millions written by COPY (ADR 0016):
    # the unit's own index would repeat the head of every (unit, …) index below, and the due
    # date, the voiding user and the group's first order are indexed only where set (Meta).
    unit = models.ForeignKey(
        OrgUnit, verbose_name="受理单位", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    due_on = models.DateField("当前期限", null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    number = models.CharField("工单编号", max_length=64)
    status = models.CharField(
        "状态", max_length=32, choices=Status.choices, default=Status.RECEIVED
    )
    called_at = models.DateTimeField("来电时间")
    called_on = models.DateField("来电日期")  # the kit's start date (local date of called_at)
    phone = models.CharField("来电号码", max_length=32, blank=True)
    phone_key = models.CharField("号码检索键", max_length=32, blank=True, editable=False)
    requester = models.CharField("诉求人", max_length=100, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    address_key = models.CharField("地址检索键", max_length=64, blank=True, editable=False)
    category = models.CharField("诉求类型", max_length=16, choices=Category.choices)
    urgency = models.CharField(
        "紧急程度", max_length=16, choices=Urgency.choices, default=Urgency.NORMAL
    )
    content = models.TextField("诉求内容", max_length=5000)
    dispatched_at = models.DateTimeField("派单时间", null=True, blank=True)
    dispatched_on = models.DateField("派单日期", null=True, blank=True)
    time_limit = models.DateTimeField("办理时限", null=True, blank=True)
    limit_source = models.CharField(
        "时限来源", max_length=8, choices=LimitSource.choices, blank=True
    )
    feedback_at = models.DateTimeField("反馈时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    result = models.TextField("办理结果", max_length=5000, blank=True)
    visit_result = models.CharField(
        "回访结果", max_length=16, choices=VisitResult.choices, blank=True
    )
    returns = models.PositiveIntegerField("退单次数", default=0)
    redispatches = models.PositiveIntegerField("重派次数", default=0)
    supervised = models.BooleanField("督办", default=False)
    repeat_of = models.ForeignKey(
        "self",
        verbose_name="重复诉求（首次工单）",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="repeats",
        db_index=False,  # partial index in Meta
    )
    import_batch = models.ForeignKey(
        ImportBatch,
        verbose_name="导入批次",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # The handling clock's due date, cached by the record kit (clocks.py); never edited by hand.
    handle_due_on = models.DateField("办理期限", null=True, blank=True)

    class Meta:
        ordering = ["-called_at", "-id"]
        verbose_name = "12345热线工单"
        verbose_name_plural = verbose_name
        constraints = [
            *Record.kit_constraints("hotline"),
            models.CheckConstraint(
                condition=Q(dispatched_at__isnull=True) | Q(dispatched_at__gte=F("called_at")),
                name="hotline_dispatch_not_before_call",
            ),
            models.CheckConstraint(
                condition=(Q(closed_at__isnull=True) & Q(closed_on__isnull=True))
                | (Q(closed_at__isnull=False) & Q(closed_on__isnull=False)),
                name="hotline_closed_date_with_time",
            ),
        ]
        indexes = [
            # The list's filters and the supervisor's view: by unit and call date, by status
            # and due date (待办), by closing date (figures), the repeat keys (unit first) within a window.
            models.Index(fields=["unit", "called_on"], name="hotline_unit_called"),
            # The list's order (Meta.ordering), read backwards: a supervisor's first page over
            # every unit's orders is the index's last 50 entries, not a sort of them all.
            models.Index(fields=["called_at", "id"], name="hotline_called_order"),
            models.Index(fields=["unit", "status", "due_on"], name="hotline_unit_status_due"),
            models.Index(fields=["unit", "category", "called_on"], name="hotline_unit_cat"),
            models.Index(fields=["unit", "closed_on"], name="hotline_unit_closed"),
            models.Index(fields=["number"], name="hotline_number"),
            # The list's search by a number's beginning in any case, and the import's and
            # registration's check for a number differing from a stored one only by case.
            models.Index(Upper("number"), name="hotline_number_upper"),
            # Unit first, as repeats are looked up within a unit: the import's rows, sorted by
            # unit, then go into one part of each index after another (ADR 0016).
            models.Index(fields=["unit", "phone_key", "called_on"], name="hotline_unit_phone_key"),
            models.Index(
                fields=["unit", "address_key", "called_on"], name="hotline_unit_address_key"
            ),
            # Set on few orders (the open ones, repeats, voided ones): a partial index costs an
            # insert nothing where the column is empty and still serves `= x`, `< x` and the
            # deletions that null the column.
            models.Index(
                fields=["due_on"], condition=Q(due_on__isnull=False), name="hotline_due_on"
            ),
            models.Index(
                fields=["repeat_of"],
                condition=Q(repeat_of__isnull=False),
                name="hotline_repeat_of",
            ),
            models.Index(
                fields=["voided_by"],
                condition=Q(voided_by__isnull=False),
                name="hotline_voided_by",
            ),
        ]

    @property
    def on_time(self) -> bool | None:
        done = self.feedback_at or self.closed_at
        if done is None or self.time_limit is None:
            return None
        return done <= self.time_limit


class EventKind(models.TextChoices):
    REGISTERED = "registered", "登记"
    DISPATCHED = "dispatched", "派单"
    RETURNED = "returned", "退单"
    REDISPATCHED = "redispatched", "重派"
    FED_BACK = "fed_back", "反馈"
    CLOSED = "closed", "办结"
    VISITED = "visited", "回访"
    SUPERVISED = "supervised", "督办"


class WorkOrderEvent(Event):
    record = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=32, choices=event_choices(EventKind))

    class Meta(Event.Meta):
        verbose_name = "工单办理环节"
        verbose_name_plural = verbose_name


# The facts registered with an order: 更正登记信息 may correct them (the ledger's correctable).
REGISTERED = ("called_at", "phone", "requester", "address", "category", "urgency", "content")
# The platform's fields of an order: an update (a push, a re-import) may change them in place,
# each change audited.
UPDATABLE = (
    *REGISTERED,
    "dispatched_at",
    "time_limit",
    "feedback_at",
    "closed_at",
    "result",
    "visit_result",
    "returns",
    "redispatches",
    "supervised",
)
