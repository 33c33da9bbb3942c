"""What a file is, read from its bytes: the name a user gave it decides nothing.

Only an allowlist is accepted. A zip is opened to tell a Word or Excel file from a macro-enabled
one, an OFD document or anything else packed in a zip; an OLE2 compound file is opened to tell a
legacy .doc/.xls from an installer or a mail message. Both looks are bounded: the zip's central
directory and one small XML member, the OLE2 directory.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import zipfile
from dataclasses import dataclass
from typing import IO
from xml.etree import ElementTree

import olefile

__all__ = ["ACCEPTED", "FileType", "Inspected", "Refused", "human_size", "inspect"]

KB = 1024
MB = 1024 * KB
GB = 1024 * MB
CHUNK = 64 * KB
MAX_ZIP_MEMBERS = 10_000
MAX_UNCOMPRESSED = 200 * MB
MAX_RATIO = 100
MAX_XML_MEMBER = 1 * MB

ACCEPTED = "PDF、Word（.docx/.doc）、Excel（.xlsx/.xls）、OFD、JPEG/PNG 图片、纯文本（.txt）"


class Refused(Exception):
    """The file is not accepted; ``str(exc)`` is the Chinese message."""


@dataclass(frozen=True)
class FileType:
    content_type: str
    label: str


@dataclass(frozen=True)
class Inspected:
    type: FileType
    size: int
    sha256: str


PDF = FileType("application/pdf", "PDF 文档")
JPEG = FileType("image/jpeg", "JPEG 图片")
PNG = FileType("image/png", "PNG 图片")
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word 文档"
)
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel 表格")
DOC = FileType("application/msword", "Word 文档（97-2003）")
XLS = FileType("application/vnd.ms-excel", "Excel 表格（97-2003）")
OFD = FileType("application/ofd", "OFD 版式文件")
TEXT_UTF8 = FileType("text/plain; charset=utf-8", "文本文件")
TEXT_GB18030 = FileType("text/plain; charset=gb18030", "文本文件")

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAGIC: list[tuple[bytes, FileType]] = [
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
]
_OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}
# Content types of macros and ActiveX controls: an Office file carrying code is refused.
_CODE_MARKERS = ("macroenabled", "vbaproject", "vbadata", "activex")
# C0 controls that no plain text file needs (tab, line feed, form feed, carriage return and the
# old DOS end-of-file mark are allowed). A binary file without NUL bytes rarely escapes this.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f]")
# Text that starts like markup (HTML, SVG, XML) is a page, not a note: a browser may render it.
_MARKUP = re.compile(rb"(?:\xef\xbb\xbf)?\s*<[A-Za-z!?/]")


def _unsupported(what: str = "") -> Refused:
    prefix = f"不支持上传{what}。" if what else "不支持该文件类型（按文件内容识别，与扩展名无关）。"
    return Refused(f"{prefix}可上传的类型：{ACCEPTED}")


def human_size(n: int) -> str:
    if n < KB:
        return f"{n} 字节"
    value, unit = (n / GB, "GB") if n >= GB else (n / MB, "MB") if n >= MB else (n / KB, "KB")
    return f"{value:.1f}".rstrip("0").rstrip(".") + f" {unit}"


def inspect(fp: IO[bytes], *, limit: int) -> Inspected:
    """Hash the file while reading it once from the start, and tell what it is.

    Raises Refused for an empty file, one larger than ``limit`` bytes, or a type outside the
    allowlist. Leaves ``fp`` positioned at its start."""
    fp.seek(0)
    head = fp.read(512)
    known = next((t for magic, t in _MAGIC if head.startswith(magic)), None)
    is_zip = head.startswith(b"PK\x03\x04")
    is_ole = head.startswith(_OLE2_MAGIC)
    text = _TextCheck() if known is None and not is_zip and not is_ole else None
    if text is not None and _MARKUP.match(head):
        raise _unsupported("网页、SVG 或 XML 等标记文件")

    fp.seek(0)
    digest = hashlib.sha256()
    size = 0
    while chunk := fp.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise Refused(f"文件过大，附件上限为 {human_size(limit)}")
        digest.update(chunk)
        if text is not None:
            text.feed(chunk)
    if size == 0:
        raise Refused("文件为空，请选择有内容的文件")

    if known is not None:
        kind = known
    elif is_zip:
        kind = _zip_type(fp)
    elif is_ole:
        kind = _ole_type(fp)
    else:
        assert text is not None
        kind = text.finish()
    fp.seek(0)
    return Inspected(type=kind, size=size, sha256=digest.hexdigest())


class _TextCheck:
    """Plain text: valid UTF-8 (preferred) or GB18030, no NUL or other binary controls."""

    def __init__(self) -> None:
        self.decoders = {
            TEXT_UTF8: codecs.getincrementaldecoder("utf-8-sig")(),
            TEXT_GB18030: codecs.getincrementaldecoder("gb18030")(),
        }
        self.binary = False

    def feed(self, chunk: bytes, final: bool = False) -> None:
        for kind, decoder in list(self.decoders.items()):
            try:
                decoded = decoder.decode(chunk, final)
            except UnicodeDecodeError:
                del self.decoders[kind]
                continue
            if _CONTROL.search(decoded):
                self.binary = True

    def finish(self) -> FileType:
        self.feed(b"", final=True)
        if self.binary or not self.decoders:
            raise _unsupported()
        return next(iter(self.decoders))


def _xml_root(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> ElementTree.Element:
    if info.file_size > MAX_XML_MEMBER:
        raise _unsupported()
    with zf.open(info) as member:
        data = member.read(MAX_XML_MEMBER + 1)
    # OOXML and OFD packages never declare a DTD; refusing one keeps entity expansion out.
    if len(data) > MAX_XML_MEMBER or b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise _unsupported()
    return ElementTree.fromstring(data)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _zip_type(fp: IO[bytes]) -> FileType:
    try:
        zf = zipfile.ZipFile(fp)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise Refused("文件已损坏，无法识别") from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ZIP_MEMBERS or sum(i.file_size for i in infos) > MAX_UNCOMPRESSED:
            raise Refused("文件解压后过大，疑似损坏或恶意文件")
        for info in infos:
            if info.file_size > MB and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise Refused("文件解压后过大，疑似损坏或恶意文件")
        if any(i.flag_bits & 0x1 for i in infos):
            raise _unsupported("加密的压缩文件")
        by_name = {i.filename: i for i in infos}
        try:
            if "[Content_Types].xml" in by_name:
                return _ooxml_type(zf, infos, by_name["[Content_Types].xml"])
            if "OFD.xml" in by_name:
                if _local(_xml_root(zf, by_name["OFD.xml"]).tag) == "OFD":
                    return OFD
                raise _unsupported()
        except (zipfile.BadZipFile, ElementTree.ParseError, ValueError, OSError, EOFError) as exc:
            raise Refused("文件已损坏，无法识别") from exc
    raise _unsupported("压缩包")


def _ooxml_type(
    zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], types_info: zipfile.ZipInfo
) -> FileType:
    root = _xml_root(zf, types_info)
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}
    for el in root:
        content_type = el.get("ContentType", "").strip().lower()
        if _local(el.tag) == "Default":
            defaults[el.get("Extension", "").lower()] = content_type
        elif _local(el.tag) == "Override":
            overrides[el.get("PartName", "").lower()] = content_type
    declared = [*defaults.values(), *overrides.values()]
    names = [i.filename.lower() for i in infos]
    if any(m in t for t in declared for m in _CODE_MARKERS) or any(
        n.endswith("vbaproject.bin") for n in names
    ):
        raise Refused(
            "不能上传含有宏或控件的 Office 文件（如 .docm、.xlsm），请另存为 .docx 或 .xlsx"
        )
    # Part names are case-insensitive (OPC); a main part counts only if it is really there.
    found = set()
    for name in names:
        part_type = overrides.get("/" + name) or defaults.get(name.rsplit(".", 1)[-1], "")
        kind = next((k for t, k in _OOXML_MAIN.items() if part_type == t), None)
        if kind is not None:
            found.add(kind)
    if len(found) == 1:
        return found.pop()
    raise _unsupported("该类型的 Office 文件（如 PowerPoint、模板）")


def _ole_type(fp: IO[bytes]) -> FileType:
    try:
        ole = olefile.OleFileIO(fp)
    except Exception as exc:  # olefile raises assorted types on hostile input
        raise Refused("文件已损坏，无法识别") from exc
    try:
        if ole.exists("EncryptedPackage"):
            raise Refused("文件设有密码，请取消密码保护后重新上传")
        if ole.exists("WordDocument"):
            code = ole.exists("Macros")
            kind = DOC
        elif ole.exists("Workbook") or ole.exists("Book"):
            code = ole.exists("_VBA_PROJECT_CUR")
            kind = XLS
        else:
            raise _unsupported()
    finally:
        ole.close()
    if code:
        raise Refused("不能上传含有宏的 Office 文件，请另存为 .docx 或 .xlsx")
    return kind
