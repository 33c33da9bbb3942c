from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from fazhi.ledgers.mediation.tests.world import TODAY, Med, make_med, travel


@pytest.fixture(autouse=True)
def _historical(historical_entry: None) -> None:
    """Steps are entered weeks after their dates; the backdating rule is the kit's own test."""


@pytest.fixture
def now() -> Iterator[dt.date]:
    with travel():
        yield TODAY


@pytest.fixture
def med(cast: Any, now: dt.date) -> Med:
    return make_med(cast)
