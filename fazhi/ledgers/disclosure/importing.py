"""The disclosure ledger's Excel/CSV columns (Chinese headers) and the checks across columns.

Empty step dates mean the step did not happen; an empty 办理结果 means the application is open.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from fazhi.core.imports.parsers import (
    ImportValueError,
    parse_choice,
    parse_date,
    parse_int,
    parse_money,
    parse_text,
)
from fazhi.core.imports.spec import Column, ImportSpec, ParsedRow, RowError
from fazhi.core.records.bulk import APPROVER_MAX_LENGTH
from fazhi.ledgers.disclosure import replies, rules
from fazhi.ledgers.disclosure.models import (
    ApplicantCategory,
    Application,
    Channel,
    Confirmation,
    FeeMethod,
    IdType,
    Outcome,
    PartyKind,
    ServiceMethod,
)

CATEGORY_BY_LABEL = {label: code for code, label in ApplicantCategory.choices}
CHANNEL_BY_LABEL = {label: code for code, label in Channel.choices}
CHANNEL_ALIASES = {
    "当面": Channel.IN_PERSON,
    "现场": Channel.IN_PERSON,
    "信函": Channel.LETTER,
    "邮寄": Channel.REGISTERED_POST,
    "网络": Channel.ONLINE,
    "网上": Channel.ONLINE,
    "政府网站": Channel.ONLINE,
    "邮件": Channel.EMAIL,
    "口头": Channel.ORAL,
}
# A withdrawal is outcome 其他 (table 三 （六）3) reached by its own move; the file says which.
WITHDRAWN = "withdrawn"
WITHDRAWN_LABEL = "申请人撤回"
OUTCOME_BY_LABEL = {label: code for code, label in Outcome.choices} | {WITHDRAWN_LABEL: WITHDRAWN}
ID_TYPE_BY_LABEL = {label: code for code, label in IdType.choices}
ID_TYPE_ALIASES = {"身份证": IdType.RESIDENT_ID, "信用代码": IdType.CREDIT_CODE}
CONFIRMATION_BY_LABEL = {label: code for code, label in Confirmation.choices}
CONFIRMATION_ALIASES = {
    "电话": Confirmation.PHONE,
    "短信": Confirmation.SMS,
    "邮件": Confirmation.EMAIL,
}
SERVICE_BY_LABEL = {label: code for code, label in ServiceMethod.choices}
SERVICE_ALIASES = {
    "当面": ServiceMethod.IN_PERSON,
    "直接送达": ServiceMethod.IN_PERSON,
    "邮寄": ServiceMethod.POST,
    "挂号信": ServiceMethod.POST,
    "EMS": ServiceMethod.POST,
    "电子": ServiceMethod.ELECTRONIC,
    "电子邮件": ServiceMethod.ELECTRONIC,
    "网上": ServiceMethod.ELECTRONIC,
    "其他": ServiceMethod.OTHER,
}
FEE_METHOD_BY_LABEL = {label: code for code, label in FeeMethod.choices}
FEE_METHOD_ALIASES = {"按件": FeeMethod.PER_ITEM, "按量": FeeMethod.PER_PAGE}
PARTY_BY_LABEL = {label.split("（")[0]: code for code, label in PartyKind.choices}
DATE_HELP = "日期，如 2026-03-01；未发生的环节留空"
SERVICE_HELP = "当面送达、邮寄送达、电子送达、其他方式；留空表示未登记"
SERVED_HELP = "对方收到通知之日（邮寄的为签收日期）；留空：当面、电子送达按通知日期，邮寄按推定"


def _optional(
    header: str,
    key: str,
    parse: Callable[[object], object] = parse_text,
    *,
    help: str = "",
    max_length: int | None = None,
) -> Column:
    """A column added after the first template: old files without it still import."""
    return Column(
        header, key, parse, required=False, allow_blank=True, help=help, max_length=max_length
    )


_SCIENTIFIC = re.compile(r"[0-9]+(?:\.[0-9]+)?[eE]\+[0-9]+")


_MASKED = re.compile(r"[0-9A-Za-z]{0,6}\*{4,}[0-9Xx]{0,4}")


def parse_id_text(value: object) -> str:
    """An ID number as typed. One kept as a number beyond Excel's 15 digits (or saved to CSV as
    1.10101E+17) has lost its last digits and must be refused, not stored."""
    text = parse_text(value)
    lost = isinstance(value, float) and not (value.is_integer() and abs(value) < 1e15)
    if lost or _SCIENTIFIC.fullmatch(text):
        raise ImportValueError(
            f"是数字格式，Excel 只保留15位有效数字，号码已失真（{text}）；请将该列设为文本格式后重新填写"
        )
    if _MASKED.fullmatch(text):
        return ""  # fazhi's own export masks ID numbers: importing it back keeps none
    return text


SPEC = ImportSpec(
    name="政府信息公开申请",
    key="number",
    columns=(
        Column(
            "申请编号",
            "number",
            help="本单位内唯一，重复导入同一编号不会重复登记",
            example="YSQ-2026-0001",
        ),
        Column(
            "收到日期",
            "received_on",
            parse_date,
            help="首次收到申请之日，如 2026-03-02",
            example="2026-03-02",
        ),
        Column(
            "申请人类型",
            "applicant_category",
            parse_choice(CATEGORY_BY_LABEL),
            help="自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他",
            example="自然人",
        ),
        Column("申请人", "applicant_name", example="张三"),
        Column(
            "证件类型",
            "id_type",
            parse_choice(ID_TYPE_BY_LABEL, ID_TYPE_ALIASES),
            required=False,
            allow_blank=True,
            help="居民身份证、港澳居民来往内地通行证、护照……或统一社会信用代码；留空时自然人按居民身份证、组织按统一社会信用代码",
            example="居民身份证",
        ),
        Column(
            "证件号码",
            "id_number",
            parse_id_text,
            required=False,
            allow_blank=True,
            help="自然人填写身份证件号码（居民身份证校验校验位），组织填写统一社会信用代码（校验）；请设为文本格式",
            example="",
        ),
        Column("联系方式", "contact", required=False, allow_blank=True, example="138****0000"),
        Column(
            "申请内容",
            "content",
            help="所需政府信息的名称、文号或特征性描述",
            example="2025年辖区老旧小区改造项目清单",
        ),
        Column(
            "收到方式",
            "channel",
            parse_choice(CHANNEL_BY_LABEL, CHANNEL_ALIASES),
            required=False,
            allow_blank=True,
            help="当面提交、邮政快递（需签收）、平常信函、互联网渠道、电子邮件、传真、口头提出（代为填写）；留空按当面提交",
            example="互联网渠道",
        ),
        Column(
            "到达日期",
            "arrived_on",
            parse_date,
            required=False,
            allow_blank=True,
            help="平常信函、互联网等渠道申请到达之日（收到日期为确认之日）；可留空",
        ),
        Column(
            "确认方式",
            "confirmed_via",
            parse_choice(CONFIRMATION_BY_LABEL, CONFIRMATION_ALIASES),
            required=False,
            allow_blank=True,
            help="与申请人确认收到的方式：电话确认、短信确认、电子邮件确认、申请平台回执、当面确认、其他方式",
        ),
        Column(
            "补正通知日期", "correction_requested_on", parse_date, allow_blank=True, help=DATE_HELP
        ),
        Column("补正完成日期", "corrected_on", parse_date, allow_blank=True, help=DATE_HELP),
        Column(
            "征求意见开始日期",
            "consultation_started_on",
            parse_date,
            allow_blank=True,
            help=DATE_HELP,
        ),
        Column(
            "征求意见结束日期",
            "consultation_ended_on",
            parse_date,
            allow_blank=True,
            help=DATE_HELP,
        ),
        Column(
            "收费通知日期",
            "fee_notice_on",
            parse_date,
            required=False,
            allow_blank=True,
            help=DATE_HELP,
        ),
        Column(
            "延期日期",
            "extended_on",
            parse_date,
            allow_blank=True,
            help="负责人批准延期之日；" + DATE_HELP,
        ),
        Column(
            "延期批准人",
            "extension_approver",
            required=False,
            allow_blank=True,
            help="批准延期的负责人姓名（导入的批准记为“导入”，不记为导入人本人的操作）",
            example="",
            max_length=APPROVER_MAX_LENGTH,
        ),
        Column(
            "答复日期",
            "replied_on",
            parse_date,
            allow_blank=True,
            help="留空表示尚在办理",
            example="2026-03-20",
        ),
        Column(
            "办理结果",
            "outcome",
            parse_choice(OUTCOME_BY_LABEL),
            allow_blank=True,
            help="年报表三的办理结果（不含序号），如 予以公开、部分公开、本机关不掌握相关政府信息；"
            "申请人撤回的填“申请人撤回”（计入“其他处理 3.其他”）；留空表示尚在办理",
            example="予以公开",
        ),
        Column(
            "收费金额",
            "fee_amount",
            parse_money,
            required=False,
            allow_blank=True,
            help="实际收取的信息处理费，单位：元",
            example="",
        ),
        _optional(
            "缴费日期",
            "fee_paid_on",
            parse_date,
            help="申请人缴费之日（年报按缴费日期统计收费）；" + DATE_HELP,
        ),
        _optional(
            "计收方式",
            "fee_method",
            parse_choice(FEE_METHOD_BY_LABEL, FEE_METHOD_ALIASES),
            help="按件计收或按量计收（只能一种）",
        ),
        _optional("计收数量", "fee_quantity", parse_int, help="按件：本月第几件；按量：页数"),
        _optional(
            "收费通知送达方式",
            "fee_service",
            parse_choice(SERVICE_BY_LABEL, SERVICE_ALIASES),
            help=SERVICE_HELP,
        ),
        _optional("收费通知送达日期", "fee_served_on", parse_date, help=SERVED_HELP),
        _optional(
            "补正通知送达方式",
            "correction_service",
            parse_choice(SERVICE_BY_LABEL, SERVICE_ALIASES),
            help=SERVICE_HELP,
        ),
        _optional("补正通知送达日期", "correction_served_on", parse_date, help=SERVED_HELP),
        _optional(
            "征求意见对象类型",
            "party_kind",
            parse_choice(PARTY_BY_LABEL),
            help="第三方、共同制作机关、其他机关；留空按第三方",
        ),
        _optional(
            "征求意见送达方式",
            "consultation_service",
            parse_choice(SERVICE_BY_LABEL, SERVICE_ALIASES),
            help=SERVICE_HELP,
        ),
        _optional(
            "征求意见送达日期",
            "consultation_served_on",
            parse_date,
            help="被征求意见方收到征求意见书之日；" + SERVED_HELP,
        ),
        _optional(
            "减免批准日期",
            "relief_on",
            parse_date,
            help="负责人批准减免信息处理费之日；" + DATE_HELP,
        ),
        _optional("减免后应缴金额", "relief_amount", parse_money, help="0 为免收；单位：元"),
        _optional(
            "减免批准人",
            "relief_approver",
            help="批准减免的负责人姓名",
            max_length=APPROVER_MAX_LENGTH,
        ),
        # The reply's content and the extension's length (条例 Arts. 33, 36–37); optional, so
        # files made before these columns existed still import.
        *(
            Column(
                header,
                key,
                required=False,
                allow_blank=True,
                help=help_text,
                max_length=replies.TEXT_LIMITS[key],
            )
            for header, key, help_text in (
                ("答复理由", "reasons", "不予公开、无法提供、不予处理、部分公开的理由"),
                ("法律依据", "basis", "答复的法律依据；留空按办理结果的默认依据"),
                ("不予公开的部分", "withheld", "部分公开时不予公开的内容"),
                ("负责公开的机关", "competent_body", "不属于本机关负责公开时的负责机关"),
                ("负责机关联系方式", "competent_contact", "该机关的联系方式"),
            )
        ),
        Column(
            "延长工作日数",
            "extension_days",
            parse_int,
            required=False,
            allow_blank=True,
            help="批准延长的工作日数（1至20）；留空按20",
        ),
        Column(
            "告知延期日期",
            "extension_told_on",
            parse_date,
            required=False,
            allow_blank=True,
            help="将延期告知申请人之日；" + DATE_HELP,
        ),
    ),
)
HEADERS = {c.key: c.header for c in SPEC.columns}
_FEE_FIELD = Application._meta.get_field("fee_amount")
# Application.fee_amount holds 10 digits, 2 of them decimals: amounts must stay below this.
FEE_LIMIT = Decimal(10) ** (_FEE_FIELD.max_digits - _FEE_FIELD.decimal_places)


@dataclass(frozen=True)
class ImportRecord:
    line: int
    number: str
    received_on: dt.date
    applicant_category: str
    applicant_name: str
    id_type: str
    id_number: str
    contact: str
    arrived_on: dt.date | None
    confirmed_via: str
    content: str
    channel: str
    correction_requested_on: dt.date | None
    corrected_on: dt.date | None
    consultation_started_on: dt.date | None
    consultation_ended_on: dt.date | None
    fee_notice_on: dt.date | None
    extended_on: dt.date | None
    extension_approver: str
    replied_on: dt.date | None
    outcome: str
    fee_amount: Decimal
    fee_paid_on: dt.date | None = None
    fee_method: str = ""
    fee_quantity: int | None = None
    fee_service: str = ""
    fee_served_on: dt.date | None = None
    correction_service: str = ""
    correction_served_on: dt.date | None = None
    party_kind: str = PartyKind.THIRD_PARTY
    consultation_service: str = ""
    consultation_served_on: dt.date | None = None
    relief_on: dt.date | None = None
    relief_amount: Decimal | None = None
    relief_approver: str = ""
    reply_content: dict[str, str] = field(default_factory=dict)
    extension_days: int | None = None
    extension_told_on: dt.date | None = None
    withdrawn: bool = False  # ended by the applicant's withdrawal (outcome 其他)

    def signature(self) -> tuple[object, ...]:
        """What re-importing compares against the stored record."""
        return (
            self.received_on,
            self.applicant_category,
            self.applicant_name,
            self.content,
            self.replied_on,
            self.outcome,
            self.correction_requested_on,
            self.corrected_on,
            self.consultation_started_on,
            self.consultation_ended_on,
            self.extended_on,
        )


STEP_ORDER = [
    ("correction_requested_on", "received_on"),
    ("correction_served_on", "correction_requested_on"),
    ("corrected_on", "correction_requested_on"),
    ("corrected_on", "correction_served_on"),
    ("consultation_started_on", "received_on"),
    ("consultation_served_on", "consultation_started_on"),
    ("consultation_ended_on", "consultation_started_on"),
    ("fee_notice_on", "received_on"),
    ("fee_served_on", "fee_notice_on"),
    ("relief_on", "fee_notice_on"),
    ("fee_paid_on", "fee_notice_on"),
    ("fee_paid_on", "fee_served_on"),
    ("fee_paid_on", "relief_on"),
    ("extended_on", "received_on"),
    ("replied_on", "received_on"),
]
# Steps that may be empty though a later one is filled (a date it must not precede if given).
OPTIONAL_BASE = {"correction_served_on", "fee_served_on", "relief_on"}
# A notice's service columns: (method key, date key, the notice's date key).
SERVICE_COLUMNS = (
    ("correction_service", "correction_served_on", "correction_requested_on"),
    ("consultation_service", "consultation_served_on", "consultation_started_on"),
    ("fee_service", "fee_served_on", "fee_notice_on"),
)


def to_record(row: ParsedRow, today: dt.date) -> tuple[ImportRecord | None, list[RowError]]:
    v = row.values
    errors: list[RowError] = []

    def err(key: str, message: str) -> None:
        errors.append(RowError(row.line, HEADERS[key], message))

    received = v["received_on"]
    assert isinstance(received, dt.date)
    for key in dict.fromkeys(["received_on", *(k for k, _ in STEP_ORDER)]):
        d = v.get(key)
        if isinstance(d, dt.date) and d > today:
            err(key, f"不能晚于今天: {d.isoformat()}")
    for key, after in STEP_ORDER:
        d, base = v.get(key), v.get(after)
        if d is None:
            continue
        if base is None:
            if after not in OPTIONAL_BASE:
                err(key, f"已填写，但「{HEADERS[after]}」为空")
        elif isinstance(d, dt.date) and isinstance(base, dt.date) and d < base:
            err(key, f"不能早于「{HEADERS[after]}」: {d.isoformat()} < {base.isoformat()}")
    for key in (
        "corrected_on",
        "consultation_started_on",
        "consultation_ended_on",
        "fee_notice_on",
        "fee_paid_on",
        "relief_on",
        "extended_on",
    ):
        d, reply = v.get(key), v.get("replied_on")
        if isinstance(d, dt.date) and isinstance(reply, dt.date) and d > reply:
            err(key, f"不能晚于「答复日期」: {d.isoformat()} > {reply.isoformat()}")
    if (v.get("replied_on") is None) != (not v.get("outcome")):
        if v.get("replied_on") is None:
            err("replied_on", "已填写办理结果，但答复日期为空")
        else:
            err("outcome", "已填写答复日期，但办理结果为空")
    needs = {Outcome.OTHER_1: "correction_requested_on", Outcome.OTHER_2: "fee_notice_on"}
    outcome = str(v.get("outcome") or "")
    needed = needs.get(outcome)  # type: ignore[call-overload]
    if needed and not v.get(needed):
        err("outcome", f"为「{Outcome(outcome).label}」，但「{HEADERS[needed]}」为空")
    _check_fee_columns(v, err)
    _check_reply_content(v, err)
    category = str(v["applicant_category"])
    id_number = str(v.get("id_number") or "")
    fee = v.get("fee_amount")
    if isinstance(fee, Decimal) and fee < 0:
        err("fee_amount", "不能为负数")
    if isinstance(fee, Decimal) and fee >= FEE_LIMIT:
        err("fee_amount", f"超出范围（应小于 {FEE_LIMIT:,} 元）: {fee}")
    if errors:
        return None, errors
    return (
        ImportRecord(
            line=row.line,
            number=str(v["number"]),
            received_on=received,
            applicant_category=category,
            applicant_name=str(v["applicant_name"]),
            id_type=str(v.get("id_type") or ""),
            id_number=id_number.upper(),
            contact=str(v.get("contact") or ""),
            arrived_on=_date(v.get("arrived_on")),
            confirmed_via=str(v.get("confirmed_via") or ""),
            content=str(v["content"]),
            channel=str(v.get("channel") or Channel.IN_PERSON),
            correction_requested_on=_date(v.get("correction_requested_on")),
            corrected_on=_date(v.get("corrected_on")),
            consultation_started_on=_date(v.get("consultation_started_on")),
            consultation_ended_on=_date(v.get("consultation_ended_on")),
            fee_notice_on=_date(v.get("fee_notice_on")),
            extended_on=_date(v.get("extended_on")),
            extension_approver=str(v.get("extension_approver") or ""),
            replied_on=_date(v.get("replied_on")),
            outcome=Outcome.OTHER_3
            if v.get("outcome") == WITHDRAWN
            else str(v.get("outcome") or ""),
            withdrawn=v.get("outcome") == WITHDRAWN,
            fee_amount=fee if isinstance(fee, Decimal) else Decimal(0),
            fee_paid_on=_date(v.get("fee_paid_on")),
            fee_method=str(v.get("fee_method") or ""),
            fee_quantity=_int(v.get("fee_quantity")),
            fee_service=str(v.get("fee_service") or ""),
            fee_served_on=_date(v.get("fee_served_on")),
            correction_service=str(v.get("correction_service") or ""),
            correction_served_on=_date(v.get("correction_served_on")),
            party_kind=str(v.get("party_kind") or PartyKind.THIRD_PARTY),
            consultation_service=str(v.get("consultation_service") or ""),
            consultation_served_on=_date(v.get("consultation_served_on")),
            relief_on=_date(v.get("relief_on")),
            relief_amount=_money(v.get("relief_amount")),
            relief_approver=str(v.get("relief_approver") or ""),
            reply_content={k: str(v[k]) for k in REPLY_KEYS if v.get(k)},
            extension_days=v.get("extension_days") or None,  # type: ignore[arg-type]
            extension_told_on=_date(v.get("extension_told_on")),
        ),
        [],
    )


def _check_fee_columns(v: dict[str, object], err: Callable[[str, str], None]) -> None:
    """The columns about the fee and the notices' service, against each other."""
    for method_key, date_key, notice_key in SERVICE_COLUMNS:
        if v.get(date_key) and not v.get(method_key):
            err(date_key, f"已填写，但「{HEADERS[method_key]}」为空")
        if v.get(method_key) and not v.get(notice_key):
            err(method_key, f"已填写，但「{HEADERS[notice_key]}」为空")
    if (v.get("fee_method") or v.get("fee_quantity")) and not v.get("fee_notice_on"):
        key = "fee_method" if v.get("fee_method") else "fee_quantity"
        err(key, "已填写，但「收费通知日期」为空")
    quantity = v.get("fee_quantity")
    if isinstance(quantity, int) and quantity <= 0:
        err("fee_quantity", "应为正整数")
    relief = v.get("relief_amount")
    if (relief is None) != (v.get("relief_on") is None):
        if relief is None:
            err("relief_amount", "已填写减免批准日期，但减免后应缴金额为空")
        else:
            err("relief_on", "已填写减免后应缴金额，但减免批准日期为空")
    if isinstance(relief, Decimal):
        if relief < 0:
            err("relief_amount", "不能为负数")
        elif relief == 0 and v.get("fee_paid_on"):
            err("fee_paid_on", "已免收信息处理费，不应有缴费日期")
    if v.get("fee_paid_on") and not v.get("fee_amount"):
        err("fee_amount", "已填写缴费日期，但收费金额为空")
    _check_fee_amount(v, err)


def _check_fee_amount(v: dict[str, object], err: Callable[[str, str], None]) -> None:
    """What was paid is what the notice charged (109号 Arts. 4–5), or the approved reduced
    amount: a mistyped amount would otherwise be published as section 六's fee total."""
    method, quantity, paid = v.get("fee_method"), v.get("fee_quantity"), v.get("fee_amount")
    if not isinstance(paid, Decimal) or not paid or not isinstance(quantity, int) or quantity <= 0:
        return
    if method not in FeeMethod.values:
        return  # an old file without the method: the notice's amount is not known
    charge = rules.fee_per_item if method == FeeMethod.PER_ITEM else rules.fee_per_page
    due = Decimal(charge(quantity))
    relief = v.get("relief_amount")
    expected = relief if isinstance(relief, Decimal) else due
    if paid != expected:
        how = f"{FeeMethod(method).label}、数量{quantity}应收{due:.2f}元"
        if isinstance(relief, Decimal):
            how += f"，减免后应缴{relief:.2f}元"
        err("fee_amount", f"与收费通知不符（{how}），文件中为{paid:.2f}元")


REPLY_KEYS = ("reasons", "basis", "withheld", "competent_body", "competent_contact")


def _check_reply_content(v: dict[str, object], err: Callable[[str, str], None]) -> None:
    outcome = str(v.get("outcome") or "")
    for key in REPLY_KEYS:
        if v.get(key) and not outcome:
            err(key, "已填写，但办理结果为空")
    if v.get("withheld") and outcome and outcome != Outcome.PARTIAL:
        err("withheld", "只有部分公开的答复才填写不予公开的部分")
    if (
        (v.get("competent_body") or v.get("competent_contact"))
        and outcome
        and (outcome != Outcome.UNABLE_1)
    ):
        err("competent_body", "只在“本机关不掌握相关政府信息”时填写")
    days = v.get("extension_days")
    if days is not None:
        if not v.get("extended_on"):
            err("extension_days", f"已填写，但「{HEADERS['extended_on']}」为空")
        elif not isinstance(days, int) or not 1 <= days <= 20:
            err("extension_days", f"应为1至20的整数: {days}")
    told = v.get("extension_told_on")
    extended = v.get("extended_on")
    if told is not None:
        if not isinstance(extended, dt.date):
            err("extension_told_on", f"已填写，但「{HEADERS['extended_on']}」为空")
        elif isinstance(told, dt.date) and told < extended:
            err("extension_told_on", f"不能早于「{HEADERS['extended_on']}」: {told.isoformat()}")


def _date(value: object) -> dt.date | None:
    return value if isinstance(value, dt.date) else None


def _int(value: object) -> int | None:
    return value if isinstance(value, int) else None


def _money(value: object) -> Decimal | None:
    return value if isinstance(value, Decimal) else None


EXPORT_HEADERS = [c.header for c in SPEC.columns] + ["状态", "当前期限", "期限暂定"]
