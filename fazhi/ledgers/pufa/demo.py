"""Realistic demo data for one 街道: last year's and this year's 普法责任清单 of its offices, the
activities that carried them out (宪法宣传周, 民法典宣传月, 全民国家安全教育日 …), the 法律明白人
of its communities, and its 学法 sessions and exams — made through the actions, so every
clock, event and audit row is real."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from fazhi.core.tenancy.models import OrgUnit
from fazhi.ledgers.pufa import actions
from fazhi.ledgers.pufa.models import Duty

LATE = "演示数据：补录历史台账"

# (department, item, laws, planned month/day, theme of the activity that carries it out)
DUTIES = [
    (
        "综合行政执法队",
        "开展城市管理法规进商户宣传",
        "《城市市容和环境卫生管理条例》",
        (6, 30),
        "other",
    ),
    (
        "平安办（综治中心）",
        "组织全民国家安全教育日宣传",
        "《中华人民共和国国家安全法》",
        (4, 30),
        "national_security_day",
    ),
    ("司法所", "举办民法典进社区专题讲座", "《中华人民共和国民法典》", (5, 31), "civil_code_month"),
    ("司法所", "开展宪法宣传周集中宣传", "《中华人民共和国宪法》", (12, 10), "constitution_week"),
    ("安全生产办", "开展安全生产月法治宣传", "《中华人民共和国安全生产法》", (6, 30), "other"),
    (
        "社区事务服务中心",
        "开展反家庭暴力法宣传",
        "《中华人民共和国反家庭暴力法》",
        (11, 25),
        "other",
    ),
    (
        "市场监管所",
        "开展消费者权益保护法宣传",
        "《中华人民共和国消费者权益保护法》",
        (3, 31),
        "consumer_rights",
    ),
    ("禁毒办", "开展国际禁毒日宣传", "《中华人民共和国禁毒法》", (6, 30), "anti_drug"),
]
OTHER_THEMES = {
    "综合行政执法队": "城市管理法规宣传",
    "安全生产办": "安全生产月",
    "社区事务服务中心": "反家庭暴力法宣传",
}
VENUES = ["社区文化广场", "街道综合文化站", "社区党群服务中心", "辖区中学", "农贸市场门口"]
FORMS = ["consultation", "lecture", "exhibition", "door_to_door", "performance", "contest"]
AUDIENCES = ["residents", "youth", "workers", "migrants", "elderly", "businesses"]
PARTNERS = ["区司法局", "区普法办", "社区法律顾问律师事务所", "", ""]
COMMUNITIES = ["东风社区", "长安社区", "桃园村"]
SURNAMES = "王李张刘陈杨赵黄周吴"
GIVEN = ["建国", "秀英", "志强", "丽华", "海燕", "国庆", "春梅", "立新", "文静", "明"]
BACKGROUNDS = ["cadre", "mediator", "grid", "group_leader", "party_member", "volunteer"]


def _before(today: dt.date, day: dt.date) -> bool:
    return day < today


def seed(unit: OrgUnit, users: dict[str, Any], seed_value: int, today: dt.date) -> int:
    rng = random.Random(seed_value * 13 + 7)
    clerk = users["clerk"]
    created = 0
    for year in (today.year - 1, today.year):
        created += _year(unit, clerk, rng, year, today)
    created += _roster(unit, clerk, rng, today)
    return created


def _year(unit: OrgUnit, clerk: Any, rng: random.Random, year: int, today: dt.date) -> int:
    listed = dt.date(year, 1, 10)
    if not _before(today, listed):
        return 0
    created = 0
    items: list[tuple[Duty, str, dt.date]] = []
    for department, content, laws, (month, day), theme in DUTIES:
        duty = actions.register_duty(
            unit=unit,
            by=clerk,
            year=year,
            department=department,
            content=content,
            laws=laws,
            listed_on=listed,
            planned_on=dt.date(year, month, day),
            backdate_reason=LATE,
        )
        items.append((duty, theme, dt.date(year, month, day)))
        created += 1
    for duty, theme, planned in items:
        held = planned - dt.timedelta(days=rng.randint(3, 25))
        # About one item in six slips past its date; this year's later ones are still ahead.
        if rng.random() < 0.17 or not _before(today, held):
            continue
        _activity(unit, clerk, rng, held, theme, duty)
        created += 1
    for _ in range(8):  # activities outside the list: 送法下乡, 法律咨询 …
        held = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
        if _before(today, held):
            _activity(unit, clerk, rng, held, "other", None)
            created += 1
    created += _studies(unit, clerk, rng, year, today)
    return created


def _activity(
    unit: OrgUnit, clerk: Any, rng: random.Random, held: dt.date, theme: str, duty: Duty | None
) -> None:
    department = duty.department if duty else ""
    note = OTHER_THEMES.get(department, "送法进社区") if theme == "other" else ""
    online = rng.random() < 0.2
    title = f"“{note or _theme_name(theme)}”主题普法活动"
    actions.register_activity(
        unit=unit,
        by=clerk,
        held_on=held,
        title=title,
        theme=theme,
        theme_note=note,
        form="online" if online else rng.choice(FORMS),
        venue="街道微信公众号" if online else rng.choice(VENUES),
        audience=rng.choice(AUDIENCES),
        attendance=0 if online else rng.randint(40, 400),
        materials=0 if online else rng.choice([0, 100, 200, 300, 500]),
        online_reach=rng.randint(800, 6000) if online else rng.choice([0, 0, 300, 1200]),
        partner=rng.choice(PARTNERS),
        summary="发放宣传资料，解答群众法律咨询。",
        duty_number=duty.number if duty else "",
        backdate_reason=LATE,
    )


def _theme_name(code: str) -> str:
    from fazhi.ledgers.pufa.models import Theme

    return str(Theme(code).label)


def _studies(unit: OrgUnit, clerk: Any, rng: random.Random, year: int, today: dt.date) -> int:
    sessions = [(dt.date(year, m, 8), "pre_meeting", "会前学法") for m in range(1, 13)]
    sessions += [(dt.date(year, m, 20), "center_group", "中心组学法") for m in (3, 6, 9, 12)]
    sessions += [(dt.date(year, 5, 16), "lecture", "法律讲堂")]
    topics = ["《中华人民共和国行政复议法》", "《中华人民共和国民法典》", "《信访工作条例》",
              "《中华人民共和国行政处罚法》", "《中华人民共和国宪法》"]  # fmt: skip
    created = 0
    for on, kind, what in sessions:
        if not _before(today, on):
            continue
        expected = rng.randint(18, 30)
        actions.register_study(
            unit=unit,
            by=clerk,
            held_on=on,
            kind=kind,
            topic=f"{what}：学习{rng.choice(topics)}",
            lecturer="街道司法所" if kind != "lecture" else "社区法律顾问",
            expected=expected,
            participants=expected - rng.randint(0, 3),
            backdate_reason=LATE,
        )
        created += 1
    for on, kind, name, expected in (
        (dt.date(year, 10, 15), "exam", f"{year}年度国家工作人员学法用法考试", 60),
        (dt.date(year, 7, 2), "appointment_exam", "拟任职领导干部任前法律知识考试", 4),
    ):
        if not _before(today, on):
            continue
        sat = expected - rng.randint(0, 3 if expected > 10 else 0)
        actions.register_study(
            unit=unit,
            by=clerk,
            held_on=on,
            kind=kind,
            topic=name,
            lecturer="区普法办",
            expected=expected,
            participants=sat,
            passed=sat - rng.randint(0, 2 if sat > 10 else 0),
            backdate_reason=LATE,
        )
        created += 1
    return created


def _roster(unit: OrgUnit, clerk: Any, rng: random.Random, today: dt.date) -> int:
    created = 0
    joined = dt.date(today.year - 1, 3, 1)
    for community in COMMUNITIES:
        for _ in range(rng.randint(3, 5)):
            person = actions.register_person(
                unit=unit,
                by=clerk,
                community=f"{unit.name[:2]}{community}",
                name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                gender=rng.choice(["male", "female"]),
                background=rng.choice(BACKGROUNDS),
                phone=f"139{rng.randint(10000000, 99999999)}",
                joined_on=joined,
                trained=f"{today.year - 1}年参加区司法局法律明白人培训",
                backdate_reason=LATE,
            )
            created += 1
            if rng.random() < 0.1:
                actions.leave(
                    person, by=clerk, on=dt.date(today.year - 1, 11, 1), backdate_reason=LATE
                )
    return created
