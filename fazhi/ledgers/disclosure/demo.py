"""Realistic demo applications for one 街道 over 2025 and this year, made through the actions."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from fazhi.core.calendar.service import get_calendar
from fazhi.core.imports.idnumber import credit_code_check_char, id_check_char
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.workflow import ActionError
from fazhi.ledgers.disclosure import actions
from fazhi.ledgers.disclosure.models import (
    CONFIRMED_CHANNELS,
    Application,
    Channel,
    FeeMethod,
    ServiceMethod,
)

TOPICS = [
    "辖区老旧小区改造项目清单及资金使用情况",
    "2025年度街道财政预算执行情况",
    "某小区加装电梯审批材料",
    "辖区拆违整治行动的处罚决定书",
    "街道社区卫生服务中心建设项目招标文件",
    "本人房屋征收补偿安置协议及评估报告",
    "辖区低保、特困人员认定名单",
    "街道环境卫生作业服务合同",
    "某路段占道经营整治的执法记录",
    "街道办事处内设机构职能及联系方式",
    "2024年度政府信息公开工作年度报告纸质版",
    "辖区消防安全检查情况通报",
    "某地块土地征收的批复文件",
    "街道垃圾分类工作实施方案",
    "辖区农贸市场升级改造会议纪要",
]
# Demo records are a year of history entered today: each step says why it is entered late.
LATE = "演示数据：补录历史台账"
NAMES = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"]
ORGS = {
    "business": ["某物业服务有限公司", "某建筑工程有限公司", "某商贸有限公司"],
    "research": ["某大学法学院课题组"],
    "nonprofit": ["某环保公益服务中心"],
    "legal_services": ["某律师事务所"],
    "other_org": ["某小区业主委员会"],
}
OUTCOMES = [
    ("granted", 40),
    ("partial", 10),
    ("unable_1", 18),
    ("unable_2", 4),
    ("withheld_4", 4),
    ("withheld_6", 5),
    ("withheld_5", 2),
    ("withheld_8", 2),
    ("not_processed_1", 4),
    ("not_processed_2", 3),
    ("not_processed_3", 2),
    ("unable_3", 2),
    ("other_3", 2),
]
# What the demo's replies say when they withhold (the basis is the outcome's default).
REPLY_CONTENT: dict[str, dict[str, str]] = {
    "partial": {
        "withheld": "文件中涉及个人的姓名、身份证号码和联系方式",
        "reasons": "上述内容属于个人隐私，公开会对第三方合法权益造成损害",
    },
    "unable_1": {
        "reasons": "该项目由区住房和城乡建设局组织实施，本机关未制作、获取该信息",
        "competent_body": "示例区住房和城乡建设局",
        "competent_contact": "0571-88880000",
    },
    "unable_2": {"reasons": "本机关没有现成的统计数据，需要对现有信息进行加工、分析"},
    "unable_3": {"reasons": "经补正后，申请内容仍不能确定所需信息的名称、文号或其他特征"},
    "withheld_4": {"reasons": "该信息涉及第三方商业秘密，第三方书面答复不同意公开"},
    "withheld_5": {"reasons": "该信息属于本机关的人事管理、内部工作流程信息"},
    "withheld_6": {"reasons": "该信息属于会议讨论记录，系行政管理过程中形成的过程性信息"},
    "withheld_8": {"reasons": "该信息属于不动产登记资料，查询另有规定，请依照不动产登记的规定办理"},
    "not_processed_1": {"reasons": "申请内容实为投诉举报，已告知通过信访渠道提出"},
    "not_processed_2": {"reasons": "申请人曾提出相同申请，本机关已作出答复"},
    "not_processed_3": {"reasons": "所申请信息为公开出版物，可通过公开发行渠道获取"},
    "other_3": {"reasons": "申请人书面撤回申请，本机关终止处理"},
}
CATEGORIES = [
    ("natural_person", 72),
    ("business", 12),
    ("research", 3),
    ("nonprofit", 3),
    ("legal_services", 6),
    ("other_org", 4),
]


SERVICE: list[tuple[str, int]] = [
    (ServiceMethod.IN_PERSON, 5),
    (ServiceMethod.POST, 3),
    (ServiceMethod.ELECTRONIC, 2),
]


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in weighted], [w for _, w in weighted])[0]


def _served(
    app: Application, clerk: Any, method: str, on: dt.date, rng: random.Random, today: dt.date
) -> tuple[Application, dt.date]:
    """A letter's signed receipt comes back a few days after posting (left 待送达 if not yet)."""
    if method != ServiceMethod.POST:
        return app, on
    signed = get_calendar().add_workdays(on, rng.randint(2, 4))
    if signed > today:
        return app, on
    app = actions.record_service(app=app, by=clerk, on=signed, note="EMS回执", backdate_reason=LATE)
    return app, signed


def seed(unit: OrgUnit, users: dict[str, Any], seed_value: int, today: dt.date) -> int:
    rng = random.Random(seed_value)
    cal = get_calendar()
    clerk, leader = users["clerk"], users["leader"]
    created = 0
    for year in (today.year - 1, today.year):
        start = dt.date(year, 1, 2)
        end = min(dt.date(year, 12, 30), today)
        count = rng.randint(45, 70) if year < today.year else rng.randint(40, 60)
        days = sorted(
            cal.next_workday(start + dt.timedelta(days=rng.randint(0, (end - start).days)))
            for _ in range(count)
        )
        for n, received in enumerate(d for d in days if d <= today):
            category = _pick(rng, CATEGORIES)
            if category == "natural_person":
                name = rng.choice(NAMES) + "某" + rng.choice(["先生", "女士"])
            else:
                name = rng.choice(ORGS[category])
            channel = rng.choice(list(Channel.values))
            app = actions.register(
                unit=unit,
                by=clerk,
                received_on=received,
                applicant_category=category,
                applicant_name=name,
                content=rng.choice(TOPICS),
                channel=channel,
                id_number=_demo_id(rng, category),
                confirmed_via="phone" if channel in CONFIRMED_CHANNELS else "",
                contact=f"139{rng.randint(10000000, 99999999)}",
                number=f"YSQ-{year}-{n + 1:04d}",
                backdate_reason=LATE,
            )
            created += 1
            try:
                _process(app, clerk, leader, rng, today)
            except ActionError:
                continue
    for year in (today.year - 1, today.year):
        _narratives(unit, clerk, year)
    return created


def _narratives(unit: OrgUnit, clerk: Any, year: int) -> None:
    """What a clerk writes in the report's own sections, so the demo report reads as a whole
    (while the year runs the report is still marked 草稿)."""
    from fazhi.core.reports.actions import save_texts

    save_texts(
        unit=unit,
        kind="xxgk",
        year=year,
        by=clerk,
        texts={
            "overview_proactive": f"{year}年，{unit.name}通过区政府门户网站信息公开专栏、"
            "政务新媒体和社区公开栏主动公开政府信息，重点公开惠民政策、财政预决算和民生项目进展。",
            "overview_management": "严格落实公开前保密审查和“三审三校”制度，"
            "对已公开信息开展定期清理，及时更新失效内容。",
            "overview_platform": "完善门户网站信息公开专栏栏目设置，"
            "在政务服务大厅设置依申请公开受理窗口和查阅点。",
            "overview_oversight": "将政务公开工作纳入年度绩效考核，组织业务培训2次；"
            "本年度未发生因政务公开工作引发的责任追究情形。",
            "problems": "部分栏目信息更新不够及时，依申请公开答复文书格式有待统一。"
            "下一步将明确专人负责栏目维护，统一使用系统生成的告知书模板。",
            "other": "本年度无其他需要报告的事项。",
            "signed_on": f"{year + 1}-01-20",
        },
    )


def _process(app: Application, clerk: Any, leader: Any, rng: random.Random, today: dt.date) -> None:
    cal = get_calendar()
    on = app.received_on
    recent = cal.workdays_between(on, today) < 18
    if rng.random() < 0.15:
        on = cal.add_workdays(on, rng.randint(1, 6))
        if on > today:
            return
        method = _pick(rng, SERVICE)
        app = actions.request_correction(
            app=app,
            by=clerk,
            on=on,
            items="请明确所需信息的名称或文号、时间范围",
            service_method=method,
            backdate_reason=LATE,
        )
        app, on = _served(app, clerk, method, on, rng, today)
        if rng.random() < 0.2:
            closing = cal.add_workdays(app.due_on, 1) if app.due_on else today
            if closing <= today:
                actions.close_uncorrected(app=app, by=clerk, on=closing, backdate_reason=LATE)
            return
        on = cal.add_workdays(on, rng.randint(2, 8))
        if on > today:
            return
        app = actions.record_correction(app=app, by=clerk, on=on, backdate_reason=LATE)
    if rng.random() < 0.1:
        on = cal.add_workdays(on, rng.randint(1, 5))
        if on > today:
            return
        other = rng.random() < 0.25
        method = _pick(rng, SERVICE)
        app = actions.start_consultation(
            app=app,
            by=clerk,
            on=on,
            party_kind="other_agency" if other else "third_party",
            party="区住房和城乡建设局" if other else "相关权利人",
            service_method=method,
            backdate_reason=LATE,
        )
        app, on = _served(app, clerk, method, on, rng, today)
        on = cal.add_workdays(on, rng.randint(5, 15))
        if on > today:
            return
        app = actions.end_consultation(
            app=app, by=clerk, on=on, note="第三方不同意公开", backdate_reason=LATE
        )
    if rng.random() < 0.08 and app.reply_due_on:
        approve = max(on, app.reply_due_on - dt.timedelta(days=5))
        if on <= approve <= min(today, app.reply_due_on):
            app = actions.request_extension(
                app=app,
                by=clerk,
                on=approve,
                reason="需要调取档案，工作量较大",
                backdate_reason=LATE,
            )
            app = actions.extend(
                app=app,
                by=leader,
                on=approve,
                reason="需要调取档案，工作量较大",
                told_on=approve,
                days=rng.choice((10, 15, 20)),
                backdate_reason=LATE,
            )
            on = approve
    if rng.random() < 0.08:
        on = cal.add_workdays(on, 2)
        if on > today or (app.reply_due_on and on > app.reply_due_on):
            return
        method = _pick(rng, SERVICE)
        app = actions.issue_fee_notice(
            app=app,
            by=clerk,
            on=on,
            method=FeeMethod.PER_PAGE,
            quantity=rng.randint(60, 150),
            service_method=method,
            backdate_reason=LATE,
        )
        app, on = _served(app, clerk, method, on, rng, today)
        on = cal.add_workdays(on, rng.randint(1, 3))
        if on > today:
            return
        if rng.random() < 0.2:  # the applicant is on 低保: the handler asks, the leader waives
            app = actions.request_fee_relief(
                app=app, by=clerk, on=on, reason="申请人为城市低保对象", backdate_reason=LATE
            )
            app = actions.waive_fee(
                app=app, by=leader, on=on, reason="符合减免条件，同意免收", backdate_reason=LATE
            )
        else:
            on = cal.add_workdays(on, rng.randint(1, 7))
            if on > today:
                return
            app = actions.record_payment(app=app, by=clerk, on=on, backdate_reason=LATE)
    if recent and rng.random() < 0.6:
        return  # still being handled
    if cal.workdays_between(app.received_on, today) < 45 and rng.random() < 0.4:
        return  # forgotten: overdue, for the 待办 page to show
    due = app.reply_due_on or cal.add_workdays(on, 20)
    late = rng.random() < 0.05
    reply_on = (
        cal.add_workdays(due, rng.randint(1, 4))
        if late
        else min(due, cal.add_workdays(on, rng.randint(3, 18)))
    )
    reply_on = max(reply_on, on)
    if reply_on > today:
        return
    outcome = _pick(rng, OUTCOMES)
    if outcome == "other_3":  # the demo's 其他 are the applicants' withdrawals
        actions.withdraw(
            app=app,
            by=clerk,
            on=reply_on,
            how="written",
            note="申请人书面撤回申请",
            backdate_reason=LATE,
        )
        return
    actions.reply(
        app=app,
        by=clerk,
        on=reply_on,
        outcome=outcome,
        note="已按申请人要求的形式提供" if outcome in ("granted", "partial") else "",
        backdate_reason=LATE,
        **REPLY_CONTENT.get(outcome, {}),
    )


def _demo_id(rng: random.Random, category: str) -> str:
    """A well-formed, made-up number: a resident ID for a person, a credit code otherwise."""
    if category == "natural_person":
        first17 = f"110101{rng.randint(1950, 2000)}0{rng.randint(1, 9)}1{rng.randint(0, 8)}{rng.randint(100, 999)}"
        return first17 + id_check_char(first17)
    first17 = "91" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(15))
    return first17 + credit_code_check_char(first17)
