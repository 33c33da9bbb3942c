"""Kind, issuing unit, report year and dates of a report."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from fazhi.review.text import Text

_CN_DATE_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4}
_CN_DATE_DIGITS.update({"五": 5, "六": 6, "七": 7, "八": 8, "九": 9})
_DATE = re.compile(r"(20\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_CN_DATE = re.compile(
    r"([二〇○零一二三四五六七八九OＯ]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日"
)
_ISO_DATE = re.compile(r"(20\d\d)[-/.](\d{1,2})[-/.](\d{1,2})")
_PUBLISHED = re.compile(
    r"(?:发\s*布\s*(?:时\s*间|日\s*期)|发文日期|公开日期|^时间|\s时间|来源[^\n]{0,30}?时间)\s*[\]】]?\s*[:：]?\s*"
    r"(20\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})"
)
UNIT_SUFFIX = (
    r"(?:街道办事处|街道|办事处|人民政府办公室|人民政府|镇|乡|街|区|县|市|旗|省|"
    r"局|委员会|委|办公室|办|中心|院|署|厅)"
)
_TITLE_UNIT = re.compile(
    r"^(?:中共)?(?P<unit>[\u4e00-\u9fff（）()]{2,40}?)\s*(?:关于|20\d\d\s*年|（20\d\d|\(20\d\d|法治政府|"
    r"政府信息公开|法治建设)"
)
_GENERIC_STEMS = {
    "各", "本", "我", "全", "该", "此", "所在", "辖", "城", "社", "园", "景", "片", "小", "新", "街", "市", "区",
    "县", "乡", "镇", "其", "两", "多", "每", "村", "农", "县城", "城乡", "地", "省", "市区", "郊",
}  # fmt: skip
_SELF_UNIT = re.compile(
    r"((?:(?![年度的是在了和与及对为将把被从由向过通])[\u4e00-\u9fff]){2,6}?(?:街道|镇|乡|区|县))(?:党工委|党委|办事处|人民政府|政府|坚持|高度重视|认真|始终|"
    r"严格|积极|深入|全面|紧紧|围绕|以|在|按照|共|主动|立足|大力|持续|扎实|不断|聚焦)"
)


@dataclass(frozen=True)
class Metadata:
    kind: str
    unit: str | None
    unit_level: str
    year: int | None
    signed: dt.date | None
    published: dt.date | None
    title: str | None
    title_line: int | None
    signed_line: int | None


def _to_date(y: str, m: str, d: str) -> dt.date | None:
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


def _cn_date(y: str, m: str, d: str) -> dt.date | None:
    from fazhi.review.outline import cn_number

    year = "".join(str(_CN_DATE_DIGITS.get(c, 0)) for c in y)
    return _to_date(year, str(cn_number(m)), str(cn_number(d)))


def parse_date(text: str) -> dt.date | None:
    for pattern, conv in ((_DATE, _to_date), (_ISO_DATE, _to_date), (_CN_DATE, _cn_date)):
        match = pattern.search(text)
        if match:
            return conv(*match.groups())
    return None


def detect_kind(text: Text) -> str:
    head = "\n".join(line for _, line in text.body_lines()[:15])
    content = text.content
    xxgk = (
        len(
            re.findall(
                r"政府信息公开(?:工作)?(?:年度)?(?:工作)?报告|政\s*府\s*信\s*息\s*公\s*开\s*工\s*作",
                head,
            )
        )
        * 3
    )
    xxgk += len(
        re.findall(
            r"主动公开政府信息情况|收到和处理政府信息公开申请|政府信息公开行政复议|依申请公开",
            content,
        )
    )
    xxgk += 2 * len(re.findall(r"政府信息公开条例", content[:3000]))
    fazhi = len(re.findall(r"法治政府建设|法治建设", head)) * 3
    fazhi += len(re.findall(r"第一责任人|法治政府建设|依法行政|习近平法治思想", content))
    if xxgk == 0 and fazhi == 0:
        return "unknown"
    if xxgk >= 3 and xxgk * 2 >= fazhi:
        return "xxgk"
    if fazhi >= 3:
        return "fazhi"
    return "unknown"


def _find_title(text: Text) -> tuple[int | None, str | None]:
    candidates = text.body_lines()[:14]
    furniture_titles = [
        (n, text.lines[n - 1])
        for n in sorted(text.furniture)
        if n <= 40 and "报告" in text.lines[n - 1]
    ]
    for number, line in candidates + furniture_titles:
        stripped = line.strip()
        if len(stripped) > 70 or "|" in stripped:
            continue
        if re.search(r"报\s*告|报$|工作总结|情况$", stripped) and re.search(
            r"法治|信息公开|政府信息", stripped
        ):
            if stripped.startswith(("根据", "现将", "按照", "依据")) or re.search(
                "[>＞›»]", stripped
            ):
                continue
            prefix = []
            # Titles sometimes span several lines (issuing organs above the title line).
            own_unit = _TITLE_UNIT.match(re.sub(r"\s+", "", stripped))
            for prev_number, prev in candidates if not own_unit else []:
                if prev_number >= number:
                    break
                if number - prev_number <= 3 and re.search(UNIT_SUFFIX + r"$", prev.strip()):
                    prefix.append(prev.strip())
            return number, "\n".join([*prefix, stripped])
    return None, None


_INTRO_UNIT = re.compile(
    r"现(?:将|公布|发布|编制并公布)(?P<unit>[\u4e00-\u9fff]{2,30}?)\s*20\d\d\s*年度?(?:的)?(?:政府信息公开|法治)"
)


# "本报告由广州市天河区人民政府办公室根据《条例》编制", "由浙江省人民政府办公厅编制本报告".
_COMPILED_BY = re.compile(
    r"由(?P<unit>[\u4e00-\u9fff（）()]{2,40}?)(?:负责)?(?:(?:根据|依据|按照|依照|结合)[^。由]{0,80}?)?编制"
)
# The office inside a township that drafted the report is not the issuing unit.
_INNER_OFFICE = re.compile(
    r"^(?P<unit>.+?(?:街道办事处|街道|镇|乡))(?:人民政府)?(?:党政|党政综合|综合|政务)?(?:办公室|办)"
    r"(?:[\u4e00-\u9fff]{1,6}科)?$"
)
_GOVERNMENT_BEFORE_TOWNSHIP = re.compile(
    r"(?<=[区县市旗])人民政府(?=[\u4e00-\u9fff]{2,10}(?:街道|镇|乡))"
)

_SELF_REFERENCES = {"我办", "我局", "我委", "本单位", "我单位", "我镇", "我乡", "我街道", "本机关"}


def _unit_from_intro(text: Text) -> str | None:
    for _, line in text.body_lines()[:12]:
        match = _INTRO_UNIT.search(line)
        if not match:
            continue
        unit = match.group("unit")
        if unit not in _SELF_REFERENCES and re.search(UNIT_SUFFIX + "$", unit):
            return unit
    return None


_LEADING_YEAR = re.compile(r"^[（(]?20\d\d\s*年度?[）)]?")


def _unit_from_compiler(text: Text) -> str | None:
    for _, line in text.body_lines()[:12]:
        for match in _COMPILED_BY.finditer(line):
            unit = match.group("unit")
            if unit in _SELF_REFERENCES or unit.startswith(("本", "我")):
                continue
            inner = _INNER_OFFICE.match(unit)
            if inner:
                unit = inner.group("unit")
            unit = _GOVERNMENT_BEFORE_TOWNSHIP.sub("", unit)
            if re.search(UNIT_SUFFIX + "$", unit) and len(unit) >= 3:
                return unit
    return None


def _unit_from_title(title: str) -> str | None:
    lines = title.split("\n")
    # "2020年东湖区政府信息公开工作年度报告": the year may come before the unit.
    last = _LEADING_YEAR.sub("", re.sub(r"\s+", "", lines[-1]))
    match = _TITLE_UNIT.match(last)
    if match:
        unit = match.group("unit").strip("（）() ")
        if re.search(UNIT_SUFFIX, unit) and len(unit) >= 2:
            return unit
    for line in reversed(lines[:-1]):
        cleaned = re.sub(r"\s+", "", line)
        if not cleaned.startswith("中共"):
            return cleaned
    if len(lines) > 1:
        return re.sub(r"\s+", "", lines[0]).removeprefix("中共")
    return None


def _unit_from_body(text: Text) -> str | None:
    counts: Counter[str] = Counter()
    for index, (_, line) in enumerate(text.body_lines()[:80]):
        for match in _SELF_UNIT.finditer(line):
            name = match.group(1)
            stem = re.sub(r"(?:街道|镇|乡|区|县)$", "", name)
            if stem in _GENERIC_STEMS or len(stem) < 2 or stem[-1] in "的和与及在对为全本我各":
                continue
            counts[name] += 2 if index < 3 else 1
    counts = Counter({k: v for k, v in counts.items() if v >= 2})
    if not counts:
        return None
    best = max(counts.items(), key=lambda kv: (kv[1], -len(kv[0])))
    # Prefer the shortest name that the best one ends with ("新北街道" over "区新北街道").
    for name in sorted(counts, key=len):
        if best[0].endswith(name) and len(name) >= 3:
            return name
    return best[0]


def _signature(text: Text) -> tuple[int | None, dt.date | None, str | None]:
    body = text.body_lines()
    tail = body[-8:]
    date_line = None
    signed = None
    for number, line in reversed(tail):
        stripped = line.strip()
        if len(stripped) > 40:
            continue
        date = parse_date(stripped)
        if date and re.fullmatch(
            r"[\u4e00-\u9fff（）()\s]*?(?:20\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|"
            r"[二〇○零一三四五六七八九OＯ]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日|"
            r"20\d\d[-/.]\d{1,2}[-/.]\d{1,2})",
            stripped,
        ):
            date_line, signed = number, date
            break
    if date_line is None:
        # A date may be glued to junk that followed the signature (a page's trailing text).
        for number, line in reversed(tail):
            match = re.match(r"^\s*(20\d\d年\d{1,2}月\d{1,2}日)", line)
            if match and number > body[0][0]:
                date_line, signed = number, parse_date(match.group(1))
                break
    unit = None
    if date_line is not None:
        for number, line in reversed(body):
            if number >= date_line:
                stripped = re.sub(r"\s+", "", line)
                if number == date_line:
                    stripped = _DATE.split(stripped)[0] if _DATE.search(stripped) else ""
                if stripped and re.search(UNIT_SUFFIX + r"$", stripped) and len(stripped) <= 30:
                    unit = stripped
                    break
                continue
            stripped = re.sub(r"\s+", "", line)
            if len(stripped) <= 30 and re.search(UNIT_SUFFIX + r"$", stripped):
                unit = stripped
            break
    return date_line, signed, unit


def _published(text: Text, hint: str | None) -> dt.date | None:
    if hint:
        date = parse_date(hint)
        if date:
            return date
    for number in sorted(text.furniture):
        if number > 60:
            break
        window = " ".join(text.lines[number - 1 : number + 1])
        match = _PUBLISHED.search(window)
        if match:
            return parse_date(match.group(1))
    for line in text.lines[:40]:
        match = _PUBLISHED.search(line)
        if match:
            return parse_date(match.group(1))
    return None


def _year(text: Text, title: str | None) -> int | None:
    if title:
        match = re.search(r"(20\d\d)\s*年", title.replace("\n", ""))
        if match:
            return int(match.group(1))
    body = [line for _, line in text.body_lines()[:12]]
    joined = "\n".join(body)
    for pattern in (
        r"(20\d\d)\s*年度?(?:法治政府|政府信息公开|法治建设|工作年度报告)",
        r"现将[^。]{0,20}?(20\d\d)\s*年",
        r"(20\d\d)\s*年度",
        r"(?:^|\n)\s*(20\d\d)\s*年\s*[，,以来]",
        r"(20\d\d)\s*年\s*1\s*月\s*1\s*日[起至到]",
    ):
        match = re.search(pattern, joined)
        if match:
            return int(match.group(1))
    years = Counter(
        int(y) for y in re.findall(r"(20\d\d)\s*年(?!\s*\d{1,2}\s*月)", "\n".join(body))
    )
    if years:
        return years.most_common(1)[0][0]
    return None


def unit_level(unit: str | None) -> str:
    if not unit:
        return "unknown"
    if re.search(r"(?:街道|办事处|镇|乡|街|苏木)(?:人民政府)?$", unit):
        return "township"
    if re.search(r"(?:区|县|市|旗|州|省)(?:人民政府)?$", unit) or unit.endswith("人民政府"):
        return "government"
    return "department"


def extract_metadata(text: Text, published_hint: str | None = None) -> Metadata:
    kind = detect_kind(text)
    title_line, title = _find_title(text)
    unit = _unit_from_title(title) if title else None
    signed_line, signed, signed_unit = _signature(text)
    if not unit:
        unit = _unit_from_intro(text)
    if not unit:
        unit = _unit_from_compiler(text)
    if not unit:
        unit = signed_unit
    if not unit:
        unit = _unit_from_body(text)
    year = _year(text, title)
    if year is None and signed is not None:
        year = signed.year - 1 if signed.month <= 6 else signed.year
    published = _published(text, published_hint)
    return Metadata(
        kind=kind,
        unit=unit,
        unit_level=unit_level(unit),
        year=year,
        signed=signed,
        published=published,
        title=title,
        title_line=title_line,
        signed_line=signed_line,
    )


_CLOSING = re.compile(
    r"^\s*(?:20\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[二〇○零一三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月"
    r"[一二三四五六七八九十]{1,3}日|[\u4e00-\u9fff（）()]{2,30}"
    + UNIT_SUFFIX
    + r"|[（(]?此页无正文[)）]?)\s*$"
)


def is_closing_line(line: str) -> bool:
    """A line of the closing signature: a unit's name or a date alone (or 此页无正文)."""
    return len(line.strip()) <= 30 and bool(_CLOSING.match(line))


def signature_unit(text: Text) -> tuple[int | None, str | None]:
    line, _, unit = _signature(text)
    return line, unit
