from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "fazhi.core.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        from fazhi.core.audit import checks  # noqa: F401  (registers the deploy check)
