from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from fazhi.core.api import tokens
from fazhi.core.records.tests.helpers import TODAY, at


@pytest.fixture(autouse=True)
def _today(historical_entry: None) -> Iterator[None]:
    """Records made directly (not through the API) are entered weeks after their dates."""
    with at(TODAY):
        yield


def api_client(secret: str | None) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}") if secret else Client()


def put(client: Client, path: str, data: Any, **extra: Any) -> Any:
    raw = data if isinstance(data, str | bytes) else json.dumps(data)
    return client.put(path, data=raw, content_type="application/json", **extra)


@pytest.fixture
def a_write(cast: Any) -> tokens.Issued:
    """街道 A's platform, allowed to push."""
    return tokens.issue_token(unit=cast.street_a, name="东湖12345推送", scope="write", by=None)


@pytest.fixture
def b_write(cast: Any) -> tokens.Issued:
    return tokens.issue_token(unit=cast.street_b, name="西城12345推送", scope="write", by=None)


@pytest.fixture
def district_read(cast: Any) -> tokens.Issued:
    return tokens.issue_token(unit=cast.district, name="区监督平台", scope="read", by=None)
