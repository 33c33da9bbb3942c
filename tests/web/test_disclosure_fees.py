"""The fee, service and on-time pages of the disclosure ledger, through the web: the 按件 count
with its records on the fee-notice page, 送达 recorded later, 减免 by a leader, section 六's fee
total linked to its records, and the on-time verdict with its definition."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fazhi.core.web.figures import figure_url
from fazhi.ledgers.disclosure import actions
from fazhi.ledgers.disclosure.indicators import ON_TIME_DEFINITION
from fazhi.ledgers.disclosure.models import Application, ApplicationEvent, Status

SLUG = "disclosure"
TZ = ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2026, 11, 25)  # a Wednesday
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    at = dt.datetime.combine(TODAY, dt.time(10, 0), tzinfo=TZ)
    with time_machine.travel(at, tick=False):
        yield


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def register(cast: Any, on: dt.date, **kw: Any) -> Application:
    fields = {
        "applicant_category": "natural_person",
        "applicant_name": "张三",
        "contact": "13800000000",
        "content": "2025年辖区老旧小区改造项目清单",
    } | kw
    return actions.register(unit=cast.street_a, by=cast.a_clerk, received_on=on, **fields)


def move_url(app: Application, code: str) -> str:
    return reverse("web:move", args=[SLUG, app.pk, code])


def detail(client: Client, app: Application) -> str:
    return text(client.get(reverse("web:detail", args=[SLUG, app.pk])))


def test_the_fee_notice_page_shows_the_count_with_its_records(cast: Any) -> None:
    earlier = [register(cast, dt.date(2026, 11, d)) for d in (2, 3, 4)]
    register(cast, dt.date(2026, 11, 5), contact="13900000000")  # another applicant
    app = register(cast, dt.date(2026, 11, 16))
    clerk = client_for(cast.a_clerk)
    page = text(clerk.get(move_url(app, "issue_fee_notice")))
    assert "申请人「张三」2026年11月向本单位提出申请共 4 件，本件为第 <strong>4</strong> 件" in page
    assert "姓名或名称及联系方式相同" in page
    listed = re.findall(r'<ol class="counted">(.*?)</ol>', page, re.S)[0]
    for other in [*earlier, app]:
        assert reverse("web:detail", args=[SLUG, other.pk]) in listed
    assert listed.count("<li>") == 4
    # The outsider gets a 404, like for any record of 街道 A.
    assert client_for(cast.b_clerk).get(move_url(app, "issue_fee_notice")).status_code == 404


def test_a_different_count_needs_its_reason_in_the_form(cast: Any) -> None:
    app = register(cast, dt.date(2026, 11, 16))
    clerk = client_for(cast.a_clerk)
    post = {"on": "2026-11-17", "method": "per_item", "quantity": "12", "service_method": "post"}
    refused = clerk.post(move_url(app, "issue_fee_notice"), post)
    assert refused.status_code == 200
    assert "台账统计本件为该申请人本月第1件申请；如需更正件数，请写明理由" in text(refused)
    assert not ApplicationEvent.objects.filter(kind="fee_notice").exists()
    done = clerk.post(
        move_url(app, "issue_fee_notice"), {**post, "count_reason": "另有11件纸质申请未录入"}
    )
    assert done.status_code == 302
    page = detail(clerk, app)
    assert "台账统计为本月第1件，更正为第12件，理由：另有11件纸质申请未录入" in page
    assert "收费通知送达" in page and "待送达，暂按 2026-11-24 推定" in page
    assert "未录入）；邮寄送达" in page  # the notice's line in the timeline


def test_service_is_recorded_later_and_the_clock_follows(cast: Any) -> None:
    app = register(cast, dt.date(2026, 11, 16))
    clerk = client_for(cast.a_clerk)
    assert (
        clerk.post(
            move_url(app, "request_correction"),
            {"on": "2026-11-17", "items": "请写明文号", "service_method": "post"},
        ).status_code
        == 302
    )
    page = detail(clerk, app)
    assert "补正通知送达" in page and "待送达" in page and "按交寄后第7日推定" in page
    assert 'href="' + move_url(app, "record_service") + '"' in page
    assert (
        clerk.post(
            move_url(app, "record_service"), {"on": "2026-11-19", "note": "EMS回执"}
        ).status_code
        == 302
    )
    page = detail(clerk, app)
    assert "已送达（2026-11-19）" in page and "已登记送达" in page
    app.refresh_from_db()
    assert app.correction_due_on == dt.date(2026, 12, 10)  # 11/19 + 15 工作日
    assert 'href="' + move_url(app, "record_service") + '"' not in page


def test_a_leader_decides_the_relief_the_clerk_asked_for(cast: Any) -> None:
    app = register(cast, dt.date(2026, 11, 16))
    app = actions.issue_fee_notice(
        app=app, by=cast.a_clerk, on=dt.date(2026, 11, 17), method="per_page", quantity=120
    )
    clerk, leader = client_for(cast.a_clerk), client_for(cast.a_leader)
    assert (
        clerk.post(
            move_url(app, "request_fee_relief"),
            {"on": "2026-11-18", "amount": "0", "reason": "申请人为低保对象"},
        ).status_code
        == 302
    )
    assert "待批准减免信息处理费" in text(leader.get(reverse("web:home")))
    page = detail(leader, app)
    assert "批准免收（负责人）" in page and "批准减收（负责人）" in page
    assert (
        clerk.post(move_url(app, "waive_fee"), {"on": "2026-11-19", "reason": "同意"}).status_code
        == 302
    )
    assert Application.objects.get(pk=app.pk).status == Status.AWAITING_FEE  # a clerk cannot
    assert (
        leader.post(
            move_url(app, "waive_fee"), {"on": "2026-11-19", "reason": "同意免收"}
        ).status_code
        == 302
    )
    assert Application.objects.get(pk=app.pk).status == Status.RECEIVED


def test_section_six_links_the_fee_total_to_its_records(cast: Any) -> None:
    app = register(cast, dt.date(2026, 11, 2))
    app = actions.issue_fee_notice(
        app=app, by=cast.a_clerk, on=dt.date(2026, 11, 3), method="per_page", quantity=40
    )
    app = actions.record_payment(app=app, by=cast.a_clerk, on=dt.date(2026, 11, 5))
    actions.reply(app=app, by=cast.a_clerk, on=dt.date(2026, 11, 10), outcome="granted")
    register(cast, dt.date(2026, 11, 3), applicant_name="李四")  # no fee
    clerk = client_for(cast.a_clerk)
    page = text(clerk.get(reverse("web:report", args=["xxgk", "A1", 2026])))
    url = figure_url(SLUG, "xxgk.fees_collected", cast.street_a, 2026)
    assert (
        f'<a href="{url}">依据《政府信息公开信息处理费管理办法》规定，本年度共收取信息处理费100.00元。</a>'
        in page
    )
    behind = text(clerk.get(url))
    assert app.number in behind and "共 1 条" in behind
    assert "本年收取信息处理费" in behind  # the list says which figure it shows


def test_the_detail_page_says_whether_it_was_answered_in_time_and_why(cast: Any) -> None:
    app = register(cast, dt.date(2026, 10, 12))
    app = actions.request_correction(
        app=app, by=cast.a_clerk, on=dt.date(2026, 10, 21), items="请写明文号"
    )
    app = actions.close_uncorrected(app=app, by=cast.a_clerk, on=dt.date(2026, 11, 12))
    page = detail(client_for(cast.a_clerk), app)
    assert "按期答复" in page and "是" in re.findall(r"<dt>按期答复</dt><dd>(.*?)</dd>", page)[0]
    assert ON_TIME_DEFINITION in page
