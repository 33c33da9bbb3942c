"""Administration actions: units (add, rename, move, deactivate) and accounts (create, name,
所属单位, roles, deactivate), each inside the admin's subtree and audited (issue 8, item 3)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.test import Client, RequestFactory

from conftest import PASSWORD
from fazhi.core.audit.models import AuditEvent
from fazhi.core.tenancy import actions
from fazhi.core.tenancy.access import access_for, managed_users
from fazhi.core.tenancy.models import Membership, OrgUnit, UserProfile
from fazhi.core.tenancy.names import display_name
from fazhi.core.tenancy.roles import Permission

pytestmark = pytest.mark.django_db


def sign_in(*, username: str, password: str) -> Any:
    return authenticate(RequestFactory().post("/login/"), username=username, password=password)


def street_admin(cast: Any, unit: OrgUnit, username: str = "a_admin") -> Any:
    return actions.add_user(
        username=username, unit=unit, role="admin", password=PASSWORD, by=None, check_password=False
    )


def codes(event_code: str) -> list[str]:
    return list(AuditEvent.objects.filter(code=event_code).values_list("object_id", flat=True))


def test_add_unit_under_a_managed_parent_is_audited(cast: Any) -> None:
    unit = actions.add_unit(
        code="A1-01", name="东湖社区", kind="community", parent=cast.street_a, by=cast.admin
    )
    assert unit.path == f"{cast.street_a.path}{unit.pk}/"
    event = AuditEvent.objects.get(code="tenancy.unit.added", object_id="A1-01")
    assert event.actor == "admin" and event.data["parent"] == "A1"


@pytest.mark.parametrize(
    ("code", "name", "parent", "message"),
    [
        ("", "空代码", "A1", "不能为空"),
        ("A 1", "有空格", "A1", "字母、数字"),
        ("甲1", "中文代码", "A1", "字母、数字"),
        ("x" * 65, "太长", "A1", "字母、数字"),
        ("a1", "大小写重复", "A1", "已存在"),
        ("N1", "名" * 101, "A1", "100"),
        ("N1", "没有上级", None, "上级单位"),
        ("N1", "别人的上级", "B1", "未找到该单位"),
    ],
)
def test_add_unit_refuses(
    cast: Any, code: str, name: str, parent: str | None, message: str
) -> None:
    a_admin = street_admin(cast, cast.street_a)
    before = OrgUnit.objects.count()
    with pytest.raises(ValueError, match=message):
        actions.add_unit(
            code=code,
            name=name,
            kind="community",
            parent=OrgUnit.objects.get(code=parent) if parent else None,
            by=a_admin,
        )
    assert OrgUnit.objects.count() == before


def test_rename_keeps_the_code_and_records_both_names(cast: Any) -> None:
    actions.rename_unit(unit=cast.street_a, name="东湖街道办事处", by=cast.admin)
    unit = OrgUnit.objects.get(pk=cast.street_a.pk)
    assert (unit.code, unit.name) == ("A1", "东湖街道办事处")
    event = AuditEvent.objects.get(code="tenancy.unit.renamed")
    assert event.data == {"from": "东湖街道", "to": "东湖街道办事处"}


def test_move_carries_the_subtree_and_the_supervisors_view(cast: Any) -> None:
    community = actions.add_unit(
        code="A1-01", name="东湖社区", kind="community", parent=cast.street_a, by=None
    )
    grid = actions.add_unit(
        code="A1-01-1", name="一网格", kind="community", parent=community, by=None
    )
    other = actions.add_unit(code="D2", name="新区", kind="district", parent=cast.district, by=None)
    b_leader = actions.add_user(
        username="b_leader",
        unit=cast.street_b,
        role="supervisor",
        password=PASSWORD,
        by=None,
        check_password=False,
    )
    assert not access_for(b_leader).can(grid.pk, Permission.VIEW)
    actions.move_unit(unit=community, parent=cast.street_b, by=cast.admin)
    grid.refresh_from_db()
    community.refresh_from_db()
    assert community.parent_id == cast.street_b.pk
    assert grid.path == f"{cast.street_b.path}{community.pk}/{grid.pk}/"
    b_leader = get_user_model().objects.get(pk=b_leader.pk)
    assert access_for(b_leader).can(grid.pk, Permission.VIEW)
    assert AuditEvent.objects.get(code="tenancy.unit.moved").data == {"from": "A1", "to": "B1"}
    with pytest.raises(ValueError, match="自己或它的下级"):
        actions.move_unit(unit=community, parent=grid, by=cast.admin)
    with pytest.raises(ValueError, match="最上级单位"):
        actions.move_unit(unit=cast.district, parent=other, by=None)


def test_a_street_admin_cannot_move_its_own_street_or_reach_another(cast: Any) -> None:
    a_admin = street_admin(cast, cast.street_a)
    community = actions.add_unit(
        code="A1-01", name="东湖社区", kind="community", parent=cast.street_a, by=a_admin
    )
    a_admin = get_user_model().objects.get(pk=a_admin.pk)  # access is resolved per request
    with pytest.raises(ValueError, match="最上级"):
        actions.move_unit(unit=cast.street_a, parent=community, by=a_admin)
    with pytest.raises(ValueError, match="未找到该单位"):
        actions.move_unit(unit=community, parent=cast.street_b, by=a_admin)
    with pytest.raises(ValueError, match="未找到该单位"):
        actions.rename_unit(unit=cast.street_b, name="我的", by=a_admin)
    assert OrgUnit.objects.get(pk=cast.street_b.pk).name == "西城街道"


def test_deactivate_needs_an_empty_unit_and_stops_new_work(cast: Any) -> None:
    with pytest.raises(ValueError, match="启用的用户"):
        actions.set_unit_active(unit=cast.street_b, active=False, by=cast.admin)
    actions.set_account_active(user=cast.b_clerk, active=False, by=cast.admin)
    actions.set_unit_active(unit=cast.street_b, active=False, by=cast.admin)
    assert not OrgUnit.objects.get(pk=cast.street_b.pk).active
    with pytest.raises(ValueError, match="已停用"):
        actions.add_unit(code="B1-01", name="社区", kind="community", parent=cast.street_b, by=None)
    with pytest.raises(ValueError, match="已停用"):
        actions.create_account(
            username="newb", name="新人", unit=cast.street_b, role="clerk", by=cast.admin
        )
    with pytest.raises(ValueError, match="启用的下级单位"):
        actions.set_unit_active(unit=cast.district, active=False, by=None)
    actions.set_unit_active(unit=cast.street_b, active=True, by=cast.admin)
    assert codes("tenancy.unit.deactivated") == ["B1"] and codes("tenancy.unit.activated") == ["B1"]


def test_an_admin_cannot_deactivate_its_own_unit(cast: Any) -> None:
    actions.set_account_active(user=cast.supervisor, active=False, by=cast.admin)
    with pytest.raises(ValueError, match="担任管理员"):
        actions.set_unit_active(unit=cast.district, active=False, by=cast.admin)


def test_create_account_gives_a_one_time_password_and_a_profile(cast: Any) -> None:
    user, password = actions.create_account(
        username="zhangsan", name="张三", unit=cast.street_a, role="clerk", by=cast.admin
    )
    assert len(password) == 12 and sign_in(username="zhangsan", password=password) == user
    profile = UserProfile.objects.get(user=user)
    assert profile.unit == cast.street_a and profile.must_change_password
    assert display_name(user) == "张三"
    assert user in managed_users(cast.admin)
    event = AuditEvent.objects.get(code="tenancy.user.created")
    assert event.data == {"name": "张三", "role": "clerk"}
    assert password not in str(list(AuditEvent.objects.values_list("data", flat=True)))


@pytest.mark.parametrize(
    ("username", "name", "message"),
    [
        ("张三", "张三", "登录名"),
        ("a", "张三", "登录名"),
        ("zhang san", "张三", "登录名"),
        ("A_CLERK", "重名", "已被使用"),
        ("lisi", "", "姓名"),
        ("lisi", "\x00\x01", "姓名"),
    ],
)
def test_create_account_refuses(cast: Any, username: str, name: str, message: str) -> None:
    before = get_user_model().objects.count()
    with pytest.raises(ValueError, match=message):
        actions.create_account(
            username=username, name=name, unit=cast.street_a, role="clerk", by=cast.admin
        )
    assert get_user_model().objects.count() == before


def test_a_street_admin_manages_only_its_street(cast: Any) -> None:
    a_admin = street_admin(cast, cast.street_a)
    assert set(managed_users(a_admin)) == {cast.a_clerk, cast.a_reviewer, cast.a_leader, a_admin}
    for act in (
        lambda: actions.create_account(
            username="x1", name="某", unit=cast.street_b, role="clerk", by=a_admin
        ),
        lambda: actions.rename_account(user=cast.b_clerk, name="改名", by=a_admin),
        lambda: actions.grant_role(user=cast.a_clerk, unit=cast.street_b, role="clerk", by=a_admin),
        lambda: actions.grant_role(user=cast.b_clerk, unit=cast.street_a, role="clerk", by=a_admin),
        lambda: actions.set_account_active(user=cast.b_clerk, active=False, by=a_admin),
        lambda: actions.set_account_active(user=cast.admin, active=False, by=a_admin),
    ):
        with pytest.raises(ValueError, match="未找到"):
            act()
    assert get_user_model().objects.get(pk=cast.b_clerk.pk).is_active


def test_roles_are_granted_and_revoked_with_audit(cast: Any) -> None:
    membership = actions.grant_role(
        user=cast.a_clerk, unit=cast.street_a, role="reviewer", by=cast.admin
    )
    assert access_for(get_user_model().objects.get(pk=cast.a_clerk.pk)).can(
        cast.street_a.pk, Permission.LEGAL_REVIEW
    )
    with pytest.raises(ValueError, match="已是"):
        actions.grant_role(user=cast.a_clerk, unit=cast.street_a, role="reviewer", by=cast.admin)
    actions.revoke_role(membership=membership, by=cast.admin)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEvent.objects.get(code="tenancy.membership.removed").data == {"role": "reviewer"}
    with pytest.raises(ValueError, match="已被撤销"):
        actions.revoke_role(membership=membership, by=cast.admin)
    own = Membership.objects.get(user=cast.admin, role="admin")
    with pytest.raises(ValueError, match="自己的管理员"):
        actions.revoke_role(membership=own, by=cast.admin)


def test_deactivated_account_cannot_sign_in_and_its_sessions_end(cast: Any) -> None:
    client = Client()
    client.force_login(cast.a_clerk)
    assert client.get("/").status_code == 200
    actions.set_account_active(user=cast.a_clerk, active=False, by=cast.admin)
    assert client.get("/").status_code == 302
    assert sign_in(username="a_clerk", password=PASSWORD) is None
    assert get_user_model().objects.filter(pk=cast.a_clerk.pk).exists()  # never deleted
    with pytest.raises(ValueError, match="不能停用自己"):
        actions.set_account_active(user=cast.admin, active=False, by=cast.admin)
    actions.set_account_active(user=cast.a_clerk, active=True, by=cast.admin)
    assert sign_in(username="a_clerk", password=PASSWORD) is not None


def test_moving_an_account_changes_who_manages_it(cast: Any) -> None:
    a_admin = street_admin(cast, cast.street_a)
    actions.move_account(user=cast.a_clerk, unit=cast.street_b, by=cast.admin)
    assert cast.a_clerk not in managed_users(a_admin)
    # its roles stay where they were granted
    assert Membership.objects.filter(user=cast.a_clerk, unit=cast.street_a).exists()
    assert AuditEvent.objects.get(code="tenancy.user.moved").data == {"from": "A1", "to": "B1"}


def test_an_account_with_a_role_above_the_street_is_not_the_street_admins(cast: Any) -> None:
    """Found by a stranger: a district admin moved into a 街道 (所属单位) kept its district role,
    and the 街道 admin could reset its password and take it over."""
    a_admin = street_admin(cast, cast.street_a)
    actions.move_account(user=cast.admin, unit=cast.street_a, by=None)
    a_admin = get_user_model().objects.get(pk=a_admin.pk)
    assert cast.admin not in managed_users(a_admin)
    for act in (
        lambda: actions.rename_account(user=cast.admin, name="夺权", by=a_admin),
        lambda: actions.set_account_active(user=cast.admin, active=False, by=a_admin),
    ):
        with pytest.raises(ValueError, match="未找到"):
            act()
    client = Client()
    client.force_login(a_admin)
    assert client.get(f"/account/reset/{cast.admin.pk}/").status_code == 404
    assert client.get(f"/manage/users/{cast.admin.pk}/").status_code == 404
    assert cast.a_clerk in managed_users(a_admin)  # its own people stay its own
