from __future__ import annotations

from django.apps import AppConfig


class MediationConfig(AppConfig):
    name = "fazhi.ledgers.mediation"
    label = "mediation"
    verbose_name = "人民调解"

    def ready(self) -> None:
        from fazhi.core.records.ledger import register_ledger
        from fazhi.core.web.registry import register_ledger_ui
        from fazhi.ledgers.mediation import (
            indicators,  # noqa: F401  (registers figures)
            passages,  # noqa: F401  (report sentences)
        )
        from fazhi.ledgers.mediation.ledger import COMMITTEES, LEDGER, SCREENINGS
        from fazhi.ledgers.mediation.ui import CASES_UI, COMMITTEES_UI, SCREENINGS_UI

        for ledger in (LEDGER, COMMITTEES, SCREENINGS):
            register_ledger(ledger)
        for ui in (CASES_UI, SCREENINGS_UI, COMMITTEES_UI):
            register_ledger_ui(ui)
