from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from fazhi.ledgers.pufa.tests.world import TODAY, World, make_world, travel


@pytest.fixture(autouse=True)
def _historical(historical_entry: None) -> None:
    """Activities are entered months after they were held; the backdating rule is the kit's."""


@pytest.fixture
def now() -> Iterator[dt.date]:
    with travel():
        yield TODAY


@pytest.fixture
def world(cast: Any, now: dt.date) -> World:
    return make_world(cast)
