"""信访事项 in the API: read-only, listed masked, read in full only by a token that handles."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.test import Client

from fazhi.core.api import tokens
from fazhi.ledgers.petitions import actions as petitions


def api_client(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def errors(response: Any) -> list[dict[str, Any]]:
    return list(response.json()["errors"])


def put(client: Client, path: str, data: Any) -> Any:
    return client.put(path, data=json.dumps(data), content_type="application/json")


def test_petitions_are_listed_masked_and_read_in_full_only_by_a_handling_token(cast: Any) -> None:
    a_write = tokens.issue_token(unit=cast.street_a, name="东湖", scope="write", by=None)
    district_read = tokens.issue_token(unit=cast.district, name="区", scope="read", by=None)
    petitions.register(
        unit=cast.street_a,
        by=cast.a_clerk,
        received_on=dt.date(2026, 11, 16),
        form="letter",
        source="direct",
        category="appeal",
        content="要求修缮道路",
        petitioner="张三丰",
        contact="13912345678",
        number="XF-001",
    )
    listed = api_client(district_read.secret).get("/api/v1/petitions").json()["items"]
    assert [(p["number"], p["petitioner"]) for p in listed] == [("XF-001", "张**")]
    assert "13912345678" not in json.dumps(listed)
    read = api_client(district_read.secret).get("/api/v1/petitions/A1/XF-001").json()
    assert (read["petitioner"], read["contact"]) == ("张**", "139****5678")
    full = api_client(a_write.secret).get("/api/v1/petitions/A1/XF-001").json()
    assert (full["petitioner"], full["contact"]) == ("张三丰", "13912345678")
    assert full["status"] == "registered" and full["status_label"] == "待受理"
    filtered = api_client(a_write.secret).get("/api/v1/petitions", {"form": "visit"})
    assert filtered.json()["items"] == []
    wrong = api_client(a_write.secret).get("/api/v1/petitions", {"form": "fax"})
    assert wrong.status_code == 422
    assert errors(wrong)[0]["loc"] == ["query", "form"]
    assert errors(wrong)[0]["msg"].startswith("应为以下之一：letter、visit")
    # 信访 declares no upsert: there is no PUT.
    assert put(api_client(a_write.secret), "/api/v1/petitions/A1/XF-001", {}).status_code == 405
