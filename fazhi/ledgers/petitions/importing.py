"""The 信访 ledger's Excel/CSV columns (Chinese headers) and its import declaration.

A row is a matter as a 信访 clerk's own ledger keeps it: its registration, how it was routed
(受理 / 转送 / 交办 / 不予受理) and when, an approved extension, the reply and the satisfaction.
Empty cells mean the step did not happen; idempotent on 信访编号.

The ledger export writes these same columns with the personal data masked (张**, 139****5678):
a masked cell is no name, so it imports as empty rather than as a fake one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fazhi.core.imports.parsers import (
    parse_choice,
    parse_date,
    parse_int,
    parse_text,
)
from fazhi.core.imports.spec import Column, ImportSpec, ParsedRow, RowError
from fazhi.core.records.bulk import (
    APPROVER_MAX_LENGTH,
    ImportDeclaration,
    ImportRow,
    ImportStep,
)
from fazhi.ledgers.petitions.models import (
    FROM_ABOVE,
    Category,
    EventKind,
    Form,
    Petition,
    Procedure,
    Result,
    Satisfaction,
    Source,
    Stage,
)
from fazhi.ledgers.petitions.validation import BASIS_MAX_LENGTH, BODY_MAX_LENGTH, check_visit


def _labels(choices: Any) -> dict[str, str]:
    return {label: code for code, label in choices.choices}


DATE = "日期，如 2026-03-01；未发生的环节留空"
ROUTES = {"受理": "accept", "转送": "transfer", "交办": "assign", "不予受理": "not_accept"}
# 交办 is a 转送 that asks for the result back (Art. 22): the same move, with assign=True.
ROUTE_MOVES = {
    "accept": "accept",
    "transfer": "transfer",
    "assign": "transfer",
    "not_accept": "not_accept",
}
ROUTE_KINDS = {
    "accept": EventKind.ACCEPTED,
    "transfer": EventKind.TRANSFERRED,
    "not_accept": EventKind.NOT_ACCEPTED,
}


def parse_plain(value: object) -> str:
    """Text as typed; control characters are refused by `parse_text` (core.imports)."""
    return parse_text(value)


def parse_personal(value: object) -> str:
    """A name, address or contact; one masked by the ledger export (张**) imports as empty."""
    text = parse_plain(value)
    return "" if "*" in text else text


SPEC = ImportSpec(
    name="信访事项",
    key="number",
    columns=(
        Column(
            "信访编号",
            "number",
            parse_plain,
            help="本单位内唯一，重复导入同一编号不会重复登记",
            example="XF-2026-0001",
        ),
        Column("收到日期", "received_on", parse_date, example="2026-03-02"),
        Column(
            "事项类别",
            "stage",
            parse_choice(_labels(Stage)),
            required=False,
            allow_blank=True,
            help="信访事项、复查、复核；留空为信访事项",
        ),
        Column(
            "信访形式",
            "form",
            parse_choice(_labels(Form), {"信访信息系统": Form.ONLINE, "网上": Form.ONLINE}),
            help="来信、来访、网上信访、电话、其他",
            example="来访",
        ),
        Column(
            "来源",
            "source",
            parse_choice(
                _labels(Source),
                {"交办": Source.ASSIGNED, "转送": Source.TRANSFERRED, "直接": Source.DIRECT},
            ),
            help="信访信息系统、上级交办、上级转送、领导信箱、本单位直接收到、其他",
            example="本单位直接收到",
        ),
        Column("来源文号", "source_ref", parse_plain, required=False, allow_blank=True),
        Column(
            "信访类型",
            "category",
            parse_choice(_labels(Category)),
            help="建议意见、检举控告、申诉求决",
            example="申诉求决",
        ),
        Column(
            "信访人",
            "petitioner",
            parse_personal,
            required=False,
            allow_blank=True,
            help="匿名可留空",
        ),
        Column("地址", "address", parse_personal, required=False, allow_blank=True),
        Column("联系方式", "contact", parse_personal, required=False, allow_blank=True),
        Column("诉求内容", "content", parse_plain, example="反映小区停车位规划问题"),
        Column(
            "来访人数", "visitors", parse_int, required=False, allow_blank=True, help="来访时填写"
        ),
        Column(
            "代表人数",
            "representatives",
            parse_int,
            required=False,
            allow_blank=True,
            help="不超过5人",
        ),
        Column(
            "原办理单位及答复",
            "original",
            parse_plain,
            required=False,
            allow_blank=True,
            help="复查、复核事项必填",
        ),
        Column(
            "处理方式",
            "route",
            parse_choice(ROUTES),
            required=False,
            allow_blank=True,
            help="受理、转送、交办、不予受理；留空表示尚未处理",
        ),
        Column("处理日期", "routed_on", parse_date, required=False, allow_blank=True, help=DATE),
        Column(
            "转送/交办机关",
            "to",
            parse_plain,
            required=False,
            allow_blank=True,
            max_length=BODY_MAX_LENGTH,
        ),
        Column(
            "告知途径",
            "procedure",
            parse_choice(_labels(Procedure)),
            required=False,
            allow_blank=True,
            help="不予受理时告知信访人的途径，如 诉讼、行政复议",
        ),
        Column(
            "延期批准日期", "extended_on", parse_date, required=False, allow_blank=True, help=DATE
        ),
        Column(
            "延长日数",
            "extension_days",
            parse_int,
            required=False,
            allow_blank=True,
            help="最长30日",
        ),
        Column(
            "延期批准人",
            "approver",
            parse_plain,
            required=False,
            allow_blank=True,
            help="本机关负责人姓名",
            max_length=APPROVER_MAX_LENGTH,
        ),
        Column(
            "答复日期",
            "replied_on",
            parse_date,
            required=False,
            allow_blank=True,
            help="意见书或协议日期；留空表示尚在办理",
        ),
        Column(
            "处理结果",
            "result",
            parse_choice(_labels(Result)),
            required=False,
            allow_blank=True,
            help="支持、解释说明、不予支持、调解、和解",
        ),
        Column(
            "处理依据",
            "basis",
            parse_plain,
            required=False,
            allow_blank=True,
            help="意见书的政策法律依据",
            max_length=BASIS_MAX_LENGTH,
        ),
        Column(
            "满意度",
            "satisfaction",
            parse_choice(_labels(Satisfaction)),
            required=False,
            allow_blank=True,
        ),
    ),
)
HEADERS = {c.key: c.header for c in SPEC.columns}
# The export writes the import's own columns, then what only a listing needs.
EXPORT_HEADERS = [*HEADERS.values(), "状态", "当前期限", "期限暂定"]


def _steps(v: dict[str, Any], errors: list[RowError], line: int) -> list[ImportStep]:
    def err(key: str, message: str) -> None:
        errors.append(RowError(line, HEADERS[key], message))

    steps: list[ImportStep] = []
    route, routed_on = v.get("route"), v.get("routed_on")
    if bool(route) != bool(routed_on):
        err("route" if routed_on else "routed_on", "「处理方式」与「处理日期」应同时填写")
    elif route and isinstance(routed_on, dt.date):
        data: dict[str, Any] = {}
        if route in ("transfer", "assign"):
            if not v.get("to"):
                err("to", "转送或交办时请填写接收机关")
            data = {"to": v.get("to") or "", "assign": route == "assign"}
        if route == "not_accept":
            if not v.get("procedure"):
                err("procedure", "不予受理时请填写告知信访人的途径")
            data = {"procedure": v.get("procedure") or ""}
        move = ROUTE_MOVES[str(route)]
        changes = {"routed_on": routed_on}
        steps.append(ImportStep(move, routed_on, HEADERS["routed_on"], data, changes))
    extended = v.get("extended_on")
    for key in ("extension_days", "approver"):
        if v.get(key) and not extended:
            err(key, f"已填写「{HEADERS[key]}」，但「{HEADERS['extended_on']}」为空")
    if isinstance(extended, dt.date):
        days = v.get("extension_days") or 30
        if not 1 <= int(str(days)) <= 30:
            err("extension_days", "延长期限为1至30日（条例第三十四条）")
        data = {"amount": int(str(days))}
        steps.append(ImportStep("request_extension", extended, HEADERS["extended_on"], data))
        steps.append(
            ImportStep(
                "extend",
                extended,
                HEADERS["extended_on"],
                data,
                approver=str(v.get("approver") or ""),
            )
        )
    replied, result = v.get("replied_on"), v.get("result")
    if bool(replied) != bool(result):
        err("result" if replied else "replied_on", "「答复日期」与「处理结果」应同时填写")
    elif isinstance(replied, dt.date) and result:
        agreement = result in (Result.MEDIATED, Result.SETTLED)
        if not agreement and not v.get("basis"):
            err("basis", "出具处理意见书的，请填写政策法律依据")
        data = {"result": result} | ({} if agreement else {"basis": v.get("basis") or ""})
        changes = {"result": result, "replied_on": replied}
        move = "agreement" if agreement else "opinion"
        steps.append(ImportStep(move, replied, HEADERS["replied_on"], data, changes))
        if v.get("satisfaction"):
            steps.append(
                ImportStep(
                    "feedback",
                    replied,
                    HEADERS["satisfaction"],
                    {"satisfaction": v["satisfaction"]},
                    {"satisfaction": v["satisfaction"]},
                )
            )
    elif v.get("satisfaction"):
        err("satisfaction", "尚未答复的事项不能填写满意度")
    return steps


def _to_row(row: ParsedRow, today: dt.date) -> tuple[ImportRow | None, list[RowError]]:
    v = row.values
    errors: list[RowError] = []
    received, routed = v.get("received_on"), v.get("routed_on")
    for key in ("received_on", "routed_on", "extended_on", "replied_on"):
        d = v.get(key)
        if not isinstance(d, dt.date):
            continue
        if d > today:
            errors.append(RowError(row.line, HEADERS[key], f"不能晚于今天: {d.isoformat()}"))
        elif isinstance(received, dt.date) and d < received:
            message = f"不能早于「{HEADERS['received_on']}」（{received:%Y-%m-%d}）"
            errors.append(RowError(row.line, HEADERS[key], message))
        elif key in ("extended_on", "replied_on") and isinstance(routed, dt.date) and d < routed:
            message = f"不能早于「{HEADERS['routed_on']}」（{routed:%Y-%m-%d}）"
            errors.append(RowError(row.line, HEADERS[key], message))
    if v.get("form") == Form.VISIT:
        try:
            check_visit(int(str(v.get("visitors") or 0)), int(str(v.get("representatives") or 1)))
        except Exception as exc:  # ActionError, with the rule's Chinese message
            key = getattr(exc, "field", None) or "visitors"
            errors.append(RowError(row.line, HEADERS[key], str(exc)))
    steps = _steps(v, errors, row.line)
    if errors:
        return None, errors
    fields = {
        "received_on": v["received_on"],
        "stage": v.get("stage") or Stage.INITIAL,
        "form": v["form"],
        "source": v["source"],
        "source_ref": v.get("source_ref") or "",
        "category": v["category"],
        "petitioner": v.get("petitioner") or "",
        "address": v.get("address") or "",
        "contact": v.get("contact") or "",
        "content": v["content"],
        "original": v.get("original") or "",
    }
    # What the register action records with the registration step; the clocks read it.
    person = Petition(**{k: fields[k] for k in ("petitioner", "address", "contact")})
    data = {
        "stage": fields["stage"],
        "from_above": fields["source"] in FROM_ABOVE,
        "notifiable": person.notifiable,
        "repeat_of": "",
    }
    visits = []
    if v.get("form") == Form.VISIT:
        visits.append(
            {
                "on": v["received_on"],
                "visitors": int(str(v.get("visitors") or 1)),
                "representatives": int(str(v.get("representatives") or 1)),
                "note": "首次来访（导入）",
            }
        )
    children = {"visits": visits}
    return ImportRow(row.line, str(v["number"]), fields, steps, children=children, data=data), []


def _stored_signature(p: Petition, events: list[Any]) -> tuple[object, ...]:
    """Matches `_row_signature`: the facts a row gives, as the record holds them."""
    first = {e.kind: e for e in reversed(events) if e.undone_at is None}
    routed = next((first[k] for k in ROUTE_KINDS.values() if k in first), None)
    extended = first.get(EventKind.EXTENDED)
    return (
        p.received_on,
        p.stage,
        p.form,
        p.source,
        p.category,
        p.content,
        (routed.kind, routed.on, bool(routed.data.get("assign"))) if routed else None,
        extended.on if extended else None,
        p.replied_on,
        p.result,
        p.satisfaction,
    )


def _row_signature(row: ImportRow) -> tuple[object, ...]:
    steps = {s.move: s for s in row.steps}
    routed = next((steps[m] for m in ROUTE_KINDS if m in steps), None)
    reply = steps.get("opinion") or steps.get("agreement")
    feedback = steps.get("feedback")
    f = row.fields
    return (
        f["received_on"],
        f["stage"],
        f["form"],
        f["source"],
        f["category"],
        f["content"],
        (ROUTE_KINDS[routed.move], routed.on, bool(routed.data.get("assign"))) if routed else None,
        steps["extend"].on if "extend" in steps else None,
        reply.on if reply else None,
        reply.changes["result"] if reply else "",
        feedback.changes["satisfaction"] if feedback else "",
    )


DECLARATION = ImportDeclaration(
    spec=SPEC,
    to_row=_to_row,
    stored_signature=_stored_signature,
    row_signature=_row_signature,
    headers=HEADERS,
    noun="信访事项",
)
