"""Issuing, revoking and checking API tokens (ADR 0014), and the admin's door to them.

A token reads `fz_<key>_<secret>`: the key (10 hex digits) is public and indexed, the secret
(32 random bytes) is shown once when the token is issued; only the sha256 digest of the whole
token is stored, compared in constant time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone

from fazhi.core.api.models import ApiToken, Scope
from fazhi.core.audit.models import record_event
from fazhi.core.tenancy.access import access_for_token, managed_unit_ids
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.tenancy.roles import Permission
from fazhi.textclean import strip_controls

TOKEN_RE = re.compile(r"fz_([0-9a-f]{10})_([A-Za-z0-9_-]{43})")
# What a token may do at its unit and below. A write token registers and corrects records (the
# API's upsert); it never approves, reviews or administers.
SCOPE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Scope.READ: frozenset({Permission.VIEW}),
    Scope.WRITE: frozenset({Permission.VIEW, Permission.REGISTER, Permission.HANDLE}),
}
# last_used_at is written at most this often per token: a platform pushing ten orders a second
# should not turn every read into a write.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class Issued:
    token: ApiToken
    secret: str  # the whole token, shown once and never stored


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _check_managed(by: Any, unit: OrgUnit) -> None:
    """An admin issues and revokes tokens only in its subtree; the operator (by=None) anywhere."""
    if by is not None and unit.pk not in managed_unit_ids(by):
        raise ValueError("未找到该单位")


def issue_token(
    *, unit: OrgUnit, name: str, scope: str, by: Any, expires_on: dt.date | None = None
) -> Issued:
    name = strip_controls(name).strip()
    if not name:
        raise ValueError("请填写令牌名称（如对接的平台）")
    if len(name) > 100:
        raise ValueError("令牌名称不能超过100个字")
    if scope not in Scope.values:
        raise ValueError("权限无效：应为只读或读写")
    _check_managed(by, unit)
    if not OrgUnit.objects.filter(pk=unit.pk, active=True).exists():
        raise ValueError(f"「{unit.name}」已停用，不能新建令牌")
    expires_at = None
    if expires_on is not None:
        if expires_on <= timezone.localdate():
            raise ValueError("有效期须晚于今天")
        # Valid through the whole of its last day, in the installation's time zone.
        expires_at = timezone.make_aware(
            dt.datetime.combine(expires_on + dt.timedelta(days=1), dt.time())
        )
    key = "fz_" + secrets.token_hex(5)
    raw = f"{key}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        # The token's own account: it signs the records, events and audit rows the token
        # writes. No password (it cannot sign in), no role, no 所属单位 (no admin page lists it).
        actor = get_user_model()(username=f"api:{key}", first_name=f"接口令牌：{name}"[:150])
        actor.set_unusable_password()
        actor.save()
        token = ApiToken.objects.create(
            unit=unit,
            name=name,
            key=key,
            digest=digest(raw),
            scope=scope,
            actor=actor,
            created_by=by if getattr(by, "pk", None) else None,
            expires_at=expires_at,
        )
        record_event(
            "api.token.created",
            by=by,
            unit_code=unit.code,
            object_type="api_token",
            object_id=key,
            data={"name": name, "scope": scope, "expires_on": expires_on},
        )
    return Issued(token, raw)


def revoke_token(*, token: ApiToken, by: Any) -> ApiToken:
    _check_managed(by, token.unit)
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().select_related("unit").get(pk=token.pk)
        if locked.revoked_at is not None:
            raise ValueError(f"令牌「{locked.name}」已吊销")
        locked.revoked_at = timezone.now()
        locked.revoked_by = by if getattr(by, "pk", None) else None
        locked.save(update_fields=["revoked_at", "revoked_by"])
        get_user_model().objects.filter(pk=locked.actor_id).update(is_active=False)
        record_event(
            "api.token.revoked",
            by=by,
            unit_code=locked.unit.code,
            object_type="api_token",
            object_id=locked.key,
            data={"name": locked.name},
        )
    return locked


def authenticate(raw: str) -> ApiToken | None:
    """The token a request presents, if it is usable (known, unrevoked, unexpired, its digest
    matching, its unit active: a deactivated unit takes no new work, from a clerk or a
    platform); its account then acts through the token's door."""
    match = TOKEN_RE.fullmatch(raw)
    if match is None:
        return None
    token = (
        unscoped_tokens()
        .usable()
        .select_related("unit", "actor")
        .filter(key=f"fz_{match.group(1)}")
        .first()
    )
    if token is None or not hmac.compare_digest(token.digest, digest(raw)):
        return None
    if not token.actor.is_active or not token.unit.active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    access_for_token(token.actor, token.unit, SCOPE_PERMISSIONS[token.scope])
    return token


def unscoped_tokens() -> Any:
    """Every token: only for checking the one a request presents and for the operator."""
    return ApiToken.objects.all()


def managed_tokens(admin: Any) -> models.QuerySet[ApiToken]:
    """The admin's door to tokens: those of the units it manages."""
    return ApiToken.objects.filter(unit_id__in=managed_unit_ids(admin)).select_related(
        "unit", "created_by", "revoked_by"
    )


def get_managed_token_or_404(admin: Any, pk: Any) -> ApiToken:
    try:
        return managed_tokens(admin).get(pk=pk)
    except (ApiToken.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到该令牌") from exc


def max_body_bytes() -> int:
    return int(settings.FAZHI_API_MAX_BODY_BYTES)
