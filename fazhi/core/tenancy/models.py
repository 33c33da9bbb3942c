from __future__ import annotations

from django.conf import settings
from django.db import models

from fazhi.core.tenancy.roles import ROLE_CHOICES, get_role


class UnitKind(models.TextChoices):
    DISTRICT = "district", "区/县"
    STREET = "street", "街道/乡镇"
    COMMUNITY = "community", "社区/村"
    DEPARTMENT = "department", "部门"


class OrgUnit(models.Model):
    """A unit of government. `path` is the materialised chain of ids ("/1/4/") for subtree queries."""

    code = models.CharField("单位代码", max_length=64, unique=True)
    name = models.CharField("单位名称", max_length=100)
    kind = models.CharField("类型", max_length=16, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    # A unit is never deleted (its records and the audit name it); a deactivated one takes no
    # new users or records and drops out of choices, its history stays readable.
    active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = "单位"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        path = (self.parent.path if self.parent else "/") + f"{self.pk}/"
        if path != self.path:
            self.path = path
            OrgUnit.objects.filter(pk=self.pk).update(path=path)

    def ancestors_and_self(self) -> list[OrgUnit]:
        ids = [int(p) for p in self.path.strip("/").split("/") if p]
        by_id = OrgUnit.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]


class UserProfile(models.Model):
    """What fazhi keeps about an account beyond Django's user: the unit it belongs to (所属单位,
    which decides which admins manage it) and whether its password must be changed at the next
    sign-in. The real name (姓名) is the user's `first_name`; `display_name` reads it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name="所属单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    must_change_password = models.BooleanField("下次登录须修改密码", default=False)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    class Meta:
        verbose_name = "用户资料"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.user} ({self.unit})"


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("角色", max_length=16, choices=ROLE_CHOICES)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique")
        ]
        verbose_name = "任职"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.user} @ {self.unit} ({get_role(self.role).name})"
