from __future__ import annotations

from django.apps import AppConfig


class ToyConfig(AppConfig):
    name = "fazhi.core.records.tests.toy"
    label = "toy"
    verbose_name = "示例台账（测试用）"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from fazhi.core.api.resources import register_resource
        from fazhi.core.metrics import register
        from fazhi.core.records.ledger import register_ledger
        from fazhi.core.records.tests.toy.api import RESOURCE
        from fazhi.core.records.tests.toy.ledger import INDICATORS, LEDGER
        from fazhi.core.records.tests.toy.ui import UI
        from fazhi.core.web.registry import register_ledger_ui

        register_ledger(LEDGER)
        register_ledger_ui(UI)
        register(*INDICATORS)
        register_resource(RESOURCE)
