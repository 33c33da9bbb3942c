"""The 人民调解 ledger's sentences in the 法治政府建设情况报告 (core.metrics.passages)."""

from __future__ import annotations

from fazhi.core.metrics.passages import register_passage
from fazhi.ledgers.mediation import indicators  # noqa: F401  (the figures named below)

register_passage(
    "med.measures",
    "measures",
    40,
    "加强矛盾纠纷多元化解。开展矛盾纠纷排查{med.screenings}次，人民调解组织调解纠纷{med.cases}件，"
    "经司法确认{med.confirmations}件。调解成功率{med.success_rate}，一个月内调结率{med.in_month_rate}。",
    keeps="med.cases",
)
