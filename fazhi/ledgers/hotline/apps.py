from __future__ import annotations

from django.apps import AppConfig


class HotlineConfig(AppConfig):
    name = "fazhi.ledgers.hotline"
    label = "hotline"
    verbose_name = "12345热线工单"

    def ready(self) -> None:
        from fazhi.core.api.resources import register_resource
        from fazhi.core.imports.streaming import register_streaming_import
        from fazhi.core.records.ledger import register_ledger
        from fazhi.core.web.registry import register_ledger_ui
        from fazhi.ledgers.hotline import (  # noqa: F401  (registers them)
            indicators,
            passages,
            tasks,
        )
        from fazhi.ledgers.hotline.api import RESOURCE
        from fazhi.ledgers.hotline.importing import import_orders
        from fazhi.ledgers.hotline.ledger import LEDGER
        from fazhi.ledgers.hotline.ui import UI

        register_ledger(LEDGER)
        register_streaming_import("hotline", import_orders)
        register_ledger_ui(UI)
        register_resource(RESOURCE)
