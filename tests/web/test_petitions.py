"""The 信访 ledger through the web: registering (masked in lists, full on the detail page to
the unit's staff only), every move form, bad input (a Chinese form error, nothing written, never
a 500), the 来访登记 child rows, 待办 and the supervisor's comparison, the figures' records,
corrections and the head's undo of a 意见书."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fazhi.core.audit.models import AuditEvent
from fazhi.ledgers.petitions import actions
from fazhi.ledgers.petitions.models import Petition, PetitionEvent, Status, Visit

SLUG = "petitions"
TZ = ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2026, 11, 25)  # a Wednesday; November 2026 has no holidays
D = dt.date


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    at = dt.datetime.combine(TODAY, dt.time(10, 0), tzinfo=TZ)
    with time_machine.travel(at, tick=False):
        yield


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def clerk(cast: Any) -> Client:
    return client_for(cast.a_clerk)


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def counts() -> dict[str, int]:
    return {
        "petitions": Petition.with_voided.count(),
        "events": PetitionEvent.objects.count(),
        "visits": Visit.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def section(page: str, heading: str) -> str:
    """The 待办 page's card for one ledger."""
    for card in page.split('<section class="card">')[1:]:
        if f"<h2>{heading}</h2>" in card:
            return card.split("</section>")[0]
    raise AssertionError(f"no section {heading}")


def new(cast: Any, received: dt.date, unit: Any = None, by: Any = None, **kw: Any) -> Petition:
    fields = {
        "form": "letter",
        "source": "direct",
        "category": "appeal",
        "content": "反映小区停车位规划问题",
        "petitioner": "王某",
        "address": "东湖街道幸福路1号",
        "contact": "13900000001",
    } | kw
    return actions.register(
        unit=unit or cast.street_a, by=by or cast.a_clerk, received_on=received, **fields
    )


REGISTER = {
    "unit": "A1",
    "received_on": "2026-11-20",
    "stage": "initial",
    "form": "letter",
    "source": "direct",
    "source_ref": "",
    "category": "appeal",
    "petitioner": "张三丰",
    "address": "东湖街道幸福路8号3单元",
    "contact": "13912345678",
    "visitors": "",
    "representatives": "",
    "content": "反映小区停车位被占用问题",
    "original": "",
    "number": "",
    "backdate_reason": "",
}


def url(name: str, p: Petition, *args: Any) -> str:
    return reverse(f"web:{name}", args=[SLUG, p.pk, *args])


# --- registering, masking ---------------------------------------------------------------


def test_register_then_list_masked_and_detail_full_to_the_clerk_only(
    cast: Any, clerk: Client
) -> None:
    form = text(clerk.get(reverse("web:new", args=[SLUG])))
    for label in ("收到日期", "事项类别", "信访形式", "信访类型", "来访人数", "代表人数"):
        assert label in form, label
    done = clerk.post(reverse("web:new", args=[SLUG]), REGISTER)
    assert done.status_code == 302, text(done)
    p = Petition.objects.get()
    assert done["Location"] == url("detail", p)
    assert (p.number, p.status, p.created_by) == ("XF-2026-0001", Status.REGISTERED, cast.a_clerk)
    assert p.notice_due_on == D(2026, 12, 7)  # 11/20 + 15 = Sat 12/5 → Mon 12/7

    detail = text(clerk.get(done["Location"]))
    assert "已登记：XF-2026-0001" in detail
    assert "张三丰" in detail and "13912345678" in detail and "幸福路8号3单元" in detail
    assert "书面告知期限：2026年12月7日" in detail
    assert "期限：15日（《信访工作条例》第二十三条）" in detail
    assert "顺延" in detail  # the 15th day is a Saturday

    listing = text(clerk.get(reverse("web:list", args=[SLUG])))
    assert "XF-2026-0001" in listing and "张**" in listing
    assert "张三丰" not in listing and "13912345678" not in listing

    supervisor = text(client_for(cast.supervisor).get(url("detail", p)))
    assert "XF-2026-0001" in supervisor
    assert "张**" in supervisor and "139****5678" in supervisor and "东湖街道幸福****" in supervisor
    assert "张三丰" not in supervisor and "13912345678" not in supervisor
    assert 'class="moves"' not in supervisor  # the supervisor sees, and only sees
    assert client_for(cast.b_clerk).get(url("detail", p)).status_code == 404


def test_an_anonymous_matter_lists_as_anonymous_and_owes_no_notice(
    cast: Any, clerk: Client
) -> None:
    anonymous = {**REGISTER, "petitioner": "", "address": "", "contact": "", "form": "online"}
    done = clerk.post(reverse("web:new", args=[SLUG]), anonymous)
    assert done.status_code == 302, text(done)
    p = Petition.objects.get()
    assert p.anonymous and p.notice_due_on is None and p.due_on is None
    listing = text(clerk.get(reverse("web:list", args=[SLUG])))
    assert "（匿名）" in listing
    detail = text(clerk.get(done["Location"]))
    assert "（匿名）" in detail and "当前没有在计的期限" in detail


def test_a_visit_registers_its_first_batch(cast: Any, clerk: Client) -> None:
    visit = {**REGISTER, "form": "visit", "visitors": "8", "representatives": "5"}
    done = clerk.post(reverse("web:new", args=[SLUG]), visit)
    assert done.status_code == 302, text(done)
    p = Petition.objects.get()
    assert list(p.visits.values_list("on", "visitors", "representatives", "note")) == [
        (D(2026, 11, 20), 8, 5, "首次来访")
    ]
    detail = text(clerk.get(done["Location"]))
    assert "来访登记" in detail and "首次来访" in detail


# --- every move -------------------------------------------------------------------------


def move(client: Client, p: Petition, code: str, data: dict[str, Any]) -> str:
    form = client.get(url("move", p, code))
    assert form.status_code == 200, (code, form.status_code)
    assert 'name="on"' in text(form), code
    done = client.post(url("move", p, code), data)
    assert done.status_code == 302, (code, text(done))
    return text(client.get(done["Location"]))


def test_accept_offers_only_the_units_staff_as_handler(cast: Any, clerk: Client) -> None:
    p = new(cast, D(2026, 11, 16))
    form = text(clerk.get(url("move", p, "accept")))
    options = set(re.findall(r'<option value="(\d+)"', form))
    staff = {cast.a_clerk, cast.a_reviewer, cast.a_leader}
    assert options == {str(u.pk) for u in staff}
    before = counts()
    for outsider in (cast.b_clerk, cast.supervisor, cast.admin):
        refused = clerk.post(url("move", p, "accept"), {"on": "2026-11-17", "handler": outsider.pk})
        assert refused.status_code == 200
        assert "选择一个有效的选项" in text(refused)
    assert counts() == before
    page = move(clerk, p, "accept", {"on": "2026-11-17", "handler": cast.a_reviewer.pk})
    p.refresh_from_db()
    assert (p.status, p.handler, p.routed_on) == (Status.HANDLING, cast.a_reviewer, D(2026, 11, 17))
    assert "承办人：a_reviewer" in page  # the timeline
    assert "办理期限：2027年1月18日" in page  # 11/17 + 60 = Sat 1/16 → Mon 1/18
    # Only the handler issues the 意见书: the clerk is refused before the form.
    refused = clerk.get(url("move", p, "opinion"), follow=True)
    assert "只有本件的承办人可以办理此环节" in text(refused)


def test_a_matter_walks_from_acceptance_to_the_final_recheck(cast: Any, clerk: Client) -> None:
    p = new(cast, D(2026, 11, 16))
    page = move(clerk, p, "accept", {"on": "2026-11-17", "handler": cast.a_clerk.pk})
    assert "已完成「受理」" in page and "办理中" in page

    page = move(
        clerk, p, "request_extension", {"on": "2026-11-18", "days": "20", "reason": "涉及多部门"}
    )
    assert "待批准延期：已提出申请，等待决定" in page
    assert "批准延期（负责人）" not in page  # not the clerk's move
    before = counts()
    refused = clerk.post(
        url("move", p, "extend"), {"on": "2026-11-19", "told_on": "2026-11-19", "reason": "x"}
    )
    assert refused.status_code == 302 and counts() == before

    leader = client_for(cast.a_leader)
    todo = section(text(leader.get(reverse("web:home"))), "信访事项")
    assert "待批准延期</span> 1 件" in todo and p.number in todo
    extend_form = text(leader.get(url("move", p, "extend")))
    assert "告知信访人日期" in extend_form and "延期只能一次、最长30日" in extend_form
    page = move(
        leader,
        p,
        "extend",
        {"on": "2026-11-19", "days": "", "told_on": "2026-11-20", "reason": "案情复杂"},
    )
    assert "经本机关负责人批准延长：再延长20日（《信访工作条例》第三十四条）" in page
    assert "延长20日，2026-11-20 告知信访人" in page
    p.refresh_from_db()
    assert p.handle_due_on == D(2027, 2, 5)  # 80日 from 11/17
    assert "待批准延期</span> 0 件" in section(text(leader.get(reverse("web:home"))), "信访事项")

    page = move(
        clerk,
        p,
        "opinion",
        {"on": "2026-11-20", "result": "support", "basis": "《物业管理条例》第三十五条"},
    )
    assert "已答复" in page and "支持；依据：《物业管理条例》第三十五条" in page
    assert "申请复查期限：2026年12月21日" in page  # 11/20 + 30 = Sun 12/20 → 12/21
    assert "按期办结" in page
    page = move(clerk, p, "feedback", {"on": "2026-11-21", "satisfaction": "dissatisfied"})
    assert "回访（满意度）" in page and "不满意" in page
    page = move(clerk, p, "review_requested", {"on": "2026-11-23", "to": "示例区人民政府"})
    assert "复查中" in page and "向 示例区人民政府 申请复查" in page
    page = move(clerk, p, "review_decided", {"on": "2026-11-24", "result": "upheld"})
    assert "已复查" in page and "申请复核期限：2026年12月24日" in page
    page = move(clerk, p, "recheck_requested", {"on": "2026-11-25", "to": "市人民政府"})
    assert "复核中" in page
    page = move(clerk, p, "recheck_decided", {"on": "2026-11-25", "result": "upheld"})
    p.refresh_from_db()
    assert (p.status, p.review_result, p.recheck_result, p.satisfaction) == (
        Status.FINAL,
        "upheld",
        "upheld",
        "dissatisfied",
    )
    assert "已复核（终结）" in page
    assert list(p.events.values_list("kind", flat=True)) == [
        "registered",
        "accepted",
        "extension_requested",
        "extended",
        "opinion",
        "feedback",
        "review_requested",
        "review_decided",
        "recheck_requested",
        "recheck_decided",
    ]


def test_transfer_assign_not_accept_and_agreement(cast: Any, clerk: Client) -> None:
    transferred = new(cast, D(2026, 11, 16))
    page = move(
        clerk, transferred, "transfer", {"on": "2026-11-17", "to": "社区居委会", "assign": "on"}
    )
    assert "已转送/交办" in page and "交办至：社区居委会" in page
    refused = new(cast, D(2026, 11, 16), petitioner="李某", contact="13900000002")
    page = move(clerk, refused, "not_accept", {"on": "2026-11-18", "procedure": "admin_review"})
    assert "不予受理" in page and "告知信访人通过：行政复议" in page
    mediated = new(cast, D(2026, 11, 16), petitioner="赵某", contact="13900000003")
    move(clerk, mediated, "accept", {"on": "2026-11-17"})
    page = move(clerk, mediated, "agreement", {"on": "2026-11-24", "result": "mediated"})
    assert "已答复" in page and "达成调解/和解协议" in page
    transferred.refresh_from_db()
    refused.refresh_from_db()
    mediated.refresh_from_db()
    assert (transferred.status, transferred.routed_on) == (Status.TRANSFERRED, D(2026, 11, 17))
    assert transferred.events.get(kind="transferred").data == {
        "to": "社区居委会",
        "assign": True,
        "_before": {"status": "registered", "routed_on": None},
    }
    assert refused.status == Status.NOT_ACCEPTED
    assert (mediated.status, mediated.result, mediated.handler) == (
        Status.REPLIED,
        "mediated",
        cast.a_clerk,  # left blank: the clerk who accepted it handles it
    )


def test_a_matter_from_above_is_objected_to_and_sent_back(cast: Any, clerk: Client) -> None:
    p = new(cast, D(2026, 11, 23), source="assigned", source_ref="区信交〔2026〕8号")
    detail = text(clerk.get(url("detail", p)))
    assert "异议期限：2026年11月30日" in detail and "5个工作日" in detail
    page = move(clerk, p, "object", {"on": "2026-11-24", "reason": "不属于本街道职权范围"})
    assert "已提出异议" in page
    page = move(clerk, p, "objection_agreed", {"on": "2026-11-25"})
    assert "已退回交办单位" in page


# --- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param({"received_on": "2026-02-30"}, "请输入有效日期", id="impossible-date"),
        pytest.param({"received_on": "2026-13-01"}, "请输入有效日期", id="month-13"),
        pytest.param({"received_on": "2026-12-01"}, "不能晚于今天", id="future"),
        pytest.param(
            {"form": "visit", "visitors": "12", "representatives": "6"},
            "推选的代表不超过5人（条例第二十条）",
            id="sixth-representative",
        ),
        pytest.param(
            {"form": "visit", "visitors": "2", "representatives": "3"},
            "代表人数不能多于来访人数",
            id="more-representatives-than-visitors",
        ),
        pytest.param({"category": "complaint"}, "选择一个有效的选项", id="unknown-type"),
        pytest.param({"form": "fax"}, "选择一个有效的选项", id="unknown-form"),
        pytest.param({"stage": "final"}, "选择一个有效的选项", id="unknown-stage"),
        pytest.param({"unit": "B1"}, "选择一个有效的选项", id="another-unit"),
        pytest.param({"content": "   "}, "这个字段是必填项", id="no-content"),
        pytest.param(
            {"stage": "review"}, "复查、复核事项请写明原办理单位", id="review-no-original"
        ),
        pytest.param({"visitors": "99999999999"}, "确保该值小于或等于100000", id="absurd-count"),
        # A NUL typed into a form is removed like every control character (FazhiForm;
        # tests/test_input_cleaning.py), not refused with Django's misleading message.
    ],
)
def test_bad_registrations_are_refused_in_chinese(
    cast: Any, clerk: Client, changes: dict[str, str], message: str
) -> None:
    before = counts()
    response = clerk.post(reverse("web:new", args=[SLUG]), {**REGISTER, **changes})
    assert response.status_code == 200
    assert message in text(response)
    assert "errorlist" in text(response)
    assert counts() == before


def test_bad_steps_are_refused_in_chinese(cast: Any, clerk: Client) -> None:
    p = actions.accept(new(cast, D(2026, 11, 16)), by=cast.a_clerk, on=D(2026, 11, 17))
    leader = client_for(cast.a_leader)
    before = counts()
    cases: list[tuple[Client, str, dict[str, Any], str]] = [
        (
            clerk,
            "opinion",
            {"on": "2026-02-30", "result": "support", "basis": "x"},
            "请输入有效日期",
        ),
        (
            clerk,
            "opinion",
            {"on": "99999-01-01", "result": "support", "basis": "x"},
            "请输入有效日期",
        ),
        (
            clerk,
            "opinion",
            {"on": "2026-11-10", "result": "support", "basis": "x"},
            "意见书日期不能早于收到信访事项的日期（2026-11-16）",
        ),
        (
            clerk,
            "opinion",
            {"on": "2026-11-16", "result": "support", "basis": "x"},
            "意见书日期不能早于上一办理环节的日期（2026-11-17）",
        ),
        (
            clerk,
            "opinion",
            {"on": "2026-12-01", "result": "support", "basis": "x"},
            "意见书日期不能晚于今天（2026-11-25）",
        ),
        (
            clerk,
            "opinion",
            {"on": "2026-11-20", "result": "mediated", "basis": "x"},
            "选择一个有效的选项",
        ),
        (
            clerk,
            "opinion",
            {"on": "2026-11-20", "result": "made_up", "basis": "x"},
            "选择一个有效的选项",
        ),
        (
            clerk,
            "opinion",
            {"on": "2026-11-20", "result": "support", "basis": " "},
            "这个字段是必填项",
        ),
        (
            clerk,
            "request_extension",
            {"on": "2026-11-20", "days": "31", "reason": "x"},
            "确保该值小于或等于30",
        ),
        (clerk, "request_extension", {"on": "2026-11-20", "days": "10"}, "这个字段是必填项"),
    ]
    for client, code, data, message in cases:
        response = client.post(url("move", p, code), data)
        assert response.status_code == 200, (code, data, response.status_code)
        assert message in text(response), (code, data)
    not_yet = clerk.post(url("move", p, "feedback"), {"on": "2026-11-20", "satisfaction": "满意"})
    assert not_yet.status_code == 302
    shown = text(clerk.get(not_yet["Location"]))
    assert "当前状态「办理中」下不能执行「回访（满意度）」" in shown
    assert counts() == before
    actions.request_extension(p, by=cast.a_clerk, on=D(2026, 11, 20), days=10, reason="复杂")
    before = counts()
    for data, message in [
        (
            {"on": "2026-11-21", "told_on": "2026-11-20", "reason": "同意"},
            "告知信访人的日期应在批准之日至今天之间",
        ),
        (
            {"on": "2026-11-21", "told_on": "2026-11-30", "reason": "同意"},
            "告知信访人的日期应在批准之日至今天之间",
        ),
        ({"on": "2026-11-21", "told_on": "2026-11-31", "reason": "同意"}, "请输入有效日期"),
        ({"on": "2026-11-21", "told_on": "2026-11-21", "reason": ""}, "这个字段是必填项"),
    ]:
        response = leader.post(url("move", p, "extend"), data)
        assert response.status_code == 200, data
        assert message in text(response), data
    assert counts() == before


def test_moves_of_another_unit_answer_404(cast: Any) -> None:
    p = new(cast, D(2026, 11, 16))
    outsider = client_for(cast.b_clerk)
    before = counts()
    for target in (
        url("detail", p),
        url("move", p, "accept"),
        url("correct", p),
        url("undo", p),
        url("void", p),
        url("child_add", p, "visits"),
    ):
        assert outsider.get(target).status_code == 404, target
        assert outsider.post(target, {"on": "2026-11-17", "reason": "x"}).status_code == 404
    assert counts() == before


# --- 来访登记 -----------------------------------------------------------------------------


def test_visits_are_added_from_the_detail_page_and_removed_with_a_reason(
    cast: Any, clerk: Client
) -> None:
    p = new(cast, D(2026, 11, 16), form="visit", visitors=8, representatives=5)
    detail = text(clerk.get(url("detail", p)))
    assert "添加来访登记" in detail and 'name="visits-visitors"' in detail
    add = url("child_add", p, "visits")
    before = counts()
    for data, message in [
        (
            {"visits-on": "2026-11-20", "visits-visitors": "12", "visits-representatives": "6"},
            "不超过5人",
        ),
        (
            {"visits-on": "2026-11-20", "visits-visitors": "2", "visits-representatives": "3"},
            "不能多于来访人数",
        ),
        (
            {"visits-on": "2026-11-10", "visits-visitors": "2", "visits-representatives": "1"},
            "来访登记日期不能早于收到信访事项的日期（2026-11-16）",
        ),
        (
            {"visits-on": "2026-02-30", "visits-visitors": "2", "visits-representatives": "1"},
            "请输入有效日期",
        ),
        (
            {"visits-on": "2026-11-20", "visits-visitors": "0", "visits-representatives": "1"},
            "确保该值大于或等于1",
        ),
    ]:
        response = clerk.post(add, data)
        assert response.status_code == 200, data
        assert message in text(response), data
    assert counts() == before
    done = clerk.post(
        add,
        {
            "visits-on": "2026-11-24",
            "visits-visitors": "3",
            "visits-representatives": "1",
            "visits-note": "再次来访",
        },
    )
    assert done.status_code == 302
    page = text(clerk.get(done["Location"]))
    assert "已添加来访登记" in page and "再次来访" in page
    assert "来访登记：2026-11-24 3人（代表1人）" in page  # the timeline
    second = p.visits.get(note="再次来访")

    remove = url("child_remove", p, "visits", second.pk)
    assert "确认删除这条来访登记" in text(clerk.get(remove))
    missing = clerk.post(remove, {"reason": ""})
    assert missing.status_code == 200 and "这个字段是必填项" in text(missing)
    done = clerk.post(remove, {"reason": "重复录入"})
    assert done.status_code == 302
    second.refresh_from_db()
    assert second.removed_at is not None
    page = text(clerk.get(done["Location"]))
    assert "删除来访登记" in page or "删除</strong>" in page
    assert "重复录入" in page
    assert "再次来访</td>" not in page  # gone from the table, kept in the timeline
    assert clerk.post(remove, {"reason": "again"}).status_code == 404
    supervisor = text(client_for(cast.supervisor).get(url("detail", p)))
    assert "添加来访登记" not in supervisor and "删除</a>" not in supervisor


# --- 待办, comparison and figures -----------------------------------------------------


def _a_year(cast: Any) -> dict[str, Petition]:
    a, b = cast.street_a, cast.street_b
    made: dict[str, Petition] = {}
    made["overdue"] = new(cast, D(2026, 10, 1), petitioner="甲", contact="1")  # notice due 10/16
    made["soon"] = new(cast, D(2026, 11, 10), petitioner="乙", contact="2")  # due 11/25: today
    pending = actions.accept(
        new(cast, D(2026, 10, 8), petitioner="丙", contact="3"), by=cast.a_clerk, on=D(2026, 10, 10)
    )  # due 12/9: neither overdue nor soon
    made["pending"] = actions.request_extension(
        pending, by=cast.a_clerk, on=D(2026, 10, 20), days=20, reason="复杂"
    )
    on_time = actions.accept(
        new(cast, D(2026, 3, 2), petitioner="丁", contact="4"), by=cast.a_clerk, on=D(2026, 3, 5)
    )
    on_time = actions.opinion(
        on_time, by=cast.a_clerk, on=D(2026, 4, 1), result="support", basis="x"
    )
    made["on_time"] = actions.feedback(
        on_time, by=cast.a_clerk, on=D(2026, 4, 2), satisfaction="satisfied"
    )
    late = actions.accept(
        new(cast, D(2026, 3, 2), petitioner="戊", contact="5"), by=cast.a_clerk, on=D(2026, 3, 30)
    )
    made["late"] = actions.opinion(
        late, by=cast.a_clerk, on=D(2026, 6, 10), result="reject", basis="x"
    )
    made["b"] = actions.accept(
        new(cast, D(2026, 11, 2), unit=b, by=cast.b_clerk, petitioner="己", contact="6"),
        by=cast.b_clerk,
        on=D(2026, 11, 3),
    )
    assert a != b
    return made


def test_the_clerks_todo_has_the_petitions_overdue_soon_and_pending(
    cast: Any, clerk: Client
) -> None:
    made = _a_year(cast)
    todo = section(text(clerk.get(reverse("web:home"))), "信访事项")
    overdue, rest = todo.split("临期</span>", 1)
    soon, pending = rest.split("待批准延期</span>", 1)
    assert "逾期</span> 1 件" in overdue and made["overdue"].number in overdue
    assert "书面告知期限 2026-10-16" in overdue
    assert " 1 件" in soon and made["soon"].number in soon and "书面告知期限 2026-11-25" in soon
    assert " 1 件" in pending and made["pending"].number in pending
    assert url("detail", made["b"]) not in todo  # 街道 B's (numbered per unit: XF-2026-0001 too)
    assert "各单位概况" not in todo  # one unit: no comparison


def test_the_supervisor_compares_units_on_the_three_rates(cast: Any) -> None:
    _a_year(cast)
    todo = section(text(client_for(cast.supervisor).get(reverse("web:home"))), "信访事项")
    assert "各单位概况" in todo
    for label in ("本年及时受理率", "本年按期办结率", "本年满意率"):
        assert f"<th>{label}</th>" in todo, label
    rows = {
        m[0]: m[1:]
        for m in re.findall(
            r"<tr><td><a [^>]*>([^<]+)</a></td><td>(\d+)</td>.*?</td>\s*"
            r"<td>(\d+)</td><td>(\d+)</td><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td></tr>",
            todo,
            re.S,
        )
    }
    # 东湖街道: 3 open (1 临期), 2 closed; routed 3 (two within 15日) and one still unrouted
    # past its 15日 (it counts against the rate), replied 2 (one within 60日), one of one
    # satisfied. Columns: open, 临期, 本年办结, then the three rates.
    assert rows["东湖街道"] == ("3", "1", "2", "50.0%", "50.0%", "100.0%")
    assert rows["西城街道"] == ("1", "0", "0", "100.0%", "—", "—")


@pytest.mark.parametrize(
    ("figure", "shown", "expected"),
    [
        ("xf.on_time_rate:2026", "2026年 按期办结率", {"on_time", "late"}),
        ("xf.on_time_rate:2026:num", "2026年 按期办结率（分子）", {"on_time"}),
        (
            "xf.accepted_in_time_rate:2026",
            "2026年 及时受理率",
            {"pending", "on_time", "late", "overdue"},
        ),
        ("xf.accepted_in_time_rate:2026:num", "2026年 及时受理率（分子）", {"pending", "on_time"}),
        ("xf.satisfaction_rate:2026:num", "2026年 满意率（分子）", {"on_time"}),
        ("xf.on_time_rate:2025", "2025年 按期办结率", set()),
        ("xf.nope:2026", "xf.nope:2026", set()),
        ("xxgk.on_time_rate:2026", "2026年", set()),  # another ledger's figure: nothing here
    ],
)
def test_a_figure_lists_exactly_its_records(
    cast: Any, clerk: Client, figure: str, shown: str, expected: set[str]
) -> None:
    made = _a_year(cast)
    page = text(clerk.get(reverse("web:list", args=[SLUG]), {"unit": "A1", "figure": figure}))
    assert f"共 {len(expected)} 条" in page
    assert shown in page
    for name, p in made.items():
        assert (f'href="{url("detail", p)}"' in page) is (name in expected), (figure, name)


# --- corrections and undo ----------------------------------------------------------------


def test_a_typo_is_corrected_with_a_reason_and_personal_data_stays_out_of_the_timeline(
    cast: Any, clerk: Client
) -> None:
    p = new(cast, D(2026, 11, 16), petitioner="张三峰", content="反映小区停车为规划问题")
    form = text(clerk.get(url("correct", p)))
    assert "更正登记信息" in form and "张三峰" in form
    data = {
        "received_on": "2026-11-16",
        "form": "letter",
        "category": "appeal",
        "source_ref": "",
        "petitioner": "张三丰",
        "address": "东湖街道幸福路1号",
        "contact": "13900000001",
        "content": "反映小区停车位规划问题",
        "original": "",
    }
    missing = clerk.post(url("correct", p), data)
    assert missing.status_code == 200 and "这个字段是必填项" in text(missing)
    done = clerk.post(url("correct", p), {**data, "reason": "录入时笔误"})
    assert done.status_code == 302, text(done)
    p.refresh_from_db()
    assert (p.petitioner, p.content) == ("张三丰", "反映小区停车位规划问题")
    page = text(clerk.get(done["Location"]))
    assert "已更正登记信息" in page
    assert "诉求内容：反映小区停车为规划问题 → 反映小区停车位规划问题" in page
    assert "信访人：（已更正） → （已更正）" in page
    assert "录入时笔误" in page
    assert "张三峰" not in page  # the old name is in no timeline
    supervisor = client_for(cast.supervisor)
    refused = supervisor.get(url("correct", p), follow=True)
    assert "您没有更正登记信息的权限" in text(refused)
    before = counts()
    bad = clerk.post(url("correct", p), {**data, "category": "complaint", "reason": "x"})
    assert bad.status_code == 200 and "选择一个有效的选项" in text(bad)
    assert counts() == before


def test_the_head_undoes_an_opinion_the_clerk_cannot(cast: Any, clerk: Client) -> None:
    p = actions.accept(new(cast, D(2026, 11, 16)), by=cast.a_clerk, on=D(2026, 11, 17))
    p = actions.opinion(p, by=cast.a_clerk, on=D(2026, 11, 20), result="reject", basis="无依据")
    detail = text(clerk.get(url("detail", p)))
    assert "撤销上一步" not in detail
    before = counts()
    refused = clerk.post(url("undo", p), {"reason": "选错了"}, follow=True)
    assert "您没有撤销「出具处理意见书」的权限" in text(refused)
    assert counts() == before

    leader = client_for(cast.a_leader)
    assert "撤销上一步（出具处理意见书）" in text(leader.get(url("detail", p)))
    missing = leader.post(url("undo", p), {"reason": ""})
    assert missing.status_code == 200 and "这个字段是必填项" in text(missing)
    done = leader.post(url("undo", p), {"reason": "处理意见选错，应为解释说明"})
    assert done.status_code == 302
    p.refresh_from_db()
    assert (p.status, p.result, p.replied_on) == (Status.HANDLING, "", None)
    assert p.handle_due_on == D(2027, 1, 18) and p.due_kind == "handle"
    page = text(leader.get(done["Location"]))
    assert "已撤销" in page and "撤销「出具处理意见书」" in page
    page = move(clerk, p, "opinion", {"on": "2026-11-21", "result": "explain", "basis": "《条例》"})
    p.refresh_from_db()
    assert (p.status, p.result, p.replied_on) == (Status.REPLIED, "explain", D(2026, 11, 21))
