"""The toy ledger's declaration for the record kit: rules, two clocks, the moves, the ledger.

| clock | rule | runs from | while | stops at |
|---|---|---|---|---|
| handle | 10 工作日 (+5 once, approved) | receipt | received, waiting (paused, at most 5 工作日), suspended (paused, frozen), submitted | closing |
| supplement | 5日 (a window) | receipt | received, waiting | the supplement |
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q

from fazhi.core.calendar.service import get_calendar
from fazhi.core.deadlines.rules import DeadlineRule, PeriodUnit, register
from fazhi.core.masking import mask_id_numbers_in
from fazhi.core.metrics import Indicator
from fazhi.core.records.clocks import ClockSpec, ExtendSpec, PauseSpec, Start, derive
from fazhi.core.records.ledger import ChildSpec, Ledger, Numbering
from fazhi.core.records.tests.toy.models import Case, CaseEvent, Category, Kind, Note, Status
from fazhi.core.tenancy.roles import Permission
from fazhi.core.workflow import (
    ActionError,
    Approval,
    Move,
    StepContext,
    dated,
    not_by_actor_of,
    only_assigned_handler,
)

S = Status
K = Kind
BASIS = "《示例办法》"

HANDLE = DeadlineRule("toy.handle", "办理", 10, PeriodUnit.WORKDAY, f"{BASIS}第五条", "收到之日")
REPLY = DeadlineRule(
    "toy.reply", "被征询方答复", 5, PeriodUnit.WORKDAY, f"{BASIS}第六条", "发出征询之日"
)
EXTENSION = DeadlineRule(
    "toy.extension", "延长办理期限", 5, PeriodUnit.WORKDAY, f"{BASIS}第八条", "原期限届满之日"
)
SUPPLEMENT = DeadlineRule(
    "toy.supplement", "补充材料", 5, PeriodUnit.DAY, f"{BASIS}第七条", "收到之日"
)
register(HANDLE, REPLY, EXTENSION, SUPPLEMENT)

ASKING = PauseSpec(K.ASKED, frozenset({K.ANSWERED}), "征询意见", status=S.WAITING, limit=REPLY)
SUSPENSION = PauseSpec(K.SUSPENDED, frozenset({K.RESUMED}), "中止办理", status=S.SUSPENDED)

HANDLE_CLOCK = ClockSpec(
    "handle",
    "办理期限",
    HANDLE,
    starts=(Start("收到之日", field="received_on"),),
    runs=frozenset({S.RECEIVED, S.WAITING, S.SUSPENDED, S.SUBMITTED}),
    pauses=(ASKING, SUSPENSION),
    extensions=(ExtendSpec(K.EXTENDED, EXTENSION, "经负责人批准延期"),),
    field="handle_due_on",
)
SUPPLEMENT_CLOCK = ClockSpec(
    "supplement",
    "补充材料期限",
    SUPPLEMENT,
    starts=(Start("收到之日", field="received_on"),),
    runs=frozenset({S.RECEIVED, S.WAITING}),
    stops=frozenset({K.SUPPLEMENTED}),
    field="window_due_on",
    window=True,
    lapse_note="期限届满后不再接受补充材料",
)

EXTENSION_APPROVAL = Approval(
    "待审批延期", K.EXTENSION_REQUESTED, frozenset({K.EXTENDED, K.EXTENSION_REFUSED})
)


def _not_extended(ctx: StepContext) -> str | None:
    return "办理期限只能延长一次" if K.EXTENDED in ctx.kinds() else None


@dated
def _supplement_in_time(ctx: StepContext) -> str | None:
    derived = derive(SUPPLEMENT_CLOCK, ctx.record, ctx.events, get_calendar(), ctx.on)
    if derived is not None and ctx.on > derived[0].due:
        return f"补充材料应在{derived[0].due:%Y-%m-%d}前提交，已超过期限"
    return None


_not_own_case = not_by_actor_of(K.SUBMITTED, message="提交审核的人不能审核自己办理的案件")
_not_own_request = not_by_actor_of(K.EXTENSION_REQUESTED, message="提请延期的人不能自行批准延期")

OPEN = frozenset({S.RECEIVED, S.WAITING})
MOVES: tuple[Move, ...] = (
    Move(
        "assign",
        "分办",
        frozenset({S.RECEIVED}),
        None,
        Permission.APPROVE,
        event=K.ASSIGNED,
        date_label="分办日期",
    ),
    Move(
        "ask",
        "发出征询",
        frozenset({S.RECEIVED}),
        S.WAITING,
        Permission.HANDLE,
        event=K.ASKED,
        date_label="征询日期",
    ),
    Move(
        "answer",
        "登记答复",
        frozenset({S.WAITING}),
        S.RECEIVED,
        Permission.HANDLE,
        event=K.ANSWERED,
        date_label="答复日期",
    ),
    Move(
        "suspend",
        "中止办理",
        frozenset({S.RECEIVED}),
        S.SUSPENDED,
        Permission.HANDLE,
        event=K.SUSPENDED,
        date_label="中止日期",
    ),
    Move(
        "resume",
        "恢复办理",
        frozenset({S.SUSPENDED}),
        S.RECEIVED,
        Permission.HANDLE,
        event=K.RESUMED,
        date_label="恢复日期",
    ),
    Move(
        "supplement",
        "登记补充材料",
        OPEN,
        None,
        Permission.HANDLE,
        guards=(_supplement_in_time,),
        event=K.SUPPLEMENTED,
        date_label="补充日期",
    ),
    Move(
        "submit",
        "提交审核",
        frozenset({S.RECEIVED}),
        S.SUBMITTED,
        Permission.HANDLE,
        guards=(only_assigned_handler("handler"),),
        event=K.SUBMITTED,
        date_label="提交日期",
    ),
    Move(
        "review",
        "审核通过",
        frozenset({S.SUBMITTED}),
        S.CLOSED,
        Permission.LEGAL_REVIEW,
        guards=(_not_own_case,),
        primary=True,
        confirm="审核通过后案件即办结。确认？",
        event=K.REVIEWED,
        date_label="审核日期",
        undo=Permission.APPROVE,
    ),
    Move(
        "send_back",
        "退回重办",
        frozenset({S.SUBMITTED}),
        S.RECEIVED,
        Permission.LEGAL_REVIEW,
        guards=(_not_own_case,),
        event=K.RETURNED,
        date_label="退回日期",
    ),
    Move(
        "request_extension",
        "提请延期",
        OPEN,
        None,
        Permission.HANDLE,
        guards=(_not_extended, EXTENSION_APPROVAL.not_requested("已提请延期，等待批准")),
        event=K.EXTENSION_REQUESTED,
        date_label="提请日期",
    ),
    Move(
        "extend",
        "批准延期",
        OPEN,
        None,
        Permission.APPROVE,
        guards=(_not_extended, _not_own_request),
        event=K.EXTENDED,
        date_label="批准日期",
    ),
    Move(
        "refuse_extension",
        "不予批准延期",
        OPEN,
        None,
        Permission.APPROVE,
        guards=(EXTENSION_APPROVAL.requested("没有待批准的延期申请"), _not_own_request),
        event=K.EXTENSION_REFUSED,
        date_label="决定日期",
        undo=None,
    ),
    Move(
        "hand_over",
        "移交上级单位",
        OPEN,
        None,
        Permission.HANDLE,
        event=K.HANDED_OVER,
        date_label="移交日期",
        undo=None,  # a record that changed hands is corrected, not undone (ADR 0012)
    ),
)


def validate(fields: dict[str, Any]) -> None:
    if fields.get("category") not in Category.values:
        raise ActionError("类型无效", field="category")
    if not str(fields.get("subject") or "").strip():
        raise ActionError("请填写事项", field="subject")
    id_number = str(fields.get("id_number") or "").strip().upper()
    if id_number and not (len(id_number) == 18 and id_number[:17].isdigit()):
        raise ActionError("证件号码应为18位", field="id_number")
    if "id_number" in fields:
        fields["id_number"] = id_number


MAX_NOTES = 3  # a toy rule over the live rows (ChildSpec.check_rows)
NOTES = ChildSpec(
    code="notes",
    label="工作记录",
    model=Note,
    fields=("noted_on", "text"),
    date_field="noted_on",
    # The timeline is a log: an ID number quoted in a note is masked there (invariant 8).
    describe=lambda n: mask_id_numbers_in(f"{n.noted_on:%Y-%m-%d} {n.text}"),
    check_rows=lambda rows: (
        f"每件案件最多三条工作记录，调整后将为{len(rows)}条" if len(rows) > MAX_NOTES else None
    ),
)

LEDGER = Ledger(
    slug="toy",
    name="示例案件",
    model=Case,
    event_model=CaseEvent,
    statuses=Status,
    initial=S.RECEIVED,
    closed=frozenset({S.CLOSED}),
    moves=MOVES,
    event_labels=dict(Kind.choices),
    audit_object="toy.case",
    start_field="received_on",
    start_label="收到日期",
    validate=validate,
    clocks=(HANDLE_CLOCK, SUPPLEMENT_CLOCK),
    approvals=(EXTENSION_APPROVAL,),
    numbering=Numbering(lambda case: f"TOY-{case.received_on.year}-", width=3),
    correctable=("received_on", "subject", "category", "id_number"),
    sensitive=frozenset({"id_number"}),
    children=(NOTES,),
    closed_on="closed_on",
)


def closed_q(year: int) -> Q:
    return Q(status=S.CLOSED, closed_on__year=year)


INDICATORS = (
    Indicator("toy.closed", "本年办结示例案件", "办结日期在本年度内的案件", Case, closed_q),
    Indicator(
        "toy.on_time_rate",
        "示例案件按期办结率",
        "在办理期限内办结的件数 ÷ 本年办结件数",
        Case,
        closed_q,
        numerator=lambda year: Q(closed_on__lte=F("handle_due_on")),
    ),
)
