"""Sign-in throttling: the username-and-address lock, the per-address throttle, the client
address behind a trusted proxy, and a lock page that says when it lifts (issue 6, item 6)."""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest
import time_machine
from django.test import Client, RequestFactory
from django.urls import reverse

from conftest import PASSWORD
from fazhi.core.web.signin import client_ip

pytestmark = pytest.mark.django_db

NOW = "2026-11-25 10:00 +0800"
PROXY = "10.1.0.1"


def sign_in(username: str, password: str, address: str, forwarded: str = "") -> Any:
    headers = {"REMOTE_ADDR": address}
    if forwarded:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    client = Client(**headers)
    response = client.post(reverse("login"), {"username": username, "password": password})
    response.signed_in = "_auth_user_id" in client.session
    return response


def locked(response: Any) -> bool:
    return response.status_code == 429 and "登录已暂时锁定" in response.content.decode()


def fail(times: int, username: str, address: str, forwarded: str = "") -> Any:
    for _ in range(times):
        response = sign_in(username, "wrong", address, forwarded)
    return response


@time_machine.travel(NOW, tick=False)
def test_typos_lock_that_username_at_that_address_only(cast: Any) -> None:
    response = fail(4, "a_clerk", "10.0.0.1")
    assert not locked(response)
    assert locked(fail(1, "a_clerk", "10.0.0.1"))
    refused = sign_in("a_clerk", PASSWORD, "10.0.0.1")
    assert locked(refused) and not refused.signed_in
    assert "连续5次密码错误" in refused.content.decode()
    # The lock page gives the local time it lifts: one hour after the last failure.
    assert "锁定将于 <strong>2026年11月25日 11:00</strong> 自动解除" in refused.content.decode()
    # The same account from another desk, and a colleague behind the same address, sign in.
    assert sign_in("a_clerk", PASSWORD, "10.0.0.2").signed_in
    assert sign_in("a_reviewer", PASSWORD, "10.0.0.1").signed_in


def test_the_lock_lifts_at_the_time_the_page_gives(cast: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        fail(5, "a_clerk", "10.0.0.1")
    with time_machine.travel("2026-11-25 10:59 +0800", tick=False):
        # Tries while locked are refused unchecked and do not push the lift time back.
        refused = sign_in("a_clerk", PASSWORD, "10.0.0.1")
        assert locked(refused) and "2026年11月25日 11:00" in refused.content.decode()
    with time_machine.travel("2026-11-25 11:00:01 +0800", tick=False):
        assert sign_in("a_clerk", PASSWORD, "10.0.0.1").signed_in


@time_machine.travel(NOW, tick=False)
def test_an_address_is_throttled_at_its_own_higher_threshold(cast: Any, settings: Any) -> None:
    settings.FAZHI_LOGIN_ADDRESS_FAILURE_LIMIT = 7
    for name in ["a_clerk", "a_reviewer", "b_clerk", "nobody", "guess1", "guess2"]:
        assert not locked(fail(1, name, "10.0.0.1"))
    # Six failures over six names: under the threshold, others still sign in from there.
    assert sign_in("a_leader", PASSWORD, "10.0.0.1").signed_in
    response = fail(1, "guess3", "10.0.0.1")
    assert locked(response)
    assert "该地址的登录已暂时锁定" in response.content.decode()
    refused = sign_in("jiandu", PASSWORD, "10.0.0.1")
    assert locked(refused) and not refused.signed_in
    assert sign_in("jiandu", PASSWORD, "10.0.0.2").signed_in


def test_the_default_address_threshold_is_far_above_the_username_one(settings: Any) -> None:
    assert settings.FAZHI_LOGIN_ADDRESS_FAILURE_LIMIT >= 10 * settings.AXES_FAILURE_LIMIT


@time_machine.travel(NOW, tick=False)
def test_a_forwarded_for_header_is_ignored_unless_from_a_trusted_proxy(cast: Any) -> None:
    # A client rotating a made-up header is still one address: its own.
    for i in range(5):
        response = sign_in("a_clerk", "wrong", PROXY, forwarded=f"192.0.2.{i}")
    assert locked(response)
    assert locked(sign_in("a_clerk", PASSWORD, PROXY, forwarded="192.0.2.99"))


@time_machine.travel(NOW, tick=False)
def test_behind_a_trusted_proxy_the_address_it_forwards_is_the_client(
    cast: Any, settings: Any
) -> None:
    settings.FAZHI_TRUSTED_PROXIES = (ipaddress.ip_network(PROXY),)
    assert locked(fail(5, "a_clerk", PROXY, forwarded="192.0.2.1"))
    # Another desk behind the same proxy is not locked...
    assert sign_in("a_clerk", PASSWORD, PROXY, forwarded="192.0.2.2").signed_in
    # ...and a client cannot escape its lock by prepending an address of its choosing.
    assert locked(sign_in("a_clerk", PASSWORD, PROXY, forwarded="192.0.2.2, 192.0.2.1"))


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "client"),
    [
        ((), "10.1.0.1", "192.0.2.1", "10.1.0.1"),
        (("10.1.0.1",), "10.1.0.1", "192.0.2.1", "192.0.2.1"),
        (("10.1.0.1",), "10.9.9.9", "192.0.2.1", "10.9.9.9"),  # header from an untrusted peer
        (("10.1.0.1",), "10.1.0.1", "6.6.6.6, 192.0.2.1", "192.0.2.1"),
        (("10.1.0.0/16",), "10.1.0.1", "192.0.2.1, 10.1.0.2", "192.0.2.1"),  # two proxies
        (("10.1.0.1",), "10.1.0.1", "not-an-address", "10.1.0.1"),
        (("10.1.0.1",), "10.1.0.1", "", "10.1.0.1"),
        (("::1",), "::1", "2001:db8::7", "2001:db8::7"),
    ],
)
def test_client_address(
    settings: Any, trusted: tuple[str, ...], remote: str, forwarded: str, client: str
) -> None:
    settings.FAZHI_TRUSTED_PROXIES = tuple(ipaddress.ip_network(t) for t in trusted)
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == client
