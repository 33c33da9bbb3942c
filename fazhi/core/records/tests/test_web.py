"""The generic web layer renders a ledger it has never heard of: the toy ledger's list, detail
(both clocks, explained), move forms, corrections, 待办 and figure links, from its declarations
alone (test_alone.py runs it with no real ledger installed). One client test per page, plus the
refusals."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from fazhi.core.imports.writing import write_csv
from fazhi.core.records.tests.helpers import (
    TODAY,
    at,
    counts,
    d,
    fresh,
    new_case,
    row,
    step,
)
from fazhi.core.records.tests.toy import actions
from fazhi.core.records.tests.toy.models import Case, CaseEvent, Status
from fazhi.core.records.tests.toy.ui import DECLARATION

S = Status
SLUG = "toy"


@dataclass
class World:
    overdue: Case  # handling due 11-16
    soon: Case  # handling due 11-30, within 3 working days
    pending: Case  # an extension waits for the leader
    closed: Case  # reviewed on time
    theirs: Case  # 街道 B's


@pytest.fixture
def world(cast: Any) -> Iterator[World]:
    with at(TODAY):
        overdue = new_case(cast, d(11, 2), subject="逾期事项", id_number="11010519491231002X")
        soon = new_case(cast, d(11, 16), subject="临期事项", category="org")
        pending = new_case(cast, d(11, 19), subject="待批事项")
        step(pending, "request_extension", cast.a_clerk, d(11, 23), note="需调档")
        closed = new_case(cast, d(11, 2), subject="办结事项")
        step(closed, "submit", cast.a_clerk, d(11, 5))
        step(closed, "review", cast.a_reviewer, d(11, 6))
        theirs = actions.register(
            unit=cast.street_b, by=cast.b_clerk, received_on=d(11, 2), subject="乙方事项"
        )
        yield World(overdue, fresh(soon), fresh(pending), fresh(closed), theirs)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client: Client, name: str, *args: Any, **query: str) -> str:
    response = client.get(reverse(f"web:{name}", args=[SLUG, *args]), query)
    assert response.status_code == 200, (name, args, response.status_code)
    return response.content.decode()


def rows(text: str) -> list[str]:
    body = re.search(r"<tbody>(.*?)</tbody>", text, re.S)
    return re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S) if body else []


def numbers(text: str) -> set[str]:
    return set(re.findall(r"TOY-2026-\d{3}", "".join(rows(text))))


def test_the_list_with_filters_and_badges(world: World, cast: Any) -> None:
    client = client_for(cast.a_clerk)
    listing = page(client, "list")
    assert numbers(listing) == {
        c.number for c in (world.overdue, world.soon, world.pending, world.closed)
    }
    for label in ("状态", "类型", "期限"):
        assert f"<label>{label}<select" in listing
    badges = {re.search(r"TOY-2026-\d{3}", r).group(0): r for r in rows(listing)}  # type: ignore[union-attr]
    assert '<span class="badge overdue">逾期</span>' in badges[world.overdue.number]
    assert '<span class="badge soon">临期</span>' in badges[world.soon.number]
    assert "badge" not in badges[world.pending.number] + badges[world.closed.number]
    assert numbers(page(client, "list", due="overdue")) == {world.overdue.number}
    assert numbers(page(client, "list", due="due_soon")) == {world.soon.number}
    assert numbers(page(client, "list", status="closed")) == {world.closed.number}
    assert numbers(page(client, "list", category="org")) == {world.soon.number}
    assert numbers(page(client, "list", q="待批")) == {world.pending.number}
    assert "乙方事项" not in listing


def test_the_detail_shows_both_clocks_explained(world: World, cast: Any) -> None:
    with at(TODAY):
        text = html.unescape(page(client_for(cast.a_clerk), "detail", world.soon.pk))
    assert "办理期限：2026年11月30日" in text
    assert "起算：收到之日 2026年11月16日（周一），当日不计入" in text
    assert "期限：10个工作日（《示例办法》第五条）" in text
    assert "补充材料期限：2026年11月23日" in text
    assert "期间届满日 2026年11月21日（周六） 不是工作日，顺延至其后第一个工作日" in text
    assert "期限届满后不再接受补充材料" in text
    assert '<span class="badge info">已届满</span>' in text  # the window, not overdue
    assert '<span class="badge soon">临期</span>' in text  # the duty, in the title too
    # Only the handler's own unit sees the full ID number; a supervisor sees it masked.
    overdue = html.unescape(page(client_for(cast.a_clerk), "detail", world.overdue.pk))
    assert "11010519491231002X" in overdue
    masked = html.unescape(page(client_for(cast.supervisor), "detail", world.overdue.pk))
    assert "11010519491231002X" not in masked and "110***********002X" in masked


def test_the_detail_offers_the_moves_the_user_may_make(world: World, cast: Any) -> None:
    def moves(user: Any, case: Case) -> list[str]:
        with at(TODAY):
            text = page(client_for(user), "detail", case.pk)
        block = re.search(r'<div class="moves">(.*?)</div>', text, re.S)
        return re.findall(r">([^<]+)</a>", block.group(1)) if block else []

    assert moves(cast.a_clerk, world.overdue) == [
        "发出征询",
        "中止办理",
        "登记补充材料",  # a dated guard: checked with the date given, not hidden beforehand
        "提交审核",
        "提请延期",
        "移交上级单位",  # 街道 A has an upper unit (test_handoffs.py)
    ]
    assert moves(cast.a_leader, world.pending) == [
        "分办",
        "发出征询",
        "中止办理",
        "登记补充材料",
        "提交审核",
        "批准延期",
        "不予批准延期",
        "移交上级单位",
    ]
    assert moves(cast.supervisor, world.overdue) == []
    with at(TODAY):
        text = page(client_for(cast.a_leader), "detail", world.pending.pk)
    assert "待审批延期：已提出申请，等待决定" in text


def test_a_move_form_with_the_backdating_field(world: World, cast: Any, settings: Any) -> None:
    settings.FAZHI_BACKDATE_DAYS = 7
    client = client_for(cast.a_clerk)
    url = reverse("web:move", args=[SLUG, world.overdue.pk, "ask"])
    with at(TODAY):
        form = client.get(url).content.decode()
        assert "征询日期" in form and "补录原因" in form and 'name="backdate_reason"' in form
        written = counts()
        refused = client.post(url, {"on": "2026-11-10"})
        assert refused.status_code == 200
        assert refused.context["form"].errors == {
            "backdate_reason": ["征询日期（2026-11-10）早于今天15日，超过7日的补录须写明补录原因"]
        }
        assert counts() == written
        done = client.post(url, {"on": "2026-11-10", "backdate_reason": "补录纸质台账"})
        assert done.status_code == 302
        assert fresh(world.overdue).status == S.WAITING
        detail = page(client, "detail", world.overdue.pk)
    assert "补录原因：补录纸质台账" in detail and "（补录）" in detail
    assert "已完成「发出征询」" in detail


def test_a_refused_move_is_explained_on_the_form_or_the_detail_page(
    world: World, cast: Any
) -> None:
    client = client_for(cast.a_clerk)
    with at(TODAY):
        url = reverse("web:move", args=[SLUG, world.overdue.pk, "request_extension"])
        missing = client.post(url, {"on": "2026-11-25"})
        assert missing.status_code == 200 and "reason" in missing.context["form"].errors
        url = reverse("web:move", args=[SLUG, world.overdue.pk, "supplement"])
        late = client.post(url, {"on": "2026-11-25"})
        assert late.context["form"].non_field_errors() == [
            "补充材料应在2026-11-09前提交，已超过期限"
        ]
        blocked = client.get(
            reverse("web:move", args=[SLUG, world.pending.pk, "request_extension"]), follow=True
        )
        assert "已提请延期，等待批准" in blocked.content.decode()
        unknown = client.get(reverse("web:move", args=[SLUG, world.overdue.pk, "fly"]))
        assert unknown.status_code == 404


def test_correct_void_and_undo_pages(world: World, cast: Any) -> None:
    clerk, leader = client_for(cast.a_clerk), client_for(cast.a_leader)
    case = world.soon
    with at(TODAY):
        form = page(clerk, "correct", case.pk)
        assert 'value="临期事项"' in form and "原因" in form
        posted = clerk.post(
            reverse("web:correct", args=[SLUG, case.pk]),
            {
                "received_on": "2026-11-16",
                "subject": "临期事项（已改）",
                "category": "org",
                "id_number": "",
                "reason": "笔误",
            },
        )
        assert posted.status_code == 302
        assert fresh(case).subject == "临期事项（已改）"
        detail = html.unescape(page(clerk, "detail", case.pk))
        assert "事项：临期事项 → 临期事项（已改）；笔误" in detail
        # Undo: the button names the move, the page asks for a reason.
        step(case, "ask", cast.a_clerk, d(11, 24))
        assert "撤销上一步（发出征询）" in page(clerk, "detail", case.pk)
        undo = reverse("web:undo", args=[SLUG, case.pk])
        assert "确认撤销" in page(clerk, "undo", case.pk)
        assert clerk.post(undo, {"reason": ""}).status_code == 200
        assert clerk.post(undo, {"reason": "误点"}).status_code == 302
        assert fresh(case).status == S.RECEIVED
        assert "已撤销" in page(clerk, "detail", case.pk)
        # Void: for the leader only; the record leaves the list and stays readable.
        void = reverse("web:void", args=[SLUG, case.pk])
        refused = clerk.get(void, follow=True)
        assert "您没有作废记录的权限" in refused.content.decode()
        assert "作废后本记录将不再出现在台账" in page(leader, "void", case.pk)
        done = leader.post(void, {"reason": "重复登记"})
        assert done.status_code == 302 and done["Location"] == reverse("web:list", args=[SLUG])
        assert case.number not in "".join(rows(page(clerk, "list")))
        detail = page(clerk, "detail", case.pk)
        assert "作废：重复登记" in detail and "更正登记信息</a>" not in detail
        # A page of the voided record (a stale tab) says so on the record, not a 404.
        for name in ("correct", "void", "undo"):
            stale = clerk.get(reverse(f"web:{name}", args=[SLUG, case.pk]), follow=True)
            assert stale.redirect_chain == [(reverse("web:detail", args=[SLUG, case.pk]), 302)]
            assert "该记录已作废" in stale.content.decode()


def test_todo_has_a_section_per_ledger(world: World, cast: Any) -> None:
    with at(TODAY):
        text = client_for(cast.a_clerk).get(reverse("web:home")).content.decode()
    section = text[text.index("<h2>示例案件</h2>") :]
    section = section[: section.find("</section>")]
    assert '<span class="badge overdue">逾期</span> 1 件' in section
    assert '<span class="badge soon">临期</span> 1 件' in section
    assert '<span class="badge info">待审批延期</span> 1 件' in section
    assert world.overdue.number in section and world.pending.number in section
    assert "办理期限 2026-11-16" in section
    assert world.closed.number not in section
    supervisor = client_for(cast.supervisor).get(reverse("web:home")).content.decode()
    assert "各单位概况" in supervisor and "西城街道" in supervisor


def test_a_figure_links_to_exactly_its_records(world: World, cast: Any) -> None:
    client = client_for(cast.a_clerk)
    listed = page(client, "list", figure="toy.closed:2026")
    assert numbers(listed) == {world.closed.number}
    assert "统计数字：2026年 本年办结示例案件" in listed
    on_time = page(client, "list", figure="toy.on_time_rate:2026:num")
    assert numbers(on_time) == {world.closed.number}
    assert numbers(page(client, "list", figure="toy.closed:2025")) == set()
    assert numbers(page(client, "list", figure="xxgk.nothing:2026")) == set()


def test_register_import_and_export_pages(world: World, cast: Any) -> None:
    client = client_for(cast.a_clerk)
    with at(TODAY):
        form = page(client, "new")
        assert "受理单位" in form and "补录原因" in form
        posted = client.post(
            reverse("web:new", args=[SLUG]),
            {
                "unit": "A1",
                "received_on": "2026-11-25",
                "subject": "网上登记",
                "category": "person",
            },
        )
        assert posted.status_code == 302
        case = Case.objects.get(subject="网上登记")
        assert case.number == "TOY-2026-005" and posted["Location"] == reverse(
            "web:detail", args=[SLUG, case.pk]
        )
        headers = [c.header for c in DECLARATION.spec.columns]
        data = write_csv(headers, [[row("IMP-9").get(h, "") for h in headers]])
        upload = io.BytesIO(data)
        upload.name = "案件.csv"
        imported = client.post(reverse("web:import", args=[SLUG]), {"unit": "A1", "file": upload})
        assert "已导入新案件 1 件" in imported.content.decode()
        assert CaseEvent.objects.filter(record__number="IMP-9").count() == 1
        template = client.get(reverse("web:template", args=[SLUG]))
        assert template.status_code == 200 and template.content[:2] == b"PK"
        exported = client.get(reverse("web:export", args=[SLUG]), {"status": "closed"})
    values = cells(exported.content)
    assert values[0][:3] == ["案件编号", "收到日期", "事项"]
    assert [v[0] for v in values[1:]] == [world.closed.number]
    text = str(cells(client.get(reverse("web:export", args=[SLUG])).content))
    assert "11010519491231002X" not in text and "110***" in text  # masked in exports


def cells(xlsx: bytes) -> list[list[Any]]:
    sheet: Any = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    return [[c.value for c in r] for r in sheet.iter_rows()]


def test_an_outsider_gets_404_on_every_record_page(world: World, cast: Any) -> None:
    client = client_for(cast.b_clerk)
    case = world.overdue
    urls = [
        reverse("web:detail", args=[SLUG, case.pk]),
        *(reverse("web:move", args=[SLUG, case.pk, m]) for m in ("ask", "review", "extend")),
        *(reverse(f"web:{n}", args=[SLUG, case.pk]) for n in ("correct", "void", "undo")),
    ]
    written = counts()
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"on": "2026-11-25", "reason": "越权"}).status_code == 404, url
    assert counts() == written
    listing = "".join(rows(page(client, "list")))
    assert "逾期事项" not in listing and "乙方事项" in listing
