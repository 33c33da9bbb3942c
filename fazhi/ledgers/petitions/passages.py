"""The 信访 ledger's sentences in the 法治政府建设情况报告 (core.metrics.passages)."""

from __future__ import annotations

from fazhi.core.metrics.passages import register_passage
from fazhi.ledgers.petitions import indicators  # noqa: F401  (the figures named below)

register_passage(
    "xf.measures",
    "measures",
    20,
    "畅通群众信访渠道。本年收到信访事项{xf.received}件，其中来信{xf.form.letter}件、"
    "来访{xf.form.visit}件、网上信访{xf.form.online}件。信访事项及时受理率{xf.accepted_in_time_rate}，"
    "按期办结率{xf.on_time_rate}，信访人满意率{xf.satisfaction_rate}。",
    keeps="xf.received",
)
register_passage(
    "xf.problems",
    "problems",
    20,
    "信访事项按期办结率为{xf.on_time_rate}，仍有部分信访事项未能按期办结。",
    keeps="xf.received",
    when=lambda f: bool(f["xf.on_time_rate"].denominator) and f["xf.on_time_rate"].value < 100,
)
