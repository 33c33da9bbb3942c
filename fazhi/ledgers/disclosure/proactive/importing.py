"""The register's Excel/CSV file (Chinese headers): one row per entry; a 公开日期 makes the row's
one step, the publication, replayed through the transition table like the form's."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from typing import Any

from fazhi.core.imports.parsers import (
    ChoiceParser,
    ImportValueError,
    parse_choice,
    parse_date,
    parse_int,
    parse_money,
    parse_text,
)
from fazhi.core.imports.spec import Column, ImportSpec, ParsedRow, RowError
from fazhi.core.records.bulk import ImportDeclaration, ImportRow, ImportStep
from fazhi.ledgers.disclosure.proactive.models import (
    Category,
    ChangeKind,
    DocAction,
    ProactiveItem,
    PublicationChannel,
    Table2Kind,
)

_NUMERALS = "一二三四五六七八九十"
ITEM_NUMBERS = {
    (_NUMERALS[i - 1] if i <= 10 else "十" + _NUMERALS[i - 11]): i for i in range(1, 16)
}
# After NFKC: （一） → (一). Alone: "第二十条第(一)项", "(一)", "第一项"; before text, parenthesised.
_ITEM_ALONE = re.compile(r"(?:第二十条)?第?\(?([一二三四五六七八九十]{1,3})\)?项?")
_ITEM_LEADING = re.compile(r"(?:第二十条)?第?\(([一二三四五六七八九十]{1,3})\)项?")


class CategoryParser(ChoiceParser):
    """The full label (offered in the template), or what ledgers really write: 第二十条第（一）项,
    （一）, 第一项, （一）规章和规范性文件, the item's text alone, 第二十一条（乡镇）."""

    def __init__(self) -> None:
        aliases: dict[str, str] = {}
        for code, label in Category.choices:
            head, _, text = label.partition(" ")
            aliases[head] = aliases[text] = code
        aliases |= {
            "第二十一条（乡镇）": Category.ART21_TOWNSHIP,
            "第二十一条（乡(镇)）": Category.ART21_TOWNSHIP,
            "第二十一条（县级）": Category.ART21_COUNTY,
            "第二十一条（市县）": Category.ART21_COUNTY,
        }
        super().__init__({label: code for code, label in Category.choices}, aliases)

    def __call__(self, value: object) -> str:
        text = "".join(unicodedata.normalize("NFKC", parse_text(value)).split())
        alone = _ITEM_ALONE.fullmatch(text)
        if alone and alone[1] in ITEM_NUMBERS:
            return f"art20_{ITEM_NUMBERS[alone[1]]:02d}"
        try:
            return super().__call__(value)
        except ImportValueError:
            leading = _ITEM_LEADING.match(text)
            if leading and leading[1] in ITEM_NUMBERS:
                return f"art20_{ITEM_NUMBERS[leading[1]]:02d}"
            raise ImportValueError(
                f"不是可选的类别: 「{parse_text(value)}」，请填写如「第二十条第（一）项」"
                "或「第二十一条（乡镇）」"
            ) from None


SPEC = ImportSpec(
    name="主动公开政府信息",
    key="number",
    columns=(
        Column(
            "索引号",
            "number",
            help="本单位内唯一，重复导入同一索引号不会重复登记",
            example="999101001/2026-00001",
        ),
        Column("名称", "title", example="关于印发《东湖街道老旧小区改造实施方案》的通知"),
        Column("文号", "doc_number", required=False, allow_blank=True, example="东街发〔2026〕3号"),
        Column(
            "类别",
            "category",
            CategoryParser(),
            help="条例第二十条、第二十一条的类别，如「第二十条第（一）项」「第二十一条（乡镇）」",
            example=Category.ART20_01.label,
        ),
        Column("内容概述", "summary", required=False, allow_blank=True, example=""),
        Column(
            "形成或变更",
            "change_kind",
            parse_choice({label: code for code, label in ChangeKind.choices}, {"形成": "made"}),
            required=False,
            allow_blank=True,
            help="新形成、变更；留空按新形成",
            example="新形成",
        ),
        Column(
            "形成（变更）日期",
            "made_on",
            parse_date,
            help="政府信息形成或者变更之日，20个工作日的公开期限自此起算",
            example="2026-03-02",
        ),
        Column(
            "年报表二统计项",
            "table2_kind",
            parse_choice({label: code for code, label in Table2Kind.choices}),
            required=False,
            allow_blank=True,
            help="计入年报表二的：规章、行政规范性文件、行政许可、行政处罚、行政强制、行政事业性收费；不计入的留空",
            example="行政规范性文件",
        ),
        Column(
            "制发或废止",
            "doc_action",
            parse_choice({label: code for code, label in DocAction.choices}, {"发布": "issued"}),
            required=False,
            allow_blank=True,
            help="规章、行政规范性文件填写：制发、废止",
            example="制发",
        ),
        Column(
            "处理决定数量",
            "quantity",
            parse_int,
            required=False,
            allow_blank=True,
            help="行政许可、行政处罚、行政强制条目所公开的处理决定件数",
            example="",
        ),
        Column(
            "收费金额",
            "amount",
            parse_money,
            required=False,
            allow_blank=True,
            help="行政事业性收费条目的收费金额，单位：元",
            example="",
        ),
        Column(
            "公开日期",
            "published_on",
            parse_date,
            required=False,
            allow_blank=True,
            help="留空表示尚未公开",
            example="2026-03-10",
        ),
        Column(
            "公开途径",
            "channel",
            parse_choice(
                {label: code for code, label in PublicationChannel.choices},
                {
                    "网站": "website",
                    "门户网站": "website",
                    "公报": "gazette",
                    "公告栏": "notice_board",
                },
            ),
            required=False,
            allow_blank=True,
            help="政府网站、政府公报、政务新媒体、公开栏、其他；填写了公开日期的必填",
            example="政府网站",
        ),
        Column(
            "公开位置",
            "location",
            required=False,
            allow_blank=True,
            help="网址或栏目名称",
            example="区政府网站·东湖街道信息公开专栏",
        ),
    ),
)
HEADERS = {c.key: c.header for c in SPEC.columns}
EXPORT_HEADERS = [c.header for c in SPEC.columns] + ["状态", "公开期限", "是否按期公开", "期限暂定"]


def _to_row(row: ParsedRow, today: dt.date) -> tuple[ImportRow | None, list[RowError]]:
    v = row.values
    errors: list[RowError] = []

    def err(key: str, message: str) -> None:
        errors.append(RowError(row.line, HEADERS[key], message))

    made = v["made_on"]
    published = v.get("published_on")
    assert isinstance(made, dt.date)
    for key in ("made_on", "published_on"):
        d = v.get(key)
        if isinstance(d, dt.date) and d > today:
            err(key, f"不能晚于今天: {d.isoformat()}")
    if isinstance(published, dt.date) and published < made:
        err(
            "published_on",
            f"不能早于「{HEADERS['made_on']}」: {published.isoformat()} < {made.isoformat()}",
        )
    channel = str(v.get("channel") or "")
    if published is not None and not channel:
        err("channel", "已填写公开日期，请填写公开途径")
    if published is None and channel:
        err("published_on", "已填写公开途径，但公开日期为空")
    if errors:
        return None, errors
    fields = {
        "title": str(v["title"]),
        "doc_number": str(v.get("doc_number") or ""),
        "category": str(v["category"]),
        "summary": str(v.get("summary") or ""),
        "change_kind": str(v.get("change_kind") or ChangeKind.MADE),
        "made_on": made,
        "table2_kind": str(v.get("table2_kind") or ""),
        "doc_action": str(v.get("doc_action") or ""),
        "quantity": v.get("quantity") or 0,
        "amount": v.get("amount") if isinstance(v.get("amount"), Decimal) else Decimal(0),
    }
    steps = []
    if isinstance(published, dt.date):
        location = str(v.get("location") or "")[:300]
        data = {"channel": channel, "location": location}
        changes = {"published_on": published, "channel": channel, "location": location}
        steps.append(ImportStep("publish", published, HEADERS["published_on"], data, changes))
    number = str(v["number"])
    return ImportRow(
        row.line, number, fields, steps, data={"change_kind": fields["change_kind"]}
    ), []


def _stored_signature(item: ProactiveItem, events: list[Any]) -> tuple[object, ...]:
    return (
        item.title,
        item.category,
        item.made_on,
        item.table2_kind,
        item.doc_action,
        item.quantity,
        Decimal(item.amount),
        item.published_on,
        item.channel,
    )


def _row_signature(row: ImportRow) -> tuple[object, ...]:
    f = row.fields
    publish = next((s for s in row.steps if s.move == "publish"), None)
    return (
        f["title"],
        f["category"],
        f["made_on"],
        f["table2_kind"],
        f["doc_action"],
        f["quantity"],
        Decimal(f["amount"]),
        publish.on if publish else None,
        publish.changes["channel"] if publish else "",
    )


DECLARATION = ImportDeclaration(
    spec=SPEC,
    to_row=_to_row,
    stored_signature=_stored_signature,
    row_signature=_row_signature,
    headers=HEADERS,
    noun="条目",
)
