"""Shared parsing for fazhi's commands: --unit CODE, --year Y, ISO dates, Chinese errors."""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentTypeError

from django.core.management.base import CommandError

from fazhi.core.tenancy.models import OrgUnit


def iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ArgumentTypeError(f"不是有效日期（应为 YYYY-MM-DD）: {value}") from None


def year(value: str) -> int:
    if not value.isdigit() or not 2000 <= int(value) <= 2100:
        raise ArgumentTypeError(f"年份无效: {value}")
    return int(value)


def unscoped_unit(code: str) -> OrgUnit:
    """Commands run as the operator of the installation, outside any user's tenant door."""
    try:
        return OrgUnit.objects.get(code=code)
    except OrgUnit.DoesNotExist:
        raise CommandError(f"未找到单位代码「{code}」（可用 `fazhi unit list` 查看）") from None


class SystemOperator:
    """The command-line operator: may do what the installation's administrator does."""

    pk = None
    is_authenticated = True
    is_active = True
    is_superuser = True

    def get_username(self) -> str:
        return "系统"
