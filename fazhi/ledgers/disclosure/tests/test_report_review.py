"""The report fazhi generates must pass fazhi's own reviewer without errors, in every format."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from fazhi.core.reports.actions import save_input, save_texts
from fazhi.core.reports.render_docx import render_docx
from fazhi.core.reports.render_html import render_html
from fazhi.ledgers.disclosure import actions, report
from fazhi.ledgers.disclosure.models import Outcome
from fazhi.ledgers.disclosure.tests.replycase import content
from fazhi.review.api import review_bytes

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def unit_report(cast: Any) -> Any:
    with time_machine.travel(dt.datetime(2027, 1, 20, 10, tzinfo=dt.UTC), tick=False):
        plan = [
            (D(2025, 12, 22), None, "natural_person"),
            (D(2026, 1, 5), Outcome.GRANTED, "natural_person"),
            (D(2026, 2, 2), Outcome.PARTIAL, "business"),
            (D(2026, 3, 9), Outcome.UNABLE_1, "legal_services"),
            (D(2026, 6, 1), Outcome.NOT_PROCESSED_2, "natural_person"),
            (D(2026, 12, 28), None, "research"),
        ]
        for received, outcome, category in plan:
            app = actions.register(
                unit=cast.street_a,
                by=cast.a_clerk,
                received_on=received,
                applicant_category=category,
                applicant_name="申请人",
                content="某项目资料",
            )
            if outcome:
                actions.reply(
                    app=app,
                    by=cast.a_clerk,
                    on=received + dt.timedelta(days=10),
                    outcome=outcome,
                    **content(outcome),
                )
        save_texts(
            unit=cast.street_a,
            kind="xxgk",
            year=2026,
            by=cast.a_clerk,
            texts={
                "overview_proactive": "本年度通过政府网站主动公开政府信息。",
                "overview_management": "严格执行公开前保密审查制度，清理规范性文件。",
                "overview_platform": "完善政府网站信息公开专栏。",
                "overview_oversight": "将政务公开纳入年度考核，未发生责任追究情形。",
                "problems": "信息公开的及时性有待提高，下一步将加强培训。",
                "other": "无其他需要报告的事项。",
                "signed_on": "2027-01-15",
            },
        )
        save_input(
            unit=cast.street_a,
            kind="xxgk",
            year=2026,
            key="table4",
            by=cast.a_clerk,
            # A typed 总计 that does not add up is ignored: the total is computed from the parts.
            data={"review": {"upheld": 1, "corrected": 2, "other": 0, "pending": 0, "total": 5}},
            source_note="区司法局行政复议统计",
        )
        return report.build(cast.street_a, 2026)


def test_generated_report_figures(unit_report: Any) -> None:
    t3 = unit_report.table3
    assert t3["carried_in"]["total"] == 1
    assert t3["new"]["total"] == 5
    assert t3["total"]["total"] == 4
    assert t3["carried_out"]["total"] == 2
    assert unit_report.signed_on() == D(2027, 1, 15)
    text = unit_report.requests_summary()
    assert "共收到政府信息公开申请5件" in text and "结转下年度继续办理2件" in text


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_reviewer_finds_no_errors_in_the_generated_report(unit_report: Any, fmt: str) -> None:
    doc = unit_report.document(None)
    if fmt == "docx":
        data, name = render_docx(doc), "report.docx"
    else:
        data, name = f"<html><body>{render_html(doc)}</body></html>".encode(), "report.html"
    result = review_bytes(name, data)
    assert result.meta is not None
    assert result.meta.kind == "xxgk"
    assert result.meta.year == 2026
    errors = [f for f in result.findings if f.severity == "error"]
    assert errors == []
    assert result.xxgk is not None
    parsed = result.xxgk.to_json()["table3"]
    assert parsed["new"]["total"] == 5
    assert parsed["carried_out"]["research"] == 1
    statuses = {c.name: c.status for c in result.checks}
    assert statuses and set(statuses.values()) == {"pass"}, statuses
    assert result.xxgk.to_json()["table4"]["review"] == {
        "upheld": 1,
        "corrected": 2,
        "other": 0,
        "pending": 0,
        "total": 3,
    }


def _to_pdf(content: bytes, tmp_path: Any) -> bytes:
    """A PDF with a text layer, made the way units make them: Word → PDF (here LibreOffice)."""
    import shutil
    import subprocess

    from conftest import require_in_ci

    soffice = shutil.which("soffice")
    if soffice is None:
        require_in_ci("LibreOffice (soffice) is not installed")
    source = tmp_path / "report.docx"
    source.write_bytes(content)
    subprocess.run(
        [
            str(soffice),
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return bytes((tmp_path / "report.pdf").read_bytes())


def _tamper_table3(content: bytes, row_label: str, column: int, value: str) -> bytes:
    """The generated .docx with one cell of table 三 changed, as a unit editing it by hand."""
    import io

    import docx

    document = docx.Document(io.BytesIO(content))
    for table in document.tables:
        for row in table.rows:
            cells = list(dict.fromkeys(c._tc for c in row.cells))
            texts = ["".join(t for t in tc.itertext()).strip() for tc in cells]
            if texts and row_label in texts[0]:
                target = row.cells[-1 - column] if column else row.cells[-1]
                paragraph = target.paragraphs[0]
                for run in paragraph.runs[1:]:
                    run.text = ""
                paragraph.runs[0].text = value
                out = io.BytesIO()
                document.save(out)
                return out.getvalue()
    raise AssertionError(f"no row {row_label}")


@pytest.mark.render
def test_reviewer_reads_the_generated_report_as_pdf(unit_report: Any, tmp_path: Any) -> None:
    pdf = _to_pdf(render_docx(unit_report.document(None)), tmp_path)
    result = review_bytes("report.pdf", pdf)
    assert result.meta is not None
    assert (result.meta.kind, result.meta.year, result.meta.unit) == ("xxgk", 2026, "东湖街道")
    assert [f for f in result.findings if f.severity == "error"] == []
    assert any("共收到政府信息公开申请5件" in line.replace(" ", "") for line in result.lines)


@pytest.mark.render
def test_a_tampered_table_three_in_a_pdf_is_caught(unit_report: Any, tmp_path: Any) -> None:
    """The 总计 of 本年新收 changed from 5 to 7 breaks the row sum, the column identity and the
    narrative's figure, whether the tables are read as tables (pdfplumber) or from the text
    layer; the row labels are not headings and the table's header repeated on the next page
    is not a repeated passage."""
    content = _tamper_table3(render_docx(unit_report.document(None)), "本年新收", 0, "7")
    result = review_bytes("report.pdf", _to_pdf(content, tmp_path))
    assert result.xxgk is not None and result.xxgk.table3 is not None
    assert result.xxgk.table3["new"]["total"] == 7
    errors = {f.code for f in result.findings if f.severity == "error"}
    assert errors == {"xxgk_row_sum", "xxgk_identity", "xxgk_text_table_mismatch"}
    assert [h.title for h in result.outline] == [
        "总体情况",
        "主动公开政府信息情况",
        "收到和处理政府信息公开申请情况",
        "政府信息公开行政复议、行政诉讼情况",
        "存在的主要问题及改进情况",
        "其他需要报告的事项",
    ]
    assert [
        f for f in result.findings if f.code in ("duplicate_passage", "numbering_inconsistent")
    ] == []
    assert result.xxgk.table3["carried_out"]["total"] == 2


def test_the_format_s_own_wording_is_not_copying_but_a_repeated_narrative_is(
    unit_report: Any, cast: Any
) -> None:
    """Two years of generated reports share the format's headings and opening sentence; only a
    narrative carried over word for word is reported."""
    last_year = report.build(cast.street_a, 2025)
    previous = review_bytes("2025.docx", render_docx(last_year.document(None)))
    this_year = review_bytes("2026.docx", render_docx(unit_report.document(None)), previous)
    assert [f.code for f in this_year.findings if f.code == "carried_over"] == []

    copied = "本年度信息公开的及时性和规范性仍有待提高，部分信息公开不够及时，公开内容不够全面，下一步将加强业务培训和考核。"
    with time_machine.travel(dt.datetime(2027, 1, 20, 10, tzinfo=dt.UTC), tick=False):
        for year in (2025, 2026):
            save_texts(
                unit=cast.street_a,
                kind="xxgk",
                year=year,
                by=cast.a_clerk,
                texts={"problems": copied},
            )
    previous = review_bytes(
        "2025.docx", render_docx(report.build(cast.street_a, 2025).document(None))
    )
    again = review_bytes(
        "2026.docx", render_docx(report.build(cast.street_a, 2026).document(None)), previous
    )
    carried = [f for f in again.findings if f.code == "carried_over"]
    assert len(carried) == 1
    assert "及时性和规范性" in carried[0].spans[0].text


def test_source_notes_stay_on_the_web_and_out_of_the_published_document(unit_report: Any) -> None:
    import io

    import docx

    doc = unit_report.document(None)
    assert "数据来源：区司法局行政复议统计" in render_html(doc)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(render_docx(doc))).paragraphs)
    assert "数据来源" not in text
    assert "六、其他需要报告的事项" in text


def test_a_narrative_with_an_id_number_is_refused(cast: Any) -> None:
    from fazhi.core.reports.models import ReportText
    from fazhi.core.workflow import ActionError

    with pytest.raises(ActionError, match=r"身份证号码（110\*+002X）"):
        save_texts(
            unit=cast.street_a,
            kind="xxgk",
            year=2026,
            by=cast.a_clerk,
            texts={"problems": "申请人王某（11010519491231002X）多次申请。"},
        )
    assert not ReportText.objects.exists()
    save_texts(
        unit=cast.street_a,
        kind="xxgk",
        year=2026,
        by=cast.a_clerk,
        texts={"problems": "文号为 110105194912310021 的文件已公开。"},
    )  # fails the checksum: not an ID


def _docx_text(content: bytes) -> list[str]:
    import io

    import docx

    return [p.text for p in docx.Document(io.BytesIO(content)).paragraphs]


@pytest.mark.parametrize(
    ("now", "fill", "reasons"),
    [
        # before the year has ended: a draft even when everything is written
        (dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC), True, ["尚未结束"]),
        # after the year, with narratives and 落款 unfilled
        (dt.datetime(2027, 1, 20, 10, tzinfo=dt.UTC), False, ["处未填写", "成文日期"]),
        # after the year, everything written: final
        (dt.datetime(2027, 1, 20, 10, tzinfo=dt.UTC), True, []),
    ],
)
def test_an_unfinished_report_is_a_draft_and_says_why(
    cast: Any, now: dt.datetime, fill: bool, reasons: list[str]
) -> None:
    if fill:
        save_texts(
            unit=cast.street_a,
            kind="xxgk",
            year=2026,
            by=cast.a_clerk,
            texts=dict.fromkeys(
                (
                    "overview_proactive",
                    "overview_management",
                    "overview_platform",
                    "overview_oversight",
                    "problems",
                    "other",
                ),
                "已填写。",
            )
            | {"signed_on": "2027-01-15"},
        )
    with time_machine.travel(now, tick=False):
        doc = report.build(cast.street_a, 2026).document(None)
        first = _docx_text(render_docx(doc))[0]
        html = str(render_html(doc))
    if reasons:
        assert first.startswith("草稿：") and all(r in first for r in reasons), first
        assert 'class="report-draft"' in html and all(r in html for r in reasons)
        codes = [f.code for f in review_bytes("r.docx", render_docx(doc)).findings]
        assert "draft_mark" in codes
    else:
        assert not first.startswith("草稿") and "report-draft" not in html
