"""Imported by the reader's helper process only: read one tiny file of each format in-process.

python-docx, pypdf and lxml build parsers, element classes and templates on first use;
doing it once here means every forked child starts warm.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import replace

from fazhi.review.reading import DEFAULT_BUDGET, UnreadableReport, read_bytes


def _warm() -> None:
    import docx
    from pypdf import PdfWriter

    with contextlib.suppress(ImportError):
        import pdfplumber  # noqa: F401  (PDF tables; optional)

    budget = replace(DEFAULT_BUDGET, isolate=False)
    document = docx.Document()
    document.add_paragraph("法治政府建设")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "1"
    buffer = io.BytesIO()
    document.save(buffer)
    pdf = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    writer.write(pdf)
    for name, data in (
        ("w.docx", buffer.getvalue()),
        ("w.pdf", pdf.getvalue()),
        (
            "w.html",
            "<html><body><p>法治</p><table><tr><td>1</td></tr></table></body></html>".encode(),
        ),
    ):
        with contextlib.suppress(UnreadableReport):
            read_bytes(name, data, budget)


_warm()
