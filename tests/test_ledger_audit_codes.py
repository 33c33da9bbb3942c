"""Every audit code a ledger writes with `record_event` has a Chinese name on the audit page
(the kit's own codes are named from each ledger's declaration)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fazhi.core.audit.catalogue import code_label

LEDGERS = Path(__file__).resolve().parents[1] / "fazhi" / "ledgers"
WRITTEN = re.compile(r'record_event\(\s*"([a-z_]+\.[a-z_]+\.[a-z_]+)"')


def written_codes() -> set[str]:
    return {
        code
        for path in LEDGERS.rglob("*.py")
        if "tests" not in path.parts
        for code in WRITTEN.findall(path.read_text(encoding="utf-8"))
    }


def test_the_scan_finds_the_codes() -> None:
    assert "disclosure.guide.saved" in written_codes()


@pytest.mark.parametrize("code", sorted(written_codes()))
def test_each_ledger_code_has_a_chinese_name(code: str) -> None:
    assert code_label(code) != code
    assert any("\u4e00" <= c <= "\u9fff" for c in code_label(code))
