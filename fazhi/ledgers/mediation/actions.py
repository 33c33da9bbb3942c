"""Every state change of the 人民调解 ledger is one of these actions: each validates its own
input, then makes one move through the record kit (door, lock, table, timeline, clocks, audit)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction

from fazhi.core.records import perform
from fazhi.core.records.handoffs import hand_over
from fazhi.core.records.ledger import get_ledger
from fazhi.core.records.perform import Step, check_fields
from fazhi.core.tenancy.access import access_for
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.workflow import ActionError
from fazhi.ledgers.mediation import validation
from fazhi.ledgers.mediation.ledger import COMMITTEES, LEDGER, SCREENINGS
from fazhi.ledgers.mediation.models import (
    SOURCE_LEDGERS,
    Case,
    Committee,
    CommitteeStatus,
    CourtResult,
    EventKind,
    Mediator,
    Outcome,
    Party,
    Performance,
    Route,
    Screening,
)

if TYPE_CHECKING:
    from typing_extensions import Unpack

RECUSAL_REASONS = {
    "relative": "是一方当事人或其代理人的近亲属",
    "interest": "与纠纷有利害关系",
    "other": "与当事人有其他关系，可能影响公正调解",
}

ROUTES_REQUIRED = "请选择已告知当事人的其他途径（仲裁、行政、司法）"

# --- committees -----------------------------------------------------------------------------


def register_committee(
    *,
    unit: OrgUnit,
    by: Any,
    name: str,
    kind: str,
    term_start: dt.date,
    members: str,
    field_of_work: str = "",
    number: str = "",
    backdate_reason: str = "",
) -> Committee:
    """A committee with its first members (3–9, the first named is the chair; Art. 8)."""
    people = validation.parse_members(members)
    fields = {"name": name, "kind": kind, "field_of_work": field_of_work, "term_start": term_start}
    with transaction.atomic():
        committee: Committee = perform.register(
            COMMITTEES,
            unit=unit,
            by=by,
            fields=fields,
            number=number,
            data={"members": [p["name"] for p in people]},
            backdate_reason=backdate_reason,
        )
        user = by if getattr(by, "pk", None) else None
        Mediator.objects.bulk_create(
            [Mediator(record=committee, created_by=user, **p) for p in people]
        )
        return committee


def renew(c: Committee, *, by: Any, on: dt.date, **step: Unpack[Step]) -> Committee:
    """换届: a new 3-year term from `on` (Art. 9); members are changed as rows."""
    result: Committee = perform.perform(
        COMMITTEES, c, "renew", by=by, on=on, changes={"term_start": on}, **step
    )
    return result


def dissolve(c: Committee, *, by: Any, on: dt.date, **step: Unpack[Step]) -> Committee:
    result: Committee = perform.perform(COMMITTEES, c, "dissolve", by=by, on=on, **step)
    return result


# --- 排查 -------------------------------------------------------------------------------------


def register_screening(
    *,
    unit: OrgUnit,
    by: Any,
    held_on: dt.date,
    scope: str,
    staff: str,
    summary: str = "",
    number: str = "",
    backdate_reason: str = "",
) -> Screening:
    fields = {"held_on": held_on, "scope": scope, "staff": staff, "summary": summary}
    result: Screening = perform.register(
        SCREENINGS, unit=unit, by=by, fields=fields, number=number, backdate_reason=backdate_reason
    )
    return result


def conclude_screening(
    s: Screening, *, by: Any, on: dt.date, summary: str = "", **step: Unpack[Step]
) -> Screening:
    changes = {"summary": summary.strip()[:2000]} if summary.strip() else {}
    result: Screening = perform.perform(
        SCREENINGS, s, "conclude", by=by, on=on, changes=changes, **step
    )
    return result


# --- cases ------------------------------------------------------------------------------------


def _origin(by: Any, source: str, origin_ref: str) -> tuple[str, int | None]:
    """The origin record when it is a record of a fazhi ledger the user may see (its door)."""
    slug = SOURCE_LEDGERS.get(source)  # type: ignore[call-overload]
    kit = get_ledger(slug) if slug else None
    if kit is None or not origin_ref.strip():
        return "", None
    found = kit.model.objects.visible_to(by).filter(number=origin_ref.strip()).first()
    return (kit.slug, found.pk) if found is not None else ("", None)


def default_committee(unit: OrgUnit, by: Any) -> Committee:
    found = (
        Committee.objects.visible_to(by)
        .filter(unit=unit, status=CommitteeStatus.ACTIVE)
        .order_by("id")
        .first()
    )
    if found is None:
        raise ActionError(
            f"{unit.name}尚未登记人民调解委员会，请先在「人民调解委员会」中登记", field="unit"
        )
    return found


def register(
    *,
    unit: OrgUnit,
    by: Any,
    received_on: dt.date,
    source: str,
    dispute_type: str,
    summary: str,
    parties: Sequence[dict[str, Any]],
    origin_ref: str = "",
    number: str = "",
    backdate_reason: str = "",
) -> Case:
    """受理 a dispute (Art. 17/18) with its parties; it goes to the unit's committee until one
    is assigned. A source that is a fazhi record (a 信访事项, a 12345 order) is linked."""
    if len(parties) < 2:
        raise ActionError("请至少填写两方当事人", field="p2_name")
    cleaned = []
    for n, p in enumerate(parties, start=1):
        validation.check_party(p, prefix=f"p{n}_")
        cleaned.append(check_fields(Party, {k: str(v or "").strip() for k, v in p.items()}))
    validation.check_distinct_parties(cleaned)
    with transaction.atomic():
        committee = default_committee(unit, by)
        origin_ledger, origin_id = _origin(by, source, origin_ref)
        fields = {
            "received_on": received_on,
            "source": source,
            "origin_ref": origin_ref,
            "dispute_type": dispute_type,
            "summary": summary,
            "committee": committee,
            "origin_ledger": origin_ledger,
            "origin_id": origin_id,
        }
        case: Case = perform.register(
            LEDGER,
            unit=unit,
            by=by,
            fields=fields,
            number=number,
            data={"parties": len(cleaned), "committee": committee.name},
            backdate_reason=backdate_reason,
        )
        user = by if getattr(by, "pk", None) else None
        Party.objects.bulk_create([Party(record=case, created_by=user, **p) for p in cleaned])
        return case


def _move(c: Case, code: str, *, by: Any, on: dt.date, **kw: Any) -> Case:
    result: Case = perform.perform(LEDGER, c, code, by=by, on=on, **kw)
    return result


def recused_ids(events: Sequence[Any]) -> set[int]:
    return {int(e.data["mediator_id"]) for e in events if e.kind == EventKind.RECUSED}


def _committee_of_unit(committee: Any, locked: Case) -> Committee:
    if not isinstance(committee, Committee) or committee.unit_id != locked.unit_id:
        raise ActionError("请选择本单位的调解组织", field="committee")
    if committee.status != CommitteeStatus.ACTIVE:
        raise ActionError(f"{committee.name}已撤销，不能受理纠纷", field="committee")
    return committee


def _mediator_of(mediator: Any, committee: Committee, events: Sequence[Any]) -> Mediator | None:
    if mediator is None:
        return None
    if (
        not isinstance(mediator, Mediator)
        or mediator.record_id != committee.pk
        or mediator.removed_at is not None
    ):
        raise ActionError(f"所选调解员不是{committee.name}的调解员", field="mediator")
    if mediator.pk in recused_ids(events):
        raise ActionError(f"{mediator.name}已在本件回避，不能指派", field="mediator")
    return mediator


def assign(
    c: Case, *, by: Any, on: dt.date, committee: Any, mediator: Any, **step: Unpack[Step]
) -> Case:
    """The committee and the mediator who handle the case (Art. 19); never a recused one."""
    if mediator is None:
        raise ActionError("请选择调解员", field="mediator")

    def changes(locked: Case, events: list[Any]) -> dict[str, Any]:
        chosen = _committee_of_unit(committee, locked)
        return {"committee": chosen, "mediator": _mediator_of(mediator, chosen, events)}

    data = {"committee": getattr(committee, "name", ""), "mediator": getattr(mediator, "name", "")}
    return _move(c, "assign", by=by, on=on, changes=changes, data=data, **step)


def recuse(
    c: Case, *, by: Any, on: dt.date, mediator: Any, reason: str, **step: Unpack[Step]
) -> Case:
    """A mediator who is a party's relative or has an interest steps aside (recorded; they can
    no longer be assigned to this case)."""
    if reason not in RECUSAL_REASONS:
        raise ActionError("请选择回避的原因", field="reason")
    if not isinstance(mediator, Mediator):
        raise ActionError("请选择回避的调解员", field="mediator")

    def changes(locked: Case, events: list[Any]) -> dict[str, Any]:
        if mediator.record_id != locked.committee_id:
            raise ActionError("所选调解员不属于本件的调解组织", field="mediator")
        if mediator.pk in recused_ids(events):
            raise ActionError(f"{mediator.name}已登记回避", field="mediator")
        return {"mediator": None} if locked.mediator_id == mediator.pk else {}

    data = {"mediator_id": mediator.pk, "mediator": mediator.name, "reason": reason}
    return _move(c, "recuse", by=by, on=on, changes=changes, data=data, **step)


def _needs_session(locked: Case, events: list[Any]) -> None:
    if not locked.sessions.filter(removed_at__isnull=True).exists():
        raise ActionError("请先填写调解记录（第二十七条）", field="on")


def _not_before_sessions(on: dt.date, what: str) -> Any:
    """An outcome ends the mediation, so it cannot precede the last session recorded."""

    def check(locked: Case, events: list[Any]) -> None:
        last = (
            locked.sessions.filter(removed_at__isnull=True)
            .order_by("-on")
            .values_list("on", flat=True)
            .first()
        )
        if last is not None and on < last:
            raise ActionError(
                f"{what}（{on:%Y-%m-%d}）早于最近一次调解的日期（{last:%Y-%m-%d}），"
                f"请填写{last:%Y-%m-%d}或之后的日期，或先更正调解记录",
                field="on",
            )

    return check


def _agreement_checks(on: dt.date, what: str) -> Any:
    later = _not_before_sessions(on, what)

    def check(locked: Case, events: list[Any]) -> None:
        _needs_session(locked, events)
        later(locked, events)

    return check


def _agreed(
    c: Case, code: str, outcome: str, by: Any, on: dt.date, agreement: str, step: Step, what: str
) -> Case:
    text = perform.clean_input(agreement, max_length=5000, label="协议内容", field="agreement")
    if not text.strip():
        raise ActionError("请填写协议内容（各方的权利义务、履行方式和期限）", field="agreement")
    changes = {"outcome": outcome, "concluded_on": on, "effective_on": on, "agreement": text}
    return _move(
        c,
        code,
        by=by,
        on=on,
        changes=changes,
        check=_agreement_checks(on, what),
        audit_data={"outcome": outcome},
        **step,
    )


def written_agreement(
    c: Case, *, by: Any, on: dt.date, agreement: str, **step: Unpack[Step]
) -> Case:
    """调解协议书 (Art. 29), effective when signed and sealed; opens the 30日 司法确认 window."""
    return _agreed(c, "written", Outcome.WRITTEN, by, on, agreement, step, "协议生效日期")


def oral_agreement(c: Case, *, by: Any, on: dt.date, agreement: str, **step: Unpack[Step]) -> Case:
    """口头协议 (Art. 30), effective when reached; the mediator records its content (Art. 28)."""
    return _agreed(c, "oral", Outcome.ORAL, by, on, agreement, step, "达成协议日期")


def fail(c: Case, *, by: Any, on: dt.date, routes: Sequence[str], **step: Unpack[Step]) -> Case:
    """调解不成 (Art. 26): mediation ends and the parties are told of the other routes."""
    chosen = [r for r in routes if r in Route.values]
    if not chosen or len(chosen) != len(routes):
        raise ActionError(ROUTES_REQUIRED, field="routes")
    changes = {"outcome": Outcome.FAILED, "concluded_on": on}
    return _move(
        c,
        "fail",
        by=by,
        on=on,
        changes=changes,
        check=_not_before_sessions(on, "终止调解日期"),
        data={"routes": chosen},
        **step,
    )


def refuse(c: Case, *, by: Any, on: dt.date, party: str, **step: Unpack[Step]) -> Case:
    """Art. 17: a party expressly refuses, so mediation cannot go ahead."""
    who = perform.clean_input(party, max_length=100, label="拒绝调解的当事人", field="party")
    if not who.strip():
        raise ActionError("请写明拒绝调解的当事人", field="party")
    changes = {"outcome": Outcome.REFUSED, "concluded_on": on}
    return _move(c, "refuse", by=by, on=on, changes=changes, data={"party": who}, **step)


def hand_up(c: Case, *, by: Any, on: dt.date, **step: Unpack[Step]) -> Case:
    """社区 → 街道 → 区: the case, with its whole history, goes to the upper unit, whose
    committee takes it over; this unit keeps reading it (ADR 0012)."""
    upper = c.unit.parent
    if upper is None:
        raise ActionError("本单位没有上级单位，不能上报")
    handed: Case = hand_over(
        LEDGER, c, "hand_up", by=by, on=on, to_unit=upper, changes={"mediator": None}, **step
    )
    return handed


def take_over(
    c: Case, *, by: Any, on: dt.date, committee: Any, mediator: Any = None, **step: Unpack[Step]
) -> Case:
    """The upper unit's committee takes the case over; the one-month target restarts. It
    cannot take over before the case was handed up (named as the hand-up, not as a 受理)."""
    handed = (
        c.events.filter(kind=EventKind.HANDED_UP, undone_at__isnull=True)
        .order_by("-on")
        .values_list("on", flat=True)
        .first()
    )
    if handed is not None and on < handed and c.unit_id in access_for(by).unit_ids:
        raise ActionError(f"受理日期不能早于上报日期（{handed:%Y-%m-%d}）", field="on")

    def changes(locked: Case, events: list[Any]) -> dict[str, Any]:
        chosen = _committee_of_unit(committee, locked)
        return {"committee": chosen, "mediator": _mediator_of(mediator, chosen, events)}

    data = {"committee": getattr(committee, "name", ""), "mediator": getattr(mediator, "name", "")}
    return _move(c, "take_over", by=by, on=on, changes=changes, data=data, **step)


def apply_confirmation(c: Case, *, by: Any, on: dt.date, court: str, **step: Unpack[Step]) -> Case:
    """Both parties applied jointly to the court for 司法确认 (Art. 33)."""
    name = perform.clean_input(court, max_length=100, label="人民法院", field="court")
    if not name.strip():
        raise ActionError("请填写受理申请的人民法院", field="court")
    changes = {"confirmation_applied_on": on}
    return _move(
        c, "apply_confirmation", by=by, on=on, changes=changes, data={"court": name}, **step
    )


def rule_confirmation(c: Case, *, by: Any, on: dt.date, result: str, **step: Unpack[Step]) -> Case:
    if result not in CourtResult.values:
        raise ActionError("请选择法院的裁定结果", field="result")
    return _move(
        c,
        "rule_confirmation",
        by=by,
        on=on,
        changes={"court_result": result},
        data={"result": result},
        **step,
    )


def follow_up(c: Case, *, by: Any, on: dt.date, performance: str, **step: Unpack[Step]) -> Case:
    """回访: whether the agreement is being performed."""
    if performance not in Performance.values:
        raise ActionError("请选择协议履行情况", field="performance")
    changes = {"followup_on": on, "performance": performance}
    return _move(
        c,
        "follow_up",
        by=by,
        on=on,
        changes=changes,
        data={"performance": performance},
        **step,
    )
