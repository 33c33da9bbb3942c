"""The 主动公开 register (条例 Arts. 19–26): the 20-工作日 clock, what an entry may carry for table 二,
publication, corrections and the audit — all through the actions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from fazhi.core.audit.models import AuditEvent
from fazhi.core.records import queries
from fazhi.core.records.clocks import badge
from fazhi.core.workflow import ActionError
from fazhi.ledgers.disclosure.proactive import actions
from fazhi.ledgers.disclosure.proactive.ledger import LEDGER
from fazhi.ledgers.disclosure.proactive.models import ProactiveEvent, ProactiveItem, Status

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(dt.datetime(2026, 11, 25, 10, tzinfo=dt.UTC), tick=False):
        yield


MARCH_2 = D(2026, 3, 2)


def entry(cast: Any, made: dt.date = MARCH_2, **kw: Any) -> ProactiveItem:
    fields = {"title": "东湖街道2026年工作要点", "category": "art20_03"} | kw
    return actions.register(unit=cast.street_a, by=cast.a_clerk, made_on=made, **fields)


# 2026: 春节 off 2-15..2-23, 调休 workdays Sat 2-14 and Sat 2-28; 劳动节 off 5-1..5-5, Sat 5-9
# worked; 中秋 off 9-25..9-27; 国庆 off 10-1..10-7, Sun 9-20 and Sat 10-10 worked. The day the
# information is made does not count (DESIGN invariant 4). Counted by hand.
@pytest.mark.parametrize(
    ("made", "due", "provisional"),
    [
        pytest.param(D(2026, 3, 2), D(2026, 3, 30), False, id="plain-monday"),
        pytest.param(D(2026, 2, 10), D(2026, 3, 16), False, id="across-spring-festival"),
        pytest.param(D(2026, 2, 14), D(2026, 3, 20), False, id="made-on-a-make-up-saturday"),
        pytest.param(D(2026, 3, 7), D(2026, 4, 3), False, id="made-on-a-saturday-off"),
        pytest.param(D(2026, 4, 28), D(2026, 5, 28), False, id="across-labour-day"),
        pytest.param(D(2026, 9, 15), D(2026, 10, 19), False, id="across-mid-autumn-and-national"),
    ],
)
def test_publication_clock(cast: Any, made: dt.date, due: dt.date, provisional: bool) -> None:
    item = entry(cast, made)
    assert item.publish_due_on == due
    assert item.due_on == due and item.due_kind == "publication"
    assert item.due_provisional is provisional


def test_a_clock_running_into_an_unloaded_year_is_provisional(cast: Any) -> None:
    with time_machine.travel(dt.datetime(2026, 12, 28, 10, tzinfo=dt.UTC), tick=False):
        item = entry(cast, D(2026, 12, 20))
    # 2027 is not loaded: Mon–Fri stand in for it, 1月1日 included, and the date says 暂定.
    assert (item.publish_due_on, item.due_provisional) == (D(2027, 1, 15), True)


def test_badges_and_todo_follow_the_clock(cast: Any) -> None:
    today = D(2026, 11, 25)
    overdue = entry(cast, D(2026, 10, 20), title="逾期未公开")  # due 2026-11-17
    soon = entry(cast, D(2026, 10, 28), title="临期")  # due 2026-11-25
    later = entry(cast, D(2026, 11, 20), title="刚形成")
    done = entry(
        cast, D(2026, 10, 20), title="已公开", published_on=D(2026, 11, 24), channel="website"
    )
    assert [badge(LEDGER, i, today) for i in (overdue, soon, later, done)] == [
        "逾期",
        "临期",
        "",
        "",
    ]
    todo = queries.todo(LEDGER, ProactiveItem.objects.all(), today)
    assert list(todo["逾期"]) == [overdue]
    assert list(todo["临期"]) == [soon]


def test_publishing_records_where_and_whether_in_time(cast: Any) -> None:
    item = entry(cast, D(2026, 3, 2))
    item = actions.publish(
        item, by=cast.a_clerk, on=D(2026, 3, 31), channel="new_media", location="“东湖发布”公众号"
    )
    assert item.status == Status.PUBLISHED
    assert (item.published_on, item.channel, item.location) == (
        D(2026, 3, 31),
        "new_media",
        "“东湖发布”公众号",
    )
    # The due date stays after publication: one day late.
    assert item.publish_due_on == D(2026, 3, 30)
    assert item.due_on is None
    codes = list(
        AuditEvent.objects.filter(object_type="disclosure.proactive", object_id=str(item.pk))
        .order_by("id")
        .values_list("code", flat=True)
    )
    assert codes == ["disclosure.proactive.registered", "disclosure.proactive.published"]


def test_registering_as_published_is_one_step(cast: Any) -> None:
    item = entry(cast, published_on=D(2026, 3, 5), channel="website")
    assert item.status == Status.PUBLISHED
    assert list(item.events.values_list("kind", flat=True)) == ["registered", "published"]
    assert item.number == "A1/2026-00001"
    assert entry(cast, D(2025, 12, 30)).number == "A1/2025-00001"


def test_a_publication_before_the_information_existed_is_refused(cast: Any) -> None:
    with pytest.raises(ActionError, match="不能早于信息形成（变更）日期"):
        entry(cast, D(2026, 3, 10), published_on=D(2026, 3, 9), channel="website")
    assert not ProactiveItem.with_voided.exists()


VALID_TABLE2 = [
    {"category": "art20_01", "table2_kind": "normative_documents", "doc_action": "issued"},
    {"category": "art20_01", "table2_kind": "regulations", "doc_action": "repealed"},
    {"category": "art20_01"},  # e.g. a district document forwarded: not the unit's own
    {"category": "art20_05", "table2_kind": "licensing", "quantity": 12},
    {"category": "art20_05", "table2_kind": "licensing"},  # the procedure, no decisions
    {"category": "art20_06", "table2_kind": "penalty", "quantity": 3},
    {"category": "art20_06", "table2_kind": "coercion", "quantity": 1},
    {"category": "art20_08", "table2_kind": "fees", "amount": Decimal("1200.50")},
]
INVALID_TABLE2 = [
    ({"category": "art20_02", "table2_kind": "penalty"}, "table2_kind", "不计入年报表二"),
    ({"category": "art20_06", "table2_kind": "licensing"}, "table2_kind", "行政处罚、行政强制"),
    ({"category": "art20_01", "table2_kind": "normative_documents"}, "doc_action", "制发还是废止"),
    ({"category": "art20_06", "doc_action": "issued"}, "doc_action", "只有规章、规范性文件"),
    ({"category": "art20_06", "quantity": 3}, "quantity", "应为行政许可、行政处罚或行政强制"),
    ({"category": "art20_07", "amount": Decimal(5)}, "amount", "应为行政事业性收费"),
    ({"category": "art20_08", "table2_kind": "fees", "amount": Decimal(-1)}, "amount", "不小于 0"),
    ({"category": "art99"}, "category", "请选择主动公开的类别"),
    ({"title": "  "}, "title", "请填写政府信息的名称"),
    ({"change_kind": "renamed"}, "change_kind", "新形成或变更"),
    ({"channel": "website"}, "published_on", "请同时填写公开日期"),
    ({"published_on": D(2026, 3, 3), "channel": "radio"}, "channel", "请选择公开途径"),
    # What the catalogue publishes never carries an ID number, however it is typed.
    ({"title": "王某（110105 19491231 002X）处罚决定"}, "title", "「名称」中含有身份证号码"),
    ({"doc_number": "东罚字11010519491231002X号"}, "doc_number", "「文号」中含有身份证号码"),
    (
        {"summary": "当事人证件号１１０１０５４９１２３１００２"},
        "summary",
        "「内容概述」中含有身份证号码",
    ),
]


@pytest.mark.parametrize("fields", VALID_TABLE2)
def test_what_an_entry_may_count_in_table_2(cast: Any, fields: dict[str, Any]) -> None:
    item = entry(cast, **fields)
    assert item.table2_kind == fields.get("table2_kind", "")


@pytest.mark.parametrize(("fields", "field", "message"), INVALID_TABLE2)
def test_bad_entries_are_refused_in_chinese_and_write_nothing(
    cast: Any, fields: dict[str, Any], field: str, message: str
) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(ActionError, match=message) as caught:
        entry(cast, **fields)
    assert caught.value.field == field
    assert not ProactiveItem.with_voided.exists() and not ProactiveEvent.objects.exists()
    assert AuditEvent.objects.count() == before


def test_correction_moves_the_clock_and_keeps_the_rules(cast: Any) -> None:
    item = entry(cast, D(2026, 3, 2))
    item = actions.correct(item, by=cast.a_clerk, reason="日期录错", made_on=D(2026, 2, 10))
    assert item.publish_due_on == D(2026, 3, 16)
    with pytest.raises(ActionError, match="不计入年报表二"):
        actions.correct(item, by=cast.a_clerk, reason="改类别", table2_kind="fees")


def test_undoing_a_publication_restores_the_waiting_entry(cast: Any) -> None:
    item = entry(cast, published_on=D(2026, 3, 5), channel="website", location="专栏")
    with pytest.raises(ActionError, match="权限"):
        actions.undo(item, by=cast.a_clerk, reason="日期录错")
    item = actions.undo(item, by=cast.a_leader, reason="日期录错")
    assert (item.status, item.published_on, item.channel, item.location) == (
        Status.PENDING,
        None,
        "",
        "",
    )
    assert item.due_on == D(2026, 3, 30)


def test_the_outsider_cannot_register_or_publish_in_a(cast: Any) -> None:
    with pytest.raises(ActionError):
        actions.register(
            unit=cast.street_a,
            by=cast.b_clerk,
            title="越权",
            category="art20_02",
            made_on=D(2026, 3, 2),
        )
    item = entry(cast)
    with pytest.raises(ActionError, match="未找到"):
        actions.publish(item, by=cast.b_clerk, on=D(2026, 3, 3), channel="website")
    item.refresh_from_db()
    assert item.status == Status.PENDING
