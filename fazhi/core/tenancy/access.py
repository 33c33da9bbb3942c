"""The one door to tenant data (DESIGN invariant 1).

Lists come from `Model.objects.visible_to(user)`; single objects from `get_for_user_or_404`.
A record of a unit the user cannot see answers exactly like a missing one: 404. Anything that
must look past the door is named `unscoped_…` so it stands out in review.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection, models
from django.http import Http404

from fazhi.core.tenancy.models import Membership, OrgUnit
from fazhi.core.tenancy.roles import Permission, get_role

AnyUser = AbstractBaseUser | AnonymousUser
M = TypeVar("M", bound=models.Model)
_CACHE_ATTR = "_fazhi_access"


class UnitName(NamedTuple):
    """What a page shows of a unit the user may see: read with the door, not queried again."""

    code: str
    name: str
    path: str


@dataclass(frozen=True)
class Access:
    """What one user may see and do, resolved against the unit tree."""

    grants: dict[int, frozenset[Permission]]  # unit id -> permissions there
    # The same units' codes and names (a list's unit choice and its rows' 单位 column).
    units: Mapping[int, UnitName] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
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


_UNIT_COLUMNS = ("id", "code", "name", "path")


def _resolve(user: AnyUser) -> Access:
    if not user.is_authenticated or not user.is_active:
        return Access({})
    if getattr(user, "is_superuser", False):
        rows = list(OrgUnit.objects.values_list(*_UNIT_COLUMNS))
        return Access(
            dict.fromkeys((r[0] for r in rows), frozenset(Permission)),
            {r[0]: UnitName(*r[1:]) for r in rows},
        )
    grants: dict[int, frozenset[Permission]] = {}
    units: dict[int, UnitName] = {}
    # One query: each membership's unit and every unit below it, with the membership's role
    # (a role that does not see its subtree keeps only its own unit's row).
    for role_code, member_unit, unit_id, code, name, path in _memberships_and_below(user.pk):
        role = get_role(role_code)
        if unit_id == member_unit or role.sees_subtree:
            held = grants.get(unit_id)
            grants[unit_id] = role.permissions if held is None else held | role.permissions
            units[unit_id] = UnitName(code, name, path)
    return Access(grants, units)


def _memberships_and_below(user_id: Any) -> list[tuple[Any, ...]]:
    q = connection.ops.quote_name
    member, unit = q(Membership._meta.db_table), q(OrgUnit._meta.db_table)
    # A path is ids and slashes ("/1/4/"): no LIKE wildcard can occur in it.
    sql = (
        f"SELECT m.role, m.unit_id, d.id, d.code, d.name, d.path FROM {member} m "
        f"JOIN {unit} p ON p.id = m.unit_id JOIN {unit} d ON d.path LIKE p.path || '%%' "
        "WHERE m.user_id = %s"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [user_id])
        return list(cur.fetchall())


def access_for_token(actor: AnyUser, unit: OrgUnit, permissions: Iterable[Permission]) -> Access:
    """The door for an API token (`fazhi.core.api`): the unit it was issued to and every unit
    below, with the token's permissions, never its account's memberships (it has none). Bound to
    the token's account for the request, so every action the API calls sees exactly this."""
    perms = frozenset(permissions)
    below = list(OrgUnit.objects.filter(path__startswith=unit.path).values_list(*_UNIT_COLUMNS))
    access = Access({r[0]: perms for r in below}, {r[0]: UnitName(*r[1:]) for r in below})
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


def visible_unit_names(user: AnyUser) -> list[tuple[str, str]]:
    """(code, name) of the units the user may see, in tree order: `visible_units`' codes and
    names as the door read them (no query of its own)."""
    units = access_for(user).units
    return [(u.code, u.name) for u in sorted(units.values(), key=lambda u: u.path)]


def with_units(user: AnyUser, records: Iterable[M]) -> list[M]:
    """The records, each with its `unit` set from what the door read (code, name, path; any
    other field of it loads when read), so a list's 单位 column costs no join. A record of a
    unit the door did not read keeps its own (lazy) unit."""
    units = access_for(user).units
    found: dict[int, OrgUnit] = {}
    out = list(records)
    for r in out:
        unit_id = r.unit_id  # type: ignore[attr-defined]
        u = found.get(unit_id)
        if u is None and unit_id in units:
            u = found[unit_id] = OrgUnit.from_db(
                r._state.db, list(_UNIT_COLUMNS), (unit_id, *units[unit_id])
            )
        if u is not None:
            r.unit = u  # type: ignore[attr-defined]
    return out


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
