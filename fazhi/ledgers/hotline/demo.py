"""Realistic demo orders for one unit, through the same action the API uses."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from fazhi.ledgers.hotline.actions import upsert_order
from fazhi.ledgers.hotline.models import Category, Urgency, VisitResult

DEMANDS = [
    (Category.COMPLAINT, "小区楼下烧烤店油烟扰民，夜间噪音大，希望有关部门处理"),
    (Category.HELP, "家中老人独居，楼道灯损坏多日无人维修，请社区协助"),
    (Category.CONSULT, "咨询灵活就业人员社保缴费标准及办理地点"),
    (Category.REPORT, "举报某工地夜间违规施工，渣土车未覆盖"),
    (Category.SUGGESTION, "建议在学校门口增设减速带和人行横道"),
    (Category.COMPLAINT, "小区供暖温度不达标，室温只有十四度"),
    (Category.PRAISE, "表扬社区工作人员上门帮助办理居住证"),
    (Category.HELP, "雨后道路积水严重，车辆无法通行"),
]
STREETS = ["和平路", "建设大街", "人民路", "解放路", "幸福里"]


def seed(unit: Any, users: dict[str, Any], seed: int, today: dt.date) -> int:
    rng = random.Random(seed)
    by = users.get("clerk") or next(iter(users.values()))
    n = 0
    callers: list[tuple[dt.date, str, str, str, Any, str]] = []
    for i in range(60):
        if callers and rng.random() < 0.2:
            # A caller who calls again about the same thing within days: a repeated demand.
            first, phone, requester, address, category, content = rng.choice(callers)
            day = min(today, first + dt.timedelta(days=rng.randint(1, 20)))
        else:
            day = today - dt.timedelta(days=rng.randint(0, 200))
            category, content = rng.choice(DEMANDS)
            phone = f"13{rng.randint(100000000, 999999999)}"
            requester = rng.choice(["张先生", "李女士", "王先生", "赵女士", "匿名"])
            address = f"{unit.name}{rng.choice(STREETS)}{rng.randint(1, 200)}号"
            callers.append((day, phone, requester, address, category, content))
        called = timezone.make_aware(
            dt.datetime.combine(day, dt.time(rng.randint(8, 20), rng.randint(0, 59)))
        )
        if called > timezone.now():
            called = timezone.now() - dt.timedelta(minutes=rng.randint(30, 90))
        fields: dict[str, Any] = {
            "called_at": called,
            "category": category,
            "urgency": Urgency.URGENT if rng.random() < 0.1 else Urgency.NORMAL,
            "content": content,
            "phone": phone,
            "requester": requester,
            "address": address,
        }
        stage = rng.random()
        if stage > 0.1:
            fields["dispatched_at"] = called + dt.timedelta(minutes=rng.randint(10, 120))
        if stage > 0.3 and called.date() < today - dt.timedelta(days=7):
            fields["feedback_at"] = fields["dispatched_at"] + dt.timedelta(
                hours=rng.randint(2, 150)
            )
            fields["result"] = "已联系诉求人并现场核实，问题已处理"
        if stage > 0.45 and "feedback_at" in fields:
            fields["closed_at"] = fields["feedback_at"] + dt.timedelta(hours=rng.randint(1, 48))
            fields["visit_result"] = rng.choice(
                [VisitResult.SATISFIED] * 5
                + [VisitResult.BASIC] * 2
                + [VisitResult.DISSATISFIED, VisitResult.NONE]
            )
        steps = ("dispatched_at", "feedback_at", "closed_at", "visit_result")
        for i_step, k in enumerate(steps[:3]):
            if k in fields and fields[k] > timezone.now():  # not yet: neither it nor what follows
                for later in steps[i_step:]:
                    fields.pop(later, None)
                break
        number = f"12345-{timezone.localtime(called):%Y%m%d}-{seed % 1000:03d}{i:03d}"
        upsert_order(unit=unit, by=by, number=number, **fields)
        n += 1
    return n
