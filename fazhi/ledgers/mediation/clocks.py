"""Declared clocks; the record kit derives and caches them.

| record | clock | rule | from | while | |
|---|---|---|---|---|---|
| case | target | 1个月 (setting) | 受理, again when the upper unit takes it over | 调解中 | 逾期 = not concluded in the month |
| case | confirmation | 30日 (Art. 33) | the written agreement's effective date | 已达成协议 | the parties' window; stops when they apply |
| committee | term | 3年 (Art. 9) | 本届起始 (registration or 换届) | 在任 | 逾期 = term over, not renewed |
"""

from __future__ import annotations

from fazhi.core.records.clocks import ClockSpec, Start
from fazhi.ledgers.mediation import rules
from fazhi.ledgers.mediation.models import (
    CommitteeEventKind,
    CommitteeStatus,
    EventKind,
    Status,
)

TARGET = ClockSpec(
    "target",
    "调结目标期限",
    rules.TARGET,
    starts=(
        Start("受理之日", kind=EventKind.REGISTERED),
        Start("上级调解组织受理之日", kind=EventKind.TAKEN_OVER),
    ),
    runs=frozenset({Status.MEDIATING}),
    field="target_due_on",
)
CONFIRMATION = ClockSpec(
    "confirmation",
    "司法确认申请期限",
    rules.CONFIRMATION,
    starts=(Start("书面调解协议生效之日", kind=EventKind.WRITTEN),),
    runs=frozenset({Status.AGREED}),
    stops=frozenset({EventKind.CONFIRMATION_APPLIED}),
    field="confirmation_due_on",
    window=True,
    lapse_note=(
        "双方当事人可在此前共同向人民法院申请司法确认；确认有效的，一方拒不履行时另一方可申请"
        "强制执行。期满未申请的，协议仍有约束力，履行争议可向人民法院起诉（第三十二条）"
    ),
)
CASE_CLOCKS = (TARGET, CONFIRMATION)

TERM = ClockSpec(
    "term",
    "本届届满日期",
    rules.TERM,
    starts=(
        Start("本届起始之日", kind=CommitteeEventKind.REGISTERED),
        Start("换届之日", kind=CommitteeEventKind.RENEWED),
    ),
    runs=frozenset({CommitteeStatus.ACTIVE}),
    field="term_due_on",
)
COMMITTEE_CLOCKS = (TERM,)
