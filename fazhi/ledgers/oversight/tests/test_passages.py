"""The oversight ledger in the 法治政府建设情况报告: item 3 (第一责任人) is written from the duty
log, 督察整改 joins items 1 and 2, and a unit that keeps neither gets no sentence of zeros."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fazhi.core.reports import fazhi
from fazhi.ledgers.oversight import actions
from fazhi.ledgers.oversight.tests.world import d, duty, item


def _texts(report: Any, section: str) -> list[str]:
    return [report._fill(p, None)[0] for p in report.contributing.get(section, [])]


def test_the_duty_log_writes_item_three_and_rectification_items_one_and_two(
    cast: Any, now: dt.date
) -> None:
    a, clerk = cast.street_a, cast.a_clerk
    duty(a, clerk)
    duty(a, clerk, kind="shufa", held_on=d(1, 12), subject="年度述法", attendance=60)
    duty(a, clerk, kind="study", subject="带头学习行政复议法")
    actions.complete(item(a, clerk, deadline=d(6, 30)), by=clerk, on=d(6, 20), evidence="已整改")
    item(a, clerk, deadline=d(9, 30))

    report = fazhi.build(a, 2026)
    (leaders,) = [t for t in _texts(report, "leaders") if "第一责任人" in t]
    assert "专题研究法治工作的会议1次" in leaders
    assert (
        "述法1次" in leaders and "带头学法1次" in leaders and "出庭应诉行政诉讼案件0次" in leaders
    )
    (measures,) = [t for t in _texts(report, "measures") if "督察" in t]
    assert "整改事项2项" in measures and "整改完成率50.0%" in measures
    (problems,) = [t for t in _texts(report, "problems") if "督察整改" in t]
    assert "50.0%" in problems

    # 街道 B keeps neither log: nothing from this ledger, not a sentence of zeros.
    other = fazhi.build(cast.street_b, 2026)
    for section in ("leaders", "measures", "problems"):
        assert not [t for t in _texts(other, section) if "第一责任人" in t or "督察" in t]


def test_all_done_rectification_has_no_shortcoming_sentence(cast: Any, now: dt.date) -> None:
    a, clerk = cast.street_a, cast.a_clerk
    actions.complete(item(a, clerk, deadline=d(6, 30)), by=clerk, on=d(6, 20), evidence="已整改")
    report = fazhi.build(a, 2026)
    assert [t for t in _texts(report, "measures") if "督察" in t]
    assert not [t for t in _texts(report, "problems") if "督察整改" in t]
    assert not [t for t in _texts(report, "leaders") if "第一责任人" in t]
