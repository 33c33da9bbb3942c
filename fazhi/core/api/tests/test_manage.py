"""The admin's token page: issue (shown once), list, revoke; a clerk finds no such page."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import reverse

from fazhi.core.api import tokens
from fazhi.core.api.models import ApiToken
from fazhi.core.audit.models import AuditEvent


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_admin_issues_sees_it_once_and_revokes(cast: Any) -> None:
    client = signed_in(cast.admin)
    assert client.get(reverse("tokens:list")).status_code == 200
    issued = client.post(
        reverse("tokens:list"),
        {"add-name": "区12345平台", "add-unit": "A1", "add-scope": "write", "add-expires_on": ""},
    )
    assert issued.status_code == 200
    assert "no-store" in issued["Cache-Control"]
    html = issued.content.decode()
    secret = re.search(r'id="api-token"[^>]*>([^<]+)<', html)
    assert secret is not None
    token = ApiToken.objects.get()
    assert tokens.authenticate(secret.group(1)) == token
    assert (token.unit, token.scope, token.created_by) == (cast.street_a, "write", cast.admin)
    listing = client.get(reverse("tokens:list")).content.decode()
    assert token.key in listing and "区12345平台" in listing and "从未使用" not in listing
    assert secret.group(1) not in listing
    assert 'data-confirm="确定吊销令牌「区12345平台」？吊销后不能恢复' in listing  # app.js asks
    revoked = client.post(reverse("tokens:revoke", args=[token.pk]), follow=True)
    assert "已吊销令牌「区12345平台」" in revoked.content.decode()
    assert tokens.authenticate(secret.group(1)) is None
    again = client.post(reverse("tokens:revoke", args=[token.pk]), follow=True)
    assert "已吊销" in again.content.decode()
    assert AuditEvent.objects.filter(code__startswith="api.token.").count() == 2


def test_bad_form_input_is_refused_in_chinese_and_nothing_written(cast: Any) -> None:
    client = signed_in(cast.admin)
    for data, message in (
        ({"add-name": "", "add-unit": "A1", "add-scope": "read"}, "名称"),
        ({"add-name": "x", "add-unit": "ZZ", "add-scope": "read"}, "有效"),
        ({"add-name": "x", "add-unit": "A1", "add-scope": "root"}, "有效"),
        ({"add-name": "x", "add-unit": "A1", "add-scope": "read", "add-expires_on": "2026-11-25"}, "有效期须晚于今天"),
        ({"add-name": "x", "add-unit": "A1", "add-scope": "read", "add-expires_on": "明天"}, "请输入有效日期"),
    ):  # fmt: skip
        page = client.post(reverse("tokens:list"), data, follow=True)
        assert page.status_code == 200
        assert message in page.content.decode(), data
    assert not ApiToken.objects.exists()


def test_revoking_needs_post(cast: Any) -> None:
    issued = tokens.issue_token(unit=cast.street_a, name="x", scope="read", by=None)
    response = signed_in(cast.admin).get(reverse("tokens:revoke", args=[issued.token.pk]))
    assert response.status_code == 405
    assert tokens.authenticate(issued.secret) is not None
