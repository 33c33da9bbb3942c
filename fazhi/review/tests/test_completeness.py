"""Unfinished reports: placeholders left in the text and a missing 落款 date (issue 9, item 10)."""

from __future__ import annotations

import pytest

from fazhi.review.api import review_text
from fazhi.review.tests.synthetic import XXGK_CLEAN

SIGNED = "\n\n绿水区市场监督管理局\n2024年1月25日\n"


def body(line: str) -> str:
    """The clean report with one more paragraph in section 五."""
    return XXGK_CLEAN.replace("部分栏目更新不够及时。", f"部分栏目更新不够及时。\n{line}", 1)


def placeholders(text: str) -> list[str]:
    return [f.message for f in review_text(text).findings if f.code == "unfilled_placeholder"]


@pytest.mark.parametrize(
    "line",
    [
        "（尚未填写：政府信息管理、公开前保密审查等情况。）",
        "XX街道全年共受理申请3件。",
        "全年共办理××件，同比增长××%。",
        "本年度收取信息处理费【待填写】元。",
        "（请补充本年度考核情况）",
        "此处填写存在的主要问题。",
        "本年度主动公开{{ proactive_count }}条信息。",
        "联系人：________",
    ],
)
def test_a_placeholder_is_an_error(line: str) -> None:
    found = placeholders(body(line))
    assert len(found) == 1 and "未填写的占位内容" in found[0]
    review = review_text(body(line))
    assert any(f.severity == "error" for f in review.findings if f.code == "unfilled_placeholder")


@pytest.mark.parametrize(
    "line",
    [
        "本年度开展XX-2型设备检查。",  # an X-run not standing for a number or name
        "联系电话：0571-88888888，邮箱 xxgk@example.gov.cn。",
        "待补正的申请2件已全部办结。",
        "请申请人补充材料后再提交。",
        "按《条例》第十六条规定不予公开。",
    ],
)
def test_finished_prose_is_not_a_placeholder(line: str) -> None:
    assert placeholders(body(line)) == []


def test_the_clean_report_is_complete() -> None:
    codes = [f.code for f in review_text(XXGK_CLEAN).findings]
    assert "unfilled_placeholder" not in codes and "missing_signature_date" not in codes


def test_a_report_without_its_signature_date() -> None:
    unsigned = XXGK_CLEAN.replace(SIGNED, "\n")
    assert unsigned != XXGK_CLEAN
    found = [f for f in review_text(unsigned).findings if f.code == "missing_signature_date"]
    assert len(found) == 1 and found[0].severity == "error"
    web = review_text(unsigned, published_hint="2024-01-26")
    (soft,) = [f for f in web.findings if f.code == "missing_signature_date"]
    assert soft.severity == "warning" and "发布日期" in soft.message


@pytest.mark.parametrize(
    "first",
    ["草稿：统计期截至2026年12月31日，尚未结束，数据还会变化。", "（征求意见稿）", "草稿"],
)
def test_a_draft_mark_is_a_warning(first: str) -> None:
    found = [f for f in review_text(f"{first}\n{XXGK_CLEAN}").findings if f.code == "draft_mark"]
    assert len(found) == 1 and found[0].severity == "warning"


def test_the_word_draft_in_prose_is_not_a_mark() -> None:
    text = body("起草文件草稿时严格执行保密审查。")
    assert not [f for f in review_text(text).findings if f.code == "draft_mark"]
