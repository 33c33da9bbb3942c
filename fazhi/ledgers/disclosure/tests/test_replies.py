"""What a reply must say (条例 Arts. 36–37, 51) and how long an extension may be (Art. 33):
validated in the action, offered in the form, carried by the import and the export."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fazhi.core.calendar.service import get_calendar
from fazhi.core.records.clocks import events_of
from fazhi.core.workflow import ActionError
from fazhi.ledgers.disclosure import actions, replies
from fazhi.ledgers.disclosure.bulk import import_file
from fazhi.ledgers.disclosure.importing import HEADERS
from fazhi.ledgers.disclosure.ledger import LEDGER
from fazhi.ledgers.disclosure.models import Application, EventKind, Outcome, Status
from fazhi.ledgers.disclosure.tests.importcase import HEADERS as OLD_HEADERS
from fazhi.ledgers.disclosure.tests.importcase import xlsx_bytes
from fazhi.ledgers.disclosure.tests.lettercase import D, new_app
from fazhi.ledgers.disclosure.ui import UI

pytestmark = pytest.mark.django_db
ON = D(2026, 3, 20)


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(dt.datetime(2026, 11, 25, 10, tzinfo=dt.UTC), tick=False):
        yield


REFUSED: list[tuple[str, dict[str, str], str, str]] = [
    ("partial", {"reasons": "隐私"}, "withheld", "请写明不予公开的部分（条例第三十七条）"),
    ("partial", {"withheld": "身份证号"}, "reasons", "请写明不予公开部分的理由"),
    ("withheld_1", {}, "reasons", "请写明不予公开的理由（条例第三十六条第（三）项）"),
    ("withheld_6", {"basis": "依据"}, "reasons", "不予公开的理由"),
    ("unable_1", {}, "reasons", "请写明无法提供的理由"),
    ("unable_2", {}, "reasons", "无法提供的理由"),
    ("not_processed_2", {}, "reasons", "请写明不予处理的理由"),
    ("not_processed_5", {"reasons": "已获取"}, "basis", "请写明答复的法律依据"),
    ("granted", {"withheld": "一部分"}, "withheld", "只有部分公开的答复才填写不予公开的部分"),
    ("withheld_4", {"reasons": "商业秘密", "competent_body": "区住建局"}, "competent_body", "只在"),
    ("unable_1", {"reasons": "非本机关", "competent_contact": "电话"}, "competent_body", "请先填写负责公开该信息的机关名称"),
    ("withheld_6", {"reasons": "长" * 2001}, "reasons", "理由"),
    ("other_3", {}, "reasons", "写明处理情况"),
]  # fmt: skip


@pytest.mark.parametrize(("outcome", "given", "field", "message"), REFUSED)
def test_a_reply_without_what_the_statute_requires_is_refused(
    cast: Any, outcome: str, given: dict[str, str], field: str, message: str
) -> None:
    app = new_app(cast)
    with pytest.raises(ActionError) as info:
        actions.reply(app=app, by=cast.a_clerk, on=ON, outcome=outcome, **given)
    assert message in info.value.message and info.value.field == field
    app.refresh_from_db()
    assert app.status == Status.RECEIVED and len(events_of(app)) == 1


OFFERED: list[tuple[str, dict[str, str], str]] = [
    ("withheld_1", {}, "《中华人民共和国保守国家秘密法》；《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项"),
    ("withheld_4", {}, "《中华人民共和国政府信息公开条例》第十五条、第三十二条、第三十六条第（三）项"),
    ("withheld_6", {}, "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项"),
    ("unable_1", {}, "《中华人民共和国政府信息公开条例》第三十六条第（四）项"),
    ("unable_1", {"competent_body": "示例区住建局"}, "《中华人民共和国政府信息公开条例》第三十六条第（五）项"),
    ("unable_2", {}, "《中华人民共和国政府信息公开条例》第三十八条"),
    ("not_processed_1", {}, "《中华人民共和国政府信息公开条例》第三十九条第一款"),
    ("withheld_6", {"basis": "本机关认定的依据：条例第十六条"}, "本机关认定的依据：条例第十六条"),
]  # fmt: skip


@pytest.mark.parametrize(("outcome", "given", "basis"), OFFERED)
def test_the_basis_is_offered_per_outcome_and_the_clerks_edit_is_kept(
    cast: Any, outcome: str, given: dict[str, str], basis: str
) -> None:
    app = actions.reply(
        app=new_app(cast), by=cast.a_clerk, on=ON, outcome=outcome, reasons="理由", **given
    )
    event = app.events.get(kind=EventKind.REPLIED)
    assert event.data["basis"] == basis
    assert event.data["reasons"] == "理由"
    assert "六十日内向行政复议机关申请行政复议" in event.data["remedies"]


def test_every_outcome_has_a_group_and_every_withholding_one_a_message() -> None:
    for outcome in Outcome.values:
        group = replies.group_of(outcome)
        if outcome in replies.NEEDS_REASONS:
            assert group in replies.REASONS_MISSING
    assert replies.group_of(Outcome.UNABLE_1) == "unable"  # Art. 36(五) counts as 不掌握


def test_the_remedies_wording_is_a_setting(cast: Any, settings: Any) -> None:
    settings.FAZHI_XXGK_REMEDIES = "不服的，可向{复议机关}申请复议或向{人民法院}起诉。"
    app = actions.reply(app=new_app(cast), by=cast.a_clerk, on=ON, outcome="granted")
    assert app.events.get(kind=EventKind.REPLIED).data["remedies"] == (
        "不服的，可向行政复议机关申请复议或向人民法院起诉。"
    )


@pytest.mark.parametrize("days", [1, 10, 20])
def test_the_extension_lengthens_the_clock_by_the_days_chosen(cast: Any, days: int) -> None:
    app = new_app(cast)
    original = app.reply_due_on
    assert original is not None
    app = actions.request_extension(
        app=app, by=cast.a_clerk, on=D(2026, 3, 20), reason="档案多", days=days
    )
    app = actions.extend(
        app=app, by=cast.a_leader, on=D(2026, 3, 23), reason="档案多", told_on=D(2026, 3, 24)
    )
    assert app.reply_due_on == get_calendar().add_workdays(original, days)
    extended = app.events.get(kind=EventKind.EXTENDED).data
    assert (extended["amount"], extended["told_on"]) == (days, "2026-03-24")


def test_the_leader_may_shorten_what_was_asked(cast: Any) -> None:
    app = actions.request_extension(
        app=new_app(cast), by=cast.a_clerk, on=D(2026, 3, 20), reason="档案多", days=20
    )
    original = app.reply_due_on
    assert original is not None
    app = actions.extend(
        app=app, by=cast.a_leader, on=D(2026, 3, 23), reason="档案多", told_on=D(2026, 3, 23),
        days=5,
    )  # fmt: skip
    assert app.reply_due_on == get_calendar().add_workdays(original, 5)


@pytest.mark.parametrize(
    ("days", "told_on", "field", "message"),
    [
        (0, D(2026, 3, 23), "days", "1至20个工作日"),
        (21, D(2026, 3, 23), "days", "1至20个工作日"),
        (10, D(2026, 3, 22), "told_on", "批准之日至今天之间"),
        (10, D(2026, 11, 26), "told_on", "批准之日至今天之间"),
    ],
)
def test_extension_length_and_notice_day_are_checked(
    cast: Any, days: int, told_on: dt.date, field: str, message: str
) -> None:
    app = new_app(cast)
    with pytest.raises(ActionError) as info:
        actions.extend(
            app=app, by=cast.a_leader, on=D(2026, 3, 23), reason="x", told_on=told_on, days=days
        )
    assert message in info.value.message and info.value.field == field
    with pytest.raises(ActionError, match="1至20个工作日"):
        actions.request_extension(app=app, by=cast.a_clerk, on=D(2026, 3, 20), reason="x", days=25)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_reply_form_offers_the_basis_and_shows_the_statutes_errors(cast: Any) -> None:
    app = new_app(cast)
    url = reverse("web:move", args=["disclosure", app.pk, "reply"])
    client = _client(cast.a_clerk)
    page = client.get(url).content.decode()
    assert 'data-fills="id_basis"' in page and "第十六条第二款" in page
    for label in ("不予公开的部分", "理由", "法律依据", "负责公开的机关", "该机关联系方式"):
        assert label in page
    refused = client.post(url, {"on": "2026-03-20", "outcome": "withheld_6"})
    assert "请写明不予公开的理由" in refused.content.decode()
    done = client.post(
        url, {"on": "2026-03-20", "outcome": "withheld_6", "reasons": "会议讨论记录"}
    )
    assert done.status_code == 302
    detail = client.get(reverse("web:detail", args=["disclosure", app.pk])).content.decode()
    assert "理由：会议讨论记录" in detail and "第十六条第二款" in detail
    extend = reverse("web:move", args=["disclosure", new_app(cast).pk, "extend"])
    leader = _client(cast.a_leader).get(extend).content.decode()
    assert "延长工作日数" in leader and "告知申请人日期" in leader


def test_import_and_export_carry_the_reply_content_and_the_extension(
    cast: Any, tmp_path: Any
) -> None:
    rows = [
        {
            HEADERS["number"]: "YSQ-2026-0101",
            HEADERS["received_on"]: "2026-03-02",
            HEADERS["applicant_category"]: "自然人",
            HEADERS["applicant_name"]: "赵某",
            HEADERS["content"]: "会议纪要",
            HEADERS["extended_on"]: "2026-03-25",
            HEADERS["extension_days"]: 10,
            HEADERS["extension_told_on"]: "2026-03-26",
            HEADERS["replied_on"]: "2026-04-10",
            HEADERS["outcome"]: "属于四类过程性信息",
            HEADERS["reasons"]: "会议讨论记录",
        },
        {  # an old file's row: none of the new columns
            HEADERS["number"]: "YSQ-2026-0102",
            HEADERS["received_on"]: "2026-03-02",
            HEADERS["applicant_category"]: "自然人",
            HEADERS["applicant_name"]: "钱某",
            HEADERS["content"]: "预算",
            HEADERS["replied_on"]: "2026-03-20",
            HEADERS["outcome"]: "予以公开",
        },
    ]
    data = xlsx_bytes(
        rows, headers=list(dict.fromkeys([*OLD_HEADERS, *(h for r in rows for h in r)]))
    )
    outcome = import_file(unit=cast.street_a, by=cast.a_clerk, data=data, filename="in.xlsx")
    assert outcome.errors == [], outcome.errors
    app = Application.objects.get(number="YSQ-2026-0101")
    replied = app.events.get(kind=EventKind.REPLIED).data
    assert replied["reasons"] == "会议讨论记录"
    assert replied["basis"] == replies.default_basis("withheld_6")
    extended = app.events.get(kind=EventKind.EXTENDED).data
    assert (extended["amount"], extended["told_on"]) == (10, "2026-03-26")
    headers, rows_out = UI.export(Application.objects.filter(unit=cast.street_a).order_by("number"))
    exported = [dict(zip(headers, r, strict=True)) for r in rows_out]
    assert exported[0][HEADERS["reasons"]] == "会议讨论记录"
    assert exported[0][HEADERS["extension_days"]] == 10
    assert exported[0][HEADERS["extension_told_on"]] == "2026-03-26"
    assert exported[1][HEADERS["reasons"]] == ""
    assert LEDGER.slug == "disclosure"


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ({"extension_days": 25, "extended_on": "2026-03-25"}, "extension_days", "1至20"),
        ({"extension_days": 5}, "extension_days", "为空"),
        ({"extension_told_on": "2026-03-20", "extended_on": "2026-03-25"}, "extension_told_on", "不能早于"),
        ({"reasons": "理由"}, "reasons", "办理结果为空"),
        ({"withheld": "一部分", "replied_on": "2026-03-20", "outcome": "予以公开"}, "withheld", "部分公开"),
    ],
)  # fmt: skip
def test_bad_reply_columns_are_row_errors(
    cast: Any, tmp_path: Any, row: dict[str, Any], column: str, message: str
) -> None:
    base = {
        HEADERS["number"]: "YSQ-2026-0201",
        HEADERS["received_on"]: "2026-03-02",
        HEADERS["applicant_category"]: "自然人",
        HEADERS["applicant_name"]: "孙某",
        HEADERS["content"]: "预算",
    }
    full = base | {HEADERS[k]: v for k, v in row.items()}
    data = xlsx_bytes([full], headers=list(dict.fromkeys([*OLD_HEADERS, *full])))
    outcome = import_file(unit=cast.street_a, by=cast.a_clerk, data=data, filename="bad.xlsx")
    assert any(HEADERS[column] in e and message in e for e in outcome.errors), outcome.errors
    assert not Application.objects.exists()


def test_the_outcomes_are_grouped_as_the_format_groups_them() -> None:
    """2021 format, table 三: （一）（二） stand alone; （三）–（六） head numbered items."""
    from fazhi.ledgers.disclosure.forms import ReplyForm

    choices = list(ReplyForm.base_fields["outcome"].choices)[1:]  # type: ignore[attr-defined]
    assert [c[0] for c in choices] == [
        "granted",
        "partial",
        "不予公开",
        "无法提供",
        "不予处理",
        "其他处理",
    ]
    groups = {c[0]: c[1] for c in choices if isinstance(c[1], list)}
    assert groups["不予公开"][0] == ("withheld_1", "1.属于国家秘密")
    assert len(groups["不予公开"]) == 8 and len(groups["无法提供"]) == 3
    assert len(groups["不予处理"]) == 5
    # the two closings that have their own move are not offered as a reply
    assert groups["其他处理"] == [("other_3", "3.其他")]
    flat = dict(replies.flat_grouped_choices())
    assert flat["withheld_1"] == "不予公开 · 1.属于国家秘密" and flat["other_1"].startswith(
        "其他处理 · 1."
    )
    assert len(flat) == len(Outcome.choices)
