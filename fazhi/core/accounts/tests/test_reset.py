"""An admin resets a password: the door, the one-time password shown once, the sessions ended,
the change it forces at the next sign-in, two clicks at once (issue 8, item 2)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from fazhi.core.accounts import actions
from fazhi.core.accounts.tests.conftest import Admins, sign_in, signed_in
from fazhi.core.audit.models import AuditEvent
from fazhi.core.tenancy.models import UserProfile

pytestmark = pytest.mark.django_db
NEW = "东湖-台账-2026"


def reset_url(user: Any) -> str:
    return reverse("accounts:reset", args=[user.pk])


def state_on(page: Any) -> str:
    found = re.search(r'name="state" value="([0-9a-f]+)"', page.content.decode())
    assert found, page.content.decode()
    return found.group(1)


def reset_via_page(admin: Client, user: Any) -> str:
    """Open the confirm page, press the button, read the one-time password."""
    page = admin.get(reset_url(user))
    assert page.status_code == 200
    done = admin.post(reset_url(user), {"state": state_on(page)})
    assert done.status_code == 200 and "no-store" in done["Cache-Control"]
    found = re.search(r'id="one-time-password"[^>]*>([^<]+)<', done.content.decode())
    assert found, done.content.decode()
    return found.group(1)


def password_valid(username: str, password: str) -> bool:
    return get_user_model().objects.get(username=username).check_password(password)


def test_the_url_is_named_for_the_user_pages(cast: Any) -> None:
    assert reverse("accounts:reset", args=[7]) == "/account/reset/7/"


def test_the_confirm_page_names_the_account_and_changes_nothing(cast: Any, admins: Admins) -> None:
    admin = sign_in("a_admin")
    cast.a_clerk.first_name = "李四"
    cast.a_clerk.save()
    page = admin.get(reset_url(cast.a_clerk)).content.decode()
    assert "a_clerk" in page and "李四" in page and "东湖街道" in page
    assert 'id="reset-form"' in page and 'data-confirm="确认重置 a_clerk 的密码？"' in page
    assert password_valid("a_clerk", PASSWORD)
    assert not AuditEvent.objects.filter(code="accounts.password.reset").exists()


def test_a_reset_gives_a_one_time_password_and_ends_every_session(
    cast: Any, admins: Admins
) -> None:
    desk, phone = sign_in("a_clerk", address="10.0.0.5"), sign_in("a_clerk", address="10.0.0.6")
    password = reset_via_page(sign_in("a_admin"), cast.a_clerk)
    assert len(password) == actions.ONE_TIME_LENGTH and set(password) <= set(actions.ALPHABET)
    assert not signed_in(desk) and not signed_in(phone)
    assert password_valid("a_clerk", password) and not password_valid("a_clerk", PASSWORD)
    user = get_user_model().objects.get(username="a_clerk")
    assert password not in user.password  # only its hash is stored
    assert UserProfile.objects.get(user=user).must_change_password
    event = AuditEvent.objects.get(code="accounts.password.reset")
    assert (event.actor, event.unit_code, event.object_id) == ("a_admin", "A1", "a_clerk")
    assert password not in str(event.data)


def test_the_one_time_password_must_be_changed_before_anything_else(
    cast: Any, admins: Admins
) -> None:
    password = reset_via_page(sign_in("admin"), cast.a_clerk)
    clerk = sign_in("a_clerk", password)
    change_url = reverse("accounts:password")
    for url in (reverse("web:home"), reverse("web:list", args=["disclosure"]), "/account/locks/"):
        response = clerk.get(url)
        assert response.status_code == 302 and response["Location"] == change_url, url
    assert clerk.post(reverse("web:new", args=["disclosure"]), {})["Location"] == change_url
    page = clerk.get(change_url).content.decode()
    assert "管理员重置的一次性密码，请先设置自己的新密码" in page
    response = clerk.post(
        change_url, {"old_password": password, "new_password1": NEW, "new_password2": NEW}
    )
    assert response["Location"] == reverse("web:home")
    assert clerk.get(reverse("web:home")).status_code == 200
    profile = UserProfile.objects.get(user=cast.a_clerk)
    assert not profile.must_change_password and profile.password_changed_at is not None


def test_static_files_are_served_before_the_change(cast: Any, admins: Admins) -> None:
    clerk = sign_in("a_clerk", reset_via_page(sign_in("admin"), cast.a_clerk))
    static = clerk.get("/static/fazhi/app.css")
    # Last request of the test: closing a file response ends the test's database connection.
    static.close()
    assert static.status_code == 200


def test_signing_out_is_allowed_before_the_change(cast: Any, admins: Admins) -> None:
    password = reset_via_page(sign_in("admin"), cast.a_clerk)
    clerk = sign_in("a_clerk", password)
    assert clerk.post(reverse("logout"))["Location"] == reverse("login")
    assert not signed_in(clerk)


@pytest.mark.parametrize(
    ("admin", "target"),
    [
        ("a_admin", "b_clerk"),  # a 街道 admin and an account of the other 街道
        ("b_admin", "a_clerk"),
        ("a_admin", "admin"),  # nor the district's accounts above it
        ("a_admin", "b_admin"),
        ("a_clerk", "a_reviewer"),  # a clerk manages nobody
        ("a_leader", "a_clerk"),
        ("jiandu", "a_clerk"),  # a supervisor sees the ledgers, not the accounts
    ],
)
def test_the_door_answers_404_and_resets_nothing(
    cast: Any, admins: Admins, admin: str, target: str
) -> None:
    client = sign_in(admin)
    user = get_user_model().objects.get(username=target)
    missing = reverse("accounts:reset", args=[user.pk + 1000])
    for url in (reset_url(user), missing):
        assert client.get(url).status_code == 404
        assert client.post(url, {"state": actions.password_state(user)}).status_code == 404
    assert password_valid(target, PASSWORD)
    assert not AuditEvent.objects.filter(code="accounts.password.reset").exists()


def test_superusers_are_reset_only_from_the_command_line(cast: Any, admins: Admins) -> None:
    root = get_user_model().objects.create_superuser("root", password=PASSWORD)
    assert sign_in("admin").get(reset_url(root)).status_code == 404


def test_the_district_admin_resets_a_street_account(cast: Any, admins: Admins) -> None:
    assert password_valid("b_clerk", reset_via_page(sign_in("admin"), cast.b_clerk))


def test_two_clicks_leave_one_valid_password(cast: Any, admins: Admins) -> None:
    """A double click (or a reload) posts the same page twice: the second finds the password
    already changed and resets nothing, so the password shown is the one that works."""
    admin = sign_in("a_admin")
    page = admin.get(reset_url(cast.a_clerk))
    state = state_on(page)
    first = admin.post(reset_url(cast.a_clerk), {"state": state})
    second = admin.post(reset_url(cast.a_clerk), {"state": state})
    shown = re.search(r'id="one-time-password"[^>]*>([^<]+)<', first.content.decode())
    assert shown and password_valid("a_clerk", shown.group(1))
    refused = second.content.decode()
    assert second.status_code == 200 and "可能是重复点击" in refused
    assert 'id="one-time-password"' not in refused
    assert AuditEvent.objects.filter(code="accounts.password.reset").count() == 1
    # The refusal offers a fresh page: pressing it again resets (once more).
    again = admin.post(reset_url(cast.a_clerk), {"state": state_on(second)})
    newer = re.search(r'id="one-time-password"[^>]*>([^<]+)<', again.content.decode())
    assert newer and password_valid("a_clerk", newer.group(1))
    assert not password_valid("a_clerk", shown.group(1))


def test_a_post_without_the_page_state_resets_nothing(cast: Any, admins: Admins) -> None:
    response = sign_in("a_admin").post(reset_url(cast.a_clerk), {})
    assert "可能是重复点击" in response.content.decode()
    assert password_valid("a_clerk", PASSWORD)


def test_the_reset_needs_the_csrf_token(cast: Any, admins: Admins) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(admins.a)
    state = actions.password_state(cast.a_clerk)
    response = client.post(reset_url(cast.a_clerk), {"state": state})
    assert response.status_code == 403
    assert password_valid("a_clerk", PASSWORD)


def test_an_admin_cannot_reset_its_own_password(cast: Any, admins: Admins) -> None:
    client = sign_in("a_admin")
    response = client.post(reset_url(admins.a), {"state": actions.password_state(admins.a)})
    assert "不能重置自己的密码" in response.content.decode()
    assert password_valid("a_admin", PASSWORD) and signed_in(client)


def test_a_directory_account_is_not_reset(cast: Any, admins: Admins) -> None:
    cast.a_clerk.set_unusable_password()
    cast.a_clerk.save()
    admin = sign_in("a_admin")
    page = admin.get(reset_url(cast.a_clerk)).content.decode()
    says = "该账号的密码由单位统一身份认证（目录）管理，请在目录中修改"
    assert says in page and 'id="reset-form"' not in page
    state = actions.password_state(cast.a_clerk)
    assert says in admin.post(reset_url(cast.a_clerk), {"state": state}).content.decode()
    cast.a_clerk.refresh_from_db()
    assert not cast.a_clerk.has_usable_password()
    assert not AuditEvent.objects.filter(code="accounts.password.reset").exists()


def test_the_action_for_the_user_pages(cast: Any, admins: Admins) -> None:
    password = actions.reset_password(user=cast.b_clerk, by=admins.b)
    assert password_valid("b_clerk", password)
    assert UserProfile.objects.get(user=cast.b_clerk).must_change_password
    assert AuditEvent.objects.get(code="accounts.password.reset").unit_code == "B1"
