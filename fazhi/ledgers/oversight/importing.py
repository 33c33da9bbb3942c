"""Excel/CSV columns (Chinese headers) and import declarations of the two ledgers.

Each row is validated like the form (the ledger's own checks: a 出庭应诉 names its 案号, a
整改时限 not before the feedback) — all or nothing, per-row Chinese errors, idempotent on the
number. A 履职记录 may name a record of another ledger (the ledger's name and the number, of the
importing unit). A rectification row with a 完成日期 is replayed as 整改完成 (its 整改成效 then
required); confirmations, 长期坚持 and extensions are made on the record's page.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from fazhi.core.imports.parsers import parse_choice, parse_date, parse_int, parse_text
from fazhi.core.imports.spec import Column, ImportSpec, ParsedRow, RowError
from fazhi.core.records.bulk import ImportDeclaration, ImportRow, ImportStep
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.workflow import ActionError
from fazhi.ledgers.oversight.linking import linked, slug_for
from fazhi.ledgers.oversight.models import DutyKind, RectifyEventKind, Source


def _labels(choices: Any) -> dict[str, str]:
    return {label: code for code, label in choices.choices}


def _optional(header: str, key: str, parse: Any = parse_text, **kw: Any) -> Column:
    return Column(header, key, parse, required=False, allow_blank=True, **kw)


def _headers(spec: ImportSpec) -> dict[str, str]:
    return {c.key: c.header for c in spec.columns}


# --- 第一责任人履职记录 ------------------------------------------------------------------------

DUTY_SPEC = ImportSpec(
    name="第一责任人履职记录",
    key="number",
    columns=(
        Column(
            "履职记录编号",
            "number",
            help="本单位内唯一；重复导入同一编号不会重复登记",
            example="LZ-2026-0001",
        ),
        Column("履职日期", "held_on", parse_date, example="2026-03-18"),
        Column("第一责任人姓名", "leader", max_length=50, example="王建国"),
        Column("职务", "post", max_length=100, example="党工委书记"),
        Column(
            "履职类别",
            "kind",
            parse_choice(_labels(DutyKind)),
            help="研究法治工作的会议、述法、批示、带头学法、出庭应诉、其他",
            example="研究法治工作的会议",
        ),
        Column("事由", "subject", max_length=300, example="党工委会议专题研究法治政府建设工作"),
        _optional("具体情况", "details", max_length=5000),
        _optional("参加人数", "attendance", parse_int, help="会议、述法、带头学法填写"),
        _optional("案号", "case_number", max_length=100, help="出庭应诉必填"),
        _optional(
            "关联记录所在台账",
            "linked_slug",
            max_length=50,
            help="台账名称，如 学法与考试；没有关联记录的留空",
        ),
        _optional("关联记录编号", "linked_number", max_length=64, example=""),
    ),
)
DUTY_HEADERS = _headers(DUTY_SPEC)
DUTY_EXPORT_HEADERS = [*DUTY_HEADERS.values(), "状态", "确认日期"]


def _duty_row(row: ParsedRow, today: dt.date) -> tuple[ImportRow | None, list[RowError]]:
    v: dict[str, Any] = row.values
    attendance = v.get("attendance")
    fields = {
        "held_on": v["held_on"],
        "leader": v["leader"],
        "post": v["post"],
        "kind": v["kind"],
        "subject": v["subject"],
        "details": v.get("details") or "",
        "attendance": attendance if isinstance(attendance, int) else None,
        "case_number": v.get("case_number") or "",
    }
    extra = {
        "ledger": str(v.get("linked_slug") or "").strip(),
        "number": str(v.get("linked_number") or "").strip(),
    }
    return ImportRow(row.line, str(v["number"]), fields, extra=extra), []


def _resolve_duty(
    unit: OrgUnit, by: Any, row: ImportRow
) -> tuple[ImportRow | None, list[RowError]]:
    """The record of another ledger a row names, through the importer's door, as the form
    finds it (the ledger by its name, as the export writes it)."""
    name, number = str(row.extra["ledger"]), str(row.extra["number"])
    slug = slug_for(name) if name else ""
    try:
        if name and not slug:
            raise ActionError(f"没有名为「{name[:50]}」的台账", field="linked_slug")
        link = linked(unit, by, slug, number)
    except ActionError as exc:
        return None, [RowError(row.line, DUTY_HEADERS[exc.field or "linked_number"], exc.message)]
    return dataclasses.replace(row, extra=link), []


_DUTY_KEYS = ("held_on", "leader", "post", "kind", "subject", "attendance", "case_number")

DUTY_DECLARATION = ImportDeclaration(
    spec=DUTY_SPEC,
    to_row=_duty_row,
    stored_signature=lambda r, events: (*(getattr(r, k) for k in _DUTY_KEYS), r.linked_pk),
    row_signature=lambda row: (*(row.fields[k] for k in _DUTY_KEYS), row.extra.get("linked_pk")),
    resolve=_resolve_duty,
    headers=DUTY_HEADERS,
    noun="履职记录",
)

# --- 督察整改事项 ------------------------------------------------------------------------------

RECTIFY_SPEC = ImportSpec(
    name="督察整改事项",
    key="number",
    columns=(
        Column("整改事项编号", "number", example="ZG-2026-001"),
        Column(
            "问题来源",
            "source",
            parse_choice(_labels(Source)),
            help="督察、考核、审计、巡视巡察、其他",
            example="督察",
        ),
        _optional("反馈文件文号", "source_doc", max_length=100, example="区法督〔2026〕3号"),
        Column("反馈日期", "fed_back_on", parse_date, example="2026-04-10"),
        Column("问题", "problem", max_length=2000, example="行政执法公示信息更新不及时"),
        Column("整改措施", "measures", max_length=5000, example="建立执法信息公示周报制度"),
        Column("责任部门", "department", max_length=100, example="综合行政执法队"),
        Column("责任人", "owner", max_length=50, example="李明"),
        Column("整改时限", "deadline", parse_date, example="2026-06-30"),
        _optional("完成日期", "done_on", parse_date, help="已整改完成的填写；未完成的留空"),
        _optional("整改成效及佐证材料", "evidence", max_length=5000, help="填写完成日期的必填"),
    ),
)
RECTIFY_HEADERS = _headers(RECTIFY_SPEC)
RECTIFY_EXPORT_HEADERS = [*RECTIFY_HEADERS.values(), "状态"]


def _rectify_row(row: ParsedRow, today: dt.date) -> tuple[ImportRow | None, list[RowError]]:
    v: dict[str, Any] = row.values
    done = v.get("done_on")
    evidence = str(v.get("evidence") or "").strip()
    fields = {
        "source": v["source"],
        "source_doc": v.get("source_doc") or "",
        "fed_back_on": v["fed_back_on"],
        "problem": v["problem"],
        "measures": v["measures"],
        "department": v["department"],
        "owner": v["owner"],
        "deadline": v["deadline"],
    }
    if not isinstance(done, dt.date):
        if evidence:
            return None, [
                RowError(row.line, RECTIFY_HEADERS["done_on"], "填写了整改成效的，请填写完成日期")
            ]
        return ImportRow(row.line, str(v["number"]), fields), []
    if not evidence:
        return None, [
            RowError(
                row.line, RECTIFY_HEADERS["evidence"], "填写了完成日期的，请填写整改成效及佐证材料"
            )
        ]
    step = ImportStep(
        "complete",
        done,
        RECTIFY_HEADERS["done_on"],
        changes={"done_on": done, "evidence": evidence},
    )
    return ImportRow(row.line, str(v["number"]), fields, [step]), []


def _rectify_stored(r: Any, events: list[Any]) -> tuple[object, ...]:
    done = next(
        (e.on for e in events if e.kind == RectifyEventKind.COMPLETED and e.undone_at is None),
        None,
    )
    return (r.source, r.fed_back_on, r.problem, r.department, r.owner, done)


def _rectify_signature(row: ImportRow) -> tuple[object, ...]:
    f = row.fields
    done = row.steps[0].on if row.steps else None
    return (f["source"], f["fed_back_on"], f["problem"], f["department"], f["owner"], done)


RECTIFY_DECLARATION = ImportDeclaration(
    spec=RECTIFY_SPEC,
    to_row=_rectify_row,
    stored_signature=_rectify_stored,
    row_signature=_rectify_signature,
    headers=RECTIFY_HEADERS,
    noun="整改事项",
)
