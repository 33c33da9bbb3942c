from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _historical(historical_entry: None) -> None:
    """These tests replay months of a matter at once (see the root conftest)."""
