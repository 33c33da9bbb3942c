"""FAZHI_LDAP_* → settings: the role map's forms and refusals, the required variables, and that
nothing changes while FAZHI_LDAP_URI is unset."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import ldap
import pytest
from django.core.exceptions import ImproperlyConfigured
from django_auth_ldap.config import GroupOfUniqueNamesType, PosixGroupType

from fazhi.core.directory.config import (
    BACKEND,
    GroupGrant,
    directory_settings,
    load_role_map,
    normalize_dn,
)

A = "cn=a1-clerks,ou=groups,dc=fazhi,dc=test"
B = "cn=b1-clerks,ou=groups,dc=fazhi,dc=test"
LOCAL = ["axes.backends.AxesStandaloneBackend", "fazhi.core.accounts.backends.ModelBackend"]
ENV = {
    "FAZHI_LDAP_URI": "ldap://directory.example:389",
    "FAZHI_LDAP_USER_SEARCH_BASE": "ou=people,dc=fazhi,dc=test",
    "FAZHI_LDAP_GROUP_SEARCH_BASE": "ou=groups,dc=fazhi,dc=test",
    "FAZHI_LDAP_ROLE_MAP": json.dumps({A: ["A1", "clerk"]}),
}
EXPECTED = (GroupGrant(A, "A1", "clerk"), GroupGrant(B, "B1", "leader"))


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("inline.json", json.dumps({A: ["A1", "clerk"], B: ["B1", "leader"]})),
        ("map.json", json.dumps({A: ["A1", "clerk"], B: ["B1", "leader"]})),
        ("map.toml", f'"{A}" = ["A1", "clerk"]\n"{B}" = ["B1", "leader"]\n'),
        # DNs as a person types them: capitals, spaces after commas; codes with stray spaces.
        (
            "spelled.json",
            json.dumps(
                {
                    "CN=a1-clerks, OU=Groups, DC=fazhi, DC=test": [" A1", "clerk "],
                    B: ["B1", "leader"],
                }
            ),
        ),
    ],
)
def test_role_map_forms(tmp_path: Path, name: str, text: str) -> None:
    if name == "inline.json":
        value = text
    else:
        (tmp_path / name).write_text(text, encoding="utf-8")
        value = str(tmp_path / name)
    assert load_role_map(value) == EXPECTED  # in the file's order


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "必须设置"),
        ("{not json", "不是有效的 JSON"),
        ("{}", "非空的对象"),
        ("/nonexistent/map.json", "无法读取文件"),
        (json.dumps({A: "A1"}), "应为 [单位代码, 角色代码]"),
        (json.dumps({A: ["A1"]}), "应为 [单位代码, 角色代码]"),
        (json.dumps({A: ["A1", ""]}), "应为 [单位代码, 角色代码]"),
        (json.dumps({A: ["A1", 3]}), "应为 [单位代码, 角色代码]"),
        (json.dumps({"not a dn": ["A1", "clerk"]}), "不是有效的 DN"),
        (json.dumps({"": ["A1", "clerk"]}), "组 DN 不能为空"),
        (f'{{"{A}": ["A1", "clerk"], "{A.upper()}": ["B1", "clerk"]}}', "出现了两次"),
    ],
)
def test_role_map_refusals(value: str, message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="FAZHI_LDAP_ROLE_MAP") as caught:
        load_role_map(value)
    assert message in str(caught.value)


def test_a_toml_file_that_is_not_toml(tmp_path: Path) -> None:
    (tmp_path / "map.toml").write_text("cn=a = [", encoding="utf-8")
    with pytest.raises(ImproperlyConfigured, match="不是有效的 TOML"):
        load_role_map(str(tmp_path / "map.toml"))


def test_directory_settings() -> None:
    s = directory_settings(ENV, LOCAL)
    # django-axes first (it throttles every backend after it), the local accounts, the directory.
    assert s["AUTHENTICATION_BACKENDS"] == [*LOCAL, BACKEND]
    assert s["AUTH_LDAP_SERVER_URI"] == "ldap://directory.example:389"
    assert s["AUTH_LDAP_USER_SEARCH"].filterstr == "(uid=%(user)s)"
    assert s["AUTH_LDAP_GROUP_SEARCH"].filterstr == "(objectClass=groupOfNames)"
    assert s["AUTH_LDAP_START_TLS"] is False
    assert s["AUTH_LDAP_CONNECTION_OPTIONS"][ldap.OPT_NETWORK_TIMEOUT] == 5
    assert s["FAZHI_LDAP_ROLE_MAP"] == (GroupGrant(A, "A1", "clerk"),)
    assert directory_settings(ENV, [*LOCAL, BACKEND])["AUTHENTICATION_BACKENDS"] == [
        *LOCAL,
        BACKEND,
    ]


def test_directory_settings_options(tmp_path: Path) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    s = directory_settings(
        {
            **ENV,
            "FAZHI_LDAP_USER_FILTER": "(sAMAccountName=%(user)s)",
            "FAZHI_LDAP_GROUP_TYPE": "posixGroup",
            "FAZHI_LDAP_START_TLS": "yes",
            "FAZHI_LDAP_CA_FILE": str(ca),
            "FAZHI_LDAP_TIMEOUT": "2.5",
            "FAZHI_LDAP_BIND_DN": "cn=reader,dc=fazhi,dc=test",
            "FAZHI_LDAP_BIND_PASSWORD": " secret with spaces ",
        },
        LOCAL,
    )
    assert s["AUTH_LDAP_USER_SEARCH"].filterstr == "(sAMAccountName=%(user)s)"
    assert isinstance(s["AUTH_LDAP_GROUP_TYPE"], PosixGroupType)
    assert s["AUTH_LDAP_GROUP_SEARCH"].filterstr == "(objectClass=posixGroup)"
    assert s["AUTH_LDAP_START_TLS"] is True
    assert s["AUTH_LDAP_CONNECTION_OPTIONS"][ldap.OPT_X_TLS_CACERTFILE] == str(ca)
    assert s["AUTH_LDAP_CONNECTION_OPTIONS"][ldap.OPT_TIMEOUT] == 2.5
    assert s["AUTH_LDAP_BIND_PASSWORD"] == " secret with spaces "  # passwords are not trimmed
    unique = directory_settings({**ENV, "FAZHI_LDAP_GROUP_TYPE": "groupOfUniqueNames"}, LOCAL)
    assert isinstance(unique["AUTH_LDAP_GROUP_TYPE"], GroupOfUniqueNamesType)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"FAZHI_LDAP_USER_SEARCH_BASE": ""}, "FAZHI_LDAP_USER_SEARCH_BASE 必须设置"),
        ({"FAZHI_LDAP_GROUP_SEARCH_BASE": " "}, "FAZHI_LDAP_GROUP_SEARCH_BASE 必须设置"),
        ({"FAZHI_LDAP_ROLE_MAP": ""}, "FAZHI_LDAP_ROLE_MAP"),
        ({"FAZHI_LDAP_URI": "directory.example"}, "must start with ldap://"),
        ({"FAZHI_LDAP_GROUP_TYPE": "memberOf"}, "FAZHI_LDAP_GROUP_TYPE must be one of"),
        ({"FAZHI_LDAP_USER_FILTER": "(uid=*)"}, "must contain %\\(user\\)s"),
        ({"FAZHI_LDAP_START_TLS": "maybe"}, "FAZHI_LDAP_START_TLS must be a boolean"),
        ({"FAZHI_LDAP_TIMEOUT": "0"}, "FAZHI_LDAP_TIMEOUT must be a positive"),
        ({"FAZHI_LDAP_TIMEOUT": "soon"}, "FAZHI_LDAP_TIMEOUT must be a positive"),
        ({"FAZHI_LDAP_CA_FILE": "/nonexistent/ca.pem"}, "FAZHI_LDAP_CA_FILE: no such file"),
    ],
)
def test_directory_settings_refusals(change: dict[str, str], message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        directory_settings({**ENV, **change}, LOCAL)


def test_normalize_dn() -> None:
    assert normalize_dn(" CN=A1-Clerks, OU=Groups,DC=fazhi,DC=test ") == A


def _backends_in_a_fresh_process(env: dict[str, str]) -> list[str]:
    code = "from django.conf import settings; import json; print(json.dumps(settings.AUTHENTICATION_BACKENDS))"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("FAZHI_LDAP_")}
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "fazhi.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return list(json.loads(done.stdout))


def test_settings_add_the_directory_only_when_its_uri_is_set() -> None:
    assert _backends_in_a_fresh_process({}) == LOCAL
    assert _backends_in_a_fresh_process(ENV) == [*LOCAL, BACKEND]
