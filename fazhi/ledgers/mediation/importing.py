"""Excel/CSV columns (Chinese headers) and import declarations of the 人民调解 ledger.

A case row is the case as a 调委会's 台账 keeps it: registration, parties, the committee and
mediator (by name, within the importing unit), the outcome, the 司法确认 application and the
follow-up. Empty cells mean the step did not happen; idempotent on 调解编号. The export writes the
same columns with the natural persons' names masked (张**): a masked name imports as no name.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

from fazhi.core.imports.parsers import parse_choice, parse_date, parse_text
from fazhi.core.imports.spec import Column, ImportSpec, ParsedRow, RowError
from fazhi.core.records.bulk import ImportDeclaration, ImportRow, ImportStep
from fazhi.core.tenancy.models import OrgUnit
from fazhi.ledgers.mediation.models import (
    Committee,
    CommitteeKind,
    CommitteeStatus,
    DisputeType,
    EventKind,
    Mediator,
    Outcome,
    PartyKind,
    Performance,
    Route,
    Source,
)
from fazhi.ledgers.mediation.validation import parse_members


def _labels(choices: Any) -> dict[str, str]:
    return {label: code for code, label in choices.choices}


def _optional(header: str, key: str, parse: Any = parse_text, **kw: Any) -> Column:
    return Column(header, key, parse, required=False, allow_blank=True, **kw)


DATE = "如 2026-03-01；未发生的环节留空"
OUTCOMES = {**_labels(Outcome), "书面调解协议": Outcome.WRITTEN, "口头调解协议": Outcome.ORAL}
OUTCOME_MOVES = {
    Outcome.WRITTEN: "written",
    Outcome.ORAL: "oral",
    Outcome.FAILED: "fail",
    Outcome.REFUSED: "refuse",
}
ROUTE_LABELS = _labels(Route)


def _names(text: object) -> list[str]:
    return [n.strip() for n in re.split(r"[、,，;；\n]+", parse_text(text)) if n.strip()]


SPEC = ImportSpec(
    name="人民调解案件",
    key="number",
    columns=(
        Column(
            "调解编号",
            "number",
            help="本单位内唯一；重复导入同一编号不会重复登记",
            example="TJ-A1-2026-0001",
        ),
        Column("受理日期", "received_on", parse_date, example="2026-03-02"),
        Column(
            "纠纷来源",
            "source",
            parse_choice(_labels(Source)),
            help="当事人申请、主动调解、信访部门移交等",
            example="当事人申请",
        ),
        _optional("移交单位及文号", "origin_ref"),
        Column("纠纷类型", "dispute_type", parse_choice(_labels(DisputeType)), example="邻里纠纷"),
        Column("纠纷简要情况", "summary", example="楼上漏水致楼下墙面受损，双方就赔偿数额发生争议"),
        Column(
            "自然人当事人",
            "persons",
            _names,
            required=False,
            allow_blank=True,
            help="多人用顿号分隔",
            example="张某、李某",
        ),
        _optional("组织当事人", "orgs", _names, help="法人或其他组织，多个用顿号分隔"),
        _optional(
            "调解组织",
            "committee",
            help="本单位已登记的调委会名称；留空为本单位第一个调委会",
            max_length=100,
        ),
        _optional("调解员", "mediator", help="该调委会的调解员姓名", max_length=50),
        _optional(
            "调解结果",
            "outcome",
            parse_choice(OUTCOMES),
            help="书面协议、口头协议、调解不成、当事人拒绝调解；留空表示调解中",
        ),
        _optional("调结日期", "concluded_on", parse_date, help="协议生效或终止调解的日期"),
        _optional("协议内容", "agreement"),
        _optional(
            "已告知途径", "routes", _names, help="调解不成时：仲裁、行政途径、向人民法院提起诉讼"
        ),
        _optional("申请司法确认日期", "confirmation_on", parse_date, help=DATE),
        _optional("确认法院", "court", max_length=100),
        _optional("回访日期", "followup_on", parse_date, help=DATE),
        _optional("履行情况", "performance", parse_choice(_labels(Performance))),
    ),
)
HEADERS = {c.key: c.header for c in SPEC.columns}
EXPORT_HEADERS = [*HEADERS.values(), "状态", "当前期限", "期限暂定"]


def _err(errors: list[RowError], line: int, key: str, message: str) -> None:
    errors.append(RowError(line, HEADERS[key], message))


def _outcome_step(v: dict[str, Any], line: int, errors: list[RowError]) -> ImportStep | None:
    outcome, on = v.get("outcome"), v.get("concluded_on")
    if bool(outcome) != bool(on):
        _err(
            errors,
            line,
            "concluded_on" if outcome else "outcome",
            "「调解结果」与「调结日期」应同时填写",
        )
        return None
    if not outcome or not isinstance(on, dt.date):
        return None
    column = HEADERS["concluded_on"]
    changes: dict[str, Any] = {"outcome": outcome, "concluded_on": on}
    data: dict[str, Any] = {}
    if outcome in (Outcome.WRITTEN, Outcome.ORAL):
        if not v.get("agreement"):
            _err(errors, line, "agreement", "达成协议的，请填写协议内容")
        changes |= {"effective_on": on, "agreement": v.get("agreement") or ""}
    elif outcome == Outcome.FAILED:
        routes = v.get("routes") or []
        unknown = [r for r in routes if r not in ROUTE_LABELS]
        if not routes or unknown:
            _err(
                errors, line, "routes", "调解不成的，请填写已告知的途径：" + "、".join(ROUTE_LABELS)
            )
        data = {"routes": [ROUTE_LABELS[r] for r in routes if r in ROUTE_LABELS]}
    else:
        data = {"party": "（导入）"}
    return ImportStep(OUTCOME_MOVES[outcome], on, column, data, changes)


def _to_row(row: ParsedRow, today: dt.date) -> tuple[ImportRow | None, list[RowError]]:
    v: dict[str, Any] = row.values
    errors: list[RowError] = []
    received = v.get("received_on")
    for key in ("received_on", "concluded_on", "confirmation_on", "followup_on"):
        d = v.get(key)
        if not isinstance(d, dt.date):
            continue
        if d > today:
            _err(errors, row.line, key, f"不能晚于今天: {d.isoformat()}")
        elif isinstance(received, dt.date) and d < received:
            _err(errors, row.line, key, f"不能早于「受理日期」（{received:%Y-%m-%d}）")
    parties = [
        {"kind": PartyKind.PERSON, "name": n} for n in v.get("persons") or [] if "*" not in n
    ]
    parties += [{"kind": PartyKind.ORG, "name": n} for n in v.get("orgs") or []]
    if len(parties) < 2 and not any("*" in n for n in v.get("persons") or []):
        _err(errors, row.line, "persons", "请至少填写两方当事人（自然人或组织）")
    steps: list[ImportStep] = []
    outcome = _outcome_step(v, row.line, errors)
    if outcome is not None:
        steps.append(outcome)
    agreed = outcome is not None and outcome.move in ("written", "oral")
    if v.get("confirmation_on"):
        if outcome is None or outcome.move != "written":
            _err(errors, row.line, "confirmation_on", "只有达成书面协议的案件可以申请司法确认")
        elif not v.get("court"):
            _err(errors, row.line, "court", "请填写受理司法确认申请的人民法院")
        else:
            on = v["confirmation_on"]
            steps.append(
                ImportStep(
                    "apply_confirmation",
                    on,
                    HEADERS["confirmation_on"],
                    {"court": v["court"]},
                    {"confirmation_applied_on": on},
                )
            )
    if bool(v.get("followup_on")) != bool(v.get("performance")):
        _err(errors, row.line, "performance", "「回访日期」与「履行情况」应同时填写")
    elif v.get("followup_on"):
        if not agreed:
            _err(errors, row.line, "followup_on", "只有达成协议的案件才有履行回访")
        else:
            on = v["followup_on"]
            steps.append(
                ImportStep(
                    "follow_up",
                    on,
                    HEADERS["followup_on"],
                    {"performance": v["performance"]},
                    {"followup_on": on, "performance": v["performance"]},
                )
            )
    if errors:
        return None, errors
    fields = {
        "received_on": received,
        "source": v["source"],
        "origin_ref": v.get("origin_ref") or "",
        "dispute_type": v["dispute_type"],
        "summary": v["summary"],
    }
    # The committee and mediator are named here and found within the unit by `_resolve`.
    extra = {"committee": v.get("committee") or "", "mediator": v.get("mediator") or ""}
    return ImportRow(
        row.line, str(v["number"]), fields, steps, extra=extra, children={"parties": parties}
    ), []


def _resolve(unit: OrgUnit, by: Any, row: ImportRow) -> tuple[ImportRow | None, list[RowError]]:
    committees = Committee.objects.visible_to(by).filter(unit=unit, status=CommitteeStatus.ACTIVE)
    name = str(row.extra.get("committee") or "")
    committee = committees.filter(name=name).first() if name else committees.order_by("id").first()
    if committee is None:
        message = (
            f"本单位没有名为「{name}」的在任调委会" if name else "本单位尚未登记人民调解委员会"
        )
        return None, [RowError(row.line, HEADERS["committee"], message)]
    steps = list(row.steps)
    who = str(row.extra.get("mediator") or "")
    if who:
        mediator = Mediator.objects.filter(
            record=committee, name=who, removed_at__isnull=True
        ).first()
        if mediator is None:
            return None, [
                RowError(
                    row.line, HEADERS["mediator"], f"{committee.name}没有名为「{who}」的调解员"
                )
            ]
        assign = ImportStep(
            "assign",
            row.fields["received_on"],
            HEADERS["mediator"],
            {"committee": committee.name, "mediator": who},
            {"mediator": mediator},
        )
        steps.insert(0, assign)
    return dataclasses.replace(row, steps=steps, extra={"committee": committee}), []


def _stored_signature(c: Any, events: list[Any]) -> tuple[object, ...]:
    live = [e for e in events if e.undone_at is None]
    return (
        c.received_on,
        c.source,
        c.dispute_type,
        c.summary,
        c.outcome,
        c.concluded_on,
        c.confirmation_applied_on,
        c.followup_on,
        c.performance,
        sum(1 for e in live if e.kind == EventKind.ASSIGNED) > 0 or None,
    )


def _row_signature(row: ImportRow) -> tuple[object, ...]:
    steps = {s.move: s for s in row.steps}
    outcome = next((s for s in row.steps if s.move in OUTCOME_MOVES.values()), None)
    f = row.fields
    return (
        f["received_on"],
        f["source"],
        f["dispute_type"],
        f["summary"],
        outcome.changes["outcome"] if outcome else "",
        outcome.on if outcome else None,
        steps["apply_confirmation"].on if "apply_confirmation" in steps else None,
        steps["follow_up"].on if "follow_up" in steps else None,
        steps["follow_up"].changes["performance"] if "follow_up" in steps else "",
        True if "assign" in steps else None,
    )


DECLARATION = ImportDeclaration(
    spec=SPEC,
    to_row=_to_row,
    stored_signature=_stored_signature,
    row_signature=_row_signature,
    headers={**HEADERS, "summary": HEADERS["summary"]},
    noun="调解案件",
    resolve=_resolve,
)

# --- committees -------------------------------------------------------------------------------

COMMITTEE_SPEC = ImportSpec(
    name="人民调解委员会",
    key="number",
    columns=(
        Column("编号", "number", example="TWH-001"),
        Column("名称", "name", example="东湖社区人民调解委员会"),
        Column(
            "类型",
            "kind",
            parse_choice(
                _labels(CommitteeKind),
                {
                    "社区调委会": CommitteeKind.COMMUNITY,
                    "街道调委会": CommitteeKind.STREET,
                    "矛调中心": CommitteeKind.CENTER,
                    "专业调委会": CommitteeKind.PROFESSIONAL,
                },
            ),
        ),
        _optional("专业领域", "field_of_work"),
        Column("本届起始日期", "term_start", parse_date, example="2025-01-01"),
        Column(
            "委员",
            "members",
            max_length=1000,
            help="“姓名 性别”，顿号分隔，第一位为主任；三至九人",
            example="李红 女、王强 男、赵敏 女",
        ),
    ),
)
COMMITTEE_HEADERS = {c.key: c.header for c in COMMITTEE_SPEC.columns}


def _committee_row(row: ParsedRow, today: dt.date) -> tuple[ImportRow | None, list[RowError]]:
    v: dict[str, Any] = row.values
    try:
        members = parse_members(str(v["members"]))
    except Exception as exc:  # ActionError with the rule's Chinese message
        return None, [RowError(row.line, COMMITTEE_HEADERS["members"], str(exc))]
    start = v["term_start"]
    if isinstance(start, dt.date) and start > today:
        return None, [RowError(row.line, COMMITTEE_HEADERS["term_start"], f"不能晚于今天: {start}")]
    fields = {
        "name": v["name"],
        "kind": v["kind"],
        "field_of_work": v.get("field_of_work") or "",
        "term_start": start,
    }
    data = {"members": [m["name"] for m in members]}
    return ImportRow(
        row.line, str(v["number"]), fields, children={"mediators": members}, data=data
    ), []


def _committee_stored(c: Any, events: list[Any]) -> tuple[object, ...]:
    return (c.name, c.kind, c.term_start)


def _committee_signature(row: ImportRow) -> tuple[object, ...]:
    return (row.fields["name"], row.fields["kind"], row.fields["term_start"])


COMMITTEE_DECLARATION = ImportDeclaration(
    spec=COMMITTEE_SPEC,
    to_row=_committee_row,
    stored_signature=_committee_stored,
    row_signature=_committee_signature,
    headers=COMMITTEE_HEADERS,
    noun="调委会",
)

# --- 排查 -------------------------------------------------------------------------------------

SCREENING_SPEC = ImportSpec(
    name="矛盾纠纷排查",
    key="number",
    columns=(
        Column("排查编号", "number", example="PC-2026-0001"),
        Column("排查日期", "held_on", parse_date, example="2026-03-05"),
        Column("排查范围", "scope", example="东湖社区1—12栋"),
        Column("排查人员", "staff", example="李红、王强"),
        _optional("排查情况", "summary"),
        _optional("完成日期", "done_on", parse_date, help=DATE),
    ),
)
SCREENING_HEADERS = {c.key: c.header for c in SCREENING_SPEC.columns}


def _screening_row(row: ParsedRow, today: dt.date) -> tuple[ImportRow | None, list[RowError]]:
    v: dict[str, Any] = row.values
    errors: list[RowError] = []
    for key in ("held_on", "done_on"):
        d = v.get(key)
        if isinstance(d, dt.date) and d > today:
            errors.append(RowError(row.line, SCREENING_HEADERS[key], f"不能晚于今天: {d}"))
    if isinstance(v.get("done_on"), dt.date) and v["done_on"] < v["held_on"]:
        errors.append(RowError(row.line, SCREENING_HEADERS["done_on"], "不能早于「排查日期」"))
    if errors:
        return None, errors
    fields = {
        "held_on": v["held_on"],
        "scope": v["scope"],
        "staff": v["staff"],
        "summary": v.get("summary") or "",
    }
    steps = (
        [ImportStep("conclude", v["done_on"], SCREENING_HEADERS["done_on"])]
        if v.get("done_on")
        else []
    )
    return ImportRow(row.line, str(v["number"]), fields, steps), []


SCREENING_DECLARATION = ImportDeclaration(
    spec=SCREENING_SPEC,
    to_row=_screening_row,
    stored_signature=lambda s, events: (s.held_on, s.scope, s.staff),
    row_signature=lambda row: (row.fields["held_on"], row.fields["scope"], row.fields["staff"]),
    headers=SCREENING_HEADERS,
    noun="排查",
)
