"""Chinese resident identity card numbers (GB 11643-1999)."""

from __future__ import annotations

import datetime
import re
import unicodedata

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_SHAPE = re.compile(r"[1-9]\d{16}[\dX]")


def normalize_id_number(value: str) -> str:
    """Full-width digits, surrounding/inner spaces and a lower-case 'x' are common in typed data."""
    return "".join(unicodedata.normalize("NFKC", value).split()).upper()


def id_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def validate_id_number(value: str) -> str | None:
    """Return None when ``value`` is a valid 18-character ID number, else a Chinese reason."""
    s = normalize_id_number(value)
    if len(s) != 18:
        return "不是有效的身份证号码（应为18位）"
    if not _SHAPE.fullmatch(s):
        return "不是有效的身份证号码（含有非法字符）"
    try:
        born = datetime.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return "不是有效的身份证号码（出生日期无效）"
    if born.year < 1900 or born > datetime.datetime.now(datetime.UTC).date():
        return "不是有效的身份证号码（出生日期无效）"
    if id_check_char(s[:17]) != s[17]:
        return "不是有效的身份证号码（校验位错误）"
    return None


def mask_id_number(value: str) -> str:
    """Keep the first 3 and last 4 characters: 110***********1234."""
    s = value.strip()
    if len(s) <= 7:
        return "*" * len(s)
    return s[:3] + "*" * (len(s) - 7) + s[-4:]
