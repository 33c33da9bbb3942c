from __future__ import annotations

from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "fazhi.core.tenancy"
    label = "tenancy"
    verbose_name = "单位与人员"
