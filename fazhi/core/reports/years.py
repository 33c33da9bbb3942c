"""The years fazhi serves an annual report for: from `FAZHI_REPORT_FIRST_YEAR` to this year.

Before 2021 the 政府信息公开 report had another format (the 2019 trial tables); the generator
writes the tables of 国办公开办函〔2021〕30号 only, so the default first year is 2021. A year
after this one has no records to report yet. Every report and submission page takes its years
from here, so a year a selector does not offer is a 404 everywhere."""

from __future__ import annotations

import datetime as dt

from django.conf import settings


def first_year() -> int:
    return int(settings.FAZHI_REPORT_FIRST_YEAR)


def report_years(today: dt.date) -> list[int]:
    """The years served, newest first."""
    return list(range(today.year, first_year() - 1, -1))


def is_report_year(year: int, today: dt.date) -> bool:
    return first_year() <= year <= today.year


__all__ = ["first_year", "is_report_year", "report_years"]
