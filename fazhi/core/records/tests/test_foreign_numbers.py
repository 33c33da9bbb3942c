"""A typed-in number in the shape of another unit's automatic number is refused, for every
ledger with numbering: the ledgers whose prefix carries the unit's code refuse it, the others
(whose numbers look alike in every unit) accept it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import models

from fazhi.core.records.ledger import Ledger, ledgers
from fazhi.core.records.numbering import check_own_number
from fazhi.core.workflow import ActionError

pytestmark = pytest.mark.django_db

# slug -> whether the prefix carries the unit's code (so another unit's number is refused)
CARRIES_UNIT_CODE = {
    "mediation": True,
    "proactive": True,
    "mediation_committees": False,
    "mediation_screenings": False,
    "disclosure": False,
    "petitions": False,
    "oversight_duties": False,
    "oversight_rectify": False,
    "pufa_duties": False,
    "pufa": False,
    "pufa_people": False,
    "pufa_studies": False,
    "toy": False,  # the kit's own test ledger
}


def _record(ledger: Ledger, unit: Any, on: dt.date) -> Any:
    """An unsaved record of `unit` with every date (and a year) the prefix may read."""
    values: dict[str, Any] = {}
    for f in ledger.model._meta.concrete_fields:
        if isinstance(f, models.DateTimeField):
            continue
        if isinstance(f, models.DateField):
            values[f.name] = on
        elif f.name == "year":
            values[f.name] = on.year
    return ledger.model(unit=unit, **values)


def numbered() -> list[Ledger]:
    return [ledger for ledger in ledgers() if ledger.numbering is not None]


def test_the_table_names_every_ledger_with_numbering() -> None:
    assert {ledger.slug for ledger in numbered()} == set(CARRIES_UNIT_CODE)


@pytest.mark.parametrize("slug", sorted(CARRIES_UNIT_CODE))
def test_another_units_automatic_number(cast: Any, slug: str) -> None:
    ledger = next(ledger for ledger in numbered() if ledger.slug == slug)
    assert ledger.numbering is not None
    on = dt.date(2026, 5, 6)
    theirs = _record(ledger, cast.street_b, on)
    # Their number of this year and of an earlier year (the year is part of the shape, not a
    # way around it).
    for year in (on, on.replace(year=2024)):
        number = ledger.numbering.prefix(_record(ledger, cast.street_b, year)) + "0022"
        mine = _record(ledger, cast.street_a, on)
        mine.number = number
        if CARRIES_UNIT_CODE[slug]:
            with pytest.raises(ActionError, match="是其他单位的自动编号格式") as exc:
                check_own_number(ledger, mine)
            assert exc.value.field == "number"
            assert f"「{number}」" in exc.value.message
        else:
            check_own_number(ledger, mine)
    # The unit's own automatic shape, and a shape naming no unit, are the unit's to type.
    mine = _record(ledger, cast.street_a, on)
    mine.number = ledger.numbering.prefix(mine) + "0022"
    check_own_number(ledger, mine)
    assert theirs.unit.code != "ZZ9"
    other = _record(ledger, cast.street_a, on)
    other.number = ledger.numbering.prefix(mine).replace(cast.street_a.code, "ZZ9") + "0022"
    check_own_number(ledger, other)
