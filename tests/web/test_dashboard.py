"""统计看板: every ledger's figures for a unit and those below it, 逾期/临期 across ledgers, the
units side by side; every number links to exactly the records it counts; the door holds; the
charts are drawn by the locally served ECharts in real Chromium with no network."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.utils import timezone

from conftest import require_in_ci
from fazhi.core.metrics import evaluate, get_indicator
from fazhi.core.web.registry import ledgers
from tests.web.browser import ARGS, CHROMIUM, TIMEOUT_MS, Session

NOW = "2026-11-25 10:00 +0800"
URL = "/dashboard/"


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def listed(client: Client, url: str) -> int:
    page = client.get(url)
    assert page.status_code == 200, url
    found = re.search(r"共 (\d+) 条", page.content.decode())
    if found:
        return int(found.group(1))
    assert "没有符合条件的记录" in page.content.decode(), url
    return 0


@pytest.mark.django_db
def test_every_number_links_to_exactly_its_records() -> None:
    from django.contrib.auth import get_user_model

    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo", stdout=io.StringIO())
        supervisor = get_user_model().objects.get(username="jiandu")
        client = client_for(supervisor)
        page = client.get(URL)
        assert page.status_code == 200
        body = page.content.decode()
        assert "统计看板" in body and "示例区及下级单位" in body
        links = [unescape(u) for u in re.findall(r'<a href="(/l/[^"]+)"', body)]
        assert len(links) > 60
        checked = 0
        for ui in ledgers():
            qs = ui.queryset().visible_to(supervisor)
            for code in ui.summary_indicators:
                for year in (2025, 2026):
                    fig = evaluate(code, qs, year)
                    url = next(u for u in links if f"figure={code}%3A{year}" in u and "under=" in u)
                    # The list shows the figure's records (a rate's: its denominator's); a
                    # plain count is their number, a sum (人次, 份) is over them.
                    records = fig.records(qs).count()
                    assert listed(client, url) == records, (code, year, url)
                    ind = get_indicator(code)
                    if ind.value is None and ind.numerator_value is None:
                        expected = fig.denominator if fig.numerator_q is not None else fig.value
                        assert records == expected, (code, year)
                    checked += 1
            overdue = next(
                u for u in links if u.startswith(f"/l/{ui.slug}/?") and "due=overdue" in u
            )
            shown = re.search(
                rf'<a href="{re.escape(overdue).replace("&", "&amp;")}">(\d+)</a>', body
            )
            assert shown and listed(client, overdue) == int(shown.group(1)), ui.slug
        assert checked >= 20
        # The streets side by side, each with the units below it: every figure of the year
        # is its subtree's (a rate from the subtree's own numerator and denominator) and its
        # link lists exactly the records it counts.
        from fazhi.core.tenancy.models import OrgUnit

        top = OrgUnit.objects.get(parent=None)
        streets = list(OrgUnit.objects.filter(parent=top))
        side = 0
        for ui in ledgers():
            if not ui.summary_indicators:
                continue
            table = re.search(
                rf'<table class="grid" id="table-units-{ui.slug}">(.*?)</table>', body, re.S
            )
            if table is None:
                continue
            qs = ui.queryset().visible_to(supervisor)
            for street in streets:
                row = re.search(rf"<tr><td>{street.name}</td>(.*?)</tr>", table.group(1))
                assert row, (ui.slug, street.name)
                cells = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', row.group(1))
                assert len(cells) == len(ui.summary_indicators)
                below = qs.filter(unit__path__startswith=street.path)
                for (url, shown), code in zip(cells, ui.summary_indicators, strict=True):
                    fig = evaluate(code, below, 2026)
                    empty_rate = fig.numerator_q is not None and not fig.denominator
                    assert shown == ("—" if empty_rate else fig.shown), (ui.slug, code, street.code)
                    url = unescape(url)
                    assert f"under={street.code}" in url
                    assert listed(client, url) == fig.records(below).count(), url
                    side += 1
        assert side >= 20


@pytest.mark.django_db
def test_a_street_sees_only_itself_and_another_unit_is_a_404(cast: Any) -> None:
    clerk = client_for(cast.a_clerk)
    page = clerk.get(URL).content.decode()
    assert "东湖街道及下级单位" in page and "西城街道" not in page
    assert clerk.get(URL, {"unit": "B1"}).status_code == 404
    assert clerk.get(URL, {"unit": "D1"}).status_code == 404
    assert clerk.get(URL, {"unit": "NOPE\x00"}).status_code == 404
    supervisor = client_for(cast.supervisor).get(URL, {"unit": "B1"}).content.decode()
    assert "西城街道及下级单位" in supervisor


@pytest.mark.django_db
def test_the_under_filter_is_a_unit_and_those_below_it_through_the_door(
    cast: Any, tmp_path: Path
) -> None:
    from fazhi.ledgers.hotline.tests.test_import import row, run, write_csv

    rows = [row("A-1"), row("B-1", 承办单位="西城街道")]
    assert run(cast, write_csv(tmp_path / "o.csv", rows)).ok
    supervisor = client_for(cast.supervisor)
    assert listed(supervisor, "/l/hotline/?under=D1") == 2
    assert listed(supervisor, "/l/hotline/?under=B1") == 1
    assert "单位范围：西城街道及下级单位" in supervisor.get("/l/hotline/?under=B1").content.decode()
    clerk = client_for(cast.a_clerk)
    assert listed(clerk, "/l/hotline/?under=A1") == 1
    for code in ("D1", "B1", "ZZ"):  # above it, beside it, nowhere: as the dashboard
        assert clerk.get("/l/hotline/", {"under": code}).status_code == 404, code


@pytest.mark.django_db
def test_the_page_loads_only_its_own_scripts(cast: Any) -> None:
    body = client_for(cast.supervisor).get(URL).content.decode()
    sources = re.findall(r'<script[^>]* src="([^"]+)"', body)
    assert "/static/vendor/echarts.min.js" in sources
    assert all(s.startswith("/static/") for s in sources), sources
    assert "http://" not in body.replace("http://testserver", "") and "https://" not in body
    csp = client_for(cast.supervisor).get(URL)["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "style-src 'self';" in csp  # no inline script or <style>
    assert "style-src-attr 'unsafe-inline'" in csp  # ECharts' style attributes only


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_charts_draw_offline_and_a_bar_opens_its_records(
    live_server: Any, cast: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if not os.path.exists(CHROMIUM):
        require_in_ci(f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")
    from django.contrib.staticfiles import finders

    if not finders.find("vendor/echarts.min.js"):
        require_in_ci("ECharts is not installed: run `make install`")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    from fazhi.ledgers.hotline.tests.test_import import row, run, write_csv

    # Real today (the live server's thread): two orders dispatched long ago are overdue.
    old = timezone.localtime().replace(tzinfo=None) - dt.timedelta(days=20)
    stamp = f"{old:%Y-%m-%d %H:%M}"
    rows = [
        row(f"OD-{i}", 来电时间=stamp, 派单时间=stamp, 承办单位=u)
        for i, u in enumerate(["东湖街道", "西城街道"])
    ]
    assert run(cast, write_csv(tmp_path / "o.csv", rows)).ok
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            page.set_default_timeout(TIMEOUT_MS)
            outside: list[str] = []
            page.on(
                "request",
                lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None,
            )
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            session = Session(page, live_server.url)
            session.login("jiandu")
            with page.expect_navigation():
                page.click("#nav-dashboard")
            expect(page.locator("#chart-due canvas")).to_have_count(1)
            page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
            page.screenshot(path="/tmp/fazhi-browser-dashboard.png", full_page=True)
            # The hotline's 逾期 bar: its middle, from the chart's own layout of that bar.
            index = [
                t.strip() for t in page.locator("#table-due tbody td:first-child").all_inner_texts()
            ].index("12345热线工单")
            x, y = page.evaluate(
                """(i) => {
                    const c = echarts.getInstanceByDom(document.getElementById('chart-due'));
                    const box = c.getModel().getSeriesByIndex(0).getData().getItemLayout(i);
                    return [box.x + box.width / 2, box.y + box.height / 2];
                }""",
                index,
            )
            with page.expect_navigation():
                page.locator("#chart-due canvas").click(position={"x": x, "y": y})
            assert "due=overdue" in page.url and "/l/hotline/" in page.url
            expect(page.locator("p.count")).to_have_text("共 2 条")
            assert outside == [] and errors == []
        finally:
            browser.close()
    connections.close_all()
