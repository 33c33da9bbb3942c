"""The 人民调解 pages behind the tenant door: every URL of the three ledgers and the ledger's own
(dossier, statistics) answers 404 to the neighbouring 街道's clerk and changes nothing; a case
handed up stays readable, not actionable, for the unit that handed it; bad input answers in
Chinese and writes nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from fazhi.core.audit.models import AuditEvent
from fazhi.core.tenancy.actions import add_user
from fazhi.ledgers.mediation import actions
from fazhi.ledgers.mediation import urls as own_urls
from fazhi.ledgers.mediation.ledger import COMMITTEES, LEDGER, SCREENINGS
from fazhi.ledgers.mediation.models import Case, CaseEvent, Committee, Party, Screening
from fazhi.ledgers.mediation.tests.test_actions import assigned, session
from fazhi.ledgers.mediation.tests.world import Med, d, make_med, new_case, travel

pytestmark = pytest.mark.usefixtures("historical_entry")


@pytest.fixture
def med(cast: Any) -> Iterator[Med]:
    """The ledger's own test world (a 社区 under 街道 A, committees in A, B and the 社区)."""
    with travel():
        yield make_med(cast)


POST = {
    "on": "2026-11-20",
    "note": "越权",
    "reason": "relative",
    "agreement": "越权",
    "routes": ["litigation"],
    "party": "越权",
    "court": "越权",
    "result": "confirmed",
    "performance": "done",
    "summary": "越权",
    "name": "越权",
    "kind": "person",
    "parties-kind": "person",
    "parties-name": "越权",
    "sessions-on": "2026-11-20",
    "sessions-place": "越权",
    "sessions-present": "越权",
    "sessions-content": "越权",
    "sessions-result": "agreed",
    "mediators-name": "越权",
    "mediators-role": "member",
    "mediators-gender": "male",
    "findings-description": "越权",
    "findings-dispute_type": "other",
    "findings-disposal": "note",
}


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def counts() -> dict[str, int]:
    return {
        "cases": Case.with_voided.count(),
        "events": CaseEvent.objects.count(),
        "parties": Party.objects.filter(removed_at__isnull=True).count(),
        "committees": Committee.with_voided.count(),
        "screenings": Screening.with_voided.count(),
        "audit": AuditEvent.objects.count(),
    }


def a_urls(med: Med) -> list[str]:
    """Every record URL of 街道 A's case, committee and screening, and the own pages."""
    mediator = med.street_committee.mediators.get(name="王强")
    case = new_case(med.cast.street_a, med.cast.a_clerk)
    case = actions.assign(
        case, by=med.cast.a_clerk, on=d(11, 3), committee=case.committee, mediator=mediator
    )
    screening = actions.register_screening(
        unit=med.cast.street_a,
        by=med.cast.a_clerk,
        held_on=d(11, 3),
        scope="东湖辖区",
        staff="李红",
    )
    urls = []
    for ledger, record in (
        (LEDGER, case),
        (COMMITTEES, med.street_committee),
        (SCREENINGS, screening),
    ):
        slug, pk = ledger.slug, record.pk
        urls += [
            reverse(f"web:{n}", args=[slug, pk]) for n in ("detail", "correct", "void", "undo")
        ]
        urls += [reverse("web:move", args=[slug, pk, m.code]) for m in ledger.moves]
        for spec in ledger.children:
            urls.append(reverse("web:child_add", args=[slug, pk, spec.code]))
            row = spec.model.objects.filter(record=record).first()
            if row is not None:
                urls.append(reverse("web:child_remove", args=[slug, pk, spec.code, row.pk]))
    urls.append(reverse("mediation:dossier", args=[case.pk]))
    urls.append(reverse("mediation:stats") + "?unit=A1")
    return urls


def test_every_own_url_is_in_the_sweep() -> None:
    names = {p.name for p in own_urls.urlpatterns if isinstance(p, URLPattern)}
    assert names == {"dossier", "stats"}, "a new mediation URL needs its entry in a_urls()"


def test_the_neighbour_gets_404_on_everything_of_a_and_changes_nothing(med: Med) -> None:
    urls = a_urls(med)
    client = client_for(med.cast.b_clerk)
    before = counts()
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, POST).status_code == 404, url
    assert counts() == before
    for slug in (LEDGER.slug, COMMITTEES.slug, SCREENINGS.slug):
        listing = client.get(reverse("web:list", args=[slug])).content.decode()
        assert "东湖" not in listing and "TJ-A1-" not in listing, slug
        exported = client.get(reverse("web:export", args=[slug]))
        assert exported.status_code == 200 and "东湖".encode() not in exported.content


def test_a_clerk_sees_own_pages_and_the_supervisor_reads_without_moves(med: Med) -> None:
    urls = a_urls(med)
    own = client_for(med.cast.a_clerk)
    supervisor = client_for(med.cast.supervisor)
    detail = urls[0]
    assert own.get(detail).status_code == 200
    page = supervisor.get(detail).content.decode()
    assert "TJ-A1-2026-0001" in page and 'class="moves"' not in page
    stats = own.get(reverse("mediation:stats"), {"unit": "A1", "year": "2026"}).content.decode()
    assert "调解成功率" in stats and "东湖街道人民调解委员会" in stats
    assert own.get(reverse("mediation:stats"), {"unit": "B1"}).status_code == 404


def test_the_unit_that_handed_a_case_up_reads_it_but_cannot_act(med: Med) -> None:
    case = assigned(med)
    session(case, med.c_clerk)
    case = actions.hand_up(case, by=med.c_clerk, on=d(11, 10))
    lower = client_for(med.c_clerk)
    page = lower.get(reverse("web:detail", args=["mediation", case.pk])).content.decode()
    assert case.number in page and "东湖社区 → 东湖街道" in page and 'class="moves"' not in page
    assert case.number in lower.get(reverse("web:list", args=["mediation"])).content.decode()
    assert lower.get(reverse("mediation:dossier", args=[case.pk])).status_code == 200
    before = counts()
    taken = lower.post(reverse("web:move", args=["mediation", case.pk, "take_over"]), POST)
    assert taken.status_code == 302
    assert counts() == before
    upper = client_for(med.cast.a_clerk)
    assert (
        "受理上报的案件"
        in upper.get(reverse("web:detail", args=["mediation", case.pk])).content.decode()
    )


def test_bad_registration_answers_in_chinese_and_writes_nothing(med: Med) -> None:
    client = client_for(med.c_clerk)
    before = counts()
    form = {
        "unit": "A1C1",
        "received_on": "2026-11-20",
        "source": "application",
        "dispute_type": "neighbour",
        "summary": "漏水",
        "p1_kind": "person",
        "p1_name": "张三",
        "p1_id_number": "110101199003071234",
        "p2_kind": "org",
        "p2_name": "某公司",
    }
    got = client.post(reverse("web:new", args=["mediation"]), form)
    assert got.status_code == 200 and "身份证号有误" in got.content.decode()
    got = client.post(reverse("web:new", args=["mediation"]), {**form, "received_on": "2026-02-30"})
    assert got.status_code == 200 and "请输入有效日期" in got.content.decode()
    got = client.post(
        reverse("web:new", args=["mediation_committees"]),
        {
            "unit": "A1C1",
            "name": "新调委会",
            "kind": "community",
            "term_start": "2026-11-01",
            "members": "甲 男\n乙 女",
        },
    )
    assert got.status_code == 200 and "三至九人" in got.content.decode()
    assert counts() == before
    ok = client.post(reverse("web:new", args=["mediation"]), {**form, "p1_id_number": ""})
    assert ok.status_code == 302 and counts()["cases"] == before["cases"] + 1


PERSON = {
    "kind": "person",
    "name": "张三丰",
    "id_number": "11010519491231002X",
    "contact": "13900001111",
    "address": "东湖路1号3栋502",
}
ORG = {
    "kind": "org",
    "name": "东湖物业服务有限公司",
    "id_number": "91110105MA01ABCD2X",
    "contact": "01065550000",
    "address": "东湖路9号",
}
FULL = ("张三丰", "11010519491231002X", "13900001111", "东湖路1号3栋502", "01065550000")
MASKED = ("张**", "110***********002X", "139****1111", "东湖路1号****", "010****0000")


def parties_table(page: str) -> str:
    start = page.index("当事人类型")
    return page[start : page.index("</table>", start)]


def test_parties_in_full_to_the_handler_masked_to_those_who_only_read(med: Med) -> None:
    case = new_case(med.community, med.c_clerk, parties=[PERSON, ORG])
    detail = reverse("web:detail", args=["mediation", case.pk])

    def shown(user: Any) -> str:
        return parties_table(client_for(user).get(detail).content.decode())

    handler = shown(med.c_clerk)
    assert all(v in handler for v in FULL), handler
    supervisor = shown(med.cast.supervisor)
    assert all(v in supervisor for v in MASKED), supervisor
    assert not any(v in supervisor for v in FULL), supervisor
    # An organisation is not a person: its name, code and address stay.
    assert all(v in supervisor for v in ("东湖物业服务有限公司", "91110105MA01ABCD2X", "东湖路9号"))
    # After the hand-up the roles turn: the 街道 handles it, the 社区 only reads it.
    actions.hand_up(case, by=med.c_clerk, on=d(11, 10))
    lower = shown(med.c_clerk)
    assert all(v in lower for v in MASKED) and not any(v in lower for v in FULL), lower
    upper = shown(med.cast.a_clerk)
    assert all(v in upper for v in FULL), upper


def test_the_dossier_is_masked_for_those_who_only_read(med: Med) -> None:
    from fazhi.ledgers.mediation.tests.test_dossier import _text as docx_text

    case = new_case(med.community, med.c_clerk, parties=[PERSON, ORG])
    actions.hand_up(case, by=med.c_clerk, on=d(11, 10))
    url = reverse("mediation:dossier", args=[case.pk])
    upper = docx_text(client_for(med.cast.a_clerk).get(url).content)
    lower = docx_text(client_for(med.c_clerk).get(url).content)
    assert "张三丰（自然人），证件号码 110***********002X，联系方式 13900001111" in upper
    assert "张**（自然人），证件号码 110***********002X，联系方式 139****1111" in lower
    assert "张三丰" not in lower and "13900001111" not in lower


def test_the_timeline_names_a_party_added_later_masked(med: Med) -> None:
    from fazhi.core.records import corrections
    from fazhi.ledgers.mediation.ledger import PARTIES

    case = new_case(med.community, med.c_clerk)
    corrections.add_child(LEDGER, PARTIES, case, by=med.c_clerk, fields=dict(PERSON))
    event = CaseEvent.objects.get(record=case, kind="child_added")
    assert event.data["text"] == "张**（自然人）"


def test_a_finding_with_a_number_of_no_case_answers_on_its_field(med: Med) -> None:
    s = actions.register_screening(
        unit=med.community, by=med.c_clerk, held_on=d(11, 2), scope="1—12栋", staff="李红"
    )
    client = client_for(med.c_clerk)
    before = counts()
    got = client.post(
        reverse("web:child_add", args=["mediation_screenings", s.pk, "findings"]),
        {
            "findings-description": "漏水",
            "findings-dispute_type": "neighbour",
            "findings-disposal": "case",
            "findings-case_number": "TJ-A1C1-2026-0042",
        },
    )
    assert got.status_code == 200
    assert got.context["form"].errors == {
        "case_number": [
            "本单位没有编号为「TJ-A1C1-2026-0042」的调解案件，请先受理该纠纷，再填写其调解编号"
        ]
    }
    assert counts() == before


def _handed_to_district(med: Med) -> tuple[Any, Any]:
    """A case of 街道 A handed up to 示例区, which has no committee; the district's clerk."""
    mediator = med.street_committee.mediators.get(name="王强")
    case = new_case(med.cast.street_a, med.cast.a_clerk)
    case = actions.assign(
        case, by=med.cast.a_clerk, on=d(11, 3), committee=case.committee, mediator=mediator
    )
    session(case, med.cast.a_clerk)
    case = actions.hand_up(case, by=med.cast.a_clerk, on=d(11, 10))
    clerk = add_user(
        username="qu_clerk",
        unit=med.cast.district,
        role="clerk",
        password="x",
        by=None,
        check_password=False,
    )
    return case, clerk


def test_take_over_without_a_committee_says_what_to_do_and_writes_nothing(med: Med) -> None:
    case, clerk = _handed_to_district(med)
    client = client_for(clerk)
    url = reverse("web:move", args=["mediation", case.pk, "take_over"])
    page = client.get(url).content.decode()
    assert "示例区尚未登记在任的人民调解委员会" in page
    assert reverse("web:new", args=["mediation_committees"]) in page
    assert 'name="committee"' not in page and "这个字段是必填项" not in page
    before = counts()
    assert client.post(url, {**POST, "committee": "1"}).status_code == 200
    assert counts() == before
    actions.register_committee(
        unit=med.cast.district,
        by=clerk,
        name="示例区矛盾纠纷调处化解中心",
        kind="center",
        term_start=d(1, 5, 2026),
        members="陈志远 男\n林晓燕 女\n马建国 男",
    )
    page = client.get(url).content.decode()
    assert 'name="committee"' in page and "示例区矛盾纠纷调处化解中心" in page
    assert "尚未登记在任的人民调解委员会" not in page


def test_a_handed_up_case_waits_on_the_upper_units_todo_only(med: Med) -> None:
    case, clerk = _handed_to_district(med)
    upper = client_for(clerk).get(reverse("web:home")).content.decode()
    group = upper.split("已上报，待上级受理", 1)[1].split("</table>", 1)[0]
    assert case.number in group
    lower = client_for(med.cast.a_clerk).get(reverse("web:home")).content.decode()
    heading = '<span class="badge info">已上报，待上级受理</span>'
    assert heading not in lower  # no group at all where nothing is waiting (not an empty one)
    actions.register_committee(
        unit=med.cast.district,
        by=clerk,
        name="示例区人民调解委员会",
        kind="center",
        term_start=d(1, 5, 2026),
        members="陈志远 男\n林晓燕 女\n马建国 男",
    )
    taken = actions.take_over(
        case,
        by=clerk,
        on=d(11, 12),
        committee=Committee.objects.get(unit=med.cast.district),
    )
    assert taken.status == "mediating"
    upper = client_for(clerk).get(reverse("web:home")).content.decode()
    assert heading not in upper and "没有已上报，待上级受理事项" not in upper


def test_a_refused_move_shows_its_message_once(med: Med) -> None:
    case = new_case(med.community, med.c_clerk, on=d(9, 1))
    mediator = med.community_committee.mediators.get(name="王强")
    case = actions.assign(
        case, by=med.c_clerk, on=d(9, 1), committee=case.committee, mediator=mediator
    )
    session(case, med.c_clerk, on=d(9, 2))
    actions.written_agreement(case, by=med.c_clerk, on=d(9, 2), agreement="赔偿")
    url = reverse("web:move", args=["mediation", case.pk, "apply_confirmation"])
    page = client_for(med.c_clerk).post(url, {"on": "2026-11-20", "court": "示例区人民法院"})
    text = page.content.decode()
    assert text.count("司法确认应在调解协议生效之日起30日内（2026-10-08 前）申请") == 1, text


def test_no_template_prints_non_field_errors_beside_the_whole_form() -> None:
    """`form.as_div` prints the non-field errors itself; printing them before it too shows
    every such error twice."""
    import re
    from pathlib import Path

    import fazhi

    found = []
    for path in Path(fazhi.__file__).parent.rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        for name in re.findall(r"\{\{ *(\w+)\.as_div *\}\}", text):
            if f"{name}.non_field_errors" in text:
                found.append(f"{path.name}: {name}")
    assert found == []


def test_a_second_void_from_a_stale_tab_says_the_record_is_already_voided(med: Med) -> None:
    case = new_case(med.cast.street_a, med.cast.a_clerk)
    leader = client_for(med.cast.a_leader)
    url = reverse("web:void", args=["mediation", case.pk])
    first = leader.post(url, {"reason": "重复登记"})
    assert first.status_code == 302
    before = counts()
    for stale in (
        url,
        reverse("web:undo", args=["mediation", case.pk]),
        reverse("web:move", args=["mediation", case.pk, "refuse"]),
    ):
        second = leader.post(stale, {**POST, "reason": "重复登记"}, follow=True)
        page = second.content.decode()
        assert second.status_code == 200 and "该记录已作废" in page, stale
        assert "您访问的页面或记录不存在" not in page
    assert counts() == before
    # Another street still gets the 404 of a record it cannot see.
    assert client_for(med.cast.b_clerk).post(url, {"reason": "x"}).status_code == 404


def test_statistics_of_a_year_with_no_concluded_case_show_a_dash_not_zero(med: Med) -> None:
    new_case(med.cast.street_a, med.cast.a_clerk)
    page = client_for(med.cast.a_clerk).get(
        reverse("mediation:stats"), {"unit": "A1", "year": "2026"}
    )
    text = page.content.decode()
    row = text.split("<td>调解成功率</td>", 1)[1].split("</tr>", 1)[0]
    assert ">—<" in row and "0.0%" not in row and "0 ÷ 0" not in row
    assert "不计算比率" in row


def test_the_committee_form_names_its_unit_and_a_handed_up_case_waits_for_the_upper_unit(
    med: Med,
) -> None:
    lower = client_for(med.c_clerk)
    form = lower.get(reverse("web:new", args=["mediation_committees"])).content.decode()
    assert "所属单位" in form and "受理单位" not in form
    case = assigned(med)
    session(case, med.c_clerk)
    case = actions.hand_up(case, by=med.c_clerk, on=d(11, 10))
    url = reverse("web:detail", args=["mediation", case.pk])
    page = lower.get(url).content.decode()
    assert "已上报东湖街道，待其受理" in page
    actions.take_over(
        Case.objects.get(pk=case.pk),
        by=med.cast.a_clerk,
        on=d(11, 11),
        committee=med.street_committee,
    )
    page = lower.get(url).content.decode()
    assert "待其受理" not in page and "东湖街道" in page


def test_the_assign_form_leaves_out_a_mediator_who_stepped_aside(med: Med) -> None:
    case = assigned(med)
    wang = case.mediator
    actions.recuse(case, by=med.c_clerk, on=d(11, 4), mediator=wang, reason="relative")
    client = client_for(med.c_clerk)
    for move in ("assign", "recuse"):
        page = client.get(reverse("web:move", args=["mediation", case.pk, move])).content.decode()
        found = re.search(r'<select name="mediator".*?</select>', page, re.S)
        assert found is not None, move
        choices = re.findall(r'<option value="(\d+)"', found[0])
        li = med.community_committee.mediators.get(name="李红")
        assert str(li.pk) in choices and str(wang.pk) not in choices, move


def test_a_failure_without_routes_names_the_field(med: Med) -> None:
    case = assigned(med)
    before = counts()
    got = client_for(med.c_clerk).post(
        reverse("web:move", args=["mediation", case.pk, "fail"]), {"on": "2026-11-20"}
    )
    page = got.content.decode()
    assert got.status_code == 200
    assert "请选择已告知当事人的其他途径（仲裁、行政、司法）" in page
    assert "这个字段是必填项" not in page
    assert counts() == before
