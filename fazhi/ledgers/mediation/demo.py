"""Realistic demo data for one 街道: its committees, 排查 rounds and a year of cases, made
through the actions (so every clock, event and audit row is real)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from fazhi.core.records import corrections
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.workflow import ActionError
from fazhi.ledgers.mediation import actions
from fazhi.ledgers.mediation.ledger import FINDINGS, SESSIONS
from fazhi.ledgers.mediation.models import Case, CommitteeKind

LATE = "演示数据：补录历史台账"
DISPUTES = [
    (
        "neighbour",
        "楼上卫生间漏水致楼下墙面受损，双方就维修和赔偿发生争议",
        "由楼上住户承担维修费用2800元，于协议签订后15日内付清",
    ),
    ("family", "兄弟三人就父母赡养费用分担发生争议", "三人每月各承担赡养费600元，每月5日前交付"),
    (
        "property",
        "业主以物业服务不到位为由拒交物业费两年",
        "物业公司整改电梯维保，业主分期补交物业费",
    ),
    ("labour", "装修工人讨要拖欠工资1.2万元", "包工头于月底前一次性支付拖欠工资12000元"),
    ("damages", "宠物犬咬伤邻居，双方就医疗费赔偿发生争议", "犬主赔偿医疗费、误工费共计3500元"),
    ("contract", "租户提前退租，押金退还发生争议", "房东退还押金的70%，即2100元"),
    ("traffic", "小区内电动车与行人碰撞，就赔偿发生争议", "电动车主赔偿医疗费1800元"),
    ("land", "相邻两户就院墙界址发生争议", "按原界址恢复院墙，费用双方各半"),
]
SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"]
SOURCES = [
    ("application", 50),
    ("initiative", 15),
    ("screening", 15),
    ("petitions", 8),
    ("hotline", 7),
    ("police", 5),
]


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in weighted], [w for _, w in weighted])[0]


def _person(rng: random.Random) -> dict[str, str]:
    return {
        "kind": "person",
        "name": rng.choice(SURNAMES) + rng.choice(["某", "某某"]) + rng.choice("甲乙丙丁"),
        "contact": f"139{rng.randint(10000000, 99999999)}",
        "address": "",
        "id_number": "",
    }


def seed(unit: OrgUnit, users: dict[str, Any], seed_value: int, today: dt.date) -> int:
    if unit.kind == "district":
        return _district(unit, users["clerk"], today)
    rng = random.Random(seed_value * 11 + 5)
    clerk = users["clerk"]
    start = dt.date(today.year - 1, 1, 4)
    committee = actions.register_committee(
        unit=unit,
        by=clerk,
        name=f"{unit.name}人民调解委员会",
        kind=CommitteeKind.STREET if unit.kind == "street" else CommitteeKind.COMMUNITY,
        term_start=dt.date(today.year - 2, 3, 1),
        members="李红 女\n王强 男\n赵敏 女\n孙立 男\n周芳 女",
        backdate_reason=LATE,
    )
    corrections.add_child(
        actions.COMMITTEES,
        actions.COMMITTEES.children[0],
        committee,
        by=clerk,
        fields={
            "name": "钱律",
            "role": "appointed",
            "gender": "male",
            "minority": False,
            "phone": "",
        },
    )
    mediators = list(committee.mediators.all())
    created = 0
    for month in range(0, 24, 2):
        held = start + dt.timedelta(days=30 * month + rng.randint(0, 10))
        if held > today:
            break
        s = actions.register_screening(
            unit=unit,
            by=clerk,
            held_on=held,
            scope=f"{unit.name}辖区{rng.choice(['各小区', '建筑工地', '沿街商铺', '城中村'])}",
            staff="李红、王强及网格员",
            backdate_reason=LATE,
        )
        for _ in range(rng.randint(0, 2)):
            kind, text, _terms = rng.choice(DISPUTES)
            corrections.add_child(
                actions.SCREENINGS,
                FINDINGS,
                s,
                by=clerk,
                fields={
                    "description": text[:40],
                    "dispute_type": kind,
                    "disposal": "note",
                    "case_number": "",
                    "note": "已当场化解",
                },
            )
        if held + dt.timedelta(days=3) <= today:
            actions.conclude_screening(
                s, by=clerk, on=held + dt.timedelta(days=3), backdate_reason=LATE
            )
        created += 1
    days = sorted(
        start + dt.timedelta(days=rng.randint(0, (today - start).days))
        for _ in range(rng.randint(30, 45))
    )
    for received in days:
        kind, text, _ = rng.choice(DISPUTES)
        case = actions.register(
            unit=unit,
            by=clerk,
            received_on=received,
            source=_pick(rng, SOURCES),
            dispute_type=kind,
            summary=text,
            parties=[_person(rng), _person(rng)],
            backdate_reason=LATE,
        )
        created += 1
        try:
            _process(case, clerk, mediators, rng, today)
        except ActionError:
            continue
    return created


def _district(unit: OrgUnit, clerk: Any, today: dt.date) -> int:
    """The district's 矛调中心, which takes over the cases its 街道 hand up (no cases of its
    own: the demo's district cases are those handed up)."""
    actions.register_committee(
        unit=unit,
        by=clerk,
        name=f"{unit.name}矛盾纠纷调处化解中心",
        kind=CommitteeKind.CENTER,
        term_start=dt.date(today.year - 1, 6, 1),
        members="陈志远 男\n林晓燕 女\n马建国 男\n何静 女\n高明 男",
        backdate_reason=LATE,
    )
    return 1


def _process(
    case: Case, clerk: Any, mediators: list[Any], rng: random.Random, today: dt.date
) -> None:
    on = case.received_on + dt.timedelta(days=rng.randint(0, 2))
    if on > today:
        return
    case = actions.assign(
        case,
        by=clerk,
        on=on,
        committee=case.committee,
        mediator=rng.choice(mediators[:5]),
        backdate_reason=LATE,
    )
    if rng.random() < 0.05:
        actions.refuse(
            case,
            by=clerk,
            on=on,
            party="对方当事人",
            note="明确表示不同意调解",
            backdate_reason=LATE,
        )
        return
    sitting = on + dt.timedelta(days=rng.randint(1, 10))
    if sitting > today:
        return
    corrections.add_child(
        actions.LEDGER,
        SESSIONS,
        case,
        by=clerk,
        fields={
            "on": sitting,
            "place": "调委会调解室",
            "present": "双方当事人、调解员",
            "content": "听取双方陈述，释法明理，引导双方互谅互让",
            "result": "agreed",
        },
    )
    done = sitting + dt.timedelta(days=rng.randint(0, 30))
    if done > today or rng.random() < 0.08:
        if rng.random() < 0.3 and case.unit.parent_id:
            actions.hand_up(
                case,
                by=clerk,
                on=min(today, sitting),
                note="案情复杂，涉及多个单位",
                backdate_reason=LATE,
            )
        return
    roll = rng.random()
    _terms = next(t for k, _x, t in DISPUTES if k == case.dispute_type)
    if roll < 0.62:
        case = actions.written_agreement(
            case, by=clerk, on=done, agreement=_terms, backdate_reason=LATE
        )
        applied = done + dt.timedelta(days=rng.randint(3, 20))
        if rng.random() < 0.3 and applied <= today:
            case = actions.apply_confirmation(
                case, by=clerk, on=applied, court="示例区人民法院", backdate_reason=LATE
            )
    elif roll < 0.85:
        case = actions.oral_agreement(
            case, by=clerk, on=done, agreement=_terms, backdate_reason=LATE
        )
    else:
        actions.fail(
            case,
            by=clerk,
            on=done,
            routes=["litigation"],
            note="双方分歧较大",
            backdate_reason=LATE,
        )
        return
    visit = done + dt.timedelta(days=rng.randint(15, 40))
    if visit <= today:
        performance = rng.choices(["done", "partly", "not_done"], [80, 15, 5])[0]
        actions.follow_up(case, by=clerk, on=visit, performance=performance, backdate_reason=LATE)
