"""Golden tests: PDF tables read as tables, and scanned PDFs read with OCR (or refused with
what is missing). The PDFs are made here: a .docx of our own, LibreOffice, pdftoppm."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from conftest import require_in_ci
from fazhi.review import ocr, pdf_tables
from fazhi.review.api import review_bytes
from fazhi.review.reading import DEFAULT_BUDGET, FLAT_TABLES_NOTE, read_bytes, unwrap_pdf_lines
from fazhi.review.tests.craft import pdf_scanned, pgm_pixels
from fazhi.review.tests.synthetic import FAZHI_CLEAN

pytestmark = pytest.mark.render


def _soffice_pdf(document: docx.document.Document, folder: Path) -> bytes:
    soffice = shutil.which("soffice")
    if soffice is None:
        require_in_ci("LibreOffice (soffice) is not installed")
    source = folder / "made.docx"
    document.save(str(source))
    subprocess.run(
        [str(soffice), f"-env:UserInstallation=file://{folder}/profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(folder), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return (folder / "made.pdf").read_bytes()


_HEADER = [
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    "自然人",
    "商业企业",
    "总计",
]


def _long_table_report() -> docx.document.Document:
    """A 政府信息公开 report whose table 三 runs over a page break, header row repeated."""
    document = docx.Document()
    document.add_paragraph("青山区统计局2024年政府信息公开工作年度报告")
    document.add_paragraph(
        "本报告根据《中华人民共和国政府信息公开条例》编制。依申请公开政府信息情况如下。"
    )
    for _ in range(18):
        document.add_paragraph(
            "本局主动公开政府信息，收到和处理政府信息公开申请，依申请公开工作依法办理。"
        )
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, _HEADER, strict=True):
        cell.text = text
    header_props = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_props.append(repeat)
    rows = [("一、本年新收政府信息公开申请数量", "3", "1", "5")]  # 3 + 1 ≠ 5
    rows += [(f"{i}.其他说明事项第{i}项", "0", "0", "0") for i in range(1, 30)]
    for label, *numbers in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, [label, *numbers], strict=True):
            cell.text = text
    document.add_paragraph("五、存在的主要问题及改进情况")
    document.add_paragraph("部分栏目更新不够及时，下一步将明确专人负责维护。")
    return document


def test_pdf_tables_read_as_tables(tmp_path: Path) -> None:
    if not pdf_tables.available():
        require_in_ci("pdfplumber (Python package) is not installed")
    data = _soffice_pdf(_long_table_report(), tmp_path)
    lines = pdf_tables.read_pdf_with_tables(data, DEFAULT_BUDGET)
    rows = [line for line in lines if line.startswith("|")]
    assert "| 一、本年新收政府信息公开申请数量 | 3 | 1 | 5 |" in rows
    # The header row is written once, though LibreOffice repeats it on the second page.
    assert sum("勾稽关系" in row for row in rows) == 1
    assert len(rows) == 31
    result = read_bytes("made.pdf", data)
    assert result.notes == ()
    assert "| 一、本年新收政府信息公开申请数量 | 3 | 1 | 5 |" in result.text.split("\n")


def test_pdf_without_pdfplumber_says_its_tables_were_read_as_text(tmp_path: Path) -> None:
    if pdf_tables.available():
        pytest.skip("pdfplumber is installed; the table reading is tested above")
    data = _soffice_pdf(_long_table_report(), tmp_path)
    result = read_bytes("made.pdf", data)
    assert result.notes == (FLAT_TABLES_NOTE,)
    # The table's rows still come out one line each, with their numbers.
    assert "一、本年新收政府信息公开申请数量 3 1 5" in result.text.split("\n")


def test_pdf_lines_are_not_joined_into_table_rows() -> None:
    text = "三、收到和处理政府信息公开申请情况（本表）的数据如下所列，单位为件数，共计三栏内容\n| 一、本年新收 | 1 |\n"
    text += "2.重复申请 1 0 0 0 0 0 1\n3.要求提供公开出版物 0 0 0 0 0 0 0"
    assert unwrap_pdf_lines(text).split("\n")[1:] == [
        "| 一、本年新收 | 1 |",
        "2.重复申请 1 0 0 0 0 0 1",
        "3.要求提供公开出版物 0 0 0 0 0 0 0",
    ]


def _scanned(tmp_path: Path, text: str, pages: int = 1) -> bytes:
    """A scan of a report: our .docx printed to PDF, rendered to grey images, and put back
    into a PDF as images only (no text layer)."""
    document = docx.Document()
    for line in text.split("\n"):
        paragraph = document.add_paragraph(line)
        for run in paragraph.runs:
            run.font.size = docx.shared.Pt(14)
    data = _soffice_pdf(document, tmp_path)
    (tmp_path / "made.pdf").write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-gray", "-l", "1", str(tmp_path / "made.pdf"), str(tmp_path / "scan")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    (image,) = sorted(tmp_path.glob("scan*.pgm"))
    return pdf_scanned([pgm_pixels(image.read_bytes())] * pages)


def test_scanned_pdf_is_read_with_ocr(tmp_path: Path) -> None:
    if not ocr.available():
        require_in_ci(f"OCR is not installed ({ocr.missing()})")
    report = review_bytes("scan.pdf", _scanned(tmp_path, FAZHI_CLEAN))
    assert report.notes == ("OCR识别",)
    assert report.to_json()["notes"] == ["OCR识别"]
    assert "ocr_read" in {f.code for f in report.findings}
    assert report.meta is not None
    assert (report.meta.kind, report.meta.unit, report.meta.year) == ("fazhi", "青石街道", 2023)
    # The title is a paragraph of its own (OCR separates paragraphs by a blank line).
    assert report.meta.title == "青石街道2023年法治政府建设情况报告"
    assert any("法治政府建设" in line for line in report.lines)


def test_scanned_pdf_over_the_ocr_page_budget_is_refused(tmp_path: Path) -> None:
    if not ocr.available():
        require_in_ci(f"OCR is not installed ({ocr.missing()})")
    data = _scanned(tmp_path, FAZHI_CLEAN, pages=3)
    budget = replace(DEFAULT_BUDGET, ocr_pages=2)
    report = review_bytes("scan.pdf", data, budget=budget)
    (finding,) = report.findings
    assert finding.code == "unreadable" and "OCR 识别上限（2页）" in finding.message


def test_scanned_pdf_without_ocr_names_what_is_missing(tmp_path: Path) -> None:
    if ocr.available():
        pytest.skip("OCR is installed; the OCR reading is tested above")
    report = review_bytes("scan.pdf", _scanned(tmp_path, FAZHI_CLEAN))
    (finding,) = report.findings
    assert finding.code == "unreadable"
    assert "扫描件" in finding.message and str(ocr.missing()) in finding.message
