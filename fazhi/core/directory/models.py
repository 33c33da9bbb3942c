"""Which accounts and memberships the directory owns.

A membership granted by the directory has a `DirectoryGrant`; one granted by hand in fazhi has
none, so a sign-in that syncs the directory's groups never touches it. Tenancy's own tables stay
as they are: this app only points at them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from fazhi.core.tenancy.models import Membership


class DirectoryAccount(models.Model):
    """An account created by a directory sign-in; its password lives in the directory."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="directory_account"
    )
    dn = models.TextField("目录 DN")
    synced_at = models.DateTimeField("最近同步时间")

    class Meta:
        verbose_name = "目录账号"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.dn


class DirectoryGrant(models.Model):
    """A membership that exists because the user is in `group_dn` in the directory."""

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="directory_grant"
    )
    group_dn = models.TextField("目录组 DN")

    class Meta:
        verbose_name = "目录授予的任职"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.membership} ← {self.group_dn}"


def directory_grants_of(user: Any) -> set[int]:
    """The ids of the user's memberships that the directory granted."""
    return set(
        DirectoryGrant.objects.filter(membership__user=user).values_list("membership_id", flat=True)
    )


def directory_account_of(user: Any) -> DirectoryAccount | None:
    return DirectoryAccount.objects.filter(user=user).first()
