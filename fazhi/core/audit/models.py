"""Append-only audit events with dotted codes (`disclosure.application.extended`).

No foreign keys: an event outlives the user, unit or record it names. Rows are never updated or
deleted; the model refuses it and a database trigger (see the migration) backs that up.

Who reads them (`visible_to`): a user sees the events whose `unit_code` is a unit where they
hold `Permission.AUDIT` — a 街道's leader its 街道, a district supervisor or admin the whole
subtree. Events of no unit (the calendar, report reviews, tasks started without a unit) concern
the whole system: only users holding AUDIT at a top unit (one without a parent) and superusers
see them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q

from fazhi.core.tenancy.access import units_where
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.tenancy.roles import Permission


class AppendOnlyError(Exception):
    pass


_SCOPE_ATTR = "_fazhi_audit_scope"


@dataclass(frozen=True)
class AuditScope:
    units: list[OrgUnit]  # where the user holds AUDIT, in tree order
    system: bool  # and the events of no unit


def audit_scope(user: AbstractBaseUser | AnonymousUser) -> AuditScope:
    """Where `user` reads the audit trail; resolved once per request (kept on the user, as
    `access_for` keeps the access it resolves)."""
    cached = getattr(user, _SCOPE_ATTR, None)
    if cached is not None:
        return cached
    units = units_where(user, Permission.AUDIT, inactive_too=True)
    scope = AuditScope(units, any(u.parent_id is None for u in units))
    if user.is_authenticated:
        setattr(user, _SCOPE_ATTR, scope)
    return scope


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> AuditQuerySet:
        """The door to the audit trail (see the module's docstring)."""
        if getattr(user, "is_superuser", False) and user.is_active:
            return self.all()
        scope = audit_scope(user)
        if not scope.units:
            return self.none()
        seen = Q(unit_code__in=[u.code for u in scope.units])
        if scope.system:
            seen |= Q(unit_code="")
        return self.filter(seen)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("审计日志只能追加，不能删除")

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("审计日志只能追加，不能修改")


class AuditEvent(models.Model):
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    code = models.CharField("事件", max_length=100, db_index=True)
    actor_id = models.BigIntegerField("操作人ID", null=True)
    actor = models.CharField("操作人", max_length=150, blank=True)
    unit_code = models.CharField("单位代码", max_length=64, blank=True, db_index=True)
    object_type = models.CharField("对象类型", max_length=64, blank=True)
    object_id = models.CharField("对象", max_length=64, blank=True)
    data = models.JSONField("内容", default=dict, encoder=DjangoJSONEncoder)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            # The audit page's filters by actor and by code, newest first: without them a code
            # shared by a tenth of the table is sorted whole, a rare actor's found by a scan.
            models.Index(fields=["actor_id", "at"], name="audit_actor_at_idx"),
            models.Index(fields=["code", "at"], name="audit_code_at_idx"),
        ]
        verbose_name = "审计事件"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.code}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("审计日志只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("审计日志只能追加，不能删除")


def record_event(
    code: str,
    *,
    by: AbstractBaseUser | AnonymousUser | None,
    unit_code: str = "",
    object_type: str = "",
    object_id: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one event. Call it inside the action's transaction so both commit or neither does."""
    actor_id = getattr(by, "pk", None) if by is not None else None
    actor = by.get_username() if by is not None and actor_id is not None else "系统"
    return AuditEvent.objects.create(
        code=code,
        actor_id=actor_id,
        actor=actor,
        unit_code=unit_code,
        object_type=object_type,
        object_id=object_id,
        data=data or {},
    )
