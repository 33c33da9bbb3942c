"""The 普法 ledger's sentences in the 法治政府建设情况报告 (core.metrics.passages)."""

from __future__ import annotations

from fazhi.core.metrics.passages import register_passage
from fazhi.ledgers.pufa import indicators  # noqa: F401  (the figures named below)

register_passage(
    "pufa.measures",
    "measures",
    50,
    "深化普法宣传教育。开展普法活动{pufa.activities}场，参与{pufa.attendance}人次，"
    "发放普法资料{pufa.materials}份，培育法律明白人{pufa.people}名。"
    "组织集体学法{pufa.studies}次、学法考试{pufa.exams}场，考试参考率{pufa.exam_participation}，"
    "通过率{pufa.exam_pass_rate}。",
    keeps="pufa.activities",
)
register_passage(
    "pufa.problems",
    "problems",
    50,
    "普法责任清单完成率为{pufa.duty_rate}，部分普法责任事项尚未完成。",
    keeps="pufa.activities",
    when=lambda f: bool(f["pufa.duty_rate"].denominator) and f["pufa.duty_rate"].value < 100,
)
