"""The sign-in locks in force, read from django-axes' attempts (fazhi/core/web/signin.py).

Two kinds, as the sign-in handler applies them:
- ACCOUNT: a username at one address, after AXES_FAILURE_LIMIT failures there;
- ADDRESS: an address, after FAZHI_LOGIN_ADDRESS_FAILURE_LIMIT failures over all usernames.

Who sees a lock (the door to locks, like `managed_users` is the door to accounts):
- an ACCOUNT lock on an account the admin manages (its 所属单位 in the admin's MANAGE subtree);
- an ACCOUNT lock on a username that names no account, and every ADDRESS lock, only to
  installation-wide admins: superusers and admins whose MANAGE covers a root unit. Such locks
  belong to no unit, and an address throttle spans every account behind that address;
- superusers see every lock (also those on superuser accounts, which no unit admin manages).
Any other lock answers like a missing one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import Http404
from django.utils import timezone

from fazhi.core.tenancy.access import AnyUser, managed_unit_ids, managed_users
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.tenancy.names import display_name

ACCOUNT = "account"
ADDRESS = "address"
KIND_LABELS = {ACCOUNT: "账号在该地址锁定", ADDRESS: "该地址全部登录暂停"}


@dataclass(frozen=True)
class Lock:
    kind: str
    username: str  # "" for an address lock
    address: str
    failures: int
    since: dt.datetime  # the failure that set the lock off (refused tries change nothing)
    lifts_at: dt.datetime
    user: Any = None  # the account the username names, if any

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def real_name(self) -> str:
        return display_name(self.user)

    @property
    def unit_code(self) -> str:
        profile = getattr(self.user, "profile", None) if self.user is not None else None
        return profile.unit.code if profile is not None and profile.unit else ""


def cool_off() -> dt.timedelta:
    return get_cool_off() or dt.timedelta(0)


def _lifts_at(rows: list[tuple[int, dt.datetime]], limit: int) -> dt.datetime | None:
    """When the failures still inside the window drop under the limit: each attempt row leaves
    the window AXES_COOLOFF_TIME after its last failure, the oldest first. None: not locked."""
    total = sum(failures for failures, _ in rows)
    if total < limit:
        return None
    for failures, at in sorted(rows, key=lambda row: row[1]):
        total -= failures
        if total < limit:
            return at + cool_off()
    raise AssertionError("unreachable: the last row brings the total to zero")


def unscoped_current_locks(now: dt.datetime | None = None) -> list[Lock]:
    """Every lock in force, of every account (past the door: callers filter through
    `locks_visible_to`)."""
    now = now or timezone.now()
    attempts = AccessAttempt.objects.filter(attempt_time__gte=now - cool_off()).values_list(
        "username", "ip_address", "failures_since_start", "attempt_time"
    )
    by_pair: dict[tuple[str, str], list[tuple[int, dt.datetime]]] = defaultdict(list)
    by_address: dict[str, list[tuple[int, dt.datetime]]] = defaultdict(list)
    for username, address, failures, at in attempts:
        if address is None:
            continue
        by_pair[(username or "", address)].append((failures, at))
        by_address[address].append((failures, at))
    found: list[Lock] = []
    for kind, groups, limit in (
        (ACCOUNT, by_pair, settings.AXES_FAILURE_LIMIT),
        (ADDRESS, {("", a): rows for a, rows in by_address.items()}, _address_limit()),
    ):
        for (username, address), rows in groups.items():
            lifts = _lifts_at(rows, limit)
            if lifts is not None and lifts > now:
                found.append(
                    Lock(
                        kind=kind,
                        username=username,
                        address=address,
                        failures=sum(f for f, _ in rows),
                        since=max(at for _, at in rows),
                        lifts_at=lifts,
                    )
                )
    found.sort(key=lambda lock: lock.since, reverse=True)
    return _with_accounts(found)


def _address_limit() -> int:
    return int(settings.FAZHI_LOGIN_ADDRESS_FAILURE_LIMIT)


def _with_accounts(locks: list[Lock]) -> list[Lock]:
    names = {lock.username for lock in locks if lock.username}
    accounts = {
        u.username: u
        for u in get_user_model()
        .objects.filter(username__in=names)
        .select_related("profile", "profile__unit")
    }
    return [
        replace(lock, user=accounts.get(lock.username)) if lock.username else lock for lock in locks
    ]


def installation_wide(admin: AnyUser) -> bool:
    """Superusers, and admins whose MANAGE covers a root unit (the top of a unit tree)."""
    if getattr(admin, "is_superuser", False) and admin.is_active:
        return True
    ids = managed_unit_ids(admin)
    return bool(ids) and OrgUnit.objects.filter(id__in=ids, parent__isnull=True).exists()


def locks_visible_to(admin: AnyUser, locks: Iterable[Lock] | None = None) -> list[Lock]:
    """The door to locks (see the module docstring)."""
    locks = unscoped_current_locks() if locks is None else list(locks)
    if not managed_unit_ids(admin):
        return []
    if getattr(admin, "is_superuser", False):
        return list(locks)
    wide = installation_wide(admin)
    names = {lock.username for lock in locks if lock.user is not None}
    managed = set(
        managed_users(admin).filter(username__in=names).values_list("username", flat=True)
    )
    return [
        lock
        for lock in locks
        if (lock.user is not None and lock.username in managed)
        or (wide and (lock.kind == ADDRESS or lock.user is None))
    ]


def get_lock_for_admin_or_404(admin: AnyUser, *, kind: str, username: str, address: str) -> Lock:
    """One lock through the door; one of an account the admin does not manage, one that has
    lifted by itself and one that never was all answer alike."""
    for lock in locks_visible_to(admin):
        if (lock.kind, lock.address) == (kind, address) and (
            kind == ADDRESS or lock.username == username
        ):
            return lock
    raise Http404("未找到该锁定")
