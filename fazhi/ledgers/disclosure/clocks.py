"""The application's five clocks, declared; the record kit derives and caches them.

| clock | rule | runs from | while | stops at |
|---|---|---|---|---|
| reply | 20 工作日 (+20 once) | receipt, restarted by the corrected application | received, consulting (paused, at most the consulted party's window from its receipt), fee wait (paused, setting) | closing |
| correction_notice | 7 工作日 (a window) | receipt | received, before any notice | the notice |
| correction | the period in the notice (default a setting) | the applicant's receipt of the notice | awaiting correction | the correction |
| third_party | 15 工作日 (another agency: a setting) | the consulted party's receipt | consulting | the answer |
| fee | 20 工作日 | the applicant's receipt of the fee notice (setting) | awaiting fee | the payment, a waiver |

"Receipt" is `service.receipt`: recorded, or presumed while 待送达.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings

from fazhi.core.deadlines.rules import DeadlineRule
from fazhi.core.records.clocks import ClockSpec, ExtendSpec, PauseSpec, Start
from fazhi.ledgers.disclosure import rules, service
from fazhi.ledgers.disclosure.models import EventKind, PartyKind, Status

E = EventKind
S = Status


def _consult_label(event: Any) -> str:
    kind = event.data.get("party_kind")
    if kind == PartyKind.CO_AUTHOR:
        return "征求共同制作机关意见"
    if kind == PartyKind.OTHER_AGENCY:
        return "征求其他机关意见"
    return "征求第三方意见"


def _party_rule(event: Any) -> DeadlineRule:
    return rules.consultation_period(str((event.data or {}).get("party_kind") or ""))


def _applicant_receipt(event: Any, events: Sequence[Any]) -> tuple[dt.date, str]:
    r = service.receipt(event, events)
    return r.on, r.text


def _fee_receipt(event: Any, events: Sequence[Any]) -> tuple[dt.date, str]:
    if not settings.FAZHI_XXGK_FEE_PERIOD_FROM_RECEIPT:
        return event.on, "发出收费通知之日（按本地设置自发出之日起算）"
    return _applicant_receipt(event, events)


def _party_receipt(event: Any, events: Sequence[Any]) -> tuple[dt.date, str]:
    r = service.receipt(event, events, addressee="被征求意见方")
    return r.on, r.text


def _party_window(event: Any, events: Sequence[Any]) -> tuple[dt.date, DeadlineRule]:
    """Art. 32: the consulted party's 15 工作日 run from its receipt of the request."""
    return service.receipt(event, events).on, _party_rule(event)


def _stated_period(event: Any) -> DeadlineRule:
    return rules.correction_period(int((event.data or {}).get("period") or 0))


def _notice_restarts(corrected: Any, events: Sequence[Any]) -> bool:
    """Only a notice given within the 7 working days of Art. 30 restarts the period; a late one
    (kept and flagged when imported) must not buy the office more time."""
    notices = [e for e in events if e.kind == E.CORRECTION_REQUESTED and e.on <= corrected.on]
    return bool(notices) and not notices[-1].data.get("flags") and not notices[-1].data.get("late")


CONSULTATION = PauseSpec(
    E.CONSULTATION_STARTED,
    frozenset({E.CONSULTATION_ENDED}),
    _consult_label,
    status=S.CONSULTING,
    limit=rules.THIRD_PARTY,
    limit_window=_party_window,
)
FEE_WAIT = PauseSpec(
    E.FEE_NOTICE,
    frozenset({E.FEE_PAID, E.FEE_WAIVED}),
    "收费通知至缴费",
    status=S.AWAITING_FEE,
    enabled=lambda: bool(settings.FAZHI_XXGK_FEE_PAUSES_CLOCK),
)

REPLY = ClockSpec(
    "reply",
    "答复期限",
    rules.REPLY,
    starts=(
        Start("收到申请之日", field="received_on"),
        Start("收到补正后申请之日（补正后重新起算）", kind=E.CORRECTED, when=_notice_restarts),
    ),
    runs=frozenset({S.RECEIVED, S.CONSULTING, S.AWAITING_FEE}),
    pauses=(CONSULTATION, FEE_WAIT),
    extensions=(ExtendSpec(E.EXTENDED, rules.EXTENSION, "经负责人批准延期"),),
    field="reply_due_on",
)
CORRECTION_NOTICE = ClockSpec(
    "correction_notice",
    "补正告知期限",
    rules.CORRECTION_NOTICE,
    starts=(Start("收到申请之日", field="received_on"),),
    runs=frozenset({S.RECEIVED}),
    stops=frozenset({E.CORRECTION_REQUESTED, E.EXTENDED}),
    field="correction_notice_due_on",
    window=True,
    lapse_note="申请内容需要补正的，应在此前一次性告知申请人；期限届满后不能再要求补正",
)
CORRECTION = ClockSpec(
    "correction",
    "补正期限",
    rules.CORRECTION_PERIOD,
    starts=(
        Start("申请人收到补正通知之日", kind=E.CORRECTION_REQUESTED, date_from=_applicant_receipt),
    ),
    runs=frozenset({S.AWAITING_CORRECTION}),
    stops=frozenset({E.CORRECTED}),
    field="correction_due_on",
    set_by="deadline",
    rule_for=_stated_period,
    lapse_note="申请人无正当理由逾期不补正的，视为放弃申请，不再处理（计入年报“其他处理”第1项）",
)
THIRD_PARTY = ClockSpec(
    "third_party",
    "征求意见期限",
    rules.THIRD_PARTY,
    starts=(
        Start(
            "被征求意见方收到征求意见书之日", kind=E.CONSULTATION_STARTED, date_from=_party_receipt
        ),
    ),
    runs=frozenset({S.CONSULTING}),
    stops=frozenset({E.CONSULTATION_ENDED}),
    field="third_party_due_on",
    rule_for=_party_rule,
    lapse_note="逾期未提出意见的：第三方由本机关依照条例决定是否公开（第三十二条），"
    "共同制作机关视为同意公开（第三十四条），其他机关由本机关依法决定；期限届满后答复期限恢复计算",
)
FEE = ClockSpec(
    "fee",
    "缴费期限",
    rules.FEE_PAYMENT,
    starts=(Start("申请人收到收费通知之日", kind=E.FEE_NOTICE, date_from=_fee_receipt),),
    runs=frozenset({S.AWAITING_FEE}),
    stops=frozenset({E.FEE_PAID, E.FEE_WAIVED}),
    field="fee_due_on",
    lapse_note="申请人逾期未缴费的，不再处理（计入年报“其他处理”第2项）",
)

CLOCKS = (REPLY, CORRECTION_NOTICE, CORRECTION, THIRD_PARTY, FEE)
