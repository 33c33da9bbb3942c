"""Submission pages through the client: sending with a confirmation, the double click, return
with comments, resubmitting an upload, accept and publish, the inbox's filters and pages, and
the clocks on 待办."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fazhi.core.submissions import freeze
from fazhi.core.submissions.models import Comment, Submission, Version
from fazhi.core.tenancy.actions import add_unit
from fazhi.core.web.once import FIELD

NOW = dt.datetime(2027, 1, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
YEAR = 2026


@pytest.fixture(autouse=True)
def _travel() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def token(page: str) -> str:
    found = re.search(rf'name="{FIELD}" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def text(response: Any) -> str:
    return str(response.content.decode())


def test_send_return_resubmit_accept_publish(cast: Any) -> None:
    clerk, sup = client_for(cast.a_clerk), client_for(cast.supervisor)
    url = reverse("submissions:submit", args=["A1", "xxgk", YEAR])
    page = text(clerk.get(url))
    assert "报送前请注意" in page and 'value="generated"' in page

    unconfirmed = clerk.post(url, {"source": "generated", FIELD: token(page)})
    assert "请勾选确认后再报送" in text(unconfirmed) and not Submission.objects.exists()

    form = {"source": "generated", "confirm": "on", FIELD: token(page)}
    first = clerk.post(url, form)
    record = Submission.objects.get()
    assert first.status_code == 302 and first["Location"] == reverse(
        "submissions:detail", args=[record.pk]
    )
    again = clerk.post(url, form, follow=True)  # the double click: one version
    assert "已经提交过" in text(again) and Version.objects.count() == 1

    detail = reverse("submissions:detail", args=[record.pk])
    page = text(sup.get(detail))
    assert 'id="paragraphs"' in page
    assert 'id="findings"' in page or "审查未发现问题" in page
    assert "文中数字与台账数据" in page
    sup.post(
        reverse("submissions:comment", args=[record.pk]), {"paragraph": "1", "text": "标题请核对"}
    )
    assert Comment.objects.get().paragraph == 1

    move = reverse("submissions:move", args=[record.pk, "return"])
    empty = sup.post(move, {"note": " "}, follow=True)
    assert "退回时须填写退回意见" in text(empty)
    assert Submission.objects.get().status == "submitted"
    sup.post(move, {"note": "请核对表三数字"})
    assert Submission.objects.get().status == "returned"

    page = text(clerk.get(detail))
    assert "标题请核对" in page and "请核对表三数字" in page and 'id="resubmit"' in page

    bad = io.BytesIO(b"just text, not a report")
    bad.name = "报告.txt"
    refused = clerk.post(url, {"source": "uploaded", "file": bad, "confirm": "on", FIELD: "t-bad"})
    assert "Word（.docx）或 PDF" in text(refused) and Version.objects.count() == 1
    docx = io.BytesIO(freeze.generated(cast.street_a, "xxgk", YEAR).content)
    docx.name = "修改稿.docx"
    clerk.post(url, {"source": "uploaded", "file": docx, "confirm": "on", FIELD: "t-ok"})
    record.refresh_from_db()
    assert record.status == "submitted" and record.versions.count() == 2
    assert record.versions.get(n=2).filename == "修改稿.docx"
    # The first version stays readable with its comment.
    shown = '<div class="comment">意见：标题请核对'
    assert shown in text(clerk.get(detail, {"v": 1}))
    assert shown not in text(clerk.get(detail))  # the comment belongs to version 1

    sup.post(reverse("submissions:move", args=[record.pk, "accept"]))
    sup.post(reverse("submissions:move", args=[record.pk, "publish"]))
    record.refresh_from_db()
    assert record.status == "published" and record.published_on == NOW.date()
    timeline = text(clerk.get(detail))
    for label in ("报送", "退回修改", "修改后重新报送", "接收", "公开"):
        assert f"<td>{label}</td>" in timeline
    assert "东湖街道" in text(Client().get(reverse("public:reports")))
    download = clerk.get(reverse("submissions:file", args=[record.pk, 1]))
    assert download.content[:2] == b"PK"


def test_inbox_filters_and_pages(cast: Any) -> None:
    for i in range(55):
        add_unit(
            code=f"S{i:02d}", name=f"测试{i:02d}街道", kind="street", parent=cast.district, by=None
        )
    sup = client_for(cast.supervisor)
    inbox = reverse("submissions:inbox")
    first = text(sup.get(inbox, {"year": YEAR}))
    assert "第 1 / 2 页" in first and first.count("<tr data-unit=") == 50
    second = text(sup.get(inbox, {"year": YEAR, "page": 2}))
    assert second.count("<tr data-unit=") == 7
    only = text(sup.get(inbox, {"year": YEAR, "q": "东湖"}))
    assert only.count("<tr data-unit=") == 1
    assert text(sup.get(inbox, {"year": YEAR, "state": "submitted"})).count("<tr data-unit=") == 0
    due = text(sup.get(inbox, {"year": YEAR, "due": "due_soon"}))
    # 2027-01-20: every 街道's 01-31 is 临期, 57 of them over two pages.
    assert due.count("<tr data-unit=") == 50 and "第 1 / 2 页" in due
    assert "没有符合条件的单位" in text(sup.get(inbox, {"year": YEAR, "due": "overdue"}))
    assert (
        sup.get(inbox, {"year": "abc", "kind": "zz", "state": "x", "page": "x"}).status_code == 200
    )


def test_clocks_on_the_todo_page(cast: Any) -> None:
    page = text(client_for(cast.a_clerk).get(reverse("web:home")))
    assert 'id="todo-submissions"' in page and "待报送" in page and "临期" in page
    assert "2027-01-31" in page
    sup_page = text(client_for(cast.supervisor).get(reverse("web:home")))
    assert 'id="todo-submissions"' not in sup_page  # nothing sent, nothing overdue yet
    with time_machine.travel(dt.datetime(2027, 2, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))):
        late = text(client_for(cast.supervisor).get(reverse("web:home")))
        assert "逾期未报送" in late and "东湖街道" in late


@pytest.mark.parametrize("year", [0, 1999, 2020, 2028, 9999, 10000, 99999])
@pytest.mark.parametrize("kind", ["fazhi", "xxgk"])
def test_submit_for_a_year_not_open_is_404(cast: Any, kind: str, year: int) -> None:
    clerk = client_for(cast.a_clerk)
    url = f"/submissions/A1/{kind}/{year}/submit/"  # 0, 10000…: not even a year's URL
    assert clerk.get(url).status_code == 404
    posted = clerk.post(url, {"source": "uploaded", "confirm": "on", FIELD: "t-year"})
    assert posted.status_code == 404 and not Submission.objects.exists()
    # The years that are open still answer.
    assert clerk.get(reverse("submissions:submit", args=["A1", kind, YEAR])).status_code == 200


def _upload(content: bytes, name: str = "报告.docx") -> io.BytesIO:
    fp = io.BytesIO(content)
    fp.name = name
    return fp


def test_upload_filed_as_another_year_kind_or_unit_is_warned_on_both_sides(cast: Any) -> None:
    content = freeze.generated(cast.street_a, "fazhi", YEAR).content
    clerk, sup = client_for(cast.a_clerk), client_for(cast.supervisor)
    url = reverse("submissions:submit", args=["A1", "xxgk", YEAR - 1])
    form = {"source": "uploaded", "confirm": "on", FIELD: "t-1"}
    first = text(clerk.post(url, {**form, "file": _upload(content)}))
    assert "上传文件看来是2026年度的报告，而报送的是2025年度" in first
    assert "上传文件看来是法治政府建设情况报告，而报送的是政府信息公开工作年度报告" in first
    assert not Submission.objects.exists()  # shown first, on the confirm step
    sha = re.search(r'name="acknowledged" value="([0-9a-f]+)"', first)
    assert sha is not None
    sent = clerk.post(
        url, {**form, FIELD: "t-2", "acknowledged": sha.group(1), "file": _upload(content)}
    )
    record = Submission.objects.get()
    assert sent.status_code == 302 and (record.kind, record.year) == ("xxgk", YEAR - 1)
    page = text(sup.get(reverse("submissions:detail", args=[record.pk])))
    assert 'id="mismatches"' in page and "而报送的是2025年度" in page

    # Unit B's clerk files A's report as B's.
    b_url = reverse("submissions:submit", args=["B1", "fazhi", YEAR])
    other = text(
        client_for(cast.b_clerk).post(b_url, {**form, FIELD: "t-3", "file": _upload(content)})
    )
    assert "上传文件看来是“东湖街道" in other and "而报送单位是“西城街道”" in other
    assert "年度的报告，而报送的是" not in other  # the year matches

    # A matching upload goes straight through, with no warning on the supervisor's side.
    own = reverse("submissions:submit", args=["A1", "fazhi", YEAR])
    clerk.post(own, {**form, FIELD: "t-4", "file": _upload(content)})
    mine = Submission.objects.get(kind="fazhi", unit=cast.street_a)
    assert 'id="mismatches"' not in text(sup.get(reverse("submissions:detail", args=[mine.pk])))


def test_every_download_gets_a_name_fazhi_makes(cast: Any) -> None:
    from urllib.parse import quote

    content = freeze.generated(cast.street_a, "xxgk", YEAR).content
    clerk, sup = client_for(cast.a_clerk), client_for(cast.supervisor)
    url = reverse("submissions:submit", args=["A1", "xxgk", YEAR])
    form = {"source": "uploaded", "confirm": "on", FIELD: "t-n"}
    clerk.post(url, {**form, "file": _upload(content, "内部草稿<b>x</b>.exe")})
    record = Submission.objects.get()
    sup.post(reverse("submissions:move", args=[record.pk, "accept"]))
    sup.post(reverse("submissions:move", args=[record.pk, "publish"]))
    want = "东湖街道2026年政府信息公开工作年度报告（第1版）.docx"
    disposition = f"attachment; filename*=UTF-8''{quote(want)}"
    file_url = reverse("submissions:file", args=[record.pk, 1])
    assert clerk.get(file_url)["Content-Disposition"] == disposition
    assert sup.get(file_url)["Content-Disposition"] == disposition
    public = Client().get(reverse("public:report_file", args=[record.pk]))
    assert public["Content-Disposition"] == disposition and public.content[:2] == b"PK"
    page = text(sup.get(reverse("submissions:detail", args=[record.pk])))
    assert f"下载{want}" in page and 'id="original-name"' in page and "<b>x</b>" not in page
    assert "内部草稿" not in text(Client().get(reverse("public:reports")))


def test_unpublish_takes_the_report_off_the_public_page(cast: Any) -> None:
    from fazhi.core.audit.models import AuditEvent

    clerk, sup = client_for(cast.a_clerk), client_for(cast.supervisor)
    url = reverse("submissions:submit", args=["A1", "xxgk", YEAR])
    clerk.post(url, {"source": "generated", "confirm": "on", FIELD: "t-u"})
    record = Submission.objects.get()
    sup.post(reverse("submissions:move", args=[record.pk, "accept"]))
    sup.post(reverse("submissions:move", args=[record.pk, "publish"]))
    detail = reverse("submissions:detail", args=[record.pk])
    page = text(sup.get(detail))
    assert 'id="unpublish-button"' in page and "确认撤回公开？" in page
    assert 'id="unpublish-button"' not in text(clerk.get(detail))  # the unit cannot
    move = reverse("submissions:move", args=[record.pk, "unpublish"])
    assert clerk.post(move, {"note": "数据有误"}).status_code == 404
    empty = sup.post(move, {"note": "  ", FIELD: "t-u1"}, follow=True)
    assert "撤回公开时须填写撤回理由" in text(empty)
    assert Submission.objects.get().status == "published"
    sup.post(move, {"note": "表三数字有误", FIELD: "t-u2"})
    record.refresh_from_db()
    assert record.status == "accepted" and record.published_on is None
    assert "东湖街道" not in text(Client().get(reverse("public:reports")))
    assert Client().get(reverse("public:report_file", args=[record.pk])).status_code == 404
    timeline = text(clerk.get(detail))
    assert "<td>撤回公开</td>" in timeline and "表三数字有误" in timeline
    assert AuditEvent.objects.filter(code="submissions.submission.unpublished").count() == 1
    again = sup.post(move, {"note": "再撤回", FIELD: "t-u3"}, follow=True)
    assert "不能执行「撤回公开」" in text(again)
    # Published again later: on the public page once more.
    sup.post(reverse("submissions:move", args=[record.pk, "publish"]), {FIELD: "t-u4"})
    assert "东湖街道" in text(Client().get(reverse("public:reports")))


def test_comment_box_has_the_limit_and_a_refusal_shows_once(cast: Any) -> None:
    from fazhi.core.submissions.models import Comment

    clerk, sup = client_for(cast.a_clerk), client_for(cast.supervisor)
    url = reverse("submissions:submit", args=["A1", "xxgk", YEAR])
    clerk.post(url, {"source": "generated", "confirm": "on", FIELD: "t-c"})
    record = Submission.objects.get()
    limit = Comment._meta.get_field("text").max_length
    assert limit == 2000
    page = text(sup.get(reverse("submissions:detail", args=[record.pk])))
    assert f'<textarea name="text" rows="2" maxlength="{limit}"' in page
    assert 'id="return-note" name="note" rows="3" maxlength="5000"' in page
    sup.post(reverse("submissions:move", args=[record.pk, "accept"]))
    sup.post(reverse("submissions:move", args=[record.pk, "publish"]))
    again = text(clerk.post(url, {"source": "generated", "confirm": "on", FIELD: "t-c2"}))
    assert again.count("该报告已公开，不能再次报送") == 1
    assert Version.objects.count() == 1
