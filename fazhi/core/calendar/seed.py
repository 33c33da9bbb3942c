"""Seed data for 2004–2026 from the `chinese-calendar` package (it raises for later years)."""

from __future__ import annotations

import datetime as dt

NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
SEED_YEARS = range(2004, 2027)
SEED_SOURCE = "国务院办公厅历年节假日安排通知（系统内置，2004—2026年）"


def package_days(year: int) -> list[tuple[dt.date, str, str]]:
    import chinese_calendar

    days: list[tuple[dt.date, str, str]] = []
    for d, name in chinese_calendar.holidays.items():
        if d.year == year:
            days.append((d, "holiday", NAMES_ZH.get(str(name), str(name))))
    for d, name in chinese_calendar.workdays.items():
        if d.year == year:
            days.append((d, "workday", NAMES_ZH.get(str(name), str(name))))
    return sorted(days)
