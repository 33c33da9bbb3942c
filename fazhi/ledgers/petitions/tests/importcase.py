"""Shared pieces of the 信访 import tests: a year of matters in every shape, as Excel and CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
from django.core.management import call_command

from fazhi.core.audit.models import AuditEvent
from fazhi.core.records.bulk import ImportOutcome, import_file
from fazhi.ledgers.petitions.importing import DECLARATION
from fazhi.ledgers.petitions.ledger import LEDGER
from fazhi.ledgers.petitions.models import Petition, PetitionEvent, Visit

# Every import test runs on this day (`today` decides what counts as a future date).
NOW = "2026-11-25 10:00 +0800"
TODAY = dt.date(2026, 11, 25)

HEADERS = [
    "信访编号",
    "收到日期",
    "事项类别",
    "信访形式",
    "来源",
    "来源文号",
    "信访类型",
    "信访人",
    "地址",
    "联系方式",
    "诉求内容",
    "来访人数",
    "代表人数",
    "原办理单位及答复",
    "处理方式",
    "处理日期",
    "转送/交办机关",
    "告知途径",
    "延期批准日期",
    "延长日数",
    "延期批准人",
    "答复日期",
    "处理结果",
    "处理依据",
    "满意度",
]

Row = dict[str, object]


def base_row(n: int, received: dt.date, **values: object) -> Row:
    """A matter as the clerk's own ledger keeps it: registered, nothing done yet."""
    row: Row = dict.fromkeys(HEADERS)
    row.update(
        {
            "信访编号": f"XF-2026-{n:04d}",
            "收到日期": received,
            "信访形式": "来信",
            "来源": "本单位直接收到",
            "信访类型": "申诉求决",
            "信访人": f"王某{n}",
            "地址": f"东湖街道幸福路{n}号",
            "联系方式": f"139{n:08d}",
            "诉求内容": f"反映小区停车位规划问题（第{n}件）",
        }
    )
    row.update(values)
    return row


# The shapes of a year's matters, by n % len(SHAPES).
SHAPES = (
    "registered",
    "opinion",
    "transfer",
    "assign",
    "not_accepted",
    "extended",
    "mediated",
    "visit",
    "anonymous",
    "review",
    "from_above",
    "settled",
    "recheck",
)


def shape_of(n: int) -> str:
    return SHAPES[n % len(SHAPES)]


def year_of_rows(count: int = 120) -> list[Row]:
    """A year of matters in every shape the importer must derive a status and clocks from."""
    day = dt.timedelta
    rows: list[Row] = []
    first = dt.date(2026, 1, 5)
    for n in range(1, count + 1):
        received = first + day(days=(n * 7) % 245)  # to the end of August: every step is past
        shape = shape_of(n)
        extra: Row = {}
        if shape == "opinion":
            extra = {
                "处理方式": "受理",
                "处理日期": received + day(3),
                "答复日期": received + day(40),
                "处理结果": ("支持", "解释说明", "不予支持")[n % 3],
                "处理依据": "《某市住宅小区停车管理办法》第十条",
                "满意度": ("满意", "基本满意", "不满意")[n % 3],
            }
        elif shape == "transfer":
            extra = {"处理方式": "转送", "处理日期": received + day(5), "转送/交办机关": "区住建局"}
        elif shape == "assign":
            extra = {
                "处理方式": "交办",
                "处理日期": received + day(4),
                "转送/交办机关": "社区居委会",
            }
        elif shape == "not_accepted":
            extra = {"处理方式": "不予受理", "处理日期": received + day(6), "告知途径": "诉讼"}
        elif shape == "extended":
            extra = {
                "处理方式": "受理",
                "处理日期": received + day(2),
                "延期批准日期": received + day(50),
                "延长日数": 20,
                "延期批准人": "李主任",
                "答复日期": received + day(75),
                "处理结果": "支持",
                "处理依据": "《物业管理条例》第三十五条",
            }
        elif shape in ("mediated", "settled"):
            extra = {
                "处理方式": "受理",
                "处理日期": received + day(1),
                "答复日期": received + day(20),
                "处理结果": "调解" if shape == "mediated" else "和解",
            }
        elif shape == "visit":
            extra = {
                "信访形式": "来访",
                "来访人数": 8,
                "代表人数": 5,
                "处理方式": "受理",
                "处理日期": received + day(1),
            }
        elif shape == "anonymous":
            extra = {"信访形式": "网上信访", "信访人": None, "地址": None, "联系方式": None}
        elif shape == "review":
            extra = {
                "事项类别": "复查",
                "来源": "信访信息系统",
                "原办理单位及答复": "西城街道2026年1月5日处理意见书（不予支持）",
                "处理方式": "受理",
                "处理日期": received + day(2),
            }
        elif shape == "recheck":
            extra = {
                "事项类别": "复核",
                "来源": "上级转送",
                "原办理单位及答复": "西城街道2026年1月5日意见书；区信访局2月10日复查意见（维持）",
                "处理方式": "受理",
                "处理日期": received + day(1),
            }
        elif shape == "from_above":
            extra = {"来源": "上级交办", "来源文号": f"区信交〔2026〕{n}号"}
        rows.append(base_row(n, received, **extra))
    return rows


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def xlsx_bytes(rows: Sequence[Row], headers: Sequence[str] = HEADERS) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(list(headers))
    for row in rows:
        ws.append([row.get(h) if row.get(h) != "" else None for h in headers])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: Sequence[Row], encoding: str, headers: Sequence[str] = HEADERS) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_cell_text(row.get(h)) for h in headers])
    return buffer.getvalue().encode(encoding)


def counts() -> tuple[int, int, int, int]:
    return (
        Petition.with_voided.count(),
        PetitionEvent.objects.count(),
        Visit.objects.count(),
        AuditEvent.objects.count(),
    )


def run_import(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "petitions", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# The all-or-nothing tests: a few good rows, then one bad row at a known line.
GOOD_ROWS = 5
BAD_LINE = GOOD_ROWS + 2  # header is line 1, then the good rows, then the bad one
RECEIVED = dt.date(2026, 5, 6)


def bad_row(**values: object) -> Row:
    return base_row(99, RECEIVED, **values)


def good_rows() -> list[Row]:
    return year_of_rows(GOOD_ROWS)


def imp(
    cast: Any,
    data: bytes | Path,
    filename: str = "台账.xlsx",
    *,
    by: Any = None,
    unit: Any = None,
    dry_run: bool = False,
) -> ImportOutcome:
    """Import into 街道 A as its clerk unless told otherwise."""
    return import_file(
        LEDGER,
        DECLARATION,
        unit=unit or cast.street_a,
        by=by or cast.a_clerk,
        data=data,
        filename=filename,
        dry_run=dry_run,
    )


def kinds(p: Petition) -> list[str]:
    return list(p.events.order_by("on", "id").values_list("kind", flat=True))
