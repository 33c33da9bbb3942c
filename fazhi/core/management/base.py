"""Shared parsing for fazhi's commands: --unit CODE, --year Y, ISO dates, Chinese errors."""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentTypeError
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError

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


def progress_writer(command: BaseCommand, opts: dict[str, Any]) -> Callable[[str], None]:
    """Progress lines of a long command: on stdout, or on stderr when stdout carries --json;
    none at -v 0 (a cron job that mails its output only when something is wrong)."""
    if opts.get("verbosity", 1) == 0:
        return lambda line: None
    out = command.stderr if opts.get("json") else command.stdout
    return lambda line: out.write(line, style_func=lambda text: text)


class SystemOperator:
    """The command-line operator: may do what the installation's administrator does."""

    pk = None
    is_authenticated = True
    is_active = True
    is_superuser = True

    def get_username(self) -> str:
        return "系统"
