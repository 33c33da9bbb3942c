"""Saving what a unit writes into a report; each save is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from fazhi.core.audit.models import record_event
from fazhi.core.masking import id_number_refusal
from fazhi.core.reports.models import ReportInput, ReportText
from fazhi.core.tenancy.access import access_for
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.tenancy.roles import Permission
from fazhi.core.workflow import ActionError
from fazhi.textclean import TextTooLong, clean_text


def _check(unit: OrgUnit, by: Any) -> None:
    if not access_for(by).can(unit.pk, Permission.EDIT_REPORT):
        raise ActionError("您没有编辑该单位报告的权限")


TEXT_MAX = 20_000


SIGNED_ON = "signed_on"  # the 落款's 成文日期, stored beside the sections as ISO text


def signed_on_refusal(value: str, year: int) -> str:
    """Why a report of `year` cannot bear this 成文日期: a year's report is signed after the
    year has ended, and within the year after (a later date is a typo, not a late report)."""
    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        return "成文日期应为有效日期（如 2027-01-20）"
    first, last = dt.date(year + 1, 1, 1), dt.date(year + 2, 12, 31)
    if date < first:
        return f"成文日期应在报告年度结束之后（不早于{first.year}年1月1日），{year}年度报告不能署{date.year}年{date.month}月{date.day}日"
    if date > last:
        return f"成文日期不应晚于{last.year}年12月31日"
    return ""


def save_texts(*, unit: OrgUnit, kind: str, year: int, texts: dict[str, str], by: Any) -> None:
    """Save narrative sections. Control characters (which Word files cannot hold) are removed
    here, so that a pasted \x0b or \x0c can never break the report's .docx for everyone."""
    _check(unit, by)
    try:
        texts = {key: clean_text(text, max_length=TEXT_MAX) for key, text in texts.items()}
    except TextTooLong as exc:
        raise ActionError(str(exc)) from exc
    for key, text in texts.items():
        refusal = id_number_refusal(text, where="报告文字", published="报告")
        if refusal:
            raise ActionError(refusal, field=key)
    if texts.get(SIGNED_ON):
        refusal = signed_on_refusal(texts[SIGNED_ON], year)
        if refusal:
            raise ActionError(refusal, field=SIGNED_ON)
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
