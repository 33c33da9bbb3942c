"""Golden tests: the 政府信息公开 checks beyond the table sums (sections 五 and 六, missing
tables, blank and "/" cells, the narrative's 上年结转 and 新收 sentences)."""

from __future__ import annotations

import re

import pytest

from fazhi.review.api import review_text
from fazhi.review.tests.synthetic import XXGK_CLEAN, xxgk_with

_FIVE = "五、存在的主要问题及改进情况\n部分栏目更新不够及时。改进措施：明确专人负责栏目维护。\n"


def findings(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in review_text(text).findings:
        out.setdefault(f.code, []).append(f.severity)
    return out


def test_clean_report_passes_the_new_checks() -> None:
    report = review_text(XXGK_CLEAN)
    assert report.findings == ()
    statuses = {c.name: c.status for c in report.checks}
    assert statuses["blank_cells"] == "pass"


@pytest.mark.parametrize(
    ("body", "code", "severity"),
    [
        ("", "xxgk_section5_empty", "error"),
        ("无。\n", "xxgk_section5_empty", "error"),
        ("暂无\n", "xxgk_section5_empty", "error"),
        ("本年度工作中未发现明显问题。\n", "xxgk_section5_token", "warning"),
        ("工作还有不足。\n", "xxgk_section5_token", "warning"),
    ],
)
def test_section_five_empty_nothing_or_token(body: str, code: str, severity: str) -> None:
    text = xxgk_with({_FIVE: "五、存在的主要问题及改进情况\n" + body})
    assert findings(text) == {code: [severity]}


def test_section_five_run_in_nothing() -> None:
    text = xxgk_with({_FIVE: "五、存在的主要问题及改进情况：无。\n"})
    assert findings(text) == {"xxgk_section5_empty": ["error"]}


def test_section_six_says_no_fees_but_table_two_shows_fees() -> None:
    text = xxgk_with(
        {
            "| 行政事业性收费 | 0 | | |": "| 行政事业性收费 | 3.5 | | |",
            "本年度未收取信息处理费。": "本年度未收取任何费用。",
        }
    )
    report = review_text(text)
    finding = next(f for f in report.findings if f.code == "xxgk_fee_mismatch")
    assert finding.severity == "error" and "3.5万元" in finding.message
    assert [s.text for s in finding.spans] == ["六、其他需要报告的事项", "二、主动公开政府信息情况"]


def test_no_information_fee_is_not_table_two_fees() -> None:
    # 信息处理费 (for answering requests) is not table 二's 行政事业性收费.
    text = xxgk_with({"| 行政事业性收费 | 0 | | |": "| 行政事业性收费 | 3.5 | | |"})
    assert findings(text) == {}


def test_section_three_without_table_three_is_a_finding() -> None:
    lines = XXGK_CLEAN.split("\n")
    head = lines.index("三、收到和处理政府信息公开申请情况")
    tail = lines.index("四、政府信息公开行政复议、行政诉讼情况")
    text = "\n".join([*lines[: head + 1], "本年度依申请公开工作依法办理。", *lines[tail:]])
    report = review_text(text)
    finding = next(f for f in report.findings if f.code == "xxgk_table_missing")
    assert finding.severity == "error" and dict(finding.data)["table"] == "table3"
    assert finding.spans[0].text == "三、收到和处理政府信息公开申请情况"
    assert {c.name: c.status for c in report.checks}["table3_present"] == "fail"


def test_report_with_no_tables_at_all() -> None:
    text = "\n".join(line for line in XXGK_CLEAN.split("\n") if "|" not in line)
    assert findings(text) == {"xxgk_no_tables": ["error"]}


def test_blank_and_slash_cells_counted_and_judged() -> None:
    text = xxgk_with(
        {
            "| 规章 | 0 | 0 | 0 |": "| 规章 | / | / | / |",
            "| 2.重复申请 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |": "| 2.重复申请 | 1 | | | / | | | 1 |",
        }
    )
    report = review_text(text)
    finding = next(f for f in report.findings if f.code == "xxgk_blank_cells")
    data = dict(finding.data)
    assert (data["blank"], data["slash"]) == (4, 4)
    # The three "/" of 规章 (a district bureau makes no 规章) are accepted; the five cells of
    # table 三 are not.
    assert data["tables"] == {"table3": 5}
    assert finding.severity == "warning"


def test_slash_for_rules_accepted_alone() -> None:
    report = review_text(xxgk_with({"| 规章 | 0 | 0 | 0 |": "| 规章 | / | / | / |"}))
    assert report.findings == ()
    check = next(c for c in report.checks if c.name == "blank_cells")
    assert check.status == "pass" and "3个“/”" in check.message


def test_slash_for_rules_of_a_city_government_is_judged() -> None:
    text = xxgk_with(
        {
            "绿水区市场监督管理局2023年": "青山市人民政府2023年",
            "| 规章 | 0 | 0 | 0 |": "| 规章 | / | / | / |",
        }
    )
    report = review_text(text)
    finding = next(f for f in report.findings if f.code == "xxgk_blank_cells")
    assert dict(finding.data)["tables"] == {"table2": 3}


@pytest.mark.parametrize(
    ("sentence", "quoted"),
    [
        ("本年度共新收政府信息公开申请13件，上年结转1件。", "13"),
        # 新收 counts new requests only: 12 new + 1 carried over is not "新收13件".
        ("本年度共新收政府信息公开申请12件，上年结转政府信息公开申请2件。", "2"),
        ("本年度新收申请数量为11件。", "11"),
    ],
)
def test_narrative_new_and_carried_over_against_table(sentence: str, quoted: str) -> None:
    text = xxgk_with({"2023年，本局共收到政府信息公开申请12件，上年结转1件。": sentence})
    report = review_text(text)
    mismatches = [f for f in report.findings if f.code == "xxgk_text_table_mismatch"]
    assert len(mismatches) == 1
    assert re.search(rf"写“[^”]+”{quoted}件", mismatches[0].message)


def test_narrative_matching_the_table_passes() -> None:
    sentence = "本年度共新收政府信息公开申请12件，上年结转政府信息公开申请1件。"
    text = xxgk_with({"2023年，本局共收到政府信息公开申请12件，上年结转1件。": sentence})
    assert review_text(text).findings == ()
