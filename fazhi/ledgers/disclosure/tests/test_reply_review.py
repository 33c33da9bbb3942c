"""A withholding reply reviewed by a 审核员 before it goes out, where the unit's option says so:
submit → approve (not by the submitter) or return → reply as approved."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from fazhi.core.records import options
from fazhi.core.workflow import ActionError
from fazhi.ledgers.disclosure import actions
from fazhi.ledgers.disclosure.ledger import LEDGER, REVIEW_WITHHOLDING
from fazhi.ledgers.disclosure.models import Application, EventKind, Status

D = dt.date
pytestmark = pytest.mark.django_db
KEY = REVIEW_WITHHOLDING.key
WITHHELD = {"outcome": "withheld_6", "reasons": "属于内部讨论记录", "basis": ""}


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(dt.datetime(2026, 6, 1, 10, tzinfo=dt.UTC), tick=False):
        yield


def _new(cast: Any) -> Application:
    return actions.register(
        unit=cast.street_a,
        by=cast.a_clerk,
        received_on=D(2026, 5, 6),
        applicant_category="natural_person",
        applicant_name="赵某",
        content="街道党工委会议纪要",
    )


def _require(cast: Any, on: bool | None = True, unit: Any = None) -> None:
    options.set_option(LEDGER, unit or cast.street_a, KEY, on, by=cast.a_leader)


def test_without_the_option_a_withholding_reply_needs_no_review(cast: Any) -> None:
    app = actions.reply(app=_new(cast), by=cast.a_clerk, on=D(2026, 5, 20), **WITHHELD)
    assert app.status == Status.CLOSED


def test_with_the_option_a_withholding_reply_waits_for_an_approved_draft(cast: Any) -> None:
    _require(cast)
    app = _new(cast)
    with pytest.raises(ActionError, match="提交答复审核"):
        actions.reply(app=app, by=cast.a_clerk, on=D(2026, 5, 20), **WITHHELD)
    assert Application.objects.get(pk=app.pk).status == Status.RECEIVED

    app = actions.submit_reply(app=app, by=cast.a_clerk, on=D(2026, 5, 18), **WITHHELD)
    # While it is under review nobody replies, and it is not submitted twice.
    for attempt in (actions.reply, actions.submit_reply):
        with pytest.raises(ActionError, match="审核中"):
            attempt(app=app, by=cast.a_clerk, on=D(2026, 5, 20), **WITHHELD)
    # The submitter may not approve their own draft, even holding the reviewer's role; a
    # clerk has no reviewer's permission at all.
    with pytest.raises(ActionError):
        actions.approve_reply(app=app, by=cast.a_clerk, on=D(2026, 5, 19))
    app = actions.approve_reply(app=app, by=cast.a_reviewer, on=D(2026, 5, 19))
    # Not what was approved: refused; as approved: sent.
    changed = {**WITHHELD, "reasons": "另一个理由"}
    with pytest.raises(ActionError, match="不一致"):
        actions.reply(app=app, by=cast.a_clerk, on=D(2026, 5, 20), **changed)
    app = actions.reply(app=app, by=cast.a_clerk, on=D(2026, 5, 20), **WITHHELD)
    assert app.status == Status.CLOSED
    kinds = list(app.events.order_by("id").values_list("kind", flat=True))
    assert kinds[-3:] == [EventKind.REPLY_SUBMITTED, EventKind.REPLY_APPROVED, EventKind.REPLIED]


def test_a_returned_draft_must_be_submitted_again(cast: Any) -> None:
    _require(cast)
    app = actions.submit_reply(app=_new(cast), by=cast.a_clerk, on=D(2026, 5, 18), **WITHHELD)
    with pytest.raises(ActionError, match="退回修改的意见"):
        actions.return_reply(app=app, by=cast.a_reviewer, on=D(2026, 5, 19), reason=" ")
    app = actions.return_reply(app=app, by=cast.a_reviewer, on=D(2026, 5, 19), reason="依据不足")
    with pytest.raises(ActionError, match="提交答复审核"):
        actions.reply(app=app, by=cast.a_clerk, on=D(2026, 5, 20), **WITHHELD)
    with pytest.raises(ActionError, match="没有待审核"):
        actions.approve_reply(app=app, by=cast.a_reviewer, on=D(2026, 5, 20))
    better = {**WITHHELD, "reasons": "属于内部讨论记录，公开会影响决策"}
    app = actions.submit_reply(app=app, by=cast.a_clerk, on=D(2026, 5, 20), **better)
    app = actions.approve_reply(app=app, by=cast.a_reviewer, on=D(2026, 5, 21))
    assert actions.reply(app=app, by=cast.a_clerk, on=D(2026, 5, 22), **better).outcome == (
        "withheld_6"
    )


def test_replies_that_give_the_information_need_no_review_under_the_option(cast: Any) -> None:
    _require(cast)
    app = actions.reply(app=_new(cast), by=cast.a_clerk, on=D(2026, 5, 20), outcome="granted")
    assert app.status == Status.CLOSED


def test_a_draft_is_checked_as_the_reply_would_be(cast: Any) -> None:
    _require(cast)
    app = _new(cast)
    with pytest.raises(ActionError, match="理由"):
        actions.submit_reply(
            app=app, by=cast.a_clerk, on=D(2026, 5, 18), outcome="withheld_6", reasons=""
        )
    assert not app.events.filter(kind=EventKind.REPLY_SUBMITTED).exists()


def test_the_option_is_inherited_from_the_district_and_overridden_below(cast: Any) -> None:
    admin_leader = _district_leader(cast)
    options.set_option(LEDGER, cast.district, KEY, True, by=admin_leader)
    assert options.value(LEDGER, cast.street_b, KEY) is True
    with pytest.raises(ActionError, match="提交答复审核"):
        actions.reply(app=_new(cast), by=cast.a_clerk, on=D(2026, 5, 20), **WITHHELD)
    _require(cast, False)
    assert options.value(LEDGER, cast.street_a, KEY) is False
    assert actions.reply(app=_new(cast), by=cast.a_clerk, on=D(2026, 5, 20), **WITHHELD)


def _district_leader(cast: Any) -> Any:
    from fazhi.core.tenancy.actions import add_user

    return add_user(
        username="d_leader",
        unit=cast.district,
        role="leader",
        password="x",
        by=None,
        check_password=False,
    )


def test_the_reviewer_finds_the_draft_on_the_todo_page_and_approves_it_in_the_web(
    cast: Any,
) -> None:
    _require(cast)
    app = actions.submit_reply(app=_new(cast), by=cast.a_clerk, on=D(2026, 5, 18), **WITHHELD)
    reviewer = Client()
    reviewer.force_login(cast.a_reviewer)
    home = reviewer.get("/").content.decode()
    assert "待审核答复" in home and app.number in home
    page = reviewer.get(f"/l/disclosure/{app.pk}/m/approve_reply/").content.decode()
    assert "属于内部讨论记录" in page  # the draft being approved is shown
    assert (
        reviewer.post(f"/l/disclosure/{app.pk}/m/approve_reply/", {"on": "2026-05-19"}).status_code
        == 302
    )
    clerk = Client()
    clerk.force_login(cast.a_clerk)
    form = clerk.get(f"/l/disclosure/{app.pk}/m/reply/").content.decode()
    assert "审核通过" in form and "属于内部讨论记录</textarea>" in form


def test_the_leader_sets_the_option_on_the_ledger_settings_page(cast: Any) -> None:
    from fazhi.core.audit.models import AuditEvent

    url = "/l/disclosure/options/A1/"
    for outsider in (cast.a_clerk, cast.a_reviewer, cast.supervisor, cast.b_clerk):
        c = Client()
        c.force_login(outsider)
        assert c.get(url).status_code == 404
        assert c.post(url, {KEY: "yes"}).status_code == 404
    assert options.value(LEDGER, cast.street_a, KEY) is False

    leader = Client()
    leader.force_login(cast.a_leader)
    listing = leader.get("/l/disclosure/").content.decode()
    assert url in listing  # the list page links to it
    page = leader.get(url).content.decode()
    assert REVIEW_WITHHOLDING.label in page and "默认" in page
    assert leader.post(url, {KEY: "yes"}).status_code == 302
    assert options.value(LEDGER, cast.street_a, KEY) is True
    event = AuditEvent.objects.get(code="disclosure.option.set")
    assert (event.unit_code, event.data["from"], event.data["to"]) == ("A1", "沿用上级", "是")
    assert "本单位设置" in leader.get(url).content.decode()
    # A forged value changes nothing; saving the same again writes no audit event.
    leader.post(url, {KEY: "maybe"})
    leader.post(url, {KEY: "yes"})
    assert options.value(LEDGER, cast.street_a, KEY) is True
    assert AuditEvent.objects.filter(code="disclosure.option.set").count() == 1
    leader.post(url, {KEY: ""})
    assert options.value(LEDGER, cast.street_a, KEY) is False
    assert AuditEvent.objects.filter(code="disclosure.option.set").count() == 2
