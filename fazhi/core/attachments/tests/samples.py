"""Small files of every kind the sniffer must accept or refuse, made here (no binary fixtures).

Word and Excel files come from python-docx and openpyxl; macro-enabled and other variants are
those files with their package rewritten; legacy .doc/.xls are minimal OLE2 compound files.
"""

from __future__ import annotations

import functools
import io
import struct
import zipfile

import docx
import openpyxl

TYPES = "[Content_Types].xml"
CT_DOCM = "application/vnd.ms-word.document.macroEnabled.main+xml"
CT_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CT_XLSM = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
CT_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CT_PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04"
SEVEN_ZIP = b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\x00" * 24
RAR = b"Rar!\x1a\x07\x01\x00" + b"\x00" * 24
TEXT = "关于东湖街道政府信息公开申请的补正说明\n请补充申请人身份证明。\n".encode()
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="4"/></svg>'
XML = b'<?xml version="1.0"?><note>x</note>'


def zipped(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def rewritten(data: bytes, changes: dict[str, bytes | None]) -> bytes:
    """The package with members replaced, added, or dropped (None)."""
    parts = members(data)
    for name, value in changes.items():
        if value is None:
            parts.pop(name, None)
        else:
            parts[name] = value
    return zipped(parts)


@functools.cache
def docx_file() -> bytes:
    """One .docx per run: python-docx stamps the save time, so two builds may differ."""
    document = docx.Document()
    document.add_paragraph("补正告知书")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


@functools.cache
def xlsx_file() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["申请编号", "收到日期"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def content_types(data: bytes) -> bytes:
    return members(data)[TYPES]


def docm_file() -> bytes:
    data = docx_file()
    types = content_types(data).replace(CT_DOCX.encode(), CT_DOCM.encode())
    return rewritten(data, {TYPES: types, "word/vbaProject.bin": b"\xd0\xcf\x11\xe0"})


def docx_with_vba_only() -> bytes:
    """A .docx whose content types look clean but which carries a VBA project."""
    return rewritten(docx_file(), {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"})


def xlsm_file() -> bytes:
    data = xlsx_file()
    types = content_types(data).replace(CT_XLSX.encode(), CT_XLSM.encode())
    return rewritten(data, {TYPES: types})


def pptx_file() -> bytes:
    data = docx_file()
    return rewritten(data, {TYPES: content_types(data).replace(CT_DOCX.encode(), CT_PPTX.encode())})


def docx_without_main_part() -> bytes:
    return rewritten(docx_file(), {"word/document.xml": None})


def docx_with_doctype() -> bytes:
    data = docx_file()
    types = content_types(data)
    head, _, rest = types.partition(b"?>")
    bomb = b'<!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
    return rewritten(data, {TYPES: head + b"?>" + bomb + rest})


OFD_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD">'
    b"<ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
)


def ofd_file() -> bytes:
    return zipped({"OFD.xml": OFD_XML, "Doc_0/Document.xml": b"<ofd:Document/>"})


# --- OLE2 compound files (MS-CFB version 3, 512-byte sectors) ---------------------------------

_FREE, _END, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_SECTOR = 512
_MINI_CUTOFF = 4096


def ole2(streams: dict[str, bytes], storages: tuple[str, ...] = ()) -> bytes:
    """A minimal compound file: one FAT sector, the directory, then each stream.

    Streams are padded to the mini-stream cut-off so all of them live in ordinary sectors."""
    padded = {name: data.ljust(_MINI_CUTOFF, b"\0") for name, data in streams.items()}
    entries: list[tuple[str, int, bytes]] = [("Root Entry", 5, b"")]
    entries += [(name, 2, data) for name, data in padded.items()]
    entries += [(name, 1, b"") for name in storages]
    dir_sectors = -(-len(entries) // 4)
    fat = [_FATSECT] + [i + 2 for i in range(dir_sectors - 1)] + [_END]
    starts: dict[str, int] = {}
    body = b""
    for name, data in padded.items():
        count = -(-len(data) // _SECTOR)
        starts[name] = len(fat)
        fat += [len(fat) + i + 1 for i in range(count - 1)] + [_END]
        body += data.ljust(count * _SECTOR, b"\0")
    assert len(fat) <= _SECTOR // 4, "sample too large for one FAT sector"
    fat += [_FREE] * (_SECTOR // 4 - len(fat))

    def entry(index: int, name: str, kind: int, data: bytes) -> bytes:
        encoded = name.encode("utf-16-le")
        child = 1 if index == 0 and len(entries) > 1 else _NOSTREAM
        right = index + 1 if 0 < index < len(entries) - 1 else _NOSTREAM
        start = starts.get(name, _END if kind == 5 else 0) if kind != 1 else 0
        size = len(data) if kind == 2 else 0
        return struct.pack(
            "<64sHBBIII16sIQQIQ",
            encoded,
            len(encoded) + 2,
            kind,
            1,
            _NOSTREAM,
            right,
            child,
            b"\0" * 16,
            0,
            0,
            0,
            start,
            size,
        )

    directory = b"".join(entry(i, *e) for i, e in enumerate(entries))
    empty = struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, *[_NOSTREAM] * 3, b"", 0, 0, 0, 0, 0)
    directory += empty * (dir_sectors * 4 - len(entries))
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\0" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        1,
        1,
        0,
        _MINI_CUTOFF,
        _END,
        0,
        _END,
        0,
    ) + struct.pack("<109I", 0, *[_FREE] * 108)
    return header + struct.pack(f"<{_SECTOR // 4}I", *fat) + directory + body


def doc_file() -> bytes:
    return ole2({"WordDocument": b"\xec\xa5\xc1\x00", "1Table": b"\x00"})


def xls_file() -> bytes:
    return ole2({"Workbook": b"\x09\x08\x10\x00\x00\x06\x05\x00"})
