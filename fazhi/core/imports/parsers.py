"""Cell parsers: raw spreadsheet cell in, Python value out, or ImportValueError in Chinese.

A raw cell is whatever calamine or the csv module produced: str, int, float, bool,
date, datetime, time, timedelta or None. Parsers never see blank cells (the reader
handles those) but must not raise anything except ImportValueError on any input.
"""

from __future__ import annotations

import datetime
import difflib
import math
import re
import unicodedata
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from fazhi.core.imports.idnumber import normalize_id_number, validate_id_number
from fazhi.textclean import strip_controls

__all__ = [
    "ChoiceParser",
    "ImportValueError",
    "cell_to_text",
    "parse_choice",
    "parse_date",
    "parse_id_number",
    "parse_int",
    "parse_money",
    "parse_text",
]


class ImportValueError(ValueError):
    """A cell value that cannot be imported; the message is shown to the user verbatim."""


def cell_to_text(value: object) -> str:
    """Render a raw cell as the text the user typed (or sees) in the cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


_LINE_END_SPACE = re.compile(r"[ \t\u00a0\u3000]+\n")


def parse_text(value: object) -> str:
    """Strip the cell; keep line breaks inside it (normalised to \\n). Excel writes a control
    character as _x0000_, which the reader decodes: a cell holding one comes from a damaged file
    and is refused (fazhi.textclean's rule), rather than silently altered or sent to a database
    that refuses it."""
    text = cell_to_text(value).replace("\r\n", "\n").replace("\r", "\n")
    if strip_controls(text) != text:
        raise ImportValueError("含有控制字符（文件可能已损坏），请删除后重新导入")
    return _LINE_END_SPACE.sub("\n", text).strip()


# --- dates -------------------------------------------------------------------------

_EXCEL_EPOCH = datetime.date(1899, 12, 30)
# Serial 61 is 1900-03-01, the first day after Excel's phantom 1900-02-29.
_SERIAL_MIN, _SERIAL_MAX = 61, (datetime.date(2099, 12, 31) - _EXCEL_EPOCH).days
_TIME_SUFFIX = r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DATE_PATTERNS = (
    re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})" + _TIME_SUFFIX),
    re.compile(r"(\d{4})(年)(\d{1,2})月(\d{1,2})日?"),
    re.compile(r"(\d{4})()(\d{2})(\d{2})"),
)


def _date_from_number(value: float) -> datetime.date | None:
    if not math.isfinite(value):
        return None
    if value.is_integer() and 19000101 <= value <= 20991231:
        digits = str(int(value))
        try:
            return datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        except ValueError:
            return None
    if _SERIAL_MIN <= value <= _SERIAL_MAX:
        return _EXCEL_EPOCH + datetime.timedelta(days=int(value))
    return None


def _date_from_text(text: str) -> datetime.date | None:
    words = unicodedata.normalize("NFKC", text).split()
    for pattern in _DATE_PATTERNS:
        m = pattern.fullmatch(" ".join(words)) or pattern.fullmatch("".join(words))
        if m:
            try:
                return datetime.date(int(m[1]), int(m[3]), int(m[4]))
            except ValueError:
                return None
    return None


def parse_date(value: object) -> datetime.date:
    """ISO, 2026/3/1, 2026.3.1, 2026年3月1日, 20260301, Excel dates and serial numbers."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    result: datetime.date | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        result = _date_from_number(float(value))
    elif isinstance(value, str):
        result = _date_from_text(value)
    if result is None:
        raise ImportValueError(f"不是有效日期: {cell_to_text(value).strip()}")
    return result


# --- numbers -------------------------------------------------------------------------

_INT_TEXT = re.compile(r"\+?(\d{1,3}(?:,\d{3})+|\d+)(?:\.0*)?")
_MONEY_TEXT = re.compile(r"(-?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d*))?")
_MONEY_MAX = Decimal("1e15")
_CENT = Decimal("0.01")


def parse_int(value: object) -> int:
    """A non-negative integer; 12.0 (how Excel stores numbers) is fine."""
    shown = cell_to_text(value).strip()
    if isinstance(value, bool):
        raise ImportValueError(f"不是有效的整数: {shown}")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not (math.isfinite(value) and value.is_integer()):
            raise ImportValueError(f"不是有效的整数: {shown}")
        number = int(value)
    elif isinstance(value, str):
        text = "".join(unicodedata.normalize("NFKC", value).split())
        if text.startswith("-") and _INT_TEXT.fullmatch(text[1:]):
            raise ImportValueError(f"不能为负数: {shown}")
        m = _INT_TEXT.fullmatch(text)
        if not m or len(m[1]) > 18:
            raise ImportValueError(f"不是有效的整数: {shown}")
        number = int(m[1].replace(",", ""))
    else:
        raise ImportValueError(f"不是有效的整数: {shown}")
    if number < 0:
        raise ImportValueError(f"不能为负数: {shown}")
    return number


def parse_money(value: object) -> Decimal:
    """An amount in 元 as a Decimal with two places: 1200, 1,200.50, ¥1200, 1200元."""
    shown = cell_to_text(value).strip()
    amount: Decimal | None = None
    if isinstance(value, bool):
        amount = None
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        if math.isfinite(value) and abs(value) < _MONEY_MAX:
            # Excel arithmetic leaves binary noise (0.1 + 0.2); a cent is the real precision.
            amount = Decimal(repr(value)).quantize(_CENT, rounding=ROUND_HALF_UP)
            if abs(float(amount) - value) > 1e-6:
                amount = None
    elif isinstance(value, str):
        text = "".join(unicodedata.normalize("NFKC", value).split())
        text = text.removeprefix("¥").removesuffix("元")
        m = _MONEY_TEXT.fullmatch(text)
        if m and len(m[3] or "") <= 2:
            amount = Decimal(f"{m[1]}{m[2].replace(',', '')}.{m[3] or '0'}")
        elif m:
            raise ImportValueError(f"不是有效的金额（最多两位小数）: {shown}")
    if amount is None or abs(amount) >= _MONEY_MAX:
        raise ImportValueError(f"不是有效的金额: {shown}")
    if amount < 0:
        raise ImportValueError(f"金额不能为负数: {shown}")
    return amount.quantize(_CENT)


# --- choices -------------------------------------------------------------------------


def _norm_label(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


class ChoiceParser:
    """Maps a Chinese label to its code; exposes ``options`` so templates can offer a dropdown."""

    def __init__(
        self, options: Mapping[str, str], aliases: Mapping[str, str] | None = None
    ) -> None:
        self.options: dict[str, str] = dict(options)  # what templates offer in their dropdowns
        accepted = {**(aliases or {}), **self.options}  # what a typed file may also say
        self._lookup = {_norm_label(label): code for label, code in accepted.items()}

    def __call__(self, value: object) -> str:
        shown = parse_text(value)
        code = self._lookup.get(_norm_label(shown))
        if code is not None:
            return code
        labels = list(self.options)
        message = f"不是可选值之一: 「{shown}」"
        if len(labels) <= 5:
            message += "，可选值为" + "、".join(f"「{label}」" for label in labels)
        else:
            close = difflib.get_close_matches(shown, labels, n=3, cutoff=0.6)
            if close:
                message += "，是否为" + "或".join(f"「{label}」" for label in close) + "？"
        raise ImportValueError(message)

    def __repr__(self) -> str:
        return f"parse_choice({self.options!r})"


def parse_choice(
    options: Mapping[str, str], aliases: Mapping[str, str] | None = None
) -> ChoiceParser:
    """Build a parser accepting the labels (keys) of ``options``, and of ``aliases`` (other
    wordings seen in real ledgers, not offered in templates), and returning their codes."""
    return ChoiceParser(options, aliases)


# --- identity numbers --------------------------------------------------------------------


def parse_id_number(value: object) -> str:
    """An 18-character resident ID number, normalised to upper case."""
    if isinstance(value, float):
        # Excel keeps 15 significant digits: an 18-digit number typed into a number cell is lost.
        raise ImportValueError("不是有效的身份证号码（请将该列设为文本格式后重新填写）")
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ImportValueError("不是有效的身份证号码")
    text = normalize_id_number(str(value))
    problem = validate_id_number(text)
    if problem:
        raise ImportValueError(problem)
    return text
