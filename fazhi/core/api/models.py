"""API tokens (ADR 0014): one per platform and unit, stored as a sha256 digest only.

Each token acts through an account of its own (`actor`: no password, no role, no 所属单位), so
the records it registers, the timeline and the audit trail name it like any clerk. What the
account may see and do is not read from memberships but given by the token's door
(`fazhi.core.tenancy.access.access_for_token`): the token's unit and everything below it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from fazhi.core.tenancy.access import TenantQuerySet
from fazhi.core.tenancy.models import OrgUnit


class Scope(models.TextChoices):
    READ = "read", "只读（查询）"
    WRITE = "write", "读写（查询、推送新增和更新）"


class ApiTokenQuerySet(TenantQuerySet["ApiToken"]):
    def usable(self) -> ApiTokenQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    unit = models.ForeignKey(
        OrgUnit, verbose_name="所属单位", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("名称", max_length=100)
    # The public part of the token ("fz_" + 10 hex digits): shown in lists, found by index.
    key = models.CharField("令牌标识", max_length=16, unique=True)
    digest = models.CharField(max_length=64)  # sha256 hex of the whole token
    scope = models.CharField("权限", max_length=8, choices=Scope.choices, default=Scope.READ)
    actor = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_token"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    expires_at = models.DateTimeField("有效期至", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "接口令牌"
        verbose_name_plural = verbose_name
        constraints = [
            # Revoked by someone implies revoked (the command-line operator revokes as nobody).
            models.CheckConstraint(
                condition=Q(revoked_by__isnull=True) | Q(revoked_at__isnull=False),
                name="api_token_revoked_by_with_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.key}）"

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "已吊销"
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return "已过期"
        if not self.unit.active:
            return "单位已停用"
        return "有效"
