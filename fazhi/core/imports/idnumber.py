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


# 统一社会信用代码 (GB 32100-2015): 18 characters from 31 (no I, O, Z, S, V); the last is a
# MOD 31 check character over the first 17 with weights 3^i mod 31.
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


def credit_code_check_char(first17: str) -> str:
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> str | None:
    """None when ``value`` is a valid 统一社会信用代码, else a Chinese reason."""
    s = normalize_id_number(value)
    if len(s) != 18:
        return "不是有效的统一社会信用代码（应为18位）"
    if any(c not in _USCC_CHARS for c in s):
        return "不是有效的统一社会信用代码（含有非法字符，代码中不使用 I、O、Z、S、V）"
    if credit_code_check_char(s[:17]) != s[17]:
        return "不是有效的统一社会信用代码（校验位错误）"
    return None
