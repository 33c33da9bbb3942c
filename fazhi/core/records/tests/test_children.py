"""Child rows (ChildSpec): added and removed by actions with a reason, audited, shown on the
detail page with their own form, behind the same door as the record."""

from __future__ import annotations

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
