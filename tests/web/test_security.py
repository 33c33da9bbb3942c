"""Login throttling, CSRF, cookies and headers (DESIGN §6 "Safe")."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_is_locked_after_repeated_failures(cast: Any, settings: Any) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    for _ in range(3):
        response = client.post(reverse("login"), {"username": "a_clerk", "password": "wrong"})
    assert response.status_code in (403, 429)
    assert "暂时锁定" in response.content.decode()
    # Even the right password is refused while locked out.
    response = client.post(reverse("login"), {"username": "a_clerk", "password": PASSWORD})
    assert "暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_password_gets_a_chinese_message(cast: Any) -> None:
    response = Client().post(reverse("login"), {"username": "a_clerk", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_posts_without_csrf_token_are_refused(cast: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.a_clerk)
    response = client.post(reverse("web:new", args=["disclosure"]), {"applicant_name": "x"})
    assert response.status_code == 403


def test_headers_and_cookies(cast: Any) -> None:
    client = Client()
    response = client.post(reverse("login"), {"username": "a_clerk", "password": PASSWORD})
    assert response.status_code == 302
    assert response.cookies["sessionid"]["httponly"]
    page = client.get(reverse("web:home"))
    assert "script-src 'self'" in page["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert page["X-Frame-Options"] == "DENY"
    assert page["X-Content-Type-Options"] == "nosniff"


def test_id_numbers_are_masked_everywhere_but_the_detail_page(cast: Any) -> None:
    from fazhi.core.audit.models import AuditEvent
    from fazhi.ledgers.disclosure import actions

    full = "11010519491231002X"
    with time_machine.travel("2026-03-10 10:00 +0800"):
        app = actions.register(
            unit=cast.street_a,
            by=cast.a_clerk,
            received_on=dt.date(2026, 3, 2),
            applicant_category="natural_person",
            applicant_name="王某",
            content="x",
            id_number=full,
        )
    client = Client()
    client.force_login(cast.a_clerk)
    assert full in client.get(reverse("web:detail", args=["disclosure", app.pk])).content.decode()
    supervisor = Client()
    supervisor.force_login(cast.supervisor)  # sees the record, does not handle it
    page = supervisor.get(reverse("web:detail", args=["disclosure", app.pk])).content.decode()
    assert full not in page and "110***********002X" in page
    assert full not in client.get(reverse("web:list", args=["disclosure"])).content.decode()
    export = client.get(reverse("web:export", args=["disclosure"])).content
    cells = [
        c.value
        for row in openpyxl.load_workbook(io.BytesIO(export)).active.iter_rows()
        for c in row
    ]
    assert full not in cells and "110***********002X" in cells
    assert not any(full in str(e.data) for e in AuditEvent.objects.all())
    report = client.get(reverse("web:report", args=["xxgk", "A1", 2026])).content.decode()
    assert full not in report and "王某" not in report


def test_oversized_requests_are_refused_before_reading_the_body(cast: Any, settings: Any) -> None:
    settings.FAZHI_MAX_REQUEST_BYTES = 1024
    client = Client()
    client.force_login(cast.supervisor)
    response = client.post(reverse("web:review"), {"reports": "x" * 5000})
    assert response.status_code == 413
    assert "上传内容过大" in response.content.decode()
