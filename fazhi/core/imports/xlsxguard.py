"""Pre-flight checks on an .xlsx before calamine inflates it.

Three kinds of hostile workbook are cheap to make: a zip bomb (a tiny file inflating to
gigabytes), a sparse sheet (a 5 KB file whose cells calamine expands into a dense grid of
billions of cells) and a giant cell (one string of hundreds of MB). All are refused here,
while streaming each part once, before calamine allocates anything.

The sheet extent is computed the way calamine places cells (python-calamine 0.9, measured):
a cell with ``r="B7"`` (letters in either case, any number of them; rows up to 2**32-1) sits
there and moves the column cursor after it; a cell without ``r`` sits at the cursor of the
current row; ``<row r="7">`` sets the row, every ``</row>`` or ``<row/>`` advances it and resets
the column. ``<dimension ref>`` is ignored. A self-closed ``<c/>`` and ``<c></c>`` are empty and
do not count; any other content counts (calamine skips ``<v></v>`` for some types, so this is
slightly larger than calamine's box, never smaller). ``iter_rows`` pads the rows above the
first cell, so the cost is (last row + 1) x (last column - first column + 1).
"""

from __future__ import annotations

import functools
import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from typing import IO

__all__ = [
    "MAX_CELL_AREA",
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_RATIO",
    "MAX_ROWS",
    "MAX_UNCOMPRESSED",
    "GuardError",
    "area_error",
    "cell_text_error",
    "check_xlsx",
    "sheet_cost",
]

MB = 1024 * 1024
# A legitimate 10 MB upload (150 000 rows x 10 columns) inflates to about 110 MB; very regular
# sheets compress a little better. Scanning is linear, so the budget bounds the guard's time.
MAX_UNCOMPRESSED = 200 * MB
MAX_RATIO = 100
MAX_ZIP_MEMBERS = 10_000
# A dense grid this large costs calamine about 300 MB; 200 000 rows x 50 columns fits.
MAX_CELL_AREA = 10_000_000
# Excel's own limits: calamine accepts rows up to 2**32 - 1 and any column.
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
MAX_CELL_CHARS = 32_767
# One cell's XML, markup included, beyond which it cannot be a real cell.
MAX_CELL_XML = MB

_CHUNK = 4 * MB
_P = rb"(?:[\w.-]+:)?"
_CELL_TAG = re.compile(rb"<" + _P + rb"c[\s/>]")
_LABELLED_TAG = re.compile(rb"<" + _P + rb"c\s[^>]*?(?<=\s)r\s*=")
# A cell with content and an explicit reference: <c r="B7" ...> not followed by </c>.
_FILLED_REF = re.compile(
    rb"<" + _P + rb"c\s[^>]*?(?<=\s)r\s*=\s*[\"']([A-Za-z]+)([0-9]+)[\"'][^>]*?(?<!/)>"
    rb"(?!\s*</" + _P + rb"c>)"
)
_SIMPLE_FILLED_REF = re.compile(rb'<c r="([A-Za-z]+)([0-9]+)"[^>]*(?<!/)>(?!\s*</c>)')
_TWO_REFS = re.compile(rb"<" + _P + rb"c\s[^>]*?(?<=\s)r\s*=[^>]*?(?<=\s)r\s*=")
_TOKEN = re.compile(rb"<(/?)" + _P + rb"(row|c)(?=[\s/>])([^>]*)>")
_REF_ATTR = re.compile(rb"""(?<=\s)r\s*=\s*["']([A-Za-z]*)([0-9]*)["']""")
_CELL_START = re.compile(rb"<" + _P + rb"c(?=[\s>])[^>]*(?<!/)>")
_SI_START = re.compile(rb"<" + _P + rb"si(?=[\s>])[^>]*(?<!/)>")
_LONG_RUN = re.compile(rb">[^<]{%d,}" % (MAX_CELL_CHARS + 1))
_TAG = re.compile(rb"<[^>]*>")
_ENTITY = re.compile(rb"&#?\w*;")
_PHONETIC = re.compile(rb"<" + _P + rb"rPh\b.*?</" + _P + rb"rPh>", re.S)
_RELATIONSHIP = re.compile(rb"<" + _P + rb"Relationship\s[^>]*>")
_ATTR_TYPE = re.compile(rb"""\sType\s*=\s*["']([^"']*)["']""")
_ATTR_TARGET = re.compile(rb"""\sTarget\s*=\s*["']([^"']*)["']""")
_SHEET_KINDS = {b"worksheet", b"chartsheet", b"dialogsheet", b"xlmacrosheet", b"xlintlmacrosheet"}
_WIDE = re.compile(
    rb"""^\s*<\?xml[^>]*encoding\s*=\s*["'](?:utf-?16|utf-?32|ucs-?2|ucs-?4)""", re.I
)
# Members that make calamine's content sniffing pick ODS or XLSB instead of XLSX.
_OTHER_FORMATS = ("mimetype", "content.xml", "meta-inf/manifest.xml", "xl/workbook.bin")


class GuardError(Exception):
    """The workbook is refused; ``str(exc)`` is the Chinese message."""


def area_error() -> GuardError:
    return GuardError(
        "工作表的数据范围过大（行数×列数超过 1000 万，或超出 Excel 的 1048576 行、16384 列），"
        "请删除多余的行和列后重新上传"
    )


def cell_text_error() -> GuardError:
    return GuardError(
        f"文件中有单元格的文字超过 Excel 的上限（{MAX_CELL_CHARS} 个字符），请缩短后重新上传"
    )


def _corrupt() -> GuardError:
    return GuardError("文件已损坏，无法读取")


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ch - 64
    return number


def _text_chars(xml: bytes) -> int:
    """Characters of text in an XML fragment, entities counted as one, phonetic runs skipped."""
    text = _TAG.sub(b"", _PHONETIC.sub(b"", xml))
    entities = _ENTITY.findall(text)
    return len(text.decode("utf-8", "replace")) - sum(len(e) - 1 for e in entities)


class _Box:
    """The rows x columns box calamine will allocate, updated as cells are found."""

    def __init__(self, max_area: int = MAX_CELL_AREA) -> None:
        self.max_area = max_area
        self.max_row = -1
        self.min_col = 1 << 62
        self.max_col = -1

    def add(self, row: int, col: int) -> None:
        if row > self.max_row:
            self.max_row = row
        if col < self.min_col:
            self.min_col = col
        if col > self.max_col:
            self.max_col = col

    def add_refs(self, refs: list[tuple[bytes, bytes]]) -> None:
        if not refs:
            return
        # Distinct rows and column letters are few next to the cells: convert only those.
        rows = max(map(int, {digits for _, digits in refs}))
        cols = [_column_number(letters) for letters in {letters for letters, _ in refs}]
        self.add(rows - 1, min(cols) - 1)
        self.add(rows - 1, max(cols) - 1)

    def cost(self) -> int:
        """Cells calamine's ``iter_rows`` produces: rows from the first, data columns."""
        if self.max_row < 0:
            return 0
        return (self.max_row + 1) * (self.max_col - self.min_col + 1)

    def check(self) -> None:
        if self.max_row >= MAX_ROWS or self.max_col >= MAX_COLUMNS:
            raise area_error()
        if self.cost() > self.max_area:
            raise area_error()


def _last_end(text: bytes, local: bytes) -> int:
    """Offset just after the last ``</local>`` (any prefix) in ``text``, or -1."""
    close = local + b">"
    at = len(text)
    while (at := text.rfind(close, 0, at)) >= 0:
        lt = text.rfind(b"</", max(0, at - 64), at + 1)
        if lt >= 0 and re.fullmatch(rb"</" + _P + local + rb">", text[lt : at + len(close)]):
            return at + len(close)
    return -1


def _not_utf8(head: bytes) -> bool:
    return head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head[:4] or bool(_WIDE.match(head))


def _chunks(member: IO[bytes], local: bytes, start: re.Pattern[bytes]) -> Iterator[bytes]:
    """Yield the part's XML in pieces that never split an element ``local`` (c or si).

    Each piece ends right after a closing tag (or, with none, before the last ``<`` or the
    last open element), so a cell or shared string is always whole in one piece. An element
    that grows beyond MAX_CELL_XML, or a tag or text with no ``<`` for that long, is refused.
    """
    pending = b""
    first = True
    while True:
        chunk = member.read(_CHUNK)
        if first:
            first = False
            # The byte scanning below assumes an ASCII-compatible encoding; Excel writes UTF-8.
            if _not_utf8(chunk[:200]):
                raise _corrupt()
        text = pending + chunk
        if not chunk:
            if text:
                _check_open(text, start)
                yield text
            return
        cut = _last_end(text, local)
        if cut < 0:
            open_at = _last_open(text, start)
            cut = open_at if open_at is not None else text.rfind(b"<")
            if cut <= 0:
                if len(text) > MAX_CELL_XML:
                    _check_open(text, start)
                    raise cell_text_error() if _text_chars(text) > MAX_CELL_CHARS else _corrupt()
                pending = text
                continue
        pending = text[cut:]
        if len(pending) > MAX_CELL_XML:
            _check_open(pending, start)
            raise _corrupt()
        yield text[:cut]


def _last_open(text: bytes, start: re.Pattern[bytes]) -> int | None:
    last = None
    for match in start.finditer(text):
        last = match.start()
    return last


def _check_open(text: bytes, start: re.Pattern[bytes]) -> None:
    at = _last_open(text, start)
    if at is not None and _text_chars(text[at:]) > MAX_CELL_CHARS:
        raise cell_text_error()


def _check_texts(piece: bytes, local: bytes, start: re.Pattern[bytes]) -> None:
    """Refuse a cell (or shared string) whose text, all runs together, exceeds Excel's limit."""
    for run in _LONG_RUN.findall(piece):
        if _text_chars(run[1:]) > MAX_CELL_CHARS:
            raise cell_text_error()
    if local == b"c" and b"<r>" not in piece and b":r>" not in piece:
        # Without rich-text runs a cell's text is one run (or a formula and its value,
        # each bounded above): the long-run check was enough.
        return
    close = b"</" + local + b">"
    if b":" + local + b">" in piece:
        parts = re.split(rb"</" + _P + local + rb">", piece)
    else:
        parts = piece.split(close)
    if max(map(len, parts)) <= MAX_CELL_CHARS:
        return
    for part in parts:
        if len(part) > MAX_CELL_CHARS:
            at = _last_open(part, start)
            if at is not None and _text_chars(part[at:]) > MAX_CELL_CHARS:
                raise cell_text_error()


def sheet_cost(xml: bytes) -> int:
    """The cells calamine would produce for one worksheet part (raises GuardError as the scan)."""
    return _scan_sheet(lambda: io.BytesIO(xml))


def _scan_sheet(open_member: Callable[[], IO[bytes]], max_area: int = MAX_CELL_AREA) -> int:
    box = _Box(max_area)
    with open_member() as member:
        for piece in _chunks(member, b"c", _CELL_START):
            _check_texts(piece, b"c", _CELL_START)
            simple = piece.count(b'<c r="')
            if (
                simple == piece.count(b"<c")
                and piece.count(b"r=") == simple + piece.count(b'<row r="')
                and b":c" not in piece
            ):
                # Every <c…> is <c r="…" and no other r attribute is anywhere: the common case.
                box.add_refs(_SIMPLE_FILLED_REF.findall(piece))
            elif len(_CELL_TAG.findall(piece)) == len(_LABELLED_TAG.findall(piece)):
                if _TWO_REFS.search(piece):
                    # Not well-formed XML; calamine would take the last, the regex the first.
                    raise _corrupt()
                box.add_refs(_FILLED_REF.findall(piece))
            else:
                break
            box.check()
        else:
            return box.cost()
    # Some cells have no reference: place every cell from the start, as calamine does.
    cursor = _Positional(_Box(max_area))
    with open_member() as member:
        for piece in _chunks(member, b"c", _CELL_START):
            _check_texts(piece, b"c", _CELL_START)
            cursor.feed(piece)
    return cursor.box.cost()


class _Positional:
    """calamine's cursor: every cell placed by its own reference or by its position."""

    def __init__(self, box: _Box) -> None:
        self.box = box
        self.row = 0
        self.col = 0

    def feed(self, piece: bytes) -> None:
        box = self.box
        open_at: tuple[int, int] | None = None
        content_start = 0
        for match in _TOKEN.finditer(piece):
            close, name, attrs = match.groups()
            if name == b"c":
                if close:
                    if open_at is not None and piece[content_start : match.start()].strip():
                        box.add(*open_at)
                    open_at = None
                    continue
                refs = _REF_ATTR.findall(attrs)
                if refs and refs[-1][0] and refs[-1][1]:
                    row, col = int(refs[-1][1]) - 1, _column_number(refs[-1][0]) - 1
                elif refs:
                    raise _corrupt()
                else:
                    row, col = self.row, self.col
                self.col = col + 1
                open_at = None if attrs.endswith(b"/") else (row, col)
                content_start = match.end()
            elif close:
                self.row, self.col = self.row + 1, 0
            else:
                refs = _REF_ATTR.findall(attrs)
                if refs:
                    if not refs[-1][1] or refs[-1][0]:
                        raise _corrupt()
                    self.row = int(refs[-1][1]) - 1
                if attrs.endswith(b"/"):
                    self.row, self.col = self.row + 1, 0
            if self.row >= MAX_ROWS or self.col > MAX_COLUMNS:
                raise area_error()
        box.check()


def _scan_shared_strings(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    with zf.open(info) as member:
        for piece in _chunks(member, b"si", _SI_START):
            _check_texts(piece, b"si", _SI_START)


def _drain(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    with zf.open(info) as member:
        while member.read(_CHUNK):
            pass


def _targets(zf: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo]) -> tuple[set[str], set[str]]:
    """Members (lower-case names) that relationships name as sheets and as shared strings.

    calamine finds a sheet through the workbook's relationships, so a sheet need not live
    under xl/worksheets/.
    """
    sheets: set[str] = set()
    strings: set[str] = set()
    for name, info in names.items():
        if not name.endswith(".rels") or info.file_size > MB:
            continue
        base = posixpath.dirname(posixpath.dirname(name))
        for tag in _RELATIONSHIP.findall(zf.read(info)):
            kind = _ATTR_TYPE.search(tag)
            target = _ATTR_TARGET.search(tag)
            if kind is None or target is None:
                continue
            kind_name = kind.group(1).rsplit(b"/", 1)[-1].lower()
            path = target.group(1).decode("utf-8", "replace").lower()
            for candidate in (
                posixpath.normpath(posixpath.join(base, path)).lstrip("/"),
                path.lstrip("/"),
                "xl/" + path.lstrip("/"),
            ):
                if kind_name == b"sharedstrings":
                    strings.add(candidate)
                elif kind_name in _SHEET_KINDS:
                    sheets.add(candidate)
    return sheets, strings


def check_xlsx(
    fp: IO[bytes],
    suffix: str,
    *,
    max_uncompressed: int = MAX_UNCOMPRESSED,
    max_area: int = MAX_CELL_AREA,
) -> int:
    """Raise GuardError unless ``fp`` is a plausible, bounded Excel zip package; return the
    largest sheet's cell area as calamine would hold it. The default budgets are calamine's,
    which holds the whole sheet; a reader that streams rows (the hotline's) passes its own,
    bounded by time and disk rather than memory, and may pick its reader by the area."""
    not_excel = GuardError(f"文件不是有效的 Excel 文件（{suffix}）")
    try:
        zf = zipfile.ZipFile(fp)
    except Exception as exc:  # zipfile raises assorted types on hostile input
        raise not_excel from exc
    bomb = GuardError("文件解压后过大，疑似损坏或恶意文件")
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ZIP_MEMBERS or sum(i.file_size for i in infos) > max_uncompressed:
            raise bomb
        for info in infos:
            if info.file_size > MB and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise bomb
        names = {i.filename.lower(): i for i in infos}
        if any(n.startswith("word/") for n in names):
            raise GuardError(f"文件是 Word 文档，不是有效的 Excel 文件（{suffix}）")
        if any(n in names for n in _OTHER_FORMATS[:3]):
            raise GuardError(
                "文件是 OpenDocument 表格（.ods），请用 Excel 或 WPS 另存为 .xlsx 后上传"
            )
        if _OTHER_FORMATS[3] in names:
            raise GuardError("文件是 Excel 二进制工作簿（.xlsb），请另存为 .xlsx 后上传")
        if "xl/workbook.xml" not in names:
            raise not_excel
        if any(i.flag_bits & 0x1 for i in infos):
            raise GuardError("文件设有密码，请取消密码保护后重新上传")
        # Inflating through zipfile is bounded by the declared size and checks the CRC, so
        # a member that lies about its size fails here instead of inside calamine.
        try:
            sheets, strings = _targets(zf, names)
            area = 0
            # Every entry, duplicates included: which one a zip reader takes is its choice.
            for info in infos:
                name = info.filename.lower()
                if name.startswith("xl/worksheets/") or name in sheets:
                    area = max(area, _scan_sheet(functools.partial(zf.open, info), max_area))
                elif name in strings or name == "xl/sharedstrings.xml":
                    _scan_shared_strings(zf, info)
                else:
                    _drain(zf, info)
        except GuardError:
            raise
        except Exception as exc:
            raise _corrupt() from exc
    return area
