"""The endpoints, on the kit's toy ledger: tokens, the door, pages, filters, idempotent writes
audited as the token, Chinese error bodies with field paths. 信访's read-only resource is tested
in its ledger (fazhi/ledgers/petitions/tests/test_api.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from fazhi.core.api import tokens
from fazhi.core.api.tests.conftest import api_client, put
from fazhi.core.audit.models import AuditEvent
from fazhi.core.records.tests.helpers import counts, new_case
from fazhi.core.records.tests.toy.models import Case, CaseEvent

TOY = "/api/v1/toy"
BODY = {"received_on": "2026-11-02", "subject": "平台推送的事项", "category": "person"}


def errors(response: Any) -> list[dict[str, Any]]:
    return list(response.json()["errors"])


# --- 401 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer nonsense", "Basic YTpi", "Token fz_0000000000_" + "a" * 43],
)
def test_no_usable_token_is_401_in_chinese(cast: Any, a_write: Any, header: str | None) -> None:
    client = Client(HTTP_AUTHORIZATION=header) if header else Client()
    before = counts()
    for response in (
        client.get(TOY),
        client.get(f"{TOY}/A1/X-1"),
        put(client, f"{TOY}/A1/X-1", BODY),
        client.get("/api/v1/petitions"),
    ):
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert errors(response) == [
            {"loc": ["header", "Authorization"], "msg": errors(response)[0]["msg"]}
        ]
        assert "令牌" in errors(response)[0]["msg"]
    assert counts() == before


def test_a_revoked_token_is_401_from_its_next_request(cast: Any, a_write: Any) -> None:
    client = api_client(a_write.secret)
    assert client.get(TOY).status_code == 200
    tokens.revoke_token(token=a_write.token, by=None)
    assert client.get(TOY).status_code == 401


# --- the door --------------------------------------------------------------------------------


def test_a_record_outside_the_token_answers_like_a_missing_one(
    cast: Any, a_write: Any, b_write: Any
) -> None:
    case = new_case(cast, number="A-001")
    theirs = api_client(b_write.secret).get(f"{TOY}/A1/A-001")
    missing = api_client(b_write.secret).get(f"{TOY}/B1/A-001")
    no_unit = api_client(b_write.secret).get(f"{TOY}/ZZ9/A-001")
    assert theirs.status_code == missing.status_code == no_unit.status_code == 404
    assert theirs.content == missing.content == no_unit.content
    assert "A-001" not in theirs.content.decode() and "东湖" not in theirs.content.decode()
    own = api_client(a_write.secret).get(f"{TOY}/A1/A-001")
    assert own.status_code == 200 and own.json()["number"] == case.number


def test_an_outsider_cannot_write_into_another_unit(cast: Any, a_write: Any, b_write: Any) -> None:
    new_case(cast, number="A-001")
    before = counts()
    for number in ("A-001", "A-002"):
        response = put(api_client(b_write.secret), f"{TOY}/A1/{number}", BODY)
        assert response.status_code == 404
    assert counts() == before


def test_lists_show_only_the_token_units(
    cast: Any, a_write: Any, b_write: Any, district_read: Any
) -> None:
    new_case(cast, number="A-001")
    put(api_client(b_write.secret), f"{TOY}/B1/B-001", BODY)

    def numbers(secret: str, **query: str) -> list[str]:
        page = api_client(secret).get(TOY, query)
        assert page.status_code == 200
        return [r["number"] for r in page.json()["items"]]

    assert numbers(a_write.secret) == ["A-001"]
    assert numbers(b_write.secret) == ["B-001"]
    assert numbers(b_write.secret, unit="A1") == []
    assert numbers(b_write.secret, number="A-001") == []
    assert sorted(numbers(district_read.secret)) == ["A-001", "B-001"]
    assert numbers(district_read.secret, unit="B1") == ["B-001"]


# --- pages -----------------------------------------------------------------------------------


def test_pages_walk_every_record_once_in_a_stable_order(cast: Any, a_write: Any) -> None:
    made = [new_case(cast, number=f"A-{n:03d}").number for n in range(7)]
    client = api_client(a_write.secret)
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        query = {"limit": "3", **({"cursor": cursor} if cursor else {})}
        page = client.get(TOY, query).json()
        seen += [r["number"] for r in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
        # A record registered meanwhile comes at the end, never shifting a page.
        if pages == 1:
            made.append(new_case(cast, number="A-late").number)
    assert seen == made and pages == 3


@pytest.mark.parametrize(
    ("query", "loc", "msg"),
    [
        ({"limit": "201"}, ["query", "limit"], "不能大于200"),
        ({"limit": "0"}, ["query", "limit"], "不能小于1"),
        ({"limit": "十"}, ["query", "limit"], "应为整数"),
        ({"cursor": "not-a-cursor"}, ["query", "cursor"], "分页游标无效，请使用上一页返回的 next_cursor"),
        ({"cursor": "aWQ6OTk5OTk5OTk5OTk5OTk5OTk5OTk5"}, ["query", "cursor"], "分页游标无效，请使用上一页返回的 next_cursor"),
        ({"received_from": "2026-02-30"}, ["query", "received_from"], "不是有效日期（应为 YYYY-MM-DD）"),
        ({"number": "A\x00"}, ["query", "number"], "含有不允许的控制字符"),
    ],
)  # fmt: skip
def test_bad_list_queries_are_422_with_their_place(
    cast: Any, a_write: Any, query: dict[str, str], loc: list[str], msg: str
) -> None:
    response = api_client(a_write.secret).get(TOY, query)
    assert response.status_code == 422
    assert errors(response) == [{"loc": loc, "msg": msg}]


def test_filters_by_date_and_status(cast: Any, a_write: Any) -> None:
    new_case(cast, dt.date(2026, 11, 2), number="A-early")
    new_case(cast, dt.date(2026, 11, 20), number="A-late")
    client = api_client(a_write.secret)

    def numbers(**query: str) -> list[str]:
        return [r["number"] for r in client.get(TOY, query).json()["items"]]

    assert numbers(received_from="2026-11-10") == ["A-late"]
    assert numbers(received_to="2026-11-10") == ["A-early"]
    assert numbers(status="received") == ["A-early", "A-late"]
    assert numbers(status="closed") == []


# --- idempotent upsert -----------------------------------------------------------------------


def test_the_same_push_creates_once_then_answers_unchanged(cast: Any, a_write: Any) -> None:
    client = api_client(a_write.secret)
    first = put(client, f"{TOY}/A1/P-001", BODY)
    assert first.status_code == 201
    assert first.json()["result"] == "created"
    assert first.json()["record"] | {"due_on": None} == first.json()["record"] | {"due_on": None}
    record = first.json()["record"]
    assert (record["number"], record["unit"], record["status"]) == ("P-001", "A1", "received")
    assert record["handle_due_on"] == "2026-11-16"  # the kit's clock ran: 10 工作日
    after_first = counts()
    again = put(client, f"{TOY}/A1/P-001", BODY)
    assert again.status_code == 200
    assert again.json() == {"result": "unchanged", "record": record}
    assert counts() == after_first


def test_a_changed_push_corrects_the_record_as_the_token(cast: Any, a_write: Any) -> None:
    client = api_client(a_write.secret)
    put(client, f"{TOY}/A1/P-001", BODY)
    changed = put(client, f"{TOY}/A1/P-001", {**BODY, "subject": "诉求已更新"})
    assert changed.status_code == 200
    assert changed.json()["result"] == "updated"
    assert changed.json()["record"]["subject"] == "诉求已更新"
    case = Case.objects.get(number="P-001")
    actor = a_write.token.actor
    assert case.created_by == actor
    assert list(CaseEvent.objects.filter(record=case).values_list("kind", "by")) == [
        ("registered", actor.pk),
        ("fields_corrected", actor.pk),
    ]
    audit = AuditEvent.objects.filter(object_type="toy.case").order_by("id")
    assert [(e.code, e.actor, e.actor_id, e.unit_code) for e in audit] == [
        ("toy.case.registered", actor.username, actor.pk, "A1"),
        ("toy.case.fields_corrected", actor.username, actor.pk, "A1"),
    ]
    assert audit.last().data["changes"] == {"subject": ["平台推送的事项", "诉求已更新"]}  # type: ignore[union-attr]


def test_an_id_number_normalised_back_is_unchanged(cast: Any, a_write: Any) -> None:
    client = api_client(a_write.secret)
    put(client, f"{TOY}/A1/P-001", {**BODY, "id_number": "11010519491231002X"})
    before = counts()
    again = put(client, f"{TOY}/A1/P-001", {**BODY, "id_number": "11010519491231002x"})
    assert again.json()["result"] == "unchanged"
    assert again.json()["record"]["id_number"] == "110***********002X"
    assert counts() == before


def test_a_read_token_may_not_write(cast: Any, district_read: Any) -> None:
    before = counts()
    response = put(api_client(district_read.secret), f"{TOY}/A1/P-001", BODY)
    assert response.status_code == 403
    assert errors(response) == [
        {"loc": ["header", "Authorization"], "msg": "该令牌为只读令牌，不能写入"}
    ]
    assert counts() == before


@pytest.mark.parametrize("body", [{}, "{not json", {**BODY, "received_on": "2026-13-01"}])
def test_rights_are_judged_before_the_body(
    cast: Any, a_write: Any, b_write: Any, district_read: Any, body: Any
) -> None:
    """A caller without the right to write there learns that, not what a valid body holds."""
    before = counts()
    read_only = put(api_client(district_read.secret), f"{TOY}/A1/P-001", body)
    assert read_only.status_code == 403
    assert errors(read_only) == [
        {"loc": ["header", "Authorization"], "msg": "该令牌为只读令牌，不能写入"}
    ]
    outside = put(api_client(b_write.secret), f"{TOY}/A1/P-001", body)
    unknown = put(api_client(b_write.secret), f"{TOY}/ZZ9/P-001", body)
    assert outside.status_code == unknown.status_code == 404
    assert outside.content == unknown.content
    own = put(api_client(a_write.secret), f"{TOY}/A1/P-001", body)
    assert own.status_code in (400, 422)
    assert counts() == before


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({}, [{"loc": ["body", "received_on"], "msg": "必填"}, {"loc": ["body", "subject"], "msg": "必填"}]),
        ({**BODY, "received_on": "2026-13-01"}, [{"loc": ["body", "received_on"], "msg": "不是有效日期（应为 YYYY-MM-DD）"}]),
        ({**BODY, "subject": ""}, [{"loc": ["body", "subject"], "msg": "不能为空"}]),
        ({**BODY, "subject": "长" * 101}, [{"loc": ["body", "subject"], "msg": "不能超过100个字符"}]),
        ({**BODY, "category": "alien"}, [{"loc": ["body", "category"], "msg": "应为以下之一：person、org"}]),
        ({**BODY, "received_on": "2026-12-01"}, [{"loc": ["body", "received_on"], "msg": "收到日期不能晚于今天（2026-11-25）"}]),
        ({**BODY, "id_number": "123"}, [{"loc": ["body", "id_number"], "msg": "证件号码应为18位"}]),
        ({**BODY, "subject": "\x00\x01"}, [{"loc": ["body", "subject"], "msg": "请填写事项"}]),
        ("{not json", [{"loc": ["body"], "msg": "请求体不是有效的 JSON"}]),
        ("[1, 2]", [{"loc": ["body", "received_on"], "msg": "必填"}, {"loc": ["body", "subject"], "msg": "必填"}]),
    ],
)  # fmt: skip
def test_bad_bodies_are_refused_in_chinese_with_field_paths(
    cast: Any, a_write: Any, body: Any, expected: list[dict[str, Any]]
) -> None:
    before = counts()
    response = put(api_client(a_write.secret), f"{TOY}/A1/P-001", body)
    assert response.status_code in (400, 422)
    assert errors(response) == expected
    assert counts() == before


@pytest.mark.parametrize("number", ["%20%20", "x" * 65, "A%01B"])
def test_bad_numbers_are_refused(cast: Any, a_write: Any, number: str) -> None:
    before = counts()
    response = put(api_client(a_write.secret), f"{TOY}/A1/{number}", BODY)
    assert response.status_code == 422
    assert errors(response) == [
        {"loc": ["path", "number"], "msg": "编号须为1至64个字符，不含控制字符"}
    ]
    assert counts() == before


def test_a_number_held_by_a_voided_record_is_refused(cast: Any, a_write: Any) -> None:
    from fazhi.core.records import corrections
    from fazhi.core.records.tests.toy.ledger import LEDGER

    corrections.void(LEDGER, new_case(cast, number="P-001"), by=cast.a_leader, reason="重复登记")
    before = counts()
    response = put(api_client(a_write.secret), f"{TOY}/A1/P-001", BODY)
    assert response.status_code == 422
    assert errors(response) == [
        {"loc": ["path", "number"], "msg": "编号「P-001」已被一条作废的记录占用"}
    ]
    assert counts() == before


def test_an_oversized_body_is_refused_unread(cast: Any, a_write: Any, settings: Any) -> None:
    settings.FAZHI_API_MAX_BODY_BYTES = 1000
    before = counts()
    big = {**BODY, "subject": "x" * 2000}
    response = put(api_client(a_write.secret), f"{TOY}/A1/P-001", big)
    assert response.status_code == 413
    assert errors(response) == [{"loc": ["body"], "msg": errors(response)[0]["msg"]}]
    assert "上限为 1000 字节" in errors(response)[0]["msg"]
    assert counts() == before
    assert put(api_client(a_write.secret), f"{TOY}/A1/P-001", BODY).status_code == 201


def test_responses_are_never_cached(cast: Any, a_write: Any) -> None:
    for response in (api_client(a_write.secret).get(TOY), Client().get(TOY)):
        assert "no-store" in response["Cache-Control"]


def test_an_unknown_query_parameter_is_refused(cast: Any, a_write: Any) -> None:
    new_case(cast, number="A-001")
    client = api_client(a_write.secret)
    misspelt = client.get(TOY, {"recieved_from": "2026-12-01"})
    assert misspelt.status_code == 422
    assert errors(misspelt) == [{"loc": ["query", "recieved_from"], "msg": "不认识的查询参数"}]
    assert client.get(f"{TOY}/A1/A-001", {"x": "1"}).status_code == 422


def test_a_push_that_loses_the_race_for_its_number_updates_the_winner(
    cast: Any, a_write: Any
) -> None:
    """Two pushes of one new number at once: the second's register hits the unique number and
    turns into the update of what the first created. Here the "first" push is made by the
    create action itself, just before the real register runs."""
    from fazhi.core.api.resources import Resource, Upsert, upsert
    from fazhi.core.records.tests.toy import actions
    from fazhi.core.records.tests.toy.api import RESOURCE, CaseIn

    actor = tokens.authenticate(a_write.secret).actor  # type: ignore[union-attr]

    def create_after_a_rival(*, unit: Any, by: Any, number: str, fields: dict[str, Any]) -> Any:
        actions.register(unit=unit, by=by, number=number, **{**fields, "subject": "先到的推送"})
        return RESOURCE.upsert.create(unit=unit, by=by, number=number, fields=fields)  # type: ignore[union-attr]

    racing = Resource(
        ledger=RESOURCE.ledger,
        summary=RESOURCE.summary,
        detail=RESOURCE.detail,
        upsert=Upsert(CaseIn, create=create_after_a_rival),
    )
    fields = {"received_on": dt.date(2026, 11, 2), "subject": "后到的推送", "category": "person"}
    outcome, record = upsert(racing, unit=cast.street_a, number="R-001", by=actor, fields=fields)
    assert outcome == "updated" and record.subject == "后到的推送"
    assert Case.objects.get(number="R-001").subject == "后到的推送"
    assert Case.with_voided.filter(number="R-001").count() == 1


def test_a_token_over_its_rate_is_429_in_chinese_until_the_minute_passes(
    cast: Any, a_write: Any, b_write: Any, settings: Any
) -> None:
    settings.FAZHI_API_RATE_PER_MINUTE = 3
    client = api_client(a_write.secret)
    with time_machine.travel(dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC), tick=False):
        assert [client.get(TOY).status_code for _ in range(3)] == [200, 200, 200]
        refused = client.get(TOY)
        assert refused.status_code == 429
        assert errors(refused) == [
            {
                "loc": ["header", "Authorization"],
                "msg": "该令牌请求过于频繁（每分钟至多 3 次），请 60 秒后重试",
            }
        ]
        assert refused["Retry-After"] == "60"
        before = counts()
        assert put(client, f"{TOY}/A1/P-009", BODY).status_code == 429
        assert counts() == before
        # Another token is counted on its own.
        assert api_client(b_write.secret).get(TOY).status_code == 200
    with time_machine.travel(dt.datetime(2026, 11, 25, 9, 1, 1, tzinfo=dt.UTC), tick=False):
        assert client.get(TOY).status_code == 200
