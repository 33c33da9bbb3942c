from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Holds fazhi's shared management commands (unit, user, calendar, deadline, import, report)."""

    name = "fazhi.core"
    label = "core"
    verbose_name = "fazhi 核心"
