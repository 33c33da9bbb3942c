from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "fazhi.core.web"
    label = "web"
    verbose_name = "界面"

    def ready(self) -> None:
        from fazhi.core.web import fazhi_report

        fazhi_report.register()
