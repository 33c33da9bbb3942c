"""The 法治政府建设情况报告: five items in order, passages only from ledgers the unit keeps,
a district's sums with links, live tokens, carry-over, the CLI and the pages."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from fazhi.core.audit.models import AuditEvent
from fazhi.core.reports import fazhi
from fazhi.core.reports.actions import save_texts
from fazhi.core.reports.document import Chart, Heading, Paragraph, Table
from fazhi.core.reports.render_html import render_html
from fazhi.core.tenancy.actions import add_user
from fazhi.core.web.fazhi_report import _link
from fazhi.core.web.registry import get_report, reports

from .conftest import add_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("toy_passages")]
YEAR = 2026


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def headings(doc: Any) -> list[str]:
    return [b.text for b in doc.blocks if isinstance(b, Heading)]


def paragraphs(doc: Any) -> list[str]:
    return [b.text for b in doc.blocks if isinstance(b, Paragraph)]


def test_registered_as_a_core_report() -> None:
    found = get_report("fazhi")
    assert found is not None
    ledger, ui = found
    assert ledger is None and ui.name == "法治政府建设情况报告"
    assert [r.kind for r in reports()][:1] == ["fazhi"]
    assert get_report("xxgk") is not None and get_report("xxgk")[0] is not None  # type: ignore[index]


def test_five_items_in_order_with_next_year_and_leaders_from_passages(cast: Any) -> None:
    add_case(cast.street_a, cast.a_clerk)
    doc = fazhi.build(cast.street_a, YEAR).document()
    assert headings(doc) == [
        "一、推进法治政府建设的主要举措和成效",
        "二、存在的不足和原因",
        "三、党政主要负责人履行推进法治建设第一责任人职责情况",
        "四、2027年推进法治政府建设的主要安排",
        "五、其他需要报告的情况",
    ]
    blocks = doc.blocks
    leaders_at = next(
        i for i, b in enumerate(blocks) if isinstance(b, Heading) and "第一责任人" in b.text
    )
    leaders = next(
        b for b in blocks[leaders_at:] if isinstance(b, Paragraph) and b.key.startswith("passage:")
    )
    assert leaders.text == "主要负责人带头督办示例案件1件，2027年继续督办。"
    measures = [p for p in paragraphs(doc) if p.startswith("依法办理示例案件")]
    assert measures == ["依法办理示例案件1件。"]
    # the unit has typed nothing in 三: only the passage, no placeholder there
    assert not any(
        isinstance(b, Paragraph) and b.placeholder and b.key == "leaders" for b in blocks
    )


def test_a_ledger_the_unit_does_not_keep_contributes_nothing(cast: Any) -> None:
    add_case(cast.street_a, cast.a_clerk)
    report = fazhi.build(cast.street_b, YEAR)
    text = "".join(paragraphs(report.document()))
    assert "示例案件" not in text and "0件" not in text
    data = report.as_json()
    assert all(s["passages"] == [] for s in data["sections"])  # no ledger kept by B at all
    assert "第一责任人" in "".join(headings(report.document()))  # the item is still there


def test_district_sums_its_streets_each_linking_to_the_units_behind(cast: Any) -> None:
    add_case(cast.street_a, cast.a_clerk)
    add_case(cast.street_a, cast.a_clerk)
    add_case(cast.street_b, cast.b_clerk)
    add_case(cast.street_b, cast.b_clerk, on=fazhi.dt.date(2025, 3, 1))  # another year
    own = fazhi.build(cast.district, YEAR)
    assert "示例案件" not in "".join(paragraphs(own.document()))  # the district's own: none
    report = fazhi.build(cast.district, YEAR, subtree=True)
    assert report.figures["toy.received"].value == 3
    assert [(u.code, f["toy.received"].value) for u, f in report.streets] == [("A1", 2), ("B1", 1)]
    doc = report.document(_link(cast.district, YEAR))
    table = next(b for b in doc.blocks if isinstance(b, Table) and b.key == "streets")
    rows = {r[0].value: r[1] for r in table.rows}
    assert rows["东湖街道"].value == "2" and "under=A1" in rows["东湖街道"].link
    assert rows["西城街道"].value == "1" and "under=B1" in rows["西城街道"].link
    assert rows["合计"].value == "3" and "under=D1" in rows["合计"].link
    assert "figure=toy.received%3A2026" in rows["合计"].link
    chart = next(b for b in doc.blocks if isinstance(b, Chart))
    assert [(b.label, b.value) for b in chart.bars] == [("东湖街道", 2.0), ("西城街道", 1.0)]
    assert "under=B1" in chart.bars[1].link
    # every link lists exactly the records its figure sums: a street's subtree, the district's
    # whole subtree for 合计 and for the figures in the text, that year
    supervisor = client_for(cast.supervisor)
    for link, count in ((rows["西城街道"].link, 1), (rows["合计"].link, 3)):
        page = supervisor.get(link)
        assert page.status_code == 200
        assert page.content.decode().count("示例事项") == count, link
    assert "依法办理示例案件3件。" in paragraphs(doc)
    (measures,) = [
        b for b in doc.blocks if isinstance(b, Paragraph) and b.key == "passage:test.toy.measures"
    ]
    (figure,) = [i for i in measures.inlines if i.link]
    assert supervisor.get(figure.link).content.decode().count("示例事项") == 3
    # item 3 is about the district's own leaders: its streets' records are not theirs
    assert "主要负责人带头督办" not in "".join(paragraphs(doc))
    add_case(cast.district, add_user(username="d_clerk", unit=cast.district, role="clerk",
                                     password="x" * 12, by=None, check_password=False))  # fmt: skip
    again = fazhi.build(cast.district, YEAR, subtree=True).document(_link(cast.district, YEAR))
    (leaders,) = [
        b for b in again.blocks if isinstance(b, Paragraph) and b.key == "passage:test.toy.leaders"
    ]
    assert "主要负责人带头督办示例案件1件" in leaders.text
    (own_figure,) = [i for i in leaders.inlines if i.link]
    assert "unit=D1" in own_figure.link
    assert supervisor.get(own_figure.link).content.decode().count("示例事项") == 1
    table = next(b for b in again.blocks if isinstance(b, Table) and b.key == "streets")
    own_row = {r[0].value: r[1] for r in table.rows}["本级"]
    assert own_row.value == "1" and "unit=D1" in own_row.link


def test_tokens_show_the_current_value_and_warn_when_it_changed(cast: Any) -> None:
    add_case(cast.street_a, cast.a_clerk)
    texts = {"measures": "全年收到示例案件{{toy.received=1}}件，数量平稳。"}
    save_texts(unit=cast.street_a, kind="fazhi", year=YEAR, texts=texts, by=cast.a_clerk)
    report = fazhi.build(cast.street_a, YEAR)
    assert "全年收到示例案件1件，数量平稳。" in paragraphs(report.document())
    assert report.stale == [] and report.warnings == []
    add_case(cast.street_a, cast.a_clerk)
    report = fazhi.build(cast.street_a, YEAR)
    assert "全年收到示例案件2件，数量平稳。" in paragraphs(report.document())
    [stale] = report.stale
    assert (stale.code, stale.written, stale.current) == ("toy.received", "1", "2")
    assert "数量平稳" in report.warnings[0] and "写于该数据为1时，当前为2" in report.warnings[0]
    html = render_html(report.document(_link(cast.street_a, YEAR)))
    assert '<mark class="stale" title="写入时为1，当前为2">' in html
    assert "figure=toy.received%3A2026" in html
    assert report.as_json()["stale"][0]["current"] == "2"


def test_an_unknown_token_keeps_its_written_value_and_is_flagged(cast: Any) -> None:
    texts = {"other": "另有{{nosuch.figure=7}}项。"}
    save_texts(unit=cast.street_a, kind="fazhi", year=YEAR, texts=texts, by=cast.a_clerk)
    report = fazhi.build(cast.street_a, YEAR)
    assert "另有7项。" in paragraphs(report.document())
    assert report.stale[0].current == "（未知指标）"


def test_sentences_carried_over_word_for_word_are_marked(cast: Any) -> None:
    last = {
        "measures": "我街道坚持依法行政，持续完善制度建设。全年收到示例案件{{toy.received=5}}件。",
        "signed_on": "2026-01-20",
    }
    save_texts(unit=cast.street_a, kind="fazhi", year=YEAR - 1, texts=last, by=cast.a_clerk)
    assert fazhi.last_year_texts(cast.street_a, YEAR) == {"measures": last["measures"]}
    now = {"measures": "我街道坚持依法行政，持续完善制度建设。本年新建调解室两处。"}
    save_texts(unit=cast.street_a, kind="fazhi", year=YEAR, texts=now, by=cast.a_clerk)
    assert fazhi.carried_over(cast.street_a, YEAR) == [
        ("measures", "我街道坚持依法行政，持续完善制度建设。")
    ]
    report = fazhi.build(cast.street_a, YEAR)
    assert report.warnings == [
        "与上一年度报告文字完全相同：“我街道坚持依法行政，持续完善制度建设。”"
    ]
    html = render_html(report.document())
    assert (
        '<mark class="carried" title="与上一年度报告文字相同">我街道坚持依法行政，持续完善制度建设。</mark>'
        "本年新建调解室两处。"
    ) in html
    assert fazhi.carried_over(cast.street_b, YEAR) == []


@pytest.mark.parametrize("fmt", ["json", "html", "docx"])
def test_cli_writes_each_format(cast: Any, tmp_path: Path, fmt: str) -> None:
    add_case(cast.street_a, cast.a_clerk)
    out = tmp_path / f"r.{fmt}"
    call_command(
        "report",
        "fazhi",
        "--unit",
        "A1",
        "--year",
        str(YEAR),
        "--format",
        fmt,
        "-o",
        str(out),
        stdout=io.StringIO(),
    )
    raw = out.read_bytes()
    if fmt == "json":
        data = json.loads(raw)
        assert data["kind"] == "fazhi" and data["unit"] == "A1"
        assert [s["key"] for s in data["sections"]] == [
            "measures",
            "problems",
            "leaders",
            "next",
            "other",
        ]
        assert data["sections"][0]["passages"] == [
            {"key": "test.toy.measures", "text": "依法办理示例案件1件。"}
        ]
    elif fmt == "html":
        page = raw.decode()
        assert "东湖街道2026年法治政府建设情况报告" in page and "四、2027年推进" in page
    else:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            body = z.read("word/document.xml").decode()
        assert "依法办理示例案件1件。" in body and "五、其他需要报告的情况" in body


def test_cli_names_the_kinds_on_a_wrong_one(cast: Any) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="fazhi"):
        call_command("report", "nosuch", "--unit", "A1", "--year", str(YEAR))


# In January the unit writes last year's report and may open this year's editor (a year after
# today is not served).
@time_machine.travel(dt.datetime(2027, 1, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_pages_view_edit_tokens_and_last_year(cast: Any) -> None:
    add_case(cast.street_a, cast.a_clerk)
    clerk = client_for(cast.a_clerk)
    view = reverse("web:report", args=["fazhi", "A1", YEAR])
    edit = reverse("web:report_edit", args=["fazhi", "A1", YEAR])
    page = clerk.get(view).content.decode()
    assert "依法办理示例案件" in page and "法治政府建设情况报告" in page
    form = clerk.get(edit).content.decode()
    assert 'data-token="{{toy.received=1}}"' in form
    assert "fazhi/report_edit.js" in form and "<script>" not in form
    before = AuditEvent.objects.filter(code="reports.fazhi.texts_saved").count()
    saved = clerk.post(
        edit, {"measures": "收到示例案件{{toy.received=1}}件。", "leaders": "书记带头述法。"}
    )
    assert saved.status_code == 302
    assert AuditEvent.objects.filter(code="reports.fazhi.texts_saved").count() == before + 1
    add_case(cast.street_a, cast.a_clerk)
    page = clerk.get(view).content.decode()
    assert "收到示例案件" in page and "写于该数据为1时，当前为2" in page
    # next year's editor starts from this year's text on request, saving nothing by itself
    next_edit = reverse("web:report_edit", args=["fazhi", "A1", YEAR + 1])
    assert "书记带头述法。" not in clerk.get(next_edit).content.decode()
    started = clerk.get(next_edit + "?from=last").content.decode()
    assert "书记带头述法。" in started and "已载入上一年度文字" in started
    assert fazhi.texts_for(cast.street_a, "fazhi", YEAR + 1) == {}
    index = clerk.get(reverse("web:reports")).content.decode()
    assert "法治政府建设情况报告" in index


def test_another_units_report_is_404(cast: Any) -> None:
    other = client_for(cast.b_clerk)
    for name in ("web:report", "web:report_edit", "web:report_docx", "web:report_json"):
        assert other.get(reverse(name, args=["fazhi", "A1", YEAR])).status_code == 404, name
    assert other.get(reverse("web:report", args=["fazhi", "B1", YEAR])).status_code == 200


def test_passage_registry_refuses_typos_and_second_definitions() -> None:
    from fazhi.core.metrics.passages import passages, register_passage

    with pytest.raises(KeyError, match="未知指标"):
        register_passage("test.typo", "measures", 1, "共{toy.recieved}件。", "toy.received")
    with pytest.raises(ValueError, match="section"):
        register_passage("test.bad", "intro", 1, "共{toy.received}件。", "toy.received")
    with pytest.raises(ValueError, match="twice"):
        register_passage(
            "test.toy.measures", "measures", 90, "另一句{toy.received}。", "toy.received"
        )
    assert "test.toy.leaders" in [p.key for p in passages("leaders")]
    keys = [p.key for p in passages("measures")]
    assert keys.index("xxgk.measures") < keys.index("xf.measures") < keys.index("test.toy.measures")


@pytest.mark.parametrize(
    ("signed_on", "refused"),
    [
        ("2027-01-20", ""),
        ("2028-12-31", ""),
        ("2026-12-02", "成文日期应在报告年度结束之后（不早于2027年1月1日）"),
        ("1900-01-01", "成文日期应在报告年度结束之后"),
        ("2029-01-01", "成文日期不应晚于2028年12月31日"),
        ("2027-02-30", "成文日期应为有效日期"),
    ],
)
def test_a_report_is_signed_after_its_year(cast: Any, signed_on: str, refused: str) -> None:
    """The 落款 of a year's report (either kind) is dated after the year, within the next."""
    from fazhi.core.reports.models import ReportText
    from fazhi.core.workflow import ActionError

    for kind in ("fazhi", "xxgk"):
        texts = {"other": "无。", "signed_on": signed_on}
        if refused:
            with pytest.raises(ActionError, match=refused):
                save_texts(unit=cast.street_a, kind=kind, year=2026, texts=texts, by=cast.a_clerk)
            assert not ReportText.objects.filter(unit=cast.street_a, kind=kind).exists()
        else:
            save_texts(unit=cast.street_a, kind=kind, year=2026, texts=texts, by=cast.a_clerk)
            stored = ReportText.objects.get(unit=cast.street_a, kind=kind, key="signed_on")
            assert stored.text == signed_on


def test_a_figure_repeated_500_times_is_one_warning(cast: Any) -> None:
    add_case(cast.street_a, cast.a_clerk)
    texts = {"measures": "收到示例案件{{toy.received=9}}件。" * 500}
    save_texts(unit=cast.street_a, kind="fazhi", year=YEAR, texts=texts, by=cast.a_clerk)
    report = fazhi.build(cast.street_a, YEAR)
    assert report.warnings == [
        "“收到示例案件1件。”写于该数据为9时，当前为1，请核对这句话是否仍然成立（该数字共出现500处）"
    ]
    assert [(s["written"], s["count"]) for s in report.as_json()["stale"]] == [("9", 500)]
