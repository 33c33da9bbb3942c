"""Idle sessions end after FAZHI_SESSION_IDLE_MINUTES, every session SESSION_COOKIE_AGE after
signing in; the sign-in page then says why (issue 8, item 2)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fazhi.core.accounts.tests.conftest import sign_in
from fazhi.core.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 11, 25, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
IDLE = "长时间未操作，已自动退出，请重新登录"


def after(minutes: float) -> Any:
    return time_machine.travel(START + dt.timedelta(minutes=minutes), tick=False)


def signed_in_client() -> Client:
    with after(0):
        return sign_in("a_clerk")


def test_the_default_idle_limit_is_thirty_minutes(settings: Any) -> None:
    assert settings.FAZHI_SESSION_IDLE_MINUTES == 30
    assert settings.SESSION_COOKIE_AGE == 8 * 3600


@pytest.mark.parametrize(("idle", "still_in"), [(1, True), (29, True), (30, True), (31, False)])
def test_a_session_idle_too_long_is_signed_out(cast: Any, idle: int, still_in: bool) -> None:
    client = signed_in_client()
    with after(idle):
        response = client.get(reverse("web:list", args=["disclosure"]))
    if still_in:
        assert response.status_code == 200
        return
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=%2Fl%2Fdisclosure%2F"
    with after(idle):
        login = client.get(response["Location"])
        assert IDLE in login.content.decode()
        assert "_auth_user_id" not in client.session
        # The message is shown once.
        assert IDLE not in client.get(reverse("login")).content.decode()


def test_activity_keeps_the_session(cast: Any) -> None:
    client = signed_in_client()
    for minute in (20, 40, 60, 80):
        with after(minute):
            assert client.get(reverse("web:home")).status_code == 200, minute


def test_the_idle_limit_is_a_setting(cast: Any, settings: Any) -> None:
    settings.FAZHI_SESSION_IDLE_MINUTES = 10
    client = signed_in_client()
    with after(11):
        assert client.get(reverse("web:home")).status_code == 302


def test_a_page_polling_in_the_background_is_not_activity(cast: Any) -> None:
    client = signed_in_client()
    for minute in (10, 20, 29):
        with after(minute):
            client.get(reverse("web:home"), headers={"Accept": "application/json"})
    with after(31):
        assert client.get(reverse("web:home")).status_code == 302


def test_a_post_after_the_limit_is_not_carried_out(cast: Any) -> None:
    client = signed_in_client()
    before = AuditEvent.objects.count()  # every record written leaves an audit event
    with after(45):
        response = client.post(reverse("web:new", args=["disclosure"]), {"applicant_name": "王某"})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert AuditEvent.objects.count() == before


def test_an_active_session_still_ends_after_its_absolute_age(cast: Any) -> None:
    client = signed_in_client()
    for minute in range(20, 8 * 60 + 1, 20):
        with after(minute):
            assert client.get(reverse("web:home")).status_code == 200, minute
    with after(8 * 60 + 1):
        response = client.get(reverse("web:home"))
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
    assert "登录时间已满8小时，已自动退出，请重新登录" in page


def test_a_new_sign_in_starts_fresh_clocks(cast: Any) -> None:
    client = signed_in_client()
    with after(45):
        client.get(reverse("web:home"))
        client.post(reverse("login"), {"username": "a_clerk", "password": "cast-password-2026"})
    with after(60):
        assert client.get(reverse("web:home")).status_code == 200
