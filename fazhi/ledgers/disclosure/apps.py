from __future__ import annotations

from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "fazhi.ledgers.disclosure"
    label = "disclosure"
    verbose_name = "政府信息公开"

    def ready(self) -> None:
        from fazhi.core.deadlines.recompute import register_recomputer
        from fazhi.core.web.registry import register_ledger
        from fazhi.ledgers.disclosure import indicators  # noqa: F401  (registers figures)
        from fazhi.ledgers.disclosure.clock import recompute_all_open
        from fazhi.ledgers.disclosure.ui import LEDGER

        register_recomputer(recompute_all_open)
        register_ledger(LEDGER)
