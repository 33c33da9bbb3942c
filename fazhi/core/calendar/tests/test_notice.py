from __future__ import annotations

import datetime
from pathlib import Path

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.core.calendar.notice import (
    HOLIDAY,
    NO_FESTIVAL_MESSAGE,
    WORKDAY,
    NoticeDay,
    NoticeError,
    parse_notice,
)

DATA = Path(__file__).parent / "data"
NEW_YEAR = chinese_calendar.Holiday.new_years_day.value
# Announced by a separate notice in 2015, not by the yearly holiday notice.
ANTI_FASCIST = chinese_calendar.Holiday.anti_fascist_70th_day.value


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def library_days(year: int) -> dict[str, set[datetime.date]]:
    """What chinese_calendar holds for the notice of `year`.

    Its December 元旦 days belong to the following year's notice, so they are moved there.
    """
    result: dict[str, set[datetime.date]] = {HOLIDAY: set(), WORKDAY: set()}
    for kind, table in ((HOLIDAY, chinese_calendar.holidays), (WORKDAY, chinese_calendar.workdays)):
        for day, name in table.items():
            if name == ANTI_FASCIST:
                continue
            notice_year = day.year + 1 if (day.month == 12 and name == NEW_YEAR) else day.year
            if notice_year == year:
                result[kind].add(day)
    return result


def parsed_days(days: list[NoticeDay]) -> dict[str, set[datetime.date]]:
    return {kind: {day.date for day in days if day.kind == kind} for kind in (HOLIDAY, WORKDAY)}


@pytest.mark.parametrize(
    ("year", "filename"),
    [
        (2026, "notice_2026.txt"),
        (2025, "notice_2025.txt"),
        (2019, "notice_2019.txt"),
        (2018, "notice_2018.txt"),
        (2015, "notice_2015.txt"),
    ],
)
def test_notice_matches_chinese_calendar(year: int, filename: str) -> None:
    days = parse_notice((DATA / filename).read_text(encoding="utf-8"), year)

    assert parsed_days(days) == library_days(year)
    assert [day.date for day in days] == sorted(day.date for day in days)


def test_2026_names_and_kinds() -> None:
    days = parse_notice((DATA / "notice_2026.txt").read_text(encoding="utf-8"), 2026)
    by_date = {day.date: day for day in days}

    assert by_date[d("2026-01-04")] == NoticeDay(d("2026-01-04"), WORKDAY, "元旦")
    assert by_date[d("2026-02-15")] == NoticeDay(d("2026-02-15"), HOLIDAY, "春节")
    assert by_date[d("2026-09-20")] == NoticeDay(d("2026-09-20"), WORKDAY, "国庆节")
    assert len([day for day in days if day.name == "春节" and day.kind == HOLIDAY]) == 9


def test_2025_merged_festival_name() -> None:
    days = parse_notice((DATA / "notice_2025.txt").read_text(encoding="utf-8"), 2025)

    names = {day.name for day in days if day.date.month == 10}
    assert names == {"国庆节、中秋节"}


def test_2019_new_year_crosses_into_previous_year() -> None:
    days = parse_notice((DATA / "notice_2019.txt").read_text(encoding="utf-8"), 2019)

    assert days[:4] == [
        NoticeDay(d("2018-12-29"), WORKDAY, "元旦"),
        NoticeDay(d("2018-12-30"), HOLIDAY, "元旦"),
        NoticeDay(d("2018-12-31"), HOLIDAY, "元旦"),
        NoticeDay(d("2019-01-01"), HOLIDAY, "元旦"),
    ]


def test_synthetic_2027_notice_in_one_paragraph() -> None:
    days = parse_notice((DATA / "notice_2027_synthetic.txt").read_text(encoding="utf-8"), 2027)
    found = parsed_days(days)

    assert len(found[HOLIDAY]) == 3 + 8 + 3 + 5 + 1 + 1 + 7
    assert found[WORKDAY] == {
        d("2027-02-20"),
        d("2027-04-25"),
        d("2027-05-08"),
        d("2027-09-26"),
        d("2027-10-09"),
    }
    assert {day.name for day in days} == {
        "元旦",
        "春节",
        "清明节",
        "劳动节",
        "端午节",
        "中秋节",
        "国庆节",
    }


def dates(first: str, last: str) -> set[datetime.date]:
    start, stop = d(first), d(last)
    return {start + datetime.timedelta(days=i) for i in range((stop - start).days + 1)}


@pytest.mark.parametrize(
    ("text", "year", "holidays", "workdays"),
    [
        pytest.param(
            "一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。",
            2026,
            dates("2026-01-01", "2026-01-03"),
            {d("2026-01-04")},
            id="official-line",
        ),
        pytest.param(
            "元旦：1月1日(周四)至3日(周六)放假调休,共3天。1月4日(周日)上班。",
            2026,
            dates("2026-01-01", "2026-01-03"),
            {d("2026-01-04")},
            id="half-width-no-numbering",
        ),
        pytest.param(
            "一、元旦：１月１日（周四）至３日（周六）放假调休，共３天。１月４日（周日）上班。",
            2026,
            dates("2026-01-01", "2026-01-03"),
            {d("2026-01-04")},
            id="full-width-digits",
        ),
        pytest.param(
            "三、端午节：6月10日放假，与周末连休。",
            2016,
            {d("2016-06-10")},
            set(),
            id="single-day-weekend-not-added",
        ),
        pytest.param(
            "一、元旦：1月1日（周三）放假1天。",
            2025,
            {d("2025-01-01")},
            set(),
            id="single-day-count",
        ),
        pytest.param(
            "七、国庆节：9月29日至10月6日放假调休，共8天。",
            2017,
            dates("2017-09-29", "2017-10-06"),
            set(),
            id="range-across-months",
        ),
        pytest.param(
            "一、元旦：2017年12月30日至2018年1月1日放假调休，共3天。",
            2018,
            dates("2017-12-30", "2018-01-01"),
            set(),
            id="explicit-years-across-new-year",
        ),
        pytest.param(
            "一、元旦：12月30日至1月1日放假调休，共3天。12月29日（星期六）上班。",
            2019,
            dates("2018-12-30", "2019-01-01"),
            {d("2018-12-29")},
            id="implicit-previous-december",
        ),
        pytest.param(
            "一、元旦：2015年1月1日至3日放假调休，共3天。",
            2015,
            dates("2015-01-01", "2015-01-03"),
            set(),
            id="explicit-year-start-only",
        ),
        pytest.param(
            "四、劳动节：5月1日一5日放假调休，共5天。",
            2026,
            dates("2026-05-01", "2026-05-05"),
            set(),
            id="range-with-yi",
        ),
        pytest.param(
            "四、劳动节：5月1日～5日放假调休，共5天。",
            2026,
            dates("2026-05-01", "2026-05-05"),
            set(),
            id="range-with-wave",
        ),
        pytest.param(
            "四、劳动节：5月1日-5日放假调休，共5天。",
            2026,
            dates("2026-05-01", "2026-05-05"),
            set(),
            id="range-with-hyphen",
        ),
        pytest.param(
            "四、劳动节：5月1日到5日放假调休，共五天。",
            2026,
            dates("2026-05-01", "2026-05-05"),
            set(),
            id="range-with-dao-chinese-count",
        ),
        pytest.param(
            "二、春节：2月15日（星期日）至23日（星期一）放假调休，共9天。2月14日（星期六），2月28日（星期六）上班。",
            2026,
            dates("2026-02-15", "2026-02-23"),
            {d("2026-02-14"), d("2026-02-28")},
            id="xingqi-and-comma-list",
        ),
        pytest.param(
            "三、清明节：4月5日放假，4月6日（星期一）补休。",
            2015,
            {d("2015-04-05"), d("2015-04-06")},
            set(),
            id="buxiu",
        ),
        pytest.param(
            "一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。\n1月4日（周日）上班。\n二、春节：\n2月15日至23日放假调休，\n共9天。",
            2026,
            dates("2026-01-01", "2026-01-03") | dates("2026-02-15", "2026-02-23"),
            {d("2026-01-04")},
            id="split-lines",
        ),
        pytest.param(
            "通知如下：一、元旦：1月1日至3日放假调休，共3天。1月4日（周日）上班。二、清明节：4月4日至6日放假，共3天。节假日期间，各地区要安排好值班。国务院办公厅 2025年11月4日",
            2026,
            dates("2026-01-01", "2026-01-03") | dates("2026-04-04", "2026-04-06"),
            {d("2026-01-04")},
            id="one-paragraph",
        ),
    ],
)
def test_variants(
    text: str, year: int, holidays: set[datetime.date], workdays: set[datetime.date]
) -> None:
    assert parsed_days(parse_notice(text, year)) == {HOLIDAY: holidays, WORKDAY: workdays}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "前言\n一、元旦：1月1日（周五）至3日（周六）放假调休，共3天。",
            "第2行: 1月1日不是周五（实际是周四）（原文：“一、元旦：1月1日（周五）至3日（周六）放假调休，共3天。”）",
            id="wrong-weekday",
        ),
        pytest.param(
            "二、春节：2月30日至3月2日放假，共2天。",
            "第1行日期无效: 2月30日（原文：“二、春节：2月30日至3月2日放假，共2天。”）",
            id="impossible-date",
        ),
        pytest.param(
            "四、劳动节：5月1日至5日放假调休，共4天。",
            "第1行: 写明共4天，但所列放假日期共5天（原文：“四、劳动节：5月1日至5日放假调休，共4天。”）",
            id="count-mismatch",
        ),
        pytest.param(
            "四、劳动节：5月1日至5日放假调休，共5天。5月6日（周三）上班。",
            "第1行: 调休上班日5月6日是周三，应为周六或周日（原文：“四、劳动节：5月1日至5日放假调休，共5天。5月6日（周三）上班。”）",
            id="workday-on-wednesday",
        ),
        pytest.param(
            "四、劳动节：5月5日至1日放假。",
            "第1行: 结束日期5月1日早于开始日期5月5日（原文：“四、劳动节：5月5日至1日放假。”）",
            id="range-backwards",
        ),
        pytest.param(
            "一、元旦：1月1日放假。\n二、春节：1月1日至2日放假。",
            "第2行: 1月1日重复出现（第1行已安排为元旦放假）（原文：“二、春节：1月1日至2日放假。”）",
            id="duplicate-date",
        ),
        pytest.param(
            "一、元旦：1月1日至3日放假调休。1月4日（周日）上斑。",
            "第1行无法识别: “上斑。”（原文：“一、元旦：1月1日至3日放假调休。1月4日（周日）上斑。”）",
            id="unknown-word",
        ),
        pytest.param(
            "一、元旦：1月1日至3日放假调休。1月4日（周日）。",
            "第1行: 日期1月4日后没有写明放假或上班（原文：“一、元旦：1月1日至3日放假调休。1月4日（周日）。”）",
            id="date-without-action",
        ),
        pytest.param(
            "一、元旦：2025年1月1日放假。",
            "第1行: 2025年1月1日不属于2026年的节假日安排（原文：“一、元旦：2025年1月1日放假。”）",
            id="wrong-year",
        ),
        pytest.param(
            "一、元旦：1月1日至放假。",
            "第1行: 日期范围不完整，“至”后面应为日期（原文：“一、元旦：1月1日至放假。”）",
            id="open-range",
        ),
    ],
)
def test_errors(text: str, expected: str) -> None:
    with pytest.raises(NoticeError) as caught:
        parse_notice(text, 2026)
    assert str(caught.value) == expected
    assert caught.value.line is not None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "国务院办公厅关于2026年部分节假日安排的通知\n各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n经国务院批准，现将放假安排通知如下。",
        "元旦放假三天。",
    ],
)
def test_no_festival_lines(text: str) -> None:
    with pytest.raises(NoticeError, match="未在通知中找到节假日安排") as caught:
        parse_notice(text, 2026)
    assert str(caught.value) == NO_FESTIVAL_MESSAGE


def test_identical_duplicate_is_accepted() -> None:
    text = "一、元旦：1月1日放假。1月1日放假。"
    assert parse_notice(text, 2026) == [NoticeDay(d("2026-01-01"), HOLIDAY, "元旦")]


_ALPHABET = st.sampled_from(
    list(
        "0123456789１２３年月日至到一～~-、，,。;：:（）()周星期六日共天放假调休上班补休元旦春节与周末连休\n "
    )
)


@settings(max_examples=300, deadline=None)
@given(
    text=st.one_of(
        st.text(),
        st.text(alphabet=_ALPHABET, max_size=80),
        st.text(alphabet=_ALPHABET, max_size=60).map(lambda body: "一、元旦：1月1日" + body),
    ),
    year=st.integers(min_value=2, max_value=9998),
)
def test_arbitrary_text_raises_only_notice_error(text: str, year: int) -> None:
    try:
        days = parse_notice(text, year)
    except NoticeError:
        return
    assert all(day.kind in (HOLIDAY, WORKDAY) for day in days)
