"""Year attribution and the figures of the 政府信息公开工作年度报告 (国办公开办函〔2021〕30号).

Every row of table 三 is a predicate (a Q object) over applications, so the same definition
counts the table and lists the records behind each figure (DESIGN invariant 6):
- 新收 (new): first received in the year, even if a correction later restarted the clock;
- 上年结转 (carried_in): received before the year and not replied by its first day;
- outcome rows and 总计: replied in the year, by outcome;
- 结转下年度 (carried_out): received by the end of the year and not replied by then.
Hence, per column, new + carried_in = total + carried_out, and this year's carried_in equals
last year's carried_out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from fazhi.ledgers.disclosure.models import ApplicantCategory, Application, Outcome

COLUMNS: list[tuple[str, str]] = [
    ("natural_person", "自然人"),
    ("business", "商业企业"),
    ("research", "科研机构"),
    ("nonprofit", "社会公益组织"),
    ("legal_services", "法律服务机构"),
    ("other_org", "其他"),
    ("total", "总计"),
]
CATEGORY_COLUMNS = [code for code, _ in COLUMNS if code != "total"]
assert list(ApplicantCategory.values) == CATEGORY_COLUMNS


@dataclass(frozen=True)
class Row:
    code: str
    label: str  # the format's label, verbatim
    group: str = ""  # 三、本年度办理结果 sub-group label, e.g. "（三）不予公开"


OUTCOME_GROUPS: list[tuple[str, list[tuple[str, str]]]] = [
    ("（一）予以公开", [("granted", "")]),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", [("partial", "")]),
    (
        "（三）不予公开",
        [
            ("withheld_1", "1.属于国家秘密"),
            ("withheld_2", "2.其他法律行政法规禁止公开"),
            ("withheld_3", "3.危及“三安全一稳定”"),
            ("withheld_4", "4.保护第三方合法权益"),
            ("withheld_5", "5.属于三类内部事务信息"),
            ("withheld_6", "6.属于四类过程性信息"),
            ("withheld_7", "7.属于行政执法案卷"),
            ("withheld_8", "8.属于行政查询事项"),
        ],
    ),
    (
        "（四）无法提供",
        [
            ("unable_1", "1.本机关不掌握相关政府信息"),
            ("unable_2", "2.没有现成信息需要另行制作"),
            ("unable_3", "3.补正后申请内容仍不明确"),
        ],
    ),
    (
        "（五）不予处理",
        [
            ("not_processed_1", "1.信访举报投诉类申请"),
            ("not_processed_2", "2.重复申请"),
            ("not_processed_3", "3.要求提供公开出版物"),
            ("not_processed_4", "4.无正当理由大量反复申请"),
            ("not_processed_5", "5.要求行政机关确认或重新出具已获取信息"),
        ],
    ),
    (
        "（六）其他处理",
        [
            ("other_1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
            ("other_2", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
            ("other_3", "3.其他"),
        ],
    ),
    ("（七）总计", [("total", "")]),
]
OUTCOME_ROWS = [code for _, items in OUTCOME_GROUPS for code, _ in items if code != "total"]
assert list(Outcome.values) == OUTCOME_ROWS
ROWS: list[str] = ["new", "carried_in", *OUTCOME_ROWS, "total", "carried_out"]
ROW_LABELS: dict[str, str] = {
    "new": "一、本年新收政府信息公开申请数量",
    "carried_in": "二、上年结转政府信息公开申请数量",
    "total": "（七）总计",
    "carried_out": "四、结转下年度继续办理",
}
for _group, _items in OUTCOME_GROUPS:
    for _code, _label in _items:
        ROW_LABELS.setdefault(_code, f"{_group}{_label}" if _label else _group)


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def row_q(row: str, year: int) -> Q:
    first, last = year_bounds(year)
    if row == "new":
        return Q(received_on__gte=first, received_on__lte=last)
    if row == "carried_in":
        return Q(received_on__lt=first) & (Q(replied_on__isnull=True) | Q(replied_on__gte=first))
    if row == "carried_out":
        return Q(received_on__lte=last) & (Q(replied_on__isnull=True) | Q(replied_on__gt=last))
    replied = Q(replied_on__gte=first, replied_on__lte=last)
    if row == "total":
        return replied
    if row in OUTCOME_ROWS:
        return replied & Q(outcome=row)
    raise ValueError(f"unknown table 三 row {row!r}")


def column_q(col: str) -> Q:
    if col == "total":
        return Q()
    if col not in CATEGORY_COLUMNS:
        raise ValueError(f"unknown table 三 column {col!r}")
    return Q(applicant_category=col)


def cell_queryset(
    qs: QuerySet[Application], row: str, col: str, year: int
) -> QuerySet[Application]:
    return qs.filter(row_q(row, year) & column_q(col))


def table3(qs: QuerySet[Application], year: int) -> dict[str, dict[str, int]]:
    """All 25 × 7 cells from one GROUP BY (applicant category, outcome) over the year's rows.

    The buckets are the same `row_q` predicates that list a cell's records."""
    first, last = year_bounds(year)
    relevant = qs.filter(
        Q(received_on__lte=last) & (Q(replied_on__isnull=True) | Q(replied_on__gte=first))
    )
    groups = (
        relevant.order_by()
        .values("applicant_category", "outcome")
        .annotate(
            new=Count("id", filter=row_q("new", year)),
            carried_in=Count("id", filter=row_q("carried_in", year)),
            carried_out=Count("id", filter=row_q("carried_out", year)),
            replied=Count("id", filter=row_q("total", year)),
        )
    )
    table: dict[str, dict[str, int]] = {row: dict.fromkeys(CATEGORY_COLUMNS, 0) for row in ROWS}
    for g in groups:
        col = g["applicant_category"]
        for row in ("new", "carried_in", "carried_out"):
            table[row][col] += g[row]
        if g["outcome"] in OUTCOME_ROWS:
            table[g["outcome"]][col] += g["replied"]
            table["total"][col] += g["replied"]
    for cells in table.values():
        cells["total"] = sum(cells[c] for c in CATEGORY_COLUMNS)
    return table


def fees_q(year: int) -> Q:
    """Section 六's fees: those collected in the year, by payment date (109号; the amount a
    unit collected that year, whatever year the application was answered in)."""
    first, last = year_bounds(year)
    return Q(fee_paid_on__gte=first, fee_paid_on__lte=last, fee_amount__gt=0)


def fees_collected(qs: QuerySet[Application], year: int) -> Decimal:
    total = qs.filter(fees_q(year)).aggregate(s=Sum("fee_amount"))["s"]
    return Decimal(total or 0)


TABLE2_BLOCKS: list[tuple[str, list[tuple[str, str]], list[tuple[str, str]]]] = [
    (
        "第二十条第（一）项",
        [("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数")],
        [("regulations", "规章"), ("normative_documents", "行政规范性文件")],
    ),
    ("第二十条第（五）项", [("decisions", "本年处理决定数量")], [("licensing", "行政许可")]),
    (
        "第二十条第（六）项",
        [("decisions", "本年处理决定数量")],
        [("penalty", "行政处罚"), ("coercion", "行政强制")],
    ),
    (
        "第二十条第（八）项",
        [("amount_wan", "本年收费金额（单位：万元）")],
        [("fees", "行政事业性收费")],
    ),
]
TABLE4_GROUPS = [
    ("review", "行政复议"),
    ("litigation_direct", "未经复议直接起诉"),
    ("litigation_after_review", "复议后起诉"),
]
TABLE4_COLUMNS = [
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
]


def empty_table2() -> dict[str, dict[str, float | int]]:
    return {row: {col: 0 for col, _ in cols} for _, cols, rows in TABLE2_BLOCKS for row, _ in rows}


def empty_table4() -> dict[str, dict[str, int]]:
    return {g: {c: 0 for c, _ in TABLE4_COLUMNS} for g, _ in TABLE4_GROUPS}
