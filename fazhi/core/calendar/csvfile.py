"""Read a holiday table the admin keeps as a spreadsheet export (date,kind,name)."""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re

from fazhi.core.calendar.notice import KINDS, NoticeDay, NoticeError

COLUMNS = ("date", "kind", "name")

# Only the ISO calendar form "2026-01-01"; date.fromisoformat alone would also take "20260101".
_ISO_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8")
        except UnicodeDecodeError:
            raise NoticeError("文件以 UTF-8 标记开头，但内容不是有效的 UTF-8 编码") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Excel on Chinese Windows saves "CSV" in the ANSI code page, i.e. GBK, a subset of GB18030.
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise NoticeError("无法识别文件编码，请保存为 UTF-8 或 GB18030 编码的 CSV 文件") from None


def parse_calendar_csv(data: bytes) -> list[NoticeDay]:
    """Parse a CSV with the header date,kind,name into days sorted by date."""
    reader = csv.reader(io.StringIO(_decode(data), newline=""))
    header: list[str] | None = None
    columns: dict[str, int] = {}
    seen: dict[datetime.date, int] = {}
    days: list[NoticeDay] = []
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [cell.strip().lower() for cell in row]
                if sorted(header) != sorted(COLUMNS):
                    raise NoticeError(
                        f"第{line}行必须是表头 date,kind,name，实际为: {','.join(row)}", line=line
                    )
                columns = {name: header.index(name) for name in COLUMNS}
                continue
            days.append(_parse_row(row, line, columns, seen))
    except csv.Error as exc:
        raise NoticeError(f"CSV 格式错误: {exc}") from None
    if header is None:
        raise NoticeError("CSV 文件为空，第1行必须是表头 date,kind,name")
    if not days:
        raise NoticeError("CSV 文件只有表头，没有数据行")
    return sorted(days, key=lambda day: day.date)


def _parse_row(
    row: list[str], line: int, columns: dict[str, int], seen: dict[datetime.date, int]
) -> NoticeDay:
    if len(row) != len(COLUMNS):
        raise NoticeError(f"第{line}行应有3列（date,kind,name），实际为{len(row)}列", line=line)
    raw_date, kind, name = (row[columns[column]].strip() for column in COLUMNS)
    if not _ISO_DATE_RE.fullmatch(raw_date):
        raise NoticeError(f"第{line}行「date」必须是 YYYY-MM-DD 格式的日期: {raw_date}", line=line)
    try:
        date = datetime.date.fromisoformat(raw_date)
    except ValueError:
        raise NoticeError(f"第{line}行「date」日期无效: {raw_date}", line=line) from None
    if kind not in KINDS:
        raise NoticeError(f"第{line}行「kind」必须是 holiday 或 workday: {kind}", line=line)
    if not name:
        raise NoticeError(f"第{line}行「name」不能为空", line=line)
    if date in seen:
        raise NoticeError(f"第{line}行日期重复: {raw_date}（已在第{seen[date]}行出现）", line=line)
    seen[date] = line
    return NoticeDay(date, kind, name)
