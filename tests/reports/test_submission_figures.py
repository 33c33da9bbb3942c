"""The supervisor's table of quoted figures for a 法治 report: a quote is found under the words
the report's passages write it with, ties between indicators named alike go to the one whose
figure the quote gives, and a district's quotes are its whole subtree's (as its report is)."""

from __future__ import annotations

from typing import Any

import pytest

from fazhi.core.submissions.figures import _labels, compare

from .conftest import add_case

YEAR = 2026


def quote(value: int, label: str) -> dict[str, Any]:
    return {"value": value, "unit": "件", "label": label, "line": 1, "text": f"{value}件"}


@pytest.mark.usefixtures("toy_passages")
def test_quotes_are_read_as_the_passages_wrote_them(cast: Any) -> None:
    assert ("依法办理示例案件", "toy.received") in [(w, i.code) for w, i in _labels()]
    add_case(cast.street_a, cast.a_clerk)
    add_case(cast.street_a, cast.a_clerk)
    add_case(cast.street_b, cast.b_clerk)
    (own,) = compare(cast.street_a, YEAR, [quote(2, "依法办理示例案件")])
    assert (own.code, own.ledger, own.mismatch) == ("toy.received", "2", False)
    (wrong,) = compare(cast.street_a, YEAR, [quote(5, "依法办理示例案件")])
    assert (wrong.code, wrong.ledger, wrong.mismatch) == ("toy.received", "2", True)
    # The district's report sums its streets; so does the table beside it.
    (district,) = compare(cast.district, YEAR, [quote(3, "依法办理示例案件")])
    assert (district.code, district.ledger, district.mismatch) == ("toy.received", "3", False)
