"""Directory sign-in through the login page against a real slapd (issue 8, item 6)."""

from __future__ import annotations

from typing import Any

import ldap
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD as LOCAL_PASSWORD
from fazhi.core.audit.models import AuditEvent
from fazhi.core.directory.models import DirectoryAccount
from fazhi.core.directory.tests.conftest import enable_directory
from fazhi.core.directory.tests.slapd import PASSWORD, Slapd, free_port, person_dn
from fazhi.core.tenancy.actions import add_user
from fazhi.core.tenancy.models import Membership

pytestmark = pytest.mark.django_db

WRONG = "用户名或密码不正确"
UNAVAILABLE = "暂时无法连接统一身份认证（目录）服务器"


def sign_in(username: str, password: str) -> Any:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": password})
    response.client = client
    response.signed_in = "_auth_user_id" in client.session
    return response


def roles(username: str) -> set[tuple[str, str, str]]:
    """(unit code, role, where the role came from) for each membership of the user."""
    return {
        (m.unit.code, m.role, "directory" if hasattr(m, "directory_grant") else "hand")
        for m in Membership.objects.filter(user__username=username).select_related(
            "unit", "directory_grant"
        )
    }


def events(username: str) -> list[tuple[str, str, str]]:
    found = AuditEvent.objects.filter(object_id=username, code__startswith="directory.")
    return sorted((e.code, e.unit_code, e.data.get("role", "")) for e in found)


def test_a_directory_user_signs_in_and_gets_the_roles_of_their_groups(directory: Slapd) -> None:
    response = sign_in("zhangsan", PASSWORD)
    assert response.status_code == 302 and response.signed_in
    assert response.client.get(reverse("web:home")).status_code == 200

    user = get_user_model().objects.get(username="zhangsan")
    assert user.first_name == "张三丰"  # displayName before cn
    assert not user.has_usable_password()  # the password lives in the directory
    assert user.profile.unit.code == "A1"
    assert DirectoryAccount.objects.get(user=user).dn == person_dn("zhangsan")
    # a1-leaders and a1-clerks are mapped; canteen is not.
    assert roles("zhangsan") == {("A1", "leader", "directory"), ("A1", "clerk", "directory")}
    assert events("zhangsan") == [
        ("directory.membership.added", "A1", "clerk"),
        ("directory.membership.added", "A1", "leader"),
        ("directory.user.created", "A1", ""),
    ]
    actors = set(AuditEvent.objects.filter(object_id="zhangsan").values_list("actor", flat=True))
    assert actors == {"系统"}


def test_the_first_mapped_group_decides_the_unit_and_cn_is_the_name_without_displayname(
    directory: Slapd,
) -> None:
    assert sign_in("zhaoliu", PASSWORD).signed_in
    zhaoliu = get_user_model().objects.get(username="zhaoliu")
    # The map lists the district's supervisors before B1's clerks.
    assert zhaoliu.profile.unit.code == "D1"
    assert roles("zhaoliu") == {("D1", "supervisor", "directory"), ("B1", "clerk", "directory")}

    assert sign_in("lisi", PASSWORD).signed_in
    lisi = get_user_model().objects.get(username="lisi")
    assert (lisi.first_name, lisi.profile.unit.code) == ("李四", "B1")
    assert roles("lisi") == {("B1", "clerk", "directory")}


@pytest.mark.parametrize(
    ("username", "password", "why"),
    [
        ("zhangsan", "wrong-password", "wrong password"),
        ("zhangsan", "", "empty password"),
        ("nobody", PASSWORD, "in neither the directory nor fazhi"),
        ("wangwu", PASSWORD, "in the directory, but in no mapped group"),
        ("zhangsan)(uid=*", PASSWORD, "filter injection"),
    ],
)
def test_refused_sign_ins_create_nothing(
    directory: Slapd, username: str, password: str, why: str
) -> None:
    response = sign_in(username, password)
    assert response.status_code == 200 and not response.signed_in, why
    assert WRONG in response.content.decode()
    assert not get_user_model().objects.filter(username__in=["zhangsan", "wangwu"]).exists()
    assert not AuditEvent.objects.filter(code__startswith="directory.").exists()


def test_a_group_left_in_the_directory_takes_its_role_and_hand_granted_roles_stay(
    directory: Slapd, cast: Any
) -> None:
    assert sign_in("zhangsan", PASSWORD).signed_in
    # An admin grants two roles by hand; B1's clerk role the directory will grant as well.
    add_user(username="zhangsan", unit=cast.street_a, role="reviewer", password="", by=cast.admin)
    add_user(username="zhangsan", unit=cast.street_b, role="clerk", password="", by=cast.admin)
    directory.add_member("b1-clerks", "zhangsan")
    assert sign_in("zhangsan", PASSWORD).signed_in
    assert roles("zhangsan") == {
        ("A1", "leader", "directory"),
        ("A1", "clerk", "directory"),
        ("A1", "reviewer", "hand"),
        ("B1", "clerk", "hand"),  # already held by hand: it stays the admin's grant
    }

    directory.remove_member("a1-leaders", "zhangsan")
    directory.remove_member("b1-clerks", "zhangsan")
    assert sign_in("zhangsan", PASSWORD).signed_in
    assert roles("zhangsan") == {
        ("A1", "clerk", "directory"),
        ("A1", "reviewer", "hand"),
        ("B1", "clerk", "hand"),
    }
    removed = AuditEvent.objects.get(code="directory.membership.removed")
    assert (removed.unit_code, removed.data["role"], removed.object_id) == (
        "A1",
        "leader",
        "zhangsan",
    )
    assert removed.data["group"] == "cn=a1-leaders,ou=groups,dc=fazhi,dc=test"


def test_no_mapped_group_left_refuses_the_sign_in_and_takes_the_directory_roles(
    directory: Slapd, cast: Any
) -> None:
    assert sign_in("zhangsan", PASSWORD).signed_in
    add_user(username="zhangsan", unit=cast.street_a, role="reviewer", password="", by=cast.admin)
    directory.remove_member("a1-leaders", "zhangsan")
    directory.remove_member("a1-clerks", "zhangsan")

    response = sign_in("zhangsan", PASSWORD)
    assert response.status_code == 200 and not response.signed_in
    assert WRONG in response.content.decode()
    assert roles("zhangsan") == {("A1", "reviewer", "hand")}
    assert AuditEvent.objects.filter(code="directory.membership.removed").count() == 2


def test_the_real_name_follows_the_directory(directory: Slapd) -> None:
    assert sign_in("zhangsan", PASSWORD).signed_in
    directory.modify(person_dn("zhangsan"), ldap.MOD_REPLACE, "displayName", ["张三（法制办）"])
    assert sign_in("zhangsan", PASSWORD).signed_in
    assert get_user_model().objects.get(username="zhangsan").first_name == "张三（法制办）"
    directory.modify(person_dn("zhangsan"), ldap.MOD_DELETE, "displayName", None)
    assert sign_in("ZhangSan", PASSWORD).signed_in  # the directory ignores case; so do we
    assert get_user_model().objects.get(username="zhangsan").first_name == "张三"
    updates = AuditEvent.objects.filter(code="directory.user.updated").order_by("id")
    assert [e.data["name"] for e in updates] == [
        ["张三丰", "张三（法制办）"],
        ["张三（法制办）", "张三"],
    ]
    assert get_user_model().objects.filter(username__iexact="zhangsan").count() == 1


def test_a_password_set_in_fazhi_is_dropped_at_the_next_directory_sign_in(directory: Slapd) -> None:
    assert sign_in("zhangsan", PASSWORD).signed_in
    user = get_user_model().objects.get(username="zhangsan")
    user.set_password("a-local-password-2026")
    user.save()
    assert sign_in("zhangsan", PASSWORD).signed_in
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert AuditEvent.objects.get(code="directory.user.updated").data == {"password": "unusable"}


def test_local_accounts_still_sign_in_and_are_not_taken_over(directory: Slapd, cast: Any) -> None:
    assert sign_in("a_clerk", LOCAL_PASSWORD).signed_in
    assert sign_in("admin", LOCAL_PASSWORD).signed_in
    # The directory has an a_clerk too (in a1-clerks): its password does not open the local one.
    response = sign_in("a_clerk", PASSWORD)
    assert not response.signed_in and WRONG in response.content.decode()
    cast.a_clerk.refresh_from_db()
    assert cast.a_clerk.has_usable_password() and cast.a_clerk.first_name == ""
    assert not DirectoryAccount.objects.exists()
    assert roles("a_clerk") == {("A1", "clerk", "hand")}


def test_an_account_deactivated_in_fazhi_stays_out(directory: Slapd) -> None:
    signed_in = sign_in("zhangsan", PASSWORD)
    home = reverse("web:home")
    assert signed_in.client.get(home).status_code == 200
    get_user_model().objects.filter(username="zhangsan").update(is_active=False)
    assert signed_in.client.get(home).status_code == 302  # its session ends too
    directory.remove_member("a1-leaders", "zhangsan")
    assert not sign_in("zhangsan", PASSWORD).signed_in
    assert ("A1", "leader", "directory") in roles("zhangsan")  # nothing synced for it either


def test_directory_down_local_users_sign_in_directory_users_are_told(
    directory: Slapd, settings: Any
) -> None:
    enable_directory(settings, directory.env(FAZHI_LDAP_URI=f"ldap://127.0.0.1:{free_port()}"))
    assert sign_in("a_clerk", LOCAL_PASSWORD).signed_in
    response = sign_in("zhangsan", PASSWORD)
    assert response.status_code == 200 and not response.signed_in
    page = response.content.decode()
    assert UNAVAILABLE in page and WRONG not in page
    assert not get_user_model().objects.filter(username="zhangsan").exists()


def test_a_search_account_the_directory_refuses_is_reported_as_unavailable(
    directory: Slapd, settings: Any
) -> None:
    enable_directory(settings, directory.env(FAZHI_LDAP_BIND_PASSWORD="not-the-password"))
    response = sign_in("zhangsan", PASSWORD)
    assert not response.signed_in and UNAVAILABLE in response.content.decode()


def test_without_the_search_account_nobody_is_found(directory: Slapd, settings: Any) -> None:
    # The test directory lets only signed-in accounts read entries (slapd.conf).
    enable_directory(settings, directory.env(FAZHI_LDAP_BIND_DN="", FAZHI_LDAP_BIND_PASSWORD=""))
    assert not sign_in("zhangsan", PASSWORD).signed_in


def test_axes_throttles_directory_sign_ins(directory: Slapd, settings: Any) -> None:
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert not sign_in("zhangsan", "wrong-password").signed_in
    response = sign_in("zhangsan", PASSWORD)
    assert response.status_code == 429 and not response.signed_in
    assert "登录已暂时锁定" in response.content.decode()
    assert not get_user_model().objects.filter(username="zhangsan").exists()


@pytest.mark.parametrize(("trusted", "signs_in"), [(True, True), (False, False)])
def test_starttls(directory: Slapd, settings: Any, trusted: bool, signs_in: bool) -> None:
    env = directory.env(FAZHI_LDAP_START_TLS="1")
    if trusted:
        env["FAZHI_LDAP_CA_FILE"] = str(directory.ca_file)
    enable_directory(settings, env)
    response = sign_in("zhangsan", PASSWORD)
    assert response.signed_in is signs_in
    if not signs_in:  # a certificate nobody vouches for: the directory cannot be asked
        assert UNAVAILABLE in response.content.decode()
