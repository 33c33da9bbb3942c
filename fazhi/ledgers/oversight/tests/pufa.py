"""Records of the 普法 ledger for these tests, made through the kit's registry (ledgers never
import each other, their tests included)."""

from __future__ import annotations

from typing import Any

from fazhi.core.records import perform
from fazhi.core.records.ledger import get_ledger


def ledger(slug: str) -> Any:
    found = get_ledger(slug)
    assert found is not None, f"the {slug} ledger is installed"
    return found


def study(unit: Any, by: Any, number: str = "", **kw: Any) -> Any:
    fields: dict[str, Any] = {
        "kind": "center_group",
        "topic": "中心组学法：学习《中华人民共和国行政复议法》",
        "lecturer": "",
        "expected": 15,
        "participants": 14,
        "passed": None,
    }
    fields.update(kw)
    return perform.register(ledger("pufa_studies"), unit=unit, by=by, fields=fields, number=number)
