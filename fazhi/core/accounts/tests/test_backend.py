"""The request's user is read with its profile in one query (fazhi.core.accounts.backends)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.core.accounts.backends import ModelBackend
from fazhi.core.accounts.tests.conftest import sign_in, signed_in

pytestmark = pytest.mark.django_db


def test_a_page_reads_the_user_and_its_profile_in_one_query(cast: Any) -> None:
    client = sign_in("a_clerk")
    with CaptureQueriesContext(connection) as seen:
        assert client.get(reverse("web:home")).status_code == 200
    profile_reads = [q["sql"] for q in seen.captured_queries if "tenancy_userprofile" in q["sql"]]
    assert len(profile_reads) == 1, profile_reads
    assert "auth_user" in profile_reads[0]  # joined to the user, not read after it


def test_the_backend_reads_what_djangos_does(cast: Any) -> None:
    backend = ModelBackend()
    user = backend.get_user(cast.a_clerk.pk)
    assert user == cast.a_clerk and user.profile.unit_id == cast.a_clerk.profile.unit_id
    assert backend.get_user(10**9) is None


def test_a_deactivated_account_is_signed_out(cast: Any) -> None:
    client = sign_in("a_clerk")
    get_user_model().objects.filter(pk=cast.a_clerk.pk).update(is_active=False)
    assert not signed_in(client)
    assert ModelBackend().get_user(cast.a_clerk.pk) is None


def test_an_account_without_a_profile_can_still_sign_in(cast: Any) -> None:
    user = get_user_model().objects.create_user("bare", password="a-long-password-1")
    assert not hasattr(ModelBackend().get_user(user.pk), "profile")
    client = sign_in("bare", "a-long-password-1")
    assert client.get(reverse("web:home")).status_code == 200
