"""Golden tests: units at city and province level, year-first titles, 由…编制, traditional
characters, empty item headings, 其他需要报告的情况, and a repeated pair reported once."""

from __future__ import annotations

import pytest

from conftest import require_in_ci
from fazhi.review.api import review_text
from fazhi.review.script import opencc_available, to_simplified
from fazhi.review.tests.synthetic import FAZHI_CLEAN

_FAZHI_BODY = (
    "\n{year}年，{unit}坚持以习近平法治思想为指导，扎实推进法治政府建设，依法行政水平持续提升。\n"
    "一、推进法治政府建设的主要举措和成效\n全年审查规范性文件12件，办理行政复议案件30件。\n"
    "二、党政主要负责人履行推进法治建设第一责任人职责情况\n主要负责人主持召开专题会议4次。\n"
)
_XXGK_BODY = (
    "\n一、总体情况\n本年度主动公开政府信息情况良好，收到和处理政府信息公开申请情况见下表。\n"
    "依申请公开工作依法办理。\n"
)


def meta_of(text: str) -> tuple[str, str | None, str, int | None]:
    meta = review_text(text).meta
    assert meta is not None
    return meta.kind, meta.unit, meta.unit_level, meta.year


@pytest.mark.parametrize(
    ("title", "unit", "level"),
    [
        ("北京市人民政府关于2023年法治政府建设情况的报告", "北京市人民政府", "government"),
        ("上海市2023年法治政府建设情况报告", "上海市", "government"),
        ("2023年上海市法治政府建设情况报告", "上海市", "government"),
        ("2023年度江南省司法厅法治政府建设年度报告", "江南省司法厅", "department"),
        ("（2023年）北湖市人民政府法治政府建设情况报告", "北湖市人民政府", "government"),
    ],
)
def test_city_and_province_units_and_year_first_titles(title: str, unit: str, level: str) -> None:
    text = title + _FAZHI_BODY.format(year=2023, unit=unit)
    assert meta_of(text) == ("fazhi", unit, level, 2023)


def test_year_first_xxgk_title() -> None:
    text = "2020年东湖区政府信息公开工作年度报告" + _XXGK_BODY
    assert meta_of(text) == ("xxgk", "东湖区", "government", 2020)


@pytest.mark.parametrize(
    ("sentence", "unit"),
    [
        (
            "本报告由广州市天河区人民政府办公室根据《中华人民共和国政府信息公开条例》编制。",
            "广州市天河区人民政府办公室",
        ),
        ("根据《中华人民共和国政府信息公开条例》，由江南省人民政府办公厅编制本报告。", "江南省人民政府办公厅"),
        # The office inside a township that drafted the report is not the unit; nor is the
        # 人民政府 between the district and the township part of the township's name.
        ("本年度报告由青山市北湖区人民政府白石街道党政办公室综合科编制。", "青山市北湖区白石街道"),
    ],
)  # fmt: skip
def test_compiling_unit_stated_in_a_sentence(sentence: str, unit: str) -> None:
    text = "2022年度政府信息公开工作年度报告\n" + sentence + _XXGK_BODY
    kind, found, _, year = meta_of(text)
    assert (kind, found, year) == ("xxgk", unit, 2022)


def test_self_reference_is_not_a_compiling_unit() -> None:
    text = (
        "政府信息公开工作年度报告\n本报告由本机关根据《中华人民共和国政府信息公开条例》编制。"
        + _XXGK_BODY
    )
    assert meta_of(text)[1] is None


_TRADITIONAL = (
    "東湖區2023年法治政府建設情況報告\n"
    "2023年，東湖區認真貫徹落實黨中央關於法治政府建設的決策部署，現將有關情況報告如下：\n"
    "一、推進法治政府建設的主要舉措和成效\n全年審查規範性文件12件，辦理行政複議案件30件。\n"
    "二、黨政主要負責人履行推進法治建設第一責任人職責情況\n主要負責人主持召開專題會議4次。\n"
    "三、存在的不足和原因\n執法人員專業力量不足，主要原因是編制有限。\n"
    "四、2024年推進法治政府建設的主要安排\n加強執法隊伍建設，組織執法人員參加培訓。\n"
    "東湖區人民政府\n2024年2月20日\n"
)


def test_simplified_text_is_left_alone() -> None:
    script = to_simplified(FAZHI_CLEAN)
    assert (script.text, script.traditional, script.converted) == (FAZHI_CLEAN, False, False)


def test_traditional_report_converted_before_reading() -> None:
    if not opencc_available():
        require_in_ci("opencc (Python package) is not installed")
    report = review_text(_TRADITIONAL)
    assert report.meta is not None
    assert (report.meta.kind, report.meta.unit, report.meta.year) == ("fazhi", "东湖区", 2023)
    assert report.notes == ("繁体转简体",)
    assert report.to_json()["notes"] == ["繁体转简体"]
    codes = {f.code: f.severity for f in report.findings}
    assert codes["traditional_converted"] == "info"
    assert not any(c.startswith("missing_item") for c in codes)
    # Line numbers are those of the page: one converted line per line.
    assert len(report.lines) == len(_TRADITIONAL.split("\n"))
    assert report.lines[2] == "一、推进法治政府建设的主要举措和成效"


def test_traditional_report_without_opencc_says_so() -> None:
    if opencc_available():
        pytest.skip("opencc is installed; the conversion itself is tested above")
    report = review_text(_TRADITIONAL)
    assert report.notes == ()
    assert "traditional_not_converted" in {f.code for f in report.findings}


_NEXT_YEAR = "（一）加强执法队伍建设，组织执法人员参加培训不少于2次。\n（二）创新普法宣传方式，推动法治文化阵地建设。\n"


def test_next_year_heading_with_nothing_under_it_is_missing() -> None:
    report = review_text(FAZHI_CLEAN.replace(_NEXT_YEAR, ""))
    assert not report.items["next_year"].present
    finding = next(f for f in report.findings if f.code == "missing_item:next_year")
    assert finding.severity == "error"
    assert "没有内容" in finding.message
    assert finding.spans[0].text == "四、2024年推进法治政府建设的主要安排"


def test_last_heading_with_only_the_signature_under_it_is_missing() -> None:
    text = FAZHI_CLEAN.replace(_NEXT_YEAR + "五、其他需要报告的情况\n无。\n", "")
    report = review_text(text)
    assert [f.code for f in report.findings] == ["missing_item:next_year"]


def test_run_in_heading_has_its_body_on_its_own_line() -> None:
    text = FAZHI_CLEAN.replace(
        "四、2024年推进法治政府建设的主要安排\n" + _NEXT_YEAR,
        "四、2024年推进法治政府建设的主要安排。继续加强执法队伍建设，创新普法宣传方式。\n",
    )
    report = review_text(text)
    assert report.items["next_year"].present
    assert report.findings == ()


def test_no_other_section_alone_is_no_finding() -> None:
    report = review_text(FAZHI_CLEAN.replace("五、其他需要报告的情况\n无。\n", ""))
    assert not report.items["other"].present
    assert report.findings == ()


_PASSAGE = (
    "街道坚持把矛盾纠纷多元化解作为基层治理的重要抓手，依托综治中心整合司法所、派出所和社区网格员力量，"
    "建立排查、调处、回访闭环机制，全年化解各类纠纷并开展普法宣传进社区活动，群众满意度持续提升，信访总量明显下降。"
)


def test_one_duplicate_pair_reported_once() -> None:
    # The copy has a phrase reworded in the middle: two matching pieces, one repeated passage.
    edited = _PASSAGE.replace(
        "建立排查、调处、回访闭环机制", "完善了排查和调处工作流程以及定期回访制度"
    )
    lines = FAZHI_CLEAN.split("\n")
    lines.insert(4, _PASSAGE)
    lines.insert(9, edited)
    report = review_text("\n".join(lines))
    found = [f for f in report.findings if f.code == "duplicate_passage"]
    assert [(f.spans[0].line_start, f.spans[1].line_start) for f in found] == [(5, 10)]
    assert found[0].severity == "warning"
    assert dict(found[0].data)["length"] >= 90
