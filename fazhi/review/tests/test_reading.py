"""Reading .txt, .docx, .html and .pdf, and refusing what cannot or should not be read."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from pypdf import PdfWriter

from fazhi.review.api import review_bytes
from fazhi.review.reading import UnreadableReport, read_bytes
from fazhi.review.tests.synthetic import FAZHI_CLEAN, XXGK_CLEAN


def test_gb18030_text() -> None:
    result = read_bytes("r.txt", FAZHI_CLEAN.encode("gb18030"))
    assert "青石街道" in result.text


def _docx(text: str) -> bytes:
    document = docx.Document()
    rows: list[list[str]] = []
    for line in text.split("\n"):
        if line.startswith("|"):
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
            continue
        if rows:
            width = max(len(r) for r in rows)
            table = document.add_table(rows=len(rows), cols=width)
            for i, row in enumerate(rows):
                for j, cell in enumerate(row):
                    table.cell(i, j).text = cell
            rows = []
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_paragraphs_and_tables() -> None:
    report = review_bytes("r.docx", _docx(XXGK_CLEAN))
    assert report.xxgk is not None and report.xxgk.table3 is not None
    assert report.xxgk.table3["unable_1"]["total"] == 3
    assert report.xxgk.table2 is not None and report.xxgk.table2["licensing"]["decisions"] == 1520
    assert not [f for f in report.findings if f.severity == "error"]


def test_html_furniture_stripped_tables_kept() -> None:
    body = "".join(
        f"<p>{line}</p>" if not line.startswith("|") else "" for line in FAZHI_CLEAN.split("\n")
    )
    page = (
        "<html><body><div class='top-bar'>无障碍 | 繁体 | 长者模式</div>"
        "<div class='breadcrumb'>首页 &gt; 政务公开 &gt; 法治政府建设</div>"
        "<div class='info'>索引号：123/2024-001 发布机构：青石街道 发布时间：2024-02-22</div>"
        f"<div class='content'>{body}<table><tr><td>项目</td><td>数量</td></tr>"
        "<tr><td>执法</td><td>5</td></tr></table></div>"
        "<div class='print'><a>打印</a><a>关闭</a></div></body></html>"
    )
    report = review_bytes("r.html", page.encode("utf-8"))
    joined = "\n".join(report.lines)
    assert "无障碍" not in joined and "首页 >" not in joined and "打印" not in joined
    assert "| 执法 | 5 |" in joined
    assert report.meta is not None and str(report.meta.published) == "2024-02-22"
    assert report.meta.unit == "青石街道"


def test_zip_bomb_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * (20 * 1024 * 1024))
    with pytest.raises(UnreadableReport, match="压缩"):
        read_bytes("bomb.docx", buffer.getvalue())


def test_scanned_pdf_gets_a_message() -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    report = review_bytes("scan.pdf", buffer.getvalue())
    assert report.findings[0].code == "unreadable"
    assert "扫描件" in report.findings[0].message


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("broken.docx", b"PK\x03\x04not a zip"),
        ("broken.pdf", b"%PDF-1.4 garbage"),
        ("binary.txt", b"\x00\x01\x02" * 100),
        ("empty.txt", b""),
        ("old.doc", b"\xd0\xcf\x11\xe0"),
    ],
)
def test_unreadable_files_get_a_chinese_message(name: str, data: bytes) -> None:
    report = review_bytes(name, data)
    assert report.findings and report.findings[0].code == "unreadable"
    assert any("\u4e00" <= c <= "\u9fff" for c in report.findings[0].message)
