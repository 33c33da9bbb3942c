from __future__ import annotations

from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "fazhi.ledgers.disclosure"
    label = "disclosure"
    verbose_name = "政府信息公开"

    def ready(self) -> None:
        from fazhi.core.audit.catalogue import register_labels
        from fazhi.core.letters.registry import register_book
        from fazhi.core.records.ledger import register_ledger
        from fazhi.core.web.registry import register_ledger_ui
        from fazhi.ledgers.disclosure import (
            indicators,  # noqa: F401  (registers figures)
            passages,  # noqa: F401  (report sentences)
        )
        from fazhi.ledgers.disclosure.ledger import LEDGER
        from fazhi.ledgers.disclosure.letters import BOOK
        from fazhi.ledgers.disclosure.proactive import indicators as proactive_indicators  # noqa: F401
        from fazhi.ledgers.disclosure.proactive.ledger import LEDGER as PROACTIVE
        from fazhi.ledgers.disclosure.proactive.ui import UI as PROACTIVE_UI
        from fazhi.ledgers.disclosure.ui import UI

        register_labels("政府信息公开", {"disclosure.guide.saved": "保存政府信息公开指南"})
        register_ledger(LEDGER)
        register_ledger_ui(UI)
        register_book(BOOK)
        register_ledger(PROACTIVE)
        register_ledger_ui(PROACTIVE_UI)
