from __future__ import annotations

from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "fazhi.core.tasks"
    label = "tasks"
    verbose_name = "后台任务"
