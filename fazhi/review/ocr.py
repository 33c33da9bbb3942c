"""OCR of a scanned PDF: pages to images with pdftoppm, images to text with tesseract chi_sim.

A PDF without a text layer (a scan of the signed paper) used to be refused. When tesseract
and its simplified-Chinese data are installed (Debian: tesseract-ocr, tesseract-ocr-chi-sim)
it is read page by page instead, in the reader's child process under its own budget: at most
``Budget.ocr_pages`` pages and ``Budget.ocr_seconds`` of wall-clock time for the whole file
(each external command gets what is left, and is killed when it is used up). The review says
that its text was OCR'd ("OCR识别"): figures and names may be misread.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from functools import cache
from pathlib import Path

from fazhi.review.sandbox import Budget
from fazhi.review.text import join_cjk_spaces

OCR_NOTE = "OCR识别"
DPI = 200
LANGUAGE = "chi_sim"


class OcrUnavailable(Exception):
    """tesseract, its chi_sim data or pdftoppm is missing."""


@cache
def missing() -> str | None:
    """What is missing for OCR (a Debian package name), or None when it can run."""
    if shutil.which("pdftoppm") is None:
        return "poppler-utils"
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        return "tesseract-ocr"
    try:
        langs = subprocess.run(
            [tesseract, "--list-langs"], capture_output=True, text=True, timeout=20, check=False
        ).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return "tesseract-ocr"
    return None if LANGUAGE in langs else "tesseract-ocr-chi-sim"


def available() -> bool:
    return missing() is None


def clean(text: str) -> str:
    return "\n".join(join_cjk_spaces(line).strip() for line in text.splitlines())


def ocr_pdf(data: bytes, pages: int, budget: Budget) -> str:
    """The text of a scanned PDF of ``pages`` pages; raises UnreadableReport with a message."""
    from fazhi.review.reading import UnreadableReport

    if missing() is not None:
        raise OcrUnavailable(missing())
    if pages > budget.ocr_pages:
        raise UnreadableReport(
            f"PDF 没有文字层（扫描件），共{pages}页，超过 OCR 识别上限（{budget.ocr_pages}页），"
            "未审查；请提供 Word 版本或带文字层的 PDF。"
        )
    deadline = time.monotonic() + budget.ocr_seconds

    def left() -> float:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise UnreadableReport(
                f"扫描件 OCR 识别超过 {budget.ocr_seconds:g} 秒仍未完成，未审查；请提供 Word 版本。"
            )
        return remaining

    texts: list[str] = []
    chars = 0
    with tempfile.TemporaryDirectory(prefix="fazhi-ocr-") as folder:
        source = Path(folder) / "scan.pdf"
        source.write_bytes(data)
        try:
            subprocess.run(
                ["pdftoppm", "-r", str(DPI), "-gray", "-png", "-l", str(pages), str(source),
                 str(Path(folder) / "page")],
                check=True, capture_output=True, timeout=left(),
            )  # fmt: skip
            images = sorted(Path(folder).glob("page*.png"))
            for image in images:
                result = subprocess.run(
                    ["tesseract", str(image), "stdout", "-l", LANGUAGE],
                    check=True, capture_output=True, timeout=left(),
                )  # fmt: skip
                text = clean(result.stdout.decode("utf-8", "replace"))
                chars += len(text) + 1
                if chars > budget.max_chars:
                    raise UnreadableReport("OCR 识别出的文字过长，超过审查上限，未审查。")
                texts.append(text)
        except subprocess.TimeoutExpired as exc:
            raise UnreadableReport(
                f"扫描件 OCR 识别超过 {budget.ocr_seconds:g} 秒仍未完成，未审查；请提供 Word 版本。"
            ) from exc
        except subprocess.CalledProcessError as exc:
            raise UnreadableReport("扫描件 OCR 识别失败，未审查；请提供 Word 版本。") from exc
    return "\n".join(texts)
