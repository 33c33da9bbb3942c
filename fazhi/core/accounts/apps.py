from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fazhi.core.accounts"
    label = "accounts"
    verbose_name = "账号与登录"

    def ready(self) -> None:
        from fazhi.core.accounts import receivers  # noqa: F401  (connects the signal receivers)
