"""Small generators of crafted report files (PDF, .docx), so the tests build what they feed."""

from __future__ import annotations

import io
import zipfile
import zlib

import docx


def pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF whose object n (1-based) is ``objects[n - 1]``, with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, root, xref)
    )
    return out.getvalue()


def stream(content: bytes, compress: bool = True) -> bytes:
    data = zlib.compress(content, 9) if compress else content
    head = b"<< /Length %d%s >>" % (len(data), b" /Filter /FlateDecode" if compress else b"")
    return head + b"\nstream\n" + data + b"\nendstream"


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def text_ops(size: int) -> bytes:
    """A content stream of about ``size`` bytes of text-showing operators."""
    line = b"BT /F1 9 Tf 72 700 Td (abcdefghij) Tj ET\n"
    return line * (size // len(line) + 1)


def pdf_pages(content: bytes, pages: int = 1, shared: bool = True) -> bytes:
    """``pages`` pages drawing ``content`` (one stream shared by all, or one each)."""
    count = 1 if shared else pages
    first_stream = 4
    first_page = first_stream + count
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        _FONT,
    ]
    objects += [stream(content) for _ in range(count)]
    for i in range(pages):
        ref = first_stream + (0 if shared else i)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % ref
        )
    return pdf(objects)


def pdf_deep_tree(depth: int) -> bytes:
    """A page tree nested ``depth`` levels deep above one page."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(depth):
        number = 2 + level
        objects.append(b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % (number + 1))
    objects.append(b"<< /Type /Page /MediaBox [0 0 595 842] >>")
    return pdf(objects)


def docx_with_table(
    rows: list[list[str]], tc_xml: dict[tuple[int, int], str] | None = None
) -> bytes:
    """A .docx with one paragraph and one table; ``tc_xml`` adds properties to cells."""
    document = docx.Document()
    document.add_paragraph("青石街道2023年法治政府建设情况报告")
    table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            table.cell(i, j).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    if not tc_xml:
        return data
    src = zipfile.ZipFile(io.BytesIO(data))
    xml = src.read("word/document.xml").decode()
    cells = xml.split("<w:tc>")
    width = max(len(r) for r in rows)
    for (i, j), props in tc_xml.items():
        index = 1 + i * width + j
        cells[index] = cells[index].replace("<w:tcPr>", "<w:tcPr>" + props, 1)
    xml = "<w:tc>".join(cells)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, xml if info.filename == "word/document.xml" else src.read(info))
    return out.getvalue()


def pdf_scanned(pages: list[tuple[int, int, bytes]]) -> bytes:
    """An image-only PDF (a scan): each page one 8-bit grey image (width, height, pixels)."""
    count = len(pages)
    kids = b" ".join(b"%d 0 R" % (3 + 3 * i) for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
    ]
    for index, (width, height, pixels) in enumerate(pages):
        image, content = 4 + 3 * index, 5 + 3 * index
        data = zlib.compress(pixels, 6)
        # A4 at the image's own aspect ratio: 595 pt wide.
        w, h = 595, int(595 * height / width)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
            b"/Resources << /XObject << /Im0 %d 0 R >> >> >>" % (w, h, content, image)
        )
        objects.append(
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n"
            % (width, height, len(data))
            + data
            + b"\nendstream"
        )
        objects.append(stream(b"q %d 0 0 %d 0 0 cm /Im0 Do Q" % (w, h)))
    return pdf(objects)


def pgm_pixels(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and pixels of a binary PGM (P5, 8 bit), as pdftoppm -gray writes."""
    import re

    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", data)
    assert header is not None, data[:20]
    width, height = int(header.group(1)), int(header.group(2))
    return width, height, data[header.end() : header.end() + width * height]
