"""The oversight ledger's sentences in the 法治政府建设情况报告 (core.metrics.passages): item 3
(第一责任人) from the principal leaders' duty log, and the rectification that followed 督察,
考核 and 审计 in items 1 and 2."""

from __future__ import annotations

from fazhi.core.metrics.passages import register_passage
from fazhi.ledgers.oversight import indicators  # noqa: F401  (the figures named below)

register_passage(
    "oversight.leaders",
    "leaders",
    10,
    "党政主要负责人切实履行推进法治建设第一责任人职责。{year}年，主持召开专题研究法治工作的会议"
    "{oversight.meetings}次，对法治建设工作作出批示{oversight.instructions}件，带头学法"
    "{oversight.study}次，述法{oversight.shufa}次，出庭应诉行政诉讼案件{oversight.court}次。",
    keeps="oversight.duties",
)
register_passage(
    "oversight.measures",
    "measures",
    90,
    "抓好督察反馈问题整改。本年度督察、考核、审计等反馈的整改事项{oversight.rectify_items}项，"
    "整改完成率{oversight.rectify_done_rate}，按期完成率{oversight.rectify_on_time_rate}。",
    keeps="oversight.rectify_items",
)
register_passage(
    "oversight.problems",
    "problems",
    90,
    "督察整改完成率为{oversight.rectify_done_rate}，部分整改事项尚未完成，跟踪督办还需加强。",
    keeps="oversight.rectify_items",
    when=lambda f: f["oversight.rectify_done_rate"].value < 100,
)
