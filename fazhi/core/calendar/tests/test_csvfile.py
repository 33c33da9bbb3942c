from __future__ import annotations

import datetime

import pytest

from fazhi.core.calendar.csvfile import parse_calendar_csv
from fazhi.core.calendar.notice import HOLIDAY, WORKDAY, NoticeDay, NoticeError

GOOD = "date,kind,name\n2026-01-02,holiday,元旦\n2026-01-01,holiday,元旦\n2026-01-04,workday,元旦\n"
EXPECTED = [
    NoticeDay(datetime.date(2026, 1, 1), HOLIDAY, "元旦"),
    NoticeDay(datetime.date(2026, 1, 2), HOLIDAY, "元旦"),
    NoticeDay(datetime.date(2026, 1, 4), WORKDAY, "元旦"),
]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(GOOD.encode("utf-8"), id="utf-8"),
        pytest.param(GOOD.encode("utf-8-sig"), id="utf-8-bom"),
        pytest.param(GOOD.encode("gb18030"), id="gb18030"),
        pytest.param(GOOD.replace("\n", "\r\n").encode("gb18030"), id="gb18030-crlf"),
        pytest.param(
            "kind,name,date\nholiday,元旦,2026-01-02\nholiday,元旦,2026-01-01\n\n"
            "workday,元旦,2026-01-04\n".encode(),
            id="columns-reordered-blank-line",
        ),
    ],
)
def test_good_files(data: bytes) -> None:
    assert parse_calendar_csv(data) == EXPECTED


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "date,kind,name\n2026-01-01,holiday,元旦\n2026-01-04,rest,元旦\n",
            "第3行「kind」必须是 holiday 或 workday: rest",
            id="bad-kind",
        ),
        pytest.param(
            "date,kind,name\n2026/1/1,holiday,元旦\n",
            "第2行「date」必须是 YYYY-MM-DD 格式的日期: 2026/1/1",
            id="non-iso-date",
        ),
        pytest.param(
            "date,kind,name\n2026-02-30,holiday,春节\n",
            "第2行「date」日期无效: 2026-02-30",
            id="impossible-date",
        ),
        pytest.param(
            "date,kind,name\n2026-01-01,holiday,元旦\n2026-01-01,holiday,元旦\n",
            "第3行日期重复: 2026-01-01（已在第2行出现）",
            id="duplicate-date",
        ),
        pytest.param(
            "2026-01-01,holiday,元旦\n",
            "第1行必须是表头 date,kind,name，实际为: 2026-01-01,holiday,元旦",
            id="missing-header",
        ),
        pytest.param(
            "date,kind,name\n2026-01-01,holiday\n",
            "第2行应有3列（date,kind,name），实际为2列",
            id="missing-column",
        ),
        pytest.param(
            "date,kind,name\n2026-01-01,holiday,\n",
            "第2行「name」不能为空",
            id="empty-name",
        ),
        pytest.param("", "CSV 文件为空，第1行必须是表头 date,kind,name", id="empty"),
        pytest.param("date,kind,name\n", "CSV 文件只有表头，没有数据行", id="header-only"),
    ],
)
def test_errors(text: str, expected: str) -> None:
    with pytest.raises(NoticeError) as caught:
        parse_calendar_csv(text.encode("utf-8"))
    assert str(caught.value) == expected


def test_undecodable_bytes() -> None:
    with pytest.raises(NoticeError, match="无法识别文件编码"):
        parse_calendar_csv(b"date,kind,name\n\x81\x20\xff\n")


def test_bom_with_invalid_utf8() -> None:
    with pytest.raises(NoticeError, match="UTF-8"):
        parse_calendar_csv(b"\xef\xbb\xbfdate,kind,name\n\xff\n")
