"""Putting mistakes right through the web, on a 政府信息公开 application: the 补录 prompt, the
entered-at timeline, correcting a typo, undoing a reply (the leader only), voiding a test entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fazhi.core.audit.models import AuditEvent
from fazhi.core.metrics import evaluate
from fazhi.ledgers.disclosure import actions
from fazhi.ledgers.disclosure.models import Application, Status

D = dt.date
SLUG = "disclosure"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(dt.datetime(2026, 11, 25, 10, tzinfo=dt.UTC), tick=False):
        yield


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


RECENT = D(2026, 11, 20)


def app_of(cast: Any, received: dt.date = RECENT) -> Application:
    return actions.register(
        unit=cast.street_a,
        by=cast.a_clerk,
        received_on=received,
        applicant_category="natural_person",
        applicant_name="王某",
        content="某项目资料",
    )


def test_a_step_dated_long_ago_asks_for_a_reason_and_shows_it(cast: Any, settings: Any) -> None:
    settings.FAZHI_BACKDATE_DAYS = 7
    with pytest.raises(Exception, match="须写明补录原因"):
        app_of(cast, D(2026, 11, 2))  # 23 days ago
    old = actions.register(
        unit=cast.street_a,
        by=cast.a_clerk,
        received_on=D(2026, 11, 2),
        applicant_category="natural_person",
        applicant_name="李某",
        content="x",
        backdate_reason="纸质台账补录",
    )
    clerk = client_for(cast.a_clerk)
    url = reverse("web:move", args=[SLUG, old.pk, "reply"])
    posted = {"on": "2026-11-10", "outcome": "granted"}
    refused = clerk.post(url, posted)
    assert refused.status_code == 200
    assert "超过7日的补录须写明补录原因" in refused.content.decode()
    old.refresh_from_db()
    assert old.status == Status.RECEIVED  # nothing written
    done = clerk.post(url, posted | {"backdate_reason": "答复时系统停机，事后补录"})
    assert done.status_code == 302
    page = clerk.get(reverse("web:detail", args=[SLUG, old.pk])).content.decode()
    assert "补录原因：答复时系统停机，事后补录" in page
    assert "录入于 2026-11-25 18:00（补录）" in page
    assert "补录原因：纸质台账补录" in page
    # A step of a few days ago needs no reason, and is not marked as a late entry.
    recent = app_of(cast, D(2026, 11, 20))
    assert (
        "（补录）" not in clerk.get(reverse("web:detail", args=[SLUG, recent.pk])).content.decode()
    )


def test_a_typo_is_corrected_with_a_reason_and_shown_in_the_timeline(cast: Any) -> None:
    app = app_of(cast)
    clerk = client_for(cast.a_clerk)
    url = reverse("web:correct", args=[SLUG, app.pk])
    form = clerk.get(url).content.decode()
    assert "更正登记信息" in form and "王某" in form
    base = {
        "received_on": "2026-11-20",
        "channel": "in_person",
        "applicant_category": "natural_person",
        "applicant_name": "王某某",
        "content": "某项目资料",
    }
    assert "这个字段是必填项" in clerk.post(url, base).content.decode()  # no reason given
    assert clerk.post(url, base | {"reason": "姓名录入错误"}).status_code == 302
    app.refresh_from_db()
    assert app.applicant_name == "王某某"
    page = clerk.get(reverse("web:detail", args=[SLUG, app.pk])).content.decode()
    assert "更正登记信息" in page and "申请人：王某 → 王某某" in page and "姓名录入错误" in page
    assert AuditEvent.objects.filter(code="disclosure.application.fields_corrected").count() == 1


def test_a_receipt_date_cannot_be_corrected_past_the_first_step(cast: Any) -> None:
    app = app_of(cast, D(2026, 11, 2))
    actions.request_correction(app, by=cast.a_clerk, on=D(2026, 11, 4), items="请写明文号")
    with pytest.raises(Exception, match="不能晚于第一个办理环节"):
        actions.correct(app, by=cast.a_clerk, reason="日期写错", received_on=D(2026, 11, 5))


def test_undoing_a_reply_needs_the_leader(cast: Any) -> None:
    app = app_of(cast)
    app = actions.reply(app, by=cast.a_clerk, on=D(2026, 11, 24), outcome="granted")
    clerk, leader = client_for(cast.a_clerk), client_for(cast.a_leader)
    detail = reverse("web:detail", args=[SLUG, app.pk])
    assert "撤销上一步" not in clerk.get(detail).content.decode()
    refused = clerk.post(reverse("web:undo", args=[SLUG, app.pk]), {"reason": "选错结果"})
    assert refused.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.CLOSED
    assert "撤销上一步（答复）" in leader.get(detail).content.decode()
    assert (
        leader.post(reverse("web:undo", args=[SLUG, app.pk]), {"reason": "选错结果"}).status_code
        == 302
    )
    app.refresh_from_db()
    assert (app.status, app.outcome, app.replied_on) == (Status.RECEIVED, "", None)
    assert app.reply_due_on == D(2026, 12, 18) and app.due_on is not None
    page = leader.get(detail).content.decode()
    assert "已撤销" in page and "撤销「答复」" in page


def test_a_voided_record_leaves_lists_and_figures_but_not_the_audit(cast: Any) -> None:
    test_entry = app_of(cast, D(2026, 11, 2))
    actions.reply(test_entry, by=cast.a_clerk, on=D(2026, 11, 3), outcome="granted")
    kept = app_of(cast, D(2026, 11, 2))
    qs = Application.objects.filter(unit=cast.street_a)
    assert evaluate("xxgk.new_requests", qs, 2026).value == 2
    leader = client_for(cast.a_leader)
    url = reverse("web:void", args=[SLUG, test_entry.pk])
    assert client_for(cast.a_clerk).post(url, {"reason": "测试数据"}).status_code == 302
    assert Application.objects.filter(pk=test_entry.pk).exists()  # a clerk may not void
    assert leader.post(url, {"reason": "测试数据"}).status_code == 302
    assert (
        evaluate("xxgk.new_requests", Application.objects.filter(unit=cast.street_a), 2026).value
        == 1
    )
    listing = leader.get(reverse("web:list", args=[SLUG])).content.decode()
    assert test_entry.number not in listing and kept.number in listing
    detail = leader.get(reverse("web:detail", args=[SLUG, test_entry.pk])).content.decode()
    assert "作废" in detail and "测试数据" in detail and 'class="moves"' not in detail
    assert AuditEvent.objects.filter(
        code="disclosure.application.voided", object_id=str(test_entry.pk)
    ).exists()
    report = leader.get(reverse("web:report_json", args=["xxgk", "A1", 2026])).json()
    assert report["table3"]["new"]["total"] == 1
