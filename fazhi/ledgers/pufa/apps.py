from __future__ import annotations

from django.apps import AppConfig


class PufaConfig(AppConfig):
    name = "fazhi.ledgers.pufa"
    label = "pufa"
    verbose_name = "普法学法"

    def ready(self) -> None:
        from fazhi.core.records.ledger import register_ledger
        from fazhi.core.web.registry import register_ledger_ui
        from fazhi.ledgers.pufa import (
            indicators,  # noqa: F401  (registers figures)
            passages,  # noqa: F401  (report sentences)
        )
        from fazhi.ledgers.pufa.ledger import LEDGERS
        from fazhi.ledgers.pufa.ui import UIS

        for ledger in LEDGERS:
            register_ledger(ledger)
        for ui in UIS:
            register_ledger_ui(ui)
