"""A directory sign-in, as one action: the account, its 所属单位 and the roles the directory
grants, brought in line with what the directory said, audited in the same transaction.

The backend calls it after every network call is done (bind, user and group search), so no
database transaction waits on the directory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from fazhi.core.audit.models import record_event
from fazhi.core.directory.config import GroupGrant, normalize_dn
from fazhi.core.directory.models import DirectoryAccount, DirectoryGrant
from fazhi.core.tenancy.models import Membership, OrgUnit, UserProfile
from fazhi.core.tenancy.roles import ROLES


@dataclass(frozen=True)
class SignIn:
    """What a directory sign-in came to: the user, or None and why not (for the log only: the
    login page says the same generic thing for every refusal)."""

    user: Any
    refused: str = ""


@dataclass(frozen=True)
class _Wanted:
    unit: OrgUnit
    role: str
    group_dn: str


def _wanted(role_map: tuple[GroupGrant, ...], group_dns: set[str]) -> list[_Wanted]:
    """The roles the user's groups grant, in the map's order, in active units only (a deactivated
    unit takes no new people)."""
    groups = {normalize_dn(dn) for dn in group_dns}
    mapped = [g for g in role_map if g.group_dn in groups]
    units = OrgUnit.objects.in_bulk([g.unit_code for g in mapped], field_name="code")
    wanted: list[_Wanted] = []
    seen: set[tuple[int, str]] = set()
    for g in mapped:
        unit = units.get(g.unit_code)
        if unit is None or not unit.active or g.role not in ROLES or (unit.pk, g.role) in seen:
            continue
        seen.add((unit.pk, g.role))
        wanted.append(_Wanted(unit, g.role, g.group_dn))
    return wanted


def sign_in_from_directory(
    *, username: str, dn: str, name: str, group_dns: set[str], role_map: tuple[GroupGrant, ...]
) -> SignIn:
    """Called once the directory accepted the password. The actor of the audit events is the
    system (the directory), not the person signing in."""
    username = username.strip().lower()
    name = name.strip()[:150]
    with transaction.atomic():
        # Two sign-ins of one person at once sync one after the other.
        user = (
            get_user_model().objects.select_for_update().filter(username__iexact=username).first()
        )
        wanted = _wanted(role_map, group_dns)
        if user is None:
            if not wanted:
                return SignIn(None, "no mapped group")
            user = _create(username=username, dn=dn, name=name, unit=wanted[0].unit)
        else:
            account = DirectoryAccount.objects.filter(user=user).first()
            if account is None:
                # A local account of the same name is never taken over: it may hold roles
                # granted by hand (an admin's, say) that a directory entry must not inherit.
                return SignIn(None, "a local account has this username")
            if not user.is_active:
                return SignIn(None, "the account is deactivated in fazhi")
            _update(user, account, dn=dn, name=name, unit=wanted[0].unit if wanted else None)
        _sync_memberships(user, wanted)
        if not wanted:
            return SignIn(None, "no mapped group")
    return SignIn(user)


def _create(*, username: str, dn: str, name: str, unit: OrgUnit) -> Any:
    user = get_user_model()(username=username, first_name=name)
    user.set_unusable_password()
    user.save()
    UserProfile.objects.create(user=user, unit=unit)
    DirectoryAccount.objects.create(user=user, dn=dn, synced_at=timezone.now())
    record_event(
        "directory.user.created",
        by=None,
        unit_code=unit.code,
        object_type="user",
        object_id=username,
        data={"dn": dn, "name": name},
    )
    return user


def _update(
    user: Any, account: DirectoryAccount, *, dn: str, name: str, unit: OrgUnit | None
) -> None:
    changes: dict[str, Any] = {}
    if name and user.first_name != name:
        changes["name"] = [user.first_name, name]
        user.first_name = name
    if user.has_usable_password():
        # The password lives in the directory; one set in fazhi would be a second way in.
        changes["password"] = "unusable"
        user.set_unusable_password()
    if changes:
        user.save(update_fields=["first_name", "password"])
    profile, _ = UserProfile.objects.get_or_create(user=user)
    if unit is not None and profile.unit_id != unit.pk:
        changes["unit"] = [profile.unit.code if profile.unit else None, unit.code]
        profile.unit = unit
        profile.save(update_fields=["unit"])
    if account.dn != dn:
        changes["dn"] = [account.dn, dn]
        account.dn = dn
    account.synced_at = timezone.now()
    account.save(update_fields=["dn", "synced_at"])
    if changes:
        record_event(
            "directory.user.updated",
            by=None,
            unit_code=unit.code if unit else "",
            object_type="user",
            object_id=user.username,
            data=changes,
        )


def _sync_memberships(user: Any, wanted: list[_Wanted]) -> None:
    """Add the roles the directory grants and the user lacks; remove those it granted before and
    grants no more. Memberships granted by hand have no DirectoryGrant and are left alone."""
    held = {
        (m.unit_id, m.role): m
        for m in Membership.objects.filter(user=user).select_related("unit", "directory_grant")
    }
    keep: set[tuple[int, str]] = set()
    for w in wanted:
        key = (w.unit.pk, w.role)
        keep.add(key)
        if key in held:
            continue  # already held, from the directory or by hand
        membership = Membership.objects.create(user=user, unit=w.unit, role=w.role)
        DirectoryGrant.objects.create(membership=membership, group_dn=w.group_dn)
        record_event(
            "directory.membership.added",
            by=None,
            unit_code=w.unit.code,
            object_type="user",
            object_id=user.username,
            data={"role": w.role, "group": w.group_dn},
        )
    for key, membership in held.items():
        grant = getattr(membership, "directory_grant", None)
        if grant is None or key in keep:
            continue
        record_event(
            "directory.membership.removed",
            by=None,
            unit_code=membership.unit.code,
            object_type="user",
            object_id=user.username,
            data={"role": membership.role, "group": grant.group_dn},
        )
        membership.delete()
