"""The register's one clock: publish within 20 工作日 of the day the information was made or
changed (条例 Art. 26). It runs while the entry waits to be published; once published, the
cached due date stays, so the entry says whether it was published in time."""

from __future__ import annotations

from fazhi.core.deadlines.rules import DeadlineRule, PeriodUnit, register
from fazhi.core.records.clocks import ClockSpec, Start
from fazhi.ledgers.disclosure.proactive.models import Status

PUBLICATION_RULE = DeadlineRule(
    "xxgk.proactive",
    "主动公开政府信息",
    20,
    PeriodUnit.WORKDAY,
    "《政府信息公开条例》第二十六条",
    "政府信息形成或者变更之日",
)
register(PUBLICATION_RULE)

PUBLICATION = ClockSpec(
    "publication",
    "公开期限",
    PUBLICATION_RULE,
    starts=(Start("政府信息形成或者变更之日", field="made_on"),),
    runs=frozenset({Status.PENDING}),
    field="publish_due_on",
    lapse_note="法律、法规对政府信息公开的期限另有规定的，从其规定（条例第二十六条）",
)

CLOCKS = (PUBLICATION,)
