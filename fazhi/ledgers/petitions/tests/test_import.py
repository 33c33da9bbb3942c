"""Importing a year of 信访事项 from Excel/CSV (DESIGN invariant 7): every row's steps replayed
through the transition table, the clocks derived as the forms would, all or nothing, idempotent
on 信访编号, per-row Chinese errors; the web page, the template, the command and the export."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from fazhi.core.audit.models import AuditEvent
from fazhi.core.calendar.service import get_calendar
from fazhi.core.deadlines.clock import Extension, compute
from fazhi.core.imports.writing import write_xlsx
from fazhi.core.metrics import evaluate
from fazhi.core.workflow import ActionError
from fazhi.ledgers.petitions import actions, rules
from fazhi.ledgers.petitions.importing import SPEC
from fazhi.ledgers.petitions.models import Petition, Stage, Status, Visit
from fazhi.ledgers.petitions.tests.importcase import (
    BAD_LINE,
    HEADERS,
    SHAPES,
    TODAY,
    base_row,
    counts,
    csv_bytes,
    imp,
    kinds,
    run_import,
    shape_of,
    xlsx_bytes,
    year_of_rows,
)
from fazhi.ledgers.petitions.tests.importcase import (
    bad_row as _bad,
)
from fazhi.ledgers.petitions.tests.importcase import (
    good_rows as _good_rows,
)
from fazhi.ledgers.petitions.ui import UI

D = dt.date
pytestmark = pytest.mark.usefixtures("import_day")


# --- a year of matters ------------------------------------------------------------------


def test_the_spec_is_the_documented_header_row() -> None:
    assert [c.header for c in SPEC.columns] == HEADERS


@pytest.mark.parametrize(
    ("filename", "encode"),
    [
        pytest.param("台账.xlsx", xlsx_bytes, id="xlsx"),
        pytest.param("台账.csv", lambda rows: csv_bytes(rows, "utf-8-sig"), id="csv-utf8-bom"),
        pytest.param("台账.csv", lambda rows: csv_bytes(rows, "gb18030"), id="csv-gb18030"),
    ],
)
def test_a_year_imports_with_statuses_clocks_visits_and_events(
    cast: Any, filename: str, encode: Any
) -> None:
    rows = year_of_rows(120)
    outcome = imp(cast, encode(rows), filename)
    assert outcome.ok, outcome.errors
    assert (outcome.rows, outcome.created, outcome.unchanged) == (120, 120, 0)
    assert outcome.summary() == "共 120 行：已导入新信访事项 120 件，已存在且无变化 0 件。"
    assert outcome.warnings == []

    cal = get_calendar()
    found = {p.number: p for p in Petition.objects.filter(unit=cast.street_a)}
    assert len(found) == 120
    seen = set()
    for row in rows:
        p = found[str(row["信访编号"])]
        shape = shape_of(int(p.number[-4:]))
        seen.add(shape)
        received = row["收到日期"]
        assert isinstance(received, dt.date)
        routed = row["处理日期"]
        replied = row["答复日期"]
        assert (p.received_on, p.created_by, p.content) == (received, cast.a_clerk, row["诉求内容"])
        assert p.routed_on == routed
        assert p.replied_on == replied
        assert p.handler is None  # nobody in fazhi is named as the handler of an imported matter
        notice = compute(rules.NOTICE, received, cal).due
        if shape in ("anonymous", "review", "recheck"):
            # No written notice is owed without a name and address (Art. 23), nor for a 复查.
            assert p.notice_due_on is None, p.number
        else:
            assert p.notice_due_on == notice, p.number
        if shape == "registered":
            assert (p.status, p.due_on, p.due_kind) == (Status.REGISTERED, notice, "notice")
            assert kinds(p) == ["registered"]
        elif shape == "from_above":
            assert p.get_source_display() == "上级交办"
            assert p.status == Status.REGISTERED
            assert p.objection_due_on == cal.add_workdays(received, 5)
            assert (p.due_on, p.due_kind) == (notice, "notice")  # the objection is a window
        elif shape == "anonymous":
            assert (p.status, p.petitioner, p.contact, p.due_on) == (
                Status.REGISTERED,
                "",
                "",
                None,
            )
            assert p.anonymous
        elif shape in ("transfer", "assign"):
            assert p.status == Status.TRANSFERRED and p.due_on is None
            assert kinds(p) == ["registered", "transferred"]
            step = p.events.get(kind="transferred")
            assert step.data["to"] == row["转送/交办机关"]
            assert step.data["assign"] is (shape == "assign")
        elif shape == "not_accepted":
            assert p.status == Status.NOT_ACCEPTED
            assert p.events.get(kind="not_accepted").data["procedure"] == "litigation"
        elif shape == "visit":
            assert p.status == Status.HANDLING
            assert p.handle_due_on == compute(rules.HANDLE, routed, cal).due  # type: ignore[arg-type]
            assert (p.due_on, p.due_kind) == (p.handle_due_on, "handle")
            visits = list(p.visits.values_list("on", "visitors", "representatives"))
            assert visits == [(received, 8, 5)]
        elif shape == "recheck":
            assert (p.stage, p.status) == (Stage.RECHECK, Status.HANDLING)
            # A 复核 also runs 30日 from receipt (Art. 36); from above, but accepted: no window.
            assert p.handle_due_on == compute(rules.RECHECK, received, cal).due
            assert (p.due_on, p.due_kind) == (p.handle_due_on, "recheck")
            assert p.objection_due_on is None
        elif shape == "review":
            assert (p.stage, p.status) == (Stage.REVIEW, Status.HANDLING)
            assert p.original == row["原办理单位及答复"]
            # A 复查 runs 30日 from receipt of the request (Art. 35), not 60日 from 受理.
            assert p.handle_due_on == compute(rules.REVIEW, received, cal).due
            assert (p.due_on, p.due_kind) == (p.handle_due_on, "review")
        elif shape == "opinion":
            assert p.status == Status.REPLIED and p.due_on is None
            assert p.get_result_display() == row["处理结果"]
            assert p.get_satisfaction_display() == row["满意度"]
            assert p.handle_due_on == compute(rules.HANDLE, routed, cal).due  # type: ignore[arg-type]
            assert p.review_request_due_on == compute(rules.REVIEW_REQUEST, replied, cal).due  # type: ignore[arg-type]
            assert kinds(p) == ["registered", "accepted", "opinion", "feedback"]
            assert p.events.get(kind="opinion").data["basis"] == row["处理依据"]
        elif shape == "extended":
            assert p.status == Status.REPLIED
            extension = Extension(20, "经本机关负责人批准延长", rules.EXTENSION.basis)
            assert p.handle_due_on == (
                compute(rules.HANDLE, routed, cal, extensions=[extension]).due  # type: ignore[arg-type]
            )
            assert kinds(p) == [
                "registered",
                "accepted",
                "extension_requested",
                "extended",
                "opinion",
            ]
            approved = p.events.get(kind="extended")
            assert (approved.on, approved.data["approver"], approved.data["amount"]) == (
                row["延期批准日期"],
                "李主任",
                20,
            )
            assert "flags" not in approved.data
        elif shape in ("mediated", "settled"):
            assert p.status == Status.REPLIED
            assert p.result == shape
            assert kinds(p) == ["registered", "accepted", "agreement"]
        if shape != "visit":
            assert not p.visits.exists()
    assert seen == set(SHAPES)
    assert Visit.objects.count() == sum(shape_of(n) == "visit" for n in range(1, 121))
    assert AuditEvent.objects.filter(code="petitions.petition.imported").count() == 120
    assert AuditEvent.objects.filter(code="petitions.import.completed").count() == 1


def test_imported_matters_count_in_the_indicators(cast: Any) -> None:
    """The 及时受理率 rests on routed_on and the notice clock, the 按期办结率 on the handling
    clock: an imported matter must carry both, as one entered through the forms does."""
    received = D(2026, 3, 2)
    rows = [
        base_row(1, received, 处理方式="受理", 处理日期=D(2026, 3, 5)),  # in time
        base_row(
            2, received, 处理方式="转送", 处理日期=D(2026, 3, 30), **{"转送/交办机关": "区住建局"}
        ),
        base_row(
            3,
            received,
            处理方式="受理",
            处理日期=D(2026, 3, 4),
            答复日期=D(2026, 6, 1),  # after the 60日 (5/4 → 5/6 after 劳动节)
            处理结果="不予支持",
            处理依据="无事实依据",
        ),
    ]
    outcome = imp(cast, xlsx_bytes(rows))
    assert outcome.ok, outcome.errors
    qs = Petition.objects.filter(unit=cast.street_a)
    in_time = evaluate("xf.accepted_in_time_rate", qs, 2026)
    assert (in_time.numerator, in_time.denominator) == (2, 3)
    assert {p.number for p in in_time.records().filter(in_time.numerator_q)} == {
        "XF-2026-0001",
        "XF-2026-0003",
    }
    on_time = evaluate("xf.on_time_rate", qs, 2026)
    assert (on_time.numerator, on_time.denominator) == (0, 1)
    assert qs.get(number="XF-2026-0003").handle_due_on == D(2026, 5, 6)


def test_a_file_with_only_the_required_columns_imports(cast: Any) -> None:
    required = [c.header for c in SPEC.columns if not c.allow_blank]
    assert required == ["信访编号", "收到日期", "信访形式", "来源", "信访类型", "诉求内容"]
    rows = [base_row(n, D(2026, 10, n)) for n in range(1, 4)]
    outcome = imp(cast, xlsx_bytes(rows, required))
    assert outcome.ok, outcome.errors
    p = Petition.objects.get(number="XF-2026-0002")
    assert (p.status, p.stage, p.petitioner, p.notice_due_on) == (
        Status.REGISTERED,
        Stage.INITIAL,
        "",
        None,  # no name in the file: no notice is owed
    )


# --- flagged steps ----------------------------------------------------------------------


def test_an_extension_without_its_approver_is_imported_and_flagged(cast: Any) -> None:
    row = base_row(
        1, D(2026, 3, 2), 处理方式="受理", 处理日期=D(2026, 3, 5), 延期批准日期=D(2026, 4, 20)
    )
    outcome = imp(cast, xlsx_bytes([row]))
    assert outcome.ok, outcome.errors
    assert "第2行「延期批准日期」文件未注明批准人（已如实导入并标注）" in outcome.warnings
    p = Petition.objects.get()
    approved = p.events.get(kind="extended")
    assert "文件未注明批准人" in approved.data["flags"]
    assert "approver" not in approved.data
    assert approved.data["amount"] == 30  # 延长日数 left blank: the most the 条例 allows
    assert p.handle_due_on == D(2026, 6, 3)  # 5/4 + 30日 = 6/3
    # The clerk sees the flag on the timeline.
    page = Client()
    page.force_login(cast.a_clerk)
    text = page.get(reverse("web:detail", args=["petitions", p.pk])).content.decode()
    assert "⚠ 导入时发现：文件未注明批准人" in text


def test_an_extension_after_the_deadline_is_kept_and_flagged(cast: Any) -> None:
    row = base_row(
        1,
        D(2026, 3, 2),
        处理方式="受理",
        处理日期=D(2026, 3, 5),
        延期批准日期=D(2026, 5, 20),  # the 60日 ran out on 5/6
        延期批准人="李主任",
    )
    outcome = imp(cast, xlsx_bytes([row]))
    assert outcome.ok, outcome.errors
    message = "办理期限已于 2026-05-06 届满，不能再延期"
    assert f"第2行「延期批准日期」{message}（已如实导入并标注）" in outcome.warnings
    approved = Petition.objects.get().events.get(kind="extended")
    assert approved.data["flags"] == [message]


# --- idempotency ------------------------------------------------------------------------


def test_reimporting_the_same_file_changes_nothing(cast: Any, tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(xlsx_bytes(year_of_rows(36)))
    out, _ = run_import(str(path), "--unit", "A1")
    assert "共 36 行：已导入新信访事项 36 件，已存在且无变化 0 件。" in out
    before = counts()
    snapshot = list(Petition.objects.order_by("id").values())
    out, _ = run_import(str(path), "--unit", "A1")
    assert "共 36 行：已导入新信访事项 0 件，已存在且无变化 36 件。" in out
    assert counts() == before
    assert list(Petition.objects.order_by("id").values()) == snapshot
    again = imp(cast, path)
    assert (again.created, again.unchanged) == (0, 36)
    assert counts() == before


@pytest.mark.parametrize(
    ("n", "column", "value"),
    [
        pytest.param(1, "处理日期", D(2026, 1, 16), id="routed-on"),
        pytest.param(1, "答复日期", D(2026, 2, 22), id="replied-on"),
        pytest.param(1, "处理结果", "不予支持", id="result"),
        pytest.param(5, "延期批准日期", D(2026, 4, 1), id="extended-on"),
        pytest.param(13, "诉求内容", "另一件事", id="content"),
        pytest.param(13, "信访类型", "建议意见", id="category"),
        pytest.param(13, "处理方式", "受理", id="routed-later"),
        pytest.param(9, "事项类别", "复核", id="stage"),
        pytest.param(2, "处理方式", "交办", id="transfer-became-assign"),
        pytest.param(1, "满意度", "满意", id="satisfaction"),
    ],
)
def test_reimport_with_a_changed_row_is_an_error(
    cast: Any, n: int, column: str, value: object
) -> None:
    rows = year_of_rows(13)
    assert imp(cast, xlsx_bytes(rows)).ok
    before = counts()
    snapshot = list(Petition.objects.order_by("id").values())
    changed = [dict(r) for r in rows]
    changed[n - 1][column] = value
    if column == "处理方式":
        changed[n - 1]["处理日期"] = D(2026, 4, 10)
    outcome = imp(cast, xlsx_bytes(changed))
    assert outcome.errors == [
        f"第{n + 1}行「信访编号」「XF-2026-{n:04d}」已存在，且内容与系统中的记录不同（修改请在系统中办理）"
    ]
    assert counts() == before
    assert list(Petition.objects.order_by("id").values()) == snapshot


def test_a_new_row_beside_a_changed_one_is_not_written(cast: Any) -> None:
    rows = year_of_rows(6)
    imp(cast, xlsx_bytes(rows))
    before = counts()
    changed = [dict(r) for r in rows]
    changed[2]["收到日期"] = D(2026, 1, 2)
    changed.append(base_row(50, D(2026, 6, 1)))
    outcome = imp(cast, xlsx_bytes(changed))
    assert not outcome.ok and outcome.created == 0
    assert counts() == before
    assert not Petition.objects.filter(number="XF-2026-0050").exists()


def test_same_numbers_in_another_unit_are_separate(cast: Any) -> None:
    data = xlsx_bytes(year_of_rows(6))
    imp(cast, data)
    outcome = imp(cast, data, by=cast.b_clerk, unit=cast.street_b)
    assert (outcome.created, outcome.unchanged) == (6, 0)
    assert Petition.objects.filter(unit=cast.street_b).count() == 6


# --- who may import, dry runs -----------------------------------------------------------


@pytest.mark.parametrize("who", ["b_clerk", "supervisor", "a_reviewer"])
def test_only_the_units_registrars_may_import(cast: Any, who: str) -> None:
    before = counts()
    with pytest.raises(ActionError, match="没有向该单位导入台账的权限"):
        imp(cast, xlsx_bytes(_good_rows()), by=getattr(cast, who))
    assert counts() == before


def test_dry_run_writes_nothing_then_reports_what_exists(cast: Any) -> None:
    rows = year_of_rows(10)
    before = counts()
    checked = imp(cast, xlsx_bytes(rows), dry_run=True)
    assert checked.summary() == "共 10 行：可导入新信访事项 10 件，已存在且无变化 0 件。"
    assert counts() == before
    imp(cast, xlsx_bytes(rows[:4]))
    before = counts()
    checked = imp(cast, xlsx_bytes(rows), dry_run=True)
    assert (checked.created, checked.unchanged) == (6, 4)
    assert counts() == before


# --- the command ------------------------------------------------------------------------


def test_command_imports_with_json_and_dry_run(cast: Any, tmp_path: Path) -> None:
    path = tmp_path / "信访台账.csv"
    path.write_bytes(csv_bytes(year_of_rows(8), "gb18030"))
    out, _ = run_import(str(path), "--unit", "A1", "--dry-run", "--json")
    assert json.loads(out) == {
        "ok": True,
        "dry_run": True,
        "rows": 8,
        "created": 8,
        "unchanged": 0,
        "errors": [],
        "warnings": [],
    }
    assert Petition.objects.count() == 0
    out, _ = run_import(str(path), "--unit", "A1", "--as", "a_clerk")
    assert out.strip() == "共 8 行：已导入新信访事项 8 件，已存在且无变化 0 件。"
    assert set(Petition.objects.values_list("created_by", flat=True)) == {cast.a_clerk.pk}
    event = AuditEvent.objects.get(code="petitions.import.completed")
    assert (event.actor, event.data["created"]) == ("a_clerk", 8)


def test_command_as_the_operator_flags_the_unnamed_approver(cast: Any, tmp_path: Path) -> None:
    row = base_row(
        1, D(2026, 3, 2), 处理方式="受理", 处理日期=D(2026, 3, 5), 延期批准日期=D(2026, 4, 1)
    )
    path = tmp_path / "x.xlsx"
    path.write_bytes(xlsx_bytes([row]))
    out, _ = run_import(str(path), "--unit", "A1")
    assert "提示：第2行「延期批准日期」文件未注明批准人（已如实导入并标注）" in out
    p = Petition.objects.get()
    assert p.created_by is None and p.status == Status.HANDLING


def test_command_reports_row_errors_as_json_and_writes_nothing(cast: Any, tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(xlsx_bytes([*_good_rows(), _bad(收到日期="2026-13-01")]))
    before = counts()
    out = io.StringIO()
    from django.core.management import call_command

    with pytest.raises(CommandError, match="导入失败：发现 1 处错误，未写入任何记录"):
        call_command("import", "petitions", str(path), "--unit", "A1", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["ok"] is False
    assert data["errors"] == [f"第{BAD_LINE}行「收到日期」不是有效日期: 2026-13-01"]
    assert counts() == before
    with pytest.raises(CommandError, match="导入失败"):
        run_import(str(path), "--unit", "A1")
    with pytest.raises(CommandError, match="无权向 东湖街道 导入"):
        run_import(str(path), "--unit", "A1", "--as", "b_clerk")
    assert counts() == before


# --- the web page and the template -------------------------------------------------------


def _upload(content: bytes, name: str = "信访台账.xlsx") -> io.BytesIO:
    upload = io.BytesIO(content)
    upload.name = name
    return upload


def test_web_import_checks_imports_and_reports_errors(cast: Any) -> None:
    client = Client()
    client.force_login(cast.a_clerk)
    url = reverse("web:import", args=["petitions"])
    page = client.get(url)
    assert page.status_code == 200 and "从 Excel 导入信访事项" in page.content.decode()
    content = xlsx_bytes(year_of_rows(6))
    checked = client.post(url, {"unit": "A1", "file": _upload(content), "dry_run": "on"})
    assert "可导入新信访事项 6 件" in checked.content.decode()
    assert Petition.objects.count() == 0
    done = client.post(url, {"unit": "A1", "file": _upload(content)})
    assert "已导入新信访事项 6 件" in done.content.decode()
    assert Petition.objects.count() == 6
    before = counts()
    bad = xlsx_bytes(
        [*year_of_rows(6), _bad(信访编号="XF-2026-0100", 信访形式="来访", 来访人数=2, 代表人数=3)]
    )
    failed = client.post(url, {"unit": "A1", "file": _upload(bad)})
    assert failed.status_code == 200
    text = failed.content.decode()
    assert "导入失败：发现 1 处错误，未写入任何记录。" in text
    assert "第8行「代表人数」代表人数不能多于来访人数" in text
    assert counts() == before
    # 街道 B's clerk cannot choose 街道 A.
    other = Client()
    other.force_login(cast.b_clerk)
    refused = other.post(url, {"unit": "A1", "file": _upload(content)})
    assert refused.status_code == 200 and "errorlist" in refused.content.decode()
    assert counts() == before


def test_template_download_has_the_columns_and_examples(cast: Any) -> None:
    client = Client()
    client.force_login(cast.a_clerk)
    response = client.get(reverse("web:template", args=["petitions"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    headers = [str(c.value) for c in wb.worksheets[0][1] if c.value]
    assert [h.removesuffix("*").removesuffix("（选填）") for h in headers] == HEADERS
    assert headers[0] == "信访编号*" and headers[2] == "事项类别（选填）"
    assert wb.worksheets[0].max_row == 1  # examples live on the 说明 sheet
    notes = " ".join(str(c.value) for row in wb["说明"].iter_rows() for c in row if c.value)
    assert "XF-2026-0001" in notes and "申诉求决" in notes and "不超过5人" in notes
    # The empty template imports as "no data", not as a 500.
    outcome = imp(cast, response.content)
    assert outcome.errors == ["文件中没有数据行"]


# --- export -----------------------------------------------------------------------------


def _through_the_actions(cast: Any) -> list[Petition]:
    """Matters entered through the forms' actions, in the shapes the export must carry."""

    def new(received: dt.date, **kw: Any) -> Petition:
        fields = {
            "form": "letter",
            "source": "direct",
            "category": "appeal",
            "content": "反映小区停车位规划问题",
            "petitioner": "张三丰",
            "address": "东湖街道幸福路8号3单元",
            "contact": "13912345678",
        } | kw
        return actions.register(unit=cast.street_a, by=cast.a_clerk, received_on=received, **fields)

    replied = actions.accept(new(D(2026, 3, 2)), by=cast.a_clerk, on=D(2026, 3, 5))
    replied = actions.request_extension(
        replied, by=cast.a_clerk, on=D(2026, 4, 20), days=20, reason="涉及多部门"
    )
    replied = actions.extend(
        replied, by=cast.a_leader, on=D(2026, 4, 21), reason="同意", told_on=D(2026, 4, 22)
    )
    replied = actions.opinion(
        replied, by=cast.a_clerk, on=D(2026, 5, 20), result="explain", basis="《物业管理条例》"
    )
    replied = actions.feedback(
        replied, by=cast.a_clerk, on=D(2026, 5, 25), satisfaction="satisfied"
    )
    assigned = actions.transfer(
        new(D(2026, 4, 1), petitioner="李四", contact="13800000000"),
        by=cast.a_clerk,
        on=D(2026, 4, 3),
        to="社区居委会",
        assign=True,
    )
    refused = actions.not_accept(
        new(D(2026, 4, 6), petitioner="赵六", contact="13700000000"),
        by=cast.a_clerk,
        on=D(2026, 4, 8),
        procedure="admin_review",
    )
    visit = actions.accept(
        new(
            D(2026, 6, 1),
            form="visit",
            visitors=7,
            representatives=3,
            petitioner="孙七",
            contact="13600000000",
        ),
        by=cast.a_clerk,
        on=D(2026, 6, 2),
    )
    review = actions.accept(
        new(
            D(2026, 9, 1),
            stage="review",
            original="西城街道2026年7月1日处理意见书",
            petitioner="周八",
            contact="13500000000",
        ),
        by=cast.a_clerk,
        on=D(2026, 9, 2),
    )
    anonymous = new(D(2026, 11, 2), petitioner="", address="", contact="", form="online")
    return [replied, assigned, refused, visit, review, anonymous]


def _comparable(p: Petition) -> tuple[object, ...]:
    """What an exported matter must bring back. The file has one date for an extension (its
    approval) and none for the 回访, so those steps come back with the dates the file gives."""
    undated = {"extension_requested", "feedback"}
    return (
        p.received_on,
        p.stage,
        p.form,
        p.source,
        p.source_ref,
        p.category,
        p.content,
        p.original,
        p.status,
        p.routed_on,
        p.result,
        p.replied_on,
        p.satisfaction,
        p.handle_due_on,
        p.review_request_due_on,
        p.objection_due_on,
        None if p.due_kind in ("notice", "") else (p.due_on, p.due_kind),
        tuple(p.visits.values_list("on", "visitors", "representatives")),
        tuple(
            (kind, None if kind in undated else on)
            for kind, on in p.events.exclude(kind="child_added")
            .order_by("on", "id")
            .values_list("kind", "on")
        ),
    )


def test_export_masks_personal_data(cast: Any) -> None:
    _through_the_actions(cast)
    client = Client()
    client.force_login(cast.a_clerk)
    response = client.get(reverse("web:export", args=["petitions"]))
    assert response.status_code == 200 and response.content[:2] == b"PK"
    wb = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    wb.close()
    headers = rows[0]
    by_number = {r[0]: dict(zip(headers, r, strict=True)) for r in rows[1:]}
    first = by_number["XF-2026-0001"]
    assert (first["信访人"], first["联系方式"], first["地址"]) == (
        "张**",
        "139****5678",
        "东湖街道幸福****",
    )
    flat = " ".join(str(v) for r in rows for v in r)
    for secret in ("张三丰", "13912345678", "幸福路8号", "李四", "13800000000"):
        assert secret not in flat, secret
    assert by_number["XF-2026-0006"]["信访人"] in (None, "")  # anonymous stays empty


def test_export_reimports_into_the_same_unit_unchanged(cast: Any) -> None:
    assert imp(cast, xlsx_bytes(year_of_rows(24))).ok
    _through_the_actions(cast)  # numbered after the imported ones: XF-2026-0025 …
    headers, rows = UI.export(Petition.objects.filter(unit=cast.street_a))
    data = write_xlsx(headers, rows)
    before = counts()
    outcome = imp(cast, data, "导出.xlsx")
    assert outcome.ok, outcome.errors
    assert (outcome.created, outcome.unchanged) == (0, 30)
    assert counts() == before


def test_export_round_trips_into_another_unit_except_the_masked_personal_data(cast: Any) -> None:
    """By design the export never carries a petitioner's name, address or contact (invariant 8),
    so the round trip cannot restore them: a masked cell imports as nothing rather than as a
    fake name, and without a name no written notice is owed (Art. 23). Everything else — the
    stage, routing, extension, reply, visits, statuses and the other clocks — comes back."""
    assert imp(cast, xlsx_bytes(year_of_rows(24))).ok
    made = _through_the_actions(cast)
    assert made[0].number == "XF-2026-0025"
    source = Petition.objects.filter(unit=cast.street_a)
    headers, rows = UI.export(source)
    outcome = imp(cast, write_xlsx(headers, rows), "导出.xlsx", by=cast.b_clerk, unit=cast.street_b)
    assert outcome.ok, outcome.errors
    assert outcome.created == 30
    # The export's own columns (状态, 当前期限, 期限暂定) are not import columns.
    assert any("状态" in w for w in outcome.warnings), outcome.warnings
    a = {p.number: p for p in source}
    b = {p.number: p for p in Petition.objects.filter(unit=cast.street_b)}
    assert set(a) == set(b)
    for number, original in a.items():
        copy = b[number]
        assert _comparable(copy) == _comparable(original), number
        assert (copy.petitioner, copy.address, copy.contact) == ("", "", "")
        assert copy.notice_due_on is None
    transferred = b[made[1].number].events.get(kind="transferred")
    assert transferred.data["assign"] is True and transferred.data["to"] == "社区居委会"
    approved = b[made[0].number].events.get(kind="extended")
    assert approved.data["approver"] == "a_leader" and "flags" not in approved.data
    assert b[made[2].number].events.get(kind="not_accepted").data["procedure"] == "admin_review"


def test_import_tests_run_on_a_fixed_day() -> None:
    from django.utils import timezone

    assert timezone.localdate() == TODAY
