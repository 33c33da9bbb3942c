"""Crafted report files: each is refused with a Chinese message, quickly, and alone.

The files are built here (craft.py). Before the reader ran under a budget, the PDFs raised
pypdf's LimitReachedError (a 500) or kept pypdf busy for minutes, and the .docx tables raised
outside the reader's try.
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest

from fazhi.review import sandbox
from fazhi.review.api import review_batch, review_bytes
from fazhi.review.cli import main
from fazhi.review.reading import DEFAULT_BUDGET, UnreadableReport, read_bytes
from fazhi.review.tests import craft
from fazhi.review.tests.synthetic import FAZHI_CLEAN

MB = 1024 * 1024


def unreadable(name: str, data: bytes, budget: sandbox.Budget = DEFAULT_BUDGET) -> str:
    report = review_bytes(name, data, budget=budget)
    assert [f.code for f in report.findings] == ["unreadable"]
    message = report.findings[0].message
    assert any("\u4e00" <= c <= "\u9fff" for c in message)
    return message


@pytest.mark.parametrize(
    ("case", "data", "expected"),
    [
        ("deep page tree", craft.pdf_deep_tree(150), "PDF 文件已损坏"),
        ("one page, 10 MB stream", craft.pdf_pages(craft.text_ops(10 * MB)), "第1页的内容过大"),
        ("five pages share 2 MB", craft.pdf_pages(craft.text_ops(2 * MB), 5), "第1页的内容过大"),
        (
            "content summed over pages",
            craft.pdf_pages(craft.text_ops(400 * 1024), 4, shared=True),
            "合计超过",
        ),
        ("root is not a dictionary", craft.pdf([b"42"]), "PDF 文件已损坏"),
        ("pages is not a dictionary", craft.pdf([b"<< /Type /Catalog /Pages 1 0 R >>"]), "PDF"),
    ],
)
def test_crafted_pdfs_refused_by_structure(case: str, data: bytes, expected: str) -> None:
    """Each is refused by a structural limit (its own message), not by the time budget
    running out; unit tests do not time things (the machine may be loaded)."""
    budget = replace(DEFAULT_BUDGET, max_pdf_content=MB)
    message = unreadable("report.pdf", data, budget)
    assert expected in message and "秒仍未完成" not in message, case


def test_slow_extraction_is_killed_at_the_time_budget() -> None:
    data = craft.pdf_pages(craft.text_ops(900 * 1024), 3, shared=False)
    message = unreadable("slow.pdf", data, replace(DEFAULT_BUDGET, seconds=1))
    assert message == "读取文件超过 1 秒仍未完成（文件可能经过特殊构造），未审查。"


def _allocate(megabytes: int) -> int:
    return len(bytearray(megabytes * MB))


def test_memory_budget_stops_the_child() -> None:
    budget = replace(DEFAULT_BUDGET, memory_bytes=300 * MB)
    assert sandbox.run(_allocate, (10,), budget) == 10 * MB
    with pytest.raises(sandbox.Overrun, match="内存"):
        sandbox.run(_allocate, (600,), budget)


ODD_TABLES = [
    ("vMerge continuing nothing", {(0, 0): "<w:vMerge/>"}),
    ("gridSpan not a number", {(1, 1): '<w:gridSpan w:val="x"/>'}),
    ("gridSpan wider than the grid", {(0, 1): '<w:gridSpan w:val="9"/>'}),
]


@pytest.mark.parametrize(("case", "props"), ODD_TABLES, ids=[c for c, _ in ODD_TABLES])
def test_odd_docx_tables_are_read(case: str, props: dict[tuple[int, int], str]) -> None:
    data = craft.docx_with_table([["项目", "数量"], ["行政复议", "3"]], props)
    text = read_bytes("odd.docx", data).text
    assert "行政复议" in text and "3" in text, case


def test_docx_document_part_over_the_cap_refused_before_parsing() -> None:
    data = craft.docx_with_table([["项目", "数量"]])
    budget = replace(DEFAULT_BUDGET, max_document_bytes=1024)
    assert unreadable("big.docx", data, budget) == "Word 文件正文部分过大（超过 1 KB），未审查。"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("long.html", ("<html><body>" + "<p>法治政府建设</p>" * 400 + "</body></html>").encode()),
        ("long.txt", ("法治政府建设\n" * 400).encode()),
        ("long.docx", craft.docx_with_table([["法治政府建设" * 300]])),
    ],
)
def test_every_format_goes_through_the_text_cap(name: str, data: bytes) -> None:
    budget = replace(DEFAULT_BUDGET, max_chars=1000)
    assert unreadable(name, data, budget) == "文本过长（超过 1000 字），超过审查上限，未审查。"


def test_one_bad_file_never_fails_the_batch(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(FAZHI_CLEAN, encoding="utf-8")
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(craft.pdf_pages(craft.text_ops(2 * MB), 5))
    odd = tmp_path / "odd.docx"
    odd.write_bytes(craft.docx_with_table([["项目"]], {(0, 0): "<w:vMerge/>"}))
    batch = review_batch([good, bad, odd], previous=bad)
    codes = [[f.code for f in r.findings if f.code == "unreadable"] for r in batch.reports]
    assert codes == [[], ["unreadable"], []]
    out = io.StringIO()
    assert main([str(good), str(bad)], out) == 1
    assert "第1页的内容过大" in out.getvalue() and "青石街道" in out.getvalue()


def test_in_process_reading_refuses_the_same() -> None:
    budget = replace(DEFAULT_BUDGET, isolate=False)
    with pytest.raises(UnreadableReport, match="PDF 文件已损坏"):
        read_bytes("deep.pdf", craft.pdf_deep_tree(150), budget)


def test_a_dead_helper_is_restarted() -> None:
    data = craft.docx_with_table([["行政复议", "3"]])
    assert "行政复议" in read_bytes("a.docx", data).text
    helper = sandbox._helper.process
    assert helper is not None
    helper.kill()
    helper.wait()
    assert "行政复议" in read_bytes("a.docx", data).text
