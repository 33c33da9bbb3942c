"""Round trip through LibreOffice: the .docx must open and lay out as A4 pages with the figures."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from fazhi.core.reports.render_docx import render_docx
from fazhi.core.reports.tests.sample import TITLE, sample_document

A4_POINTS = (595.3, 841.9)


def soffice() -> str:
    path = shutil.which("soffice")
    if path is None:
        message = "LibreOffice (soffice) is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def convert_to_pdf(docx_path: Path, workdir: Path) -> Path:
    profile = workdir / "lo-profile"
    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(workdir),
            str(docx_path),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return workdir / f"{docx_path.stem}.pdf"


def pdf_text(pdf_path: Path) -> str:
    if shutil.which("pdftotext"):
        result = subprocess.run(
            ["pdftotext", "-layout", str(pdf_path), "-"],
            check=True,
            capture_output=True,
            timeout=60,
        )
        return result.stdout.decode("utf-8")
    return "\n".join(page.extract_text() for page in PdfReader(pdf_path).pages)


@pytest.mark.render
def test_sample_renders_to_a4_pdf(tmp_path: Path) -> None:
    docx_path = tmp_path / "report.docx"
    docx_path.write_bytes(render_docx(sample_document()))
    pdf_path = convert_to_pdf(docx_path, tmp_path)

    pages = PdfReader(pdf_path).pages
    assert len(pages) >= 2
    for page in pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert size == pytest.approx(A4_POINTS, abs=1)

    text = pdf_text(pdf_path)
    compact = re.sub(r"\s+", "", text)
    assert TITLE in compact  # the title may wrap onto a second line
    assert "1234" in compact  # a figure from table 二
    assert "申请人情况" in compact
    assert re.search(r"—\s*1\s*—", text)  # the folio; pdftotext may drop the spaces
