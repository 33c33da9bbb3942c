"""Each figure, table-driven over one world: its value, its parts, and exactly the records its
predicate lists (the drill-down); voided records and the neighbour's count nowhere."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from fazhi.core.metrics import evaluate, get_indicator
from fazhi.core.records import corrections
from fazhi.ledgers.oversight import actions
from fazhi.ledgers.oversight.indicators import HEADLINE
from fazhi.ledgers.oversight.ledger import DUTIES, RECTIFICATIONS
from fazhi.ledgers.oversight.models import LeaderDuty, Rectification
from fazhi.ledgers.oversight.tests.world import d, duty, item

CODES = {
    "oversight.duties",
    "oversight.meetings",
    "oversight.shufa",
    "oversight.instructions",
    "oversight.study",
    "oversight.court",
    "oversight.rectify_items",
    "oversight.rectify_done_rate",
    "oversight.rectify_on_time_rate",
}


def test_the_codes_the_report_reads_are_registered_with_chinese_names() -> None:
    assert set(HEADLINE) == CODES
    for code in CODES:
        indicator = get_indicator(code)
        assert indicator.name and indicator.definition
        assert all("\u4e00" <= c <= "\u9fff" for c in indicator.name), code


def build(cast: Any) -> dict[str, Any]:
    a, clerk, leader = cast.street_a, cast.a_clerk, cast.a_leader
    r: dict[str, Any] = {
        "m1": duty(a, clerk),
        "m2": duty(a, clerk, held_on=d(9, 16)),
        "m_2025": duty(a, clerk, held_on=d(11, 16, 2025)),
        "s1": duty(a, clerk, kind="shufa", held_on=d(1, 12), subject="年度述法", attendance=60),
        "i1": duty(a, clerk, kind="instruction", attendance=None, subject="对执法案卷评查作出批示"),
        "l1": duty(a, clerk, kind="study", subject="带头学习行政复议法"),
        "c1": duty(
            a,
            clerk,
            kind="court",
            attendance=None,
            case_number="（2026）沪0105行初9号",
            subject="出庭应诉",
        ),
        "b_m": duty(cast.street_b, cast.b_clerk),
    }
    voided = duty(a, clerk, held_on=d(5, 5))
    corrections.void(DUTIES, voided, by=leader, reason="重复登记")

    def done(i: Rectification, on: dt.date, by: Any = clerk) -> Rectification:
        return actions.complete(i, by=by, on=on, evidence="整改完成，附佐证材料")

    r["r1"] = done(item(a, clerk, deadline=d(6, 30)), d(6, 20))
    r["r2"] = done(item(a, clerk, deadline=d(5, 31)), d(7, 10))
    r["r3"] = item(a, clerk, deadline=d(9, 30))
    r["r4"] = item(a, clerk, fed_back_on=d(10, 8), deadline=d(3, 31, 2027))
    r["r5"] = done(item(a, clerk, fed_back_on=d(10, 10, 2025), deadline=d(12, 31, 2025)),
                   d(1, 15))  # fmt: skip
    r["r6"] = actions.ongoing(item(a, clerk, deadline=d(12, 31)), by=leader, on=d(8, 1),
                              evidence="已建立长效机制")  # fmt: skip
    r7 = actions.extend(item(a, clerk, deadline=d(6, 30)), by=leader, on=d(6, 25),
                        deadline=d(8, 31), reason="需区级部门配合")  # fmt: skip
    r["r7"] = done(r7, d(8, 20))
    r["b_r"] = done(item(cast.street_b, cast.b_clerk), d(6, 1), cast.b_clerk)
    gone = item(a, clerk, deadline=d(7, 31))
    corrections.void(RECTIFICATIONS, gone, by=leader, reason="重复登记")
    return r


# (code, year, value, numerator, denominator, the records listed)
CASES = [
    ("oversight.duties", 2026, 6, None, None, {"m1", "m2", "s1", "i1", "l1", "c1"}),
    ("oversight.duties", 2025, 1, None, None, {"m_2025"}),
    ("oversight.meetings", 2026, 2, None, None, {"m1", "m2"}),
    ("oversight.meetings", 2025, 1, None, None, {"m_2025"}),
    ("oversight.shufa", 2026, 1, None, None, {"s1"}),
    ("oversight.instructions", 2026, 1, None, None, {"i1"}),
    ("oversight.study", 2026, 1, None, None, {"l1"}),
    ("oversight.court", 2026, 1, None, None, {"c1"}),
    ("oversight.court", 2025, 0, None, None, set()),
    ("oversight.rectify_items", 2026, 6, None, None, {"r1", "r2", "r3", "r5", "r6", "r7"}),
    ("oversight.rectify_items", 2025, 1, None, None, {"r5"}),
    ("oversight.rectify_items", 2027, 1, None, None, {"r4"}),
    ("oversight.rectify_done_rate", 2026, 66.7, 4, 6, {"r1", "r2", "r3", "r5", "r6", "r7"}),
    ("oversight.rectify_done_rate", 2025, 0.0, 0, 1, {"r5"}),
    ("oversight.rectify_on_time_rate", 2026, 50.0, 2, 4, {"r1", "r2", "r5", "r7"}),
    ("oversight.rectify_on_time_rate", 2025, 0.0, 0, 0, set()),
]


@pytest.mark.parametrize(("code", "year", "value", "num", "den", "listed"), CASES)
def test_each_figure_counts_exactly_its_records(
    cast: Any,
    now: dt.date,
    code: str,
    year: int,
    value: float,
    num: int | None,
    den: int | None,
    listed: set[str],
) -> None:
    r = build(cast)
    model = get_indicator(code).model
    mine = model.objects.filter(unit=cast.street_a)
    figure = evaluate(code, mine, year)
    assert figure.value == value
    if num is not None:
        assert (figure.numerator, figure.denominator) == (num, den)
    names = {k for k, v in r.items() if isinstance(v, model)}
    shown = set(figure.records(mine))
    assert shown == {r[k] for k in listed}, {k for k in names if r[k] in shown}


def test_the_numerators_records_are_the_completed_and_the_on_time(cast: Any, now: dt.date) -> None:
    r = build(cast)
    mine = Rectification.objects.filter(unit=cast.street_a)
    done = evaluate("oversight.rectify_done_rate", mine, 2026)
    assert set(done.records(mine).filter(done.numerator_q)) == {r["r1"], r["r2"], r["r5"], r["r7"]}
    on_time = evaluate("oversight.rectify_on_time_rate", mine, 2026)
    assert set(on_time.records(mine).filter(on_time.numerator_q)) == {r["r1"], r["r7"]}
    assert LeaderDuty.objects.filter(unit=cast.street_a).count() == 7  # the voided one hidden
