"""The disclosure ledger's deadline rules (《政府信息公开条例》, 国务院令第711号) and fee scale."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from django.conf import settings

from fazhi.core.deadlines.rules import DeadlineRule, PeriodUnit, register

REGULATION = "《政府信息公开条例》"
FEE_MEASURES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"

REPLY = DeadlineRule(
    "xxgk.reply",
    "答复申请人",
    20,
    PeriodUnit.WORKDAY,
    f"{REGULATION}第三十三条第二款",
    "收到申请之日",
)
EXTENSION = DeadlineRule(
    "xxgk.extension",
    "延长答复期限（经政府信息公开工作机构负责人同意，最长20个工作日）",
    20,
    PeriodUnit.WORKDAY,
    f"{REGULATION}第三十三条第二款",
    "原答复期限届满之日",
)
CORRECTION_NOTICE = DeadlineRule(
    "xxgk.correction_notice",
    "一次性告知补正",
    7,
    PeriodUnit.WORKDAY,
    f"{REGULATION}第三十条",
    "收到申请之日",
)
THIRD_PARTY = DeadlineRule(
    "xxgk.third_party",
    "第三方提出意见",
    15,
    PeriodUnit.WORKDAY,
    f"{REGULATION}第三十二条",
    "第三方收到征求意见书之日",
)
FEE_PAYMENT = DeadlineRule(
    "xxgk.fee_payment",
    "申请人缴纳信息处理费",
    20,
    PeriodUnit.WORKDAY,
    f"{FEE_MEASURES}第六条（自收到收费通知次日起计算）",
    "申请人收到收费通知之日",
)
CORRECTION_PERIOD = DeadlineRule(
    "xxgk.correction_period",
    "申请人补正",
    settings.FAZHI_XXGK_CORRECTION_PERIOD_WORKDAYS,
    PeriodUnit.WORKDAY,
    f"{REGULATION}第三十条（“合理的补正期限”，本地默认值，可在设置中调整）",
    "申请人收到补正通知之日",
)
OTHER_AGENCY = DeadlineRule(
    "xxgk.other_agency",
    "其他机关提出意见",
    settings.FAZHI_XXGK_OTHER_AGENCY_WORKDAYS,
    PeriodUnit.WORKDAY,
    f"{REGULATION}第三十三条第三款（条例未规定期限，参照第三十二条，本地默认值，可在设置中调整）",
    "其他机关收到征求意见函之日",
)

register(
    REPLY, EXTENSION, CORRECTION_NOTICE, THIRD_PARTY, FEE_PAYMENT, CORRECTION_PERIOD, OTHER_AGENCY
)


def correction_period(workdays: int | None) -> DeadlineRule:
    """The period a correction notice states (Art. 30: "合理的补正期限"), default the setting."""
    if not workdays or workdays == CORRECTION_PERIOD.amount:
        return CORRECTION_PERIOD
    return replace(CORRECTION_PERIOD, amount=workdays)


def consultation_period(party_kind: str) -> DeadlineRule:
    """The consulted party's window: 15 工作日 for a third party (Art. 32) and a co-author
    (Art. 34); for another agency (Art. 33(3)) the statute sets none, so the local setting."""
    return OTHER_AGENCY if party_kind == "other_agency" else THIRD_PARTY


def fee_per_item(ordinal_in_month: int) -> Decimal:
    """按件: the n-th application of the same applicant in a calendar month (109号 Art. 4)."""
    if ordinal_in_month <= 10:
        return Decimal(0)
    if ordinal_in_month <= 30:
        return Decimal(100)
    return Decimal(100 + 100 * ((ordinal_in_month - 31) // 10 + 1))


def fee_per_page(pages: int) -> Decimal:
    """按量: progressive per-page rates for one application (109号 Art. 5)."""
    amount = (
        10 * max(0, min(pages, 100) - 30)
        + 20 * max(0, min(pages, 200) - 100)
        + 40 * max(0, pages - 200)
    )
    return Decimal(amount)
