from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine

from fazhi.ledgers.petitions.tests.importcase import NOW


@pytest.fixture(autouse=True)
def _historical(historical_entry: None) -> None:
    """These tests replay months of a matter at once (see the root conftest)."""


@pytest.fixture
def import_day() -> Iterator[None]:
    """The import tests run on one fixed day: `today` decides what counts as a future date."""
    with time_machine.travel(NOW, tick=False):
        yield
