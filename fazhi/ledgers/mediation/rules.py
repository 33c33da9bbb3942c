"""The 人民调解 ledger's deadline rules.

- 司法确认: both parties may apply jointly within 30日 of the agreement taking effect
  (《人民调解法》第三十三条, 《民事诉讼法》第二百零五条). Calendar days; a last day that is not a
  working day rolls to the next working day (DESIGN invariant 4).
- The one-month target (《人民调解工作若干规定》司法部令第75号 第三十三条: 一般在一个月内调结):
  whether the 2002 规章 is still fully in force is UNCONFIRMED and provinces differ, so its
  length is the setting FAZHI_MEDIATION_TARGET_MONTHS (default 1).
- A committee's term is 3 years (《人民调解法》第九条).
"""

from __future__ import annotations

from django.conf import settings

from fazhi.core.deadlines.rules import DeadlineRule, PeriodUnit, register

CONFIRMATION = DeadlineRule(
    "med.confirmation",
    "双方当事人共同申请司法确认",
    30,
    PeriodUnit.DAY,
    "《人民调解法》第三十三条、《民事诉讼法》第二百零五条",
    "调解协议生效之日",
)
TARGET = DeadlineRule(
    "med.target",
    "调结纠纷（一般在一个月内调结）",
    settings.FAZHI_MEDIATION_TARGET_MONTHS,
    PeriodUnit.MONTH,
    "《人民调解工作若干规定》（司法部令第75号）第三十三条",
    "受理之日",
)
TERM = DeadlineRule(
    "med.committee_term",
    "人民调解委员会委员任期届满换届",
    36,
    PeriodUnit.MONTH,
    "《人民调解法》第九条（每届任期三年）",
    "本届起始之日",
)

register(CONFIRMATION, TARGET, TERM)
