from __future__ import annotations

from django.apps import AppConfig


class RecordsConfig(AppConfig):
    """The record kit: what every ledger's records share (see README.md)."""

    name = "fazhi.core.records"
    label = "records"
    verbose_name = "台账记录"

    def ready(self) -> None:
        from fazhi.core.deadlines.recompute import register_recomputer
        from fazhi.core.records.clocks import recompute_all_ledgers

        register_recomputer(recompute_all_ledgers)
