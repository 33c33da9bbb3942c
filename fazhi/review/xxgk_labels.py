"""Labels of the 2021 政府信息公开工作年度报告 tables and the codes they map to."""

from __future__ import annotations

import re

TABLE3_COLUMNS = (
    "natural_person",
    "business",
    "research",
    "nonprofit",
    "legal_services",
    "other_org",
    "total",
)
TABLE4_GROUPS = ("review", "litigation_direct", "litigation_after_review")
TABLE4_COLUMNS = ("upheld", "corrected", "other", "pending", "total")

# (code, pattern, group) in format order; a pattern is searched in the squeezed label. A PDF's
# text layer cuts a label where its cell wraps ("1.本机关不掌握相关政府" / "信息"), so the
# patterns are the labels' distinctive beginnings.
TABLE3_ROWS: tuple[tuple[str, str, str], ...] = (
    ("new", r"本年新收", ""),
    ("carried_in", r"上年结转", ""),
    ("granted", r"予以公开", ""),
    ("partial", r"部分公开", ""),
    ("withheld_1", r"国家秘密", "withheld"),
    ("withheld_2", r"其他法律行政法规禁止", "withheld"),
    ("withheld_3", r"三安全一稳定", "withheld"),
    ("withheld_4", r"第三方合法权益", "withheld"),
    ("withheld_5", r"三类内部事务", "withheld"),
    ("withheld_6", r"四类过程性", "withheld"),
    ("withheld_7", r"行政执法案卷", "withheld"),
    ("withheld_8", r"行政查询事项", "withheld"),
    ("unable_1", r"不掌握相关政府", "unable"),
    ("unable_2", r"没有现成信息", "unable"),
    ("unable_3", r"补正后申请内容仍不明", "unable"),
    ("not_processed_1", r"信访举报投诉", "not_processed"),
    ("not_processed_2", r"重复申请", "not_processed"),
    ("not_processed_3", r"公开出版物", "not_processed"),
    ("not_processed_4", r"无正当理由大量反复申", "not_processed"),
    ("not_processed_5", r"确认或重", "not_processed"),
    ("other_1", r"逾期不补正|无正当理由逾期", "other"),
    ("other_2", r"逾期未按收费", "other"),
    ("other_3", r"^(?:3|三)[.、．]?其他$|^其他处理$", "other"),
    ("total", r"^[(（]?七[)）]?总计$", ""),
    ("carried_out", r"结转下年度", ""),
)
TABLE3_ROW_CODES = tuple(code for code, _, _ in TABLE3_ROWS)
OUTCOME_ROWS = TABLE3_ROW_CODES[2:-2]

TABLE2_ROWS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("regulations", r"^规章$", ("issued", "repealed", "in_force")),
    ("normative_documents", r"^(?:行政)?规范性文件$", ("issued", "repealed", "in_force")),
    ("licensing", r"^行政许可$", ("decisions",)),
    ("penalty", r"^行政处罚$", ("decisions",)),
    ("coercion", r"^行政强制$", ("decisions",)),
    ("fees", r"^行政事业性收费$", ("amount_wan",)),
)

_SQUEEZE = re.compile(r"[\s\"“”'‘’「」]")
_LEADING_NUMBER = re.compile(r"^(?:[(（][一二三四五六七]+[)）]|[一二三四]、|\d[.、．])")


def squeeze(label: str) -> str:
    return _SQUEEZE.sub("", label)


def table3_row_code(cell: str) -> str | None:
    text = squeeze(cell)
    if not text or len(text) > 60 or re.fullmatch(r"[\d./\-—]*", text):
        return None
    for code, pattern, _ in TABLE3_ROWS:
        if code == "other_3":
            if re.search(pattern, text):
                return code
            continue
        if code == "total":
            if re.search(pattern, text):
                return code
            continue
        if re.search(pattern, text):
            if code in ("granted", "partial") and not _LEADING_NUMBER.match(text):
                return None
            if code in ("new", "carried_in") and "申请" not in text:
                return None
            return code
    return None


def table2_row_code(cell: str) -> str | None:
    text = squeeze(cell)
    for code, pattern, _ in TABLE2_ROWS:
        if re.search(pattern, text):
            return code
    return None


TABLE_LINE_LABEL = re.compile(
    r"^\s*(?:[一二三四]、\s*(?:本年新收|上年结转|本年度办理结果|结转下年度)|"
    r"[(（][一二三四五六七][)）]\s*(?:予以公开|部分公开|不予公开|无法提供|不予处理|其他处理|总计)|"
    r"\d[.、．]\s*(?:属于|其他法律行政法规|危及|保护第三方|本机关不掌握|没有现成信息|补正后|信访举报|"
    r"重复申请|要求提供公开出版物|无正当理由|要求行政机关确认|申请人无正当理由|申请人逾期|其他\s*$))"
)


def is_table_label_line(line: str) -> bool:
    return bool(TABLE_LINE_LABEL.match(line))
