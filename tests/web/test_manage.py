"""单位与用户 pages: the admin's units, accounts and roles, through the door (issue 8, items 3–4)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from fazhi.core.tenancy.actions import add_user
from fazhi.core.tenancy.models import Membership, OrgUnit, UserProfile
from fazhi.core.tenancy.roles import ROLES

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def a_admin(cast: Any) -> Any:
    return add_user(
        username="a_admin",
        unit=cast.street_a,
        role="admin",
        password=PASSWORD,
        name="东湖管理员",
        by=None,
        check_password=False,
    )


def text(response: Any) -> str:
    return response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        reverse("web:manage_units"),
        reverse("web:manage_unit", args=["A1"]),
        reverse("web:manage_users"),
        reverse("web:manage_roles"),
    ],
)
@pytest.mark.parametrize("who", ["a_clerk", "a_leader", "supervisor"])
def test_pages_are_for_admins_only(cast: Any, url: str, who: str) -> None:
    assert client_for(getattr(cast, who)).get(url).status_code == 404


def test_the_district_admin_sees_its_tree(cast: Any) -> None:
    page = text(client_for(cast.admin).get(reverse("web:manage_units")))
    assert page.index("示例区") < page.index("东湖街道") < page.index("西城街道")
    assert 'class="depth-1"' in page


def test_a_street_admin_sees_only_its_street(cast: Any, a_admin: Any) -> None:
    client = client_for(a_admin)
    page = text(client.get(reverse("web:manage_units")))
    assert "东湖街道" in page and "西城街道" not in page and "示例区" not in page
    users = text(client.get(reverse("web:manage_users")))
    assert "a_clerk" in users and "b_clerk" not in users and ">admin<" not in users
    assert client.get(reverse("web:manage_unit", args=["B1"])).status_code == 404
    assert client.get(reverse("web:manage_unit", args=["D1"])).status_code == 404
    for other in (cast.b_clerk, cast.admin, cast.supervisor):
        assert client.get(reverse("web:manage_user", args=[other.pk])).status_code == 404
        response = client.post(reverse("web:manage_user", args=[other.pk]), {"form": "deactivate"})
        assert response.status_code == 404
    assert get_user_model().objects.get(pk=cast.b_clerk.pk).is_active


def test_a_forged_unit_in_a_form_is_refused(cast: Any, a_admin: Any) -> None:
    client = client_for(a_admin)
    response = client.post(
        reverse("web:manage_users"),
        {"add-username": "x9", "add-name": "某人", "add-unit": "B1", "add-role": "clerk"},
        follow=True,
    )
    assert "选择一个有效的选项" in text(response) or "有效" in text(response)
    assert not get_user_model().objects.filter(username="x9").exists()
    response = client.post(
        reverse("web:manage_unit", args=["A1"]),
        {"form": "move", "move-parent": "B1"},
        follow=True,
    )
    assert OrgUnit.objects.get(code="A1").parent_id == cast.district.pk


def test_create_a_user_shows_the_one_time_password_once(cast: Any) -> None:
    client = client_for(cast.admin)
    response = client.post(
        reverse("web:manage_users"),
        {"add-username": "zhangsan", "add-name": "张三", "add-unit": "A1", "add-role": "clerk"},
    )
    page = text(response)
    password = re.search(r'id="one-time-password"[^>]*>([^<]+)<', page)
    assert password and len(password.group(1)) == 12
    user = get_user_model().objects.get(username="zhangsan")
    assert user.check_password(password.group(1)) and user.first_name == "张三"
    assert UserProfile.objects.get(user=user).must_change_password
    assert (
        response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]
    )
    listing = text(client.get(reverse("web:manage_users") + "?q=张"))
    assert "zhangsan" in listing and "待改初始密码" in listing and password.group(1) not in listing


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"add-username": "", "add-name": "张三", "add-unit": "A1", "add-role": "clerk"}, "登录名"),
        (
            {"add-username": "a_clerk", "add-name": "重名", "add-unit": "A1", "add-role": "clerk"},
            "已被使用",
        ),
        (
            {"add-username": "li si", "add-name": "李四", "add-unit": "A1", "add-role": "clerk"},
            "字母、数字",
        ),
        ({"add-username": "lisi", "add-name": "李四", "add-unit": "A1", "add-role": "god"}, "有效"),
    ],
)
def test_create_a_user_refuses_with_chinese_messages(
    cast: Any, data: dict[str, str], message: str
) -> None:
    before = get_user_model().objects.count()
    page = text(client_for(cast.admin).post(reverse("web:manage_users"), data, follow=True))
    assert message in page
    assert get_user_model().objects.count() == before


def test_unit_pages_add_rename_move_deactivate(cast: Any) -> None:
    client = client_for(cast.admin)
    response = client.post(
        reverse("web:manage_units"),
        {"add-parent": "A1", "add-code": "A1-01", "add-name": "东湖社区", "add-kind": "community"},
    )
    assert response.status_code == 302
    url = reverse("web:manage_unit", args=["A1-01"])
    client.post(url, {"form": "rename", "rename-name": "东湖第一社区"})
    client.post(url, {"form": "move", "move-parent": "B1"})
    unit = OrgUnit.objects.get(code="A1-01")
    assert (unit.name, unit.parent.code) == ("东湖第一社区", "B1")
    page = text(client.post(url, {"form": "deactivate"}, follow=True))
    assert "已停用该单位" in page
    assert not OrgUnit.objects.get(code="A1-01").active
    # a deactivated unit is no longer offered for new users or as a parent
    users_page = text(client.get(reverse("web:manage_users")))
    assert 'value="A1-01"' not in users_page.split('id="add-user"')[1]
    # refusing a move under itself, with the reason on the page
    own = text(
        client.post(reverse("web:manage_unit", args=["B1"]), {"form": "deactivate"}, follow=True)
    )
    assert "启用的用户" in own or "启用的下级单位" in own


def test_user_page_roles_name_and_state(cast: Any) -> None:
    client = client_for(cast.admin)
    url = reverse("web:manage_user", args=[cast.a_clerk.pk])
    client.post(url, {"form": "rename", "rename-name": "王芳"})
    client.post(url, {"form": "grant", "grant-unit": "B1", "grant-role": "reviewer"})
    membership = Membership.objects.get(user=cast.a_clerk, unit=cast.street_b)
    page = text(client.get(url))
    assert "王芳" in page and "西城街道" in page and ROLES["reviewer"].duties in page
    client.post(url, {"form": "revoke", "id": membership.pk})
    assert not Membership.objects.filter(pk=membership.pk).exists()
    # a forged membership id of someone else's role does nothing
    other = Membership.objects.get(user=cast.b_clerk)
    page = text(client.post(url, {"form": "revoke", "id": other.pk}, follow=True))
    assert "不存在" in page and Membership.objects.filter(pk=other.pk).exists()
    client.post(url, {"form": "deactivate"})
    assert not get_user_model().objects.get(pk=cast.a_clerk.pk).is_active
    own = text(client.get(reverse("web:manage_user", args=[cast.admin.pk])))
    assert "停用账号" not in own


def test_the_role_page_is_generated_from_the_roles_and_moves(cast: Any) -> None:
    page = text(client_for(cast.admin).get(reverse("web:manage_roles")))
    for role in ROLES.values():
        assert role.name in page and role.duties in page
    assert "查看审计日志" in page
    from fazhi.core.web.registry import ledgers

    for ui in ledgers():
        assert f"{ui.ledger.name}：办理环节" in page
        for move in ui.ledger.moves:
            assert move.label in page


def test_the_header_shows_the_real_name(cast: Any, a_admin: Any) -> None:
    page = text(client_for(a_admin).get(reverse("web:home")))
    assert 'title="登录名：a_admin">东湖管理员</span>' in page
    assert "单位与用户" in page
    assert "单位与用户" not in text(client_for(cast.a_clerk).get(reverse("web:home")))


def test_a_role_granted_by_the_directory_is_adjusted_there(cast: Any) -> None:
    from fazhi.core.directory.models import DirectoryGrant

    membership = Membership.objects.get(user=cast.a_clerk)
    DirectoryGrant.objects.create(membership=membership, group_dn="cn=donghu-clerks,dc=example")
    client = client_for(cast.admin)
    url = reverse("web:manage_user", args=[cast.a_clerk.pk])
    page = text(client.get(url))
    assert "来自目录" in page and f'name="id" value="{membership.pk}"' not in page
    refused = text(client.post(url, {"form": "revoke", "id": membership.pk}, follow=True))
    assert "请在目录中调整" in refused
    assert Membership.objects.filter(pk=membership.pk).exists()
