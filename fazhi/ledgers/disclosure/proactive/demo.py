"""A year and a bit of a 街道's 主动公开 register and its 指南, made through the actions."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from fazhi.core.calendar.service import get_calendar
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.workflow import ActionError
from fazhi.ledgers.disclosure.proactive import actions, guide
from fazhi.ledgers.disclosure.proactive.models import Category as C

LATE = "演示数据：补录历史台账"
# (category, title pattern, weight); {u} the unit's name, {y} the year, {m} the month.
MONTHLY = [
    (C.ART20_06, "{u}{y}年{m}月行政处罚决定公开", "penalty"),
    (C.ART20_11, "{u}{y}年{m}月城乡低保、特困人员救助金发放情况", ""),
]
OCCASIONAL = [
    (C.ART20_02, "{u}机构职能及内设机构设置（{y}年更新）", 2),
    (C.ART20_03, "{u}{y}年工作要点", 1),
    (C.ART20_05, "{u}{y}年第{q}季度临时占用道路等行政许可办理结果", 3),
    (C.ART20_06, "{u}{y}年行政强制执行决定公开", 1),
    (C.ART20_07, "{u}{y}年部门预算", 1),
    (C.ART20_07, "{u}{p}年部门决算", 1),
    (C.ART20_09, "{u}{y}年政府采购项目实施情况", 1),
    (C.ART20_12, "{u}防汛防台风预警信息（{y}年第{q}号）", 3),
    (C.ART20_12, "{u}突发事件总体应急预案（{y}年修订）", 1),
    (C.ART20_13, "{u}辖区消防安全检查情况通报（{y}年第{q}期）", 3),
    (C.ART20_13, "{u}辖区餐饮单位食品安全检查情况", 2),
    (C.ART20_15, "{u}{p}年政府信息公开工作年度报告", 1),
    (C.ART21_COUNTY, "{u}老旧小区改造项目实施情况（{y}年第{q}批）", 2),
    (C.ART21_COUNTY, "{u}社区公益性岗位招用情况公示", 1),
]
NORMATIVE = [
    "关于印发《{u}社区网格化服务管理办法》的通知",
    "关于印发《{u}居民自治事项清单管理办法》的通知",
    "关于印发《{u}临时救助实施细则》的通知",
]
CHANNELS = [("website", 70), ("new_media", 15), ("notice_board", 15)]


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in weighted], [w for _, w in weighted])[0]


def seed(unit: OrgUnit, users: dict[str, Any], seed_value: int, today: dt.date) -> int:
    rng = random.Random(seed_value)
    clerk = users["clerk"]
    created = 0
    short = unit.name.removesuffix("街道")[:2]
    for year in (today.year - 1, today.year):
        plan: list[tuple[dt.date, dict[str, Any]]] = []
        for month in range(1, 13):
            made = dt.date(year, month, rng.randint(3, 26))
            for category, title, kind in MONTHLY:
                fields: dict[str, Any] = {
                    "category": category,
                    "title": title.format(u=unit.name, y=year, m=month),
                }
                if kind:
                    fields |= {"table2_kind": kind, "quantity": rng.randint(1, 9)}
                plan.append((made + dt.timedelta(days=rng.randint(0, 2)), fields))
        for category, title, times in OCCASIONAL:
            for q in range(1, times + 1):
                made = dt.date(year, 1, 5) + dt.timedelta(days=rng.randint(0, 350))
                fields = {
                    "category": category,
                    "title": title.format(u=unit.name, y=year, p=year - 1, q=q),
                }
                if category == C.ART20_05:
                    fields |= {"table2_kind": "licensing", "quantity": rng.randint(2, 15)}
                if category == C.ART20_06:
                    fields |= {"table2_kind": "coercion", "quantity": rng.randint(1, 2)}
                if "机构职能" in fields["title"]:
                    fields["change_kind"] = "changed"
                plan.append((made, fields))
        for n, title in enumerate(rng.sample(NORMATIVE, rng.randint(1, 2)), start=1):
            made = dt.date(year, 2, 1) + dt.timedelta(days=rng.randint(0, 300))
            plan.append(
                (
                    made,
                    {
                        "category": C.ART20_01,
                        "title": title.format(u=unit.name),
                        "doc_number": f"{short}街发〔{year}〕{n}号",
                        "table2_kind": "normative_documents",
                        "doc_action": "issued",
                    },
                )
            )
        for made, fields in sorted(plan, key=lambda p: p[0]):
            if made > today:
                continue
            created += _register(unit, clerk, rng, made, fields, today)
    guide.save_guide(
        unit=unit,
        by=clerk,
        **(
            guide.defaults(unit)
            | {
                "address": f"示例区{unit.name.removesuffix('街道')}路1号{unit.name}办事处一楼政务服务大厅",
                "postcode": "100000",
                "phone": "0000-1234567（演示）",
                "internet": "示例区人民政府门户网站“政府信息公开”专栏",
            }
        ),
    )
    return created


def _register(
    unit: OrgUnit,
    clerk: Any,
    rng: random.Random,
    made: dt.date,
    fields: dict[str, Any],
    today: dt.date,
) -> int:
    cal = get_calendar()
    roll = rng.random()
    if roll < 0.08:
        published = cal.add_workdays(made, rng.randint(21, 30))  # late: after 20 工作日
    else:
        published = cal.add_workdays(made, rng.randint(0, 15))
    forgotten = roll > 0.97
    publish: dict[str, Any] = {}
    if published <= today and not forgotten:
        publish = {"published_on": published, "channel": _pick(rng, CHANNELS)}
        if publish["channel"] == "website":
            publish["location"] = "示例区人民政府门户网站·政府信息公开专栏"
    try:
        actions.register(
            unit=unit,
            by=clerk,
            made_on=made,
            summary="",
            backdate_reason=LATE,
            **fields,
            **publish,
        )
    except ActionError:
        return 0
    return 1
