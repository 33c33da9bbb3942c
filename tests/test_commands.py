"""fazhi's management commands, run through call_command as an operator would run them."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory
from django_tasks_db.models import DBTaskResult

from conftest import PASSWORD
from fazhi.core.audit.models import AuditEvent
from fazhi.core.calendar.models import CalendarDay, CalendarYear
from fazhi.core.tasks.models import TaskRun
from fazhi.core.tasks.runner import run_queued
from fazhi.core.tenancy.models import Membership, OrgUnit
from fazhi.ledgers.disclosure.tests.replycase import content
from tests.data import NOTICE_2027

ROOT = Path(__file__).resolve().parents[1]
NOW = "2026-11-25 10:00 +0800"

# A synthetic 2027 notice in the official line format (weekdays checked against 2027).


def run(*args: Any, **options: Any) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


# --- unit ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_unit_add_root_and_child_then_list_json() -> None:
    out = run("unit", "add", "--code", "D9", "--name", "测试区", "--kind", "district")
    assert "已添加单位：D9 测试区" in out
    out = run(
        "unit", "add", "--code", "S9", "--name", "测试街道", "--kind", "street", "--parent", "D9"
    )
    assert "S9 测试街道" in out
    child = OrgUnit.objects.get(code="S9")
    assert child.parent is not None and child.parent.code == "D9"

    listed = json.loads(run("unit", "list", "--json"))
    assert listed == [
        {"code": "D9", "name": "测试区", "kind": "district", "parent": None},
        {"code": "S9", "name": "测试街道", "kind": "street", "parent": "D9"},
    ]


def test_unit_add_unknown_parent_is_a_chinese_error(cast: Any) -> None:
    before = OrgUnit.objects.count()
    with pytest.raises(CommandError, match="未找到单位代码「NOPE」"):
        run(
            "unit",
            "add",
            "--code",
            "X1",
            "--name",
            "某街道",
            "--kind",
            "street",
            "--parent",
            "NOPE",
        )
    assert OrgUnit.objects.count() == before


def test_unit_add_duplicate_code_is_refused(cast: Any) -> None:
    events = AuditEvent.objects.count()
    with pytest.raises(CommandError, match="单位代码「A1」已存在"):
        run(
            "unit",
            "add",
            "--code",
            "A1",
            "--name",
            "重复街道",
            "--kind",
            "street",
            "--parent",
            "D1",
        )
    assert OrgUnit.objects.get(code="A1").name == "东湖街道"
    assert AuditEvent.objects.count() == events


def test_unit_list_json_shows_the_tree(cast: Any) -> None:
    listed = json.loads(run("unit", "list", "--json"))
    by_code = {u["code"]: u for u in listed}
    assert by_code["D1"]["parent"] is None
    assert by_code["A1"] == {"code": "A1", "name": "东湖街道", "kind": "street", "parent": "D1"}
    assert by_code["B1"]["parent"] == "D1"
    assert listed[0]["code"] == "D1"  # ordered by tree path: the root comes first


# --- user ------------------------------------------------------------------------------


def test_user_add_reads_the_password_from_stdin(cast: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    password = "Qingshui-河畔-2026!"
    monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
    out = run("user", "add", "--username", "a_clerk2", "--unit", "A1", "--role", "clerk")
    assert "已添加用户 a_clerk2：东湖街道 录入员" in out
    assert "初始密码" not in out
    assert password not in out
    user = get_user_model().objects.get(username="a_clerk2")
    assert Membership.objects.filter(user=user, unit=cast.street_a, role="clerk").exists()
    request = RequestFactory().post("/login/")
    assert authenticate(request, username="a_clerk2", password=password) == user
    assert authenticate(request, username="a_clerk2", password="wrong-password") is None


def test_user_add_generates_a_password_when_stdin_is_empty(
    cast: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    out = run("user", "add", "--username", "b_reviewer", "--unit", "B1", "--role", "reviewer")
    match = re.search(r"初始密码：(\S+)", out)
    assert match, out
    user = get_user_model().objects.get(username="b_reviewer")
    assert user.check_password(match.group(1))
    assert len(match.group(1)) >= 12


def test_user_add_unknown_role_is_rejected(cast: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    with pytest.raises(CommandError):
        run("user", "add", "--username", "boss", "--unit", "A1", "--role", "emperor")
    assert not get_user_model().objects.filter(username="boss").exists()


def test_user_add_unknown_unit_is_rejected(cast: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="未找到单位代码「ZZ9」"):
        run("user", "add", "--username", "ghost", "--unit", "ZZ9", "--role", "clerk")
    assert not get_user_model().objects.filter(username="ghost").exists()


def test_user_add_weak_password_is_rejected_in_chinese(
    cast: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("123\n"))
    with pytest.raises(CommandError, match="密码不符合要求"):
        run("user", "add", "--username", "weak", "--unit", "A1", "--role", "clerk")
    assert not get_user_model().objects.filter(username="weak").exists()


# --- deadline --------------------------------------------------------------------------


@pytest.mark.django_db
def test_deadline_rule_json() -> None:
    data = json.loads(run("deadline", "--start", "2026-09-28", "--rule", "xxgk.reply", "--json"))
    assert set(data) == {"due", "provisional", "steps"}
    assert data["due"] == "2026-10-30"
    assert data["provisional"] is False
    steps = data["steps"]
    assert steps and all(isinstance(s, str) for s in steps)
    assert steps[0].startswith("起算：")
    assert any("20个工作日" in s or "20 个工作日" in s or "20工作日" in s for s in steps), steps
    assert any("国庆" in s and "不计为工作日" in s for s in steps), steps
    assert any("调休上班日" in s for s in steps), steps  # 2026-10-10 (Sat) is a workday
    assert steps[-1].startswith("到期日：2026年10月30日")


@pytest.mark.django_db
def test_deadline_workdays_plain_text() -> None:
    # 2026-09-28 (Mon) + 5 working days: 29, 30 Sep, then 国庆 1–7 Oct, 8, 9, 10 (调休) Oct.
    out = run("deadline", "--start", "2026-09-28", "--workdays", "5")
    assert out.splitlines()[0] == "2026-10-10"


@pytest.mark.django_db
def test_deadline_calendar_days_ending_on_a_holiday_roll_forward() -> None:
    data = json.loads(run("deadline", "--start", "2026-09-16", "--days", "15", "--json"))
    assert data["due"] == "2026-10-08"
    assert data["provisional"] is False
    assert any("顺延" in s and "2026年10月1日" in s for s in data["steps"]), data["steps"]


@pytest.mark.django_db
def test_deadline_calendar_days_ending_on_a_weekend_roll_to_monday() -> None:
    # 2026-11-20 (Fri) + 15 days = 2026-12-05 (Sat) -> Monday 2026-12-07.
    data = json.loads(run("deadline", "--start", "2026-11-20", "--days", "15", "--json"))
    assert data["due"] == "2026-12-07"


@pytest.mark.django_db
def test_deadline_into_an_unloaded_year_is_provisional() -> None:
    assert not CalendarYear.objects.filter(year=2027).exists()
    data = json.loads(run("deadline", "--start", "2026-12-18", "--rule", "xxgk.reply", "--json"))
    # Mon–Fri fallback for 2027: 1 Jan counts as a working day.
    assert data["due"] == "2027-01-15"
    assert data["provisional"] is True
    assert any("2027年" in s and "尚未载入" in s for s in data["steps"]), data["steps"]
    assert "暂定" in data["steps"][-1]


@pytest.mark.django_db
def test_deadline_unknown_rule() -> None:
    with pytest.raises(CommandError, match=re.escape("未知的期限规则「xxgk.nope」")):
        run("deadline", "--start", "2026-09-28", "--rule", "xxgk.nope")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--rule", "xxgk.reply"], "--start", id="no-start"),
        pytest.param(["--start", "2026-09-28"], "--workdays", id="no-period"),
        pytest.param(["--start", "2026-13-01", "--days", "3"], "不是有效日期", id="bad-date"),
        pytest.param(["--start", "2026-09-28", "--days", "-1"], "0 至 3650", id="negative"),
        pytest.param(
            ["--start", "2026-09-28", "--days", "3", "--workdays", "3"],
            "not allowed with",
            id="two-periods",
        ),
    ],
)
def test_deadline_bad_arguments(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=re.escape(message)):
        run("deadline", *args)


# --- calendar --------------------------------------------------------------------------


def _register_open_and_closed(cast: Any) -> tuple[Any, Any]:
    from fazhi.ledgers.disclosure import actions

    received = dt.date(2026, 12, 18)
    open_app = actions.register(
        unit=cast.street_a,
        by=cast.a_clerk,
        received_on=received,
        applicant_category="natural_person",
        applicant_name="王某",
        content="辖区老旧小区改造项目清单",
    )
    closed_app = actions.register(
        unit=cast.street_a,
        by=cast.a_clerk,
        received_on=received,
        applicant_category="business",
        applicant_name="某物业服务有限公司",
        content="街道环境卫生作业服务合同",
    )
    closed_app = actions.reply(app=closed_app, by=cast.a_clerk, on=received, outcome="granted")
    return open_app, closed_app


# The recompute runs as a background task queued on commit: these tests commit for real.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_loading_a_notice_recomputes_open_due_dates(cast: Any, tmp_path: Path) -> None:
    """Acceptance: loading a year recomputes the due dates of open records (as a background
    task, which --wait runs here when no worker is running)."""
    with time_machine.travel("2026-12-18 10:00 +0800", tick=False):
        open_app, closed_app = _register_open_and_closed(cast)
        # 20 working days from Fri 18 Dec 2026: 9 in 2026, then 2027 counted Mon–Fri.
        assert open_app.due_on == dt.date(2027, 1, 15)
        assert open_app.reply_due_on == dt.date(2027, 1, 15)
        assert open_app.due_provisional is True
        assert closed_app.due_on is None
        closed_before = (closed_app.reply_due_on, closed_app.due_provisional)

        notice = tmp_path / "2027年节假日安排.txt"
        notice.write_text(NOTICE_2027, encoding="utf-8")
        out = run("calendar", "load-notice", "--year", "2027", str(notice), "--wait")
        assert "已载入 2027 年" in out
        # The open application, and the closed one whose reply deadline was provisional.
        assert "重新计算期限的事项 2 件" in out
        task = TaskRun.objects.get()
        assert (task.status, task.done, task.total, task.result) == (
            "done",
            2,
            2,
            {"moved": 2, "checked": 2},
        )

        open_app.refresh_from_db()
        # 1 Jan 2027 is 元旦: the 20th working day moves to Mon 18 Jan.
        assert open_app.due_on == dt.date(2027, 1, 18)
        assert open_app.reply_due_on == dt.date(2027, 1, 18)
        assert open_app.due_provisional is False

        closed_app.refresh_from_db()
        assert closed_before == (dt.date(2027, 1, 15), True)
        assert closed_app.due_on is None
        assert (closed_app.status, closed_app.outcome) == ("closed", "granted")
        # Its statutory reply deadline is now final, so the annual report no longer says 暂定.
        assert (closed_app.reply_due_on, closed_app.due_provisional) == (
            dt.date(2027, 1, 18),
            False,
        )

    year = CalendarYear.objects.get(year=2027)
    assert "2027年节假日安排.txt" in year.source
    assert CalendarDay.objects.filter(date__year=2027, kind="holiday").count() == 29
    assert set(
        CalendarDay.objects.filter(date__year=2027, kind="workday").values_list("date", flat=True)
    ) == {dt.date(2027, 2, 20), dt.date(2027, 4, 25), dt.date(2027, 9, 26), dt.date(2027, 10, 9)}
    assert AuditEvent.objects.filter(code="calendar.year.loaded", object_id="2027").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_wait_the_recompute_is_left_to_the_worker_and_can_be_rerun(
    cast: Any, tmp_path: Path
) -> None:
    with time_machine.travel("2026-12-18 10:00 +0800", tick=False):
        open_app, _ = _register_open_and_closed(cast)
        notice = tmp_path / "notice.txt"
        notice.write_text(NOTICE_2027, encoding="utf-8")
        out = run("calendar", "load-notice", "--year", "2027", str(notice))
        task = TaskRun.objects.get()
        assert (
            f"已安排后台任务 {task.pk} 重新计算在办事项的期限（进度见网页 /tasks/{task.pk}/；"
            "加 --wait 可等待完成）"
        ) in out
        assert DBTaskResult.objects.get().status == "READY"
        open_app.refresh_from_db()
        assert (open_app.due_on, open_app.due_provisional) == (dt.date(2027, 1, 15), True)

        run_queued()  # the worker
        open_app.refresh_from_db()
        assert (open_app.due_on, open_app.due_provisional) == (dt.date(2027, 1, 18), False)
        # Safe to repeat (after a crash, say): nothing moves the second time.
        again = run("calendar", "recompute", "--wait")
        assert f"重新计算期限的事项 0 件（任务 {task.pk + 1}）" in again
        open_app.refresh_from_db()
        assert open_app.due_on == dt.date(2027, 1, 18)


def test_load_notice_dry_run_writes_nothing(cast: Any, tmp_path: Path) -> None:
    notice = tmp_path / "notice.txt"
    notice.write_text(NOTICE_2027, encoding="utf-8")
    out = run("calendar", "load-notice", "--year", "2027", str(notice), "--dry-run")
    assert "2027-02-20\t上班\t春节" in out
    assert "未写入" in out
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_load_notice_in_gb18030(cast: Any, tmp_path: Path) -> None:
    notice = tmp_path / "notice.txt"
    notice.write_bytes(NOTICE_2027.encode("gb18030"))
    run("calendar", "load-notice", "--year", "2027", str(notice))
    assert CalendarYear.objects.filter(year=2027).exists()
    assert CalendarDay.objects.get(date=dt.date(2027, 6, 9)).name == "端午节"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            NOTICE_2027.replace("1月1日（周五）", "1月1日（周四）"),
            "1月1日不是周四（实际是周五）",
            id="wrong-weekday",
        ),
        pytest.param(
            NOTICE_2027.replace("放假调休，共9天", "放假调休，共8天"),
            "写明共8天，但所列放假日期共9天",
            id="wrong-count",
        ),
        pytest.param(
            NOTICE_2027.replace("2月20日（周六）上班", "2月19日（周五）上班"),
            "应为周六或周日",
            id="makeup-day-on-a-weekday",
        ),
        pytest.param("这不是节假日通知。", "未在通知中找到节假日安排", id="no-festivals"),
    ],
)
def test_bad_notice_is_refused_and_nothing_is_written(
    cast: Any, tmp_path: Path, text: str, message: str
) -> None:
    notice = tmp_path / "notice.txt"
    notice.write_text(text, encoding="utf-8")
    events = AuditEvent.objects.count()
    with pytest.raises(CommandError, match=re.escape(message)):
        run("calendar", "load-notice", "--year", "2027", str(notice))
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert AuditEvent.objects.count() == events


def test_load_notice_keeps_a_new_year_break_starting_in_december(cast: Any, tmp_path: Path) -> None:
    """The parser gives 31 Dec 2027 to the 2027 calendar; the command must not drop it."""
    notice = tmp_path / "2028.txt"
    notice.write_text(
        "一、元旦：12月31日（周五）至1月2日（周日）放假，共3天。\n"
        "二、春节：1月25日至31日放假，共7天。\n"
        "三、清明节：4月4日放假，共1天。\n"
        "四、劳动节：5月1日（周一）至5日（周五）放假，共5天。\n"
        "五、端午节：5月28日放假，共1天。\n"
        "六、国庆节、中秋节：10月1日至7日放假，共7天。\n",
        encoding="utf-8",
    )
    out = run("calendar", "load-notice", "--year", "2028", str(notice))
    assert "2027-12-31\t放假\t元旦" in out
    assert CalendarYear.objects.filter(year=2028).exists()
    assert CalendarDay.objects.get(date=dt.date(2027, 12, 31)).kind == "holiday"
    assert CalendarDay.objects.filter(date__year=2028).count() == 23
    data = json.loads(run("deadline", "--start", "2027-12-30", "--workdays", "1", "--json"))
    assert data["due"] == "2028-01-03"  # 31 Dec (Fri) is off, then the weekend


@pytest.mark.django_db
def test_load_notice_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="找不到文件"):
        run("calendar", "load-notice", "--year", "2027", str(tmp_path / "missing.txt"))


@pytest.mark.django_db
def test_load_notice_oversized_file(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as fp:
        fp.truncate(2 * 1024 * 1024)
    with pytest.raises(CommandError, match="文件过大"):
        run("calendar", "load-notice", "--year", "2027", str(big))
    assert not CalendarYear.objects.filter(year=2027).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_calendar_load_csv_and_show(cast: Any, tmp_path: Path) -> None:
    with time_machine.travel("2026-12-18 10:00 +0800", tick=False):
        open_app, _ = _register_open_and_closed(cast)
        csv_file = tmp_path / "2027.csv"
        csv_file.write_bytes(
            "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-04,holiday,测试假日\n"
            "2027-01-09,workday,测试调休\n".encode("utf-8-sig")
        )
        out = run("calendar", "load", str(csv_file), "--wait")
        assert "已载入 2027 年：3 天" in out
        # The open application, and the closed one whose reply deadline was provisional.
        assert "重新计算期限的事项 2 件" in out
        open_app.refresh_from_db()
        # 2027: Jan 1 and 4 off, Sat 9 Jan worked: 5..8 (13), 9 (14), 11..15 (19), 18 (20).
        assert open_app.due_on == dt.date(2027, 1, 18)
        assert open_app.due_provisional is False

    shown = json.loads(run("calendar", "show", "--year", "2027", "--json"))
    assert shown["year"] == 2027
    assert shown["loaded"] is True
    assert "2027.csv" in shown["source"]
    assert shown["days"] == [
        {"date": "2027-01-01", "kind": "holiday", "name": "元旦"},
        {"date": "2027-01-04", "kind": "holiday", "name": "测试假日"},
        {"date": "2027-01-09", "kind": "workday", "name": "测试调休"},
    ]


def test_calendar_load_bad_csv_is_refused(cast: Any, tmp_path: Path) -> None:
    csv_file = tmp_path / "bad.csv"
    csv_file.write_text("date,kind,name\n2027-01-01,holiday,元旦\n2027-02-30,holiday,春节\n")
    with pytest.raises(CommandError, match="第3行「date」日期无效: 2027-02-30"):
        run("calendar", "load", str(csv_file))
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_calendar_show_after_notice(cast: Any, tmp_path: Path) -> None:
    notice = tmp_path / "notice.txt"
    notice.write_text(NOTICE_2027, encoding="utf-8")
    run("calendar", "load-notice", "--year", "2027", str(notice))
    shown = json.loads(run("calendar", "show", "--year", "2027", "--json"))
    assert shown["loaded"] is True
    assert "国务院办公厅通知" in shown["source"]
    days = {d["date"]: d for d in shown["days"]}
    assert len(days) == 33
    assert days["2027-10-01"] == {"date": "2027-10-01", "kind": "holiday", "name": "国庆节"}
    assert days["2027-09-26"]["kind"] == "workday"


@pytest.mark.django_db
def test_calendar_show_unloaded_year() -> None:
    shown = json.loads(run("calendar", "show", "--year", "2030", "--json"))
    assert shown == {"year": 2030, "loaded": False, "source": None, "days": []}
    assert "尚未载入" in run("calendar", "show", "--year", "2030")


@pytest.mark.django_db
def test_calendar_show_seeded_year() -> None:
    shown = json.loads(run("calendar", "show", "--year", "2026", "--json"))
    assert shown["loaded"] is True
    kinds = {d["date"]: d["kind"] for d in shown["days"]}
    assert kinds["2026-10-01"] == "holiday"
    assert kinds["2026-10-10"] == "workday"


# --- report ----------------------------------------------------------------------------

TABLE3_ROWS = [
    "new",
    "carried_in",
    "granted",
    "partial",
    *(f"withheld_{i}" for i in range(1, 9)),
    *(f"unable_{i}" for i in range(1, 4)),
    *(f"not_processed_{i}" for i in range(1, 6)),
    *(f"other_{i}" for i in range(1, 4)),
    "total",
    "carried_out",
]
TABLE3_COLUMNS = [
    "natural_person",
    "business",
    "research",
    "nonprofit",
    "legal_services",
    "other_org",
    "total",
]
SECTION_HEADINGS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]


@pytest.fixture
def a_year(cast: Any) -> Any:
    """A few applications of 街道 A in 2025 and 2026."""
    from fazhi.ledgers.disclosure import actions

    with time_machine.travel(NOW, tick=False):
        old = actions.register(
            unit=cast.street_a,
            by=cast.a_clerk,
            received_on=dt.date(2025, 12, 22),
            applicant_category="natural_person",
            applicant_name="李某",
            content="2025年度街道财政预算执行情况",
        )
        actions.reply(
            app=old,
            by=cast.a_clerk,
            on=dt.date(2026, 1, 9),
            outcome="partial",
            **content("partial"),
        )
        for i, category in enumerate(["natural_person", "business", "legal_services"]):
            app = actions.register(
                unit=cast.street_a,
                by=cast.a_clerk,
                received_on=dt.date(2026, 3, 2 + i),
                applicant_category=category,
                applicant_name=f"申请人{i}",
                content="辖区消防安全检查情况通报",
            )
            if i < 2:
                actions.reply(app=app, by=cast.a_clerk, on=dt.date(2026, 3, 20), outcome="granted")
    return cast


def test_report_json(a_year: Any, tmp_path: Path) -> None:
    target = tmp_path / "out" / "xxgk.json"
    out = run(
        "report", "xxgk", "--unit", "A1", "--year", "2026", "--format", "json", "-o", str(target)
    )
    assert "已生成" in out
    data = json.loads(target.read_text(encoding="utf-8"))
    assert {"unit", "year", "table2", "table3", "table4"} <= set(data)
    assert data["unit"] == "A1"
    assert data["year"] == 2026
    t3 = data["table3"]
    assert list(t3) == TABLE3_ROWS
    for row in TABLE3_ROWS:
        assert list(t3[row]) == TABLE3_COLUMNS, row
    assert t3["new"]["total"] == 3
    assert t3["new"]["legal_services"] == 1
    assert t3["carried_in"] == {**dict.fromkeys(TABLE3_COLUMNS, 0), "natural_person": 1, "total": 1}
    assert t3["granted"]["total"] == 2
    assert t3["partial"]["natural_person"] == 1
    assert t3["total"]["total"] == 3
    assert t3["carried_out"]["total"] == 1
    for col in TABLE3_COLUMNS:
        assert t3["new"][col] + t3["carried_in"][col] == t3["total"][col] + t3["carried_out"][col]


def test_report_json_to_stdout(a_year: Any) -> None:
    data = json.loads(run("report", "xxgk", "--unit", "A1", "--year", "2026"))
    assert data["table3"]["new"]["total"] == 3


def test_report_html(a_year: Any, tmp_path: Path) -> None:
    target = tmp_path / "xxgk.html"
    run("report", "xxgk", "--unit", "A1", "--year", "2026", "--format", "html", "-o", str(target))
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>")
    assert "东湖街道2026年政府信息公开工作年度报告" in page
    positions = [page.find(h) for h in SECTION_HEADINGS]
    assert all(p >= 0 for p in positions), dict(zip(SECTION_HEADINGS, positions, strict=True))
    assert positions == sorted(positions)


def test_report_docx(a_year: Any, tmp_path: Path) -> None:
    import docx

    target = tmp_path / "xxgk.docx"
    run("report", "xxgk", "--unit", "A1", "--year", "2026", "--format", "docx", "-o", str(target))
    document = docx.Document(str(target))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "东湖街道2026年政府信息公开工作年度报告" in text
    for heading in SECTION_HEADINGS:
        assert heading in text, heading
    assert document.tables  # tables 二, 三, 四


def test_report_docx_needs_an_output_path(a_year: Any) -> None:
    with pytest.raises(CommandError, match="-o"):
        run("report", "xxgk", "--unit", "A1", "--year", "2026", "--format", "docx")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["xxgk", "--unit", "NOPE", "--year", "2026"], "未找到单位代码", id="unit"),
        pytest.param(["nope", "--unit", "A1", "--year", "2026"], "未知报告类型", id="kind"),
        pytest.param(["xxgk", "--unit", "A1", "--year", "26"], "年份无效", id="year"),
    ],
)
def test_report_bad_arguments(cast: Any, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run("report", *args)


# --- seed_demo -------------------------------------------------------------------------


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_consistent() -> None:
    from fazhi.core.management.commands.seed_demo import DISTRICT, STREETS
    from fazhi.ledgers.disclosure import annual
    from fazhi.ledgers.disclosure.models import Application, ApplicationEvent

    with time_machine.travel(NOW, tick=False):
        out = run("seed_demo")
        assert "演示账号（密码均为 fazhi-demo-2026）" in out
        counts = (
            OrgUnit.objects.count(),
            get_user_model().objects.count(),
            Application.objects.count(),
            ApplicationEvent.objects.count(),
            AuditEvent.objects.count(),
        )
        out = run("seed_demo")
        assert "示例数据已存在，跳过生成" in out
        assert (
            OrgUnit.objects.count(),
            get_user_model().objects.count(),
            Application.objects.count(),
            ApplicationEvent.objects.count(),
            AuditEvent.objects.count(),
        ) == counts

    assert OrgUnit.objects.filter(code=DISTRICT[0], kind="district").exists()
    for code, _name, _prefix in STREETS:
        street = OrgUnit.objects.get(code=code)
        qs = Application.objects.filter(unit=street)
        assert qs.filter(received_on__year=2025).exists(), code
        assert qs.filter(received_on__year=2026).exists(), code
        t2025 = annual.table3(qs, 2025)
        t2026 = annual.table3(qs, 2026)
        for col in TABLE3_COLUMNS:
            t = t2026
            assert t["new"][col] + t["carried_in"][col] == t["total"][col] + t["carried_out"][col]
            assert t2026["carried_in"][col] == t2025["carried_out"][col], (code, col)
        # The report command agrees with the table it is built from.
        data = json.loads(run("report", "xxgk", "--unit", code, "--year", "2026"))
        assert data["table3"] == t2026


# --- check --deploy --------------------------------------------------------------------


def test_check_deploy_is_clean_in_production_settings(tmp_path: Path) -> None:
    """The settings' part; the database role's part: tests/test_audit_role.py."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        FAZHI_PRODUCTION="1",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="fazhi.example.gov.cn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    )
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "fazhi"), "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_a_partial_notice_is_refused_and_the_year_stays_provisional(tmp_path: Path) -> None:
    notice = tmp_path / "partial.txt"
    notice.write_text(NOTICE_2027.split("三、清明节")[0], encoding="utf-8")  # 元旦 and 春节 only
    with pytest.raises(CommandError, match="缺少清明、劳动、端午、中秋、国庆"):
        run("calendar", "load-notice", "--year", "2027", str(notice))
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(date__year=2027).exists()


@pytest.mark.django_db
def test_user_add_for_an_existing_account_adds_the_role_and_keeps_the_password(
    cast: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    out = run("user", "add", "--username", "a_clerk", "--unit", "B1", "--role", "clerk")
    assert "已为现有用户 a_clerk 增加角色" in out and "初始密码" not in out
    assert get_user_model().objects.get(username="a_clerk").check_password(PASSWORD)
    assert Membership.objects.filter(
        user__username="a_clerk", unit__code="B1", role="clerk"
    ).exists()


@pytest.mark.django_db
def test_review_command_uses_the_installations_township_deadline(
    settings: Any, tmp_path: Path
) -> None:
    report = tmp_path / "r.txt"
    report.write_text(
        "青石街道2023年政府信息公开工作年度报告\n一、总体情况\n本街道依法公开政府信息。\n青石街道办事处\n2024年2月20日\n",
        encoding="utf-8",
    )

    def codes() -> list[str]:
        data = json.loads(run("review", str(report), "--json"))
        return [f["code"] for f in data["reports"][0]["findings"]]

    assert "late_publication" in codes()  # default 01-31
    settings.FAZHI_XXGK_TOWNSHIP_REPORT_DEADLINE = (3, 31)
    assert "late_publication" not in codes()


@pytest.mark.django_db
def test_review_command_prints_plain_json(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_text("青石街道2023年政府信息公开工作年度报告\n一、总体情况\n", encoding="utf-8")
    out = run("review", str(report), "--json")
    assert out.startswith('{\n  "reports": [\n')  # no blank lines between the JSON's chunks
    assert "\n\n" not in out


@pytest.mark.django_db
def test_import_json_outcome(cast: Any, tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(
        [
            "申请编号",
            "收到日期",
            "申请人类型",
            "申请人",
            "申请内容",
            "补正通知日期",
            "补正完成日期",
            "征求意见开始日期",
            "征求意见结束日期",
            "延期日期",
            "答复日期",
            "办理结果",
        ]
    )
    ws.append(
        [
            "J-1",
            "2026-03-02",
            "自然人",
            "王某",
            "某文件",
            "",
            "",
            "",
            "",
            "",
            "2026-03-10",
            "予以公开",
        ]
    )
    path = tmp_path / "j.xlsx"
    wb.save(path)
    with time_machine.travel("2026-11-25 10:00 +0800"):
        data = json.loads(
            run("import", "disclosure", str(path), "--unit", "A1", "--json", "--dry-run")
        )
    assert data == {
        "ok": True,
        "dry_run": True,
        "rows": 1,
        "created": 1,
        "unchanged": 0,
        "errors": [],
        "warnings": [],
    }


# --- deadline: the 信访 rules ----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rule", "start", "due", "period", "article", "rolled"),
    [
        # 15日 from receipt; 2/5 + 15 = 2/20 falls in 春节 (2/15–2/23): rolls to 2/24.
        ("xf.notice", "2026-02-05", "2026-02-24", "15日", "第二十三条", True),
        # 5 工作日: Mon 3/2 → Mon 3/9 (the weekend not counted).
        ("xf.transfer_objection", "2026-03-02", "2026-03-09", "5个工作日", "第二十三条", False),
        # 60日 from 受理: 8/3 + 60 = 10/2 is 国庆: rolls to 10/8.
        ("xf.handle", "2026-08-03", "2026-10-08", "60日", "第三十四条", True),
        # 30日 after the original period: 5/20 + 30 = 6/19 is 端午 (6/19–6/21): 6/22.
        ("xf.extension", "2026-05-20", "2026-06-22", "30日", "第三十四条", True),
        # 30日 from the reply: 3/20 + 30 = Sun 4/19 → Mon 4/20.
        ("xf.review_request", "2026-03-20", "2026-04-20", "30日", "第三十五条", True),
        # 30日 from the request: 9/1 + 30 = 10/1 (国庆 10/1–10/7) → 10/8.
        ("xf.review", "2026-09-01", "2026-10-08", "30日", "第三十五条", True),
        # 30日 from the 复查意见: 5/6 + 30 = Fri 6/5, a working day.
        ("xf.recheck_request", "2026-05-06", "2026-06-05", "30日", "第三十六条", False),
        # 30日 from the request: 3/2 + 30 = Wed 4/1.
        ("xf.recheck", "2026-03-02", "2026-04-01", "30日", "第三十六条", False),
    ],
)
def test_deadline_petition_rules_json(
    rule: str, start: str, due: str, period: str, article: str, rolled: bool
) -> None:
    data = json.loads(run("deadline", "--start", start, "--rule", rule, "--json"))
    assert (data["due"], data["provisional"]) == (due, False)
    steps = data["steps"]
    assert steps[0].startswith("起算：") and "当日不计入" in steps[0]
    assert f"期限：{period}（《信访工作条例》{article}）" in steps, steps
    # A calendar-day period ending on a day off ends on the next working day, and says so.
    assert any("顺延" in s for s in steps) is rolled, steps
    y, m, d = (int(x) for x in due.split("-"))
    assert steps[-1].startswith(f"到期日：{y}年{m}月{d}日"), steps


@pytest.mark.django_db
def test_deadline_lists_the_petition_rules() -> None:
    listed = {
        line.split("\t")[0]: line.split("\t")[1:]
        for line in run("deadline", "--list-rules").splitlines()
    }
    for code in (
        "xf.notice",
        "xf.transfer_objection",
        "xf.handle",
        "xf.extension",
        "xf.review_request",
        "xf.review",
        "xf.recheck_request",
        "xf.recheck",
    ):
        assert code in listed, code
        assert listed[code][-1].startswith("《信访工作条例》第"), listed[code]


# --- a database that is not there yet -----------------------------------------------------


@pytest.mark.parametrize("args", [["deadline", "--start", "2026-09-28", "--rule", "xf.handle"]])
def test_a_command_before_migrate_says_what_to_do(tmp_path: Path, args: list[str]) -> None:
    """A fresh checkout: the SQLite file's directory does not exist, then the file has no tables."""
    fazhi = Path(sys.executable).with_name("fazhi")
    for url in (f"sqlite:///{tmp_path}/missing/db.sqlite3", f"sqlite:///{tmp_path}/empty.sqlite3"):
        env = {**os.environ, "DATABASE_URL": url}
        done = subprocess.run(
            [str(fazhi), *args], env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 1, done.stderr
        assert "请先运行 fazhi migrate" in done.stderr
        assert "Traceback" not in done.stderr
