from __future__ import annotations

import pytest

from fazhi.core.imports import Column, ImportSpec, parse_choice, parse_date, parse_int, parse_money

RESULTS = {"予以公开": "open", "部分公开": "partial", "不予公开": "closed"}


@pytest.fixture
def spec() -> ImportSpec:
    return ImportSpec(
        name="政府信息公开申请",
        columns=(
            Column("申请编号", "number", example="YSQ-2026-001"),
            Column("收到日期", "received_on", parse_date, help="ISO 日期，如 2026-03-01"),
            Column("申请内容", "content"),
            Column("处理结果", "result", parse_choice(RESULTS), allow_blank=True),
            Column("页数", "pages", parse_int, allow_blank=True),
            Column("收费", "fee", parse_money, required=False, allow_blank=True),
            Column("备注", "notes", required=False, allow_blank=True),
        ),
        key="number",
    )
