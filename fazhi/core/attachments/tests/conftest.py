"""Fixtures for attachment tests: a temporary MEDIA_ROOT and the stand-in ledger."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fazhi.core.attachments.owners import register_owner, unregister_owner
from fazhi.core.attachments.tests.casebook import A_OTHER, A_RECORD, B_RECORD, OWNER, Casebook


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def casebook(cast: Any) -> Iterator[Casebook]:
    book = Casebook({A_RECORD: cast.street_a, A_OTHER: cast.street_a, B_RECORD: cast.street_b})
    register_owner(OWNER, book.resolve)
    yield book
    unregister_owner(OWNER)
