"""A published report's text may not carry an ID number, however it was typed (DESIGN
invariant 8), while ordinary figures pass (issue 6, item 9)."""

from __future__ import annotations

from typing import Any

import pytest

from fazhi.core.audit.models import AuditEvent
from fazhi.core.reports.actions import save_texts, texts_for
from fazhi.core.reports.models import ReportText
from fazhi.core.workflow import ActionError

pytestmark = pytest.mark.django_db

ID = "11010519491231002X"  # valid check character
ZWSP = "\u200b"


def save(cast: Any, text: str) -> None:
    save_texts(
        unit=cast.street_a, kind="xxgk", year=2026, texts={"problems": text}, by=cast.a_clerk
    )


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (f"申请人王某（身份证号{ID}）", "110***********002X"),
        ("身份证号：11010519491231002x。", "110***********002X"),
        ("110105 19491231 002X", "110***********002X"),
        ("1101 0519 4912 3100 2X", "110***********002X"),
        ("110105-19491231-002X", "110***********002X"),
        ("110105 1949 12 31 002 X", "110***********002X"),
        ("1 1 0 1 0 5 1 9 4 9 1 2 3 1 0 0 2 X", "110***********002X"),
        ("电话13812345678 110105 19491231 002X", "110***********002X"),
        ("110105 — 19491231 — 002X", "110***********002X"),
        ("１１０１０５１９４９１２３１００２Ｘ", "110***********002X"),
        ("110105\u300019491231\u3000002X", "110***********002X"),  # ideographic spaces
        (f"1101{ZWSP}0519{ZWSP}4912{ZWSP}31002X", "110***********002X"),
        ("110105\u00ad19491231002X", "110***********002X"),  # soft hyphen
        (f"ID{ID}", "110***********002X"),
        (f"No.A{ID}号", "110***********002X"),
        ("证件号码 440306199003071232，联系电话 13812345678", "440***********1232"),
        (f"{ID} 13812345678", "110***********002X"),  # a phone number right after it
        ("老式身份证110105491231002", "110********1002"),  # 15 digits, before 1999
        ("110105 491231 002", "110********1002"),
    ],
)
def test_an_id_number_is_refused_however_it_is_written(cast: Any, text: str, masked: str) -> None:
    with pytest.raises(ActionError) as refused:
        save(cast, text)
    assert refused.value.field == "problems"
    assert f"报告文字中含有身份证号码（{masked}）" in refused.value.message
    assert not ReportText.objects.exists()
    assert not AuditEvent.objects.filter(code="reports.xxgk.texts_saved").exists()


@pytest.mark.parametrize(
    "text",
    [
        "全年收到申请166件，其中予以公开22件、部分公开3件。",
        "罚没款共计1,234,567.89元，行政事业性收费12345678.90元。",
        "收费金额 110105194912 元",
        "咨询电话：13812345678；0571-88889999；010 - 6512 3456；+86 138 1234 5678；400-123-4567。",
        "办理期限2026-03-01至2026-03-31，20260301 至 20261231。",
        "依据《区政府办公室关于印发……的通知》（区政办发〔2026〕12号）",
        "申请编号 YSQ-2026-0001、YSQ-2026-0002",
        "京公网安备11010502030143号",
        "统一社会信用代码 91110105MA01ABCD2X",
        "账号 6222 0212 3456 7890 123",
        "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20",
        "110105194912310021",  # right shape, wrong check character
        "11010519491331002X",  # 13th month
        "110105491331002",  # 15 digits, no valid birth date
        "990105491231002",  # 15 digits, no such province
        "1101051949123100201",  # 19 digits: part of a longer number
    ],
)
def test_ordinary_figures_are_not_mistaken_for_id_numbers(cast: Any, text: str) -> None:
    save(cast, text)
    assert texts_for(cast.street_a, "xxgk", 2026) == {"problems": text}
