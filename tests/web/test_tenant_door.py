"""The tenant sweep (DESIGN invariant 1, §6 "Safe"): every URL of the web layer, tried by the
clerk of the neighbouring 街道, by the district supervisor and by an anonymous visitor.

The URL list is read from `fazhi.core.web.urls.urlpatterns`; a new URL without an entry in
`URLS` below fails `test_every_url_is_in_the_sweep`, so nothing escapes the sweep.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.test import Client
from django.urls import URLPattern, reverse

from fazhi.core.audit.models import AuditEvent
from fazhi.core.reports.models import ReportInput, ReportText, ReviewRun
from fazhi.core.tenancy.actions import add_unit, add_user
from fazhi.core.web import urls as web_urls
from fazhi.core.web.registry import get_ledger, get_report, reports
from fazhi.ledgers.disclosure import actions
from fazhi.ledgers.disclosure.models import Application, ApplicationEvent, Status
from fazhi.ledgers.disclosure.workflow import MOVES
from fazhi.ledgers.hotline.models import WorkOrder, WorkOrderEvent
from fazhi.ledgers.petitions import actions as petitions
from fazhi.ledgers.petitions.models import Petition, PetitionEvent, Visit
from fazhi.ledgers.petitions.workflow import MOVES as PETITION_MOVES

SLUG = "disclosure"
PSLUG = "petitions"
KIND = "xxgk"
YEAR = 2026
TODAY = dt.date(2026, 11, 25)  # a Wednesday; November 2026 has no holidays
NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
A_MARK = "AX-2026-"  # every number of 街道 A starts with this
A_NAME = "甲申请人"  # every applicant of 街道 A is called this (plus a digit)

# WhiteNoise warns when var/static/ (STATIC_ROOT) has not been collected; tests serve from finders.

# A POST body that every move form would accept, so a refusal is the door's, not the form's.
MOVE_POST = {
    "on": TODAY.isoformat(),
    "note": "越权尝试",
    "items": "越权尝试",
    "reason": "越权尝试",
    "outcome": "granted",
    "party_kind": "third_party",
    "party": "越权尝试",
    "method": "per_page",
    "quantity": "100",
    "applicant_name": "越权更正",
    "received_on": TODAY.isoformat(),
    "applicant_category": "business",
    "channel": "in_person",
    "content": "越权更正",
    "to": "越权尝试",
    "procedure": "litigation",
    "days": "10",
    "told_on": TODAY.isoformat(),
    "result": "support",
    "basis": "越权尝试",
    "satisfaction": "satisfied",
    "form": "letter",
    "source": "direct",
    "category": "appeal",
    "petitioner": "越权",
    "visits-on": TODAY.isoformat(),
    "visits-visitors": "2",
    "visits-representatives": "1",
}


@dataclass
class World:
    cast: Any
    a_records: list[Application]
    b_record: Application
    c_record: Application
    c_unit: Any
    review_run: ReviewRun  # the district admin's own report review: private to the admin
    a_petitions: list[Petition]
    a_visit: Visit


def d(month: int, day: int) -> dt.date:
    return dt.date(YEAR, month, day)


@pytest.fixture
def world(cast: Any) -> Iterator[World]:
    with time_machine.travel(NOW, tick=False):

        def reg(unit: Any, by: Any, number: str, name: str, on: dt.date) -> Application:
            return actions.register(
                unit=unit,
                by=by,
                received_on=on,
                applicant_category="natural_person",
                applicant_name=name,
                content=f"{name}申请公开的信息",
                number=number,
            )

        a, clerk, leader = cast.street_a, cast.a_clerk, cast.a_leader
        overdue = reg(a, clerk, f"{A_MARK}0001", f"{A_NAME}1", d(10, 20))
        correction = reg(a, clerk, f"{A_MARK}0002", f"{A_NAME}2", d(11, 16))
        actions.request_correction(app=correction, by=clerk, on=d(11, 18), items="请写明文号")
        consulting = reg(a, clerk, f"{A_MARK}0003", f"{A_NAME}3", d(11, 16))
        actions.start_consultation(
            app=consulting, by=clerk, on=d(11, 18), party_kind="third_party", party="某公司"
        )
        fee = reg(a, clerk, f"{A_MARK}0004", f"{A_NAME}4", d(11, 16))
        actions.issue_fee_notice(app=fee, by=clerk, on=d(11, 18), method="per_page", quantity=100)
        closed = reg(a, clerk, f"{A_MARK}0005", f"{A_NAME}5", d(11, 2))
        actions.reply(app=closed, by=clerk, on=d(11, 10), outcome="granted")
        extended = reg(a, clerk, f"{A_MARK}0006", f"{A_NAME}6", d(11, 2))
        actions.extend(
            app=extended, by=leader, on=d(11, 10), reason="需要调取档案", told_on=d(11, 10)
        )

        b_record = reg(cast.street_b, cast.b_clerk, "BX-2026-0001", "乙申请人", d(11, 2))
        c_unit = add_unit(code="C1", name="南山街道", kind="street", parent=cast.district, by=None)
        c_clerk = add_user(
            username="c_clerk",
            unit=c_unit,
            role="clerk",
            password="x",
            by=None,
            check_password=False,
        )
        c_record = reg(c_unit, c_clerk, "CX-2026-0001", "丙申请人", d(11, 2))
        records = [overdue, correction, consulting, fee, closed, extended]
        for r in records:
            r.refresh_from_db()
        assert {r.status for r in records} == set(Status.values)
        run = ReviewRun.objects.create(
            created_by=cast.admin, result={"reports": [], "batch_findings": []}
        )

        def petition(n: int, form: str = "letter") -> Petition:
            return petitions.register(
                unit=a,
                by=clerk,
                received_on=d(11, 16),
                form=form,
                source="direct",
                category="appeal",
                content=f"{A_NAME}{n}的诉求",
                petitioner=f"{A_NAME}{n}",
                contact=f"1390000000{n}",
                visitors=3 if form == "visit" else None,
                representatives=1 if form == "visit" else None,
                number=f"{A_MARK}P{n:03d}",
            )

        registered = petition(1, "visit")
        handling = petitions.accept(petition(2), by=clerk, on=d(11, 18))
        asking = petitions.accept(petition(3), by=clerk, on=d(11, 18))
        asking = petitions.request_extension(
            asking, by=clerk, on=d(11, 20), days=10, reason="需要调查"
        )
        replied = petitions.accept(petition(4), by=clerk, on=d(11, 18))
        replied = petitions.opinion(replied, by=clerk, on=d(11, 20), result="support", basis="依据")
        a_petitions = [registered, handling, asking, replied]
        visit = Visit.objects.get(record=registered)
        yield World(cast, records, b_record, c_record, c_unit, run, a_petitions, visit)


def record_kwargs(w: World) -> list[dict[str, Any]]:
    return [
        *({"slug": SLUG, "pk": r.pk} for r in w.a_records),
        *({"slug": PSLUG, "pk": p.pk} for p in w.a_petitions),
    ]


def report_kwargs(code: str, kind: str = KIND) -> dict[str, Any]:
    return {"kind": kind, "code": code, "year": YEAR}


def every_report(code: str) -> list[dict[str, Any]]:
    """The unit's report of each kind (the ledgers' and core's 法治政府建设情况报告)."""
    return [report_kwargs(code, ui.kind) for ui in reports()]


def input_keys() -> list[str]:
    found = get_report(KIND)
    assert found is not None
    return [spec.key for spec in found[1].inputs]


# url name -> the kwargs to try it with. Names in A_SCOPED name a record or the unit of 街道 A.
URLS: dict[str, Callable[[World], list[dict[str, Any]]]] = {
    "home": lambda w: [{}],
    "dashboard": lambda w: [{}],
    "list": lambda w: [{"slug": SLUG}],
    "new": lambda w: [{"slug": SLUG}],
    "import": lambda w: [{"slug": SLUG}],
    "template": lambda w: [{"slug": SLUG}],
    "export": lambda w: [{"slug": SLUG}],
    "detail": lambda w: [{"slug": SLUG, "pk": r.pk} for r in w.a_records],
    "options": lambda w: [{"slug": SLUG, "code": "A1"}],
    "move": lambda w: [
        {"slug": SLUG, "pk": r.pk, "move": m.code} for r in w.a_records for m in MOVES
    ],
    "correct": lambda w: [{"slug": SLUG, "pk": r.pk} for r in w.a_records],
    "void": lambda w: [{"slug": SLUG, "pk": r.pk} for r in w.a_records],
    "undo": lambda w: [{"slug": SLUG, "pk": r.pk} for r in w.a_records],
    # Disclosure declares no child rows: these answer 404; the petitions sweep tries real ones.
    "child_add": lambda w: [{"slug": SLUG, "pk": w.a_records[0].pk, "child": "notes"}],
    "child_remove": lambda w: [{"slug": SLUG, "pk": w.a_records[0].pk, "child": "notes", "cid": 1}],
    "reports": lambda w: [{}],
    "report": lambda w: every_report("A1"),
    "report_docx": lambda w: every_report("A1"),
    "report_json": lambda w: every_report("A1"),
    "report_edit": lambda w: every_report("A1"),
    "report_input": lambda w: [{**report_kwargs("A1"), "key": k} for k in input_keys()],
    "review": lambda w: [{}],
    "review_run": lambda w: [{"pk": w.review_run.pk}],
    "review_export": lambda w: [{"pk": w.review_run.pk}],
    "audit": lambda w: [{}],
    "audit_export": lambda w: [{}],
    "calendar": lambda w: [{}],
    "calendar_year": lambda w: [{"year": YEAR}],
    "manage_units": lambda w: [{}],
    "manage_unit": lambda w: [{"code": "A1"}],
    "manage_users": lambda w: [{}],
    "manage_user": lambda w: [{"pk": w.cast.a_clerk.pk}],
    "manage_roles": lambda w: [{}],
}
A_SCOPED = {
    "detail",
    "options",
    "move",
    "correct",
    "void",
    "undo",
    "report",
    "report_docx",
    "report_json",
    "report_edit",
    "report_input",
    "manage_unit",
    "manage_user",
}
# Names that point at someone else's review run (ReviewRun is private to whoever ran it).
RUN_SCOPED = {"review_run", "review_export"}


def all_urls(w: World, names: Callable[[str], bool] = lambda n: True) -> list[tuple[str, str]]:
    return [
        (name, reverse(f"web:{name}", kwargs=kwargs))
        for name, build in URLS.items()
        if names(name)
        for kwargs in build(w)
    ]


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def counts() -> dict[str, int]:
    return {
        "applications": Application.objects.count(),
        "events": ApplicationEvent.objects.count(),
        "audit": AuditEvent.objects.count(),
        "report_texts": ReportText.objects.count(),
        "report_inputs": ReportInput.objects.count(),
        "petitions": Petition.with_voided.count(),
        "petition_events": PetitionEvent.objects.count(),
        "visits": Visit.objects.filter(removed_at__isnull=True).count(),
        "orders": WorkOrder.with_voided.count(),
        "order_events": WorkOrderEvent.objects.count(),
    }


def xlsx_text(content: bytes) -> str:
    assert content[:2] == b"PK"
    wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    try:
        return "\n".join(
            str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
        )
    finally:
        wb.close()


def without_csrf(content: bytes) -> str:
    """A page without its per-request CSRF token (the logout form carries one)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", content.decode())


def records_shown(html: str) -> str:
    """The rows of a list page (the page also echoes the search box and filters)."""
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S)
    return body.group(1) if body else ""


def test_every_url_is_in_the_sweep() -> None:
    patterns = web_urls.urlpatterns
    assert all(isinstance(p, URLPattern) for p in patterns), "an include() escapes the sweep"
    names = {p.name for p in patterns}
    assert None not in names, "every web URL needs a name to be swept"
    assert names == set(URLS), f"not in the sweep: {names - set(URLS)}; stale: {set(URLS) - names}"
    ledger = get_ledger(SLUG)
    assert ledger is not None
    assert set(ledger.move_forms) == {m.code for m in MOVES}


def test_outsider_gets_404_on_everything_of_a(world: World) -> None:
    client = client_for(world.cast.b_clerk)
    before = counts()
    statuses = {r.pk: r.status for r in world.a_records}
    for name, url in all_urls(world, lambda n: n in A_SCOPED | RUN_SCOPED):
        got = client.get(url)
        assert got.status_code == 404, (name, url, got.status_code)
        assert A_MARK not in got.content.decode()
        posted = client.post(url, MOVE_POST)
        assert posted.status_code == 404, (name, url, posted.status_code)
    assert counts() == before
    assert {
        r.pk: r.status for r in Application.objects.filter(unit=world.cast.street_a)
    } == statuses
    assert [p.status for p in Petition.objects.order_by("pk")] == [
        p.status for p in world.a_petitions
    ]


def test_record_of_another_unit_answers_like_a_missing_one(world: World) -> None:
    client = client_for(world.cast.b_clerk)
    missing = Application.objects.order_by("-pk").first().pk + 1000  # type: ignore[union-attr]
    theirs = client.get(reverse("web:detail", args=[SLUG, world.a_records[0].pk]))
    nothing = client.get(reverse("web:detail", args=[SLUG, missing]))
    assert theirs.status_code == nothing.status_code == 404
    assert without_csrf(theirs.content) == without_csrf(nothing.content)
    assert "未找到" in theirs.content.decode()
    unknown_unit = client.get(reverse("web:report", kwargs=report_kwargs("ZZ9")))
    theirs_unit = client.get(reverse("web:report", kwargs=report_kwargs("A1")))
    assert unknown_unit.status_code == theirs_unit.status_code == 404
    assert without_csrf(unknown_unit.content) == without_csrf(theirs_unit.content)


LIST_QUERIES = [
    {},
    {"unit": "A1"},
    {"q": A_MARK},
    {"q": A_NAME[:2]},
    {"cell": f"granted:natural_person:{YEAR}"},
    {"cell": f"new:total:{YEAR}", "unit": "A1"},
    {"cell": f"carried_out:total:{YEAR}"},
    {"due": "overdue"},
    {"status": "awaiting_correction"},
    {"outcome": "granted"},
    {"year": str(YEAR)},
]


def test_outsider_lists_and_exports_show_nothing_of_a(world: World) -> None:
    client = client_for(world.cast.b_clerk)
    for query in LIST_QUERIES:
        page = client.get(reverse("web:list", args=[SLUG]), query)
        assert page.status_code == 200, query
        html = page.content.decode()
        assert f"{A_MARK}0" not in html and A_NAME not in html, query
        assert "东湖街道" not in html, query
        assert A_MARK not in records_shown(html), query
        exported = client.get(reverse("web:export", args=[SLUG]), query)
        assert exported.status_code == 200, query
        text = xlsx_text(exported.content)
        assert A_MARK not in text and A_NAME not in text, query
    for query in ({}, {"unit": "A1"}, {"q": A_MARK}, {"due": "overdue"}, {"status": "handling"}):
        page = client.get(reverse("web:list", args=[PSLUG]), query).content.decode()
        shown = records_shown(page)  # the page also echoes the search box and filters
        assert A_MARK not in shown and A_NAME[:1] not in shown and "东湖街道" not in page, query
        text = xlsx_text(client.get(reverse("web:export", args=[PSLUG]), query).content)
        assert A_MARK not in text and A_NAME not in text, query
    # B's own record is there without filters: the page works, it just holds nothing of A.
    assert "BX-2026-0001" in client.get(reverse("web:list", args=[SLUG])).content.decode()
    assert "BX-2026-0001" in xlsx_text(client.get(reverse("web:export", args=[SLUG])).content)
    for name in ("home", "reports", "new", "import"):
        html = client.get(reverse(f"web:{name}", kwargs=URLS[name](world)[0])).content.decode()
        assert A_MARK not in html and "东湖街道" not in html and '"A1"' not in html, name
    for query in ({"unit": "A1"}, {"unit": "D1"}):  # the dashboard of A, or of the district
        assert client.get(reverse("web:dashboard"), query).status_code == 404, query
    assert client.get(reverse("web:list", args=[SLUG]), {"under": "A1"}).status_code == 404


def test_the_same_pages_do_show_a_to_its_own_clerk(world: World) -> None:
    """The positive control: the checks above would see A's records if they leaked."""
    with time_machine.travel(NOW, tick=False):
        client = client_for(world.cast.a_clerk)
        assert (
            A_MARK in client.get(reverse("web:list", args=[SLUG]), {"unit": "A1"}).content.decode()
        )
        cell = {"cell": f"granted:natural_person:{YEAR}"}
        assert (
            f"{A_MARK}0005" in client.get(reverse("web:list", args=[SLUG]), cell).content.decode()
        )
        assert A_MARK in xlsx_text(client.get(reverse("web:export", args=[SLUG])).content)
        assert f"{A_MARK}0001" in client.get(reverse("web:home")).content.decode()
        petitions_page = client.get(reverse("web:list", args=[PSLUG])).content.decode()
        assert f"{A_MARK}P001" in records_shown(petitions_page)
        assert A_MARK in xlsx_text(client.get(reverse("web:export", args=[PSLUG])).content)
        assert client.get(reverse("web:report", kwargs=report_kwargs("A1"))).status_code == 200


def test_outsider_cannot_write_into_a_through_forms(world: World) -> None:
    client = client_for(world.cast.b_clerk)
    before = counts()
    registered = client.post(
        reverse("web:new", args=[SLUG]),
        {
            "unit": "A1",
            "received_on": "2026-11-20",
            "channel": "in_person",
            "applicant_category": "natural_person",
            "applicant_name": "越权",
            "content": "越权登记",
        },
    )
    assert registered.status_code == 200
    assert (
        "选择一个有效的选项" in registered.content.decode() or "有效" in registered.content.decode()
    )
    upload = io.BytesIO(b"\xe7\x94\xb3\xe8\xaf\xb7\xe7\xbc\x96\xe5\x8f\xb7\n")
    upload.name = "a.csv"
    imported = client.post(reverse("web:import", args=[SLUG]), {"unit": "A1", "file": upload})
    assert imported.status_code == 200
    assert counts() == before


def test_outsider_report_switch_to_a_is_404(world: World) -> None:
    client = client_for(world.cast.b_clerk)
    url = reverse("web:report", kwargs=report_kwargs("B1"))
    assert client.get(url).status_code == 200
    switched = client.get(url, {"unit": "A1", "year": str(YEAR)}, follow=True)
    assert switched.status_code == 404
    assert A_MARK not in switched.content.decode()


def test_calendar_review_and_audit_are_not_for_clerks(world: World) -> None:
    client = client_for(world.cast.b_clerk)
    before = counts()
    for _, url in all_urls(world, lambda n: n.startswith(("calendar", "review", "audit"))):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"form": "day", "day-date": "2026-12-01"}).status_code == 404
    assert counts() == before


def test_review_run_is_private_to_whoever_ran_it(world: World) -> None:
    supervisor = client_for(world.cast.supervisor)
    assert supervisor.get(reverse("web:review")).status_code == 200
    for _, url in all_urls(world, lambda n: n in RUN_SCOPED):
        assert supervisor.get(url).status_code == 404, url
        assert client_for(world.cast.admin).get(url).status_code == 200, url


def test_supervisor_sees_every_street(world: World) -> None:
    client = client_for(world.cast.supervisor)
    records = [*world.a_records, world.b_record, world.c_record]
    for r in records:
        page = client.get(reverse("web:detail", args=[SLUG, r.pk]))
        assert page.status_code == 200, r.number
        assert r.number in page.content.decode()
        assert 'class="moves"' not in page.content.decode(), "a supervisor is offered a move"
    listing = client.get(reverse("web:list", args=[SLUG])).content.decode()
    exported = xlsx_text(client.get(reverse("web:export", args=[SLUG])).content)
    for r in records:
        assert r.number in listing and r.number in exported
    only_c = client.get(reverse("web:list", args=[SLUG]), {"unit": "C1"}).content.decode()
    assert "CX-2026-0001" in only_c and A_MARK not in only_c and "BX-2026" not in only_c
    for code in ("A1", "B1", "C1", "D1"):
        for name in ("report", "report_json"):
            got = client.get(reverse(f"web:{name}", kwargs=report_kwargs(code)))
            assert got.status_code == 200, (code, name)
    docx = client.get(reverse("web:report_docx", kwargs=report_kwargs("C1")))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    data = client.get(reverse("web:report_json", kwargs=report_kwargs("A1"))).json()
    assert data["unit"] == "A1"
    assert data["table3"]["granted"]["natural_person"] == 1


def test_supervisor_may_not_move_or_edit(world: World) -> None:
    client = client_for(world.cast.supervisor)
    before = counts()
    statuses = {r.pk: r.status for r in world.a_records}
    tried = [(SLUG, r, m) for r in world.a_records for m in MOVES] + [
        (PSLUG, p, m) for p in world.a_petitions for m in PETITION_MOVES
    ]
    for slug, r, m in tried:
        url = reverse("web:move", args=[slug, r.pk, m.code])
        detail = reverse("web:detail", args=[slug, r.pk])
        for response in (client.get(url), client.post(url, MOVE_POST)):
            assert response.status_code in (302, 403, 404), (r.number, m.code)
            if response.status_code == 302:
                assert response["Location"] == detail
    for name, url in all_urls(world, lambda n: n in {"correct", "void", "undo"}):
        for response in (client.get(url), client.post(url, MOVE_POST)):
            assert response.status_code == 302, (name, url)
    for name, url in all_urls(world, lambda n: n in {"report_edit", "report_input"}):
        assert client.get(url).status_code in (403, 404), name
        posted = client.post(url, {"source_note": "越权", "problems": "越权", "other": "越权"})
        assert posted.status_code in (403, 404), name
    assert counts() == before
    assert {
        r.pk: r.status for r in Application.objects.filter(unit=world.cast.street_a)
    } == statuses
    refused = client.get(
        reverse("web:move", args=[SLUG, world.a_records[0].pk, "reply"]), follow=True
    )
    # The supervisor is told why: the role, not the moment, forbids it.
    assert "您没有执行「答复」的权限" in refused.content.decode()


def test_anonymous_is_sent_to_login_everywhere(world: World) -> None:
    client = Client()
    before = counts()
    login = reverse("login")
    for name, url in all_urls(world):
        for response in (client.get(url), client.post(url, MOVE_POST)):
            assert response.status_code == 302, (name, url)
            target = urlsplit(response["Location"])
            assert target.path == login, (name, url, response["Location"])
    assert counts() == before


# --- The HTTP API (/api/v1/) and its tokens' admin page --------------------------------------
# The same sweep for the API: every URL pattern of the ninja site and of the token page is
# listed here, tried with a token (or an admin) of the neighbouring 街道 and anonymously.


@dataclass
class ApiWorld:
    world: World
    a_token: str
    b_token: str  # 街道 B's platform, allowed to write
    a_token_pk: int
    b_admin: Any
    toy_number: str
    order_number: str


@pytest.fixture
def api_world(world: World) -> Iterator[ApiWorld]:
    from fazhi.core.api import tokens
    from fazhi.core.records.tests.toy import actions as toy
    from fazhi.ledgers.hotline import actions as hotline

    with time_machine.travel(NOW, tick=False):
        cast = world.cast
        a = tokens.issue_token(unit=cast.street_a, name="东湖推送", scope="write", by=None)
        b = tokens.issue_token(unit=cast.street_b, name="西城推送", scope="write", by=None)
        b_admin = add_user(
            username="b_admin", unit=cast.street_b, role="admin", password="x", by=None,
            check_password=False,
        )  # fmt: skip
        case = toy.register(
            unit=cast.street_a, by=cast.a_clerk, received_on=d(11, 20), subject="甲事项",
            number=f"{A_MARK}T001",
        )  # fmt: skip
        order = hotline.upsert_order(
            unit=cast.street_a, by=cast.a_clerk, number=f"{A_MARK}H001",
            called_at=NOW - dt.timedelta(days=2), category="help", content="甲诉求",
            requester=f"{A_NAME}1", phone="13900000001",
        ).order  # fmt: skip
        yield ApiWorld(world, a.secret, b.secret, a.token.pk, b_admin, case.number, order.number)


def _a_records(w: ApiWorld) -> list[dict[str, Any]]:
    return [{"unit": "A1", "number": p.number} for p in w.world.a_petitions]


API_URLS: dict[str, Callable[[ApiWorld], list[dict[str, Any]]]] = {
    "openapi-json": lambda w: [{}],
    "api-root": lambda w: [{}],
    "petitions_list": lambda w: [{}],
    "petitions_read": _a_records,
    "toy_list": lambda w: [{}],
    "toy_read": lambda w: [{"unit": "A1", "number": w.toy_number}],
    "toy_upsert": lambda w: [{"unit": "A1", "number": w.toy_number}],  # the same path, PUT
    "hotline_list": lambda w: [{}],
    "hotline_read": lambda w: [{"unit": "A1", "number": w.order_number}],
    "hotline_upsert": lambda w: [{"unit": "A1", "number": w.order_number}],
}
API_A_SCOPED = {"petitions_read", "toy_read", "toy_upsert", "hotline_read", "hotline_upsert"}
# A valid body for each resource's PUT, so that only the door can refuse the outsider's push.
PUSHES = {
    "toy": '{"received_on": "2026-11-20", "subject": "越权"}',
    "hotline": '{"called_at": "2026-11-20T09:00:00+08:00", "category": "help", "content": "越权"}',
}
API_PUBLIC = {"openapi-json", "api-root"}  # the schema, and ninja's root (a 404): no tenant data
TOKEN_URLS: dict[str, Callable[[ApiWorld], list[dict[str, Any]]]] = {
    "list": lambda w: [{}],
    "revoke": lambda w: [{"pk": w.a_token_pk}],
}


def api_urls(w: ApiWorld, names: Callable[[str], bool] = lambda n: True) -> list[tuple[str, str]]:
    return [
        (name, reverse(f"api:{name}", kwargs=kwargs))
        for name, build in API_URLS.items()
        if names(name)
        for kwargs in build(w)
    ]


def bearer(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_every_api_url_is_in_the_sweep() -> None:
    from fazhi.core.api import manage_urls
    from fazhi.core.api.urls import API

    patterns, _, namespace = API.urls
    assert namespace == "api"
    names = {p.name for p in patterns}
    assert None not in names
    assert names == set(API_URLS), (
        f"not swept: {names - set(API_URLS)}; stale: {set(API_URLS) - names}"
    )
    assert {p.name for p in manage_urls.urlpatterns} == set(TOKEN_URLS)


def test_outsider_token_gets_404_on_everything_of_a(api_world: ApiWorld) -> None:
    client = bearer(api_world.b_token)
    before = counts()
    for name, url in api_urls(api_world, lambda n: n in API_A_SCOPED):
        got = client.get(url)
        assert got.status_code == 404, (name, url)
        assert A_MARK not in got.content.decode() and A_NAME not in got.content.decode()
        missing = client.get(url.replace("/A1/", "/B1/"))
        assert got.content == missing.content, (name, url)
        push = PUSHES.get(name.rsplit("_", 1)[0], PUSHES["toy"])
        pushed = client.put(url, data=push, content_type="application/json")
        assert pushed.status_code in (404, 405), (name, url, pushed.status_code)
    assert counts() == before


def test_outsider_token_lists_show_nothing_of_a(api_world: ApiWorld) -> None:
    client = bearer(api_world.b_token)
    for name, url in api_urls(api_world, lambda n: n.endswith("_list")):
        for query in ({}, {"unit": "A1"}, {"number": api_world.toy_number}, {"limit": "200"}):
            got = client.get(url, query)
            assert got.status_code == 200, (name, query)
            text = got.content.decode()
            assert A_MARK not in text and "A1" not in text, (name, query)
    # The positive control: A's own token sees them.
    mine = bearer(api_world.a_token)
    for name, url in api_urls(api_world, lambda n: n.endswith("_list")):
        assert A_MARK in mine.get(url).content.decode(), name
    for name, url in api_urls(api_world, lambda n: n in API_A_SCOPED):
        assert mine.get(url).status_code == 200, (name, url)


def test_anonymous_gets_401_everywhere_but_the_schema(api_world: ApiWorld) -> None:
    client = Client()
    before = counts()
    for name, url in api_urls(api_world):
        for response in (
            client.get(url),
            client.put(url, data="{}", content_type="application/json"),
        ):
            text = response.content.decode()
            assert A_MARK not in text and A_NAME not in text, (name, url)
            if name in API_PUBLIC:
                continue
            assert response.status_code in (401, 405), (name, url, response.status_code)
            if response.status_code == 401:
                assert response.json()["errors"][0]["loc"] == ["header", "Authorization"]
    assert client.get(reverse("api:openapi-json")).status_code == 200
    assert counts() == before


def test_token_pages_are_for_the_units_admins_only(api_world: ApiWorld) -> None:
    from fazhi.core.api.models import ApiToken

    w = api_world.world
    urls = [
        (name, reverse(f"tokens:{name}", kwargs=kwargs))
        for name, build in TOKEN_URLS.items()
        for kwargs in build(api_world)
    ]
    for user in (w.cast.b_clerk, w.cast.supervisor, w.cast.a_clerk):
        client = client_for(user)
        for name, url in urls:
            assert client.get(url).status_code in (404, 405), (user, name)
            assert (
                client.post(
                    url, {"add-name": "越权", "add-unit": "A1", "add-scope": "write"}
                ).status_code
                == 404
            ), (user, name)
    b_admin = client_for(api_world.b_admin)
    listing = b_admin.get(reverse("tokens:list")).content.decode()
    assert "西城推送" in listing and "东湖推送" not in listing
    assert b_admin.post(reverse("tokens:revoke", args=[api_world.a_token_pk])).status_code == 404
    refused = b_admin.post(
        reverse("tokens:list"), {"add-name": "越权", "add-unit": "A1", "add-scope": "write"}
    )
    assert "选择一个有效的选项" in refused.content.decode() or "有效" in refused.content.decode()
    assert ApiToken.objects.filter(revoked_at__isnull=False).count() == 0
    assert ApiToken.objects.count() == 2
    anonymous = Client()
    for name, url in urls:
        response = anonymous.get(url)
        assert response.status_code in (302, 405), name
        if response.status_code == 302:
            assert urlsplit(response["Location"]).path == reverse("login")
