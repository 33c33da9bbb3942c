"""`__any_of`, the door's lookup: the same rows as `__in` on both engines, whatever the ids
come as (the door's frozenset of ints, a list with None, strings from a form, a bool)."""

from __future__ import annotations

from typing import Any

import pytest

from fazhi.core.tenancy.actions import add_unit
from fazhi.core.tenancy.models import OrgUnit


@pytest.fixture
def units(db: None) -> list[OrgUnit]:
    top = add_unit(code="T", name="区", kind="district", parent=None, by=None)
    return [top] + [
        add_unit(code=f"T{i}", name=f"第{i}街道", kind="street", parent=top, by=None)
        for i in range(5)
    ]


def _ids(values: Any) -> list[int]:
    return sorted(OrgUnit.objects.filter(id__any_of=values).values_list("id", flat=True))


def _in(values: Any) -> list[int]:
    return sorted(OrgUnit.objects.filter(id__in=values).values_list("id", flat=True))


@pytest.mark.parametrize(
    "shape",
    [
        "frozenset",  # the door's own
        "list",
        "list with None",  # None matches nothing, as with __in
        "strings",  # prepared by the field, as __in does
        "one",
        "missing ids",  # ids of no unit
    ],
)
def test_any_of_lists_what_in_lists(units: list[OrgUnit], shape: str) -> None:
    some = [u.pk for u in units[1:4]]
    values: Any = {
        "frozenset": frozenset(some),
        "list": list(reversed(some)),
        "list with None": [*some, None],
        "strings": [str(i) for i in some],
        "one": [some[0]],
        "missing ids": [max(u.pk for u in units) + 1000, some[1]],
    }[shape]
    assert _ids(values) == _in(values)
    assert _ids(values)  # the case lists something: equal empty lists would prove nothing


def test_any_of_nothing_lists_nothing(units: list[OrgUnit]) -> None:
    assert _ids([]) == [] == _in([])


def test_any_of_a_queryset_is_a_subquery(units: list[OrgUnit]) -> None:
    inner = OrgUnit.objects.filter(kind="street").values("id")
    assert _ids(inner) == _in(inner) == sorted(u.pk for u in units[1:])
