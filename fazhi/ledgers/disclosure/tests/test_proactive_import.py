"""The 主动公开 register's Excel file: the template, a year of entries, the export imported back
(into another unit: the same register; into the same unit: nothing changes), Chinese errors per
row and column that write nothing, the category as ledgers really write it, the command line."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import time_machine
from django.core.management import CommandError, call_command

from fazhi.core.audit.models import AuditEvent
from fazhi.core.imports.parsers import ImportValueError
from fazhi.core.imports.spec import normalize_header
from fazhi.core.imports.writing import write_template, write_xlsx
from fazhi.core.records.bulk import import_file
from fazhi.ledgers.disclosure.proactive import actions
from fazhi.ledgers.disclosure.proactive.importing import DECLARATION, SPEC, CategoryParser
from fazhi.ledgers.disclosure.proactive.ledger import LEDGER
from fazhi.ledgers.disclosure.proactive.models import ProactiveEvent, ProactiveItem, Status
from fazhi.ledgers.disclosure.proactive.ui import UI

D = dt.date
pytestmark = pytest.mark.django_db
HEADERS = [c.header for c in SPEC.columns]


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(dt.datetime(2026, 11, 25, 10, tzinfo=dt.UTC), tick=False):
        yield


def xlsx(rows: list[dict[str, object]], headers: list[str] = HEADERS) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h) for h in headers])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def row(n: int, **values: object) -> dict[str, object]:
    return {
        "索引号": f"A1/2026-{n:05d}",
        "名称": f"东湖街道信息第{n}条",
        "类别": "第二十条第（七）项",
        "形成（变更）日期": D(2026, 3, 2),
        "公开日期": D(2026, 3, 9),
        "公开途径": "政府网站",
    } | values


def load(unit: Any, by: Any, data: bytes, dry_run: bool = False) -> Any:
    return import_file(
        LEDGER, DECLARATION, unit=unit, by=by, data=data, filename="主动公开.xlsx", dry_run=dry_run
    )


def counts() -> tuple[int, int, int]:
    return (
        ProactiveItem.with_voided.count(),
        ProactiveEvent.objects.count(),
        AuditEvent.objects.count(),
    )


YEAR = [
    row(
        1,
        名称="关于印发《社区网格化服务管理办法》的通知",
        文号="东街发〔2026〕1号",
        类别="第二十条第（一）项",
        年报表二统计项="行政规范性文件",
        制发或废止="制发",
    ),
    row(
        2,
        类别="（六）",
        年报表二统计项="行政处罚",
        处理决定数量=6,
        公开途径="政务新媒体",
        公开位置="东湖发布",
    ),
    row(
        3,
        类别="第二十条第（八）项 行政事业性收费项目及其依据、标准",
        年报表二统计项="行政事业性收费",
        收费金额="1,200.50",
    ),
    row(4, 类别="第二十一条（乡镇）", 形成或变更="变更", 公开日期=None, 公开途径=None),
    row(
        5,
        **{
            "类别": "第五项",
            "年报表二统计项": "行政许可",
            "处理决定数量": 3,
            "形成（变更）日期": D(2026, 2, 10),
            "公开日期": D(2026, 3, 17),
        },
    ),
]


def test_a_year_of_entries_imports_with_its_clock(cast: Any) -> None:
    outcome = load(cast.street_a, cast.a_clerk, xlsx(YEAR))
    assert outcome.ok, outcome.errors
    assert outcome.created == 5
    items = {i.number: i for i in ProactiveItem.objects.all()}
    first, penalty, fees, pending, late = (items[f"A1/2026-{n:05d}"] for n in range(1, 6))
    assert (first.category, first.table2_kind, first.doc_action) == (
        "art20_01",
        "normative_documents",
        "issued",
    )
    assert (penalty.category, penalty.quantity, penalty.channel, penalty.location) == (
        "art20_06",
        6,
        "new_media",
        "东湖发布",
    )
    assert (fees.category, fees.amount) == ("art20_08", Decimal("1200.50"))
    assert (pending.category, pending.change_kind, pending.status) == (
        "art21_township",
        "changed",
        Status.PENDING,
    )
    assert pending.due_on == D(2026, 3, 30)
    # made 2026-02-10 across 春节: due 2026-03-16, published the day after
    assert (late.category, late.publish_due_on, late.published_on) == (
        "art20_05",
        D(2026, 3, 16),
        D(2026, 3, 17),
    )
    assert list(late.events.values_list("kind", flat=True)) == ["registered", "published"]
    assert AuditEvent.objects.filter(code="disclosure.proactive.imported").count() == 5


def test_the_export_imports_back_as_the_same_register(cast: Any) -> None:
    actions.register(
        unit=cast.street_a,
        by=cast.a_clerk,
        title="2026年部门预算",
        category="art20_07",
        made_on=D(2026, 2, 3),
        summary="预算公开",
        doc_number="",
        published_on=D(2026, 2, 5),
        channel="website",
        location="区政府网站",
    )
    actions.register(
        unit=cast.street_a,
        by=cast.a_clerk,
        title="处罚决定",
        category="art20_06",
        table2_kind="penalty",
        quantity=4,
        made_on=D(2026, 4, 1),
    )
    actions.register(
        unit=cast.street_a,
        by=cast.a_clerk,
        title="收费",
        category="art20_08",
        table2_kind="fees",
        amount=Decimal("88.80"),
        made_on=D(2026, 5, 6),
        published_on=D(2026, 5, 7),
        channel="notice_board",
    )
    headers, exported_rows = UI.export(ProactiveItem.objects.filter(unit=cast.street_a))
    rows = list(exported_rows)
    exported = write_xlsx(headers, rows)
    before = counts()
    again = load(cast.street_a, cast.a_clerk, exported)
    assert again.ok, again.errors
    assert (again.created, again.unchanged) == (0, 3)
    assert counts() == before

    # 索引号 carry the unit's code: another unit cannot take them over as they are (they are
    # 东湖's automatic numbers), row by row, and nothing is written...
    refused = load(cast.street_b, cast.b_clerk, exported)
    assert refused.errors == [
        f"第{line}行「索引号」编号「{number}」是其他单位的自动编号格式，请留空由系统编号，或使用本单位的编号"
        for line, number in ((2, "A1/2026-00003"), (3, "A1/2026-00002"), (4, "A1/2026-00001"))
    ]
    assert counts() == before
    # ...but with its own 索引号 the same register imports.
    key = headers.index("索引号")
    own = [[str(c).replace("A1/", "B1/") if i == key else c for i, c in enumerate(r)] for r in rows]
    elsewhere = load(cast.street_b, cast.b_clerk, write_xlsx(headers, own))
    assert elsewhere.ok and elsewhere.created == 3

    def facts(unit: Any) -> list[tuple[object, ...]]:
        return list(
            ProactiveItem.objects.filter(unit=unit)
            .order_by("number")
            .values_list(
                "number",
                "title",
                "category",
                "summary",
                "made_on",
                "table2_kind",
                "quantity",
                "amount",
                "status",
                "published_on",
                "channel",
                "location",
                "publish_due_on",
            )
        )

    assert facts(cast.street_b) == [
        (f[0].replace("A1/", "B1/"), *f[1:]) for f in facts(cast.street_a)
    ]


def test_the_template_filled_in_imports(cast: Any) -> None:
    content = write_template(SPEC)
    wb = openpyxl.load_workbook(io.BytesIO(content))
    sheet = wb.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert [normalize_header(str(h)) for h in header] == [normalize_header(h) for h in HEADERS]
    assert "选项" in wb.sheetnames  # the category, 表二, 途径 columns offer dropdowns
    options = [c.value for c in wb["选项"]["A"]]
    assert options[0] == "第二十条第（一）项 行政法规、规章和规范性文件" and len(options) == 17
    assert load(cast.street_a, cast.a_clerk, content).errors == ["文件中没有数据行"]
    filled = row(1, 类别=options[6])
    sheet.append([filled.get(h) for h in HEADERS])
    buffer = io.BytesIO()
    wb.save(buffer)
    outcome = load(cast.street_a, cast.a_clerk, buffer.getvalue())
    assert outcome.ok and outcome.created == 1, outcome.errors
    assert ProactiveItem.objects.get().category == "art20_07"


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("第二十条第（一）项 行政法规、规章和规范性文件", "art20_01"),
        ("第二十条第（一）项", "art20_01"),
        ("第二十条第(十二)项", "art20_12"),
        ("（十五）", "art20_15"),
        ("第十一项", "art20_11"),
        ("七", "art20_07"),
        ("（三）国民经济和社会发展规划", "art20_03"),
        ("财政预算、决算信息", "art20_07"),
        ("第二十一条（乡镇）", "art21_township"),
        ("第二十一条（设区的市级、县级人民政府及其部门）", "art21_county"),
    ],
)
def test_the_category_as_ledgers_write_it(written: str, code: str) -> None:
    assert CategoryParser()(written) == code


@pytest.mark.parametrize("written", ["第二十条第（十六）项", "（零）", "其他信息", ""])
def test_an_unknown_category_is_refused(written: str) -> None:
    with pytest.raises(ImportValueError):
        CategoryParser()(written)


BAD = [
    ({"类别": "第十六项"}, "第2行「类别」不是可选的类别"),
    (
        {"公开日期": D(2026, 3, 1)},
        "第2行「公开日期」不能早于「形成（变更）日期」: 2026-03-01 < 2026-03-02",
    ),
    ({"公开途径": None}, "第2行「公开途径」已填写公开日期，请填写公开途径"),
    ({"公开日期": None}, "第2行「公开日期」已填写公开途径，但公开日期为空"),
    (
        {"形成（变更）日期": D(2026, 12, 1), "公开日期": None, "公开途径": None},
        "第2行「形成（变更）日期」不能晚于今天",
    ),
    (
        {"年报表二统计项": "行政处罚"},
        "第2行「年报表二统计项」「第二十条第（七）项」的信息不计入年报表二",
    ),
    (
        {"类别": "（一）", "年报表二统计项": "规章"},
        "第2行「制发或废止」规章、规范性文件请选择本条是制发还是废止",
    ),
    ({"处理决定数量": -2}, "第2行「处理决定数量」不能为负数"),
    ({"名称": None}, "第2行「名称」"),
    (
        {"名称": "关于王某（身份证号110105 19491231 002X）的处罚决定"},
        "第2行「名称」中含有身份证号码（110***********002X），公开发布的政府信息目录不得载有",
    ),
]


@pytest.mark.parametrize(("bad", "message"), BAD)
def test_one_bad_row_writes_nothing(cast: Any, bad: dict[str, object], message: str) -> None:
    before = counts()
    rows = [row(1, **bad), row(2)]
    outcome = load(cast.street_a, cast.a_clerk, xlsx(rows))
    assert not outcome.ok
    assert any(e.startswith(message) for e in outcome.errors), outcome.errors
    assert counts() == before


def test_reimport_with_a_changed_publication_is_an_error(cast: Any) -> None:
    assert load(cast.street_a, cast.a_clerk, xlsx([row(1)])).ok
    outcome = load(cast.street_a, cast.a_clerk, xlsx([row(1, 公开日期=D(2026, 3, 10))]))
    assert outcome.errors == [
        "第2行「索引号」「A1/2026-00001」已存在，且内容与系统中的记录不同（修改请在系统中办理）"
    ]


def test_the_command_line_imports_the_register(cast: Any, tmp_path: Path) -> None:
    path = tmp_path / "主动公开.xlsx"
    path.write_bytes(xlsx(YEAR))
    out = io.StringIO()
    call_command("import", "proactive", str(path), "--unit", "A1", "--dry-run", stdout=out)
    assert "可导入新条目 5 件" in out.getvalue()
    assert ProactiveItem.objects.count() == 0
    call_command("import", "proactive", str(path), "--unit", "A1", stdout=out)
    assert ProactiveItem.objects.count() == 5
    path.write_bytes(xlsx([row(9, 类别="第十六项")]))
    with pytest.raises(CommandError, match="导入失败"):
        call_command(
            "import", "proactive", str(path), "--unit", "A1", stdout=out, stderr=io.StringIO()
        )
