"""Realistic demo data for one 街道 (and, in its own words, for the district): last year's and this year's 第一责任人 log of its 党工委书记
and 办事处主任 (党工委会议 and 主任办公会议 on rule-of-law work, the year-end 述法, instructions,
带头学法 naming the 普法 ledger's 中心组学法 sessions, 出庭应诉 with their 案号), and the
rectification items of the district's 法治督察, the 法治建设考核, an audit and a 巡察 — some
done, some running, one extended, one 长期坚持, and, as of the real today, one 逾期 and one
临期. Made through the actions, so every clock, event and audit row is real."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from fazhi.core.records.ledger import get_ledger
from fazhi.core.tenancy.models import OrgUnit
from fazhi.ledgers.oversight import actions

LATE = "演示数据：补录历史台账"
STUDIES = "pufa_studies"  # the 普法 ledger's 学法与考试

SECRETARIES = ["王建国", "陈立新", "赵海燕"]
DIRECTORS = ["李志强", "周丽华", "吴国庆"]

MEETINGS = [
    (3, "党工委会议专题听取上年度法治政府建设情况汇报，研究本年度法治建设工作要点"),
    (6, "主任办公会议研究行政执法“三项制度”落实和行政争议化解工作"),
    (9, "党工委会议学习贯彻《法治政府建设实施纲要（2021—2025年）》，部署法治督察反馈问题整改"),
    (11, "主任办公会议研究重大行政决策目录和合法性审查工作"),
]
INSTRUCTIONS = [
    (4, "对街道综合行政执法队执法案卷评查问题作出批示，要求限期整改"),
    (8, "对“12345”热线反映的物业纠纷作出批示，要求司法所依法调处"),
    (10, "对宪法宣传周活动方案作出批示，要求主要负责人带头参与"),
]
COURT = [
    (5, "王某诉本街道办事处政府信息公开答复案出庭应诉", "行初"),
    (9, "某物业公司诉本街道办事处行政处罚案出庭应诉", "行初"),
]

# (source, 文号 pattern, problem, measures, department, owner, months to rectify)
ITEMS = [
    (
        "inspection",
        "区法督〔{y}〕{n}号",
        "行政执法公示信息更新不及时，部分执法结果未在7个工作日内公开",
        "建立执法信息公示周报制度，由法制审核人员每周核对一次；补录上半年执法结果",
        "综合行政执法队",
        "孙伟",
        3,
    ),
    (
        "inspection",
        "区法督〔{y}〕{n}号",
        "重大行政决策未全部经合法性审查，个别决策事项未编入年度目录",
        "修订街道重大行政决策程序规定，决策事项一律提交法律顾问合法性审查",
        "党政办公室",
        "郑敏",
        4,
    ),
    (
        "assessment",
        "区依法治区办〔{y}〕{n}号",
        "法治建设考核中“学法用法考试参考率”未达要求",
        "将学法用法考试纳入干部年度考核，对未参考人员组织补考",
        "党政办公室",
        "刘芳",
        2,
    ),
    (
        "audit",
        "区审计报〔{y}〕{n}号",
        "政府信息公开申请答复存在超期情形",
        "建立依申请公开答复期限提醒机制，实行台账化管理",
        "党政办公室",
        "黄磊",
        2,
    ),
    (
        "patrol",
        "区委巡察反馈〔{y}〕{n}号",
        "“谁执法谁普法”责任清单落实不到位，部分部门未开展普法活动",
        "逐项明确责任部门和完成时限，纳入月度工作督办",
        "司法所",
        "杨静",
        5,
    ),
    (
        "inspection",
        "区法督〔{y}〕{n}号",
        "行政复议、诉讼案件败诉原因分析不深入",
        "每季度召开一次行政争议分析会，形成问题清单并长期坚持",
        "司法所",
        "马超",
        6,
    ),
]


# A district's words for a 街道's: first the authority one level up, then its own leaders,
# meetings and offices.
DISTRICT_WORDS = (
    ("区委依法治区办", "市委依法治市办"),
    ("区依法治区办", "市依法治市办"),
    ("区法督", "市法督"),
    ("区审计报", "市审计报"),
    ("区委巡察", "市委巡视"),
    ("综合行政执法队", "区城管执法局"),
    ("党政办公室", "区政府办公室"),
    ("司法所", "区司法局"),
    ("党工委书记", "区委书记"),
    ("办事处主任", "区长"),
    ("党工委会议", "区委常委会会议"),
    ("主任办公会议", "区政府常务会议"),
    ("本街道办事处", "区人民政府"),
    ("街道", "区"),
)


def _local(text: str, unit: OrgUnit) -> str:
    if unit.kind != "district":
        return text
    for street, district in DISTRICT_WORDS:
        text = text.replace(street, district)
    return text


def _before(today: dt.date, day: dt.date) -> bool:
    return day < today


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, 28))


def seed(unit: OrgUnit, users: dict[str, Any], seed_value: int, today: dt.date) -> int:
    rng = random.Random(seed_value * 17 + 3)
    clerk, leader = users["clerk"], users["leader"]
    created = 0
    for year in (today.year - 1, today.year):
        created += _duties(unit, clerk, leader, rng, year, today, seed_value)
    created += _rectifications(unit, clerk, leader, rng, today)
    return created


def _duties(
    unit: OrgUnit, clerk: Any, leader: Any, rng: random.Random, year: int, today: dt.date, n: int
) -> int:
    secretary = (SECRETARIES[n % len(SECRETARIES)], "党工委书记")
    director = (DIRECTORS[n % len(DIRECTORS)], "办事处主任")
    created = 0
    entries: list[dict[str, Any]] = []
    for month, subject in MEETINGS:
        who = secretary if "党工委" in subject else director
        entries.append({"held_on": dt.date(year, month, 16), "who": who, "kind": "meeting",
                        "subject": subject, "attendance": rng.randint(9, 15)})  # fmt: skip
    entries.append({"held_on": dt.date(year, 1, 12), "who": secretary, "kind": "shufa",
                    "subject": f"在街道{year - 1}年度领导班子述职述廉述法会议上述法",
                    "attendance": rng.randint(40, 80)})  # fmt: skip
    entries.append({"held_on": dt.date(year, 12, 18), "who": director, "kind": "shufa",
                    "subject": f"向区委依法治区办专题述法（{year}年度）", "attendance": 30})  # fmt: skip
    for month, subject in INSTRUCTIONS:
        entries.append({"held_on": dt.date(year, month, 9), "who": secretary,
                        "kind": "instruction", "subject": subject})  # fmt: skip
    for i, (month, subject, code) in enumerate(COURT):
        case = f"（{year}）沪0105{code}{100 + n * 10 + i}号"
        entries.append({"held_on": dt.date(year, month, 22), "who": director, "kind": "court",
                        "subject": subject, "case_number": case,
                        "details": "作为行政机关负责人出庭应诉并发言"})  # fmt: skip
    # 带头学法: the 中心组学法 sessions of the 普法 ledger's 学法与考试 for the year, where that
    # ledger is installed (found by the kit's registry; its fields are read by name).
    studies = get_ledger(STUDIES)
    sessions: list[Any] = []
    if studies is not None:
        found = studies.model.objects.visible_to(clerk).filter(
            unit=unit, kind="center_group", held_on__year=year
        )
        sessions = list(found.order_by("held_on"))
    for s in sessions:
        entries.append({"held_on": s.held_on, "who": secretary, "kind": "study",
                        "subject": f"主持并带头学习：{s.topic}", "attendance": s.participants,
                        "linked_slug": STUDIES, "linked_number": s.number})  # fmt: skip
    for e in entries:
        if not _before(today, e["held_on"]):
            continue
        name, post = e.pop("who")
        e["subject"] = _local(e["subject"], unit)
        record = actions.register_duty(
            unit=unit, by=clerk, leader=name, post=_local(post, unit), backdate_reason=LATE, **e
        )
        created += 1
        confirm_on = record.held_on + dt.timedelta(days=3)
        if _before(today, confirm_on) and rng.random() < 0.85:
            actions.confirm(record, by=leader, on=confirm_on, backdate_reason=LATE)
    return created


def _rectifications(
    unit: OrgUnit, clerk: Any, leader: Any, rng: random.Random, today: dt.date
) -> int:
    created = 0
    fed = today - dt.timedelta(days=300)
    for i, (source, doc, problem, measures, department, owner, months) in enumerate(ITEMS):
        fed_back_on = fed + dt.timedelta(days=20 * i)
        deadline = _add_months(fed_back_on, months)
        item = actions.register_rectification(
            unit=unit,
            by=clerk,
            source=source,
            source_doc=_local(doc.format(y=fed_back_on.year, n=rng.randint(2, 12)), unit),
            fed_back_on=fed_back_on,
            problem=_local(problem, unit),
            measures=_local(measures, unit),
            department=_local(department, unit),
            owner=owner,
            deadline=deadline,
            backdate_reason=LATE,
        )
        created += 1
        begun = fed_back_on + dt.timedelta(days=7)
        actions.start(item, by=clerk, on=begun, backdate_reason=LATE)
        if i in (0, 3):  # done, on time
            actions.complete(item, by=clerk, on=deadline - dt.timedelta(days=10),
                             evidence="已按整改措施完成，佐证材料：制度文件、工作台账截图。",
                             backdate_reason=LATE)  # fmt: skip
        elif i == 2:  # done, late
            done = min(deadline + dt.timedelta(days=12), today - dt.timedelta(days=1))
            actions.complete(item, by=clerk, on=done,
                             evidence="已组织补考，参考率达到要求，附补考成绩表。",
                             backdate_reason=LATE)  # fmt: skip
        elif i == 5:  # 长期坚持
            actions.ongoing(item, by=leader, on=min(deadline, today - dt.timedelta(days=1)),
                            evidence="已建立季度行政争议分析会制度并召开两次，作为长效机制长期坚持。",
                            backdate_reason=LATE)  # fmt: skip
        elif i == 1:  # extended, still running
            actions.extend(item, by=leader, on=deadline - dt.timedelta(days=5),
                           deadline=today + dt.timedelta(days=40),
                           reason="程序规定修订需提请区司法局审核，申请延期",
                           backdate_reason=LATE)  # fmt: skip
        # i == 4 stays 整改中, past its 整改时限: 逾期 on 待办.
    # One item fed back lately, due within the 临期 window.
    recent = today - dt.timedelta(days=20)
    actions.register_rectification(
        unit=unit,
        by=clerk,
        source="assessment",
        source_doc=_local(f"区依法治区办〔{recent.year}〕{rng.randint(13, 20)}号", unit),
        fed_back_on=recent,
        problem="法律顾问参与合同审查记录不完整",
        measures="补齐合同审查意见书，建立合同审查登记簿",
        department=_local("党政办公室", unit),
        owner="郑敏",
        deadline=today + dt.timedelta(days=7),
        backdate_reason=LATE,
    )
    return created + 1
