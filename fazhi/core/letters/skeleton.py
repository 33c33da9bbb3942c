"""The default template of a letter kind, built from its declared title and text.

Dressed like the reports (GB/T 9704, `fazhi.core.reports.render_docx`): A4 and the standard
margins, the title in 方正小标宋简体 二号 centred, the 文号 line centred under it, the body in
仿宋_GB2312 三号 with a two-character indent, the 落款 and the date right-aligned. Each
`{{ 字段 }}` stays in one run so that docxtpl finds it.

A body line is a paragraph; "" is a blank line; a line starting with "<" has no indent (the
salutation, "{{ 申请人 }}："); a line starting with "{%p" is docxtpl's paragraph-level tag,
kept as its own paragraph (`{%p if 字段 %}` … `{%p endif %}`).

`scripts/make-letter-templates` writes these files into each book's `template_dir`; a test
checks that the committed files are what the declarations build.
"""

from __future__ import annotations

import io

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH

from fazhi.core.letters.registry import DATE, ISSUER, NUMBER, LetterBook, LetterKind
from fazhi.core.reports.render_docx import (
    _FIXED_DATE,
    FONT_FANGSONG,
    FONT_TITLE,
    SIZE_BODY,
    SIZE_TITLE,
    TITLE_LINE_PITCH,
    _add_run,
    _fixed_line,
    _indent_chars,
    _normalize_zip,
    _register_fonts,
    _setup_page,
    _setup_styles,
)


def build_template(book: LetterBook, kind: LetterKind) -> bytes:
    out = docx.Document()
    _setup_page(out)
    _setup_styles(out)
    _register_fonts(out)
    title = out.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fixed_line(title.paragraph_format, TITLE_LINE_PITCH)
    _add_run(title, kind.title, FONT_TITLE, SIZE_TITLE)
    number = out.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _add_run(number, f"{{{{ {NUMBER} }}}}", FONT_FANGSONG, SIZE_BODY)
    out.add_paragraph()
    written = []
    for line in kind.body:
        paragraph = out.add_paragraph()
        if line.startswith("{%p"):
            paragraph.add_run(line)
            continue
        written.append(paragraph)
        if line.startswith("<"):
            line = line[1:]
        elif line:
            _indent_chars(paragraph.paragraph_format, first_line=2)
        if line:
            _add_run(paragraph, line, FONT_FANGSONG, SIZE_BODY)
    # The 落款 never stands on a page of its own: it keeps with the closing lines before it
    # (three, since a conditional contact line may drop out when rendered).
    for paragraph in written[-3:]:
        paragraph.paragraph_format.keep_with_next = True
    out.add_paragraph().paragraph_format.keep_with_next = True
    # GB/T 9704 7.3.5.2: the date four characters from the right edge, the issuer centred
    # over it (a date such as 2026年12月31日 is about seven characters wide).
    for text, right in ((f"{{{{ {ISSUER} }}}}", 4.5), (f"{{{{ {DATE} }}}}", 4)):
        paragraph = out.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.keep_with_next = text.startswith(f"{{{{ {ISSUER}")
        _indent_chars(paragraph.paragraph_format, right=right)
        _add_run(paragraph, text, FONT_FANGSONG, SIZE_BODY)
    props = out.core_properties
    props.author = "fazhi"
    props.last_modified_by = "fazhi"
    props.title = kind.name
    props.comments = ""
    props.created = _FIXED_DATE
    props.modified = _FIXED_DATE
    props.revision = 1
    buffer = io.BytesIO()
    out.save(buffer)
    return _normalize_zip(buffer.getvalue())
