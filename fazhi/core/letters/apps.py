from __future__ import annotations

from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "fazhi.core.letters"
    label = "letters"
    verbose_name = "告知书"
