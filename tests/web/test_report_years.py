"""The years a report is served for (FAZHI_REPORT_FIRST_YEAR to this year), the same on every
report and submission page, and a year in a URL written only one way (no leading zeros)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fazhi.core.submissions import actions, freeze
from fazhi.core.workflow import ActionError

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 25)
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime.combine(TODAY, dt.time(10), tzinfo=TZ), tick=False):
        yield


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def offered(page: str) -> list[int]:
    select = re.search(r'<select name="year">(.*?)</select>', page, re.S)
    assert select, "no year selector"
    return [int(y) for y in re.findall(r'<option value="(\d+)"', select.group(1))]


@pytest.mark.parametrize("kind", ["xxgk", "fazhi"])
def test_the_year_selector_offers_the_supported_years_only(cast: Any, kind: str) -> None:
    clerk = client_for(cast.a_clerk)
    page = clerk.get(reverse("web:report", args=[kind, "A1", 2026])).content.decode()
    assert offered(page) == [2026, 2025, 2024, 2023, 2022, 2021]


@pytest.mark.parametrize("kind", ["xxgk", "fazhi"])
def test_a_year_outside_them_is_a_404_on_every_report_url(cast: Any, kind: str) -> None:
    leader = client_for(cast.a_leader)
    for name in ("report", "report_docx", "report_json", "report_edit"):
        assert leader.get(reverse(f"web:{name}", args=[kind, "A1", 2021])).status_code == 200
        for year in (2019, 2020, 2027):
            response = leader.get(reverse(f"web:{name}", args=[kind, "A1", year]))
            assert response.status_code == 404, (name, year)
            assert "您访问的页面或记录不存在" in response.content.decode()
    switched = leader.get(reverse("web:report", args=[kind, "A1", 2026]), {"year": "2019"})
    assert switched.status_code == 404


def test_the_first_year_is_a_setting_the_pages_and_submissions_follow(
    cast: Any, settings: Any
) -> None:
    settings.FAZHI_REPORT_FIRST_YEAR = 2024
    clerk = client_for(cast.a_clerk)
    page = clerk.get(reverse("web:report", args=["xxgk", "A1", 2026])).content.decode()
    assert offered(page) == [2026, 2025, 2024]
    assert clerk.get(reverse("web:report", args=["xxgk", "A1", 2023])).status_code == 404
    index = clerk.get(reverse("web:reports")).content.decode()
    assert "/reports/xxgk/A1/2024/" in index and "/reports/xxgk/A1/2023/" not in index
    assert list(freeze.years_open(TODAY)) == [2026, 2025, 2024]
    with pytest.raises(ActionError, match="报告年度须在2024年至2026年之间"):
        actions.check_year(2023, TODAY)
    submit = reverse("submissions:submit", args=["A1", "xxgk", 2023])
    assert clerk.get(submit).status_code == 404


def test_submissions_offer_the_same_years_as_the_report_pages(cast: Any) -> None:
    assert list(freeze.years_open(TODAY)) == [2026, 2025, 2024, 2023, 2022, 2021]
    with pytest.raises(ActionError, match="报告年度须在2021年至2026年之间"):
        actions.check_year(2020, TODAY)


def test_the_report_command_refuses_a_year_outside_them(cast: Any) -> None:
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="报告年度须在2021年至2026年之间"):
        call_command("report", "xxgk", "--unit", "A1", "--year", "2019")


@pytest.mark.parametrize(
    "url",
    [
        "/reports/fazhi/A1/02026/",
        "/reports/xxgk/A1/02026/",
        "/reports/xxgk/A1/02026/docx",
        "/reports/xxgk/A1/02026/json",
        "/reports/fazhi/A1/02026/edit/",
        "/reports/xxgk/A1/002026/",
        "/submissions/A1/xxgk/02025/submit/",
        "/calendar/02026/",
    ],
)
def test_a_year_written_with_leading_zeros_is_a_404(cast: Any, url: str) -> None:
    admin, leader = client_for(cast.admin), client_for(cast.a_leader)
    canonical = url.replace("/002026/", "/2026/").replace("/0202", "/202")
    assert (admin if "calendar" in url else leader).get(canonical).status_code == 200, canonical
    assert (admin if "calendar" in url else leader).get(url).status_code == 404, url


def test_the_year_selector_leads_to_the_canonical_url(cast: Any) -> None:
    clerk = client_for(cast.a_clerk)
    page = reverse("web:report", args=["xxgk", "A1", 2026])
    assert clerk.get(page, {"year": "02025"})["Location"] == "/reports/xxgk/A1/2025/"
    for year in ("99999", "2019", "0"):
        assert clerk.get(page, {"year": year}).status_code == 404, year
