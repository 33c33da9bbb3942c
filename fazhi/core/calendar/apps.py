from __future__ import annotations

from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "fazhi.core.calendar"
    label = "workcalendar"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from fazhi.core.calendar import tasks  # noqa: F401  (registers its background kind)
