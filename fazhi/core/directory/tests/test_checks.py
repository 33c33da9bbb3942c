"""The role map's units and roles are checked at startup (`fazhi check`, `migrate`, `runserver`)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from fazhi.core.directory.checks import role_map
from fazhi.core.directory.config import GroupGrant

pytestmark = pytest.mark.django_db

G = "cn=g,ou=groups,dc=fazhi,dc=test"


@pytest.mark.parametrize(
    ("unit", "role", "expected"),
    [
        ("A1", "clerk", []),
        ("D1", "supervisor", []),
        ("Z9", "clerk", [("fazhi.E111", "不存在的单位代码「Z9」")]),
        ("A1", "boss", [("fazhi.E110", "未知角色「boss」")]),
        (
            "Z9",
            "boss",
            [("fazhi.E110", "unknown role code 'boss'"), ("fazhi.E111", "unknown unit code 'Z9'")],
        ),
        ("OFF", "clerk", [("fazhi.W112", "已停用的单位「旧街道」")]),
    ],
)
def test_role_map_check(
    cast: Any, settings: Any, unit: str, role: str, expected: list[tuple[str, str]]
) -> None:
    from fazhi.core.tenancy.actions import add_unit

    old = add_unit(code="OFF", name="旧街道", kind="street", parent=cast.district, by=None)
    old.active = False
    old.save()
    settings.FAZHI_LDAP_ROLE_MAP = (GroupGrant(G, unit, role),)
    found = role_map()
    assert len(found) == len(expected)
    for message, (check_id, text) in zip(found, expected, strict=True):
        assert message.id == check_id and text in message.msg and G in message.msg


def test_no_directory_no_check(settings: Any) -> None:
    settings.FAZHI_LDAP_ROLE_MAP = ()
    assert role_map() == []


def test_fazhi_check_fails_on_an_unknown_unit(cast: Any, settings: Any) -> None:
    settings.FAZHI_LDAP_ROLE_MAP = (
        GroupGrant(G, "A1", "clerk"),
        GroupGrant(G + "x", "Z9", "clerk"),
    )
    with pytest.raises(SystemCheckError, match=r"fazhi\.E111"):
        call_command("check")
