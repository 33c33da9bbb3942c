"""Sign-in locks in the web: who sees which, lifting them, and the audit of both (issue 8,
item 1). Locks are made the real way, by failing to sign in."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from fazhi.core.accounts.locks import ACCOUNT, ADDRESS, _lifts_at, unscoped_current_locks
from fazhi.core.accounts.tests.conftest import Admins, sign_in
from fazhi.core.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=TZ)
URL = "/account/locks/"


def fail(username: str, address: str, times: int = 5) -> Any:
    client = Client(REMOTE_ADDR=address)
    for _ in range(times):
        response = client.post(reverse("login"), {"username": username, "password": "wrong"})
    return response


def can_sign_in(username: str, address: str) -> bool:
    client = Client(REMOTE_ADDR=address)
    client.post(reverse("login"), {"username": username, "password": PASSWORD})
    return "_auth_user_id" in client.session


def rows(page: Any) -> list[tuple[str, str, str]]:
    """(kind, username, address) of each lock on the page."""
    import re

    html = page.content.decode()
    return re.findall(
        r'<tr class="lock" data-kind="(\w+)" data-username="([^"]*)" data-address="([^"]*)"', html
    )


def lift(client: Client, kind: str, username: str, address: str) -> Any:
    return client.post(
        reverse("accounts:lift"), {"kind": kind, "username": username, "address": address}
    )


@pytest.fixture
def locked(cast: Any, admins: Admins, settings: Any) -> None:
    """a_clerk and b_clerk locked at one address each, a made-up name at a third, and an
    address throttled over many names."""
    settings.FAZHI_LOGIN_ADDRESS_FAILURE_LIMIT = 6
    with time_machine.travel(NOW, tick=False):
        fail("a_clerk", "10.0.0.1")
        fail("b_clerk", "10.0.0.2")
        fail("nobody", "10.0.0.3")
        for name in ("g1", "g2", "g3", "g4", "g5", "g6"):
            fail(name, "10.0.0.4", times=1)


@time_machine.travel(NOW + dt.timedelta(minutes=5), tick=False)
def test_the_district_admin_sees_every_lock_with_its_times(locked: None) -> None:
    page = sign_in("admin", address="10.9.0.1").get(URL)
    assert set(rows(page)) == {
        (ACCOUNT, "a_clerk", "10.0.0.1"),
        (ACCOUNT, "b_clerk", "10.0.0.2"),
        (ACCOUNT, "nobody", "10.0.0.3"),
        (ADDRESS, "", "10.0.0.4"),
    }
    html = page.content.decode()
    for header in ("用户名", "姓名", "地址", "失败次数", "锁定时间", "自动解除时间"):
        assert f"<th>{header}</th>" in html
    assert "2026-11-25 10:00" in html and "2026-11-25 11:00" in html
    assert "无此账号" in html and "（全部账号）" in html


@time_machine.travel(NOW + dt.timedelta(minutes=5), tick=False)
@pytest.mark.parametrize(
    ("admin", "shown"),
    [
        ("a_admin", {(ACCOUNT, "a_clerk", "10.0.0.1")}),
        ("b_admin", {(ACCOUNT, "b_clerk", "10.0.0.2")}),
    ],
)
def test_a_street_admin_sees_only_its_own_accounts(
    locked: None, admin: str, shown: set[tuple[str, str, str]]
) -> None:
    page = sign_in(admin, address="10.9.0.1").get(URL)
    assert set(rows(page)) == shown
    assert "nobody" not in page.content.decode() and "10.0.0.4" not in page.content.decode()


@time_machine.travel(NOW + dt.timedelta(minutes=5), tick=False)
@pytest.mark.parametrize("user", ["a_clerk", "a_leader", "jiandu"])
def test_the_page_is_for_admins_only(locked: None, user: str) -> None:
    assert sign_in(user, address="10.9.0.1").get(URL).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(cast: Any) -> None:
    assert Client().get(URL)["Location"].startswith(reverse("login"))


def test_no_locks_says_so(cast: Any, admins: Admins) -> None:
    html = sign_in("a_admin").get(URL).content.decode()
    assert 'id="locks-empty"' in html and "当前没有被锁定的登录" in html
    assert 'href="/account/locks/" id="nav-locks"' in html


@time_machine.travel(NOW + dt.timedelta(minutes=5), tick=False)
def test_lifting_a_lock_lets_the_account_in_and_is_audited(locked: None) -> None:
    admin = sign_in("a_admin", address="10.9.0.1")
    assert not can_sign_in("a_clerk", "10.0.0.1")
    page = admin.get(URL).content.decode()
    assert 'data-confirm="确认解除 a_clerk 在 10.0.0.1 的登录锁定？"' in page
    assert 'aria-label="解锁 a_clerk 10.0.0.1"' in page
    response = lift(admin, ACCOUNT, "a_clerk", "10.0.0.1")
    assert response.status_code == 302
    assert "已解除账号 a_clerk 在地址 10.0.0.1 的登录锁定" in admin.get(URL).content.decode()
    assert can_sign_in("a_clerk", "10.0.0.1")
    event = AuditEvent.objects.get(code="accounts.lock.lifted")
    assert (event.actor, event.unit_code, event.object_id) == ("a_admin", "A1", "a_clerk")
    assert event.data["address"] == "10.0.0.1" and event.data["failures"] == 5
    # The other locks hold.
    assert not can_sign_in("b_clerk", "10.0.0.2")


@time_machine.travel(NOW + dt.timedelta(minutes=5), tick=False)
@pytest.mark.parametrize(
    ("admin", "kind", "username", "address"),
    [
        ("a_admin", ACCOUNT, "b_clerk", "10.0.0.2"),  # an account of the other 街道
        ("b_admin", ACCOUNT, "a_clerk", "10.0.0.1"),
        ("a_admin", ACCOUNT, "nobody", "10.0.0.3"),  # a name no account has
        ("a_admin", ADDRESS, "", "10.0.0.4"),  # an address throttle
        ("a_admin", ACCOUNT, "a_clerk", "10.0.0.9"),  # no such lock
        ("a_admin", ACCOUNT, "a_clerk", "not an address"),
        ("a_admin", "other", "a_clerk", "10.0.0.1"),
        ("a_clerk", ACCOUNT, "a_clerk", "10.0.0.1"),  # not an admin
    ],
)
def test_the_door_answers_404_and_lifts_nothing(
    locked: None, admin: str, kind: str, username: str, address: str
) -> None:
    before = AccessAttempt.objects.count()
    response = lift(sign_in(admin, address="10.9.0.1"), kind, username, address)
    assert response.status_code == 404
    assert AccessAttempt.objects.count() == before
    assert not AuditEvent.objects.filter(code="accounts.lock.lifted").exists()


@time_machine.travel(NOW + dt.timedelta(minutes=5), tick=False)
def test_the_district_admin_lifts_an_address_throttle(locked: None) -> None:
    assert not can_sign_in("a_leader", "10.0.0.4")
    admin = sign_in("admin", address="10.9.0.1")
    assert lift(admin, ADDRESS, "", "10.0.0.4").status_code == 302
    assert "已解除地址 10.0.0.4 的登录暂停" in admin.get(URL).content.decode()
    assert can_sign_in("a_leader", "10.0.0.4")
    event = AuditEvent.objects.get(code="accounts.lock.lifted")
    assert (event.object_type, event.object_id, event.unit_code) == ("address", "10.0.0.4", "")


@time_machine.travel(NOW + dt.timedelta(minutes=5), tick=False)
def test_lifting_needs_a_post_with_the_csrf_token(locked: None) -> None:
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR="10.9.0.1")
    client.post(reverse("login"), {"username": "a_admin", "password": PASSWORD})
    assert lift(client, ACCOUNT, "a_clerk", "10.0.0.1").status_code == 403
    admin = sign_in("a_admin", address="10.9.0.1")
    assert admin.get(reverse("accounts:lift")).status_code == 405
    assert not can_sign_in("a_clerk", "10.0.0.1")


def test_a_lock_is_audited_once_when_it_sets_in(cast: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        fail("a_clerk", "10.0.0.1", times=4)
        assert not AuditEvent.objects.filter(code="accounts.lock.locked").exists()
        fail("a_clerk", "10.0.0.1", times=1)
        # Tries while locked are refused without counting: no second event.
        fail("a_clerk", "10.0.0.1", times=3)
        assert not can_sign_in("a_clerk", "10.0.0.1")
    event = AuditEvent.objects.get(code="accounts.lock.locked")
    assert (event.actor, event.unit_code, event.object_type, event.object_id) == (
        "系统",
        "A1",
        "user",
        "a_clerk",
    )
    assert event.data["address"] == "10.0.0.1" and event.data["failures"] == 5
    assert event.data["lifts_at"].startswith("2026-11-25T03:00")  # 11:00 in Shanghai


def test_an_address_throttle_is_audited_when_it_sets_in(cast: Any, settings: Any) -> None:
    settings.FAZHI_LOGIN_ADDRESS_FAILURE_LIMIT = 3
    with time_machine.travel(NOW, tick=False):
        for name in ("g1", "g2", "g3", "g4"):
            fail(name, "10.0.0.4", times=1)
    event = AuditEvent.objects.get(code="accounts.lock.locked")
    assert (event.object_type, event.object_id, event.unit_code) == ("address", "10.0.0.4", "")


def test_the_lock_page_still_says_to_ask_the_admin(cast: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        assert "请联系系统管理员" in fail("a_clerk", "10.0.0.1").content.decode()


def test_a_lock_leaves_the_list_when_it_lifts_by_itself(cast: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        fail("a_clerk", "10.0.0.1")
        assert [lock.username for lock in unscoped_current_locks()] == ["a_clerk"]
    with time_machine.travel(NOW + dt.timedelta(minutes=59), tick=False):
        assert unscoped_current_locks()
    with time_machine.travel(NOW + dt.timedelta(minutes=60, seconds=1), tick=False):
        assert unscoped_current_locks() == []


def at(minute: int) -> dt.datetime:
    return NOW + dt.timedelta(minutes=minute)


@pytest.mark.parametrize(
    ("rows", "limit", "lifts"),
    [
        ([(5, at(0))], 5, at(60)),
        ([(4, at(0))], 5, None),
        ([(3, at(0)), (2, at(10))], 5, at(60)),  # two browsers: the older row leaves first
        ([(1, at(0)), (5, at(10))], 5, at(70)),  # the newer row alone holds the lock
        ([(2, at(10)), (3, at(0)), (4, at(20))], 5, at(70)),  # unsorted; two rows must go
    ],
)
def test_when_a_lock_lifts(
    settings: Any, rows: list[tuple[int, dt.datetime]], limit: int, lifts: dt.datetime | None
) -> None:
    settings.AXES_COOLOFF_TIME = dt.timedelta(hours=1)
    assert _lifts_at(rows, limit) == lifts
