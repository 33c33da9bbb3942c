"""The one input-cleaning rule for text from users, files and uploads (pure Python, no Django).

PostgreSQL text cannot hold NUL, XML (hence .docx) cannot hold most C0 control characters, and
SQLite holds both silently: left alone, the same input is a 500 on one database, a stored value
on the other, and a broken Word file later. So every text that enters fazhi — form fields,
imported cells, calendar files, report narratives, reviewed report files — passes `clean_text`:
control characters are removed (tab and line breaks kept where text may span lines), line
breaks are normalised, and a length limit is enforced with a Chinese message.
"""

from __future__ import annotations

import re

__all__ = ["TextTooLong", "clean_text", "strip_controls", "too_long"]

# C0 controls except \t \n \r, DEL, C1 controls, the bidirectional overrides and isolates
# (which make a name display reversed), the non-characters U+FFFE/U+FFFF and lone surrogates
# (which cannot be encoded as UTF-8 and so cannot be stored either).
_CONTROLS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]"
)
_LINE_BREAKS = re.compile("[\t\n\r\u2028\u2029\x85]")


def too_long(limit: int, actual: int) -> str:
    """The Chinese words for a text over its limit, after the field's name."""
    return f"过长（最多{limit}个字符，实际{actual}个字符）"


class TextTooLong(ValueError):
    """The text is longer than its field allows; the message is Chinese."""

    def __init__(self, label: str, limit: int, actual: int) -> None:
        self.label, self.limit, self.actual = label, limit, actual
        name = f"「{label}」" if label else "内容"
        super().__init__(name + too_long(limit, actual))


def strip_controls(text: str, *, multiline: bool = True) -> str:
    text = _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not multiline:
        text = _LINE_BREAKS.sub(" ", text)
    return text


def clean_text(
    text: str, *, max_length: int | None = None, multiline: bool = True, label: str = ""
) -> str:
    """Cleaned text, stripped of surrounding space; raises TextTooLong past `max_length`."""
    cleaned = strip_controls(text, multiline=multiline).strip()
    if max_length is not None and len(cleaned) > max_length:
        raise TextTooLong(label, max_length, len(cleaned))
    return cleaned
