"""Every letter the ledger sends, produced by its move and read back from the stored .docx; the
numbering per unit-year; a unit's own template; the "生成告知书" button; undo."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fazhi.core.letters import actions as letter_actions
from fazhi.core.letters.models import Letter, LetterProfile
from fazhi.core.letters.skeleton import build_template
from fazhi.core.records import perform
from fazhi.core.reports.document import chinese_date
from fazhi.ledgers.disclosure import actions, rules
from fazhi.ledgers.disclosure.letters import BOOK
from fazhi.ledgers.disclosure.models import Application
from fazhi.ledgers.disclosure.tests.lettercase import (
    D,
    Move,
    docx_text,
    last_letter,
    letter_text,
    new_app,
    reply,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(dt.datetime(2026, 11, 25, 10, tzinfo=dt.UTC), tick=False):
        yield


def correction(cast: Any, app: Application) -> Application:
    return actions.request_correction(
        app=app, by=cast.a_clerk, on=D(2026, 3, 3), items="请写明所需文件的文号或形成时间"
    )


def consult(kind: str, party: str) -> Move:
    def move(cast: Any, app: Application) -> Application:
        return actions.start_consultation(
            app=app, by=cast.a_clerk, on=D(2026, 3, 4), party_kind=kind, party=party
        )

    return move


def extension(cast: Any, app: Application) -> Application:
    app = actions.request_extension(
        app=app, by=cast.a_clerk, on=D(2026, 3, 25), reason="所需信息涉及多个部门", days=10
    )
    return actions.extend(
        app=app, by=cast.a_leader, on=D(2026, 3, 26), reason="所需信息涉及多个部门",
        told_on=D(2026, 3, 27),
    )  # fmt: skip


def fee(cast: Any, app: Application) -> Application:
    return actions.issue_fee_notice(
        app=app, by=cast.a_clerk, on=D(2026, 3, 3), method="per_page", quantity=120
    )


def replying(outcome: str, **kw: Any) -> Move:
    return lambda cast, app: reply(cast, app, outcome, **kw)


def closed_uncorrected(cast: Any, app: Application) -> Application:
    app = correction(cast, app)
    return actions.close_uncorrected(app=app, by=cast.a_clerk, on=D(2026, 4, 10))


def closed_unpaid(cast: Any, app: Application) -> Application:
    app = fee(cast, app)
    return actions.close_unpaid(app=app, by=cast.a_clerk, on=D(2026, 4, 20))


CASES: list[tuple[str, Move, list[str]]] = [
    (
        "correction_notice",
        correction,
        ["政府信息公开申请补正告知书", "王某：", "请写明所需文件的文号或形成时间", "第三十条",
         "视为放弃申请", "2026年3月3日", "请您于2026年3月24日前向本机关提交补正后的申请"],
    ),
    (
        "correction_notice",
        lambda cast, app: actions.request_correction(
            app=app, by=cast.a_clerk, on=D(2026, 3, 3), items="请写明文号", service_method="post",
            period=10,
        ),
        ["请您自收到本告知书之日起10个工作日内向本机关提交补正后的申请"],
    ),
    (
        "correction_notice",
        lambda cast, app: actions.request_correction(
            app=app, by=cast.a_clerk, on=D(2026, 3, 3), items="请写明文号", deadline=D(2026, 4, 1),
        ),
        ["请您于2026年4月1日前向本机关提交补正后的申请"],
    ),
    (
        "consultation",
        consult("third_party", "某置业有限公司"),
        ["政府信息公开征求意见书", "某置业有限公司：", "第三十二条", "15个工作日", "由本机关依照条例的规定决定是否公开"],
    ),
    (
        "consultation",
        consult("co_author", "示例区住房和城乡建设局"),
        ["示例区住房和城乡建设局：", "第三十四条", "视为同意公开"],
    ),
    (
        "extension",
        extension,
        ["延期答复告知书", "所需信息涉及多个部门", "延长10个工作日", "第三十三条第二款"],
    ),
    (
        "fee_notice",
        fee,
        ["收费通知书", "按量计收（共120页）", f"人民币{rules.fee_per_page(120):.2f}元",
         "第五条（按量计收）", "20个工作日", "请持本通知书到本机关缴纳"],
    ),
    (
        "reply_granted",
        replying("granted", note="请于2026年3月25日前到本机关领取纸质件"),
        ["答复告知书", "予以公开", "请于2026年3月25日前到本机关领取纸质件", "第三十六条第（一）项"],
    ),
    (
        "reply_partial",
        replying("partial", withheld="申请人以外的个人身份证号码", reasons="属于个人隐私"),
        ["不予公开的部分：申请人以外的个人身份证号码", "理由：属于个人隐私", "法律依据：《中华人民共和国政府信息公开条例》第三十七条"],
    ),
    (
        "reply_withheld",
        replying("withheld_6", reasons="该信息为会议讨论记录"),
        ["属于四类过程性信息", "不予公开", "理由：该信息为会议讨论记录", "第十六条第二款"],
    ),
    (
        "reply_unable",
        replying("unable_1", reasons="不属于本机关职责", competent_body="示例区住房和城乡建设局",
                 competent_contact="0571-88880000"),
        ["无法提供", "该信息由示例区住房和城乡建设局负责公开（联系方式：0571-88880000）", "第三十六条第（五）项"],
    ),
    (
        "reply_not_processed",
        replying("not_processed_2", reasons="已于2026年2月答复过相同申请"),
        ["重复申请", "不予处理", "第三十六条第（六）项"],
    ),
    (
        "reply_other",
        closed_uncorrected,
        ["补正告知书", "未在补正期限内补正", "不再处理", "第三十条"],
    ),
    (
        "reply_other",
        closed_unpaid,
        ["收费通知书", "未在规定期限内缴纳信息处理费", "国办函〔2020〕109号"],
    ),
]  # fmt: skip
REMEDIES = (
    "六十日内向行政复议机关申请行政复议，或者自收到本告知书之日起六个月内向人民法院提起行政诉讼"
)


@pytest.mark.parametrize(("kind", "move", "expected"), CASES)
def test_each_letter_is_made_by_its_move_with_its_fields_filled(
    cast: Any, kind: str, move: Move, expected: list[str]
) -> None:
    app = move(cast, new_app(cast))
    letter = last_letter(app)
    assert letter.kind == kind
    event = app.events.order_by("-id").first()
    assert event is not None and letter.event_id == event.pk
    assert letter.attachment is not None and letter.attachment.event_id == event.pk
    text = letter_text(letter)
    for part in [*expected, "东湖街道", letter.number, chinese_date(event.on)]:
        assert part in text, (part, text)
    assert "{{" not in text and "{%" not in text and "（" + "文号" + "）" not in text
    if kind.startswith("reply_"):
        assert REMEDIES in text


def test_extension_letter_names_the_due_dates_the_clock_computes(cast: Any) -> None:
    app = new_app(cast)
    before = app.reply_due_on
    assert before is not None
    app = extension(cast, app)
    text = letter_text(last_letter(app))
    assert app.reply_due_on is not None
    assert f"由{chinese_date(before)}延长至{chinese_date(app.reply_due_on)}" in text


def test_numbers_run_per_unit_and_year_without_gaps(cast: Any) -> None:
    numbers = []
    for i in range(3):
        app = new_app(cast, content=f"信息{i}")
        reply(cast, app, "granted")
        numbers.append(last_letter(app).number)
    assert numbers == ["〔2026〕第1号", "〔2026〕第2号", "〔2026〕第3号"]
    # Another unit counts on its own; a step dated in 2025 takes 2025's sequence.
    b = new_app(cast, unit=cast.street_b, by=cast.b_clerk)
    reply(cast, b, "granted")
    assert last_letter(b).number == "〔2026〕第1号"
    old = new_app(cast, received_on=D(2025, 12, 1))
    actions.reply(app=old, by=cast.a_clerk, on=D(2025, 12, 10), outcome="granted")
    assert (last_letter(old).year, last_letter(old).seq) == (2025, 1)
    # A refused move draws no number.
    app = new_app(cast)
    with pytest.raises(Exception, match="理由"):
        actions.reply(app=app, by=cast.a_clerk, on=D(2026, 3, 20), outcome="withheld_6")
    reply(cast, app, "granted")
    assert last_letter(app).seq == 4
    assert list(
        Letter.objects.filter(unit=cast.street_a, year=2026).values_list("seq", flat=True)
    ) == [1, 2, 3, 4]


def test_the_prefix_and_issuer_come_from_the_units_settings(cast: Any) -> None:
    letter_actions.save_profile(
        unit=cast.street_a,
        book=BOOK,
        by=cast.a_leader,
        prefix="东湖街道依申请公开告知",
        issuer="东湖街道办事处",
        values={
            "复议机关": "示例区人民政府",
            "人民法院": "示例区人民法院",
            "联系电话": "0571-88886666",
        },
    )
    app = reply(cast, new_app(cast), "withheld_5", reasons="属于内部人事管理信息")
    letter = last_letter(app)
    assert letter.number == "东湖街道依申请公开告知〔2026〕第1号"
    text = letter_text(letter)
    assert "东湖街道办事处" in text and "联系电话：0571-88886666" in text
    assert "六十日内向示例区人民政府申请行政复议" in text and "向示例区人民法院提起行政诉讼" in text
    event = app.events.order_by("-id").first()
    assert event is not None and "示例区人民政府" in event.data["remedies"]
    with pytest.raises(Exception, match="负责人或管理员"):
        letter_actions.save_profile(
            unit=cast.street_a, book=BOOK, by=cast.a_clerk, prefix="", issuer="", values={}
        )
    assert LetterProfile.objects.get(unit=cast.street_a).prefix == "东湖街道依申请公开告知"


def marked_template(marker: str) -> bytes:
    """The default reply template with a unit's own line in it."""
    kind = BOOK.kind("reply_granted")
    assert kind is not None
    from dataclasses import replace

    return build_template(BOOK, replace(kind, body=(*kind.body, marker)))


def test_a_units_template_replaces_the_default_only_for_that_unit(cast: Any) -> None:
    kind = BOOK.kind("reply_granted")
    assert kind is not None
    letter_actions.upload_template(
        unit=cast.street_a, book=BOOK, kind=kind, by=cast.a_leader,
        data=marked_template("东湖街道专用模板"), name="东湖答复.docx",
    )  # fmt: skip
    a = reply(cast, new_app(cast), "granted")
    b = reply(cast, new_app(cast, unit=cast.street_b, by=cast.b_clerk), "granted")
    assert "东湖街道专用模板" in letter_text(last_letter(a))
    assert "东湖街道专用模板" not in letter_text(last_letter(b))
    assert last_letter(a).template_sha256 and not last_letter(b).template_sha256
    letter_actions.revert_template(unit=cast.street_a, book=BOOK, kind=kind, by=cast.a_leader)
    again = reply(cast, new_app(cast), "granted")
    assert "东湖街道专用模板" not in letter_text(last_letter(again))


def test_undo_keeps_the_letter_and_its_number_and_a_new_reply_gets_the_next(cast: Any) -> None:
    app = reply(cast, new_app(cast), "granted")
    first = last_letter(app)
    app = actions.undo(app, by=cast.a_leader, reason="答复日期录错")
    app = reply(cast, app, "granted", on=D(2026, 3, 21))
    second = last_letter(app)
    assert (first.seq, second.seq) == (1, 2)
    assert Letter.objects.filter(pk=first.pk).exists()
    page = _client(cast.a_clerk).get(reverse("web:detail", args=["disclosure", app.pk]))
    html = page.content.decode()
    assert first.number in html and second.number in html and "已撤销，文号保留" in html


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_step_without_its_letter_gets_one_from_the_button_numbered_once(cast: Any) -> None:
    app = new_app(cast)
    # A step made past the ledger's actions (as before letters existed) has no letter yet.
    app = perform.perform(
        BOOK_LEDGER(), app, "reply", by=cast.a_clerk, on=D(2026, 3, 20),
        data={"outcome": "granted"}, changes={"outcome": "granted", "replied_on": D(2026, 3, 20)},
    )  # fmt: skip
    assert not Letter.objects.exists()
    event = app.events.order_by("-id").first()
    assert event is not None
    url = reverse("letters:generate", args=["disclosure", app.pk, event.pk])
    detail = _client(cast.a_clerk).get(reverse("web:detail", args=["disclosure", app.pk]))
    assert url in detail.content.decode()
    assert _client(cast.b_clerk).post(url).status_code == 404
    assert _client(cast.a_clerk).post(url).status_code == 302
    assert _client(cast.a_clerk).post(url).status_code == 302  # a second click
    letters = list(Letter.objects.all())
    assert [(x.seq, x.attachment_id is not None) for x in letters] == [(1, True)]
    assert "予以公开" in letter_text(letters[0])
    download = _client(cast.a_clerk).get(reverse("letters:download", args=[letters[0].pk]))
    assert download.status_code == 302
    assert download["Location"] == reverse("attachments:download", args=[letters[0].attachment_id])


def BOOK_LEDGER() -> Any:
    from fazhi.ledgers.disclosure.ledger import LEDGER

    return LEDGER


def test_the_letter_downloads_from_the_timeline_through_the_door(cast: Any) -> None:
    app = reply(cast, new_app(cast), "withheld_6", reasons="该信息为会议讨论记录")
    letter = last_letter(app)
    detail = _client(cast.a_clerk).get(reverse("web:detail", args=["disclosure", app.pk]))
    url = reverse("letters:download", args=[letter.pk])
    assert url in detail.content.decode()
    file_url = reverse("attachments:download", args=[letter.attachment_id])
    got = _client(cast.a_clerk).get(file_url)
    assert got.status_code == 200 and "会议讨论记录" in docx_text(b"".join(got.streaming_content))  # type: ignore[attr-defined]
    for outsider in (cast.b_clerk,):
        assert _client(outsider).get(url).status_code == 404
        assert _client(outsider).get(file_url).status_code == 404
    assert _client(cast.supervisor).get(url).status_code == 302


def test_committed_default_templates_are_what_the_declarations_build() -> None:
    for kind in BOOK.kinds:
        path = BOOK.default_template(kind)
        assert path.read_bytes() == build_template(BOOK, kind), (
            f"{path.name} is stale: run scripts/make-letter-templates"
        )
