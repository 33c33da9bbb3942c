"""Small generators of .xlsx and .xls bytes, so hostile files are built in the tests."""

from __future__ import annotations

import io
import struct
import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
    'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
)
_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{REL[: -len("officeDocument/2006/relationships")]}package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
    '<sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>'
)


def _workbook_rels(sheet_path: str, strings: bool) -> str:
    extra = (
        f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
        if strings
        else ""
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="{sheet_path}"/>{extra}'
        "</Relationships>"
    )


def sheet(sheet_data: bytes | str) -> bytes:
    """A worksheet part around ``sheet_data`` (the <sheetData> element and anything else)."""
    raw = sheet_data.encode() if isinstance(sheet_data, str) else sheet_data
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'.encode()
    return head + raw + b"</worksheet>"


def xlsx(
    sheet_data: bytes | str,
    *,
    strings: list[str] | bytes | None = None,
    sheet_path: str = "worksheets/sheet1.xml",
    extra: dict[str, bytes] | None = None,
    raw_sheet: bytes | None = None,
) -> bytes:
    """A minimal workbook calamine reads: one sheet, optional shared strings."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(sheet_path, strings is not None))
        zf.writestr("xl/" + sheet_path, raw_sheet if raw_sheet is not None else sheet(sheet_data))
        if strings is not None:
            if isinstance(strings, bytes):
                zf.writestr("xl/sharedStrings.xml", strings)
            else:
                items = "".join(f"<si><t>{s}</t></si>" for s in strings)
                zf.writestr(
                    "xl/sharedStrings.xml",
                    f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">{items}</sst>',
                )
        for name, content in (extra or {}).items():
            zf.writestr(name, content)
    return buffer.getvalue()


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


# --- .xls: BIFF8 records in a compound file ------------------------------------------

_END, _FREE, _FAT, _NONE = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def record(kind: int, body: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def bof(kind: int) -> bytes:
    return record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 6))


def number(row: int, col: int, value: float) -> bytes:
    return record(0x0203, struct.pack("<HHHd", row, col, 15, value))


def label(row: int, col: int, text: str) -> bytes:
    return record(
        0x0204, struct.pack("<HHHHB", row, col, 15, len(text), 1) + text.encode("utf-16-le")
    )


def formula(
    row: int, col: int, tokens: bytes = bytes([0x1E, 1, 0]), cce: int | None = None
) -> bytes:
    """A FORMULA whose cached result is a string (the value follows in a STRING record)."""
    size = len(tokens) if cce is None else cce
    result = b"\x00" * 6 + b"\xff\xff"
    return record(
        0x0006,
        struct.pack("<HHH", row, col, 15) + result + struct.pack("<HIH", 0, 0, size) + tokens,
    )


def string(text: str) -> bytes:
    return record(0x0207, struct.pack("<HB", len(text), 1) + text.encode("utf-16-le"))


def blank(row: int, col: int) -> bytes:
    return record(0x0201, struct.pack("<HHH", row, col, 15))


def dimensions(first_row: int, last_row: int, first_col: int, last_col: int) -> bytes:
    return record(0x0200, struct.pack("<IIHHH", first_row, last_row, first_col, last_col, 0))


def biff(sheets: list[list[bytes]], *, globals_extra: bytes = b"", hidden: bytes = b"") -> bytes:
    """A Workbook stream: globals (padded past the 4096-byte mini-stream cutoff), sheets.

    ``hidden`` is placed inside a padding record, out of a sequential reader's sight.
    """

    def boundsheet(offset: int, index: int) -> bytes:
        name = f"S{index}".encode("utf-16-le")
        return record(0x0085, struct.pack("<IBBBB", offset, 0, 0, len(name) // 2, 1) + name)

    filler = record(0x005C, bytes(112)) * 36 + record(0x005C, bytes(4) + hidden)
    head = len(bof(5)) + len(globals_extra) + len(filler) + len(boundsheet(0, 0)) * len(sheets) + 4
    bodies, offsets, at = [], [], head
    for cells in sheets:
        body = bof(0x10) + b"".join(cells) + record(0x000A)
        offsets.append(at)
        bodies.append(body)
        at += len(body)
    sheet_records = b"".join(boundsheet(o, i) for i, o in enumerate(offsets))
    globals_ = bof(5) + globals_extra + filler + sheet_records + record(0x000A)
    assert len(globals_) == head
    return globals_ + b"".join(bodies)


def hidden_offset(stream: bytes, hidden: bytes) -> int:
    return stream.index(hidden)


def compound(stream: bytes, name: str = "Workbook") -> bytes:
    """A version-3 compound file with one stream (at least 4096 bytes, so no mini stream)."""
    assert len(stream) >= 4096
    n_stream = -(-len(stream) // 512)
    n_fat = 1
    while n_fat + 1 + n_stream > n_fat * 128:
        n_fat += 1
    fat = [_FAT] * n_fat + [_END]
    first = n_fat + 1
    fat += [first + i + 1 for i in range(n_stream - 1)] + [_END]
    fat += [_FREE] * (n_fat * 128 - len(fat))
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
    header += struct.pack(
        "<HHHHH6sIIIIIIIII",
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        bytes(6),
        0,
        n_fat,
        n_fat,
        0,
        4096,
        _END,
        0,
        _END,
        0,
    )
    header += struct.pack("<109I", *(list(range(n_fat)) + [_FREE] * (109 - n_fat)))

    def entry(entry_name: str, kind: int, child: int, start: int, size: int) -> bytes:
        raw = entry_name.encode("utf-16-le") + b"\0\0" if entry_name else b""
        return (
            raw.ljust(64, b"\0")
            + struct.pack("<HBBIII", len(raw), kind, 1, _NONE, _NONE, child)
            + bytes(36)
            + struct.pack("<IQ", start, size)
        )

    directory = entry("Root Entry", 5, 1, _END, 0) + entry(name, 2, _NONE, first, len(stream))
    directory += entry("", 0, _NONE, 0, 0) * 2
    return (
        header
        + struct.pack(f"<{len(fat)}I", *fat)
        + directory
        + stream.ljust(n_stream * 512, b"\0")
    )


def xls(sheets: list[list[bytes]], **kwargs: bytes) -> bytes:
    return compound(biff(sheets, **kwargs))
