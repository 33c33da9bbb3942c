"""The 政府信息公开目录 (条例 Art. 12: index number, name, summary, date of creation): the
register's published entries, by category and date. One definition for the page, the .xlsx and
the command line."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet

from fazhi.core.tenancy.models import OrgUnit
from fazhi.ledgers.disclosure.proactive.models import ProactiveItem, Status

HEADERS = [
    "索引号",
    "名称",
    "文号",
    "类别",
    "内容概述",
    "生成日期",
    "公开日期",
    "公开途径",
    "公开位置",
]


def entries(
    qs: QuerySet[ProactiveItem], unit: OrgUnit, year: int | None = None
) -> QuerySet[ProactiveItem]:
    """`qs` has passed the door (`visible_to`); the unit's published entries."""
    found = qs.filter(unit=unit, status=Status.PUBLISHED).order_by("category", "-made_on", "-id")
    return found.filter(made_on__year=year) if year else found


def unscoped_entries(unit: OrgUnit, year: int | None = None) -> QuerySet[ProactiveItem]:
    """For the command line, which runs as the installation's operator outside any door."""
    return entries(ProactiveItem.objects.all(), unit, year)


def rows(items: QuerySet[ProactiveItem]) -> Iterator[list[object]]:
    for item in items.iterator(chunk_size=1000):
        yield [
            item.number,
            item.title,
            item.doc_number,
            item.get_category_display(),
            item.summary,
            item.made_on,
            item.published_on,
            item.get_channel_display(),
            item.location,
        ]
