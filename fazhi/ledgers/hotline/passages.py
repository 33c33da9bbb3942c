"""The 12345 hotline's sentences in the 法治政府建设情况报告 (core.metrics.passages)."""

from __future__ import annotations

from fazhi.core.metrics.passages import register_passage
from fazhi.ledgers.hotline import indicators  # noqa: F401  (the figures named below)

register_passage(
    "hotline.measures",
    "measures",
    30,
    "提升热线服务质效。全年受理12345热线工单{hotline.orders}件。工单办结率{hotline.closed_rate}，"
    "按时办结率{hotline.on_time_rate}，满意率{hotline.satisfied_rate}。",
    keeps="hotline.orders",
)
register_passage(
    "hotline.problems",
    "problems",
    30,
    "热线工单重复诉求率为{hotline.repeat_rate}，群众诉求一次性解决仍有差距。",
    keeps="hotline.orders",
    when=lambda f: f["hotline.repeat_rate"].value > 0,
)
register_passage(
    "hotline.returns",
    "problems",
    31,
    "热线工单退单率为{hotline.return_rate}，部分工单首次派单不够精准。",
    keeps="hotline.orders",
    when=lambda f: f["hotline.return_rate"].value > 0,
)
