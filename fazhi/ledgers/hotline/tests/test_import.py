"""The streaming columnar import: own headers and a saved mapping, CSV (UTF-8, GB18030) and
.xlsx, all or nothing with per-row Chinese errors, idempotent re-import with audited changes."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import time_machine
from django.utils import timezone

from fazhi.core.audit.models import AuditEvent
from fazhi.core.management.base import SystemOperator
from fazhi.ledgers.hotline.columns import FIELDS, own_mapping
from fazhi.ledgers.hotline.importing import import_orders
from fazhi.ledgers.hotline.models import HeaderMapping, LimitSource, Status, WorkOrder

Local = dt.datetime  # naive local times, as a platform writes them
NOW = Local(2026, 11, 25, 10, 0)
HEADERS = [f.label for f in FIELDS]


@pytest.fixture(autouse=True)
def _day() -> Iterator[None]:
    with time_machine.travel(timezone.make_aware(NOW), tick=False):
        yield


def row(number: str, **values: str) -> dict[str, str]:
    base = {
        "工单编号": number,
        "来电时间": "2026-11-16 09:00",
        "诉求类型": "投诉",
        "诉求内容": "楼下烧烤店油烟扰民",
        "承办单位": "东湖街道",
        "来电号码": "138-0013-8000",
        "地址": "和平路 12 号",
    }
    base.update(values)
    return base


def write_csv(
    path: Path, rows: list[dict[str, str]], headers: list[str] = HEADERS, encoding: str = "utf-8"
) -> Path:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=headers, extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def run(cast: Any, path: Path, **kw: Any) -> Any:
    """As the command line's operator, into the district (承办单位 anywhere below it)."""
    return import_orders(
        unit=cast.district, by=SystemOperator(), path=path, filename=path.name, **kw
    )


def test_own_headers_import_with_status_limit_and_caches(cast: Any, tmp_path: Path) -> None:
    rows = [
        row("A-1"),  # not dispatched
        row("A-2", 派单时间="2026-11-16 10:00"),  # complaint: 5 工作日 from 11/16 -> 11/23
        row("A-3", 派单时间="2026-11-16 10:00", 反馈时间="2026-11-17 09:00", 办理结果="已处理"),
        row(
            "A-4",
            派单时间="2026-11-16 10:00",
            办结时间="2026-11-18 09:00",
            回访结果="满意",
            承办单位="B1",
        ),
        row("A-5", 紧急程度="紧急", 派单时间="2026-11-24 10:00", 办理时限="2026-11-30 18:00"),
    ]
    outcome = run(cast, write_csv(tmp_path / "orders.csv", rows))
    assert outcome.ok, outcome.errors
    assert (outcome.created, outcome.updated, outcome.unchanged) == (5, 0, 0)
    orders = {o.number: o for o in WorkOrder.objects.all()}
    assert orders["A-1"].status == Status.RECEIVED and orders["A-1"].due_on is None
    a2 = orders["A-2"]
    assert a2.status == Status.HANDLING
    assert timezone.localtime(a2.time_limit).replace(tzinfo=None) == Local(2026, 11, 23, 23, 59, 59)
    assert a2.limit_source == LimitSource.SLA
    assert a2.due_on == a2.handle_due_on == dt.date(2026, 11, 23)
    assert orders["A-3"].status == Status.FED_BACK and orders["A-3"].due_on is None
    assert orders["A-4"].status == Status.CLOSED and orders["A-4"].unit == cast.street_b
    assert orders["A-4"].visit_result == "satisfied"
    assert orders["A-5"].limit_source == LimitSource.FILE
    assert orders["A-1"].phone_key == "13800138000" and orders["A-1"].address_key == "和平路12号"


def test_caches_equal_the_kits_derivation(cast: Any, tmp_path: Path) -> None:
    from fazhi.core.calendar.service import get_calendar
    from fazhi.core.records.clocks import cached_values
    from fazhi.ledgers.hotline.ledger import LEDGER

    rows = [
        row("C-1", 派单时间="2026-11-20 16:00", 紧急程度="紧急"),
        row("C-2", 派单时间="2026-11-20 16:00", 诉求类型="咨询"),
        row("C-3", 派单时间="2026-11-20 16:00", 反馈时间="2026-11-21 08:00"),
        row("C-4", 派单时间="2026-11-20 16:00", 办结时间="2026-11-21 08:00"),
        row(
            "C-5",
            派单时间="2026-12-28 16:00",
            办理时限="2027-01-05 12:00",
            来电时间="2026-11-20 09:00",
        ),
        row("C-6"),
    ]
    rows[4]["派单时间"] = "2026-11-24 16:00"
    rows[4]["办理时限"] = "2027-01-05 12:00"
    assert run(cast, write_csv(tmp_path / "c.csv", rows)).ok
    cal = get_calendar()
    for order in WorkOrder.objects.all():
        expected = cached_values(LEDGER, order, [], cal, NOW.date())
        assert {k: getattr(order, k) for k in expected} == expected, order.number
    assert WorkOrder.objects.get(number="C-5").due_provisional  # 2027 is not loaded


def test_every_spelling_of_a_time_is_read_beside_the_canonical_one(
    cast: Any, tmp_path: Path
) -> None:
    # The canonical spelling is parsed on every row, the others only on the rows needing them
    # (columnar.with_times); a file mixing them reads each row as written.
    spelled = {
        "S-1": "2026-11-16 09:05:00",
        "S-2": "2026/11/16 9:06",
        "S-3": "2026年11月16日 09:07",
        "S-4": " 2026-11-16T09:08:30 ",
        "S-5": "2026.11.16 10:00",
    }
    rows = [row(n, 来电时间="2026-11-16 09:00", 派单时间=t) for n, t in spelled.items()]
    outcome = run(cast, write_csv(tmp_path / "times.csv", rows))
    assert outcome.ok, outcome.errors
    got = {
        o.number: timezone.localtime(o.dispatched_at).replace(tzinfo=None)
        for o in WorkOrder.objects.all()
    }
    assert got == {
        "S-1": Local(2026, 11, 16, 9, 5),
        "S-2": Local(2026, 11, 16, 9, 6),
        "S-3": Local(2026, 11, 16, 9, 7),
        "S-4": Local(2026, 11, 16, 9, 8, 30),
        "S-5": Local(2026, 11, 16, 10, 0),
    }


def test_errors_are_per_row_in_chinese_and_nothing_is_written(cast: Any, tmp_path: Path) -> None:
    rows = [
        row("E-1"),
        row("E-2", 来电时间="2026-13-01 09:00"),
        row("E-3", 诉求类型="投拆"),
        row("E-4", 承办单位="北京市"),
        row("E-5", 反馈时间="2026-11-17 09:00"),  # fed back, never dispatched
        row("E-6", 派单时间="2026-11-15 09:00"),  # before the call
        row("E-1"),
        row("E-8", 诉求内容=""),
        row("E-9", 地址="长" * 201),
        row("E-10", 退单次数="两次"),
    ]
    outcome = run(cast, write_csv(tmp_path / "bad.csv", rows))
    assert not outcome.ok
    text = "\n".join(outcome.errors)
    assert "第3行「来电时间」不是有效的时间: 2026-13-01 09:00" in text
    assert "第4行「诉求类型」应为咨询、求助、投诉、举报、建议、表扬之一: 投拆" in text
    assert "第5行「承办单位」不是本单位或下级单位: 北京市" in text
    assert "第6行「反馈」不能在「待派单」状态下发生（请核对「反馈时间」）" in text
    assert "第7行「派单时间」早于「来电时间」" in text
    assert "第8行「工单编号」在文件中重复出现" in text
    assert "第9行「诉求内容」不能为空" in text
    assert "第10行「地址」过长（最多200个字符，实际201个字符）" in text
    assert "第11行「退单次数」不是有效的次数: 两次" in text
    assert WorkOrder.objects.count() == 0


def test_error_list_is_capped_with_the_count_of_the_rest(
    cast: Any, tmp_path: Path, settings: Any
) -> None:
    settings.FAZHI_HOTLINE_ERRORS_SHOWN = 5
    rows = [row(f"X-{i}", 诉求类型="无") for i in range(12)]
    outcome = run(cast, write_csv(tmp_path / "many.csv", rows), batch_rows=4)
    assert len(outcome.errors) == 5 and outcome.error_count == 12
    assert "另有 7 处" in outcome.summary()


def test_control_characters_are_removed_and_gb18030_is_read(cast: Any, tmp_path: Path) -> None:
    rows = [row("G-1", 诉求内容="油烟扰民\x07，\u202e严重\r\n多日", 诉求人="张\x1b三\n")]
    outcome = run(cast, write_csv(tmp_path / "gb.csv", rows, encoding="gb18030"))
    assert outcome.ok, outcome.errors
    order = WorkOrder.objects.get()
    assert order.content == "油烟扰民，严重\n多日" and order.requester == "张三"
    # A NUL marks a binary file, refused whole as core.imports refuses it.
    nul = write_csv(tmp_path / "nul.csv", [row("G-2", 诉求内容="油烟\x00扰民")])
    assert run(cast, nul).errors == ["文件不是有效的 CSV 文本文件"]


def test_reimport_is_idempotent_and_changes_are_audited(cast: Any, tmp_path: Path) -> None:
    first = [row("R-1", 派单时间="2026-11-16 10:00"), row("R-2")]
    assert run(cast, write_csv(tmp_path / "r1.csv", first)).ok
    again = run(cast, write_csv(tmp_path / "r1.csv", first))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert not AuditEvent.objects.filter(code="hotline.order.updated").exists()
    changed = [
        row("R-1", 派单时间="2026-11-16 10:00", 办结时间="2026-11-18 09:00", 办理结果="已处理"),
        row("R-2"),
    ]
    outcome = run(cast, write_csv(tmp_path / "r2.csv", changed))
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 1, 1)
    order = WorkOrder.objects.get(number="R-1")
    assert order.status == Status.CLOSED and order.due_on is None
    event = AuditEvent.objects.get(code="hotline.order.updated")
    assert event.object_id == str(order.pk) and event.unit_code == "A1"
    assert event.data["changes"]["办结时间"] == [None, "2026-11-18 09:00:00"]
    # A later file without the closing keeps it (a blank step never erases one).
    assert run(cast, write_csv(tmp_path / "r1.csv", first)).unchanged == 2


def test_dry_run_writes_nothing(cast: Any, tmp_path: Path) -> None:
    outcome = run(cast, write_csv(tmp_path / "d.csv", [row("D-1")]), dry_run=True)
    assert outcome.ok and outcome.created == 1
    assert WorkOrder.objects.count() == 0


def test_a_saved_mapping_reads_a_platform_export(cast: Any, tmp_path: Path) -> None:
    platform = {
        "number": "工单号",
        "called_at": "受理时间",
        "category": "诉求分类",
        "content": "诉求描述",
        "handler": "承办部门",
        "dispatched_at": "转办时间",
    }
    HeaderMapping.objects.create(unit=cast.district, name="区平台", columns=platform)
    rows = [
        {
            "工单号": "P-1",
            "受理时间": "2026/11/16 9:00",
            "诉求分类": "咨询",
            "诉求描述": "社保",
            "承办部门": "东湖街道",
            "转办时间": "2026/11/16 9:30",
            "坐席": "007",
        }
    ]
    path = write_csv(tmp_path / "platform.csv", rows, headers=list(rows[0]))
    assert not run(cast, path, mapping=own_mapping()).ok  # fazhi's own headers are missing
    outcome = run(cast, path)  # no mapping named: the saved one the headers fit
    assert outcome.ok, outcome.errors
    assert outcome.mapping == "区平台" and "按表头映射「区平台」读取" in outcome.summary()
    assert "已忽略无法对应的列「坐席」" in outcome.warnings
    assert WorkOrder.objects.get().dispatched_at == timezone.make_aware(Local(2026, 11, 16, 9, 30))
    again = run(cast, path, mapping_name="区平台")
    assert again.ok and (again.created, again.unchanged) == (0, 1)


def test_a_file_without_headers_is_told_so(cast: Any, tmp_path: Path) -> None:
    HeaderMapping.objects.create(
        unit=cast.district, name="区平台", columns={"number": "工单号", "called_at": "受理时间"}
    )
    path = tmp_path / "data.csv"
    path.write_text("A-1,2026-11-16 09:00,投诉,油烟扰民,东湖街道\n", encoding="utf-8")
    outcome = run(cast, path)
    assert not outcome.ok and outcome.error_count == 1
    assert outcome.errors[0].startswith("无法识别文件的表头：第1行为「A-1」「2026-11-16 09:00」")
    assert "请确认文件第1行是表头，或先设置表头映射" in outcome.errors[0]
    assert WorkOrder.with_voided.count() == 0


def test_xlsx_is_read_through_the_workbook_guard(cast: Any, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADERS)
    r = row("X-1", 派单时间="2026-11-16 10:00")
    ws.append([Local(2026, 11, 16, 9) if h == "来电时间" else r.get(h) for h in HEADERS])
    path = tmp_path / "orders.xlsx"
    wb.save(path)
    outcome = run(cast, path)
    assert outcome.ok, outcome.errors
    assert WorkOrder.objects.get().status == Status.HANDLING
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(b"PK\x03\x04 not a zip")
    assert "不是有效的 Excel 文件" in run(cast, bomb).errors[0]


def test_a_streamed_xlsx_has_its_own_budgets(cast: Any, tmp_path: Path, settings: Any) -> None:
    """Rows stream through openpyxl: core's whole-sheet cell budget (calamine's, which holds
    the sheet) does not refuse a big export, the inflated size has the hotline's own cap."""
    from fazhi.core.imports import xlsxguard

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADERS)
    for i in range(30):
        r = row(f"S-{i}")
        ws.append([Local(2026, 11, 16, 9) if h == "来电时间" else r.get(h) for h in HEADERS])
    path = tmp_path / "orders.xlsx"
    wb.save(path)
    # A whole-sheet budget of 100 cells: the generic reader refuses this file ...
    with path.open("rb") as fp, pytest.raises(xlsxguard.GuardError):
        xlsxguard.check_xlsx(fp, ".xlsx", max_area=100)
    # ... the hotline's streaming import reads it
    outcome = run(cast, path)
    assert outcome.ok, outcome.errors
    assert WorkOrder.objects.count() == 30
    settings.FAZHI_HOTLINE_MAX_XLSX_INFLATED = 2_000  # bytes inflated
    again = run(cast, path)
    assert again.errors == ["文件解压后过大，疑似损坏或恶意文件"]


def test_an_outsider_cannot_import_into_another_unit(cast: Any, tmp_path: Path) -> None:
    from fazhi.core.workflow import ActionError

    with pytest.raises(ActionError):
        import_orders(
            unit=cast.street_a,
            by=cast.b_clerk,
            path=write_csv(tmp_path / "o.csv", [row("O-1")]),
            filename="o.csv",
        )
    # A street's clerk cannot name a neighbour as 承办单位.
    outcome = import_orders(
        unit=cast.street_a,
        by=cast.a_clerk,
        path=write_csv(tmp_path / "o.csv", [row("O-1", 承办单位="西城街道")]),
        filename="o.csv",
    )
    assert "不是本单位或下级单位" in outcome.errors[0]


# (a cell, the Chinese message its row gets)
BAD_CELLS = [
    ({"来电时间": "2026-02-30 09:00"}, "第2行「来电时间」不是有效的时间: 2026-02-30 09:00"),
    ({"来电时间": "2026-11-25 24:30"}, "第2行「来电时间」不是有效的时间"),
    ({"来电时间": "明天上午"}, "第2行「来电时间」不是有效的时间: 明天上午"),
    ({"来电时间": "2026-11-26 09:00"}, "第2行「来电时间」不能晚于现在"),
    ({"来电时间": "1999-12-31 09:00"}, "第2行「来电时间」早于2000-01-01，请核对"),
    (
        {"派单时间": "2026-11-16 10:00", "反馈时间": "2026-11-16 09:30"},
        "「反馈时间」早于「派单时间」",
    ),
    (
        {"派单时间": "2026-11-16 10:00", "办理时限": "2026-11-15 10:00"},
        "第2行「办理时限」不能早于「派单时间」",
    ),
    ({"诉求类型": "rumour"}, "第2行「诉求类型」应为咨询、求助、投诉、举报、建议、表扬之一: rumour"),
    ({"回访结果": "很好"}, "第2行「回访结果」应为满意、基本满意、不满意、未回访之一: 很好"),
    ({"督办": "也许"}, "第2行「督办」应为「是」或「否」: 也许"),
    ({"诉求内容": "扰" * 5001}, "第2行「诉求内容」过长（最多5000个字符，实际5001个字符）"),
    ({"工单编号": "N" * 65}, "第2行「工单编号」过长（最多64个字符，实际65个字符）"),
]


@pytest.mark.parametrize(("cells", "message"), BAD_CELLS, ids=[m for _, m in BAD_CELLS])
def test_a_bad_cell_is_told_and_nothing_is_written(
    cast: Any, tmp_path: Path, cells: dict[str, str], message: str
) -> None:
    audit = AuditEvent.objects.count()
    outcome = run(cast, write_csv(tmp_path / "bad.csv", [row("B-1", **cells), row("B-2")]))
    assert not outcome.ok
    assert any(message in e for e in outcome.errors), outcome.errors
    assert WorkOrder.with_voided.count() == 0 and AuditEvent.objects.count() == audit


def test_an_oversize_xlsx_cell_is_told_in_chinese(cast: Any, tmp_path: Path) -> None:
    from fazhi.ledgers.hotline.stream import MAX_CELL_CHARS

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADERS)
    r = row("X-1", 诉求内容="长" * (MAX_CELL_CHARS + 1))
    ws.append([r.get(h) for h in HEADERS])
    path = tmp_path / "big.xlsx"
    wb.save(path)
    outcome = run(cast, path)
    assert not outcome.ok  # Excel keeps at most 32767 characters a cell: still too long here
    assert outcome.errors == ["第2行「诉求内容」过长（最多5000个字符，实际32767个字符）"]
    assert WorkOrder.with_voided.count() == 0


def _frames(path: Path) -> tuple[list[str], list[list[Any]], int]:
    from fazhi.ledgers.hotline.stream import open_source

    with open_source(path, path.name, batch_rows=2, max_bytes=10**9) as src:
        return src.headers, [f.rows() for f in src.frames], src.total


@pytest.mark.parametrize("start", ["A1", "C4"], ids=["at-A1", "below-and-right"])
def test_both_xlsx_readers_give_the_same_columns(tmp_path: Path, settings: Any, start: str) -> None:
    """A sheet within FAZHI_HOTLINE_XLSX_WHOLE_CELLS is read by calamine, a larger one streams
    through openpyxl: the import sees the same headers and cells either way."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    values = [
        HEADERS[:6],
        ["N-1", Local(2026, 11, 16, 9, 30), "投诉", "油烟扰民", "东湖街道", 13800138000],
        ["N-2", dt.date(2026, 11, 17), "咨询", None, "B1", 1.5],
        ["N-3", "2026-11-18 08:00", "求助", "  积水  ", None, "138-0013-8000"],
        [None, None, None, None, None, None],
        ["N-4", Local(2026, 11, 19), "建议", "路灯", "东湖街道", True],
    ]
    col, top = ord(start[0]) - ord("A"), int(start[1:])
    for r, line in enumerate(values):
        for c, value in enumerate(line):
            if value is not None:
                ws.cell(row=top + r, column=col + c + 1, value=value)
    path = tmp_path / "orders.xlsx"
    wb.save(path)
    settings.FAZHI_HOTLINE_XLSX_WHOLE_CELLS = 10_000_000
    whole = _frames(path)
    settings.FAZHI_HOTLINE_XLSX_WHOLE_CELLS = 0
    streamed = _frames(path)
    assert whole == streamed
    if start == "A1":
        headers, frames, total = whole
        assert headers == HEADERS[:6] and total == 5
        rows = [r for f in frames for r in f]
        assert rows[0] == (
            "N-1",
            "2026-11-16 09:30:00",
            "投诉",
            "油烟扰民",
            "东湖街道",
            "13800138000",
        )
        assert rows[1][1] == "2026-11-17 00:00:00" and rows[1][3] is None and rows[1][5] == "1.5"


def _export_xlsx(cast: Any, tmp_path: Path) -> Path:
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(cast.a_clerk)
    response = client.get(reverse("web:export", args=["hotline"]))
    assert response.status_code == 200
    path = tmp_path / "export.xlsx"
    path.write_bytes(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    return path


def _pushed(cast: Any, number: str, **fields: Any) -> WorkOrder:
    from fazhi.ledgers.hotline.actions import upsert_order

    base: dict[str, Any] = {
        "called_at": timezone.make_aware(Local(2026, 11, 16, 9, 0, 17)),
        "category": "complaint",
        "content": "楼下烧烤店油烟扰民",
        "phone": "13900001111",
        "requester": "李四",
        "address": "东湖街道人民路1号",
    }
    base.update(fields)
    upsert_order(unit=cast.street_a, by=cast.a_clerk, number=number, **base)
    return WorkOrder.objects.get(number=number)


def _personal(o: WorkOrder) -> tuple[Any, ...]:
    return (o.phone, o.requester, o.address, o.phone_key, o.address_key, o.called_at,
            o.dispatched_at, o.time_limit, o.limit_source, o.feedback_at, o.closed_at)  # fmt: skip


def test_reimporting_the_export_changes_nothing(cast: Any, tmp_path: Path) -> None:
    """The export masks 来电号码, 诉求人 and 地址 and writes times to the minute: read back, the
    masked and truncated values are what the export made of the stored ones, not changes."""
    at = lambda *a: timezone.make_aware(Local(2026, 11, *a))  # noqa: E731
    orders = [
        _pushed(cast, "X-1"),
        _pushed(cast, "X-2", dispatched_at=at(16, 9, 30, 45)),  # SLA limit …23:59:59
        _pushed(
            cast,
            "X-3",
            phone="0531-8888 6666",
            requester="欧阳娜娜",
            address="人民路",
            dispatched_at=at(16, 9, 30),
            feedback_at=at(17, 10, 5, 9),
            result="已处理",
            closed_at=at(18, 11, 0, 1),
            visit_result="satisfied",
        ),
        _pushed(
            cast,
            "X-4",
            phone="",
            requester="王",
            address="",
            urgency="urgent",
            dispatched_at=at(20, 8, 0),
            time_limit=at(20, 10, 0, 30),
        ),
    ]
    assert timezone.localtime(orders[1].time_limit).second == 59
    before = {o.number: _personal(o) for o in orders}
    path = _export_xlsx(cast, tmp_path)
    outcome = import_orders(unit=cast.street_a, by=cast.a_clerk, path=path, filename=path.name)
    assert outcome.ok, outcome.errors
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 4)
    assert not AuditEvent.objects.filter(code="hotline.order.updated").exists()
    assert {o.number: _personal(o) for o in WorkOrder.objects.all()} == before


def test_a_changed_phone_in_the_export_still_updates(cast: Any, tmp_path: Path) -> None:
    _pushed(cast, "Y-1")
    path = _export_xlsx(cast, tmp_path)
    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert sheet is not None
    headers = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=headers.index("来电号码") + 1, value="13700002222")
    sheet.cell(row=2, column=headers.index("诉求人") + 1, value="李四")  # unmasked, the same
    book.save(path)
    outcome = import_orders(unit=cast.street_a, by=cast.a_clerk, path=path, filename=path.name)
    assert outcome.ok, outcome.errors
    assert outcome.updated == 1
    order = WorkOrder.objects.get(number="Y-1")
    assert (order.phone, order.phone_key, order.requester, order.address) == (
        "13700002222", "13700002222", "李四", "东湖街道人民路1号"
    )  # fmt: skip
    event = AuditEvent.objects.get(code="hotline.order.updated")
    assert event.data["changes"] == {"来电号码": ["13900001111", "13700002222"]}


@pytest.mark.parametrize(
    "value",
    ["", " ", "王", "李四", "欧阳娜娜", "欧阳娜娜娜娜娜娜娜", "13900001111", " 13900001111 ",
     "0531-8888 6666", "+86 139 0000 1111", "123456", "1234567", "人民路", "东湖街道人民路1号",
     "东湖街道人民路1号院3单元502室", "Zhang San", "匿名", " 匿名 "],
)  # fmt: skip
def test_the_columnar_masks_are_the_exports(value: str) -> None:
    import polars as pl

    from fazhi.core.masking import mask_address, mask_name
    from fazhi.ledgers.hotline import columnar
    from fazhi.ledgers.hotline.validation import mask_phone

    frame = pl.DataFrame({"v": [value]})
    got = frame.select(
        columnar.mask_phone(pl.col("v")).alias("phone"),
        columnar.mask_name(pl.col("v")).alias("requester"),
        columnar.mask_address(pl.col("v")).alias("address"),
    ).row(0)
    assert got == (mask_phone(value), mask_name(value), mask_address(value))


def test_numbers_differing_only_by_case_are_refused(cast: Any, tmp_path: Path) -> None:
    assert run(cast, write_csv(tmp_path / "a.csv", [row("GD-abc-0002")])).ok
    # The same number in the same case: the order again, unchanged.
    assert run(cast, write_csv(tmp_path / "a.csv", [row("GD-abc-0002")])).unchanged == 1
    stored = run(cast, write_csv(tmp_path / "b.csv", [row("X-1"), row("gd-abc-0002")]))
    assert stored.errors == ["第3行「工单编号」gd-abc-0002 与已有工单 GD-abc-0002 仅大小写不同"]
    in_file = run(cast, write_csv(tmp_path / "c.csv", [row("HX-1"), row("Y-1"), row("hx-1")]))
    assert in_file.errors == ["第4行「工单编号」hx-1 与文件中第2行的工单 HX-1 仅大小写不同"]
    assert list(WorkOrder.objects.values_list("number", flat=True)) == ["GD-abc-0002"]


def test_full_width_numbers_are_read_in_half_width(cast: Any, tmp_path: Path) -> None:
    assert run(cast, write_csv(tmp_path / "a.csv", [row("T-OLD")])).ok
    wide = [row("Ｔ－ＯＬＤ", 来电号码="１３８－００１３－８０００"), row("Ｔ－ＮＥＷ")]
    outcome = run(cast, write_csv(tmp_path / "b.csv", wide))
    assert outcome.ok, outcome.errors
    assert sorted(WorkOrder.objects.values_list("number", "phone", "phone_key")) == [
        ("T-NEW", "138-0013-8000", "13800138000"),
        ("T-OLD", "138-0013-8000", "13800138000"),
    ]
    twin = run(cast, write_csv(tmp_path / "c.csv", [row("Ｔ－ｏｌｄ")]))
    assert twin.errors == ["第2行「工单编号」T-old 与已有工单 T-OLD 仅大小写不同"]


def test_case_variants_across_batches_are_refused(cast: Any, tmp_path: Path) -> None:
    rows = [row("HX-1"), row("Y-1"), row("Y-2"), row("hX-1")]
    outcome = run(cast, write_csv(tmp_path / "c.csv", rows), batch_rows=2)
    assert outcome.errors == ["第5行「工单编号」hX-1 与文件中第2行的工单 HX-1 仅大小写不同"]


@pytest.mark.parametrize("ending", ["\n", "\r\n", ""])
def test_a_csv_of_only_its_header_row_has_no_data_rows(
    cast: Any, tmp_path: Path, ending: str
) -> None:
    path = tmp_path / "empty.csv"
    path.write_text(",".join(HEADERS) + ending, encoding="utf-8")
    assert run(cast, path).errors == ["文件中没有数据行"]
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADERS)
    book.save(tmp_path / "empty.xlsx")
    assert run(cast, tmp_path / "empty.xlsx").errors == ["文件中没有数据行"]


def test_a_duplicated_header_is_named(cast: Any, tmp_path: Path) -> None:
    headers = [*HEADERS, "来电号码"]
    path = tmp_path / "dup.csv"
    path.write_text(",".join(headers) + "\n" + ",".join(row("D-1").get(h, "") for h in headers))
    expected = ["第1行「来电号码」列重复出现，请删除或改名其中一列后重新导入"]
    assert run(cast, path).errors == expected  # headers read by guessing the mapping
    assert run(cast, path, mapping=own_mapping()).errors == expected  # a mapping named
    assert WorkOrder.objects.count() == 0
