from __future__ import annotations

from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "fazhi.core.directory"
    label = "directory"
    verbose_name = "目录登录"

    def ready(self) -> None:
        from fazhi.core.directory import backend, checks  # noqa: F401  (signal receiver, checks)
