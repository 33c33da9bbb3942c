"""The 第一责任人 and 督察整改 pages behind the tenant door: every URL of both ledgers and of the
statistics page answers 404 to the neighbouring 街道's clerk and changes nothing; lists and
exports show nothing of A to B; bad input answers in Chinese on its field and writes nothing;
the statistics page's figures link to exactly their records."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from fazhi.core.audit.models import AuditEvent
from fazhi.ledgers.oversight import actions
from fazhi.ledgers.oversight import urls as own_urls
from fazhi.ledgers.oversight.ledger import DUTIES, LEDGERS, RECTIFICATIONS
from fazhi.ledgers.oversight.models import (
    LeaderDuty,
    LeaderDutyEvent,
    Rectification,
    RectificationEvent,
)
from fazhi.ledgers.oversight.tests.world import d, duty, item, travel

pytestmark = pytest.mark.usefixtures("historical_entry")

POST = {
    "on": "2026-11-20",
    "note": "越权",
    "reason": "越权",
    "evidence": "越权",
    "deadline": "2027-01-31",
    "held_on": "2026-11-20",
    "leader": "越权",
    "post": "越权",
    "kind": "meeting",
    "subject": "越权",
    "source": "inspection",
    "fed_back_on": "2026-11-20",
    "problem": "越权",
    "measures": "越权",
    "department": "越权",
    "owner": "越权",
}


@pytest.fixture
def world(cast: Any) -> Iterator[dict[str, Any]]:
    with travel():
        yield {
            DUTIES.slug: duty(cast.street_a, cast.a_clerk, subject="东湖党工委会议研究法治工作"),
            RECTIFICATIONS.slug: item(cast.street_a, cast.a_clerk, problem="东湖执法公示不及时"),
        }


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def counts() -> dict[str, int]:
    return {
        "duties": LeaderDuty.with_voided.count(),
        "duty_events": LeaderDutyEvent.objects.count(),
        "confirmed": LeaderDuty.objects.filter(status="confirmed").count(),
        "items": Rectification.with_voided.count(),
        "item_events": RectificationEvent.objects.count(),
        "closed": Rectification.objects.exclude(done_on=None).count(),
        "audit": AuditEvent.objects.count(),
    }


def a_urls(records: dict[str, Any]) -> list[str]:
    urls: list[str] = []
    for ledger in LEDGERS:
        pk = records[ledger.slug].pk
        urls += [
            reverse(f"web:{n}", args=[ledger.slug, pk])
            for n in ("detail", "correct", "void", "undo")
        ]
        urls += [reverse("web:move", args=[ledger.slug, pk, m.code]) for m in ledger.moves]
    urls.append(reverse("oversight:stats") + "?unit=A1")
    return urls


def test_every_own_url_and_move_is_in_the_sweep() -> None:
    names = {p.name for p in own_urls.urlpatterns if isinstance(p, URLPattern)}
    assert names == {"stats"}, "a new oversight URL needs its entry in a_urls()"
    from fazhi.core.web.registry import get_ledger

    for ledger in LEDGERS:
        ui = get_ledger(ledger.slug)
        assert ui is not None
        assert set(ui.move_forms) == {m.code for m in ledger.moves}, ledger.slug


def test_the_neighbour_gets_404_on_everything_of_a_and_changes_nothing(
    cast: Any, world: dict[str, Any]
) -> None:
    client = client_for(cast.b_clerk)
    before = counts()
    with travel():
        for url in a_urls(world):
            assert client.get(url).status_code == 404, url
            assert client.post(url, POST).status_code == 404, url
    assert counts() == before
    for ledger in LEDGERS:
        listing = client.get(reverse("web:list", args=[ledger.slug])).content.decode()
        assert "东湖" not in listing, ledger.slug
        exported = client.get(reverse("web:export", args=[ledger.slug]))
        assert exported.status_code == 200 and "东湖".encode() not in exported.content
    home = client.get(reverse("web:home")).content.decode()
    assert "东湖执法公示不及时" not in home
    stats = client.get(reverse("oversight:stats"), {"unit": "B1"}).content.decode()
    assert "西城街道" in stats and "东湖" not in stats


def test_the_supervisor_reads_without_moves_and_the_leader_acts(
    cast: Any, world: dict[str, Any]
) -> None:
    detail = reverse("web:detail", args=[DUTIES.slug, world[DUTIES.slug].pk])
    page = client_for(cast.supervisor).get(detail).content.decode()
    assert "LZ-2026-0001" in page and 'class="moves"' not in page
    got = client_for(cast.supervisor).get(reverse("oversight:stats"), {"unit": "A1"})
    assert got.status_code == 200 and "督察整改完成率" in got.content.decode()
    with travel():
        ok = client_for(cast.a_leader).post(
            reverse("web:move", args=[DUTIES.slug, world[DUTIES.slug].pk, "confirm"]),
            {"on": "2026-11-20"},
        )
    assert ok.status_code == 302
    assert LeaderDuty.objects.get(pk=world[DUTIES.slug].pk).status == "confirmed"


ITEM_FORM = {
    "unit": "A1",
    "source": "audit",
    "source_doc": "区审计报〔2026〕5号",
    "fed_back_on": "2026-09-10",
    "problem": "政府信息公开申请答复超期",
    "measures": "建立答复期限提醒机制",
    "department": "党政办公室",
    "owner": "黄磊",
    "deadline": "2026-12-31",
}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"deadline": "2026-09-01"}, "deadline", "整改时限不能早于反馈日期（2026-09-10）"),
        ({"deadline": "2026-02-30"}, "deadline", "请输入有效日期"),
        ({"fed_back_on": "2026-12-24", "deadline": "2026-12-31"}, "fed_back_on", "不能晚于今天"),
        ({"source": "gossip"}, "source", "选择一个有效的选项"),
        ({"owner": ""}, "owner", ""),
    ],
)
def test_bad_items_answer_on_their_field_and_write_nothing(
    cast: Any, world: dict[str, Any], change: dict[str, str], field: str, message: str
) -> None:
    client = client_for(cast.a_clerk)
    before = counts()
    with travel():
        got = client.post(reverse("web:new", args=[RECTIFICATIONS.slug]), {**ITEM_FORM, **change})
    assert got.status_code == 200
    errors = got.context["form"].errors
    assert field in errors and message in errors[field][0], errors
    assert counts() == before


def test_bad_moves_answer_on_their_field_and_write_nothing(
    cast: Any, world: dict[str, Any]
) -> None:
    pk = world[RECTIFICATIONS.slug].pk
    before = counts()
    with travel():
        leader = client_for(cast.a_leader)
        late = leader.post(
            reverse("web:move", args=[RECTIFICATIONS.slug, pk, "extend"]),
            {"on": "2026-06-25", "deadline": "2026-06-01", "reason": "需协调"},
        )
        assert late.context["form"].errors == {
            "deadline": ["延长后的整改时限应晚于现整改时限（2026-06-30）"]
        }
        bare = leader.post(
            reverse("web:move", args=[RECTIFICATIONS.slug, pk, "extend"]),
            {"on": "2026-06-25", "deadline": "2026-09-30"},
        )
        assert bare.context["form"].errors == {"reason": ["请填写延期理由"]}
        empty = client_for(cast.a_clerk).post(
            reverse("web:move", args=[RECTIFICATIONS.slug, pk, "complete"]),
            {"on": "2026-06-20", "evidence": "  "},
        )
        assert empty.context["form"].errors == {"evidence": ["请填写整改成效及佐证材料"]}
        court = client_for(cast.a_clerk).post(
            reverse("web:new", args=[DUTIES.slug]),
            {"unit": "A1", "held_on": "2026-05-22", "leader": "李志强", "post": "办事处主任",
             "kind": "court", "subject": "出庭应诉"},
        )  # fmt: skip
        assert court.context["form"].errors == {
            "case_number": ["出庭应诉请填写案号，如（2026）沪0105行初123号"]
        }
    assert counts() == before


def test_the_figures_link_to_exactly_their_records(cast: Any, world: dict[str, Any]) -> None:
    with travel():
        other = item(cast.street_a, cast.a_clerk, source="audit", deadline=d(9, 30),
                     department="党政办公室", problem="答复超期")  # fmt: skip
        actions.complete(other, by=cast.a_clerk, on=d(9, 20), evidence="建立提醒机制")
    client = client_for(cast.a_clerk)
    html = client.get(reverse("oversight:stats"), {"unit": "A1", "year": "2026"}).content.decode()
    row = re.search(r'<tr data-code="oversight.rectify_done_rate">.*?</tr>', html, re.S)
    assert row is not None and "50.0%" in row.group(0)
    sources = re.search(r'<table class="grid" id="sources">.*?</table>', html, re.S)
    assert sources is not None
    cells = re.sub(r"<[^>]+>", " ", sources.group(0)).split()
    assert cells[cells.index("审计") : cells.index("审计") + 4] == ["审计", "1", "100.0%", "100.0%"]
    # 督察's one item is not done: its done rate is 0.0%, its on-time rate (of the done) has
    # nothing to count and reads 「—」, not 0.0%.
    assert cells[cells.index("督察") : cells.index("督察") + 4] == ["督察", "1", "0.0%", "—"]
    link = re.search(r'href="(/l/oversight_rectify/\?[^"]*source=audit[^"]*)"', html)
    assert link is not None
    listing = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert other.number in listing and world[RECTIFICATIONS.slug].number not in listing


def test_every_page_of_both_ledgers_opens_for_who_acts_on_it(
    cast: Any, world: dict[str, Any]
) -> None:
    from fazhi.core.tenancy.roles import Permission

    clerk, leader = client_for(cast.a_clerk), client_for(cast.a_leader)
    with travel():
        for ledger in LEDGERS:
            pk = world[ledger.slug].pk
            urls = [reverse(f"web:{n}", args=[ledger.slug]) for n in ("list", "new", "import")]
            urls += [reverse(f"web:{n}", args=[ledger.slug, pk]) for n in ("detail", "correct")]
            for url in urls:
                assert clerk.get(url).status_code == 200, url
            for m in ledger.moves:
                client = leader if m.permission == Permission.APPROVE else clerk
                url = reverse("web:move", args=[ledger.slug, pk, m.code])
                got = client.get(url)
                assert got.status_code == 200 and m.label in got.content.decode(), url
        detail = reverse("web:detail", args=[RECTIFICATIONS.slug, world[RECTIFICATIONS.slug].pk])
        html = leader.get(detail).content.decode()
        assert "延长整改时限" in html and "区法督〔2026〕3号" in html
        form = clerk.get(reverse("web:new", args=[DUTIES.slug])).content.decode()
        assert "学法与考试" in form and "督察整改事项</option>" not in form


def test_an_extension_through_the_page_shows_on_the_timeline_with_its_reason(
    cast: Any, world: dict[str, Any]
) -> None:
    pk = world[RECTIFICATIONS.slug].pk
    leader = client_for(cast.a_leader)
    with travel():
        got = leader.post(
            reverse("web:move", args=[RECTIFICATIONS.slug, pk, "extend"]),
            {"on": "2026-06-25", "deadline": "2026-09-30", "reason": "需区级部门配合",
             "backdate_reason": "补录延期审批"},
        )  # fmt: skip
        assert got.status_code == 302, got.context["form"].errors if got.context else got
        html = leader.get(reverse("web:detail", args=[RECTIFICATIONS.slug, pk])).content.decode()
    timeline = re.search(r'<ol class="timeline">.*?</ol>', html, re.S)
    assert timeline is not None
    assert "整改时限由 2026-06-30 延长至 2026-09-30" in timeline.group(0)
    assert "需区级部门配合" in timeline.group(0)
    assert Rectification.objects.get(pk=pk).due_on.isoformat() == "2026-09-30"
    # No stray space between the event's name and its detail.
    assert "<strong>延长整改时限</strong>：整改时限由" in timeline.group(0)
    assert "延长整改时限 ：" not in html


def test_todo_shows_the_number_in_the_number_column_not_the_problem(
    cast: Any, world: dict[str, Any]
) -> None:
    rec = world[RECTIFICATIONS.slug]
    with travel():
        html = client_for(cast.a_clerk).get(reverse("web:home")).content.decode()
    url = reverse("web:detail", args=[RECTIFICATIONS.slug, rec.pk])
    link = re.search(f'<a href="{re.escape(url)}">(.*?)</a>', html)
    assert link is not None, "the item is on 待办"
    assert link.group(1) == rec.number
    assert html.count(rec.problem[:30]) == 1


COURT_FORM = {
    "unit": "A1",
    "held_on": "2026-05-22",
    "leader": "李志强",
    "post": "办事处主任",
    "kind": "court",
    "subject": "出庭应诉",
    "case_number": "（2026）沪0105行初123号",
}


def test_a_case_number_registered_again_that_year_is_a_warning_not_a_refusal(cast: Any) -> None:
    from fazhi.core.records.corrections import void

    clerk = client_for(cast.a_clerk)
    with travel():
        duty(cast.street_b, cast.b_clerk, kind="court", case_number=COURT_FORM["case_number"],
             attendance=None, held_on=d(4, 1))  # fmt: skip
        duty(cast.street_a, cast.a_clerk, kind="court", case_number=COURT_FORM["case_number"],
             attendance=None, held_on=d(12, 1, 2025))  # fmt: skip
        first = clerk.post(reverse("web:new", args=[DUTIES.slug]), COURT_FORM, follow=True)
        # another unit's hearing and last year's do not count
        assert "已登记过案号" not in first.content.decode()
        (earlier,) = LeaderDuty.objects.filter(unit=cast.street_a, held_on=d(5, 22))
        second = clerk.post(
            reverse("web:new", args=[DUTIES.slug]), {**COURT_FORM, "held_on": "2026-06-10"},
            follow=True,
        )  # fmt: skip
        page = second.content.decode()
        assert second.status_code == 200 and "已登记：" in page
        assert (
            f"本单位2026年已登记过案号「（2026）沪0105行初123号」的出庭应诉1次（{earlier.number}）"
            in page
        )
        assert "同一案件多次开庭可分别登记" in page
        assert LeaderDuty.objects.filter(case_number=COURT_FORM["case_number"]).count() == 4
        void(DUTIES, earlier, by=cast.a_leader, reason="重复登记")
        third = clerk.post(
            reverse("web:new", args=[DUTIES.slug]), {**COURT_FORM, "held_on": "2026-07-01"},
            follow=True,
        )  # fmt: skip
        assert "的出庭应诉1次（" in third.content.decode()  # the voided one is not counted
