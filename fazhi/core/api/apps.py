from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "fazhi.core.api"
    label = "api"
    verbose_name = "数据接口"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from fazhi.core.audit.catalogue import register_labels

        register_labels(
            "数据接口",
            {"api.token.created": "新建接口令牌", "api.token.revoked": "吊销接口令牌"},
            {"api_token": "接口令牌"},
        )
