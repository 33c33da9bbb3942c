"""The 政府信息公开 ledger's sentences in the 法治政府建设情况报告 (core.metrics.passages)."""

from __future__ import annotations

from fazhi.core.metrics.passages import register_passage
from fazhi.ledgers.disclosure import indicators  # noqa: F401  (the figures named below)
from fazhi.ledgers.disclosure.proactive import indicators as proactive  # noqa: F401

register_passage(
    "xxgk.measures",
    "measures",
    10,
    "深入推进政务公开。全年主动公开政府信息{xxgk.proactive.published}条，"
    "新收政府信息公开申请{xxgk.new_requests}件。依申请公开按时答复率为{xxgk.on_time_rate}。",
    keeps="xxgk.new_requests",
)
register_passage(
    "xxgk.problems",
    "problems",
    10,
    "政府信息公开申请按时答复率为{xxgk.on_time_rate}，个别申请未能在法定期限内答复。",
    keeps="xxgk.new_requests",
    when=lambda f: bool(f["xxgk.on_time_rate"].denominator) and f["xxgk.on_time_rate"].value < 100,
)
