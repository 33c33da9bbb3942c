from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from fazhi.ledgers.oversight.tests.world import TODAY, travel


@pytest.fixture(autouse=True)
def _historical(historical_entry: None) -> None:
    """Records are entered months after the meeting or the feedback; the rule is the kit's."""


@pytest.fixture
def now() -> Iterator[dt.date]:
    with travel():
        yield TODAY
