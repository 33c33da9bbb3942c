from __future__ import annotations

import datetime
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from fazhi.core.imports import (
    MAX_LISTED_ERRORS,
    Column,
    ImportSpec,
    RowError,
    parse_date,
    read_table,
    write_template,
    write_xlsx,
)

HEADER = "申请编号,收到日期,申请内容,处理结果,页数,收费"
SMALL = ImportSpec(
    "小台账",
    (
        Column("申请编号", "number"),
        Column("收到日期", "received_on", parse_date),
        Column("申请内容", "content"),
    ),
    key="number",
)


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def messages(result: object) -> list[str]:
    return [str(e) for e in result.errors]  # type: ignore[attr-defined]


def test_row_error_formatting() -> None:
    assert str(RowError(12, "收到日期", "不是有效日期: 2026-13-01")) == (
        "第12行「收到日期」不是有效日期: 2026-13-01"
    )
    assert str(RowError(3, None, "格式错误")) == "第3行格式错误"
    assert str(RowError(None, "收到日期", "缺少必填列「收到日期」")) == "缺少必填列「收到日期」"


def test_impossible_date_reported_at_the_row_the_user_sees(spec: ImportSpec) -> None:
    lines = [HEADER] + [f"YSQ-{n},2026-03-01,内容,予以公开,1," for n in range(10)]
    lines.append("YSQ-X,2026-13-01,内容,予以公开,1,")
    result = read_table(csv_bytes(*lines), "台账.csv", spec)
    assert not result.ok
    assert result.rows == []
    assert messages(result) == ["第12行「收到日期」不是有效日期: 2026-13-01"]


def test_template_round_trip(spec: ImportSpec) -> None:
    template = write_template(spec)
    wb = openpyxl.load_workbook(io.BytesIO(template))
    ws = wb.worksheets[0]
    ws.append(["YSQ-2026-001", datetime.date(2026, 3, 1), "申请公开预算", "予以公开", 12, 5.5])
    ws.append(["YSQ-2026-002", "2026年3月2日", "多行\n内容", None, None, None, "备注"])
    ws.append([])
    ws.append(["YSQ-2026-003", 46084, " 申请 ", "部分公开", "3", "¥1,200.50"])
    buffer = io.BytesIO()
    wb.save(buffer)
    result = read_table(buffer.getvalue(), "填好的.xlsx", spec)
    assert result.ok, messages(result)
    assert result.warnings == []
    assert result.columns == ("number", "received_on", "content", "result", "pages", "fee", "notes")
    assert [r.line for r in result.rows] == [2, 3, 5]
    first, second, third = (r.values for r in result.rows)
    assert first == {
        "number": "YSQ-2026-001",
        "received_on": datetime.date(2026, 3, 1),
        "content": "申请公开预算",
        "result": "open",
        "pages": 12,
        "fee": Decimal("5.50"),
        "notes": None,
    }
    assert second["received_on"] == datetime.date(2026, 3, 2)
    assert second["content"] == "多行\n内容"
    assert second["result"] is None
    assert second["notes"] == "备注"
    assert third["received_on"] == datetime.date(2026, 3, 3)
    assert third["fee"] == Decimal("1200.50")


def test_template_with_examples_reads_back(spec: ImportSpec) -> None:
    example = {
        "number": "YSQ-2026-001",
        "received_on": datetime.date(2026, 3, 1),
        "content": '=HYPERLINK("http://x")',
        "result": "予以公开",
        "pages": 3,
        "fee": Decimal("10.00"),
    }
    result = read_table(write_template(spec, [example]), "模板.xlsx", spec)
    assert result.ok, messages(result)
    assert result.rows[0].values["content"] == '=HYPERLINK("http://x")'
    assert result.rows[0].values["fee"] == Decimal("10.00")


def test_template_sheets(spec: ImportSpec) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(write_template(spec)))
    assert wb.sheetnames[:2] == ["政府信息公开申请", "说明"]
    ws = wb.worksheets[0]
    assert ws.freeze_panes == "A2"
    headers = [c.value for c in ws[1]]
    assert headers[0] == "申请编号*"
    assert headers[3] == "处理结果（选填）"
    assert all(c.font.bold for c in ws[1])
    notes = [row for row in wb["说明"].iter_rows(values_only=True) if row[0] == "收到日期"]
    assert notes == [("收到日期", "必填", "ISO 日期，如 2026-03-01", None, None)]
    assert wb["选项"].sheet_state == "hidden"
    assert len(ws.data_validations.dataValidation) == 1


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"], ids=lambda e: e
)
def test_csv_encodings(spec: ImportSpec, encoding: str) -> None:
    data = csv_bytes(HEADER, "YSQ-1,2026/3/1,申请公开「预算」,不予公开,,", encoding=encoding)
    result = read_table(data, "导出.CSV", spec)
    assert result.ok, messages(result)
    assert result.rows[0].values["content"] == "申请公开「预算」"
    assert result.rows[0].values["result"] == "closed"


def test_csv_undecodable(spec: ImportSpec) -> None:
    result = read_table(HEADER.encode() + b"\n\xff\xfe\xff\x80,x\n", "a.csv", spec)
    assert messages(result) == ["无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV"]


def test_csv_with_quoted_newlines_counts_records(spec: ImportSpec) -> None:
    data = csv_bytes(HEADER, 'A,2026-03-01,"两行\n内容",,,', "B,2026-02-30,x,,,")
    result = read_table(data, "a.csv", spec)
    assert messages(result) == ["第3行「收到日期」不是有效日期: 2026-02-30"]


def test_duplicate_keys(spec: ImportSpec) -> None:
    lines = [HEADER, "YSQ-2026-001,2026-03-01,a,,,", "YSQ-2026-002,2026-03-01,b,,,"]
    lines += ["YSQ-2026-003,2026-03-01,c,,,"] * 0
    lines += ["YSQ-2026-001,2026-03-02,d,,,"]
    result = read_table(csv_bytes(*lines), "a.csv", spec)
    assert messages(result) == ["第4行「申请编号」与第2行重复: YSQ-2026-001"]


def test_missing_required_column_and_unknown_columns(spec: ImportSpec) -> None:
    data = csv_bytes("申请编号,申请内容,承办人,处理结果,页数", "A,b,张三,,")
    result = read_table(data, "a.csv", spec)
    assert messages(result) == ["缺少必填列「收到日期」"]
    assert result.errors[0].column == "收到日期"
    assert result.warnings == ["已忽略无法识别的列「承办人」"]


def test_optional_column_absent_is_absent_from_values(spec: ImportSpec) -> None:
    result = read_table(csv_bytes(HEADER, "A,2026-03-01,b,,,"), "a.csv", spec)
    assert result.ok
    assert "notes" not in result.rows[0].values
    assert result.rows[0].values["fee"] is None


def test_duplicate_header(spec: ImportSpec) -> None:
    result = read_table(csv_bytes(HEADER + ",收到日期", "A,2026-03-01,b,,,,"), "a.csv", spec)
    assert messages(result) == ["第1行「收到日期」列重复出现"]


@pytest.mark.parametrize(
    "header",
    [
        "申请编号*,收到日期*,申请内容*,处理结果（选填）,页数(选填),收费",
        " 申请编号 ,收到\u3000日期,＊申请内容,处理结果,页数,收费",
    ],
)
def test_header_markers_and_spaces(spec: ImportSpec, header: str) -> None:
    result = read_table(csv_bytes(header, "A,2026-03-01,b,,,"), "a.csv", spec)
    assert result.ok, messages(result)


def test_title_row_and_blank_rows_above_header(spec: ImportSpec) -> None:
    data = csv_bytes(",,", "××镇政府信息公开申请台账（2026年）,,", HEADER, "A,2026-03-01,b,,,")
    result = read_table(data, "a.csv", spec)
    assert result.ok, messages(result)
    assert result.rows[0].line == 4
    assert result.warnings == ["已跳过表头之前的 1 行（如标题行）"]


def test_xlsx_rows_keep_sheet_row_numbers() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws["B3"] = "申请编号"
    ws["C3"] = "收到日期"
    ws["D3"] = "申请内容"
    ws["B6"] = "A"
    ws["C6"] = "2026-13-01"
    ws["D6"] = "x"
    buffer = io.BytesIO()
    wb.save(buffer)
    result = read_table(buffer.getvalue(), "a.xlsx", SMALL)
    assert messages(result) == ["第6行「收到日期」不是有效日期: 2026-13-01"]


def test_blank_cells_and_all_errors_collected(spec: ImportSpec) -> None:
    data = csv_bytes(HEADER, "A,,b,,,", "B,2026-03-01,,未知,十二,", "  ,  , ,,,")
    result = read_table(data, "a.csv", spec)
    assert messages(result) == [
        "第2行「收到日期」不能为空",
        "第3行「申请内容」不能为空",
        "第3行「处理结果」不是可选值之一: 「未知」，可选值为「予以公开」、「部分公开」、「不予公开」",
        "第3行「页数」不是有效的整数: 十二",
    ]
    assert result.row_count == 2


def test_error_list_is_capped(spec: ImportSpec) -> None:
    lines = [HEADER] + [f"A{n},bad,b,,," for n in range(MAX_LISTED_ERRORS + 50)]
    result = read_table(csv_bytes(*lines), "a.csv", spec)
    assert len(result.errors) == MAX_LISTED_ERRORS + 1
    assert str(result.errors[-1]) == "……另有 50 处错误"


def test_too_many_rows() -> None:
    small = ImportSpec("测试", (Column("日期", "d", parse_date),), max_rows=3)
    data = csv_bytes("日期", *["2026-03-01"] * 5)
    result = read_table(data, "a.csv", small)
    assert messages(result) == ["数据行数超过上限（最多 3 行），请拆分后分批导入"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "文件中没有数据（未找到表头行）"),
        (HEADER.encode(), "文件中没有数据行"),
        (b",,,\n\n", "文件中没有数据（未找到表头行）"),
    ],
)
def test_empty_files(spec: ImportSpec, data: bytes, message: str) -> None:
    assert messages(read_table(data, "a.csv", spec)) == [message]


def test_inputs_bytes_path_and_file_objects(tmp_path: Path) -> None:
    content = write_xlsx(
        ["申请编号", "收到日期", "申请内容"], [["A", datetime.date(2026, 3, 1), "内容"]]
    )
    path = tmp_path / "a.xlsx"
    path.write_bytes(content)

    class Unseekable(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self._inner = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
            return self._inner.readinto(buffer)

    sources: list[object] = [content, path, io.BytesIO(content), Unseekable(content)]
    with path.open("rb") as fp:
        sources.append(fp)
        for source in sources:
            result = read_table(source, "a.xlsx", SMALL)  # type: ignore[arg-type]
            assert result.ok, (source, messages(result))
            assert result.rows[0].values["received_on"] == datetime.date(2026, 3, 1)


def test_reimport_is_stable(spec: ImportSpec) -> None:
    data = csv_bytes(HEADER, "A,2026-03-01,b,予以公开,2,3")
    assert read_table(data, "a.csv", spec) == read_table(data, "a.csv", spec)


@pytest.mark.parametrize(("content", "ok"), [("四个汉字", True), ("五个汉字了", False)])
def test_a_text_over_its_columns_limit_is_a_row_error(content: str, ok: bool) -> None:
    spec = ImportSpec(
        "小台账", (Column("申请编号", "number"), Column("申请内容", "content", max_length=4))
    )
    result = read_table(csv_bytes("申请编号,申请内容", f"YSQ-1,{content}"), "台账.csv", spec)
    if ok:
        assert [r.values for r in result.rows] == [{"number": "YSQ-1", "content": content}]
    else:
        assert result.rows == []
        assert messages(result) == ["第2行「申请内容」过长（最多4个字符，实际5个字符）"]
