"""The OpenAPI schema and the docs page work offline: every asset comes from this server."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

ASSET = re.compile(r'(?:src|href)="([^"]+)"')


def test_the_docs_page_names_no_remote_url(db: Any) -> None:
    page = Client().get("/api/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "fazhi 数据接口" in html
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", html, re.I), html
    # Swagger UI would otherwise fetch a validator badge from swagger.io.
    assert '"validatorUrl": null' in html
    assert '"url": "/api/v1/openapi.json"' in html
    assets = ASSET.findall(html)
    assert {a.rsplit("/", 1)[-1] for a in assets} >= {
        "swagger-ui.css",
        "swagger-ui-bundle.js",
        "swagger-ui-init.js",
    }
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), asset
    # No inline script: the page keeps the site's CSP (script-src 'self').
    assert "script-src 'self'" in page["Content-Security-Policy"]
    assert not re.search(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))", html)


def test_the_assets_are_served_from_here(db: Any) -> None:
    for name in ("swagger-ui-bundle.js", "swagger-ui-init.js", "swagger-ui.css"):
        response = Client().get(f"/static/ninja/{name}")
        assert response.status_code == 200, name
        body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        assert len(body) > 100, name


def test_the_schema_describes_every_resource_and_its_errors(db: Any) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"] == {
        "TokenAuth": {"type": "http", "scheme": "bearer"}
    }
    paths = schema["paths"]
    assert set(paths) >= {
        "/api/v1/petitions",
        "/api/v1/petitions/{unit}/{number}",
        "/api/v1/toy",
        "/api/v1/toy/{unit}/{number}",
    }
    assert "put" not in paths["/api/v1/petitions/{unit}/{number}"]
    upsert = paths["/api/v1/toy/{unit}/{number}"]["put"]
    assert set(upsert["responses"]) == {
        "200",
        "201",
        "400",
        "401",
        "403",
        "404",
        "413",
        "422",
        "429",
    }
    error = schema["components"]["schemas"]["ErrorBody"]
    assert error["required"] == ["errors"]
    for path in paths.values():
        for operation in path.values():
            assert operation["security"] == [{"TokenAuth": []}]
            assert "401" in operation["responses"]


def test_two_ledgers_may_not_share_a_schema_name(db: Any) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from fazhi.core.api.resources import Resource
    from fazhi.core.api.site import _check_schema_names
    from fazhi.core.records.tests.toy.api import RESOURCE, CaseSummary
    from fazhi.core.records.tests.toy.ledger import LEDGER

    other = Resource(
        ledger=type("L", (), {"slug": "other"})(),  # type: ignore[arg-type]
        summary=type("CaseSummary", (CaseSummary,), {}),
        detail=type("OtherDetail", (CaseSummary,), {}),
    )
    assert LEDGER.slug == "toy"
    with pytest.raises(ImproperlyConfigured, match="CaseSummary is used by toy and other"):
        _check_schema_names([RESOURCE, other])
    _check_schema_names([RESOURCE])
