"""A PDF's text with its tables read as tables (pdfplumber), for the 政府信息公开 table checks.

pypdf gives a PDF's text as the characters flow: a table comes out as its cells' words run
together ("自然 / 人 / 法人或其他组织…"), so tables 二/三/四 cannot be checked, a row label
that wraps inside its cell ("三、本 / 年度办 / 理结果") looks like a heading, and the header rows
that Word repeats at the top of each page look like a repeated passage. Here each page's
tables are found by their ruling lines and written as ``| a | b |`` rows, like the tables of a
.docx or a web page; the text around them is kept in reading order:

- a cell covered by a merged cell (pdfplumber gives ``None``) is left out, so a merged row
  label is written once, as the .docx reader does; an empty cell stays an empty cell;
- a table that goes on over a page break: its header rows repeated at the top of the next
  page (the leading rows without a number) are dropped;
- page numbers alone on a line ("— 2 —", "- 2 -", "第2页") are dropped, and the space that
  pdfplumber puts where a digit meets a Chinese character ("申请 5 件") is removed.

pdfplumber is optional: without it the reader keeps pypdf's text and says the tables were
read as text (the table checks then cannot be assessed).
"""

from __future__ import annotations

import importlib.util
import io
import re
from typing import Any

from fazhi.review.sandbox import Budget
from fazhi.review.text import join_cjk_spaces

_PAGE_NUMBER = re.compile(
    r"^\s*(?:[—\-–－]\s*\d{1,4}\s*[—\-–－]|第\s*\d{1,4}\s*页(?:\s*共\s*\d+\s*页)?)\s*$"
)
_NUMBER = re.compile(r"^\s*-?\d+(?:\.\d+)?\s*$")
_CJK_BREAK = re.compile(
    r"(?<=[\u4e00-\u9fff，、（）“”：；])\s*\n\s*(?=[\u4e00-\u9fff，、（）“”：；])"
)


def available() -> bool:
    return importlib.util.find_spec("pdfplumber") is not None


def _cell(text: str) -> str:
    from fazhi.review.reading import table_cell_text

    return table_cell_text(_CJK_BREAK.sub("", text))


def _header(rows: list[list[str]]) -> list[list[str]]:
    """The leading rows that hold no number: a table's header."""
    header: list[list[str]] = []
    for row in rows:
        if any(_NUMBER.match(c) for c in row):
            break
        header.append(row)
    return header


def _inside(box: tuple[float, float, float, float], line: dict[str, Any]) -> bool:
    x0, top, x1, bottom = box
    middle_x = (float(line["x0"]) + float(line["x1"])) / 2
    middle_y = (float(line["top"]) + float(line["bottom"])) / 2
    return x0 - 1 <= middle_x <= x1 + 1 and top - 1 <= middle_y <= bottom + 1


def read_pdf_with_tables(data: bytes, budget: Budget) -> list[str]:
    """The lines of the PDF, tables as ``| … |`` rows; raises what pdfplumber raises."""
    import pdfplumber

    from fazhi.review.reading import table_row

    lines: list[str] = []
    chars = 0
    last_header: list[list[str]] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages[: budget.max_pages]:
            tables = page.find_tables()
            boxes = [tuple(float(v) for v in table.bbox) for table in tables]
            items: list[tuple[float, int, Any]] = []
            for line in page.extract_text_lines(return_chars=False):
                if not any(_inside(box, line) for box in boxes):  # type: ignore[arg-type]
                    items.append((float(line["top"]), 0, str(line["text"])))
            for box, table in zip(boxes, tables, strict=True):
                items.append((box[1], 1, table.extract()))
            items.sort(key=lambda item: (item[0], item[1]))
            first_table = True
            for _top, kind, payload in items:
                if kind == 0:
                    if not _PAGE_NUMBER.match(payload):
                        lines.append(join_cjk_spaces(payload))
                        chars += len(payload) + 1
                    continue
                rows = [[_cell(c) for c in row if c is not None] for row in payload]
                rows = [row for row in rows if any(row)]
                header = _header(rows)
                if first_table and header and last_header and header == last_header[: len(header)]:
                    rows = rows[len(header) :]  # the header repeated over a page break
                elif header:
                    last_header = header
                first_table = False
                for row in rows:
                    rendered = table_row(row)
                    lines.append(rendered)
                    chars += len(rendered) + 1
            if chars > budget.max_chars:
                break
    return lines
