"""Shared pieces of the import tests: the cast's ledger files, in Excel and CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence

import openpyxl
from django.core.management import call_command

from fazhi.core.audit.models import AuditEvent
from fazhi.core.imports.idnumber import id_check_char
from fazhi.ledgers.disclosure.models import Application, ApplicationEvent, Outcome

# Every import test runs on this day (`today` decides what counts as a future date).
NOW = "2026-11-25 10:00 +0800"

HEADERS = [
    "申请编号",
    "收到日期",
    "申请人类型",
    "申请人",
    "证件号码",
    "联系方式",
    "申请内容",
    "收到方式",
    "补正通知日期",
    "补正完成日期",
    "征求意见开始日期",
    "征求意见结束日期",
    "收费通知日期",
    "延期日期",
    "答复日期",
    "办理结果",
    "收费金额",
]
OPTIONAL = {"证件号码", "联系方式", "收到方式", "收费金额", "收费通知日期"}
CATEGORIES = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
CHANNELS = ["当面提交", "互联网渠道", "电子邮件", "平常信函", "邮政快递（需签收）", "传真"]
OUTCOME_LABELS = [label for _, label in Outcome.choices]

Row = dict[str, object]


def id_number(seq: int) -> str:
    first17 = f"11010119900307{seq % 1000:03d}"
    return first17 + id_check_char(first17)


def bad_checksum(seq: int) -> str:
    good = id_number(seq)
    return good[:17] + ("0" if good[17] != "0" else "1")


def base_row(n: int, received: dt.date, **values: object) -> Row:
    row: Row = {
        "申请编号": f"YSQ-2026-{n:04d}",
        "收到日期": received,
        "申请人类型": "自然人",
        "申请人": f"王某{n}",
        "证件号码": "",
        "联系方式": f"139{n:08d}",
        "申请内容": f"辖区老旧小区改造项目清单（第{n}项）",
        "收到方式": "互联网渠道",
        "补正通知日期": None,
        "补正完成日期": None,
        "征求意见开始日期": None,
        "征求意见结束日期": None,
        "收费通知日期": None,
        "延期日期": None,
        "答复日期": None,
        "办理结果": "",
        "收费金额": None,
    }
    row.update(values)
    return row


def year_of_rows(count: int = 200, *, with_ids: bool = True) -> list[Row]:
    """A year of applications in every shape the importer must derive a status from."""
    rows: list[Row] = []
    first = dt.date(2026, 1, 5)
    for n in range(1, count + 1):
        received = first + dt.timedelta(days=(n * 3) % 290)
        day = dt.timedelta
        category = CATEGORIES[n % len(CATEGORIES)]
        extra: Row = {
            "申请人类型": category,
            "申请人": f"王某{n}" if category == "自然人" else f"某{category}{n}",
            "收到方式": CHANNELS[n % len(CHANNELS)],
            "证件号码": id_number(n) if with_ids and category == "自然人" and n % 2 else "",
        }
        shape = n % 10
        if shape == 0:
            extra |= {"答复日期": received + day(10), "办理结果": "予以公开"}
        elif shape == 1:  # corrected, then replied
            extra |= {
                "补正通知日期": received + day(3),
                "补正完成日期": received + day(8),
                "答复日期": received + day(20),
                "办理结果": "部分公开",
            }
        elif shape == 2:  # still awaiting the correction
            extra |= {"补正通知日期": received + day(2)}
        elif shape == 3:  # consulted, then replied
            extra |= {
                "征求意见开始日期": received + day(4),
                "征求意见结束日期": received + day(12),
                "答复日期": received + day(25),
                "办理结果": "保护第三方合法权益",
            }
        elif shape == 4:  # consultation still running
            extra |= {"征求意见开始日期": received + day(5)}
        elif shape == 5:  # extended, then replied
            extra |= {
                "延期日期": received + day(20),
                "答复日期": received + day(30),
                "办理结果": "本机关不掌握相关政府信息",
            }
        elif shape == 6:  # just received
            pass
        elif shape == 7:  # every outcome label, in turn
            label = OUTCOME_LABELS[n % 21]
            extra |= {"答复日期": received + day(7), "办理结果": label}
            if label == Outcome.OTHER_1.label:  # the notice the closing rests on
                extra["补正通知日期"] = received + day(1)
            if label == Outcome.OTHER_2.label:
                extra["收费通知日期"] = received + day(1)
        elif shape == 8:  # corrected, still open: the reply clock restarted
            extra |= {"补正通知日期": received + day(1), "补正完成日期": received + day(6)}
        else:  # replied, with a fee
            extra |= {"答复日期": received + day(15), "办理结果": "予以公开", "收费金额": "120.50"}
        rows.append(base_row(n, received, **extra))
    return rows


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def xlsx_bytes(
    rows: Sequence[Row], headers: Sequence[str] = HEADERS, *, title: str | None = None
) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    if title:
        ws.append([title])
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


def counts() -> tuple[int, int, int]:
    return (
        Application.objects.count(),
        ApplicationEvent.objects.count(),
        AuditEvent.objects.count(),
    )


def run_import(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "disclosure", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()
