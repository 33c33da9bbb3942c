"""Account actions: change and reset passwords, record and lift sign-in locks.

Ending sessions: Django keeps in each session an HMAC of the password hash it was opened with
and drops the session at its next request once the password differs. So a new password ends
every session of the account; a self-service change keeps the caller's own one by
`update_session_auth_hash` (the view does it: it holds the request).
"""

from __future__ import annotations

import secrets
from typing import Any

from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from fazhi.core.accounts.locks import ACCOUNT, Lock, unscoped_current_locks
from fazhi.core.audit.models import record_event
from fazhi.core.tenancy.models import UserProfile

DIRECTORY_MANAGED = "您的密码由单位统一身份认证（目录）管理，请在目录中修改"
DIRECTORY_MANAGED_RESET = (
    "该账号的密码由单位统一身份认证（目录）管理，请在目录中修改，本系统不能重置"
)
STALE_RESET = (
    "该账号的密码在您打开本页之后已被修改或重置（可能是重复点击），本次未再重置。"
    "如您没有看到新的一次性密码，请重新进入本页重置。"
)
# One-time passwords are read out or written down: no 0/O, 1/l/I.
ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
ONE_TIME_LENGTH = 12


class AccountError(ValueError):
    """A refused account action; the messages are for the user, in Chinese."""

    def __init__(self, *messages: str) -> None:
        super().__init__("；".join(messages))
        self.messages_list = list(messages)


def _unit_code(user: Any) -> str:
    profile = UserProfile.objects.filter(user_id=user.pk).select_related("unit").first()
    return profile.unit.code if profile is not None and profile.unit else ""


def password_state(user: Any) -> str:
    """A fingerprint of the account's current password, carried by the reset page so that a
    second submission of the same page (a double click, a reload) finds it changed."""
    return salted_hmac("fazhi.accounts.reset", user.password).hexdigest()[:32]


def _locked_user(user: Any) -> Any:
    return get_user_model().objects.select_for_update().get(pk=user.pk)


def check_new_password(user: Any, password: str) -> None:
    """The rules a password the account's holder chooses must meet (AUTH_PASSWORD_VALIDATORS,
    the same `add_user` applies), and it must not be the current one."""
    if user.check_password(password):
        raise AccountError("新密码不能与原密码相同。")
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise AccountError(*exc.messages) from exc


def change_password(*, user: Any, new_password: str, by: Any) -> None:
    """The account's holder sets a new password (the view has checked the old one)."""
    with transaction.atomic():
        locked = _locked_user(user)
        if not locked.has_usable_password():
            raise AccountError(DIRECTORY_MANAGED)
        check_new_password(locked, new_password)
        locked.set_password(new_password)
        locked.save(update_fields=["password"])
        UserProfile.objects.update_or_create(
            user=locked,
            defaults={"must_change_password": False, "password_changed_at": timezone.now()},
        )
        record_event(
            "accounts.password.changed",
            by=by,
            unit_code=_unit_code(locked),
            object_type="user",
            object_id=locked.get_username(),
        )
    user.password = locked.password


def one_time_password(user: Any) -> str:
    """A password to read out once (no look-alike characters) that passes the password rules."""
    while True:
        candidate = "".join(secrets.choice(ALPHABET) for _ in range(ONE_TIME_LENGTH))
        try:
            validate_password(candidate, user)
        except ValidationError:
            continue  # all digits, or too like the login name: draw again
        return candidate


def reset_password(*, user: Any, by: Any, seen_state: str | None = None) -> str:
    """Give the account a one-time password, to be changed at its next sign-in, and end all of
    its sessions. Returns the password: the only copy (only its hash is stored, the audit event
    names no password). With `seen_state` (the reset page's `password_state`), a password that
    changed since that page was shown is not reset again: of two clicks, one resets."""
    if by is not None and getattr(by, "pk", None) == user.pk:
        raise AccountError("不能重置自己的密码，请在「修改密码」页面修改。")
    with transaction.atomic():
        # The row lock orders two resets at once; the second then sees the first's password.
        locked = _locked_user(user)
        if not locked.has_usable_password():
            raise AccountError(DIRECTORY_MANAGED_RESET)
        if seen_state is not None and not constant_time_compare(seen_state, password_state(locked)):
            raise AccountError(STALE_RESET)
        password = one_time_password(locked)
        locked.set_password(password)
        locked.save(update_fields=["password"])
        UserProfile.objects.update_or_create(user=locked, defaults={"must_change_password": True})
        record_event(
            "accounts.password.reset",
            by=by,
            unit_code=_unit_code(locked),
            object_type="user",
            object_id=locked.get_username(),
        )
    user.password = locked.password
    return password


def record_lock(*, username: str, address: str) -> None:
    """Audit a lock that has just set in (called from axes' `user_locked_out`)."""
    current = [lock for lock in unscoped_current_locks() if lock.address == address]
    lock = next(
        (x for x in current if x.kind == ACCOUNT and x.username == (username or "")), None
    ) or next((x for x in current if x.kind != ACCOUNT), None)
    if lock is None:
        return
    with transaction.atomic():
        _lock_event("accounts.lock.locked", lock, by=None)


def lift_lock(*, lock: Lock, by: Any) -> int:
    """Lift a lock before its time: forget the failures it counts (axes' attempts of that
    username at that address, or of that whole address). Returns the attempts forgotten."""
    attempts = AccessAttempt.objects.filter(ip_address=lock.address)  # unscoped_: axes' rows
    if lock.kind == ACCOUNT:
        attempts = attempts.filter(username=lock.username)
    with transaction.atomic():
        removed, _ = attempts.delete()
        _lock_event("accounts.lock.lifted", lock, by=by)
    return removed


def _lock_event(code: str, lock: Lock, *, by: Any) -> None:
    record_event(
        code,
        by=by,
        unit_code=lock.unit_code,
        object_type="user" if lock.kind == ACCOUNT else "address",
        object_id=(lock.username if lock.kind == ACCOUNT else lock.address)[:64],
        data={
            "kind": lock.kind,
            "username": lock.username,
            "address": lock.address,
            "failures": lock.failures,
            "lifts_at": lock.lifts_at,
        },
    )
