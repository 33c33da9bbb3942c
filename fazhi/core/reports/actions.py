"""Saving what a unit writes into a report; each save is audited."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction

from fazhi.core.audit.models import record_event
from fazhi.core.imports.idnumber import mask_id_number, validate_id_number
from fazhi.core.reports.models import ReportInput, ReportText
from fazhi.core.tenancy.access import access_for
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.tenancy.roles import Permission
from fazhi.core.workflow import ActionError


def _check(unit: OrgUnit, by: Any) -> None:
    if not access_for(by).can(unit.pk, Permission.EDIT_REPORT):
        raise ActionError("您没有编辑该单位报告的权限")


_ID_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{16}[\dXx](?![0-9A-Za-z])")


def _personal_data(text: str) -> str | None:
    """A published report never carries a natural person's ID number (DESIGN invariant 8)."""
    for match in _ID_CANDIDATE.finditer(text):
        if validate_id_number(match.group()) is None:
            return match.group()
    return None


def save_texts(*, unit: OrgUnit, kind: str, year: int, texts: dict[str, str], by: Any) -> None:
    _check(unit, by)
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
