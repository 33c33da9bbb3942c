from __future__ import annotations

from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "fazhi.core.submissions"
    label = "submissions"
    verbose_name = "年度报告报送"

    def ready(self) -> None:
        from fazhi.core.records.ledger import register_ledger
        from fazhi.core.submissions.ledger import SUBMISSIONS

        register_ledger(SUBMISSIONS)
