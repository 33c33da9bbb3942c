from __future__ import annotations

from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "fazhi.ledgers.oversight"
    label = "oversight"
    verbose_name = "第一责任人与督察整改"

    def ready(self) -> None:
        from fazhi.core.records.ledger import register_ledger
        from fazhi.core.web.registry import register_ledger_ui
        from fazhi.ledgers.oversight import (
            indicators,  # noqa: F401  (registers figures)
            passages,  # noqa: F401  (report sentences)
        )
        from fazhi.ledgers.oversight.ledger import LEDGERS
        from fazhi.ledgers.oversight.ui import UIS

        for ledger in LEDGERS:
            register_ledger(ledger)
        for ui in UIS:
            register_ledger_ui(ui)
