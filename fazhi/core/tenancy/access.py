"""The one door to tenant data (DESIGN invariant 1).

Lists come from `Model.objects.visible_to(user)`; single objects from `get_for_user_or_404`.
A record of a unit the user cannot see answers exactly like a missing one: 404. Anything that
must look past the door is named `unscoped_…` so it stands out in review.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.http import Http404

from fazhi.core.tenancy.models import Membership, OrgUnit
from fazhi.core.tenancy.roles import Permission, get_role

AnyUser = AbstractBaseUser | AnonymousUser
M = TypeVar("M", bound=models.Model)
_CACHE_ATTR = "_fazhi_access"


@dataclass(frozen=True)
class Access:
    """What one user may see and do, resolved against the unit tree."""

    grants: dict[int, frozenset[Permission]]  # unit id -> permissions there

    @property
    def unit_ids(self) -> frozenset[int]:
        return frozenset(self.grants)

    def can(self, unit_id: int | None, permission: Permission) -> bool:
        return unit_id is not None and permission in self.grants.get(unit_id, frozenset())

    def can_anywhere(self, permission: Permission) -> bool:
        return any(permission in perms for perms in self.grants.values())


def access_for(user: AnyUser) -> Access:
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    access = _resolve(user)
    if user.is_authenticated:
        setattr(user, _CACHE_ATTR, access)
    return access


def _resolve(user: AnyUser) -> Access:
    if not user.is_authenticated or not user.is_active:
        return Access({})
    grants: dict[int, set[Permission]] = {}
    if getattr(user, "is_superuser", False):
        return Access({unit_id: frozenset(Permission) for unit_id in unscoped_all_unit_ids()})
    memberships = Membership.objects.filter(user_id=user.pk).select_related("unit")
    for m in memberships:
        role = get_role(m.role)
        grants.setdefault(m.unit_id, set()).update(role.permissions)
        if role.sees_subtree:
            below = OrgUnit.objects.filter(path__startswith=m.unit.path).values_list(
                "id", flat=True
            )
            for unit_id in below:
                grants.setdefault(unit_id, set()).update(role.permissions)
    return Access({k: frozenset(v) for k, v in grants.items()})


def access_for_token(actor: AnyUser, unit: OrgUnit, permissions: Iterable[Permission]) -> Access:
    """The door for an API token (`fazhi.core.api`): the unit it was issued to and every unit
    below, with the token's permissions, never its account's memberships (it has none). Bound to
    the token's account for the request, so every action the API calls sees exactly this."""
    perms = frozenset(permissions)
    below = OrgUnit.objects.filter(path__startswith=unit.path).values_list("id", flat=True)
    access = Access(dict.fromkeys(below, perms))
    setattr(actor, _CACHE_ATTR, access)
    return access


def unscoped_all_unit_ids() -> list[int]:
    return list(OrgUnit.objects.values_list("id", flat=True))


class AnyOf(models.lookups.In):
    """`field__any_of=ids`: `IN (…)`, but one array parameter on PostgreSQL (`= ANY(%s)`).

    A district supervisor's door holds 241 unit ids; as 241 placeholders on every list query
    the driver's client-side binding and Django's compiler cost more than the query's
    execution (bench/hotline_list_bench.py). The rows are the same as with `__in`."""

    lookup_name = "any_of"

    def get_prep_lookup(self) -> Any:
        # The door's ids are ints already: preparing each through the field (Django's `__in`
        # does, twice per value) was 241 calls a query, three queries a page.
        if isinstance(self.rhs, list | set | frozenset | tuple) and all(
            type(v) is int for v in self.rhs
        ):
            return sorted(self.rhs)
        return super().get_prep_lookup()

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        if not isinstance(self.rhs, list | set | frozenset | tuple):
            return self.as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = [v for v in self.rhs if v is not None]
        if values and all(type(v) is int for v in values):
            # One text parameter, '{1,2,…}', cast to the column's array type: the driver binds
            # it as one string instead of dumping 241 numbers one by one.
            kind = self.lhs.output_field.db_type(connection)
            array = "{" + ",".join(map(str, values)) + "}"
            return f"{lhs} = ANY(%s::{kind}[])", [*lhs_params, array]
        return f"{lhs} = ANY(%s)", [*lhs_params, values]


models.Field.register_lookup(AnyOf)
models.ForeignObject.register_lookup(AnyOf)  # `unit_id__any_of`: a foreign key's own lookups


class TenantQuerySet(models.QuerySet[M]):
    """Base queryset for tenant data: models with a `unit` foreign key to OrgUnit."""

    unit_field = "unit"

    def visible_to(self, user: AnyUser) -> TenantQuerySet[M]:
        ids = access_for(user).unit_ids
        if not ids:
            return self.none()
        return self.filter(**{f"{self.unit_field}_id__any_of": ids})


def get_for_user_or_404(queryset: models.QuerySet[M] | type[M], user: AnyUser, **lookup: Any) -> M:
    """The single-object door: a record the user may not see is indistinguishable from none."""
    qs: Any = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    if not hasattr(qs, "visible_to"):
        raise TypeError(f"{qs.model.__name__} has no tenant door (visible_to)")
    try:
        found: M = qs.visible_to(user).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到该记录") from exc
    return found


def visible_units(user: AnyUser) -> models.QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(id__any_of=access_for(user).unit_ids)


def get_unit_for_user_or_404(user: AnyUser, code: str) -> OrgUnit:
    if (
        "\x00" in code or len(code) > 64
    ):  # PostgreSQL rejects NUL in text; such a code exists nowhere
        raise Http404("未找到该单位")
    try:
        return visible_units(user).get(code=code)
    except OrgUnit.DoesNotExist as exc:
        raise Http404("未找到该单位") from exc


def units_where(
    user: AnyUser, permission: Permission, *, inactive_too: bool = False
) -> list[OrgUnit]:
    """Units where the user holds `permission`. A deactivated unit takes no new work, so it
    drops out unless the caller reads history (`inactive_too`: the audit trail)."""
    access = access_for(user)
    ids: Iterable[int] = [uid for uid, perms in access.grants.items() if permission in perms]
    units = OrgUnit.objects.filter(id__in=list(ids))
    if not inactive_too:
        units = units.filter(active=True)
    return list(units.order_by("path"))


def managed_unit_ids(user: AnyUser) -> frozenset[int]:
    """Units the user administers (MANAGE): an admin's unit and everything below it."""
    access = access_for(user)
    return frozenset(uid for uid, perms in access.grants.items() if Permission.MANAGE in perms)


def managed_users(admin: AnyUser) -> models.QuerySet[Any]:
    """The door to accounts: those whose 所属单位 (profile unit) the admin manages. Superusers
    are managed only from the command line."""
    from django.contrib.auth import get_user_model

    ids = managed_unit_ids(admin)
    if not ids:
        return get_user_model().objects.none()
    # An account that also holds a role outside the admin's subtree (a district admin whose
    # 所属单位 was moved into a 街道) is not the 街道 admin's to reset, rename or deactivate.
    elsewhere = Membership.objects.filter(user_id=models.OuterRef("pk")).exclude(unit_id__in=ids)
    return (
        get_user_model()
        .objects.filter(profile__unit_id__in=ids, is_superuser=False)
        .exclude(models.Exists(elsewhere))
        .select_related("profile", "profile__unit")
    )


def get_managed_user_or_404(admin: AnyUser, pk: Any) -> Any:
    """One account through the door: any other answers like a missing one."""
    try:
        return managed_users(admin).get(pk=pk)
    except (ValueError, TypeError, managed_users(admin).model.DoesNotExist) as exc:
        raise Http404("未找到该用户") from exc


def managed_units(admin: AnyUser) -> models.QuerySet[OrgUnit]:
    """The door to units for administration: the admin's MANAGE subtree, inactive ones too."""
    return OrgUnit.objects.filter(id__in=managed_unit_ids(admin))


def managed_memberships(admin: AnyUser) -> models.QuerySet[Membership]:
    """Roles the admin may see and revoke: at its units, of the accounts behind its door."""
    return Membership.objects.filter(
        unit_id__in=managed_unit_ids(admin), user__in=managed_users(admin)
    ).select_related("unit", "user")
