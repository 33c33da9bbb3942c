"""The 信访 ledger's deadline rules (《信访工作条例》, 2022). The 条例 counts in 日 (calendar days,
the last day rolling past a holiday); whether local practice skips holidays is UNCONFIRMED, so it
is a setting (FAZHI_XF_DAYS_ARE_WORKDAYS, default off)."""

from __future__ import annotations

from django.conf import settings

from fazhi.core.deadlines.rules import DeadlineRule, PeriodUnit, register

REGULATION = "《信访工作条例》"
DAYS = PeriodUnit.WORKDAY if settings.FAZHI_XF_DAYS_ARE_WORKDAYS else PeriodUnit.DAY


def _rule(
    code: str, name: str, amount: int, article: str, start: str, unit: PeriodUnit = DAYS
) -> DeadlineRule:
    return DeadlineRule(code, name, amount, unit, f"{REGULATION}{article}", start)


NOTICE = _rule(
    "xf.notice", "书面告知信访人（受理、转送或不予受理）", 15, "第二十三条", "收到信访事项之日"
)
TRANSFER_OBJECTION = _rule(
    "xf.transfer_objection",
    "对上级交办、转送的事项提出异议",
    5,
    "第二十三条",
    "收到交办、转送的信访事项之日",
    PeriodUnit.WORKDAY,
)
HANDLE = _rule("xf.handle", "办结信访事项", 60, "第三十四条", "受理之日")
EXTENSION = _rule(
    "xf.extension",
    "延长办理期限（经本机关负责人批准，最长30日）",
    30,
    "第三十四条",
    "原办理期限届满之日",
)
REVIEW_REQUEST = _rule(
    "xf.review_request", "信访人请求复查", 30, "第三十五条", "信访人收到书面答复之日"
)
REVIEW = _rule("xf.review", "提出复查意见", 30, "第三十五条", "收到复查请求之日")
RECHECK_REQUEST = _rule(
    "xf.recheck_request", "信访人请求复核", 30, "第三十六条", "信访人收到复查意见之日"
)
RECHECK = _rule(
    "xf.recheck", "提出复核意见（听证时间不计入）", 30, "第三十六条", "收到复核请求之日"
)

register(
    NOTICE,
    TRANSFER_OBJECTION,
    HANDLE,
    EXTENSION,
    REVIEW_REQUEST,
    REVIEW,
    RECHECK_REQUEST,
    RECHECK,
)
