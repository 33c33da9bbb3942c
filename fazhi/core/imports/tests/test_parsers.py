from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fazhi.core.imports import (
    ImportValueError,
    mask_id_number,
    parse_choice,
    parse_date,
    parse_id_number,
    parse_int,
    parse_money,
    parse_text,
    validate_id_number,
)
from fazhi.core.imports.idnumber import id_check_char

D = datetime.date


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-03-01", D(2026, 3, 1)),
        (" 2026-3-1 ", D(2026, 3, 1)),
        ("2026/3/1", D(2026, 3, 1)),
        ("2026.03.01", D(2026, 3, 1)),
        ("2026年3月1日", D(2026, 3, 1)),
        ("2026 年 3 月 1 日", D(2026, 3, 1)),
        ("２０２６年３月１日", D(2026, 3, 1)),
        ("2026年3月1", D(2026, 3, 1)),
        ("20260301", D(2026, 3, 1)),
        ("2026-03-01 00:00:00", D(2026, 3, 1)),
        ("2026-03-01T09:30", D(2026, 3, 1)),
        ("2024-02-29", D(2024, 2, 29)),
        (D(2026, 3, 1), D(2026, 3, 1)),
        (datetime.datetime(2026, 3, 1, 15, 30), D(2026, 3, 1)),  # noqa: DTZ001 - as calamine gives
        (46082, D(2026, 3, 1)),
        (46082.0, D(2026, 3, 1)),
        (46082.75, D(2026, 3, 1)),
        (20260301, D(2026, 3, 1)),
        (20260301.0, D(2026, 3, 1)),
        (61, D(1900, 3, 1)),
    ],
)
def test_parse_date_accepts(raw: object, expected: datetime.date) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("2026-13-01", "不是有效日期: 2026-13-01"),
        ("2026-02-30", "不是有效日期: 2026-02-30"),
        ("2025-02-29", "不是有效日期: 2025-02-29"),
        ("2026-3/1", "不是有效日期: 2026-3/1"),
        ("26-3-1", "不是有效日期: 26-3-1"),
        ("三月一日", "不是有效日期: 三月一日"),
        ("2026年13月1日", "不是有效日期: 2026年13月1日"),
        ("20261301", "不是有效日期: 20261301"),
        ("46082", "不是有效日期: 46082"),
        ("明天", "不是有效日期: 明天"),
        (True, "不是有效日期: 是"),
        (-5, "不是有效日期: -5"),
        (1.5e300, "不是有效日期: 1.5e+300"),
        (float("nan"), "不是有效日期: nan"),
        (20261301, "不是有效日期: 20261301"),
        (datetime.time(10, 0), "不是有效日期: 10:00:00"),
    ],
)
def test_parse_date_rejects(raw: object, message: str) -> None:
    with pytest.raises(ImportValueError) as info:
        parse_date(raw)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", 12),
        (" 12 ", 12),
        ("12.0", 12),
        ("+3", 3),
        ("1,200", 1200),
        ("１２", 12),
        (12, 12),
        (12.0, 12),
        (0, 0),
        ("0", 0),
    ],
)
def test_parse_int_accepts(raw: object, expected: int) -> None:
    assert parse_int(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("十二", "不是有效的整数: 十二"),
        ("12.5", "不是有效的整数: 12.5"),
        (12.5, "不是有效的整数: 12.5"),
        ("-3", "不能为负数: -3"),
        (-3, "不能为负数: -3"),
        (-3.0, "不能为负数: -3"),
        (True, "不是有效的整数: 是"),
        ("1,20", "不是有效的整数: 1,20"),
        ("9" * 30, "不是有效的整数: " + "9" * 30),
        (float("inf"), "不是有效的整数: inf"),
        (D(2026, 1, 1), "不是有效的整数: 2026-01-01"),
    ],
)
def test_parse_int_rejects(raw: object, message: str) -> None:
    with pytest.raises(ImportValueError) as info:
        parse_int(raw)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1200", "1200.00"),
        ("1,200.50", "1200.50"),
        ("¥1200", "1200.00"),
        ("￥1,200.5", "1200.50"),
        ("1200元", "1200.00"),
        ("0.1", "0.10"),
        (1200, "1200.00"),
        (1200.5, "1200.50"),
        (0.1 + 0.2, "0.30"),
        ("0", "0.00"),
    ],
)
def test_parse_money_accepts(raw: object, expected: str) -> None:
    value = parse_money(raw)
    assert value == Decimal(expected)
    assert str(value) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("一千元", "不是有效的金额: 一千元"),
        ("12.345", "不是有效的金额（最多两位小数）: 12.345"),
        (12.345, "不是有效的金额: 12.345"),
        ("-5", "金额不能为负数: -5"),
        (-5, "金额不能为负数: -5"),
        ("1e5", "不是有效的金额: 1e5"),
        ("NaN", "不是有效的金额: NaN"),
        (float("nan"), "不是有效的金额: nan"),
        (True, "不是有效的金额: 是"),
        ("9" * 20, "不是有效的金额: " + "9" * 20),
    ],
)
def test_parse_money_rejects(raw: object, message: str) -> None:
    with pytest.raises(ImportValueError) as info:
        parse_money(raw)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  申请人  ", "申请人"),
        ("第一行\r\n第二行  \n第三行", "第一行\n第二行\n第三行"),
        ("\u3000缩进", "缩进"),
        (12.0, "12"),
        (12.5, "12.5"),
        (7, "7"),
        (False, "否"),
        (D(2026, 3, 1), "2026-03-01"),
        (datetime.datetime(2026, 3, 1, 9, 5), "2026-03-01 09:05:00"),  # noqa: DTZ001
    ],
)
def test_parse_text(raw: object, expected: str) -> None:
    assert parse_text(raw) == expected


FEW = parse_choice({"予以公开": "open", "不予公开": "closed"})
MANY = parse_choice(
    {
        "予以公开": "open",
        "部分公开": "partial",
        "不予公开": "closed",
        "信息不存在": "missing",
        "非本机关负责公开": "elsewhere",
        "不予处理": "ignored",
    }
)


@pytest.mark.parametrize(
    ("parser", "raw", "expected"),
    [(FEW, "予以公开", "open"), (FEW, " 不予 公开 ", "closed"), (MANY, "部分公开", "partial")],
)
def test_parse_choice_accepts(parser: object, raw: str, expected: str) -> None:
    assert callable(parser)
    assert parser(raw) == expected


@pytest.mark.parametrize(
    ("parser", "raw", "message"),
    [
        (FEW, "公开", "不是可选值之一: 「公开」，可选值为「予以公开」、「不予公开」"),
        (MANY, "予已公开", "不是可选值之一: 「予已公开」，是否为「予以公开」或「不予公开」？"),
        (MANY, "非本机关负责", "不是可选值之一: 「非本机关负责」，是否为「非本机关负责公开」？"),
        (MANY, "甲乙丙丁", "不是可选值之一: 「甲乙丙丁」"),
        (MANY, "open", "不是可选值之一: 「open」"),
    ],
)
def test_parse_choice_rejects(parser: object, raw: str, message: str) -> None:
    assert callable(parser)
    with pytest.raises(ImportValueError) as info:
        parser(raw)
    assert str(info.value) == message


def _with_check(first17: str) -> str:
    return first17 + id_check_char(first17)


VALID_IDS = [
    "11010519491231002X",
    "11010519491231002x",
    " 110105 19491231002X ",
    _with_check("44030419900307123"),
    _with_check("65010220001229004"),
]


@pytest.mark.parametrize("raw", VALID_IDS)
def test_valid_id_numbers(raw: str) -> None:
    assert validate_id_number(raw) is None
    assert parse_id_number(raw) == "".join(raw.split()).upper()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("110105194912310021", "不是有效的身份证号码（校验位错误）"),
        ("110105194912310020", "不是有效的身份证号码（校验位错误）"),
        (_with_check("11010519491331002"), "不是有效的身份证号码（出生日期无效）"),
        (_with_check("11010518991231002"), "不是有效的身份证号码（出生日期无效）"),
        (_with_check("11010599991231002"), "不是有效的身份证号码（出生日期无效）"),
        ("110105491231002", "不是有效的身份证号码（应为18位）"),
        ("01010519491231002X", "不是有效的身份证号码（含有非法字符）"),
        ("1101051949123100XX", "不是有效的身份证号码（含有非法字符）"),
        ("", "不是有效的身份证号码（应为18位）"),
    ],
)
def test_invalid_id_numbers(raw: str, message: str) -> None:
    assert validate_id_number(raw) == message
    with pytest.raises(ImportValueError) as info:
        parse_id_number(raw)
    assert str(info.value) == message


def test_id_number_typed_as_number_is_refused() -> None:
    with pytest.raises(ImportValueError, match="文本格式"):
        parse_id_number(1.10105194912310e17)


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("11010519491231002X", "110***********002X"),
        ("110105491231002", "110********1002"),
        ("1234567", "*******"),
        ("", ""),
    ],
)
def test_mask_id_number(raw: str, masked: str) -> None:
    assert mask_id_number(raw) == masked


CELLS = st.one_of(
    st.none(),
    st.text(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.timedeltas(),
)


@given(CELLS)
def test_parsers_only_raise_import_value_error(cell: object) -> None:
    messages = []
    for parser in (parse_text, parse_date, parse_int, parse_money, parse_id_number, MANY):
        try:
            parser(cell)
        except ImportValueError as exc:
            messages.append(str(exc))
    assert all(messages)
