"""Saving what a unit writes into a report; each save is audited."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from typing import Any

from django.db import transaction

from fazhi.core.audit.models import record_event
from fazhi.core.imports.idnumber import mask_id_number, validate_id_number
from fazhi.core.reports.models import ReportInput, ReportText
from fazhi.core.tenancy.access import access_for
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.tenancy.roles import Permission
from fazhi.core.workflow import ActionError
from fazhi.textclean import TextTooLong, clean_text


def _check(unit: OrgUnit, by: Any) -> None:
    if not access_for(by).can(unit.pk, Permission.EDIT_REPORT):
        raise ActionError("您没有编辑该单位报告的权限")


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


def _personal_data(text: str) -> str | None:
    """A published report never carries a natural person's ID number (DESIGN invariant 8).

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


TEXT_MAX = 20_000


def save_texts(*, unit: OrgUnit, kind: str, year: int, texts: dict[str, str], by: Any) -> None:
    """Save narrative sections. Control characters (which Word files cannot hold) are removed
    here, so that a pasted \x0b or \x0c can never break the report's .docx for everyone."""
    _check(unit, by)
    try:
        texts = {key: clean_text(text, max_length=TEXT_MAX) for key, text in texts.items()}
    except TextTooLong as exc:
        raise ActionError(str(exc)) from exc
    for key, text in texts.items():
        found = _personal_data(text)
        if found:
            raise ActionError(
                f"报告文字中含有身份证号码（{mask_id_number(found)}），公开发布的报告不得载有个人身份信息，请删除后保存",
                field=key,
            )
    with transaction.atomic():
        for key, text in texts.items():
            ReportText.objects.update_or_create(
                unit=unit,
                kind=kind,
                year=year,
                key=key,
                defaults={"text": text.strip(), "updated_by": by},
            )
        record_event(
            f"reports.{kind}.texts_saved",
            by=by,
            unit_code=unit.code,
            object_type="report",
            object_id=f"{kind}/{year}",
            data={"keys": sorted(texts)},
        )


def save_input(
    *,
    unit: OrgUnit,
    kind: str,
    year: int,
    key: str,
    data: dict[str, Any],
    source_note: str,
    by: Any,
) -> None:
    _check(unit, by)
    if not source_note.strip():
        raise ActionError("请说明数据来源（例如：区司法局规范性文件备案台账）", field="source_note")
    with transaction.atomic():
        ReportInput.objects.update_or_create(
            unit=unit,
            kind=kind,
            year=year,
            key=key,
            defaults={"data": data, "source_note": source_note.strip(), "updated_by": by},
        )
        record_event(
            f"reports.{kind}.input_saved",
            by=by,
            unit_code=unit.code,
            object_type="report",
            object_id=f"{kind}/{year}/{key}",
            data=data,
        )


def texts_for(unit: OrgUnit, kind: str, year: int) -> dict[str, str]:
    rows = ReportText.objects.filter(unit=unit, kind=kind, year=year).values_list("key", "text")
    return dict(rows)


def input_for(unit: OrgUnit, kind: str, year: int, key: str) -> ReportInput | None:
    return ReportInput.objects.filter(unit=unit, kind=kind, year=year, key=key).first()
