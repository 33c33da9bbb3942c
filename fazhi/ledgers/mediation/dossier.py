"""一案一册: one case's file as a 公文-format .docx (《人民调解法》第二十七条: the registration, the
work record and the agreement), built as report data and rendered by core.reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fazhi.core.calendar.service import get_calendar
from fazhi.core.masking import mask_id_number
from fazhi.core.records.clocks import live_events, states
from fazhi.core.records.handoffs import trail
from fazhi.core.reports.document import (
    Block,
    Cell,
    Document,
    Heading,
    Paragraph,
    Table,
    chinese_date,
)
from fazhi.ledgers.mediation.actions import RECUSAL_REASONS
from fazhi.ledgers.mediation.clocks import CONFIRMATION
from fazhi.ledgers.mediation.ledger import LEDGER
from fazhi.ledgers.mediation.models import Case, EventKind, Outcome, Route
from fazhi.ledgers.mediation.privacy import masked_party


def _d(day: dt.date | None) -> str:
    return chinese_date(day) if day else "—"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in "。！？；" else text + "。"


def _pair_table(rows: list[tuple[str, str]], key: str) -> Table:
    return Table(
        header=[],
        rows=[
            [Cell(label, bold=True, align="center"), Cell(value, align="left")]
            for label, value in rows
        ],
        column_widths=[1, 3],
        key=key,
    )


@dataclass(frozen=True)
class _Party:
    name: str
    kind: str
    id_number: str
    contact: str
    address: str


def _parties(case: Case, masked: bool) -> list[_Party]:
    found = []
    for p in case.parties.all():
        if p.removed_at is not None:
            continue
        # The dossier may leave the office: an ID number is always shown masked (invariant 8),
        # and a reader who does not handle the case sees the rest masked as on the detail page.
        shown = {"id_number": mask_id_number(p.id_number) if p.id_number else ""}
        if masked:
            shown |= masked_party(p)
        values = {f: shown.get(f, getattr(p, f)) for f in ("name", "contact", "address")}
        found.append(_Party(kind=p.get_kind_display(), id_number=shown["id_number"], **values))
    return found


def _confirmation_due(case: Case, events: list[Any], today: dt.date) -> dt.date | None:
    """The 30日 window's last day, also once the parties applied (the cached due date is
    cleared then, the window having stopped)."""
    for st in states(LEDGER, case, events, get_calendar(), today):
        if st.spec.code == CONFIRMATION.code:
            return st.due
    return None


def _confirmation(case: Case, events: list[Any]) -> list[Block]:
    """The 司法确认 application and ruling belong with the written agreement they confirm."""
    found: list[Block] = []
    for e in events:
        if e.kind == EventKind.CONFIRMATION_APPLIED:
            found.append(
                Paragraph(
                    f"司法确认：{_d(e.on)}，双方当事人向{e.data.get('court', '')}申请司法确认。"
                )
            )
        elif e.kind == EventKind.CONFIRMATION_RULED:
            found.append(
                Paragraph(
                    f"司法确认：{_d(e.on)}，人民法院{case.get_court_result_display() or '作出裁定'}。"
                )
            )
    return found


def build(case: Case, today: dt.date, *, masked: bool = False) -> Document:
    """The case's file; `masked` for a reader without the HANDLE permission on its unit."""
    events = live_events(case.events.all())
    parties = _parties(case, masked)
    sessions = [s for s in case.sessions.all() if s.removed_at is None]
    blocks: list[Block] = [Heading("一、人民调解受理登记表")]
    register: list[tuple[str, str]] = [
        ("调解编号", case.number),
        ("受理日期", _d(case.received_on)),
        (
            "纠纷来源",
            case.get_source_display() + (f"（{case.origin_ref}）" if case.origin_ref else ""),
        ),
        ("纠纷类型", case.get_dispute_type_display()),
    ]
    for n, p in enumerate(parties, start=1):
        ident = f"，证件号码 {p.id_number}" if p.id_number else ""
        contact = f"，联系方式 {p.contact}" if p.contact else ""
        address = f"，住址 {p.address}" if p.address else ""
        register.append((f"当事人{n}", f"{p.name}（{p.kind}）{ident}{contact}{address}"))
    register += [
        ("纠纷简要情况", case.summary),
        ("调解组织", case.committee.name),
        ("调解员", case.mediator.name if case.mediator else "（未指派）"),
    ]
    handed = trail(LEDGER, case)
    if handed:
        register.append(
            (
                "上报经过",
                "；".join(f"{_d(h.on)}由{h.from_unit.name}上报{h.to_unit.name}" for h in handed),
            )
        )
    recused = [e for e in events if e.kind == EventKind.RECUSED]
    for e in recused:
        reason = RECUSAL_REASONS.get(e.data.get("reason", ""), "")
        register.append(
            ("回避", f"{_d(e.on)} 调解员{e.data.get('mediator', '')}{reason}，依法回避")
        )
    blocks.append(_pair_table(register, "register"))
    blocks.append(
        Paragraph(
            "调解前已告知当事人人民调解的性质、原则和效力，以及当事人在调解活动中享有的权利和承担的义务。"
        )
    )

    blocks.append(Heading("二、调解记录"))
    if not sessions:
        blocks.append(Paragraph("（尚无调解记录）"))
    for n, s in enumerate(sessions, start=1):
        blocks.append(
            Heading(f"（{'一二三四五六七八九十'[n - 1] if n <= 10 else n}）第{n}次调解", level=2)
        )
        blocks.append(
            _pair_table(
                [
                    ("调解时间", _d(s.on)),
                    ("调解地点", s.place),
                    ("参加人员", s.present),
                    ("调解经过", s.content),
                    ("本次结果", s.get_result_display()),
                ],
                f"session{n}",
            )
        )

    if case.outcome == Outcome.WRITTEN:
        blocks.append(Heading("三、人民调解协议书"))
        names = "、".join(p.name for p in parties)
        blocks += [
            Paragraph(f"当事人：{names}。"),
            Paragraph(f"纠纷主要事实、争议事项：{_sentence(case.summary)}"),
            Paragraph(
                f"经{case.committee.name}调解，双方自愿达成如下协议：{_sentence(case.agreement)}"
            ),
            Paragraph(
                "本协议自各方当事人签名（盖章或按指印）、调解员签名并加盖人民调解委员会印章之日起生效，"
                "具有法律约束力，当事人应当按照约定履行。本协议一式三份，当事人各执一份，人民调解委员会留存一份。"
            ),
            Paragraph(
                f"协议生效日期：{_d(case.effective_on)}。双方当事人可自协议生效之日起三十日内（"
                f"{_d(_confirmation_due(case, events, today))}前）共同向人民法院申请司法确认"
                "（《人民调解法》第三十三条）。"
            ),
            *(Paragraph(f"当事人（签名、盖章或按指印）：{p.name}") for p in parties),
            Paragraph(f"调解员（签名）：{case.mediator.name if case.mediator else '________'}"),
            *_confirmation(case, events),
        ]
    elif case.outcome == Outcome.ORAL:
        blocks.append(Heading("三、口头调解协议记录"))
        blocks += [
            Paragraph(
                f"达成协议日期：{_d(case.effective_on)}。口头调解协议自各方当事人达成协议之日起生效。"
            ),
            Paragraph(f"协议内容：{_sentence(case.agreement)}"),
            Paragraph(f"记录人（调解员）：{case.mediator.name if case.mediator else '—'}"),
        ]
    elif case.outcome == Outcome.FAILED:
        ended = next((e for e in events if e.kind == EventKind.FAILED), None)
        routes = "、".join(Route(r).label for r in (ended.data.get("routes", []) if ended else []))
        blocks.append(Heading("三、调解终止记录"))
        blocks.append(
            Paragraph(
                f"经调解，当事人未能达成协议，于{_d(case.concluded_on)}终止调解，并已告知当事人可以依法"
                f"通过{routes}等途径维护自己的权利（《人民调解法》第二十六条）。"
                + (f"终止原因：{ended.note}" if ended and ended.note else "")
            )
        )
    elif case.outcome == Outcome.REFUSED:
        ended = next((e for e in events if e.kind == EventKind.REFUSED), None)
        who = ended.data.get("party", "") if ended else ""
        blocks.append(Heading("三、终止调解记录"))
        blocks.append(
            Paragraph(
                f"当事人{who}于{_d(case.concluded_on)}明确拒绝调解，依照《人民调解法》第十七条，不再调解。"
            )
        )
    else:
        blocks.append(Heading("三、调解协议"))
        blocks.append(Paragraph("（调解尚在进行中）"))

    blocks.append(Heading("四、回访记录"))
    visits = [e for e in events if e.kind == EventKind.FOLLOWED_UP]
    if not visits:
        blocks.append(Paragraph("（尚无回访记录）"))
    for e in visits:
        performance = {"done": "已履行", "partly": "部分履行", "not_done": "未履行"}.get(
            e.data.get("performance", ""), ""
        )
        note = _sentence(e.note) if e.note else ""
        blocks.append(Paragraph(f"{_d(e.on)}回访，协议履行情况：{performance}。{note}"))
    return Document(
        title="人民调解案卷",
        subtitle=f"{case.committee.name} · {case.number}",
        blocks=blocks,
        issuer=case.committee.name,
        date=case.concluded_on or today,
    )
