"""The header's links, reversed once per process (fazhi.core.web.context): every link a role
is shown leads to a page it may open, under the URL prefix the site is served at."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse, set_script_prefix

from fazhi.core.web.context import NAV
from fazhi.core.web.registry import ledgers


def _header_links(page: str) -> list[str]:
    header = page.split("<header", 1)[1].split("</header>", 1)[0]
    return re.findall(r'(?:href|action)="([^"]*)"', header)


@pytest.mark.parametrize("who", ["admin", "supervisor", "a_clerk"])
def test_every_header_link_opens(cast: Any, who: str) -> None:
    client = Client()
    client.force_login(getattr(cast, who))
    links = _header_links(client.get(reverse("web:home")).content.decode())
    assert "" not in links
    expected = {reverse("web:home"), *(reverse("web:list", args=[ui.slug]) for ui in ledgers())}
    assert expected <= set(links)
    logout = reverse("logout")
    for href in set(links) - {logout}:
        assert client.get(href, follow=True).status_code == 200, href


def test_the_admin_sees_every_named_link(cast: Any) -> None:
    client = Client()
    client.force_login(cast.admin)
    links = set(_header_links(client.get(reverse("web:home")).content.decode()))
    shown = {reverse(name) for name in NAV} - {reverse("submissions:own")}  # a unit's own
    assert shown - {reverse("submissions:inbox"), reverse("web:review")} <= links


def test_the_links_follow_the_script_prefix(cast: Any) -> None:
    client = Client()
    client.force_login(cast.supervisor)
    client.get(reverse("web:home"))  # the links at "/" are reversed first
    set_script_prefix("/fazhi/")  # as the WSGI handler sets it (the test client does not)
    try:
        page = client.get("/").content.decode()
    finally:
        set_script_prefix("/")
    links = _header_links(page)
    assert links and all(link.startswith("/fazhi/") for link in links), links
