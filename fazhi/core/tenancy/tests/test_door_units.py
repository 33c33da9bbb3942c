"""The door reads its units in one query, with their codes and names: the grants are those
of each membership (a subtree for a role that sees below, its own unit otherwise), the names
are `visible_units`' in tree order, and `with_units` sets a list's records' units from them."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fazhi.core.tenancy.access import access_for, visible_unit_names, visible_units, with_units
from fazhi.core.tenancy.actions import add_unit, grant_role
from fazhi.core.tenancy.models import Membership, OrgUnit
from fazhi.core.tenancy.roles import Permission, get_role


def _fresh(user: Any) -> Any:
    return get_user_model().objects.get(pk=user.pk)  # no door cached on it


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("supervisor", {"D1", "A1", "B1", "A1-1"}),  # a role that sees its subtree
        ("a_clerk", {"A1"}),  # only its own unit, not the 社区 below it
        ("b_clerk", {"B1"}),
    ],
)
def test_the_door_grants_each_membership_its_units_in_one_query(
    cast: Any, who: str, sees: set[str]
) -> None:
    add_unit(code="A1-1", name="东湖社区", kind="community", parent=cast.street_a, by=None)
    user = _fresh(getattr(cast, who))
    with CaptureQueriesContext(connection) as ctx:
        access = access_for(user)
    assert len(ctx.captured_queries) == 1
    codes = {OrgUnit.objects.get(pk=pk).code for pk in access.unit_ids}
    assert codes == sees
    assert set(access.units) == set(access.unit_ids)
    role = get_role(getattr(cast, who).memberships.get().role)
    assert all(perms == role.permissions for perms in access.grants.values())


def test_two_memberships_add_their_permissions_where_they_meet(cast: Any) -> None:
    # A 街道 clerk who is also the district's supervisor: at the 街道 both roles' permissions.
    grant_role(user=cast.a_clerk, unit=cast.district, role="supervisor", by=None)
    access = access_for(_fresh(cast.a_clerk))
    both = get_role("clerk").permissions | get_role("supervisor").permissions
    assert access.grants[cast.street_a.pk] == both
    assert access.grants[cast.street_b.pk] == get_role("supervisor").permissions
    assert access.can(cast.street_a.pk, Permission.REGISTER)
    assert not access.can(cast.street_b.pk, Permission.REGISTER)


def test_the_names_are_the_visible_units_in_tree_order(cast: Any) -> None:
    add_unit(code="A1-1", name="东湖社区", kind="community", parent=cast.street_a, by=None)
    for user in (cast.supervisor, cast.a_clerk, cast.admin):
        user = _fresh(user)
        expected = list(visible_units(user).order_by("path").values_list("code", "name"))
        assert visible_unit_names(user) == expected


def test_a_superuser_and_a_stranger(cast: Any) -> None:
    root = get_user_model().objects.create_superuser("root", password="x")
    assert visible_unit_names(root) == list(OrgUnit.objects.values_list("code", "name"))
    nobody = get_user_model().objects.create_user("nobody", password="x")
    assert visible_unit_names(nobody) == []
    assert access_for(nobody).unit_ids == frozenset()


def test_with_units_sets_each_unit_from_the_door_with_no_query(cast: Any) -> None:
    # Any record with a unit will do: the memberships of the 街道 staff.
    user = _fresh(cast.supervisor)
    access_for(user)
    staff = [cast.a_clerk, cast.b_clerk, cast.a_reviewer]
    found = list(Membership.objects.filter(user__in=staff).order_by("user__username"))
    with CaptureQueriesContext(connection) as ctx:
        records = with_units(user, found)
        names = [r.unit.name for r in records]
        codes = [r.unit.code for r in records]
    assert ctx.captured_queries == []
    assert names == ["东湖街道", "东湖街道", "西城街道"]  # a_clerk, a_reviewer, b_clerk
    assert codes == ["A1", "A1", "B1"]
    # The same unit is one object; a field the door did not read still loads, correctly.
    assert records[0].unit is records[1].unit
    assert records[0].unit.kind == "street"
    assert records[0].unit.parent_id == cast.district.pk


def test_with_units_leaves_alone_a_record_the_door_did_not_read(cast: Any) -> None:
    clerk = _fresh(cast.a_clerk)  # sees A1 only: B1's name is not read by the clerk's door
    (record,) = with_units(clerk, [Membership.objects.get(user=cast.b_clerk)])
    assert record.unit.name == "西城街道"  # its own unit, loaded as before
