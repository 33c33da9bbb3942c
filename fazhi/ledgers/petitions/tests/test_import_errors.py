"""Importing 信访事项: one bad row writes nothing, and every defect gets its `第N行「列」…`
message (split from test_import.py, which covers the good paths)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from fazhi.ledgers.petitions.tests.importcase import (
    BAD_LINE,
    Row,
    counts,
    csv_bytes,
    imp,
    xlsx_bytes,
)
from fazhi.ledgers.petitions.tests.importcase import (
    bad_row as _bad,
)
from fazhi.ledgers.petitions.tests.importcase import (
    good_rows as _good_rows,
)

D = dt.date
pytestmark = pytest.mark.usefixtures("import_day")


# --- all or nothing ---------------------------------------------------------------------

ACCEPTED = {"处理方式": "受理", "处理日期": D(2026, 5, 8)}
OPINION = {"答复日期": D(2026, 6, 1), "处理结果": "支持", "处理依据": "《物业管理条例》"}


def _defect(row: Row, column: str, message: str, id: str) -> Any:
    return pytest.param(row, f"第{BAD_LINE}行「{column}」{message}", id=id)


DEFECTS = [
    _defect(_bad(收到日期="2026-13-01"), "收到日期", "不是有效日期: 2026-13-01", "impossible-date"),
    _defect(_bad(收到日期="2026-02-30"), "收到日期", "不是有效日期: 2026-02-30", "no-such-day"),
    _defect(_bad(收到日期="2026-12-01"), "收到日期", "不能晚于今天: 2026-12-01", "future-date"),
    _defect(
        _bad(**ACCEPTED, **{**OPINION, "答复日期": "2026-12-01"}),
        "答复日期",
        "不能晚于今天: 2026-12-01",
        "future-reply",
    ),
    _defect(_bad(信访类型="投诉"), "信访类型", "不是可选值之一: 「投诉」", "unknown-type"),
    _defect(_bad(信访形式="传真"), "信访形式", "不是可选值之一: 「传真」", "unknown-form"),
    _defect(
        _bad(**{**ACCEPTED, "处理方式": "办结"}),
        "处理方式",
        "不是可选值之一: 「办结」",
        "unknown-route",
    ),
    _defect(
        _bad(**ACCEPTED, **{**OPINION, "处理结果": "同意"}),
        "处理结果",
        "不是可选值之一: 「同意」",
        "unknown-result",
    ),
    _defect(
        _bad(信访形式="来访", 来访人数=12, 代表人数=6),
        "代表人数",
        "多人走访提出同一信访事项的，推选的代表不超过5人（条例第二十条）",
        "sixth-representative",
    ),
    _defect(
        _bad(信访形式="来访", 来访人数=2, 代表人数=3),
        "代表人数",
        "代表人数不能多于来访人数",
        "more-representatives-than-visitors",
    ),
    _defect(_bad(信访形式="来访"), "来访人数", "来访人数至少为1人", "visit-without-visitors"),
    _defect(_bad(来访人数="很多"), "来访人数", "不是有效的整数: 很多", "visitors-not-a-number"),
    _defect(
        _bad(信访形式="来访", 来访人数="99999999999", 代表人数=1),
        "来访人数",
        "来访人数超出范围（最多100000人）",
        "visitors-absurd",
    ),
    _defect(
        _bad(处理方式="受理"), "处理日期", "「处理方式」与「处理日期」应同时填写", "route-no-date"
    ),
    _defect(
        _bad(处理日期=D(2026, 5, 8)),
        "处理方式",
        "「处理方式」与「处理日期」应同时填写",
        "date-no-route",
    ),
    _defect(
        _bad(处理方式="受理", 处理日期=D(2026, 5, 1)),
        "处理日期",
        "不能早于「收到日期」（2026-05-06）",
        "routed-before-receipt",
    ),
    _defect(
        _bad(**ACCEPTED, **{**OPINION, "答复日期": D(2026, 5, 1)}),
        "答复日期",
        "不能早于「收到日期」（2026-05-06）",
        "reply-before-receipt",
    ),
    _defect(
        _bad(**ACCEPTED, **{**OPINION, "答复日期": D(2026, 5, 7)}),
        "答复日期",
        "不能早于「处理日期」（2026-05-08）",
        "reply-before-acceptance",
    ),
    _defect(
        _bad(**ACCEPTED, 延期批准日期=D(2026, 5, 7), 延期批准人="李主任"),
        "延期批准日期",
        "不能早于「处理日期」（2026-05-08）",
        "extension-before-acceptance",
    ),
    _defect(
        _bad(**ACCEPTED, **{**OPINION, "处理依据": None}),
        "处理依据",
        "出具处理意见书的，请填写政策法律依据",
        "opinion-without-basis",
    ),
    _defect(_bad(满意度="满意"), "满意度", "尚未答复的事项不能填写满意度", "satisfaction-no-reply"),
    _defect(
        _bad(**ACCEPTED, 答复日期=D(2026, 6, 1)),
        "处理结果",
        "「答复日期」与「处理结果」应同时填写",
        "reply-without-result",
    ),
    _defect(
        _bad(**ACCEPTED, 处理结果="调解"),
        "答复日期",
        "「答复日期」与「处理结果」应同时填写",
        "result-without-reply",
    ),
    _defect(
        _bad(处理方式="转送", 处理日期=D(2026, 5, 8), **{"转送/交办机关": "区住建局"}, **OPINION),
        "答复日期",
        "「出具处理意见书」不能在「已转送/交办」状态下发生（请核对各环节的日期和顺序）",
        "reply-after-transfer",
    ),
    _defect(
        _bad(**OPINION),
        "答复日期",
        "「出具处理意见书」不能在「待受理」状态下发生（请核对各环节的日期和顺序）",
        "reply-without-acceptance",
    ),
    _defect(
        _bad(处理方式="转送", 处理日期=D(2026, 5, 8)),
        "转送/交办机关",
        "转送或交办时请填写接收机关",
        "transfer-without-body",
    ),
    _defect(
        _bad(处理方式="不予受理", 处理日期=D(2026, 5, 8)),
        "告知途径",
        "不予受理时请填写告知信访人的途径",
        "not-accepted-without-procedure",
    ),
    _defect(
        _bad(**ACCEPTED, 延期批准日期=D(2026, 6, 1), 延长日数=31, 延期批准人="李主任"),
        "延长日数",
        "延长期限为1至30日（条例第三十四条）",
        "extension-too-long",
    ),
    _defect(
        _bad(**ACCEPTED, 延长日数=20),
        "延长日数",
        "已填写「延长日数」，但「延期批准日期」为空",
        "extension-days-without-date",
    ),
    _defect(
        _bad(**ACCEPTED, 延期批准人="李主任"),
        "延期批准人",
        "已填写「延期批准人」，但「延期批准日期」为空",
        "approver-without-date",
    ),
    _defect(
        _bad(事项类别="复查"),
        "原办理单位及答复",
        "复查、复核事项请写明原办理单位及其答复（或复查意见）",
        "review-without-original",
    ),
    _defect(_bad(诉求内容=None), "诉求内容", "不能为空", "missing-content"),
    _defect(
        _bad(诉求内容="某" * 5001),
        "诉求内容",
        "过长（最多5000个字符，实际5001个字符）",
        "content-too-long",
    ),
    _defect(
        _bad(信访编号="XF-" + "9" * 62),
        "信访编号",
        "过长（最多64个字符，实际65个字符）",
        "number-too-long",
    ),
    _defect(
        _bad(信访人="某" * 101),
        "信访人",
        "过长（最多100个字符，实际101个字符）",
        "name-too-long",
    ),
    _defect(_bad(信访编号="XF-2026-0002"), "信访编号", "与第3行重复: XF-2026-0002", "duplicate"),
]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize(("bad", "message"), DEFECTS)
def test_one_bad_row_writes_nothing(cast: Any, bad: Row, message: str, fmt: str) -> None:
    rows = [*_good_rows(), bad]
    data = xlsx_bytes(rows) if fmt == "xlsx" else csv_bytes(rows, "utf-8-sig")
    before = counts()
    outcome = imp(cast, data, f"台账.{fmt}")
    assert not outcome.ok
    assert any(e.startswith(message) for e in outcome.errors), outcome.errors
    for error in outcome.errors:
        assert re.match(r"第\d+行「[^」]+」", error), error
    assert outcome.summary().startswith("导入失败")
    assert counts() == before


@pytest.mark.parametrize(
    ("column", "value"),
    [
        pytest.param("信访编号", "XF-2026-_x0000_0099", id="number"),
        pytest.param("诉求内容", "反映_x0000_噪音问题", id="content"),
        pytest.param("信访人", "王_x0001_某", id="name"),
    ],
)
def test_a_control_character_in_an_excel_cell_is_a_row_error(
    cast: Any, column: str, value: str
) -> None:
    """Excel writes a control character as `_x0000_`, which the reader decodes: such a cell is
    a damaged file, refused with its row and column (and no NUL reaches PostgreSQL)."""
    rows = [*_good_rows(), _bad(**{column: value})]
    before = counts()
    outcome = imp(cast, xlsx_bytes(rows))
    assert outcome.errors == [
        f"第{BAD_LINE}行「{column}」含有控制字符（文件可能已损坏），请删除后重新导入"
    ]
    assert counts() == before


def test_a_nul_in_a_csv_file_refuses_the_file(cast: Any) -> None:
    data = csv_bytes([*_good_rows(), _bad(诉求内容="反映\x00噪音")], "utf-8-sig")
    before = counts()
    outcome = imp(cast, data, "台账.csv")
    assert outcome.errors == ["文件不是有效的 CSV 文本文件"]
    assert counts() == before


def test_every_bad_row_is_reported_at_once(cast: Any) -> None:
    rows = [
        *_good_rows(),
        _bad(信访编号="XF-2026-0101", 信访形式="来访", 来访人数=12, 代表人数=6),
        _bad(信访编号="XF-2026-0102", 满意度="满意"),
        _bad(信访编号="XF-2026-0103", **ACCEPTED, **{**OPINION, "答复日期": D(2026, 5, 1)}),
    ]
    outcome = imp(cast, xlsx_bytes(rows))
    assert outcome.errors == [
        "第7行「代表人数」多人走访提出同一信访事项的，推选的代表不超过5人（条例第二十条）",
        "第8行「满意度」尚未答复的事项不能填写满意度",
        "第9行「答复日期」不能早于「收到日期」（2026-05-06）",
    ]
