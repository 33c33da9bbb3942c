"""Table 二 and section 一（一） of the annual report from the 主动公开 register: the figures against
an independent count of the raw rows, the hand-entered path that stays, per-cell sources, links
to the entries, and the reviewer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client

from fazhi.core.reports.actions import save_input, save_texts
from fazhi.core.reports.render_docx import render_docx
from fazhi.core.reports.render_html import render_html
from fazhi.core.web.figures import filter_by_figure
from fazhi.ledgers.disclosure import report
from fazhi.ledgers.disclosure.proactive import actions
from fazhi.ledgers.disclosure.proactive.models import ProactiveItem
from fazhi.review.api import review_bytes

D = dt.date
pytestmark = pytest.mark.django_db
YEAR = 2026


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(dt.datetime(2026, 11, 25, 10, tzinfo=dt.UTC), tick=False):
        yield


def add(cast: Any, made: dt.date, published: dt.date | None = None, **kw: Any) -> ProactiveItem:
    unit = kw.pop("unit", cast.street_a)
    by = cast.a_clerk if unit == cast.street_a else cast.b_clerk
    fields = {"title": f"条目{made}", "category": "art20_07"} | kw
    if published:
        fields |= {"published_on": published, "channel": "website"}
    return actions.register(unit=unit, by=by, made_on=made, **fields)


@pytest.fixture
def register(cast: Any) -> dict[str, ProactiveItem]:
    doc = {"category": "art20_01", "table2_kind": "normative_documents"}
    entries = {
        "issued": add(cast, D(2026, 3, 2), D(2026, 3, 10), doc_action="issued", **doc),
        "issued_pending": add(cast, D(2026, 5, 6), doc_action="issued", **doc),
        # due 2026-06-30 (端午 6-19 off): published late
        "repealed_late": add(cast, D(2026, 6, 1), D(2026, 7, 20), doc_action="repealed", **doc),
        # made in 2025, published in 2026: 制发 in 2025, a 2026 publication
        "issued_2025": add(cast, D(2025, 12, 29), D(2026, 1, 8), doc_action="issued", **doc),
        "penalty_1": add(
            cast,
            D(2026, 4, 1),
            D(2026, 4, 10),
            category="art20_06",
            table2_kind="penalty",
            quantity=5,
        ),
        "penalty_2": add(
            cast,
            D(2026, 8, 3),
            D(2026, 8, 5),
            category="art20_06",
            table2_kind="penalty",
            quantity=3,
        ),
        "coercion": add(
            cast,
            D(2026, 9, 1),
            D(2026, 9, 2),
            category="art20_06",
            table2_kind="coercion",
            quantity=1,
        ),
        "licensing_rules": add(
            cast, D(2026, 2, 2), D(2026, 2, 3), category="art20_05", table2_kind="licensing"
        ),
        "licensing": add(
            cast,
            D(2026, 10, 12),
            D(2026, 10, 13),
            category="art20_05",
            table2_kind="licensing",
            quantity=7,
        ),
        "fees": add(
            cast,
            D(2026, 7, 1),
            D(2026, 7, 2),
            category="art20_08",
            table2_kind="fees",
            amount=Decimal("12345.60"),
        ),
        "budget": add(cast, D(2026, 3, 20), D(2026, 3, 25)),
        # due 2026-09-29, never published: overdue at the year's end
        "forgotten": add(cast, D(2026, 9, 1), category="art20_13"),
        "voided": add(cast, D(2026, 4, 1), D(2026, 4, 2), doc_action="issued", **doc),
        "other_unit": add(
            cast, D(2026, 4, 1), D(2026, 4, 2), doc_action="issued", unit=cast.street_b, **doc
        ),
    }
    actions.void(entries["voided"], by=cast.a_leader, reason="重复登记")
    return entries


def independent_table2(unit: Any, year: int) -> dict[str, dict[str, Any]]:
    """Counted from the raw rows in Python, not through the predicates under test."""
    rows = ProactiveItem.with_voided.filter(unit=unit).values()
    t: dict[str, dict[str, Any]] = {
        "regulations": {"issued": 0, "repealed": 0},
        "normative_documents": {"issued": 0, "repealed": 0},
        "licensing": {"decisions": 0},
        "penalty": {"decisions": 0},
        "coercion": {"decisions": 0},
        "fees": {"amount_wan": Decimal(0)},
    }
    for r in rows:
        if r["voided_at"] is not None or r["made_on"].year != year or not r["table2_kind"]:
            continue
        kind = r["table2_kind"]
        if kind in ("regulations", "normative_documents"):
            t[kind][r["doc_action"]] += 1
        elif kind == "fees":
            t[kind]["amount_wan"] += r["amount"] / 10000
        else:
            t[kind]["decisions"] += r["quantity"]
    t["fees"]["amount_wan"] = float(round(t["fees"]["amount_wan"], 4))
    return t


def test_table_2_from_the_register_matches_an_independent_count(
    cast: Any, register: dict[str, ProactiveItem]
) -> None:
    built = report.build(cast.street_a, YEAR)
    expected = independent_table2(cast.street_a, YEAR)
    for row, cells in expected.items():
        for col, value in cells.items():
            assert built.table2[row][col] == value, (row, col)
    # and the hand-checked numbers, so that both counts cannot be wrong the same way
    assert built.table2["normative_documents"] == {"issued": 2, "repealed": 1, "in_force": 0}
    assert built.table2["penalty"]["decisions"] == 8
    assert built.table2["licensing"]["decisions"] == 7
    assert built.table2["fees"]["amount_wan"] == 1.2346
    assert report.build(cast.street_a, 2025).table2["normative_documents"]["issued"] == 1


def test_section_1_1_states_the_years_publications(
    cast: Any, register: dict[str, ProactiveItem]
) -> None:
    built = report.build(cast.street_a, YEAR)
    # Published in 2026: all but issued_pending, forgotten, the voided and B's; repealed_late late.
    published = [
        k for k in register if k not in {"issued_pending", "forgotten", "voided", "other_unit"}
    ]
    assert built.proactive is not None
    assert (built.proactive.published, built.proactive.on_time) == (
        len(published),
        len(published) - 1,
    )
    assert (built.proactive.overdue, built.proactive.as_of) == (2, D(2026, 11, 25))
    text = built.proactive_summary()
    assert text == (
        f"2026年，本单位主动公开政府信息{len(published)}条，其中在信息形成或者变更之日起20个工作日内"
        f"公开{len(published) - 1}条。截至2026年11月25日，另有2条超过公开期限尚未公开。"
    )
    doc = built.document(None)
    paragraphs = [b for b in doc.blocks if getattr(b, "key", "") == "overview_proactive_register"]
    assert [p.text for p in paragraphs] == [text]
    # Once the year is over the sentence speaks of 12月31日; publishing one of them in January
    # does not take it out of the year's overdue count.
    with time_machine.travel(dt.datetime(2027, 1, 10, 10, tzinfo=dt.UTC), tick=False):
        actions.publish(register["forgotten"], by=cast.a_clerk, on=D(2027, 1, 4), channel="website")
        later = report.build(cast.street_a, YEAR)
    assert later.proactive is not None
    assert (later.proactive.overdue, later.proactive.as_of) == (2, D(2026, 12, 31))
    assert "截至2026年12月31日，另有2条超过公开期限尚未公开。" in later.proactive_summary()


def test_every_register_figure_links_to_its_entries(
    cast: Any, register: dict[str, ProactiveItem]
) -> None:
    from fazhi.ledgers.disclosure.ui import XXGK_REPORT

    assert XXGK_REPORT.link is not None
    built = report.build(cast.street_a, YEAR)
    doc = built.document(XXGK_REPORT.link(cast.street_a, YEAR))
    table = next(t for t in doc.tables() if t.key == "table2")
    links = {c.link for row in table.rows for c in row if c.link}
    assert len(links) == 8  # 2 × 2 document cells, 3 decision cells, 1 fee cell
    expected = {
        "normative_documents:issued": {"issued", "issued_pending"},
        "normative_documents:repealed": {"repealed_late"},
        "penalty:decisions": {"penalty_1", "penalty_2"},
        "licensing:decisions": {"licensing"},
        "fees:amount_wan": {"fees"},
        "regulations:issued": set(),
    }
    items = ProactiveItem.objects.filter(unit=cast.street_a)
    for cell, keys in expected.items():
        row, col = cell.split(":")
        found = filter_by_figure(items, f"xxgk.table2.{row}.{col}:{YEAR}")
        assert set(found) == {register[k] for k in keys}, cell
    # 现行有效件数 is typed in, never a link.
    in_force = [c for row in table.rows for c in row if c.link and "in_force" in c.link]
    assert in_force == []


def test_the_list_behind_a_figure_shows_the_entries(
    cast: Any, register: dict[str, ProactiveItem]
) -> None:
    from fazhi.ledgers.disclosure.ui import XXGK_REPORT

    assert XXGK_REPORT.link is not None
    client = Client()
    client.force_login(cast.a_clerk)
    url = XXGK_REPORT.link(cast.street_a, YEAR)("penalty", "decisions")
    page = client.get(url).content.decode()
    assert register["penalty_1"].number in page and register["penalty_2"].number in page
    assert register["coercion"].number not in page
    assert "表二 行政处罚 · 本年处理决定数量" in page
    outsider = Client()
    outsider.force_login(cast.b_clerk)
    assert register["penalty_1"].number not in outsider.get(url).content.decode()


def test_typed_figures_stay_where_the_register_holds_no_row(
    cast: Any, register: dict[str, ProactiveItem]
) -> None:
    data = {
        "regulations": {"issued": 1, "repealed": 0, "in_force": 4},
        "normative_documents": {"issued": 9, "repealed": 9, "in_force": 12},
        "licensing": {"decisions": 99},
        "penalty": {"decisions": 99},
        "coercion": {"decisions": 99},
        "fees": {"amount_wan": 9.5},
    }
    save_input(
        unit=cast.street_a,
        kind="xxgk",
        year=YEAR,
        key="table2",
        by=cast.a_clerk,
        data=data,
        source_note="区司法局规范性文件备案台账",
    )
    built = report.build(cast.street_a, YEAR)
    # The register holds 规范性文件, 许可, 处罚, 强制 and 收费 in 2026; not 规章.
    assert built.table2["regulations"] == {"issued": 1, "repealed": 0, "in_force": 4}
    assert built.table2["normative_documents"] == {"issued": 2, "repealed": 1, "in_force": 12}
    assert built.table2["penalty"]["decisions"] == 8
    assert built.table2_sources["regulations"] == {
        "issued": "input",
        "repealed": "input",
        "in_force": "input",
    }
    assert built.table2_sources["normative_documents"] == {
        "issued": "register",
        "repealed": "register",
        "in_force": "input",
    }
    lines = built.table2_source_lines()
    assert lines[0].startswith(
        "数据来源：本单位主动公开政府信息台账（按信息形成（变更）日期计入年度"
    )
    assert "行政规范性文件·本年制发件数" in lines[0] and "规章·本年制发件数" not in lines[0]
    assert lines[1].startswith(
        "数据来源：区司法局规范性文件备案台账（手工填报）——规章·本年制发件数"
    )
    html = render_html(built.document(None))
    assert all(line in html for line in lines)
    # The sources are for the unit's eyes: the published .docx carries none.
    import io

    import docx

    text = "\n".join(
        p.text for p in docx.Document(io.BytesIO(render_docx(built.document(None)))).paragraphs
    )
    assert "数据来源" not in text


def test_a_unit_without_a_register_keeps_its_typed_table_and_no_sentence(cast: Any) -> None:
    save_input(
        unit=cast.street_b,
        kind="xxgk",
        year=YEAR,
        key="table2",
        by=cast.b_clerk,
        data={"normative_documents": {"issued": 3, "repealed": 0, "in_force": 7}},
        source_note="手工统计",
    )
    built = report.build(cast.street_b, YEAR)
    assert built.table2["normative_documents"] == {"issued": 3, "repealed": 0, "in_force": 7}
    assert built.table2["penalty"]["decisions"] == 0
    assert built.table2_sources["penalty"]["decisions"] == "register"
    assert built.table2_sources["regulations"]["in_force"] == "missing"
    assert built.proactive_summary() == ""


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_the_reviewer_reads_table_2_and_finds_no_error(
    cast: Any, register: dict[str, ProactiveItem], fmt: str
) -> None:
    save_texts(
        unit=cast.street_a,
        kind="xxgk",
        year=YEAR,
        by=cast.a_clerk,
        texts={
            "overview_proactive": "通过政府网站和政务新媒体主动公开政府信息。",
            "overview_management": "严格落实公开前保密审查。",
            "overview_platform": "维护政府信息公开专栏。",
            "overview_oversight": "开展工作考核和社会评议。",
            "problems": "公开的及时性有待提高。",
            "other": "无其他需要报告的事项。",
            "signed_on": "2027-01-20",
        },
    )
    doc = report.build(cast.street_a, YEAR).document(None)
    if fmt == "docx":
        data, name = render_docx(doc), "report.docx"
    else:
        data, name = f"<html><body>{render_html(doc)}</body></html>".encode(), "report.html"
    result = review_bytes(name, data)
    assert [f for f in result.findings if f.severity == "error"] == []
    assert result.xxgk is not None
    parsed = result.xxgk.to_json()["table2"]
    assert parsed["normative_documents"]["issued"] == 2
    assert parsed["penalty"]["decisions"] == 8
    assert parsed["licensing"]["decisions"] == 7


def test_the_demo_streets_2026_report_passes_fazhi_review(tmp_path: Any) -> None:
    """The demo uses the register: its report's table 二 is the register's, counted
    independently, and `fazhi review` of the .docx finds no error."""
    import io
    import json

    from django.core.management import call_command

    from fazhi.core.management.commands.seed_demo import STREETS
    from fazhi.core.tenancy.models import OrgUnit

    call_command("seed_demo", stdout=io.StringIO())
    unit = OrgUnit.objects.get(code=STREETS[0][0])
    assert ProactiveItem.objects.filter(unit=unit, published_on__year=YEAR).count() > 20
    save_texts(
        unit=unit,
        kind="xxgk",
        year=YEAR,
        by=unit_user(unit),
        texts={"problems": "公开的及时性有待提高。", "signed_on": "2027-01-20"},
    )
    built = report.build(unit, YEAR)
    expected = independent_table2(unit, YEAR)
    assert {r: {c: built.table2[r][c] for c in cells} for r, cells in expected.items()} == expected
    assert built.table2["penalty"]["decisions"] > 0
    assert built.proactive_summary().startswith("2026年，本单位主动公开政府信息")
    path = tmp_path / "report.docx"
    path.write_bytes(render_docx(built.document(None)))
    out = io.StringIO()
    call_command("review", str(path), "--json", stdout=out)
    findings = json.loads(out.getvalue())["reports"][0]["findings"]
    assert [f for f in findings if f["severity"] == "error"] == []


def unit_user(unit: Any) -> Any:
    from fazhi.core.tenancy.models import Membership

    return Membership.objects.filter(unit=unit, role="clerk").get().user
