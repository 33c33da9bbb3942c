"""The submission's lifecycle on the record kit, its bad input, the clocks, the figures table."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from fazhi.core.audit.models import AuditEvent
from fazhi.core.submissions import actions, deadlines, freeze, queries
from fazhi.core.submissions.figures import compare
from fazhi.core.submissions.models import Comment, Status, Submission, SubmissionEvent, Version
from fazhi.core.tenancy.actions import add_unit, add_user
from fazhi.core.workflow import ActionError

NOW = dt.datetime(2027, 1, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
YEAR = 2026


@pytest.fixture
def travel() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def counts() -> dict[str, int]:
    return {
        "submissions": Submission.objects.count(),
        "versions": Version.objects.count(),
        "events": SubmissionEvent.objects.count(),
        "comments": Comment.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def sent(cast: Any) -> Submission:
    frozen = freeze.generated(cast.street_a, "xxgk", YEAR)
    return actions.submit(
        unit=cast.street_a, kind="xxgk", year=YEAR, frozen=frozen, by=cast.a_clerk
    )


def test_the_whole_lifecycle_is_audited_and_versions_are_frozen(cast: Any, travel: Any) -> None:
    record = sent(cast)
    assert record.status == Status.SUBMITTED and record.number == f"A1-xxgk-{YEAR}"
    first = record.versions.get()
    assert bytes(first.content)[:2] == b"PK" and first.source == "generated"
    assert "政府信息公开" in first.text and first.html and first.figures["unit"] == "A1"
    assert "findings" in first.review

    with pytest.raises(ActionError, match="已报送"):
        sent(cast)  # the same submit twice: one version
    assert record.versions.count() == 1

    actions.comment(record, by=cast.supervisor, paragraph=1, text="标题请写明年度")
    record = actions.return_(record, by=cast.supervisor, note="请按意见修改")
    assert record.status == Status.RETURNED
    comment = Comment.objects.get()
    assert comment.version == first and comment.paragraph == 1 and comment.quote

    frozen = freeze.generated(cast.street_a, "xxgk", YEAR)
    record = actions.submit(
        unit=cast.street_a, kind="xxgk", year=YEAR, frozen=frozen, by=cast.a_leader, note="已改"
    )
    assert record.status == Status.SUBMITTED
    assert list(record.versions.values_list("n", flat=True)) == [1, 2]
    # The earlier version is kept as it was sent, its comment with it.
    assert Version.objects.get(pk=first.pk).comments.count() == 1

    record = actions.accept(record, by=cast.supervisor)
    assert record.status == Status.ACCEPTED and record.accepted_on == NOW.date()
    record = actions.publish(record, by=cast.supervisor)
    assert record.status == Status.PUBLISHED and record.published_on == NOW.date()
    assert list(queries.published()) == [record]

    kinds = [e.kind for e in record.events.order_by("id")]
    assert kinds == [
        "submitted", "child_added", "returned", "resubmitted", "accepted", "published",
    ]  # fmt: skip
    codes = list(
        AuditEvent.objects.filter(object_type="submissions.submission")
        .order_by("id")
        .values_list("code", flat=True)
    )
    assert codes == [
        "submissions.submission.registered",
        "submissions.submission.comments.added",
        "submissions.submission.returned",
        "submissions.submission.resubmitted",
        "submissions.submission.accepted",
        "submissions.submission.published",
    ]


def test_only_the_unit_above_reviews(cast: Any, travel: Any) -> None:
    record = sent(cast)
    before = counts()
    for who in (cast.a_clerk, cast.a_leader, cast.b_clerk):
        with pytest.raises(ActionError):
            actions.accept(record, by=who)
        with pytest.raises(ActionError):
            actions.return_(record, by=who, note="越权")
        with pytest.raises(ActionError):
            actions.comment(record, by=who, paragraph=1, text="越权")
    # The district's own report is not reviewed by the district's own supervisor.
    frozen = freeze.generated(cast.district, "xxgk", YEAR)
    clerk = add_user(
        username="d_clerk", unit=cast.district, role="clerk", password="x", by=None,
        check_password=False,
    )  # fmt: skip
    own = actions.submit(unit=cast.district, kind="xxgk", year=YEAR, frozen=frozen, by=clerk)
    with pytest.raises(ActionError, match="上级单位"):
        actions.accept(own, by=cast.supervisor)
    assert Submission.objects.get(pk=record.pk).status == Status.SUBMITTED
    assert counts()["comments"] == before["comments"]


def test_bad_input_is_refused_in_chinese_and_writes_nothing(cast: Any, travel: Any) -> None:
    record = sent(cast)
    before = counts()
    with pytest.raises(ActionError, match="须填写退回意见"):
        actions.return_(record, by=cast.supervisor, note="   ")
    with pytest.raises(ActionError, match="请填写意见"):
        actions.comment(record, by=cast.supervisor, paragraph=1, text="  ")
    with pytest.raises(ActionError, match="段落"):
        actions.comment(record, by=cast.supervisor, paragraph=99999, text="意见")
    frozen = freeze.generated(cast.street_b, "xxgk", YEAR)
    with pytest.raises(ActionError, match="报告年度须在2022年至2027年之间"):
        actions.submit(unit=cast.street_b, kind="xxgk", year=2099, frozen=frozen, by=cast.b_clerk)
    with pytest.raises(ActionError, match="未知的报告类型"):
        actions.submit(unit=cast.street_b, kind="zz", year=YEAR, frozen=frozen, by=cast.b_clerk)
    with pytest.raises(ActionError, match="权限"):
        actions.submit(unit=cast.street_b, kind="xxgk", year=YEAR, frozen=frozen, by=cast.a_clerk)
    with pytest.raises(ActionError, match=r"Word（\.docx）或 PDF"):
        freeze.uploaded(io.BytesIO("纯文本报告".encode()), "report.txt")
    with pytest.raises(ActionError, match="不支持"):
        freeze.uploaded(io.BytesIO(b"MZ\x90\x00" + b"\x00" * 600), "report.docx")
    with pytest.raises(ActionError, match="文件为空"):
        freeze.uploaded(io.BytesIO(b""), "report.docx")
    assert counts() == before


def test_an_oversize_upload_is_refused(cast: Any, travel: Any, settings: Any) -> None:
    settings.FAZHI_MAX_UPLOAD_BYTES = 1024
    content = sent_docx(cast)
    with pytest.raises(ActionError, match="文件过大"):
        freeze.uploaded(io.BytesIO(content), "报告.docx")


def sent_docx(cast: Any) -> bytes:
    return freeze.generated(cast.street_a, "xxgk", YEAR).content


def test_an_uploaded_docx_is_read_and_reviewed(cast: Any, travel: Any) -> None:
    frozen = freeze.uploaded(io.BytesIO(sent_docx(cast)), "东湖街道报告.docx")
    assert frozen.source == "uploaded" and frozen.filename == "东湖街道报告.docx"
    assert "政府信息公开" in frozen.text and frozen.html == ""
    record = actions.submit(
        unit=cast.street_a, kind="fazhi", year=YEAR, frozen=frozen, by=cast.a_clerk
    )
    assert record.versions.get().content_type.endswith("wordprocessingml.document")


@pytest.mark.parametrize(
    ("kind", "unit_kind", "submit", "publish"),
    [
        ("fazhi", "street", dt.date(2027, 3, 1), dt.date(2027, 4, 1)),
        ("fazhi", "district", dt.date(2027, 3, 1), dt.date(2027, 4, 1)),
        ("xxgk", "department", dt.date(2027, 1, 31), dt.date(2027, 1, 31)),
        ("xxgk", "district", dt.date(2027, 3, 31), dt.date(2027, 3, 31)),
        ("xxgk", "street", dt.date(2027, 1, 31), dt.date(2027, 1, 31)),
    ],
)
def test_statutory_dates(kind: str, unit_kind: str, submit: dt.date, publish: dt.date) -> None:
    assert deadlines.submit_due(kind, unit_kind, 2026) == submit
    assert deadlines.publish_due(kind, unit_kind, 2026) == publish


def test_the_street_date_is_a_setting(settings: Any) -> None:
    settings.FAZHI_XXGK_TOWNSHIP_REPORT_DEADLINE = (3, 15)
    assert deadlines.publish_due("xxgk", "street", 2026) == dt.date(2027, 3, 15)
    assert deadlines.publish_due("xxgk", "department", 2026) == dt.date(2027, 1, 31)


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (dt.date(2027, 1, 1), ""),
        (dt.date(2027, 1, 16), "临期"),
        (dt.date(2027, 1, 31), "临期"),
        (dt.date(2027, 2, 1), "逾期"),
    ],
)
def test_clock_states(today: dt.date, state: str) -> None:
    clock = deadlines.unit_clock("xxgk", "street", 2026, "", today)
    assert clock is not None and clock.state == state and clock.due == dt.date(2027, 1, 31)
    assert deadlines.unit_clock("xxgk", "street", 2026, "submitted", today) is None
    assert deadlines.supervisor_clock("xxgk", "street", 2026, "published", today) is None


def test_todo_for_both_sides(cast: Any, travel: Any) -> None:
    labels = {
        (i.label, i.row.unit.code, i.row.kind) for i in queries.todo(cast.a_clerk, NOW.date())
    }
    # 2027-01-20: the 政府信息公开 report is 临期 (01-31); 法治 (03-01) is not yet.
    assert labels == {("待报送", "A1", "xxgk")}
    record = sent(cast)
    assert queries.todo(cast.a_clerk, NOW.date()) == []
    sup = {
        (i.label, i.row.unit.code, i.row.kind) for i in queries.todo(cast.supervisor, NOW.date())
    }
    assert ("待审阅", "A1", "xxgk") in sup
    assert not any(code == "B1" for _, code, _ in sup)  # 临期 but not yet 逾期: no 催报
    actions.return_(record, by=cast.supervisor, note="请修改")
    assert [i.label for i in queries.todo(cast.a_clerk, NOW.date())] == ["待修改重报"]
    assert not queries.todo(cast.b_clerk, NOW.date())[1:]  # B sees only its own item
    with time_machine.travel(dt.datetime(2027, 2, 3, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))):
        late = {
            (i.label, i.row.unit.code) for i in queries.todo(cast.supervisor, dt.date(2027, 2, 3))
        }
        assert ("逾期未报送", "B1") in late


def test_inbox_lists_every_unit_below_sent_or_not(cast: Any, travel: Any) -> None:
    add_unit(code="C9", name="社区甲", kind="community", parent=cast.street_a, by=None)
    sent(cast)
    rows = queries.inbox(cast.supervisor, "xxgk", YEAR, NOW.date())
    assert [(r.unit.code, r.state) for r in rows] == [("A1", "已报送"), ("B1", "未报送")]
    assert [
        r.unit.code for r in queries.inbox(cast.supervisor, "xxgk", YEAR, NOW.date(), state="none")
    ] == ["B1"]
    assert [
        r.unit.code
        for r in queries.inbox(cast.supervisor, "xxgk", YEAR, NOW.date(), state="submitted")
    ] == ["A1"]
    assert queries.inbox(cast.a_clerk, "xxgk", YEAR, NOW.date()) == []


def test_figures_beside_the_ledgers(cast: Any, travel: Any) -> None:
    quoted = [
        {"value": 3, "unit": "件", "label": "本年新收政府信息公开申请", "line": 4, "text": "3件"},
        {"value": 0, "unit": "件", "label": "本年新收政府信息公开申请", "line": 5, "text": "0件"},
        {"value": 12, "unit": "棵", "label": "植树", "line": 6, "text": "12棵"},
    ]
    rows = compare(cast.street_a, YEAR, quoted)
    assert rows[0].code == "xxgk.new_requests" and rows[0].ledger == "0" and rows[0].mismatch
    assert rows[1].code == "xxgk.new_requests" and not rows[1].mismatch
    assert rows[2].indicator == "" and not rows[2].mismatch


def test_every_audit_code_has_a_chinese_name() -> None:
    from fazhi.core.audit.catalogue import code_label

    for code in ("registered", "resubmitted", "returned", "accepted", "published"):
        assert code_label(f"submissions.submission.{code}").startswith("年度报告报送：")
    assert "审阅意见" in code_label("submissions.submission.comments.added")


def test_a_wrong_year_through_the_page_writes_nothing(cast: Any, travel: Any) -> None:
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(cast.a_clerk)
    before = counts()
    url = reverse("submissions:submit", args=["A1", "xxgk", 2099])
    page = client.post(url, {"source": "generated", "confirm": "on"})
    assert page.status_code == 404  # outside freeze.years_open: the page does not exist
    assert counts() == before


def test_the_first_submission_is_the_clerks_a_leader_may_resubmit(cast: Any, travel: Any) -> None:
    frozen = freeze.generated(cast.street_a, "xxgk", YEAR)
    before = counts()
    with pytest.raises(ActionError, match="首次报送须由本单位录入员办理"):
        actions.submit(unit=cast.street_a, kind="xxgk", year=YEAR, frozen=frozen, by=cast.a_leader)
    assert counts() == before
