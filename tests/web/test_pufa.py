"""The 普法 pages behind the tenant door: every URL of the four ledgers and of the statistics
page answers 404 to the neighbouring 街道's clerk and changes nothing; lists and exports show
nothing of A to B, and the 法律明白人's phone and ID number masked; bad input answers in Chinese
on its field and writes nothing, another unit's ids included."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from fazhi.core.audit.models import AuditEvent
from fazhi.ledgers.pufa import urls as own_urls
from fazhi.ledgers.pufa.ledger import ACTIVITIES, DUTIES, LEDGERS, PEOPLE, STUDIES
from fazhi.ledgers.pufa.models import Activity, ActivityEvent, Duty, DutyEvent, Person, Study
from fazhi.ledgers.pufa.tests.world import World, activity, make_world, person, study, travel

pytestmark = pytest.mark.usefixtures("historical_entry")


@pytest.fixture
def world(cast: Any) -> Iterator[World]:
    with travel():
        yield make_world(cast)


POST = {
    "on": "2026-11-20",
    "note": "越权",
    "reason": "越权",
    "duty": "1",
    "activity": "1",
    "held_on": "2026-11-20",
    "title": "越权",
    "theme": "other",
    "theme_note": "越权",
    "form": "lecture",
    "venue": "越权",
    "audience": "residents",
    "attendance": "1",
    "department": "越权",
    "content": "越权",
    "listed_on": "2026-11-20",
    "community": "越权",
    "name": "越权",
    "topic": "越权",
    "expected": "2",
    "participants": "1",
}


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def counts() -> dict[str, int]:
    return {
        "activities": Activity.with_voided.count(),
        "activity_events": ActivityEvent.objects.count(),
        "duties": Duty.with_voided.count(),
        "duty_events": DutyEvent.objects.count(),
        "done": Duty.objects.filter(status="done").count(),
        "people": Person.with_voided.count(),
        "studies": Study.with_voided.count(),
        "audit": AuditEvent.objects.count(),
    }


def a_records(w: World) -> dict[str, Any]:
    cast = w.cast
    with travel():
        ticked = activity(cast.street_a, cast.a_clerk, duty_number=w.a_law.number)
        return {
            ACTIVITIES.slug: ticked,
            DUTIES.slug: Duty.objects.get(pk=w.a_law.pk),
            PEOPLE.slug: person(cast.street_a, cast.a_clerk),
            STUDIES.slug: study(cast.street_a, cast.a_clerk, kind="exam", passed=20),
        }


def a_urls(w: World) -> list[str]:
    """Every record URL of A's activity, item, person and exam, every move, and the own page."""
    urls: list[str] = []
    records = a_records(w)
    for ledger in LEDGERS:
        slug, pk = ledger.slug, records[ledger.slug].pk
        urls += [
            reverse(f"web:{n}", args=[slug, pk]) for n in ("detail", "correct", "void", "undo")
        ]
        urls += [reverse("web:move", args=[slug, pk, m.code]) for m in ledger.moves]
    urls.append(reverse("pufa:stats") + "?unit=A1")
    return urls


def test_every_own_url_and_move_is_in_the_sweep() -> None:
    names = {p.name for p in own_urls.urlpatterns if isinstance(p, URLPattern)}
    assert names == {"stats"}, "a new 普法 URL needs its entry in a_urls()"
    from fazhi.core.web.registry import get_ledger

    for ledger in LEDGERS:
        ui = get_ledger(ledger.slug)
        assert ui is not None
        assert set(ui.move_forms) == {m.code for m in ledger.moves}, ledger.slug


def test_the_neighbour_gets_404_on_everything_of_a_and_changes_nothing(world: World) -> None:
    urls = a_urls(world)
    client = client_for(world.cast.b_clerk)
    before = counts()
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, POST).status_code == 404, url
    assert counts() == before
    for ledger in LEDGERS:
        listing = client.get(reverse("web:list", args=[ledger.slug])).content.decode()
        assert "东湖" not in listing and "李明" not in listing, ledger.slug
        exported = client.get(reverse("web:export", args=[ledger.slug]))
        assert exported.status_code == 200 and "东湖".encode() not in exported.content
    stats = client.get(reverse("pufa:stats"), {"unit": "B1", "year": "2026"}).content.decode()
    assert "西城街道" in stats and "东湖" not in stats


def test_the_supervisor_reads_without_moves_and_the_clerk_acts(world: World) -> None:
    urls = a_urls(world)
    detail = urls[0]
    assert client_for(world.cast.a_clerk).get(detail).status_code == 200
    page = client_for(world.cast.supervisor).get(detail).content.decode()
    assert "PF-2026-0001" in page and 'class="moves"' not in page
    for name in ("supervisor", "a_clerk"):
        got = client_for(getattr(world.cast, name)).get(reverse("pufa:stats"), {"unit": "A1"})
        assert got.status_code == 200 and "普法责任清单完成率" in got.content.decode()
    assert (
        client_for(world.cast.a_clerk).get(reverse("pufa:stats"), {"unit": "B1"}).status_code == 404
    )


def test_the_figures_link_to_exactly_their_records(world: World) -> None:
    records = a_records(world)
    client = client_for(world.cast.a_clerk)
    html = client.get(reverse("pufa:stats"), {"unit": "A1", "year": "2026"}).content.decode()
    department = re.search(r'<table class="grid" id="departments">.*?</table>', html, re.S)
    assert department is not None
    cells = re.sub(r"<[^>]+>", " ", department.group(0)).split()
    assert cells[cells.index("司法所") : cells.index("司法所") + 4] == [
        "司法所",
        "1",
        "1",
        "100.0%",
    ]
    links = re.findall(r'href="(/l/pufa_duties/\?[^"]+)"', html)
    law = next(u for u in links if "department=" in u and "%E5%8F%B8%E6%B3%95%E6%89%80" in u)
    listing = client.get(law.replace("&amp;", "&")).content.decode()
    assert records[DUTIES.slug].number in listing and "QD-2026-002" not in listing


def test_phone_and_id_are_masked_in_lists_exports_and_for_readers(world: World) -> None:
    records = a_records(world)
    full = ("13900001111", "11010519491231002X")
    masked = ("139****1111", "110***********002X")
    clerk, supervisor = client_for(world.cast.a_clerk), client_for(world.cast.supervisor)
    listing = clerk.get(reverse("web:list", args=[PEOPLE.slug])).content.decode()
    assert all(m in listing for m in masked) and not any(f in listing for f in full)
    wb = openpyxl.load_workbook(
        io.BytesIO(clerk.get(reverse("web:export", args=[PEOPLE.slug])).content)
    )
    text = "\n".join(
        str(v) for ws in wb.worksheets for r in ws.iter_rows(values_only=True) for v in r
    )
    assert all(m in text for m in masked) and not any(f in text for f in full)
    detail = reverse("web:detail", args=[PEOPLE.slug, records[PEOPLE.slug].pk])
    own = clerk.get(detail).content.decode()
    assert all(f in own for f in full)
    read = supervisor.get(detail).content.decode()
    assert all(m in read for m in masked) and not any(f in read for f in full)
    # Searching by a phone number finds nothing: it would confirm whose number it is.
    found = clerk.get(reverse("web:list", args=[PEOPLE.slug]), {"q": "13900001111"})
    assert "MB-0001" not in found.content.decode()


ACTIVITY_FORM = {
    "unit": "A1",
    "held_on": "2026-11-20",
    "title": "宪法进社区",
    "theme": "constitution_week",
    "form": "consultation",
    "venue": "东湖社区文化广场",
    "audience": "residents",
    "attendance": "80",
    "materials": "200",
    "online_reach": "0",
}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"attendance": "-5"}, "attendance", "参与人次不能为负数"),
        ({"held_on": "2026-02-30"}, "held_on", "请输入有效日期"),
        ({"held_on": "2026-12-24"}, "held_on", "不能晚于今天"),
        ({"attendance": "0"}, "attendance", "线下活动请填写参与人次"),
        ({"duty_number": "XC-QD-001"}, "duty_number", "东湖街道的普法责任清单中没有编号为"),
    ],
)
def test_bad_activities_answer_on_their_field_and_write_nothing(
    world: World, change: dict[str, str], field: str, message: str
) -> None:
    client = client_for(world.cast.a_clerk)
    before = counts()
    with travel():
        got = client.post(reverse("web:new", args=[ACTIVITIES.slug]), {**ACTIVITY_FORM, **change})
    assert got.status_code == 200
    errors = got.context["form"].errors
    assert field in errors and message in errors[field][0], errors
    assert counts() == before


def test_a_bad_exam_answers_on_its_field_and_writes_nothing(world: World) -> None:
    client = client_for(world.cast.a_clerk)
    before = counts()
    form = {"unit": "A1", "held_on": "2026-10-15", "kind": "exam", "topic": "学法用法考试",
            "expected": "60", "participants": "58", "passed": "59"}  # fmt: skip
    with travel():
        got = client.post(reverse("web:new", args=[STUDIES.slug]), form)
        assert got.context["form"].errors == {
            "passed": ["考试通过人数（59）不能多于参考人数（58）"]
        }
        negative = client.post(reverse("web:new", args=[STUDIES.slug]), {**form, "passed": "-1"})
        assert negative.context["form"].errors == {"passed": ["考试通过人数不能为负数"]}
    assert counts() == before


def test_ticking_with_another_units_item_or_activity_is_refused(world: World) -> None:
    cast = world.cast
    with travel():
        mine = activity(cast.street_a, cast.a_clerk)
        theirs = activity(cast.street_b, cast.b_clerk)
    client = client_for(cast.a_clerk)
    before = counts()
    with travel():
        got = client.post(
            reverse("web:move", args=[ACTIVITIES.slug, mine.pk, "tick"]),
            {"on": "2026-05-20", "duty": str(world.b_duty.pk)},
        )
        assert got.status_code == 200 and "duty" in got.context["form"].errors
        got = client.post(
            reverse("web:move", args=[DUTIES.slug, world.a_law.pk, "tick"]),
            {"on": "2026-05-20", "activity": str(theirs.pk)},
        )
        assert got.status_code == 200 and "activity" in got.context["form"].errors
    assert counts() == before
    with travel():
        ok = client.post(
            reverse("web:move", args=[ACTIVITIES.slug, mine.pk, "tick"]),
            {"on": "2026-05-20", "duty": str(world.a_law.pk)},
        )
    assert ok.status_code == 302
    assert Duty.objects.get(pk=world.a_law.pk).status == "done"


def test_the_activity_list_reads_the_ticked_items_in_its_own_query(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cast = world.cast
    client = client_for(cast.a_clerk)
    url = reverse("web:list", args=[ACTIVITIES.slug])

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert client.get(url).status_code == 200
        return len(seen.captured_queries)

    with travel():
        activity(cast.street_a, cast.a_clerk, duty_number=world.a_law.number)
        one = queries()
        activity(cast.street_a, cast.a_clerk, duty_number=world.a_safety.number)
        activity(cast.street_a, cast.a_clerk)
        page = client.get(url).content.decode()
    assert world.a_law.number in page and world.a_safety.number in page
    assert queries() == one
