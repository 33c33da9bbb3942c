"""Path converters shared by the URL modules (registered once, here, when first imported)."""

from __future__ import annotations

from django.urls import register_converter


class YearConverter:
    """A year as written once: four digits, no leading zero. Django's `int` also takes 02026,
    which would serve the 2026 report under a second address."""

    regex = "[1-9][0-9]{3}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int | str) -> str:
        return str(int(value))  # a ValueError is Django's "no match"


register_converter(YearConverter, "year")
