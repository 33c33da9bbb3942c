"""Links from a figure to its records: `?figure=CODE:YEAR[:num]` on a ledger's list applies the
indicator's own predicate (core.metrics), so the list shows exactly what the figure counts."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse

from fazhi.core.metrics import get_indicator


def figure_url(
    slug: str, code: str, unit: Any, year: int, part: str = "", *, scope: str = "unit"
) -> str:
    """The list of the records behind a figure: of `unit` alone (`scope="unit"`), or of it and
    the units below it (`scope="under"`, the figure of a district summing its streets)."""
    value = f"{code}:{year}" + (f":{part}" if part else "")
    query = urlencode({scope: unit.code, "figure": value})
    return reverse("web:list", kwargs={"slug": slug}) + "?" + query


def _parse(value: str) -> tuple[Any, int, str]:
    code, year_text, *rest = value.split(":")
    if not (year_text.isascii() and year_text.isdigit()) or len(rest) > 1:
        raise ValueError(value)
    year = int(year_text)
    if not dt.MINYEAR < year < dt.MAXYEAR:
        raise ValueError(value)
    return get_indicator(code), year, rest[0] if rest else ""


def filter_by_figure(qs: QuerySet[Any], value: str) -> QuerySet[Any]:
    try:
        ind, year, part = _parse(value)
    except (ValueError, KeyError):
        return qs.none()
    if ind.model is not qs.model:
        return qs.none()
    q = ind.count(year)
    if part == "num" and ind.numerator is not None:
        q &= ind.numerator(year)
    return qs.filter(q).distinct()


def figure_valid(value: str) -> bool:
    try:
        _parse(value)
    except (ValueError, KeyError):
        return False
    return True


def describe_figure(value: str) -> str:
    """`xxgk.table3.granted.natural_person:2026` → 2026年 表三 （一）予以公开 · 自然人"""
    try:
        ind, year, part = _parse(value)
    except (ValueError, KeyError):
        return value
    suffix = "（分子）" if part == "num" else ""
    return f"{year}年 {ind.name}{suffix}"
