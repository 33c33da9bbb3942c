"""The hotline's own pages: the supervisor's ranking, the import page starting a task (and the
task importing), the header mappings (preview, save, edit), a header-less file; the demo hook."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fazhi.core.tasks.models import TaskRun
from fazhi.core.tasks.registry import TaskFailure
from fazhi.core.tasks.runner import execute
from fazhi.ledgers.hotline.actions import upsert_order
from fazhi.ledgers.hotline.models import HeaderMapping, Status, WorkOrder

NOW = timezone.make_aware(dt.datetime(2026, 11, 25, 15, 0))  # noqa: DTZ001 (local)
PLATFORM = "工单号,受理时间,诉求分类,诉求描述,承办部门,转办时间,坐席\n"
COLUMNS = {
    "col_number": "工单号",
    "col_called_at": "受理时间",
    "col_category": "诉求分类",
    "col_content": "诉求描述",
    "col_handler": "承办部门",
    "col_dispatched_at": "转办时间",
}


@pytest.fixture(autouse=True)
def _day() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def t(day: int, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, 11, day, hour))  # noqa: DTZ001


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def text(response: Any) -> str:
    return str(response.content.decode())


def csv_file(body: str, name: str = "platform.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body.encode("utf-8"), content_type="text/csv")


def order(cast: Any, unit: Any, number: str, feedback_day: int) -> None:
    upsert_order(
        unit=unit,
        by=cast.a_clerk if unit == cast.street_a else cast.b_clerk,
        number=number,
        called_at=t(16, 9),
        category="consult",  # 咨询: 1 工作日
        content="咨询社保缴费标准",
        dispatched_at=t(16, 10),
        feedback_at=t(feedback_day, 9),
        result="已答复",
    )


def test_ranking_for_the_supervisor(cast: Any) -> None:
    order(cast, cast.street_a, "A-1", 17)  # on time
    order(cast, cast.street_b, "B-1", 20)  # late
    page = text(client_for(cast.supervisor).get(reverse("hotline:ranking"), {"year": "2026"}))
    assert "2026年承办单位排名" in page
    a, b = page.index("东湖街道"), page.index("西城街道")
    assert a < b  # by 按时办结率 first: A 100%, B 0%
    assert "按时办结率" in page and "反馈时间不晚于办理时限的工单数" in page
    by_return = client_for(cast.supervisor).get(
        reverse("hotline:ranking"), {"year": "2026", "by": "hotline.return_rate"}
    )
    assert by_return.status_code == 200
    # A clerk ranks only what the door lets them see.
    own = text(client_for(cast.a_clerk).get(reverse("hotline:ranking"), {"year": "2026"}))
    assert "东湖街道" in own and "西城街道" not in own
    odd = client_for(cast.supervisor).get(
        reverse("hotline:ranking"), {"year": "1e9", "by": "<script>"}
    )
    assert odd.status_code == 200 and "<script>" not in text(odd)


def test_import_page_starts_a_task_that_imports(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    clerk = client_for(cast.a_clerk)
    HeaderMapping.objects.create(
        unit=cast.street_a, name="区平台", columns={k[4:]: v for k, v in COLUMNS.items()}
    )
    body = PLATFORM + "P-1,2026/11/16 9:00,咨询,社保缴费,东湖街道,2026/11/16 9:30,007\n"
    page = clerk.get(reverse("hotline:import"))
    assert page.status_code == 200 and "自动识别" in text(page)
    response = clerk.post(
        reverse("hotline:import"),
        {"unit": "A1", "mapping": "__auto__", "file": csv_file(body)},
    )
    run = TaskRun.objects.get(kind="hotline_import")
    assert response.status_code == 302
    assert response["Location"] == reverse("tasks:detail", args=[run.pk])
    assert run.args["mapping"] is None and run.args["unit_code"] == "A1"
    assert WorkOrder.objects.count() == 0  # nothing imported inside the request
    execute.call(run.pk)
    run.refresh_from_db()
    assert run.status == "done", run.message
    assert "按表头映射「区平台」读取" in run.message
    o = WorkOrder.objects.get()
    assert (o.number, o.status, o.unit) == ("P-1", Status.HANDLING, cast.street_a)
    shown = text(clerk.get(response["Location"]))
    assert "新工单 1 件" in shown


def test_a_header_less_file_fails_the_task_in_chinese(cast: Any) -> None:
    clerk = client_for(cast.a_clerk)
    body = "P-1,2026/11/16 9:00,咨询,社保缴费,东湖街道\n"
    clerk.post(
        reverse("hotline:import"), {"unit": "A1", "mapping": "__auto__", "file": csv_file(body)}
    )
    run = TaskRun.objects.get(kind="hotline_import")
    with pytest.raises(TaskFailure):
        execute.call(run.pk)
    run.refresh_from_db()
    assert run.status == "failed"
    assert "无法识别文件的表头" in run.message and "未写入任何工单" in run.message
    assert WorkOrder.with_voided.count() == 0
    # With fazhi's own headers chosen, the missing columns are named.
    clerk.post(
        reverse("hotline:import"), {"unit": "A1", "mapping": "__own__", "file": csv_file(body)}
    )
    run = TaskRun.objects.filter(kind="hotline_import").latest("pk")
    with pytest.raises(TaskFailure):
        execute.call(run.pk)
    run.refresh_from_db()
    assert "缺少必填列「工单编号」" in run.message
    assert WorkOrder.with_voided.count() == 0


def test_the_import_form_refuses_what_it_must(cast: Any) -> None:
    clerk = client_for(cast.a_clerk)
    b_unit = clerk.post(
        reverse("hotline:import"),
        {"unit": "B1", "mapping": "__auto__", "file": csv_file(PLATFORM)},
    )
    assert b_unit.status_code == 200 and "选择一个有效的选项" in text(b_unit)
    no_file = clerk.post(reverse("hotline:import"), {"unit": "A1", "mapping": "__auto__"})
    assert no_file.status_code == 200 and "这个字段是必填项" in text(no_file)
    assert TaskRun.objects.count() == 0
    assert client_for(cast.supervisor).get(reverse("hotline:import")).status_code == 404


def test_mapping_preview_save_and_edit(cast: Any) -> None:
    clerk = client_for(cast.a_clerk)
    url = reverse("hotline:mappings")
    assert "新建表头映射" in text(clerk.get(url))
    sample = PLATFORM + "P-1,2026/11/16 9:00,咨询,社保缴费,东湖街道,2026/11/16 9:30,007\n"
    form = {"unit": "A1", "name": "区平台", **COLUMNS}
    preview = clerk.post(
        url, {**form, "col_phone": "来电号码", "show": "1", "preview": csv_file(sample)}
    )
    html = text(preview)
    assert preview.status_code == 200 and HeaderMapping.objects.count() == 0
    assert "<th>工单号</th>" in html and "<td>社保缴费</td>" in html
    assert "必填字段的表头都已在样例文件中找到" in html
    assert "以下选填字段在样例文件中没有对应的列，导入时按空白处理：来电号码、" in html
    assert "phone" not in html.split("样例文件的表头")[-1]  # fields are named in Chinese
    wrong = clerk.post(
        url, {**form, "col_number": "工单编码", "show": "1", "preview": csv_file(sample)}
    )
    assert "必填字段「工单编号」对应的表头「工单编码」在样例文件中找不到" in text(wrong)
    saved = clerk.post(url, {**form, "save": "1"})
    m = HeaderMapping.objects.get()
    assert saved.status_code == 302 and saved["Location"] == reverse("hotline:mapping", args=[m.pk])
    assert m.unit == cast.street_a and m.columns["number"] == "工单号"
    assert m.updated_by == cast.a_clerk
    edit_url = reverse("hotline:mapping", args=[m.pk])
    assert 'value="工单号"' in text(clerk.get(edit_url))
    clerk.post(edit_url, {**form, "col_number": "工单编码", "save": "1"})
    m.refresh_from_db()
    assert m.columns["number"] == "工单编码" and HeaderMapping.objects.count() == 1
    twin = clerk.post(url, {**form, "save": "1"})  # a second one of the same name
    assert "本单位已有同名的表头映射" in text(twin) and HeaderMapping.objects.count() == 1
    bad = clerk.post(url, {**form, "show": "1", "preview": csv_file("x", "sample.pdf")})
    assert "不支持的文件类型" in text(bad)
    long = clerk.post(url, {**form, "col_content": "长" * 101, "save": "1"})
    assert long.status_code == 200 and HeaderMapping.objects.count() == 1


def test_the_demo_hook_seeds_realistic_orders(cast: Any) -> None:
    """What seed_demo calls for every street (the command itself: tests/test_commands.py)."""
    from fazhi.core.records.ledger import ledgers

    hook = next(led.demo for led in ledgers() if led.slug == "hotline")
    assert hook is not None
    made = hook(cast.street_a, {"clerk": cast.a_clerk, "leader": cast.a_leader}, 2026, NOW.date())
    demo = WorkOrder.objects.filter(unit=cast.street_a)
    assert made == demo.count() == 60
    statuses = set(demo.values_list("status", flat=True))
    assert {Status.RECEIVED, Status.HANDLING, Status.CLOSED} <= statuses
    assert demo.filter(repeat_of__isnull=False).exists()  # callers who call again
    assert demo.exclude(visit_result="").exists()
    page = text(client_for(cast.a_clerk).get(reverse("web:list", args=["hotline"])))
    assert re.search(r"12345-\d{8}-", page)


def test_move_forms_refuse_bad_input_in_chinese_and_write_nothing(cast: Any) -> None:
    from fazhi.core.audit.models import AuditEvent
    from fazhi.ledgers.hotline.actions import register
    from fazhi.ledgers.hotline.models import WorkOrderEvent

    o = register(
        unit=cast.street_a,
        by=cast.a_clerk,
        number="M-1",
        called_at=t(23, 9),
        category="complaint",
        content="楼下烧烤店油烟扰民",
    )
    clerk = client_for(cast.a_clerk)

    def move(code: str, data: dict[str, str]) -> str:
        response = clerk.post(reverse("web:move", args=["hotline", o.pk, code]), data, follow=True)
        assert response.status_code == 200
        return text(response)

    def written() -> tuple[int, int, str]:
        o.refresh_from_db()
        return WorkOrderEvent.objects.count(), AuditEvent.objects.count(), o.status

    before = written()
    assert "有效" in move("dispatch", {"at": "2026-02-30T09:00"})  # no such day
    assert "派单时间不能早于来电时间" in move("dispatch", {"at": "2026-11-23T08:00"})
    assert "派单时间不能晚于现在" in move("dispatch", {"at": "2026-11-25T18:00"})
    assert "不能" in move("feedback", {"at": "2026-11-24T09:00", "result": "已处理"})  # 未派单
    assert "这个字段是必填项" in move("dispatch", {"at": ""})
    assert written() == before
    move("dispatch", {"at": "2026-11-23T10:00"})
    assert written()[2] == Status.HANDLING
    before = written()
    page = move("feedback", {"at": "2026-11-23T09:30", "result": "已处理"})
    assert "反馈时间不能早于派单时间（2026-11-23 10:00）" in page
    long = move("feedback", {"at": "2026-11-24T09:00", "result": "长" * 5001})
    assert "确保该变量包含不超过 5000 字符 (目前字符数 5001)" in long
    assert written() == before


def test_a_year_with_nothing_to_count_ranks_nobody(cast: Any) -> None:
    order(cast, cast.street_a, "A-1", 17)
    order(cast, cast.street_b, "B-1", 20)
    page = text(client_for(cast.supervisor).get(reverse("hotline:ranking"), {"year": "2025"}))
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td>", body)
    assert rows, body
    assert all("未排名" in rank for rank, _ in rows), rows
    assert "0.0%" not in body
    ranked_2026 = text(
        client_for(cast.supervisor).get(reverse("hotline:ranking"), {"year": "2026"})
    )
    body = ranked_2026.split("<tbody>", 1)[1]
    assert re.findall(r"<tr><td>(\d+)</td><td>(.*?)</td>", body)[:2] == [
        ("1", "东湖街道"),
        ("2", "西城街道"),
    ]


@pytest.mark.parametrize(
    ("called_at", "created"),
    [("2026-11-25T23:59", False), ("2026-11-25T15:01", False), ("2026-11-25T14:59", True)],
)
def test_registering_refuses_a_call_later_today(cast: Any, called_at: str, created: bool) -> None:
    """A 来电时间 later today is refused to the minute, as the moves and the import refuse a
    future time (the kit's date check alone lets it through)."""
    form = {
        "unit": cast.street_a.code,
        "number": "N-1",
        "called_at": called_at,
        "category": "complaint",
        "urgency": "normal",
        "content": "油烟扰民",
    }
    page = client_for(cast.a_clerk).post(reverse("web:new", args=["hotline"]), form)
    assert WorkOrder.objects.filter(number="N-1").exists() is created
    if not created:
        assert page.status_code == 200 and "来电时间不能晚于现在" in text(page)


@pytest.mark.parametrize(
    ("who", "may_import"),
    [
        ("a_clerk", True),
        ("b_clerk", True),
        ("supervisor", False),
        ("a_leader", False),
        ("a_reviewer", False),
        ("admin", False),
    ],
)
def test_the_import_button_shows_only_to_those_who_may_import(
    cast: Any, who: str, may_import: bool
) -> None:
    """The list's 导入工单（表头映射） button follows the import page's own rule (it is a 404
    for whoever may register nowhere)."""
    client = client_for(getattr(cast, who))
    page = text(client.get(reverse("web:list", args=["hotline"])))
    assert ("导入工单（表头映射）" in page) is may_import
    assert (client.get(reverse("hotline:import")).status_code == 200) is may_import


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"col_content": "工单号"},
            "表头「工单号」同时对应了「工单编号」「诉求内容」，一个表头只能对应一个字段",
        ),
        ({"col_content": " 工单号 "}, "同时对应了「工单编号」「诉求内容」"),  # as headers match
        ({"name": "名" * 51}, "映射名称最多50个字，请缩短后保存"),
        ({"name": "名" * 500}, "映射名称最多50个字，请缩短后保存"),
    ],
)
def test_a_mapping_with_a_header_twice_or_an_overlong_name_is_refused(
    cast: Any, change: dict[str, str], message: str
) -> None:
    clerk = client_for(cast.a_clerk)
    form = {"unit": "A1", "name": "区平台", **COLUMNS, "save": "1"}
    refused = clerk.post(reverse("hotline:mappings"), {**form, **change})
    assert refused.status_code == 200 and message in text(refused)
    assert HeaderMapping.objects.count() == 0
    saved = clerk.post(reverse("hotline:mappings"), {**form, "name": "名" * 50})
    assert saved.status_code == 302 and HeaderMapping.objects.get().name == "名" * 50
