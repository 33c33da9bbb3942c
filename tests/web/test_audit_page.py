"""The audit trail on screen (issue 8, item 5): the door, each filter, pagination, bad input,
the .xlsx export read back, the record page's link to its full trail, masking.

A trail of real actions in two 街道, a system event and a code nobody named; every step at a
known local time, so the date filters can be checked at the day's edges (Asia/Shanghai)."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from fazhi.core.attachments.actions import add_attachment
from fazhi.core.audit.models import AuditEvent, record_event
from fazhi.core.audit.views import EXPORT_HEADERS, CappedPaginator
from fazhi.core.records import corrections
from fazhi.core.tenancy.actions import add_user
from fazhi.ledgers.disclosure import actions
from fazhi.ledgers.disclosure.models import Application
from fazhi.ledgers.petitions import actions as petitions
from fazhi.ledgers.petitions.ledger import LEDGER as PETITIONS

TZ = ZoneInfo("Asia/Shanghai")
ID_NUMBER = "11010519491231002X"  # a valid GB 11643 number
MASKED_ID = "110***********002X"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
URL = reverse("web:audit")
EXPORT = reverse("web:audit_export")
TRAIL_START = {"start": "2026-11-02"}  # after the cast's own events (units, memberships)


def local(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=TZ)


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    """The cast is made on 2026-11-01; each step of the trail travels to its own time."""
    with time_machine.travel(local(1, 8), tick=False):
        yield


@dataclass
class Trail:
    cast: Any
    b_leader: Any
    app: Application  # AX-2026-0001 of 东湖街道
    voided: Application  # AX-2026-0002, voided
    petition: Any
    b_app: Application
    ids: dict[str, int]  # name -> audit event id


def last_event() -> int:
    found = AuditEvent.objects.order_by("-id").first()
    assert found is not None
    return found.pk


@pytest.fixture
def trail(cast: Any, settings: Any, tmp_path: Any) -> Trail:
    settings.MEDIA_ROOT = tmp_path / "media"
    User = get_user_model()
    User.objects.filter(pk=cast.a_clerk.pk).update(first_name="张三")
    User.objects.filter(pk=cast.a_leader.pk).update(first_name="李主任")
    clerk, leader = User.objects.get(pk=cast.a_clerk.pk), User.objects.get(pk=cast.a_leader.pk)
    b_leader = add_user(
        username="b_leader",
        unit=cast.street_b,
        role="leader",
        password="x",
        by=None,
        check_password=False,
    )
    ids: dict[str, int] = {}

    def register(unit: Any, by: Any, number: str, on: dt.date) -> Application:
        return actions.register(
            unit=unit,
            by=by,
            received_on=on,
            applicant_category="natural_person",
            applicant_name="甲申请人",
            content="申请公开的信息",
            number=number,
        )

    with time_machine.travel(local(2, 9), tick=False):
        app = register(cast.street_a, clerk, "AX-2026-0001", dt.date(2026, 11, 2))
        ids["registered"] = last_event()
    with time_machine.travel(local(10, 23, 30), tick=False):  # 15:30 UTC, still the 10th
        actions.extend(
            app=app,
            by=leader,
            on=dt.date(2026, 11, 10),
            reason="需要调取档案",
            told_on=dt.date(2026, 11, 10),
        )
        # The move writes its own event, then its letter (延期答复告知书) and the letter's file.
        made = list(AuditEvent.objects.order_by("-id")[:3])
        by_code = {e.code: e.pk for e in made}
        ids["extended"] = by_code["disclosure.application.extended"]
        ids["extension_letter"] = by_code["letters.letter.issued"]
        ids["extension_letter_file"] = by_code["attachments.file.added"]
    with time_machine.travel(local(11, 0, 10), tick=False):  # the 10th in UTC, the 11th here
        add_attachment(
            unit=cast.street_a,
            owner="disclosure",
            record_id=app.pk,
            upload=PDF,
            name=f"{ID_NUMBER}身份证复印件.pdf",
            by=clerk,
        )
        ids["attached"] = last_event()
    with time_machine.travel(local(12, 10), tick=False):
        petition = petitions.register(
            unit=cast.street_a,
            by=clerk,
            received_on=dt.date(2026, 11, 12),
            form="letter",
            source="direct",
            category="appeal",
            content="诉求",
            petitioner="王五",
            contact="13900000001",
            number="AX-P001",
        )
        ids["petition"] = last_event()
        corrections.correct(
            PETITIONS, petition, by=clerk, changes={"petitioner": "王五六"}, reason="姓名写错"
        )
        ids["petition_corrected"] = last_event()
    with time_machine.travel(local(13, 10), tick=False):
        voided = register(cast.street_a, clerk, "AX-2026-0002", dt.date(2026, 11, 13))
        ids["registered_2"] = last_event()
        actions.void(voided, by=leader, reason=f'=HYPERLINK("http://x") 重复登记 {ID_NUMBER}')
        ids["voided"] = last_event()
    with time_machine.travel(local(16, 10), tick=False):
        b_app = register(cast.street_b, cast.b_clerk, "BX-2026-0001", dt.date(2026, 11, 16))
        ids["b_registered"] = last_event()
    with time_machine.travel(local(17, 10), tick=False):
        record_event(
            "calendar.day.changed",
            by=None,
            object_type="calendar_day",
            object_id="2026-12-01",
            data={"kind": "holiday", "name": "测试"},
        )
        ids["system"] = last_event()
        record_event(
            "custom.thing.done",
            by=leader,
            unit_code="A1",
            object_type="thing",
            object_id="7",
            data={"note": "某事"},
        )
        ids["custom"] = last_event()
    return Trail(cast, b_leader, app, voided, petition, b_app, ids)


LETTER = {"extension_letter", "extension_letter_file"}  # what the extension's letter wrote
A1_TRAIL = {
    "registered",
    "extended",
    *LETTER,
    "attached",
    "petition",
    "petition_corrected",
    "registered_2",
    "voided",
    "custom",
}
EVERYTHING = {*A1_TRAIL, "b_registered", "system"}


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def sheet(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    ws = wb.active
    assert ws is not None
    lines = list(ws.iter_rows(values_only=True))
    assert list(lines[0]) == EXPORT_HEADERS
    return [dict(zip(EXPORT_HEADERS, line, strict=True)) for line in lines[1:]]


def exported(trail: Trail, user: Any, query: dict[str, str]) -> set[str]:
    """The trail events (by name) in the export of `query`."""
    names = {pk: name for name, pk in trail.ids.items()}
    rows = sheet(client_for(user).get(EXPORT, query))
    return {names[r["序号"]] for r in rows if r["序号"] in names}


def shown_count(response: Any) -> int:
    found = re.search(r"共 (\d+) 条", text(response))
    assert found, "no count on the page"
    return int(found.group(1))


# ---- the door ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reader", "expected"),
    [
        ("admin", EVERYTHING),
        ("supervisor", EVERYTHING),
        ("a_leader", A1_TRAIL),
        ("b_leader", {"b_registered"}),
    ],
)
def test_each_reader_sees_the_trail_of_their_units(
    trail: Trail, reader: str, expected: set[str]
) -> None:
    user = trail.b_leader if reader == "b_leader" else getattr(trail.cast, reader)
    assert exported(trail, user, TRAIL_START) == expected
    page = client_for(user).get(URL, TRAIL_START)
    assert page.status_code == 200
    assert shown_count(page) == len(expected)


def test_b_leader_sees_nothing_of_a(trail: Trail) -> None:
    client = client_for(trail.b_leader)
    page = text(client.get(URL))
    assert "BX-2026-0001" in page
    assert "AX-" not in page and "东湖街道" not in page and "张三" not in page
    rows = sheet(client.get(EXPORT))
    assert {r["单位代码"] for r in rows} == {"B1"}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"unit": "A1"}, "未找到单位「A1」，或您无权查看该单位的审计日志"),
        ({"unit": "-"}, "未找到单位「-」"),  # the events of no unit are the district's
        ({"object_type": "disclosure.application", "object_id": "{a}"}, "未找到政府信息公开申请"),
        ({"object_type": "disclosure.record", "object_id": "{a}"}, "未找到政府信息公开申请"),
        ({"object_type": "petitions.petition", "object_id": "{p}"}, "未找到信访事项"),
        ({"number": "AX-2026-0001"}, "未找到编号为「AX-2026-0001」的记录"),
        ({"number": "AX-2026-0002"}, "未找到编号为「AX-2026-0002」的记录"),  # voided
    ],
)
def test_forged_units_and_records_give_nothing(
    trail: Trail, query: dict[str, str], message: str
) -> None:
    query = {k: v.format(a=trail.app.pk, p=trail.petition.pk) for k, v in query.items()}
    client = client_for(trail.b_leader)
    page = client.get(URL, query)
    assert page.status_code == 200
    body = text(page)
    assert message in body
    assert "没有符合条件的审计事件" in body and "AX-" not in body.replace(
        query.get("number", "#"), ""
    )
    refused = client.get(EXPORT, query)
    assert refused.status_code == 302 and refused["Location"].startswith(URL)


def test_an_auditor_reaches_a_raw_object_of_another_unit_only_through_the_door(
    trail: Trail,
) -> None:
    """A type no ledger owns is matched as stored, but still inside the reader's units."""
    query = {"object_type": "thing", "object_id": "7"}
    assert exported(trail, trail.b_leader, query) == set()
    assert exported(trail, trail.cast.a_leader, query) == {"custom"}


@pytest.mark.parametrize("reader", ["a_clerk", "a_reviewer", "b_clerk"])
def test_users_without_audit_get_the_404_of_a_missing_page(trail: Trail, reader: str) -> None:
    client = client_for(getattr(trail.cast, reader))
    for url in (URL, EXPORT):
        assert client.get(url).status_code == 404, url
    assert "审计日志" not in text(client.get(reverse("web:home")))


def test_the_nav_links_the_page_for_auditors(trail: Trail) -> None:
    home = text(client_for(trail.cast.a_leader).get(reverse("web:home")))
    assert f'href="{URL}">审计日志</a>' in home


def test_anonymous_is_sent_to_login(trail: Trail) -> None:
    for url in (URL, EXPORT):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# ---- the filters ---------------------------------------------------------------------------

FILTERS: list[tuple[dict[str, str], set[str]]] = [
    ({"unit": "A1"}, A1_TRAIL),
    ({"unit": "B1"}, {"b_registered"}),
    ({"unit": "-"}, {"system"}),
    ({"code": "disclosure.application.extended"}, {"extended"}),
    (
        {"code": "disclosure.application.registered"},
        {"registered", "registered_2", "b_registered"},
    ),
    ({"code": "custom.thing.done"}, {"custom"}),  # a code nobody named
    (
        {"actor": "张三"},
        {"registered", "attached", "petition", "petition_corrected", "registered_2"},
    ),
    ({"actor": "张"}, {"registered", "attached", "petition", "petition_corrected", "registered_2"}),
    ({"actor": "A_LEADER"}, {"extended", *LETTER, "voided", "custom"}),  # login names ignore case
    ({"actor": "李主任"}, {"extended", *LETTER, "voided", "custom"}),
    ({"actor": "系统"}, {"system"}),
    ({"actor": "nobody"}, set()),
    (
        {"number": "AX-2026-0001"},
        {"registered", "extended", *LETTER, "attached"},
    ),  # its attachment too
    ({"number": "AX-2026-0002"}, {"registered_2", "voided"}),  # voided records keep their trail
    ({"number": "AX-P001"}, {"petition", "petition_corrected"}),
    (
        {"object_type": "disclosure.application", "object_id": "{a}"},
        {"registered", "extended", *LETTER, "attached"},
    ),
    ({"object_type": "petitions.petition"}, {"petition", "petition_corrected"}),
    ({"object_type": "calendar_day", "object_id": "2026-12-01"}, {"system"}),
    ({"start": "2026-11-11"}, EVERYTHING - {"registered", "extended", *LETTER}),
    ({"end": "2026-11-10"}, {"registered", "extended", *LETTER}),  # 23:30 local: the 10th
    ({"start": "2026-11-10", "end": "2026-11-10"}, {"extended", *LETTER}),
    ({"start": "2026-11-11", "end": "2026-11-11"}, {"attached"}),  # 00:10 local, the 10th in UTC
    ({"start": "2026-11-13", "end": "2026-11-16"}, {"registered_2", "voided", "b_registered"}),
    ({"end": "9999-12-31"}, EVERYTHING),  # the last day a date can hold: no upper bound
    (
        {"unit": "A1", "actor": "张三", "start": "2026-11-12"},
        {"petition", "petition_corrected", "registered_2"},
    ),
]


@pytest.mark.parametrize(("query", "expected"), FILTERS)
def test_each_filter_narrows_page_and_export_alike(
    trail: Trail, query: dict[str, str], expected: set[str]
) -> None:
    query = {k: v.format(a=trail.app.pk) for k, v in query.items()}
    admin = trail.cast.admin
    assert exported(trail, admin, {**TRAIL_START, **query}) == expected
    assert shown_count(client_for(admin).get(URL, {**TRAIL_START, **query})) == len(expected)


def test_the_page_keeps_the_chosen_filters(trail: Trail) -> None:
    query = {"unit": "A1", "code": "custom.thing.done", "actor": "李主任", "start": "2026-11-02"}
    page = text(client_for(trail.cast.admin).get(URL, query))
    assert '<option value="A1" selected>' in page
    assert '<option value="custom.thing.done" selected>custom.thing.done</option>' in page
    assert 'value="李主任"' in page and 'value="2026-11-02"' in page
    assert f'href="{EXPORT}?unit=A1&code=custom.thing.done' in page


INVALID: list[tuple[dict[str, str], str]] = [
    ({"start": "2026-13-01"}, "起始日期「2026-13-01」不是有效日期，请按 2026-03-01 的格式填写"),
    ({"end": "昨天"}, "截止日期「昨天」不是有效日期"),
    ({"start": "0001-01-01"}, "起始日期「0001-01-01」早于1900年，请核对"),
    ({"start": "2026-11-20", "end": "2026-11-10"}, "截止日期早于起始日期"),
    ({"code": "DROP TABLE audit"}, "事件代码「DROP TABLE audit」格式不正确"),
    ({"object_type": "../etc"}, "对象类型「../etc」格式不正确"),
    ({"object_id": "12"}, "按对象ID筛选时，请同时选择对象类型"),
    ({"object_type": "disclosure.application", "object_id": "abc"}, "未找到政府信息公开申请"),
    ({"object_type": "disclosure.application", "object_id": "9" * 30}, "未找到政府信息公开申请"),
    ({"number": "NO-SUCH-1"}, "未找到编号为「NO-SUCH-1」的记录"),
    ({"unit": "ZZ9"}, "未找到单位「ZZ9」"),
    ({"actor": "x" * 151}, "151"),  # Django's own message names the length
    ({"unit": "A1\x00"}, "空字符"),
]


@pytest.mark.parametrize(("query", "message"), INVALID)
def test_bad_filters_get_a_chinese_message_and_no_rows(
    trail: Trail, query: dict[str, str], message: str
) -> None:
    client = client_for(trail.cast.admin)
    page = client.get(URL, query)
    assert page.status_code == 200
    body = text(page)
    assert '<ul class="errorlist">' in body and message in body
    assert "没有符合条件的审计事件" in body
    refused = client.get(EXPORT, query)
    assert refused.status_code == 302 and refused["Location"].startswith(URL)


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999", "1.5", ""])
def test_any_page_number_shows_a_page(trail: Trail, page: str) -> None:
    assert client_for(trail.cast.admin).get(URL, {"page": page}).status_code == 200


# ---- pagination ----------------------------------------------------------------------------


@pytest.fixture
def many(cast: Any) -> list[int]:
    """120 events in 东湖街道, a minute apart, the newest last."""
    ids = []
    for i in range(120):
        with time_machine.travel(local(20, 9) + dt.timedelta(minutes=i), tick=False):
            ids.append(
                record_event("test.page.row", by=None, unit_code="A1", object_id=f"R{i:03d}").pk
            )
    return ids


def test_pages_of_fifty_newest_first_keep_the_filters(cast: Any, many: list[int]) -> None:
    client = client_for(cast.a_leader)
    query = {"code": "test.page.row"}
    first = text(client.get(URL, query))
    assert "共 120 条" in first and "第 1 / 3 页" in first
    # Between tags: the page's CSRF token is random letters and digits and can hold "R182".
    shown = re.findall(r">R(\d{3})<", first)
    assert shown == [f"{i:03d}" for i in range(119, 69, -1)]
    assert "?code=test.page.row&page=2" in first
    last = text(client.get(URL, {**query, "page": "3"}))
    assert re.findall(r">R(\d{3})<", last) == [f"{i:03d}" for i in range(19, -1, -1)]
    assert "?code=test.page.row&page=2" in last and "下一页" not in last


def test_the_count_stops_at_the_cap(cast: Any, many: list[int]) -> None:
    events = AuditEvent.objects.filter(code="test.page.row")
    capped = CappedPaginator(events, 50, cap=100)
    assert (capped.count, capped.capped, capped.num_pages) == (100, True, 2)
    assert [e.object_id for e in capped.page(2).object_list][-1] == "R020"
    whole = CappedPaginator(events, 50, cap=120)
    assert (whole.count, whole.capped, whole.num_pages) == (120, False, 3)


@pytest.mark.parametrize(
    ("label", "rows"),
    [
        ("all of them", lambda: AuditEvent.objects.filter(code="test.page.row")),
        ("none()", lambda: AuditEvent.objects.none()),
        ("an empty __in", lambda: AuditEvent.objects.filter(pk__in=[])),
        ("a few", lambda: AuditEvent.objects.filter(object_id__in=["R001", "R002", "R003"])),
        ("ordered", lambda: AuditEvent.objects.filter(code="test.page.row").order_by("object_id")),
        ("distinct", lambda: AuditEvent.objects.filter(code="test.page.row").distinct()),
    ],
)
@pytest.mark.parametrize("cap", [0, 2, 100, 500])
def test_the_capped_count_is_djangos_count(
    cast: Any, many: list[int], label: str, rows: Any, cap: int
) -> None:
    """The paginator counts through its own SQL: it must equal Django's count of the same rows."""
    expected = rows().count()
    capped = CappedPaginator(rows(), 50, cap=cap)
    assert capped.found == min(expected, cap + 1), label
    assert capped.capped == (expected > cap), label


# ---- what a row says -----------------------------------------------------------------------


def test_rows_read_in_chinese_with_real_names(trail: Trail) -> None:
    page = text(client_for(trail.cast.admin).get(URL, TRAIL_START))
    assert "政府信息公开申请：批准延期" in page and "disclosure.application.extended" in page
    assert "李主任" in page and "a_leader" in page  # real name, login beside it
    assert "政府信息公开申请 AX-2026-0001" in page
    detail = reverse("web:detail", args=["disclosure", trail.app.pk])
    assert f'<a href="{detail}">政府信息公开申请 AX-2026-0001</a>' in page
    assert "状态：办理中" in page
    # The hand-added attachment has no 办理环节: an empty value is left out (the letter's file
    # names its step).
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", page, re.S)
    row = next(r for r in rows if "身份证复印件" in r)
    assert "办理环节编号" not in row and re.search(r"办理环节编号：\d+", page)
    assert "修改单日工作日历" in page and "类型：放假" in page and "（无单位）" in page
    assert "custom.thing.done" in page and "note：某事" in page  # nobody named it: as stored
    assert "信访事项 AX-P001" in page and "上传附件" in page


def test_an_author_without_an_account_keeps_the_stored_login(trail: Trail) -> None:
    gone = get_user_model().objects.create_user("gone_clerk", first_name="赵六")
    with time_machine.travel(local(18, 9), tick=False):
        event = record_event("custom.thing.done", by=gone, unit_code="A1")
    gone.delete()
    rows = sheet(client_for(trail.cast.admin).get(EXPORT, {"start": "2026-11-18"}))
    row = next(r for r in rows if r["序号"] == event.pk)
    assert (row["操作人"], row["登录名"]) == ("gone_clerk", "gone_clerk")


def test_personal_data_is_masked_on_the_page_and_in_the_export(trail: Trail) -> None:
    client = client_for(trail.cast.admin)
    page = text(client.get(URL, TRAIL_START))
    contents = "\n".join(str(v) for r in sheet(client.get(EXPORT, TRAIL_START)) for v in r.values())
    for shown in (page, contents):
        assert ID_NUMBER not in shown and MASKED_ID in shown  # a file name, a void reason
        assert "王五" not in shown  # the petitioner's correction names nobody
        assert "信访人（已更正）" in shown


def test_the_export_reads_like_the_page(trail: Trail) -> None:
    rows = sheet(
        client_for(trail.cast.admin).get(EXPORT, {"code": "disclosure.application.extended"})
    )
    assert len(rows) == 1
    row = rows[0]
    assert row["时间"] == local(10, 23, 30).replace(tzinfo=None)  # local time, as Excel holds it
    assert (row["事件"], row["事件代码"]) == (
        "政府信息公开申请：批准延期",
        "disclosure.application.extended",
    )
    assert (row["操作人"], row["登录名"]) == ("李主任", "a_leader")
    assert (row["单位"], row["单位代码"]) == ("东湖街道", "A1")
    assert row["对象"] == "政府信息公开申请 AX-2026-0001"
    assert (row["对象类型"], row["对象ID"]) == ("disclosure.application", str(trail.app.pk))
    assert "状态" in row["内容"]


def test_text_that_looks_like_a_formula_stays_text(trail: Trail) -> None:
    response = client_for(trail.cast.admin).get(EXPORT, {"code": "disclosure.application.voided"})
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert ws is not None
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    reason = next(c for c in cells if "HYPERLINK" in c.value)
    assert reason.data_type == "s"
    assert all(c.data_type != "f" for c in cells)


def test_an_export_over_the_row_budget_asks_to_narrow(trail: Trail, settings: Any) -> None:
    settings.FAZHI_AUDIT_EXPORT_MAX_ROWS = 3
    client = client_for(trail.cast.admin)
    refused = client.get(EXPORT, {"unit": "A1"}, follow=True)
    assert refused.redirect_chain[0][0].startswith(f"{URL}?unit=A1")
    assert "符合条件的审计事件超过 3 条，无法一次导出" in text(refused)
    assert (
        len(sheet(client.get(EXPORT, {"unit": "A1", "code": "disclosure.application.voided"}))) == 1
    )


# ---- the record's own trail ----------------------------------------------------------------


def test_a_record_page_links_to_its_full_trail(trail: Trail) -> None:
    leader = client_for(trail.cast.a_leader)
    detail = text(leader.get(reverse("web:detail", args=["disclosure", trail.app.pk])))
    link = re.search(r'<a href="([^"]+)">查看本记录的审计日志</a>', detail)
    assert link is not None
    target = html.unescape(link.group(1))
    assert target == f"{URL}?object_type=disclosure.application&object_id={trail.app.pk}"
    page = text(leader.get(target))
    assert "共 5 条" in page and "批准延期" in page and "上传附件" in page
    names = {pk: name for name, pk in trail.ids.items()}
    rows = sheet(leader.get(target.replace(URL, EXPORT)))
    assert {names[r["序号"]] for r in rows} == {"registered", "extended", *LETTER, "attached"}
    voided = reverse("web:detail", args=["disclosure", trail.voided.pk])
    assert "查看本记录的审计日志" in text(leader.get(voided))  # a voided record's trail stays


def test_no_link_for_those_who_may_not_read_the_trail(trail: Trail) -> None:
    clerk = client_for(trail.cast.a_clerk)
    detail = text(clerk.get(reverse("web:detail", args=["disclosure", trail.app.pk])))
    assert "查看本记录的审计日志" not in detail
