from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from fazhi.core.records.tests.helpers import TODAY, at
from fazhi.core.tenancy.actions import add_user
from fazhi.core.tenancy.models import Membership


@pytest.fixture(autouse=True)
def _historical(historical_entry: None) -> None:
    """The kit's tests enter steps weeks after their dates; the backdating rule itself is
    tested with the setting turned back on (test_perform.py)."""


@pytest.fixture
def now() -> Iterator[Any]:
    with at(TODAY):
        yield TODAY


@pytest.fixture
def clerk_reviewer(cast: Any) -> Any:
    """A small office's clerk who also holds the reviewer role: separation of duties is what
    stops them reviewing their own case, not a missing permission."""
    user = add_user(
        username="a_both",
        unit=cast.street_a,
        role="clerk",
        password="x",
        by=None,
        check_password=False,
    )
    Membership.objects.create(user=user, unit=cast.street_a, role="reviewer")
    return user
