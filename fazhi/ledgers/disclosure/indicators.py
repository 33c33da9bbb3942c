"""This ledger's figures, registered with core.metrics for reports and comparisons."""

from __future__ import annotations

from fazhi.core.metrics import Figure, indicator
from fazhi.core.tenancy.models import OrgUnit
from fazhi.ledgers.disclosure import annual
from fazhi.ledgers.disclosure.models import Application


@indicator("xxgk.new_requests", "本年新收政府信息公开申请")
def new_requests(unit: OrgUnit, year: int) -> Figure:
    ids = list(
        Application.objects.filter(unit=unit)
        .filter(annual.row_q("new", year))
        .values_list("id", flat=True)
    )
    return Figure(
        len(ids), "收到日期在本年度内的政府信息公开申请件数（补正后重新起算的仍按首次收到计）", ids
    )


@indicator("xxgk.replied", "本年办结政府信息公开申请")
def replied(unit: OrgUnit, year: int) -> Figure:
    ids = list(
        Application.objects.filter(unit=unit)
        .filter(annual.row_q("total", year))
        .values_list("id", flat=True)
    )
    return Figure(len(ids), "答复日期在本年度内的申请件数（年报表三“（七）总计”）", ids)


@indicator("xxgk.on_time_rate", "依申请公开按时答复率")
def on_time_rate(unit: OrgUnit, year: int) -> Figure:
    qs = Application.objects.filter(unit=unit)
    ids = list(qs.filter(annual.row_q("total", year)).values_list("id", flat=True))
    within, provisional = annual.on_time(qs, year)
    rate = round(100 * within / len(ids), 1) if ids else 0.0
    definition = f"在法定期限内答复的件数 {within} ÷ 本年办结件数 {len(ids)} × 100%"
    return Figure(rate, definition, ids, provisional=provisional > 0)
