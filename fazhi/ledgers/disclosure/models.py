from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import F, Q

from fazhi.core.records.models import Event, Record, event_choices


class ApplicantCategory(models.TextChoices):
    """The six applicant columns of table 三 (国办公开办函〔2021〕30号)."""

    NATURAL_PERSON = "natural_person", "自然人"
    BUSINESS = "business", "商业企业"
    RESEARCH = "research", "科研机构"
    NONPROFIT = "nonprofit", "社会公益组织"
    LEGAL_SERVICES = "legal_services", "法律服务机构"
    OTHER_ORG = "other_org", "其他"


class Channel(models.TextChoices):
    """How the application arrived; decides the receipt day (条例 Art. 31)."""

    IN_PERSON = "in_person", "当面提交"
    REGISTERED_POST = "registered_post", "邮政快递（需签收）"
    LETTER = "letter", "平常信函"
    ONLINE = "online", "互联网渠道"
    EMAIL = "email", "电子邮件"
    FAX = "fax", "传真"
    ORAL = "oral", "口头提出（代为填写）"


class IdType(models.TextChoices):
    """The applicant's identity document (条例 Art. 29(一)); organisations give their code."""

    RESIDENT_ID = "resident_id", "居民身份证"
    HK_MACAO_PERMIT = "hk_macao_permit", "港澳居民来往内地通行证"
    TAIWAN_PERMIT = "taiwan_permit", "台湾居民来往大陆通行证"
    RESIDENCE_PERMIT = "residence_permit", "港澳台居民居住证"
    PASSPORT = "passport", "护照"
    FOREIGN_PR = "foreign_pr", "外国人永久居留身份证"
    OTHER = "other", "其他身份证件"
    CREDIT_CODE = "credit_code", "统一社会信用代码"


PERSONAL_ID_TYPES = frozenset(IdType.values) - {IdType.CREDIT_CODE}


class Confirmation(models.TextChoices):
    """How the office confirmed receipt with the applicant (Art. 31(二)(三))."""

    PHONE = "phone", "电话确认"
    SMS = "sms", "短信确认"
    EMAIL = "email", "电子邮件确认"
    SYSTEM = "system", "申请平台回执"
    IN_PERSON = "in_person", "当面确认"
    OTHER = "other", "其他方式"


# Channels whose receipt day is the day receipt was confirmed with the applicant (Art. 31).
CONFIRMED_CHANNELS = frozenset({"letter", "online", "email", "fax"})


class Status(models.TextChoices):
    RECEIVED = "received", "办理中"
    AWAITING_CORRECTION = "awaiting_correction", "待补正"
    CONSULTING = "consulting", "征求意见中"
    AWAITING_FEE = "awaiting_fee", "待缴费"
    CLOSED = "closed", "已办结"


class Outcome(models.TextChoices):
    """One outcome per application, each a row of table 三; labels are the format's, unnumbered."""

    GRANTED = "granted", "予以公开"
    PARTIAL = "partial", "部分公开"
    WITHHELD_1 = "withheld_1", "属于国家秘密"
    WITHHELD_2 = "withheld_2", "其他法律行政法规禁止公开"
    WITHHELD_3 = "withheld_3", "危及“三安全一稳定”"
    WITHHELD_4 = "withheld_4", "保护第三方合法权益"
    WITHHELD_5 = "withheld_5", "属于三类内部事务信息"
    WITHHELD_6 = "withheld_6", "属于四类过程性信息"
    WITHHELD_7 = "withheld_7", "属于行政执法案卷"
    WITHHELD_8 = "withheld_8", "属于行政查询事项"
    UNABLE_1 = "unable_1", "本机关不掌握相关政府信息"
    UNABLE_2 = "unable_2", "没有现成信息需要另行制作"
    UNABLE_3 = "unable_3", "补正后申请内容仍不明确"
    NOT_PROCESSED_1 = "not_processed_1", "信访举报投诉类申请"
    NOT_PROCESSED_2 = "not_processed_2", "重复申请"
    NOT_PROCESSED_3 = "not_processed_3", "要求提供公开出版物"
    NOT_PROCESSED_4 = "not_processed_4", "无正当理由大量反复申请"
    NOT_PROCESSED_5 = "not_processed_5", "要求行政机关确认或重新出具已获取信息"
    OTHER_1 = "other_1", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    OTHER_2 = "other_2", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    OTHER_3 = "other_3", "其他"


class FeeMethod(models.TextChoices):
    PER_ITEM = "per_item", "按件计收"
    PER_PAGE = "per_page", "按量计收"


class ServiceMethod(models.TextChoices):
    """How a notice reached its addressee (送达方式); the applicant's and the consulted party's
    periods run from the day of receipt (条例 Arts. 30, 32; 109号)."""

    IN_PERSON = "in_person", "当面送达"
    POST = "post", "邮寄送达"
    ELECTRONIC = "electronic", "电子送达"
    OTHER = "other", "其他方式"


class PartyKind(models.TextChoices):
    """Whom the office consults; the time is excluded from the reply period (Art. 33(3))."""

    THIRD_PARTY = "third_party", "第三方（条例第三十二条）"
    CO_AUTHOR = "co_author", "共同制作机关（条例第三十四条）"
    OTHER_AGENCY = "other_agency", "其他机关（条例第三十三条第三款）"


class WithdrawalMethod(models.TextChoices):
    """How the applicant withdrew the application (撤回); the ledger keeps how it is evidenced."""

    WRITTEN = "written", "书面撤回申请"
    ONLINE = "online", "通过网上申请平台撤回"
    IN_PERSON = "in_person", "当面撤回并签字确认"
    PHONE = "phone", "电话撤回（已记录）"


class ConsultationAnswer(models.TextChoices):
    AGREE = "agree", "同意公开"
    OBJECT = "object", "不同意公开"
    PARTIAL = "partial", "部分同意公开"
    NO_ANSWER = "no_answer", "逾期未提出意见"


class Application(Record):
    """An application for government information (依申请公开), with the Art. 29 content."""

    number = models.CharField("申请编号", max_length=64)
    received_on = models.DateField("收到日期")
    # Art. 31: for a letter or an online/e-mail/fax application the receipt day is the day
    # receipt was confirmed with the applicant; the day it arrived is kept beside it.
    arrived_on = models.DateField("到达日期", null=True, blank=True)
    confirmed_via = models.CharField(
        "确认方式", max_length=16, choices=Confirmation.choices, blank=True
    )
    channel = models.CharField(
        "收到方式", max_length=32, choices=Channel.choices, default=Channel.IN_PERSON
    )
    applicant_category = models.CharField(
        "申请人类型", max_length=32, choices=ApplicantCategory.choices
    )
    applicant_name = models.CharField("申请人", max_length=200)
    id_type = models.CharField("证件类型", max_length=32, choices=IdType.choices, blank=True)
    id_number = models.CharField("证件号码", max_length=32, blank=True)
    contact = models.CharField("联系方式", max_length=200, blank=True)
    content = models.TextField("申请内容", max_length=5000)
    form_requested = models.CharField("所需信息形式及获取方式", max_length=200, blank=True)

    status = models.CharField(
        "状态", max_length=32, choices=Status.choices, default=Status.RECEIVED
    )
    outcome = models.CharField("办理结果", max_length=32, choices=Outcome.choices, blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    fee_amount = models.DecimalField(
        "收费金额（元）", max_digits=10, decimal_places=2, default=Decimal("0")
    )
    # Section 六 reports the fees collected in the year by this date (not by the reply's).
    fee_paid_on = models.DateField("缴费日期", null=True, blank=True)

    # Each clock's due date, cached (DESIGN invariant 4); see clocks.py. Never edited by hand.
    reply_due_on = models.DateField("答复期限", null=True, blank=True)
    correction_notice_due_on = models.DateField("补正告知期限", null=True, blank=True)
    correction_due_on = models.DateField("补正期限", null=True, blank=True)
    third_party_due_on = models.DateField("征求意见期限", null=True, blank=True)
    fee_due_on = models.DateField("缴费期限", null=True, blank=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = "政府信息公开申请"
        verbose_name_plural = verbose_name
        constraints = [
            *Record.kit_constraints("disclosure"),
            models.CheckConstraint(
                condition=(Q(outcome="") & Q(replied_on__isnull=True))
                | (~Q(outcome="") & Q(replied_on__isnull=False)),
                name="disclosure_outcome_and_reply_date_together",
            ),
            models.CheckConstraint(
                condition=Q(replied_on__isnull=True) | Q(replied_on__gte=F("received_on")),
                name="disclosure_reply_not_before_receipt",
            ),
            models.CheckConstraint(
                condition=Q(fee_paid_on__isnull=True) | Q(fee_paid_on__gte=F("received_on")),
                name="disclosure_fee_paid_not_before_receipt",
            ),
            models.CheckConstraint(
                condition=Q(status="closed", replied_on__isnull=False)
                | (~Q(status="closed") & Q(replied_on__isnull=True)),
                name="disclosure_closed_iff_replied",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "received_on"]),
            models.Index(fields=["unit", "replied_on"]),
            models.Index(fields=["unit", "status", "due_on"]),
        ]


class EventKind(models.TextChoices):
    REGISTERED = "registered", "登记"
    CORRECTION_REQUESTED = "correction_requested", "发出补正通知"
    CORRECTED = "corrected", "收到补正"
    CONSULTATION_STARTED = "consultation_started", "开始征求意见"
    CONSULTATION_ENDED = "consultation_ended", "征求意见结束"
    EXTENSION_REQUESTED = "extension_requested", "提请延期"
    EXTENSION_REFUSED = "extension_refused", "不予批准延期"
    EXTENDED = "extended", "批准延期"
    FEE_NOTICE = "fee_notice", "发出收费通知"
    FEE_PAID = "fee_paid", "缴费"
    SERVED = "served", "登记送达"
    FEE_RELIEF_REQUESTED = "fee_relief_requested", "提请减免信息处理费"
    FEE_RELIEF_REFUSED = "fee_relief_refused", "不予批准减免"
    FEE_WAIVED = "fee_waived", "批准免收信息处理费"
    FEE_REDUCED = "fee_reduced", "批准减收信息处理费"
    REPLY_SUBMITTED = "reply_submitted", "提交答复审核"
    REPLY_RETURNED = "reply_returned", "答复审核退回"
    REPLY_APPROVED = "reply_approved", "答复审核通过"
    REPLIED = "replied", "答复"
    WITHDRAWN = "withdrawn", "申请人撤回"
    CLOSED_UNCORRECTED = "closed_uncorrected", "逾期未补正，不再处理"
    CLOSED_UNPAID = "closed_unpaid", "逾期未缴费，不再处理"


class ApplicationEvent(Event):
    """A dated step of an application; the clocks derive deadlines from these."""

    record = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=32, choices=event_choices(EventKind))

    class Meta(Event.Meta):
        verbose_name = "办理环节"
        verbose_name_plural = verbose_name


# The 主动公开 register and the 指南 live in their own module; Django finds models where the
# app's models module imports them.
from fazhi.ledgers.disclosure.proactive.models import (  # noqa: E402
    Guide,
    ProactiveEvent,
    ProactiveItem,
)

__all__ = [
    "ApplicantCategory",
    "Application",
    "ApplicationEvent",
    "Channel",
    "ConsultationAnswer",
    "EventKind",
    "FeeMethod",
    "Guide",
    "Outcome",
    "ProactiveEvent",
    "ProactiveItem",
    "Status",
]
