"""The 主动公开 register (条例 Arts. 19–26) and the unit's 政府信息公开指南 (Art. 12).

A register entry is one piece of government information the unit must publish proactively:
made or changed on a day, published (within 20 工作日, Art. 26) on a day, somewhere. The entries
double as the 政府信息公开目录 (Art. 12: index number, name, summary, date of creation) and give
the counts of table 二 of the annual report.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from fazhi.core.records.models import Event, Record, event_choices
from fazhi.core.tenancy.access import TenantQuerySet
from fazhi.core.tenancy.models import OrgUnit


class Category(models.TextChoices):
    """What must be published proactively: 条例 Art. 20 (一)–(十五) and the Art. 21 additions."""

    ART20_01 = "art20_01", "第二十条第（一）项 行政法规、规章和规范性文件"
    ART20_02 = (
        "art20_02",
        "第二十条第（二）项 机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名",
    )
    ART20_03 = "art20_03", "第二十条第（三）项 国民经济和社会发展规划、专项规划、区域规划及相关政策"
    ART20_04 = "art20_04", "第二十条第（四）项 国民经济和社会发展统计信息"
    ART20_05 = (
        "art20_05",
        "第二十条第（五）项 办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果",
    )
    ART20_06 = (
        "art20_06",
        "第二十条第（六）项 实施行政处罚、行政强制的依据、条件、程序以及具有一定社会影响的行政处罚决定",
    )
    ART20_07 = "art20_07", "第二十条第（七）项 财政预算、决算信息"
    ART20_08 = "art20_08", "第二十条第（八）项 行政事业性收费项目及其依据、标准"
    ART20_09 = "art20_09", "第二十条第（九）项 政府集中采购项目的目录、标准及实施情况"
    ART20_10 = "art20_10", "第二十条第（十）项 重大建设项目的批准和实施情况"
    ART20_11 = (
        "art20_11",
        "第二十条第（十一）项 扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况",
    )
    ART20_12 = "art20_12", "第二十条第（十二）项 突发公共事件的应急预案、预警信息及应对情况"
    ART20_13 = (
        "art20_13",
        "第二十条第（十三）项 环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况",
    )
    ART20_14 = "art20_14", "第二十条第（十四）项 公务员招考的职位、名额、报考条件等事项以及录用结果"
    ART20_15 = (
        "art20_15",
        "第二十条第（十五）项 法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息",
    )
    ART21_COUNTY = (
        "art21_county",
        "第二十一条（设区的市级、县级人民政府及其部门） 市政建设、公共服务、公益事业、土地征收、房屋征收、治安管理、社会救助等",
    )
    ART21_TOWNSHIP = (
        "art21_township",
        "第二十一条（乡（镇）人民政府） 农业农村政策、农田水利工程建设运营、农村土地承包经营权流转、宅基地使用情况审核、土地征收、房屋征收、筹资筹劳、社会救助等",
    )


class ChangeKind(models.TextChoices):
    MADE = "made", "新形成"
    CHANGED = "changed", "变更"


class Table2Kind(models.TextChoices):
    """The rows of table 二 (国办公开办函〔2021〕30号); codes are the report's row codes."""

    REGULATIONS = "regulations", "规章"
    NORMATIVE_DOCUMENTS = "normative_documents", "行政规范性文件"
    LICENSING = "licensing", "行政许可"
    PENALTY = "penalty", "行政处罚"
    COERCION = "coercion", "行政强制"
    FEES = "fees", "行政事业性收费"


class DocAction(models.TextChoices):
    """For 规章 and 规范性文件: the columns 本年制发件数 / 本年废止件数 of table 二."""

    ISSUED = "issued", "制发"
    REPEALED = "repealed", "废止"


class PublicationChannel(models.TextChoices):
    """Where it was published (Arts. 23–25)."""

    WEBSITE = "website", "政府网站"
    GAZETTE = "gazette", "政府公报"
    NEW_MEDIA = "new_media", "政务新媒体"
    NOTICE_BOARD = "notice_board", "公开栏"
    OTHER = "other", "其他"


class Status(models.TextChoices):
    PENDING = "pending", "待公开"
    PUBLISHED = "published", "已公开"


# Which table-二 row an entry of a category may count in.
TABLE2_BY_CATEGORY: dict[str, frozenset[str]] = {
    Category.ART20_01: frozenset({Table2Kind.REGULATIONS, Table2Kind.NORMATIVE_DOCUMENTS}),
    Category.ART20_05: frozenset({Table2Kind.LICENSING}),
    Category.ART20_06: frozenset({Table2Kind.PENALTY, Table2Kind.COERCION}),
    Category.ART20_08: frozenset({Table2Kind.FEES}),
}
DOCUMENT_KINDS = frozenset({Table2Kind.REGULATIONS, Table2Kind.NORMATIVE_DOCUMENTS})
DECISION_KINDS = frozenset({Table2Kind.LICENSING, Table2Kind.PENALTY, Table2Kind.COERCION})


def short_category(code: str) -> str:
    """ "第二十条第（一）项 行政法规、…" → "第二十条第（一）项"."""
    return Category(code).label.split(" ")[0]


class ProactiveItem(Record):
    number = models.CharField("索引号", max_length=64)
    title = models.CharField("名称", max_length=300)
    doc_number = models.CharField("文号", max_length=100, blank=True)
    category = models.CharField("类别", max_length=32, choices=Category.choices)
    summary = models.TextField("内容概述", max_length=2000, blank=True)
    change_kind = models.CharField(
        "形成或变更", max_length=16, choices=ChangeKind.choices, default=ChangeKind.MADE
    )
    made_on = models.DateField("形成（变更）日期")
    table2_kind = models.CharField(
        "年报表二统计项", max_length=32, choices=Table2Kind.choices, blank=True
    )
    doc_action = models.CharField(
        "制发或废止", max_length=16, choices=DocAction.choices, blank=True
    )
    quantity = models.PositiveIntegerField("处理决定数量", default=0)
    amount = models.DecimalField(
        "收费金额（元）", max_digits=14, decimal_places=2, default=Decimal("0")
    )

    status = models.CharField("状态", max_length=32, choices=Status.choices, default=Status.PENDING)
    published_on = models.DateField("公开日期", null=True, blank=True)
    channel = models.CharField(
        "公开途径", max_length=32, choices=PublicationChannel.choices, blank=True
    )
    location = models.CharField("公开位置（网址或栏目）", max_length=300, blank=True)

    # The Art. 26 clock's due date, cached (DESIGN invariant 4); see clocks.py.
    publish_due_on = models.DateField("公开期限", null=True, blank=True)

    class Meta:
        ordering = ["-made_on", "-id"]
        verbose_name = "主动公开政府信息"
        verbose_name_plural = verbose_name
        constraints = [
            *Record.kit_constraints("proactive"),
            models.CheckConstraint(
                condition=Q(status="published", published_on__isnull=False)
                | (~Q(status="published") & Q(published_on__isnull=True)),
                name="proactive_published_iff_dated",
            ),
            models.CheckConstraint(
                condition=(Q(published_on__isnull=True) & Q(channel=""))
                | (Q(published_on__isnull=False) & ~Q(channel="")),
                name="proactive_channel_with_date",
            ),
            models.CheckConstraint(
                condition=Q(published_on__isnull=True) | Q(published_on__gte=F("made_on")),
                name="proactive_published_not_before_made",
            ),
            models.CheckConstraint(
                condition=Q(doc_action="")
                | Q(table2_kind__in=["regulations", "normative_documents"]),
                name="proactive_doc_action_for_documents",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "made_on"]),
            models.Index(fields=["unit", "published_on"]),
            models.Index(fields=["unit", "status", "due_on"]),
        ]


class EventKind(models.TextChoices):
    REGISTERED = "registered", "登记"
    PUBLISHED = "published", "公开"


class ProactiveEvent(Event):
    record = models.ForeignKey(ProactiveItem, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=32, choices=event_choices(EventKind))

    class Meta(Event.Meta):
        verbose_name = "主动公开环节"
        verbose_name_plural = verbose_name


class Guide(models.Model):
    """A unit's 政府信息公开指南 (Art. 12). One per unit; saved only through `guide.save_guide`."""

    unit = models.OneToOneField(
        OrgUnit, verbose_name="单位", on_delete=models.PROTECT, related_name="+"
    )
    office_name = models.CharField("政府信息公开工作机构名称", max_length=200)
    address = models.CharField("办公地址", max_length=300)
    postcode = models.CharField("邮政编码", max_length=6, blank=True)
    hours = models.CharField("办公时间", max_length=300)
    phone = models.CharField("联系电话", max_length=100)
    fax = models.CharField("传真号码", max_length=100, blank=True)
    internet = models.CharField("互联网联系方式（网站、电子邮箱）", max_length=300, blank=True)
    categories = models.TextField("政府信息的分类", max_length=5000)
    arrangement = models.TextField("编排体系", max_length=5000)
    proactive_access = models.TextField("主动公开信息的获取方式", max_length=5000)
    how_to_apply = models.TextField("依申请公开的申请方式和办理", max_length=10000)
    fees = models.TextField("收费", max_length=5000)
    remedies = models.TextField("监督和救济", max_length=5000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = "政府信息公开指南"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.unit}政府信息公开指南"
