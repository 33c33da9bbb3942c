"""12345 work orders in the API: pushed idempotently by 工单编号 through `upsert_order`, listed
masked, read in full only by a token that handles the unit, refused in Chinese with field paths."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection

from fazhi.core.api import tokens
from fazhi.core.api.tests.test_schemathesis import (  # noqa: F401  (the fixture)
    CHECKS,
    _keep_the_test_connection,
    _operations,
)
from fazhi.core.audit.models import AuditEvent
from fazhi.core.records.tests.helpers import TODAY, at
from fazhi.ledgers.hotline import actions
from fazhi.ledgers.hotline.models import WorkOrder, WorkOrderEvent

API = "/api/v1/hotline"
BODY = {
    "called_at": "2026-11-02T09:30:00+08:00",
    "category": "complaint",
    "content": "小区门口路灯不亮",
    "phone": "13912345678",
    "requester": "王小明",
    "address": "东湖街道幸福路8号",
}


@pytest.fixture(autouse=True)
def _today(historical_entry: None) -> Iterator[None]:
    with at(TODAY):
        yield


@pytest.fixture
def a_write(cast: Any) -> tokens.Issued:
    return tokens.issue_token(unit=cast.street_a, name="东湖12345推送", scope="write", by=None)


@pytest.fixture
def b_write(cast: Any) -> tokens.Issued:
    return tokens.issue_token(unit=cast.street_b, name="西城12345推送", scope="write", by=None)


@pytest.fixture
def district_read(cast: Any) -> tokens.Issued:
    return tokens.issue_token(unit=cast.district, name="区监督平台", scope="read", by=None)


def client(issued: tokens.Issued) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")


def put(c: Client, path: str, data: Any) -> Any:
    raw = data if isinstance(data, str) else json.dumps(data)
    return c.put(path, data=raw, content_type="application/json")


def errors(response: Any) -> list[dict[str, Any]]:
    return list(response.json()["errors"])


def counts() -> dict[str, int]:
    return {
        "orders": WorkOrder.with_voided.count(),
        "events": WorkOrderEvent.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.timezone(dt.timedelta(hours=8)))


# --- idempotent push -------------------------------------------------------------------------


def test_the_same_push_twice_makes_one_order(cast: Any, a_write: Any) -> None:
    first = put(client(a_write), f"{API}/A1/GD-001", BODY)
    assert first.status_code == 201, first.content
    assert first.json()["result"] == "created"
    record = first.json()["record"]
    assert (record["number"], record["unit"], record["status"]) == ("GD-001", "A1", "received")
    assert record["called_at"] == "2026-11-02T09:30:00+08:00"
    after_first = counts()
    again = put(client(a_write), f"{API}/A1/GD-001", BODY)
    assert again.status_code == 200
    assert again.json() == {"result": "unchanged", "record": record}
    assert counts() == after_first
    assert WorkOrder.objects.filter(unit=cast.street_a, number="GD-001").count() == 1


def test_a_full_width_push_is_stored_in_half_width(cast: Any, a_write: Any) -> None:
    put(client(a_write), f"{API}/A1/T-OLD", BODY)
    wide = put(client(a_write), f"{API}/A1/Ｔ－ＯＬＤ", {**BODY, "phone": "１３９１２３４５６７８"})
    assert wide.status_code in (200, 201), wide.content
    assert wide.json()["record"]["number"] == "T-OLD"
    assert list(WorkOrder.objects.values_list("number", "phone")) == [("T-OLD", "13912345678")]
    new = put(client(a_write), f"{API}/A1/Ｔ－ＮＥＷ", {**BODY, "phone": "１３９１２３４５６７８"})
    assert new.status_code == 201 and new.json()["record"]["number"] == "T-NEW"
    assert WorkOrder.objects.get(number="T-NEW").phone_key == "13912345678"


def test_a_changed_push_updates_in_place_audited_as_the_token(cast: Any, a_write: Any) -> None:
    put(client(a_write), f"{API}/A1/GD-001", BODY)
    actor = a_write.token.actor
    changed = put(client(a_write), f"{API}/A1/GD-001", {**BODY, "content": "路灯仍然不亮"})
    assert changed.status_code == 200
    assert changed.json()["result"] == "updated"
    assert changed.json()["record"]["content"] == "路灯仍然不亮"
    updated = AuditEvent.objects.get(code="hotline.order.updated")
    assert (updated.actor_id, updated.unit_code) == (actor.pk, "A1")
    assert updated.data["changes"] == {"content": ["小区门口路灯不亮", "路灯仍然不亮"]}
    order = WorkOrder.objects.get(number="GD-001")
    assert order.created_by == actor and order.content == "路灯仍然不亮"


def test_a_push_with_new_steps_makes_them_once(cast: Any, a_write: Any) -> None:
    put(client(a_write), f"{API}/A1/GD-001", BODY)
    steps = {
        **BODY,
        "dispatched_at": "2026-11-02T10:00:00+08:00",
        "time_limit": "2026-11-09T18:00:00+08:00",
        "feedback_at": "2026-11-05T16:00:00+08:00",
        "result": "已更换灯泡",
    }
    pushed = put(client(a_write), f"{API}/A1/GD-001", steps)
    assert pushed.status_code == 200, pushed.content
    assert pushed.json()["result"] == "updated"
    record = pushed.json()["record"]
    assert (record["status"], record["limit_source"], record["on_time"]) == (
        "fed_back",
        "file",
        True,
    )
    order = WorkOrder.objects.get(number="GD-001")
    kinds = list(WorkOrderEvent.objects.filter(record=order).values_list("kind", "by"))
    actor = a_write.token.actor
    assert kinds == [("registered", actor.pk), ("dispatched", actor.pk), ("fed_back", actor.pk)]
    before = counts()
    assert put(client(a_write), f"{API}/A1/GD-001", steps).json()["result"] == "unchanged"
    assert counts() == before


# --- the door --------------------------------------------------------------------------------


def test_another_street_gets_the_404_of_a_missing_order(
    cast: Any, a_write: Any, b_write: Any
) -> None:
    put(client(a_write), f"{API}/A1/GD-001", BODY)
    theirs = client(b_write).get(f"{API}/A1/GD-001")
    missing = client(b_write).get(f"{API}/B1/GD-001")
    no_unit = client(b_write).get(f"{API}/ZZ9/GD-001")
    assert theirs.status_code == missing.status_code == no_unit.status_code == 404
    assert theirs.content == missing.content == no_unit.content
    assert "GD-001" not in theirs.content.decode() and "东湖" not in theirs.content.decode()
    before = counts()
    for number in ("GD-001", "GD-002"):
        pushed = put(client(b_write), f"{API}/A1/{number}", {**BODY, "content": "越权"})
        assert pushed.status_code == 404
        assert pushed.content == missing.content
    assert counts() == before
    assert client(b_write).get(API).json()["items"] == []
    assert client(b_write).get(API, {"unit": "A1"}).json()["items"] == []


def test_a_read_token_cannot_push(cast: Any, district_read: Any) -> None:
    before = counts()
    response = put(client(district_read), f"{API}/A1/GD-001", BODY)
    assert response.status_code == 403
    assert errors(response) == [
        {"loc": ["header", "Authorization"], "msg": "该令牌为只读令牌，不能写入"}
    ]
    assert counts() == before


def test_lists_mask_and_only_a_handling_token_reads_in_full(
    cast: Any, a_write: Any, district_read: Any
) -> None:
    put(client(a_write), f"{API}/A1/GD-001", BODY)
    listed = client(district_read).get(API).json()["items"]
    assert [(o["number"], o["phone"], o["requester"]) for o in listed] == [
        ("GD-001", "139****5678", "王**")
    ]
    assert "13912345678" not in json.dumps(client(a_write).get(API).json())
    read = client(district_read).get(f"{API}/A1/GD-001").json()
    assert (read["phone"], read["requester"]) == ("139****5678", "王**")
    assert read["address"] != BODY["address"] and "幸福路8号" not in read["address"]
    full = client(a_write).get(f"{API}/A1/GD-001").json()
    assert (full["phone"], full["requester"], full["address"]) == (
        "13912345678",
        "王小明",
        "东湖街道幸福路8号",
    )


def test_an_anonymous_requester_is_shown_as_is(cast: Any, a_write: Any, district_read: Any) -> None:
    put(client(a_write), f"{API}/A1/GD-001", {**BODY, "requester": "匿名"})
    listed = client(district_read).get(API).json()["items"]
    read = client(district_read).get(f"{API}/A1/GD-001").json()
    assert (listed[0]["requester"], read["requester"]) == ("匿名", "匿名")


# --- refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body", "expected"),
    [
        ("GD-001", {**BODY, "category": "gossip"}, [{"loc": ["body", "category"], "msg": "应为以下之一：consult、help、complaint、report、suggestion、praise"}]),
        ("%20%20", BODY, [{"loc": ["path", "number"], "msg": "编号须为1至64个字符，不含控制字符"}]),
        ("GD-001", {**BODY, "called_at": "2026-02-30T09:00:00+08:00"}, [{"loc": ["body", "called_at"], "msg": "不是有效时间（应为 ISO 8601，如 2026-03-01T09:30:00+08:00）"}]),
        ("GD-001", {**BODY, "called_at": "2026-11-02T09:00:00"}, [{"loc": ["body", "called_at"], "msg": "须带时区（如 +08:00）"}]),
        ("GD-001", {**BODY, "called_at": "0001-01-01T00:00:00+14:00"}, [{"loc": ["body", "called_at"], "msg": "时间超出范围（应在1900年至2999年之间）"}]),
        ("GD-001", {**BODY, "called_at": "2026-12-01T09:00:00+08:00"}, [{"loc": ["body", "called_at"], "msg": "来电日期不能晚于今天（2026-11-25）"}]),
        ("GD-001", {"category": "help"}, [{"loc": ["body", "called_at"], "msg": "必填"}, {"loc": ["body", "content"], "msg": "必填"}]),
        ("GD-001", {**BODY, "content": ""}, [{"loc": ["body", "content"], "msg": "不能为空"}]),
        ("GD-001", {**BODY, "content": "\x00\x01"}, [{"loc": ["body", "content"], "msg": "请填写诉求内容"}]),
        ("GD-001", {**BODY, "returns": -1}, [{"loc": ["body", "returns"], "msg": "不能小于0"}]),
        ("GD-001", {**BODY, "urgency": "asap"}, [{"loc": ["body", "urgency"], "msg": "应为以下之一：urgent、normal"}]),
        ("GD-001", "{not json", [{"loc": ["body"], "msg": "请求体不是有效的 JSON"}]),
        ("API-012", {**BODY, "dispatched_at": "2026-11-03T10:00:00+08:00", "visit_result": "satisfied"}, [{"loc": ["body", "visit_result"], "msg": "「回访」不能在「办理中」状态下发生（请核对「回访结果」）"}]),
        ("API-013", {**BODY, "feedback_at": "2026-11-03T10:00:00+08:00", "result": "已处理"}, [{"loc": ["body", "feedback_at"], "msg": "「反馈」不能在「待派单」状态下发生（请核对「反馈时间」）"}]),
        ("GD-001", {**BODY, "dispatched_at": "2026-11-03T10:00:00+08:00", "time_limit": "2026-11-03T08:00:00+08:00"}, [{"loc": ["body", "time_limit"], "msg": "办理时限不能早于派单时间"}]),
    ],
)  # fmt: skip
def test_bad_pushes_are_refused_in_chinese_with_field_paths(
    cast: Any, a_write: Any, path: str, body: Any, expected: list[dict[str, Any]]
) -> None:
    before = counts()
    response = put(client(a_write), f"{API}/A1/{path}", body)
    assert response.status_code in (400, 422), response.content
    assert errors(response) == expected
    assert counts() == before


def test_a_bad_update_writes_nothing(cast: Any, a_write: Any) -> None:
    put(client(a_write), f"{API}/A1/GD-001", BODY)
    before = counts()
    early = {**BODY, "content": "改了", "dispatched_at": "2026-11-01T08:00:00+08:00"}
    response = put(client(a_write), f"{API}/A1/GD-001", early)
    assert response.status_code == 422
    assert errors(response) == [
        {"loc": ["body", "dispatched_at"], "msg": "派单时间不能早于来电时间"}
    ]
    assert counts() == before
    assert WorkOrder.objects.get(number="GD-001").content == BODY["content"]


def test_an_update_may_not_move_the_limit_before_the_dispatch(cast: Any, a_write: Any) -> None:
    dispatched = {**BODY, "dispatched_at": "2026-11-03T10:00:00+08:00"}
    put(client(a_write), f"{API}/A1/GD-001", dispatched)
    before = counts()
    response = put(
        client(a_write),
        f"{API}/A1/GD-001",
        {**dispatched, "time_limit": "2026-11-03T08:00:00+08:00"},
    )
    assert response.status_code == 422
    assert errors(response) == [{"loc": ["body", "time_limit"], "msg": "办理时限不能早于派单时间"}]
    assert counts() == before


# --- the list --------------------------------------------------------------------------------


def _order(cast: Any, number: str, **fields: Any) -> WorkOrder:
    base = {
        "called_at": local(2026, 11, 2, 9, 0),
        "category": "help",
        "content": "诉求",
    }
    return actions.upsert_order(
        unit=cast.street_a, by=cast.a_clerk, number=number, **{**base, **fields}
    ).order


def test_pages_walk_every_order_once(cast: Any, a_write: Any) -> None:
    made = [_order(cast, f"P-{n}").number for n in range(5)]
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        query = {"limit": "2", **({"cursor": cursor} if cursor else {})}
        page = client(a_write).get(API, query).json()
        seen += [o["number"] for o in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
        if pages == 1:  # registered meanwhile: at the end, never shifting a page
            made.append(_order(cast, "P-late").number)
    assert seen == made and pages == 3


def test_list_filters(cast: Any, a_write: Any) -> None:
    _order(cast, "early", called_at=local(2026, 11, 2, 9, 0), category="consult")
    _order(cast, "urgent", called_at=local(2026, 11, 10, 9, 0), urgency="urgent")
    _order(
        cast,
        "late",  # dispatched with a limit long past and never fed back: overdue
        called_at=local(2026, 11, 3, 9, 0),
        dispatched_at=local(2026, 11, 3, 10, 0),
        time_limit=local(2026, 11, 6, 18, 0),
    )
    _order(
        cast,
        "closed",  # past its limit too, but closed: not overdue
        called_at=local(2026, 11, 3, 9, 0),
        dispatched_at=local(2026, 11, 3, 10, 0),
        time_limit=local(2026, 11, 6, 18, 0),
        closed_at=local(2026, 11, 20, 9, 0),
    )

    def numbers(**query: str) -> list[str]:
        response = client(a_write).get(API, query)
        assert response.status_code == 200, response.content
        return [o["number"] for o in response.json()["items"]]

    assert numbers() == ["early", "urgent", "late", "closed"]
    assert numbers(category="consult") == ["early"]
    assert numbers(urgency="urgent") == ["urgent"]
    assert numbers(status="closed") == ["closed"]
    assert numbers(status="handling") == ["late"]
    assert numbers(called_from="2026-11-03") == ["urgent", "late", "closed"]
    assert numbers(called_to="2026-11-03") == ["early", "late", "closed"]
    assert numbers(called_from="2026-11-03", called_to="2026-11-03") == ["late", "closed"]
    assert numbers(overdue="true") == ["late"]
    assert numbers(overdue="false") == ["early", "urgent", "closed"]
    refused = client(a_write).get(API, {"category": "gossip"})
    assert refused.status_code == 422 and errors(refused)[0]["loc"] == ["query", "category"]
    misspelt = client(a_write).get(API, {"called_form": "2026-11-03"})
    assert errors(misspelt) == [{"loc": ["query", "called_form"], "msg": "不认识的查询参数"}]


# --- the fuzz --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hotline_operations(django_db_blocker: Any) -> list[Any]:
    with django_db_blocker.unblock():
        return [op for op in _operations() if op.path.startswith("/api/v1/hotline")]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.usefixtures("_keep_the_test_connection")
def test_the_hotline_operations_are_fuzzed(
    cast: Any, hotline_operations: list[Any], mode: GenerationMode
) -> None:
    """The suite's schemathesis run covers every registered operation; this is the same run
    over the hotline's three, with a valid 来电时间 in half the bodies so creates and updates
    reach `upsert_order`, and the check that they did."""
    secret = tokens.issue_token(unit=cast.street_a, name="fuzz", scope="write", by=None).secret
    headers = {"Authorization": f"Bearer {secret}"}
    mine = hotline_operations
    assert {op.label for op in mine} == {
        "GET /api/v1/hotline",
        "GET /api/v1/hotline/{unit}/{number}",
        "PUT /api/v1/hotline/{unit}/{number}",
    }
    checks = [*CHECKS, negative_data_rejection] if mode is GenerationMode.NEGATIVE else CHECKS
    statuses: dict[str, set[int]] = {}

    def fuzz(operation: Any) -> None:
        @settings(
            max_examples=30,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode), own_unit=st.booleans())
        def run(case: Any, own_unit: bool) -> None:
            if own_unit and case.path_parameters and "unit" in case.path_parameters:
                case.path_parameters["unit"] = "A1"
                if mode is GenerationMode.POSITIVE and isinstance(case.body, dict):
                    case.body["called_at"] = "2026-11-02T09:30:00+08:00"
                    for late in ("dispatched_at", "feedback_at", "closed_at", "time_limit"):
                        case.body.pop(late, None)
            response = case.call_and_validate(headers=headers, checks=checks)
            statuses.setdefault(operation.label, set()).add(response.status_code)

        run()

    for operation in mine:
        fuzz(operation)
    if mode is GenerationMode.POSITIVE:
        assert 200 in statuses["GET /api/v1/hotline"]
        # Creates reached the ledger; nothing else than a write, a refusal of the body or a
        # unit the token cannot see (judged before the body, so which of 200 and 422 the
        # generated cases reach varies with the run).
        put = statuses["PUT /api/v1/hotline/{unit}/{number}"]
        assert 201 in put and put <= {200, 201, 404, 422}
    else:
        assert 422 in statuses["GET /api/v1/hotline"]
        assert 422 in statuses["PUT /api/v1/hotline/{unit}/{number}"]


def test_a_visit_pushed_to_an_open_stored_order_is_refused(cast: Any, a_write: Any) -> None:
    dispatched = {**BODY, "dispatched_at": "2026-11-03T10:00:00+08:00"}
    put(client(a_write), f"{API}/A1/API-012", dispatched)
    before = counts()
    response = put(
        client(a_write), f"{API}/A1/API-012", {**dispatched, "visit_result": "satisfied"}
    )
    assert response.status_code == 422
    assert errors(response) == [
        {
            "loc": ["body", "visit_result"],
            "msg": "「回访」不能在「办理中」状态下发生（请核对「回访结果」）",
        }
    ]
    assert counts() == before and WorkOrder.objects.get(number="API-012").visit_result == ""


def test_pushed_history_is_labelled_for_a_clerk(cast: Any, a_write: Any) -> None:
    put(client(a_write), f"{API}/A1/GD-001", {**BODY, "dispatched_at": "2026-11-03T10:00:00+08:00"})
    order = WorkOrder.objects.get(number="GD-001")
    reasons = {e.data.get("backdate_reason") for e in order.events.all()}
    assert reasons == {"平台推送"}, reasons  # the page reads （补录）补录原因：平台推送
