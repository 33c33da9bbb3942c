"""The own password: the change page, its messages, the audit event, the other sessions ended,
and accounts whose password lives in a directory (issue 8, item 2)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from fazhi.core.accounts.tests.conftest import ENGLISH, sign_in, signed_in
from fazhi.core.audit.models import AuditEvent
from fazhi.core.tenancy.models import UserProfile

pytestmark = pytest.mark.django_db
NEW = "东湖-台账-2026"
URL = "/account/password/"


def change(client: Client, old: str = PASSWORD, new: str = NEW, again: str | None = None) -> Any:
    return client.post(
        reverse("accounts:password"),
        {
            "old_password": old,
            "new_password1": new,
            "new_password2": new if again is None else again,
        },
    )


def test_the_url_and_the_header_link(cast: Any) -> None:
    assert reverse("accounts:password") == URL
    page = sign_in("a_clerk").get(reverse("web:home")).content.decode()
    assert f'href="{URL}" id="nav-password">修改密码</a>' in page


def test_the_page_asks_for_old_new_and_new_again(cast: Any) -> None:
    page = sign_in("a_clerk").get(URL).content.decode()
    for field, label in [
        ("id_old_password", "原密码"),
        ("id_new_password1", "新密码"),
        ("id_new_password2", "再次输入新密码"),
    ]:
        assert f'<label for="{field}">{label}' in page, field
    assert "至少8个字符" in page and 'id="password-change-submit"' in page


def test_a_change_keeps_this_session_and_ends_the_others(cast: Any) -> None:
    here, elsewhere = sign_in("a_clerk", address="10.0.0.1"), sign_in("a_clerk", address="10.0.0.2")
    response = change(here)
    assert response.status_code == 302 and response["Location"] == reverse("web:home")
    assert "密码已修改" in here.get(reverse("web:home")).content.decode()
    assert signed_in(here)
    assert not signed_in(elsewhere)
    assert elsewhere.get(reverse("web:home"))["Location"].startswith(reverse("login"))
    user = get_user_model().objects.get(username="a_clerk")
    assert user.check_password(NEW) and not user.check_password(PASSWORD)
    assert sign_in("a_clerk", NEW, address="10.0.0.3")


def test_a_change_is_audited_and_stamped(cast: Any) -> None:
    UserProfile.objects.filter(user=cast.a_clerk).update(must_change_password=True)
    change(sign_in("a_clerk"))
    profile = UserProfile.objects.get(user=cast.a_clerk)
    assert not profile.must_change_password and profile.password_changed_at is not None
    event = AuditEvent.objects.get(code="accounts.password.changed")
    assert (event.actor, event.unit_code, event.object_type, event.object_id) == (
        "a_clerk",
        "A1",
        "user",
        "a_clerk",
    )
    assert NEW not in str(event.data) and PASSWORD not in str(event.data)


@pytest.mark.parametrize(
    ("old", "new", "again", "says"),
    [
        ("wrong", NEW, NEW, "原密码不正确，请重新输入。"),
        (PASSWORD, NEW, NEW + "x", "两次输入的新密码不一致。"),
        (PASSWORD, "1234", "1234", "密码太短，至少需要8个字符（空格不计）。"),
        (PASSWORD, "93847261035", "93847261035", "密码不能全是数字"),
        (PASSWORD, "a_clerk-2026-东湖", "a_clerk-2026-东湖", "密码与用户名或姓名过于相似"),
        (PASSWORD, "woaini1314", "woaini1314", "该密码过于常见"),
        (PASSWORD, PASSWORD, PASSWORD, "新密码不能与原密码相同。"),
        ("", "", "", "请输入原密码。"),
    ],
)
def test_a_refused_change_says_why_in_chinese_and_changes_nothing(
    cast: Any, old: str, new: str, again: str, says: str
) -> None:
    client = sign_in("a_clerk")
    response = change(client, old, new, again)
    assert response.status_code == 200
    html = response.content.decode()
    assert says in html
    errors = re.findall(r'<ul class="errorlist[^>]*>(.*?)</ul>', html, re.S)
    assert errors
    for error in errors:
        text = re.sub(r"<[^>]+>", "", error)
        assert text and not ENGLISH.search(text), text
    assert get_user_model().objects.get(username="a_clerk").check_password(PASSWORD)
    assert not AuditEvent.objects.filter(code="accounts.password.changed").exists()
    assert signed_in(client)


def test_the_change_needs_the_csrf_token(cast: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.a_clerk)
    response = change(client)
    assert response.status_code == 403 and "页面已过期" in response.content.decode()
    assert get_user_model().objects.get(username="a_clerk").check_password(PASSWORD)


def test_signing_in_is_needed(cast: Any) -> None:
    response = Client().get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_directory_account_is_told_where_to_change_it(cast: Any) -> None:
    user = cast.a_clerk
    user.set_unusable_password()
    user.save()
    client = Client()
    client.force_login(user)
    page = client.get(URL).content.decode()
    assert "您的密码由单位统一身份认证（目录）管理，请在目录中修改" in page
    assert "<form" not in page.split('id="password-change"', 1)[1]
    response = change(client, "x", NEW)
    assert "请在目录中修改" in response.content.decode()
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert not AuditEvent.objects.filter(code="accounts.password.changed").exists()


def test_wrong_current_passwords_count_as_failed_sign_ins_and_lock_the_session_out(
    cast: Any,
) -> None:
    """A session left open is no faster a way to guess the password than the sign-in page."""
    client = sign_in("a_clerk")
    for _ in range(4):
        page = change(client, old="guess")
        assert page.status_code == 200 and "原密码不正确" in page.content.decode()
    assert signed_in(client)
    refused = change(client, old="guess")
    assert refused.status_code == 429 and "登录已暂时锁定" in refused.content.decode()
    assert not signed_in(client)
    again = Client(REMOTE_ADDR="10.0.0.1").post(
        reverse("login"), {"username": "a_clerk", "password": PASSWORD}
    )
    assert again.status_code == 429  # the sign-in page holds the same lock
    # The same account at another desk, and another clerk at this one, are not locked.
    assert signed_in(sign_in("a_clerk", address="10.0.0.2"))
    assert signed_in(sign_in("a_reviewer"))
    user = get_user_model().objects.get(username="a_clerk")
    assert user.check_password(PASSWORD)  # nothing changed


def test_a_right_current_password_after_a_typo_changes_it(cast: Any) -> None:
    client = sign_in("a_clerk")
    assert change(client, old="typo").status_code == 200
    assert change(client).status_code == 302
    assert get_user_model().objects.get(username="a_clerk").check_password(NEW)
