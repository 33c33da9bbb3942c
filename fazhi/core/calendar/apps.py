from __future__ import annotations

from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "fazhi.core.calendar"
    label = "workcalendar"
    verbose_name = "工作日历"
