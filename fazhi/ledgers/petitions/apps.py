from __future__ import annotations

from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "fazhi.ledgers.petitions"
    label = "petitions"
    verbose_name = "信访事项"

    def ready(self) -> None:
        from fazhi.core.api.resources import register_resource
        from fazhi.core.records.ledger import register_ledger
        from fazhi.core.web.registry import register_ledger_ui
        from fazhi.ledgers.petitions import (
            indicators,  # noqa: F401  (registers figures)
            passages,  # noqa: F401  (report sentences)
        )
        from fazhi.ledgers.petitions.api import RESOURCE
        from fazhi.ledgers.petitions.ledger import LEDGER
        from fazhi.ledgers.petitions.ui import UI

        register_ledger(LEDGER)
        register_ledger_ui(UI)
        register_resource(RESOURCE)
