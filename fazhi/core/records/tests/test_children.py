"""Child rows (ChildSpec): added and removed by actions with a reason, audited, shown on the
detail page with their own form, behind the same door as the record."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.core.audit.models import AuditEvent
from fazhi.core.records import corrections
from fazhi.core.records.tests.helpers import LEDGER, counts, d, new_case
from fazhi.core.records.tests.toy.ledger import NOTES
from fazhi.core.records.tests.toy.models import Case, CaseEvent, Note
from fazhi.core.records.tests.toy.ui import UI
from fazhi.core.web.timeline import timeline
from fazhi.core.workflow import ActionError

pytestmark = pytest.mark.usefixtures("now")


def add(case: Case, by: Any, **fields: Any) -> Note:
    fields = {"noted_on": d(11, 5), "text": "电话联系申请人", **fields}
    note: Note = corrections.add_child(LEDGER, NOTES, case, by=by, fields=fields)
    return note


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_add_and_remove_through_the_actions(cast: Any) -> None:
    case = new_case(cast)
    note = add(case, cast.a_clerk)
    assert (note.record, note.created_by, note.removed_at) == (case, cast.a_clerk, None)
    added = CaseEvent.objects.get(record=case, kind="child_added")
    assert added.data == {"child": "notes", "id": note.pk, "text": "2026-11-05 电话联系申请人"}
    assert AuditEvent.objects.get(code="toy.case.notes.added").data == {
        "number": case.number,
        "id": note.pk,
    }
    with pytest.raises(ActionError, match="请写明删除的原因"):
        corrections.remove_child(LEDGER, NOTES, note, by=cast.a_clerk, reason="")
    corrections.remove_child(LEDGER, NOTES, note, by=cast.a_clerk, reason="记错了案件")
    assert Note.objects.get(pk=note.pk).removed_at is not None  # kept, marked removed
    assert AuditEvent.objects.get(code="toy.case.notes.removed").data["reason"] == "记错了案件"
    with pytest.raises(ActionError, match="该工作记录已删除"):
        corrections.remove_child(LEDGER, NOTES, note, by=cast.a_clerk, reason="再删")
    shown = [(t.label, t.detail) for t in timeline(UI, case)][1:]
    assert shown == [
        ("添加", "工作记录：2026-11-05 电话联系申请人"),
        ("删除", "工作记录：2026-11-05 电话联系申请人；记错了案件"),
    ]
    # Bookkeeping, not steps: the clocks and the next step's date ignore child rows.
    assert Case.objects.get(pk=case.pk).handle_due_on == d(11, 16)


# (who, the date, the refusal)
REFUSED = [
    ("a_clerk", d(11, 26), "工作记录日期不能晚于今天"),
    ("a_clerk", d(11, 1), "工作记录日期不能早于收到日期（2026-11-02）"),
    ("supervisor", d(11, 5), "您没有添加工作记录的权限"),
    ("b_clerk", d(11, 5), "未找到该记录"),
]


@pytest.mark.parametrize(("who", "on", "refusal"), REFUSED)
def test_a_refused_child_row_writes_nothing(cast: Any, who: str, on: Any, refusal: str) -> None:
    case = new_case(cast)
    written = counts()
    with pytest.raises(ActionError) as refused:
        add(case, getattr(cast, who), noted_on=on)
    assert refusal in refused.value.message
    assert counts() == written


def test_a_voided_record_takes_no_child_rows(cast: Any) -> None:
    case = new_case(cast)
    note = add(case, cast.a_clerk)
    corrections.void(LEDGER, case, by=cast.a_leader, reason="误录")
    with pytest.raises(ActionError, match="可能已作废"):
        add(case, cast.a_clerk)
    with pytest.raises(ActionError, match="可能已作废"):
        corrections.remove_child(LEDGER, NOTES, note, by=cast.a_clerk, reason="x")


def test_the_detail_page_adds_and_removes_child_rows(cast: Any) -> None:
    case = new_case(cast)
    client = client_for(cast.a_clerk)
    detail = reverse("web:detail", args=["toy", case.pk])
    page = client.get(detail).content.decode()
    assert "暂无工作记录。" in page and 'name="notes-text"' in page
    add_url = reverse("web:child_add", args=["toy", case.pk, "notes"])
    assert f'action="{add_url}"' in page
    posted = client.post(add_url, {"notes-noted_on": "2026-11-05", "notes-text": "上门走访"})
    assert posted.status_code == 302 and posted["Location"] == detail
    note = Note.objects.get(record=case)
    page = client.get(detail).content.decode()
    assert "上门走访" in page and "已添加工作记录" in page
    remove_url = reverse("web:child_remove", args=["toy", case.pk, "notes", note.pk])
    assert f'href="{remove_url}"' in page
    assert "确认删除这条工作记录" in client.get(remove_url).content.decode()
    written = counts()
    refused = client.post(remove_url, {"reason": ""})
    assert refused.status_code == 200 and "这个字段是必填项" in refused.content.decode()
    assert counts() == written
    removed = client.post(remove_url, {"reason": "重复记录"})
    assert removed.status_code == 302 and removed["Location"] == detail
    page = client.get(detail).content.decode()
    assert "暂无工作记录。" in page and "重复记录" in page  # gone from the table, in the timeline
    assert client.post(remove_url, {"reason": "再删"}).status_code == 404


def test_a_bad_child_form_shows_its_error_on_the_field(cast: Any) -> None:
    case = new_case(cast)
    client = client_for(cast.a_clerk)
    add_url = reverse("web:child_add", args=["toy", case.pk, "notes"])
    written = counts()
    missing = client.post(add_url, {"notes-noted_on": "2026-11-05", "notes-text": ""})
    assert missing.status_code == 200 and missing.context["form"].errors == {
        "text": ["这个字段是必填项。"]
    }
    future = client.post(add_url, {"notes-noted_on": "2026-11-26", "notes-text": "x"})
    assert future.status_code == 200
    assert future.context["form"].errors == {"noted_on": ["工作记录日期不能晚于今天（2026-11-25）"]}
    assert client.get(add_url).status_code == 404  # adding is a POST from the detail page
    assert counts() == written


def test_child_urls_are_behind_the_door(cast: Any) -> None:
    case = new_case(cast)
    note = add(case, cast.a_clerk)
    outsider = client_for(cast.b_clerk)
    add_url = reverse("web:child_add", args=["toy", case.pk, "notes"])
    remove_url = reverse("web:child_remove", args=["toy", case.pk, "notes", note.pk])
    written = counts()
    assert (
        outsider.post(add_url, {"notes-noted_on": "2026-11-05", "notes-text": "越权"}).status_code
        == 404
    )
    assert outsider.get(remove_url).status_code == 404
    assert outsider.post(remove_url, {"reason": "越权"}).status_code == 404
    # A row of another record, under this record's URL, is no row of it.
    other = new_case(cast)
    wrong = reverse("web:child_remove", args=["toy", other.pk, "notes", note.pk])
    assert client_for(cast.a_clerk).post(wrong, {"reason": "x"}).status_code == 404
    assert counts() == {
        **written,
        "cases": written["cases"] + 1,
        "events": written["events"] + 1,
        "audit": written["audit"] + 1,
    }
    assert Note.objects.get(pk=note.pk).removed_at is None


def test_a_supervisor_sees_child_rows_but_no_form(cast: Any) -> None:
    case = new_case(cast)
    note = add(case, cast.a_clerk)
    client = client_for(cast.supervisor)
    page = client.get(reverse("web:detail", args=["toy", case.pk])).content.decode()
    assert "电话联系申请人" in page and 'name="notes-text"' not in page
    remove_url = reverse("web:child_remove", args=["toy", case.pk, "notes", note.pk])
    assert remove_url not in page
    refused = client.post(remove_url, {"reason": "x"}, follow=True)
    assert "您没有删除工作记录的权限" in refused.content.decode()
    assert Note.objects.get(pk=note.pk).removed_at is None


def test_a_child_row_takes_only_its_declared_fields(cast: Any) -> None:
    case = new_case(cast)
    with pytest.raises(ActionError, match="不能填写：removed_at"):
        add(case, cast.a_clerk, removed_at=d(11, 6))
    assert not Note.objects.exists()


def test_a_rule_over_the_rows_refuses_an_addition_and_writes_nothing(cast: Any) -> None:
    case = new_case(cast)
    for day in (3, 4, 5):
        add(case, cast.a_clerk, noted_on=d(11, day))
    written = counts()
    with pytest.raises(ActionError) as refused:
        add(case, cast.a_clerk, noted_on=d(11, 6))
    assert refused.value.message == "每件案件最多三条工作记录，调整后将为4条"
    assert counts() == written
    # A removed row no longer counts: the rule sees the live rows only.
    corrections.remove_child(
        LEDGER, NOTES, Note.objects.filter(record=case).first(), by=cast.a_clerk, reason="重复"
    )
    add(case, cast.a_clerk, noted_on=d(11, 6))
    assert Note.objects.filter(record=case, removed_at__isnull=True).count() == 3


def test_a_rule_over_the_rows_refuses_a_removal(cast: Any) -> None:
    """The rule sees the rows as they would be: without the one being removed."""
    seen: list[list[str]] = []

    def at_least_one(rows: list[Any]) -> str | None:
        seen.append([r.text for r in rows])
        return "至少保留一条工作记录" if not rows else None

    spec = dataclasses.replace(NOTES, check_rows=at_least_one)
    case = new_case(cast)
    first = add(case, cast.a_clerk, text="第一条")
    second = add(case, cast.a_clerk, text="第二条")
    corrections.remove_child(LEDGER, spec, first, by=cast.a_clerk, reason="记错")
    written = counts()
    with pytest.raises(ActionError, match="至少保留一条工作记录"):
        corrections.remove_child(LEDGER, spec, second, by=cast.a_clerk, reason="记错")
    assert counts() == written
    assert Note.objects.get(pk=second.pk).removed_at is None
    assert seen == [["第二条"], []]


def test_a_check_sees_the_locked_record_and_the_actor(cast: Any) -> None:
    calls: list[tuple[Any, Any, dict[str, Any]]] = []

    def no_duplicates(record: Any, by: Any, fields: dict[str, Any]) -> None:
        calls.append((record, by, dict(fields)))
        if Note.objects.filter(record=record, text=fields["text"]).exists():
            raise ActionError("已有相同内容的工作记录", field="text")

    spec = dataclasses.replace(NOTES, check=no_duplicates)
    case = new_case(cast)
    corrections.add_child(
        LEDGER, spec, case, by=cast.a_clerk, fields={"noted_on": d(11, 5), "text": "走访"}
    )
    written = counts()
    with pytest.raises(ActionError) as refused:
        corrections.add_child(
            LEDGER, spec, case, by=cast.a_clerk, fields={"noted_on": d(11, 6), "text": "走访"}
        )
    assert (refused.value.message, refused.value.field) == ("已有相同内容的工作记录", "text")
    assert counts() == written
    assert [(r.pk, by, f["text"]) for r, by, f in calls] == [
        (case.pk, cast.a_clerk, "走访"),
        (case.pk, cast.a_clerk, "走访"),
    ]
    # It runs after the door: an outsider never reaches it.
    with pytest.raises(ActionError, match="未找到该记录"):
        corrections.add_child(
            LEDGER, spec, case, by=cast.b_clerk, fields={"noted_on": d(11, 6), "text": "越权"}
        )
    assert len(calls) == 2


def test_child_rows_are_masked_for_those_who_cannot_handle_the_record(cast: Any) -> None:
    case = new_case(cast)
    add(case, cast.a_clerk, text="核对身份证 11010519491231002X")
    detail = reverse("web:detail", args=["toy", case.pk])
    handler = client_for(cast.a_clerk).get(detail).content.decode()
    assert "11010519491231002X" in handler
    reader = client_for(cast.supervisor).get(detail).content.decode()
    assert "核对身份证 110***********002X" in reader and "11010519491231002X" not in reader
