"""Read a published report (.txt, .docx, .html, .pdf) into plain text lines."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from fazhi.review import sandbox
from fazhi.review.sandbox import Budget
from fazhi.review.text import han_count
from fazhi.textclean import strip_controls

MB = 1024 * 1024
MAX_FILE_BYTES = 30 * MB
MAX_DOCX_UNCOMPRESSED = 80 * MB
MAX_DOCX_RATIO = 100
MAX_PDF_PAGES = 400
MAX_TEXT_CHARS = 2_000_000
DEFAULT_BUDGET = Budget(max_chars=MAX_TEXT_CHARS, max_pages=MAX_PDF_PAGES)
_BROKEN = {
    "docx": "Word 文件无法解析，可能已损坏。",
    "pdf": "PDF 文件已损坏，无法读取。",
    "html": "网页文件无法解析。",
}


class UnreadableReport(Exception):
    """The file cannot be read as a report; the message is for the user (Chinese)."""


class NeedsOcr(Exception):
    """A PDF without a text layer, to be OCR'd under the OCR budget; the message is its
    number of pages."""


# Notes on how the text was obtained (ReadResult.notes, shown in the review).
FLAT_TABLES_NOTE = "PDF表格按文本读取"


@dataclass(frozen=True)
class ReadResult:
    text: str
    fmt: str
    published_hint: str | None = None
    # How the text was obtained when it was not read as written (e.g. "OCR识别").
    notes: tuple[str, ...] = ()


def read_path(path: str | Path, budget: Budget = DEFAULT_BUDGET) -> ReadResult:
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise UnreadableReport(f"无法打开文件：{p.name}") from exc
    if size > MAX_FILE_BYTES:
        raise UnreadableReport(
            f"文件过大（{size // 1024 // 1024} MB），超过 {MAX_FILE_BYTES // 1024 // 1024} MB 上限，未审查。"
        )
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise UnreadableReport(f"无法打开文件：{p.name}") from exc
    return read_bytes(p.name, data, budget)


def read_bytes(name: str, data: bytes, budget: Budget = DEFAULT_BUDGET) -> ReadResult:
    """Text of one report; raises only UnreadableReport, whatever the bytes. The text passes
    fazhi's input-cleaning layer: a NUL deep in a .txt (or from a PDF's text) never reaches
    the stored review, which PostgreSQL would refuse.

    Plain text is read here; .docx, .pdf and .html are read in a child process under
    ``budget`` (time, memory, CPU, pages, output size), killed on overrun.
    """
    found = _read(name, data, budget)
    return replace(found, text=strip_controls(found.text))


def _read(name: str, data: bytes, budget: Budget) -> ReadResult:
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableReport("文件过大，未审查。")
    suffix = Path(name).suffix.lower()
    if suffix == ".docx" or (suffix not in {".txt", ".html", ".htm", ".pdf"} and _is_zip(data)):
        return _isolated("docx", data, budget)
    if suffix == ".pdf" or data.startswith(b"%PDF"):
        return _isolated("pdf", data, budget)
    if suffix in {".doc", ".wps", ".xls", ".xlsx", ".ofd"}:
        raise UnreadableReport(f"暂不支持 {suffix} 格式，请另存为 .docx、.pdf 或 .txt 后再审查。")
    text = decode_text(data)
    if suffix in {".html", ".htm", ".shtml", ".jsp"} or _looks_like_html(text):
        return _isolated("html", text, budget)
    return ReadResult(_limit(text, budget), "txt")


def _isolated(fmt: str, data: bytes | str, budget: Budget) -> ReadResult:
    try:
        return _sandboxed(extract, (fmt, data, budget), budget, _BROKEN[fmt])
    except NeedsOcr as exc:
        return _ocr(data, int(str(exc)), budget)


def _ocr(data: bytes | str, pages: int, budget: Budget) -> ReadResult:
    """OCR a scanned PDF in a child of its own, with the OCR budget's time."""
    assert isinstance(data, bytes)
    seconds = budget.ocr_seconds + 10
    ocr_budget = replace(budget, seconds=seconds, cpu_seconds=max(budget.cpu_seconds, int(seconds)))
    failed = "扫描件 OCR 识别失败，未审查；请提供 Word 版本。"
    return _sandboxed(extract_ocr, (data, pages, budget), ocr_budget, failed)


def _sandboxed(target: Any, args: tuple[object, ...], budget: Budget, broken: str) -> ReadResult:
    """``target(*args)`` in the sandbox; whatever goes wrong becomes UnreadableReport (with
    ``broken`` for a library's own error), except NeedsOcr, which the caller handles."""
    try:
        result = sandbox.run(target, args, budget)
    except (UnreadableReport, NeedsOcr):
        raise
    except sandbox.Overrun as exc:
        raise UnreadableReport(str(exc)) from exc
    except sandbox.ChildError as exc:
        if exc.kind == UnreadableReport.__name__:
            raise UnreadableReport(str(exc)) from exc
        if exc.kind == NeedsOcr.__name__:
            raise NeedsOcr(str(exc)) from exc
        raise UnreadableReport(broken) from exc
    except Exception as exc:  # in-process (budget.isolate=False): the libraries raise anything
        raise UnreadableReport(broken) from exc
    assert isinstance(result, ReadResult)
    return result


def extract_ocr(data: bytes, pages: int, budget: Budget) -> ReadResult:
    """Read a scanned PDF with OCR; runs in the child."""
    from fazhi.review import ocr

    text = ocr.ocr_pdf(data, pages, budget)
    if han_count(text) < 20:
        raise UnreadableReport(
            "扫描件经 OCR 识别后仍没有可审查的文字，无法审查；请提供 Word 版本。"
        )
    return ReadResult(
        _limit(unwrap_pdf_lines(text, blank_ends_paragraph=True), budget),
        "pdf",
        notes=(ocr.OCR_NOTE,),
    )


def extract(fmt: str, data: bytes | str, budget: Budget) -> ReadResult:
    """Read one .docx, .pdf or .html (``data`` is the decoded markup); runs in the child."""
    if fmt == "docx":
        assert isinstance(data, bytes)
        return ReadResult(_read_docx(data, budget), "docx")
    if fmt == "pdf":
        assert isinstance(data, bytes)
        return _read_pdf(data, budget)
    from fazhi.review.html_reader import html_to_text

    assert isinstance(data, str)
    result = html_to_text(data)
    return replace(result, text=_limit(result.text, budget))


def decode_text(data: bytes) -> str:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableReport("文件不是文本格式（含二进制内容），无法读取。")
    for encoding in ("utf-8-sig", "utf-16") if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ():
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise UnreadableReport(
            "无法识别文件编码（既不是 UTF-8 也不是 GB18030），无法读取。"
        ) from exc


def _size(n: int) -> str:
    return f"{n / MB:g} MB" if n >= MB else f"{n // 1024} KB"


def _too_long(budget: Budget) -> UnreadableReport:
    return UnreadableReport(f"文本过长（超过 {budget.max_chars} 字），超过审查上限，未审查。")


def _limit(text: str, budget: Budget = DEFAULT_BUDGET) -> str:
    if len(text) > budget.max_chars:
        raise _too_long(budget)
    return text


def _is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def _looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or ("<body" in head and "</" in head)


def _read_docx(data: bytes, budget: Budget) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = 0
            for info in archive.infolist():
                total += info.file_size
                if info.compress_size and info.file_size / info.compress_size > MAX_DOCX_RATIO:
                    raise UnreadableReport("Word 文件压缩比异常（疑似压缩炸弹），拒绝读取。")
            if total > MAX_DOCX_UNCOMPRESSED:
                raise UnreadableReport("Word 文件解压后过大（疑似压缩炸弹），拒绝读取。")
            if "word/document.xml" not in archive.namelist():
                raise UnreadableReport("不是有效的 Word (.docx) 文件。")
            if archive.getinfo("word/document.xml").file_size > budget.max_document_bytes:
                raise UnreadableReport(
                    f"Word 文件正文部分过大（超过 {_size(budget.max_document_bytes)}），未审查。"
                )
    except zipfile.BadZipFile as exc:
        raise UnreadableReport("Word 文件已损坏或不是 .docx 格式，无法读取。") from exc
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        chars = 0
        for block in document.element.body.iterchildren():
            tag = block.tag.rsplit("}", 1)[-1]
            if tag == "p":
                new = Paragraph(block, document).text.split("\n")
            elif tag == "tbl":
                new = _docx_table_rows(Table(block, document))
            else:
                continue
            lines.extend(new)
            chars += sum(len(line) + 1 for line in new)
            if chars > budget.max_chars:
                raise _too_long(budget)
    except UnreadableReport:
        raise
    except Exception as exc:  # python-docx raises many kinds on malformed parts
        raise UnreadableReport("Word 文件无法解析，可能已损坏。") from exc
    return _limit("\n".join(lines), budget)


def _docx_table_rows(table: object) -> list[str]:
    rows: list[str] = []
    for row in table.rows:  # type: ignore[attr-defined]
        try:
            physical = _physical_cells(row)
        except Exception:
            # python-docx cannot lay out this row's grid (a vMerge continuing nothing, a
            # gridSpan that is not a number): take the cells as written.
            physical = [_tc_text(tc) for tc in row._tr.tc_lst]
        rows.append(table_row(physical))
    return rows


def _physical_cells(row: object) -> list[str]:
    cells: list[str] = []
    previous = None
    for cell in row.cells:  # type: ignore[attr-defined]
        # Merged cells come back once per grid column; keep each physical cell once.
        if cell._tc is previous:
            continue
        previous = cell._tc
        cells.append(table_cell_text(cell.text))
    return cells


def _tc_text(tc: object) -> str:
    texts = tc.xpath(".//w:t/text()")  # type: ignore[attr-defined]
    return table_cell_text("".join(str(t) for t in texts))


def table_cell_text(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("|", "｜")).strip()


def table_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def pdf_tables_available() -> bool:
    from fazhi.review import pdf_tables

    return pdf_tables.available()


def _read_pdf(data: bytes, budget: Budget) -> ReadResult:
    from pypdf import PdfReader

    from fazhi.review import pdf_tables

    with_tables = pdf_tables.available()
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception as exc:
                raise UnreadableReport("PDF 文件已加密，无法读取。") from exc
        if len(reader.pages) > budget.max_pages:
            raise UnreadableReport(f"PDF 超过 {budget.max_pages} 页，未审查。")
        pages: list[str] = []
        content = chars = 0
        for number, page in enumerate(reader.pages, start=1):
            # Text extraction is slow on big content streams; measure them first.
            stream = page.get_contents()
            size = len(stream.get_data()) if stream is not None else 0
            if size > budget.max_page_content:
                raise UnreadableReport(
                    f"PDF 第{number}页的内容过大（超过 {_size(budget.max_page_content)}），"
                    "疑似经过特殊构造，未审查；请提供 Word 版本。"
                )
            content += size
            if content > budget.max_pdf_content:
                raise UnreadableReport(
                    f"PDF 的页面内容合计超过 {_size(budget.max_pdf_content)}，未审查；请提供 Word 版本。"
                )
            text = page.extract_text() or ""
            chars += len(text) + 1
            if chars > budget.max_chars:
                raise _too_long(budget)
            pages.append(text)
    except UnreadableReport:
        raise
    except Exception as exc:  # pypdf raises anything on hostile input, LimitReachedError too
        raise UnreadableReport("PDF 文件已损坏，无法读取。") from exc
    # Page numbers ("— 2 —") glued to the last line of a page or the first of the next.
    text = _PAGE_NUMBER.sub("\n", "\n".join(pages))
    han = han_count(text)
    if not pages:
        raise UnreadableReport("PDF 文件中没有页面，无法读取。")
    if han < 20 * max(1, len(pages)) // 4 and han < 200:
        from fazhi.review import ocr

        lacking = ocr.missing()
        if lacking is None:
            raise NeedsOcr(str(len(pages)))
        raise UnreadableReport(
            "PDF 中没有可提取的文字（可能是扫描件），无法审查；请提供带文字层的 PDF 或 Word 版本"
            f"（本机未安装 OCR 组件 {lacking}）。"
        )
    if with_tables:
        try:
            lines = pdf_tables.read_pdf_with_tables(data, budget)
        except Exception:  # pdfminer on a file pypdf could read: keep pypdf's text
            lines = []
        if sum(len(line) for line in lines) >= len(text) // 2:
            return ReadResult(_limit(unwrap_pdf_lines("\n".join(lines)), budget), "pdf")
    return ReadResult(_limit(unwrap_pdf_lines(text), budget), "pdf", notes=(FLAT_TABLES_NOTE,))


_PAGE_NUMBER = re.compile(r"[ \t]*[—–－] ?\d{1,4} ?[—–－][ \t]*")
# A table row of a PDF's text layer ("2.重复申请 1 0 0 0 0 0 1") is a line of its own.
_ENDS_WITH_NUMBERS = re.compile(r"\d\s+\d+$")
_SENTENCE_END = '。！？：:；;）)”"|'
_HEADING_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．]|第[一二三四五六七八九十]+)"
)


def unwrap_pdf_lines(text: str, blank_ends_paragraph: bool = False) -> str:
    """Join lines that a PDF wrapped mid-paragraph, keeping headings and short lines apart.
    ``blank_ends_paragraph``: OCR output, where a blank line separates paragraphs."""
    out: list[str] = []
    ended = False
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            ended = blank_ends_paragraph
            continue
        if (
            not ended
            and out
            and out[-1]
            and out[-1][-1] not in _SENTENCE_END
            and len(out[-1]) >= 25
            and not _HEADING_START.match(line)
            and not line.startswith("|")
            and not _ENDS_WITH_NUMBERS.search(out[-1])
        ):
            out[-1] += line
        else:
            out.append(line)
        ended = False
    return "\n".join(out)
