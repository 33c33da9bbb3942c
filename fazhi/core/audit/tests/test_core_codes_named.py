"""Every audit code core writes literally has a Chinese name on the audit page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fazhi.core.audit.catalogue import code_label

CORE = Path(__file__).resolve().parents[2]
# Audit codes are "<app>.<object>.<what>"; core's apps write these prefixes.
PREFIXES = "tenancy|accounts|directory|backup|attachments|calendar|review|api"
LITERAL = re.compile(rf'"((?:{PREFIXES})\.[a-z_]+\.[a-z_]+)"')
LETTERS = re.compile(r'_audit\(\s*"([a-z_]+\.[a-z_]+)"')


def written_codes() -> set[str]:
    codes: set[str] = set()
    for path in CORE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        codes |= set(LITERAL.findall(text))
        if path.parent.name == "letters":
            codes |= {f"letters.{c}" for c in LETTERS.findall(text)}
    return codes


def test_the_scan_finds_the_codes() -> None:
    assert {
        "tenancy.unit.moved",
        "accounts.lock.lifted",
        "letters.letter.issued",
        "api.token.revoked",
    } <= written_codes()


@pytest.mark.parametrize("code", sorted(written_codes()))
def test_each_core_code_has_a_chinese_name(code: str) -> None:
    assert code_label(code) != code
    assert any("\u4e00" <= c <= "\u9fff" for c in code_label(code))
