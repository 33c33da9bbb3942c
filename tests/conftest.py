from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _historical(historical_entry: None) -> None:
    """These tests replay a year of applications at once (see the root conftest); the web's
    backdating prompt is tested explicitly in tests/web/test_corrections.py."""
