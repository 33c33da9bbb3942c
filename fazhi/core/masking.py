"""Masking personal data for lists, exports and logs (DESIGN invariant 8): the full value only
on a record's detail page, to those who handle it."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata

from fazhi.core.imports.idnumber import mask_id_number, validate_id_number

__all__ = [
    "find_id_number",
    "id_number_refusal",
    "mask_address",
    "mask_contact",
    "mask_id_number",
    "mask_id_numbers_in",
    "mask_name",
]

_ID_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{16}[\dXx](?![0-9A-Za-z])")


# A name recorded as anonymous names no one: it needs no mask (匿名, not 匿*).
ANONYMOUS = frozenset({"匿名"})


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***, 王 → *; whatever else the field holds (several names, a
    group, Latin letters) shows only its first character, with at most six stars. 匿名
    (ANONYMOUS) stays as it is."""
    name = name.strip()
    if name in ANONYMOUS:
        return name
    if len(name) <= 1:
        return "*" * len(name)
    return name[0] + "*" * min(len(name) - 1, 6)


def mask_contact(contact: str) -> str:
    """13912345678 → 139****5678; anything shorter keeps only its last two characters."""
    c = contact.strip()
    if len(c) >= 11:
        return c[:3] + "*" * (len(c) - 7) + c[-4:]
    if len(c) > 2:
        return "*" * (len(c) - 2) + c[-2:]
    return "*" * len(c)


def mask_address(address: str) -> str:
    """Keep at most the first half (district, street; at most six characters), hide the rest."""
    a = address.strip()
    keep = min(6, len(a) // 2)
    return a[:keep] + "****" if a else ""


def mask_id_numbers_in(text: str) -> str:
    """Every valid ID number inside free text (a file name, a reason) masked: "张三110105…" keeps
    no full number. Eighteen-digit strings that fail the checksum (order numbers) stay as they are."""

    def mask(match: re.Match[str]) -> str:
        found = match.group()
        return mask_id_number(found) if validate_id_number(found) is None else found

    return _ID_CANDIDATE.sub(mask, text)


# --- texts to be published: reports, the guide, the register's catalogue --------------

# Digit groups joined by spaces or dashes, as IDs are typed to be legible: 110105 19491231 002X.
_SEPARATOR = r"[\s\-‐‑‒–—―]{1,3}"
_GROUP = re.compile(r"\d+[Xx]?|[Xx](?![A-Za-z])")
_DIGIT_RUN = re.compile(rf"\d+[Xx]?(?:{_SEPARATOR}(?:{_GROUP.pattern}))*")
# Provinces of GB/T 2260, the first two digits of every ID's region code.
_PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
    | {50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82}
)


def _old_id_number(s: str) -> bool:
    """The 15-digit card (before 1999): region, YYMMDD of a 19xx birth, sequence; no check digit."""
    if not s.isdigit() or int(s[:2]) not in _PROVINCES:
        return False
    try:
        dt.date(1900 + int(s[6:8]), int(s[8:10]), int(s[10:12]))
    except ValueError:
        return False
    return True


# Where an 18- or 15-digit ID may be split when typed: region | year | month | day | sequence.
_CUTS = {18: frozenset({6, 10, 12, 14, 17}), 15: frozenset({6, 8, 10, 12})}


def _typed_as_one_number(lengths: list[int]) -> bool:
    """Digit groups read as one number when evenly chunked (4-4-4-4-2, digit by digit) or split
    at the ID's own fields (6-8-4); "3 4 5 6 7 8 9 10 11 12 13" is a list, not a number."""
    head = lengths[:-1]
    if len(set(head)) <= 1 and (not head or lengths[-1] <= head[0]):
        return True
    return set(itertools.accumulate(head)) <= _CUTS[sum(lengths)]


def find_id_number(text: str) -> str | None:
    """The first ID number in a text to be published (DESIGN invariant 8), or None.

    IDs are found however they were typed: full-width, with spaces, dashes or invisible
    characters inside, glued to letters. A candidate is a whole run of digit groups, never part
    of a longer number, so amounts, phone numbers, dates and document numbers pass."""
    plain = "".join(
        ch for ch in unicodedata.normalize("NFKC", text) if unicodedata.category(ch) != "Cf"
    )
    for run in _DIGIT_RUN.finditer(plain):
        groups = _GROUP.findall(run.group())
        for start in range(len(groups)):
            for end in range(start + 1, len(groups) + 1):
                candidate = "".join(groups[start:end])
                if len(candidate) > 18:
                    break
                if len(candidate) not in _CUTS or not _typed_as_one_number(
                    [len(g) for g in groups[start:end]]
                ):
                    continue
                if len(candidate) == 18 and validate_id_number(candidate) is None:
                    return candidate.upper()
                if len(candidate) == 15 and _old_id_number(candidate):
                    return candidate
    return None


def id_number_refusal(text: str, *, where: str, published: str) -> str | None:
    """The Chinese refusal for a text to be published that holds an ID number, or None:
    ``where`` names the text (报告文字, 「名称」), ``published`` what it is published in."""
    found = find_id_number(text)
    if found is None:
        return None
    return (
        f"{where}中含有身份证号码（{mask_id_number(found)}），"
        f"公开发布的{published}不得载有个人身份信息，请删除后保存"
    )
