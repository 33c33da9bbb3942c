"""Fixtures for account tests: an admin of each 街道 beside the root cast, and real sign-ins."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from fazhi.core.tenancy.actions import add_user

# Two Latin letters in a row: a message with an English word in it.
ENGLISH = re.compile(r"[A-Za-z]{2,}")


@dataclass
class Admins:
    district: Any  # 示例区's admin: manages every account, sees every lock
    a: Any  # 东湖街道's admin
    b: Any  # 西城街道's admin


@pytest.fixture
def admins(cast: Any) -> Admins:
    def admin(name: str, unit: Any) -> Any:
        return add_user(
            username=name, unit=unit, role="admin", password=PASSWORD, by=None, check_password=False
        )

    return Admins(cast.admin, admin("a_admin", cast.street_a), admin("b_admin", cast.street_b))


def sign_in(username: str, password: str = PASSWORD, address: str = "10.0.0.1") -> Client:
    """A browser that signed in through the sign-in page (not force_login): sessions, axes and
    the session clocks run as in production."""
    client = Client(REMOTE_ADDR=address)
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def signed_in(client: Client) -> bool:
    """Whether the client's session still belongs to a user (asked through a page, so that
    Django's session checks run)."""
    response = client.get(reverse("web:home"))
    return response.status_code == 200
