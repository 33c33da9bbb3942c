"""The sync action alone, on what a directory could answer (no server needed): the choices it
makes that the sign-in tests don't reach."""

from __future__ import annotations

from typing import Any

import pytest

from fazhi.core.directory.actions import sign_in_from_directory
from fazhi.core.directory.config import GroupGrant
from fazhi.core.tenancy.models import Membership

pytestmark = pytest.mark.django_db

A = "cn=a,ou=groups,dc=x"
B = "cn=b,ou=groups,dc=x"
C = "cn=c,ou=groups,dc=x"


def sync(groups: set[str], role_map: tuple[GroupGrant, ...]) -> Any:
    return sign_in_from_directory(
        username="Qian", dn="uid=qian,dc=x", name=" 钱七 ", group_dns=groups, role_map=role_map
    )


def held() -> set[tuple[str, str]]:
    return set(Membership.objects.filter(user__username="qian").values_list("unit__code", "role"))


def test_a_deactivated_unit_gets_nobody_new(cast: Any) -> None:
    cast.street_a.active = False
    cast.street_a.save()
    result = sync({A, B}, (GroupGrant(A, "A1", "clerk"), GroupGrant(B, "B1", "clerk")))
    assert result.user.username == "qian" and result.user.first_name == "钱七"
    assert result.user.profile.unit.code == "B1"  # the first mapped group whose unit is active
    assert held() == {("B1", "clerk")}


def test_groups_naming_one_role_twice_grant_it_once_and_bad_entries_grant_nothing(
    cast: Any,
) -> None:
    role_map = (
        GroupGrant(A, "Z9", "clerk"),  # unknown unit (the startup check reports it)
        GroupGrant(B, "A1", "boss"),  # unknown role (likewise)
        GroupGrant(C, "A1", "clerk"),
        GroupGrant("cn=d,ou=groups,dc=x", "A1", "clerk"),
    )
    result = sync({A, B, C, "CN=D, OU=Groups, DC=x"}, role_map)
    assert result.user.profile.unit.code == "A1"
    assert held() == {("A1", "clerk")}
    assert result.user.memberships.get().directory_grant.group_dn == C


def test_only_unmapped_or_broken_entries_refuse(cast: Any) -> None:
    result = sync({A}, (GroupGrant(A, "Z9", "clerk"),))
    assert result.user is None and result.refused == "no mapped group"
