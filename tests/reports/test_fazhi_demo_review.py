"""The demo district's generated 法治政府建设情况报告 passes the reviewer (`fazhi review`), and its
.docx lays out in LibreOffice (with the district's chart as a picture)."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command

from fazhi.core.reports import fazhi
from fazhi.core.reports.actions import save_texts
from fazhi.core.reports.render_docx import render_docx
from fazhi.core.reports.tests.test_render_pdf import convert_to_pdf, pdf_text
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.web.fazhi_report import build
from fazhi.review.api import review_bytes

pytestmark = pytest.mark.django_db
NOW = "2027-02-20 10:00 +0800"
YEAR = 2026
# What a unit writes by hand; the ledgers' paragraphs are generated.
TEXTS = {
    "measures": "本年度，{unit}坚持以习近平法治思想为指导，健全依法决策机制，推进严格规范公正文明执法，"
    "法治政府建设取得新成效。",
    "problems": "一是基层执法人员法律素养有待提升；二是部分工作台账记录不够及时。"
    "主要原因是执法人员培训覆盖面不足，台账管理制度执行不到位。",
    "leaders": "党政主要负责人认真履行推进法治建设第一责任人职责，年内主持召开专题会议研究法治政府建设工作，"
    "带头开展年终述法。",
    "next": "{next_year}年，{unit}将加强执法人员培训，完善台账管理制度，持续提升依法行政水平。",
    "other": "本年度无其他需要报告的情况。",
    "signed_on": "2027-02-15",
}
# Findings about copying, totals or rates: none may be raised by the generated report.
FIGURE_OR_COPY = {
    "duplicate_passage",
    "carried_over",
    "cross_report_duplicate",
    "sum_mismatch",
    "success_exceeds_total",
    "rate_over_100",
    "rate_inconsistent",
}


def write_texts(unit: OrgUnit) -> None:
    texts = {
        k: v.replace("{unit}", unit.name).replace("{next_year}", str(YEAR + 1))
        for k, v in TEXTS.items()
    }
    save_texts(unit=unit, kind="fazhi", year=YEAR, texts=texts, by=_writer(unit))


def _writer(unit: OrgUnit) -> Any:
    """The unit's clerk (the demo district has none: one is added)."""
    from fazhi.core.tenancy.actions import add_user
    from fazhi.core.tenancy.models import Membership

    found = Membership.objects.filter(unit=unit, role="clerk").select_related("user").first()
    if found is not None:
        return found.user
    return add_user(
        username=f"w{unit.code}",
        unit=unit,
        role="clerk",
        password="x" * 12,
        by=None,
        check_password=False,
    )


def test_the_demo_reports_pass_review_and_render(tmp_path: Path) -> None:
    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo", stdout=io.StringIO())
        district = OrgUnit.objects.get(parent=None)
        street = OrgUnit.objects.filter(parent=district).order_by("path").first()
        assert street is not None
        files: dict[str, bytes] = {}
        for unit in (street, district):
            write_texts(unit)
            report = build(unit, YEAR)
            assert report.subtree is (unit == district)
            assert report.contributing["measures"], unit  # the demo keeps every ledger
            doc = report.document()
            assert doc.draft_reasons == []
            files[unit.code] = render_docx(doc)
            review = review_bytes(f"{unit.code}.docx", files[unit.code])
            found = [(f.code, f.severity, f.message) for f in review.findings]
            assert review.meta is not None, found
            assert (review.meta.kind, review.meta.year) == ("fazhi", YEAR), found
            assert not [f for f in found if f[1] == "error"], found
            assert not [f for f in found if f[0] in FIGURE_OR_COPY], found
            assert all(item.present for item in review.items.values()), review.items
        # the district's report: its streets' sums and the chart
        data = fazhi.build(district, YEAR, subtree=True).as_json()
        assert len(data["streets"]) == 3
        for code, figure in data["streets"][0]["figures"].items():
            if figure["denominator"] is None:
                total = sum(s["figures"][code]["value"] for s in data["streets"])
                own = data["own"].get(code, {"value": 0})["value"]  # the district's 本级
                assert total + own == data["figures"][code]["value"], code
        assert (
            data["own"]["oversight.rectify_items"]["value"] > 0
        )  # the demo's district has its own

    out = tmp_path / "district.docx"
    out.write_bytes(files[district.code])
    try:
        pdf = convert_to_pdf(out, tmp_path)
    except (FileNotFoundError, subprocess.CalledProcessError, pytest.skip.Exception):
        pytest.skip("LibreOffice is not available to lay the .docx out")
    text = pdf_text(pdf)
    assert "示例区2026年法治政府建设情况报告" in text.replace(" ", "")
    assert "四、2027年推进法治政府建设的主要安排" in text.replace(" ", "")
