"""Read a published report (.txt, .docx, .html, .pdf) into plain text lines."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

MAX_FILE_BYTES = 30 * 1024 * 1024
MAX_DOCX_UNCOMPRESSED = 80 * 1024 * 1024
MAX_DOCX_RATIO = 100
MAX_PDF_PAGES = 400
MAX_TEXT_CHARS = 2_000_000


class UnreadableReport(Exception):
    """The file cannot be read as a report; the message is for the user (Chinese)."""


@dataclass(frozen=True)
class ReadResult:
    text: str
    fmt: str
    published_hint: str | None = None


def read_path(path: str | Path) -> ReadResult:
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise UnreadableReport(f"无法打开文件：{p.name}") from exc
    if size > MAX_FILE_BYTES:
        raise UnreadableReport(
            f"文件过大（{size // 1024 // 1024} MB），超过 {MAX_FILE_BYTES // 1024 // 1024} MB 上限，未审查。"
        )
    return read_bytes(p.name, p.read_bytes())


def read_bytes(name: str, data: bytes) -> ReadResult:
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableReport("文件过大，未审查。")
    suffix = Path(name).suffix.lower()
    if suffix == ".docx" or (suffix not in {".txt", ".html", ".htm", ".pdf"} and _is_zip(data)):
        return ReadResult(_read_docx(data), "docx")
    if suffix == ".pdf" or data.startswith(b"%PDF"):
        return ReadResult(_read_pdf(data), "pdf")
    if suffix in {".doc", ".wps", ".xls", ".xlsx", ".ofd"}:
        raise UnreadableReport(f"暂不支持 {suffix} 格式，请另存为 .docx、.pdf 或 .txt 后再审查。")
    text = decode_text(data)
    if suffix in {".html", ".htm", ".shtml", ".jsp"} or _looks_like_html(text):
        from fazhi.review.html_reader import html_to_text

        return html_to_text(text)
    return ReadResult(_limit(text), "txt")


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


def _limit(text: str) -> str:
    if len(text) > MAX_TEXT_CHARS:
        raise UnreadableReport("文本过长，超过审查上限，未审查。")
    return text


def _is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def _looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or ("<body" in head and "</" in head)


def _read_docx(data: bytes) -> str:
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
    except zipfile.BadZipFile as exc:
        raise UnreadableReport("Word 文件已损坏或不是 .docx 格式，无法读取。") from exc
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on malformed parts
        raise UnreadableReport("Word 文件无法解析，可能已损坏。") from exc
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.extend(Paragraph(block, document).text.split("\n"))
        elif tag == "tbl":
            lines.extend(_docx_table_rows(Table(block, document)))
    return _limit("\n".join(lines))


def _docx_table_rows(table: object) -> list[str]:
    rows: list[str] = []
    for row in table.rows:  # type: ignore[attr-defined]
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            # Merged cells come back once per grid column; keep each physical cell once.
            if cell._tc is previous:
                continue
            previous = cell._tc
            cells.append(table_cell_text(cell.text))
        rows.append(table_row(cells))
    return rows


def table_cell_text(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("|", "｜")).strip()


def table_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _read_pdf(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception as exc:
                raise UnreadableReport("PDF 文件已加密，无法读取。") from exc
        if len(reader.pages) > MAX_PDF_PAGES:
            raise UnreadableReport(f"PDF 超过 {MAX_PDF_PAGES} 页，未审查。")
        pages = [page.extract_text() or "" for page in reader.pages]
    except UnreadableReport:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise UnreadableReport("PDF 文件已损坏，无法读取。") from exc
    text = "\n".join(pages)
    han = len(re.findall(r"[\u4e00-\u9fff]", text))
    if han < 20 * max(1, len(pages)) // 4 and han < 200:
        raise UnreadableReport(
            "PDF 中没有可提取的文字（可能是扫描件），无法审查；请提供带文字层的 PDF 或 Word 版本。"
        )
    return _limit(unwrap_pdf_lines(text))


_SENTENCE_END = '。！？：:；;）)”"|'
_HEADING_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．]|第[一二三四五六七八九十]+)"
)


def unwrap_pdf_lines(text: str) -> str:
    """Join lines that a PDF wrapped mid-paragraph, keeping headings and short lines apart."""
    out: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        if (
            out
            and out[-1]
            and out[-1][-1] not in _SENTENCE_END
            and len(out[-1]) >= 25
            and not _HEADING_START.match(line)
        ):
            out[-1] += line
        else:
            out.append(line)
    return "\n".join(out)
