"""Front-end libraries come from the npm registry at `make` time and are served by the app
itself (package.json pins them; nothing is fetched at run time)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from conftest import require_in_ci

ROOT = Path(__file__).resolve().parents[2]


def test_echarts_is_pinned_and_served_locally() -> None:
    pinned = json.loads((ROOT / "package.json").read_text())["dependencies"]["echarts"]
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/echarts"]["version"] == pinned
    found = finders.find("vendor/echarts.min.js")
    if not found:
        require_in_ci("ECharts is not installed: run `make install` (npm ci copies it)")
    assert Path(found).stat().st_size > 500_000
    assert finders.find("vendor/echarts.LICENSE.txt")
    response = Client().get("/static/vendor/echarts.min.js")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"Apache Software Foundation" in body[:500]
    assert f'version="{pinned}"'.encode() in body  # the build the lock file names


@pytest.mark.parametrize("path", ["/static/vendor/../settings.py", "/static/vendor/nope.js"])
def test_nothing_else_is_served_from_there(path: str) -> None:
    assert Client().get(path).status_code == 404
