"""Directory sign-in settings, read from the environment by `fazhi/settings.py`.

Safe to import from settings: nothing here touches models. `directory_settings` turns the
`FAZHI_LDAP_*` variables into django-auth-ldap's `AUTH_LDAP_*` settings plus fazhi's role map, and
fails fast (ImproperlyConfigured) on anything malformed. Whether the units and roles the map names
exist is a system check (checks.py): that needs the database.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ldap
import ldap.dn
from django.core.exceptions import ImproperlyConfigured
from django_auth_ldap import config as ldap_config

BACKEND = "fazhi.core.directory.backend.DirectoryBackend"

# Group types by the name the deployment gives, with the filter that finds such groups.
GROUP_TYPES: dict[str, tuple[type[Any], str]] = {
    "groupOfNames": (ldap_config.GroupOfNamesType, "(objectClass=groupOfNames)"),
    "nestedGroupOfNames": (ldap_config.NestedGroupOfNamesType, "(objectClass=groupOfNames)"),
    "groupOfUniqueNames": (ldap_config.GroupOfUniqueNamesType, "(objectClass=groupOfUniqueNames)"),
    "posixGroup": (ldap_config.PosixGroupType, "(objectClass=posixGroup)"),
    "activeDirectory": (ldap_config.ActiveDirectoryGroupType, "(objectClass=group)"),
    "nestedActiveDirectory": (ldap_config.NestedActiveDirectoryGroupType, "(objectClass=group)"),
}


@dataclass(frozen=True)
class GroupGrant:
    """Members of the directory group `group_dn` hold `role` at the unit `unit_code`."""

    group_dn: str  # normalised (normalize_dn)
    unit_code: str
    role: str


def normalize_dn(dn: str) -> str:
    """One spelling per DN: the directory answers in lower case and may space RDNs differently
    from the person who wrote the map."""
    return str(ldap.dn.dn2str(ldap.dn.str2dn(dn.strip()))).lower()


def _fail(message: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"FAZHI_LDAP_ROLE_MAP：{message}")


def load_role_map(value: str) -> tuple[GroupGrant, ...]:
    """The group → [unit code, role code] map, inline JSON or the path of a .json/.toml file.
    Its order matters: a user's 所属单位 is the unit of the first entry they are a member of."""
    text = value.strip()
    if not text:
        raise _fail(
            "启用目录登录时必须设置（组 DN → [单位代码, 角色代码]）/ required when FAZHI_LDAP_URI is set"
        )
    if text.startswith("{"):
        source, raw = "JSON", text
    else:
        path = Path(text)
        try:
            raw = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise _fail(f"无法读取文件 {path} / cannot read the file: {exc}") from exc
        source = "TOML" if path.suffix.lower() == ".toml" else "JSON"
    try:
        data = tomllib.loads(raw) if source == "TOML" else json.loads(raw)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise _fail(f"不是有效的 {source} / not valid {source}: {exc}") from exc
    if not isinstance(data, dict) or not data:
        raise _fail("应为非空的对象：组 DN → [单位代码, 角色代码] / must be a non-empty object")
    grants: list[GroupGrant] = []
    seen: set[str] = set()
    for dn, target in data.items():
        if not (
            isinstance(target, list)
            and len(target) == 2
            and all(isinstance(part, str) and part.strip() for part in target)
        ):
            raise _fail(
                f"组「{dn}」的值应为 [单位代码, 角色代码]，实为 {target!r} / "
                "each value must be [unit code, role code]"
            )
        try:
            group_dn = normalize_dn(dn)
        except ldap.DECODING_ERROR as exc:
            raise _fail(f"「{dn}」不是有效的 DN / not a valid DN") from exc
        if not group_dn:
            raise _fail("组 DN 不能为空 / a group DN is empty")
        if group_dn in seen:
            raise _fail(f"组「{dn}」出现了两次 / the group appears twice")
        seen.add(group_dn)
        grants.append(GroupGrant(group_dn, target[0].strip(), target[1].strip()))
    return tuple(grants)


def _required(environ: Mapping[str, str], name: str) -> str:
    value = environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"{name} 必须设置（启用目录登录时）/ required when FAZHI_LDAP_URI is set"
        )
    return value


def _bool(environ: Mapping[str, str], name: str) -> bool:
    value = environ.get(name, "").strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"", "0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, got {value!r}")


def _seconds(environ: Mapping[str, str], name: str, default: float) -> float:
    value = environ.get(name, "").strip()
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0
    if seconds <= 0:
        raise ImproperlyConfigured(f"{name} must be a positive number of seconds, got {value!r}")
    return seconds


def directory_settings(environ: Mapping[str, str], backends: list[str]) -> dict[str, Any]:
    """The settings that turn directory sign-in on. `backends` are the ones already configured:
    the directory comes after them, so django-axes (first) throttles it and local accounts are
    checked without a round trip to the directory."""
    uri = _required(environ, "FAZHI_LDAP_URI")
    if not uri.lower().startswith(("ldap://", "ldaps://", "ldapi://")):
        raise ImproperlyConfigured(
            f"FAZHI_LDAP_URI must start with ldap://, ldaps:// or ldapi://, got {uri!r}"
        )
    group_type_name = environ.get("FAZHI_LDAP_GROUP_TYPE", "").strip() or "groupOfNames"
    if group_type_name not in GROUP_TYPES:
        raise ImproperlyConfigured(
            f"FAZHI_LDAP_GROUP_TYPE must be one of {', '.join(GROUP_TYPES)}, got {group_type_name!r}"
        )
    group_type, group_filter = GROUP_TYPES[group_type_name]
    user_filter = environ.get("FAZHI_LDAP_USER_FILTER", "").strip() or "(uid=%(user)s)"
    if "%(user)s" not in user_filter:
        raise ImproperlyConfigured(
            f"FAZHI_LDAP_USER_FILTER must contain %(user)s, got {user_filter!r}"
        )
    timeout = _seconds(environ, "FAZHI_LDAP_TIMEOUT", 5)
    options: dict[int, Any] = {
        # A directory that does not answer must not hold a sign-in (and a worker) for minutes.
        ldap.OPT_NETWORK_TIMEOUT: timeout,
        ldap.OPT_TIMEOUT: timeout,
        # Active Directory answers searches at the domain root with referrals nobody can follow.
        ldap.OPT_REFERRALS: 0,
    }
    ca_file = environ.get("FAZHI_LDAP_CA_FILE", "").strip()
    if ca_file:
        if not Path(ca_file).is_file():
            raise ImproperlyConfigured(f"FAZHI_LDAP_CA_FILE: no such file {ca_file!r}")
        options[ldap.OPT_X_TLS_CACERTFILE] = ca_file
        options[ldap.OPT_X_TLS_NEWCTX] = 0  # applies the options above to this connection
    return {
        "AUTHENTICATION_BACKENDS": [*[b for b in backends if b != BACKEND], BACKEND],
        "AUTH_LDAP_SERVER_URI": uri,
        "AUTH_LDAP_BIND_DN": environ.get("FAZHI_LDAP_BIND_DN", "").strip(),
        "AUTH_LDAP_BIND_PASSWORD": environ.get("FAZHI_LDAP_BIND_PASSWORD", ""),
        "AUTH_LDAP_USER_SEARCH": ldap_config.LDAPSearch(
            _required(environ, "FAZHI_LDAP_USER_SEARCH_BASE"), ldap.SCOPE_SUBTREE, user_filter
        ),
        "AUTH_LDAP_GROUP_SEARCH": ldap_config.LDAPSearch(
            _required(environ, "FAZHI_LDAP_GROUP_SEARCH_BASE"),
            ldap.SCOPE_SUBTREE,
            environ.get("FAZHI_LDAP_GROUP_FILTER", "").strip() or group_filter,
        ),
        "AUTH_LDAP_GROUP_TYPE": group_type(),
        "AUTH_LDAP_START_TLS": _bool(environ, "FAZHI_LDAP_START_TLS"),
        "AUTH_LDAP_CONNECTION_OPTIONS": options,
        # fazhi.core.directory.actions writes the user, its profile and its roles itself, in one
        # audited transaction; the library only binds and searches.
        "AUTH_LDAP_ALWAYS_UPDATE_USER": False,
        # No cached group lists: a group the directory dropped takes its role at the next sign-in.
        "AUTH_LDAP_CACHE_TIMEOUT": 0,
        "FAZHI_LDAP_ROLE_MAP": load_role_map(environ.get("FAZHI_LDAP_ROLE_MAP", "")),
    }
