from __future__ import annotations

from django.apps import AppConfig


class AttachmentsConfig(AppConfig):
    name = "fazhi.core.attachments"
    label = "attachments"
    verbose_name = "附件"
