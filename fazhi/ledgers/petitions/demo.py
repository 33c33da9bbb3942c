"""Realistic demo matters for one 街道 over last year and this one, made through the actions."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from fazhi.core.calendar.service import get_calendar
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.workflow import ActionError
from fazhi.ledgers.petitions import actions
from fazhi.ledgers.petitions.models import Category, Form, Petition, Procedure, Source

LATE = "演示数据：补录历史台账"
TOPICS = [
    ("appeal", "反映小区物业服务不到位、维修基金使用不公开"),
    ("appeal", "要求解决拆迁安置房交付延期问题"),
    ("appeal", "反映邻居违章搭建影响采光"),
    ("appeal", "要求落实退役军人优待政策"),
    ("appeal", "反映某企业拖欠工资"),
    ("suggestion", "建议在社区增设老年人助餐点"),
    ("suggestion", "建议优化辖区道路停车管理"),
    ("accusation", "举报某餐馆油烟直排"),
    ("accusation", "举报夜间施工噪声扰民"),
]
SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄"]
FORMS = [(Form.VISIT, 30), (Form.LETTER, 20), (Form.ONLINE, 35), (Form.PHONE, 15)]
SOURCES = [
    (Source.DIRECT, 45),
    (Source.SYSTEM, 30),
    (Source.ASSIGNED, 10),
    (Source.TRANSFERRED, 10),
    (Source.MAILBOX, 5),
]


def _pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    return rng.choices([k for k, _ in weighted], [w for _, w in weighted])[0]


def seed(unit: OrgUnit, users: dict[str, Any], seed_value: int, today: dt.date) -> int:
    rng = random.Random(seed_value * 7 + 3)
    cal = get_calendar()
    created = 0
    for year in (today.year - 1, today.year):
        start = dt.date(year, 1, 4)
        end = min(dt.date(year, 12, 28), today)
        days = sorted(
            start + dt.timedelta(days=rng.randint(0, (end - start).days))
            for _ in range(rng.randint(25, 40))
        )
        for n, received in enumerate(days):
            category, topic = rng.choice(TOPICS)
            form = _pick(rng, FORMS)
            anonymous = category == "accusation" and rng.random() < 0.5
            group = form == Form.VISIT and rng.random() < 0.15
            p = actions.register(
                unit=unit,
                by=users["clerk"],
                received_on=received,
                form=form,
                source=_pick(rng, SOURCES),
                category=category,
                content=topic,
                petitioner="" if anonymous else rng.choice(SURNAMES) + rng.choice(["某", "某某"]),
                address="" if anonymous else f"示例区{unit.name}{rng.randint(1, 30)}号",
                contact="" if anonymous else f"139{rng.randint(10000000, 99999999)}",
                visitors=rng.randint(6, 20) if group else 1,
                representatives=rng.randint(2, 5) if group else 1,
                number=f"XF-{year}-{n + 1:04d}",
                backdate_reason=LATE,
            )
            created += 1
            try:
                _process(p, users, rng, today, cal)
            except ActionError:
                continue
    return created


def _process(
    p: Petition, users: dict[str, Any], rng: random.Random, today: dt.date, cal: Any
) -> None:
    clerk, leader = users["clerk"], users["leader"]
    on = cal.next_workday(p.received_on + dt.timedelta(days=rng.randint(1, 12)))
    if on > today or rng.random() < 0.06:
        return  # not yet routed (some of them overdue for the 待办 page)
    roll = rng.random()
    if roll < 0.1:
        actions.transfer(p, by=clerk, on=on, to="区住房和城乡建设局", backdate_reason=LATE)
        return
    if roll < 0.18 and p.category == Category.APPEAL:
        actions.not_accept(
            p,
            by=clerk,
            on=on,
            procedure=Procedure.LITIGATION,
            note="属于民事纠纷，告知其可依法向人民法院提起诉讼",
            backdate_reason=LATE,
        )
        return
    p = actions.accept(p, by=clerk, on=on, backdate_reason=LATE)
    if rng.random() < 0.08 and p.handle_due_on:
        ask = min(today, p.handle_due_on - dt.timedelta(days=rng.randint(3, 10)))
        if ask >= on:
            p = actions.request_extension(
                p,
                by=clerk,
                on=ask,
                days=30,
                reason="涉及多个部门，需联合调查",
                backdate_reason=LATE,
            )
            p = actions.extend(
                p, by=leader, on=ask, reason="同意延期", told_on=ask, backdate_reason=LATE
            )
            on = ask
    due = p.handle_due_on or on + dt.timedelta(days=60)
    if (today - on).days < 50 and rng.random() < 0.5:
        return  # still being handled
    reply_on = min(due, on + dt.timedelta(days=rng.randint(10, 55)))
    if rng.random() < 0.05:
        reply_on = due + dt.timedelta(days=rng.randint(1, 6))  # late
    if reply_on > today:
        return
    if rng.random() < 0.15:
        p = actions.agreement(
            p,
            by=clerk,
            on=reply_on,
            result="mediated",
            note="经调解双方达成一致",
            backdate_reason=LATE,
        )
    else:
        result = rng.choices(["support", "explain", "reject"], [45, 35, 20])[0]
        p = actions.opinion(
            p,
            by=clerk,
            on=reply_on,
            result=result,
            basis="《物业管理条例》等有关规定",
            note="经调查核实，作出如下处理意见",
            backdate_reason=LATE,
        )
    visit_on = reply_on + dt.timedelta(days=rng.randint(3, 15))
    if visit_on <= today and p.petitioner and rng.random() < 0.8:
        satisfaction = rng.choices(["satisfied", "basically", "dissatisfied"], [60, 28, 12])[0]
        p = actions.feedback(
            p, by=clerk, on=visit_on, satisfaction=satisfaction, backdate_reason=LATE
        )
        asked = visit_on + dt.timedelta(days=rng.randint(2, 20))
        if satisfaction == "dissatisfied" and asked <= today and rng.random() < 0.5:
            p = actions.review_requested(
                p, by=clerk, on=asked, to="示例区人民政府", backdate_reason=LATE
            )
            decided = asked + dt.timedelta(days=rng.randint(10, 28))
            if decided <= today:
                actions.review_decided(
                    p, by=clerk, on=decided, result="upheld", backdate_reason=LATE
                )
