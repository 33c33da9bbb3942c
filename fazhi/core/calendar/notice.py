"""Parse the State Council's yearly holiday notice into days.

The notice (国务院办公厅关于YYYY年部分节假日安排的通知) has one line per festival::

    一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。

The parser reads only such festival lines and ignores the preamble, the closing
paragraphs and the signature. It is strict about what it reads: every written
weekday, day count and make-up workday is checked, so that a mistyped notice is
rejected instead of silently shifting statutory deadlines.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

HOLIDAY = "holiday"
WORKDAY = "workday"
KINDS = (HOLIDAY, WORKDAY)

NO_FESTIVAL_MESSAGE = "未在通知中找到节假日安排（形如“一、元旦：1月1日至3日放假调休，共3天。”的行）"

_WEEKDAY_NAMES = "一二三四五六日"


@dataclass(frozen=True)
class NoticeDay:
    date: datetime.date
    kind: str  # HOLIDAY or WORKDAY (a 调休 make-up working day)
    name: str  # the festival name as written, e.g. "春节", "国庆节、中秋节"


class NoticeError(ValueError):
    """A notice or calendar file that cannot be used; the message is for the admin."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


# A festival header, matched in the normalised stream (NFKC, whitespace removed):
#   "六、国庆节、中秋节:10月1日(周三)..." -> name "国庆节、中秋节"
# It must be followed by a date, which tells it apart from "...各直属机构:" or "通知如下:".
_HEADER_RE = re.compile(
    r"(?:[一二三四五六七八九十]{1,3}[、.]|[0-9]{1,2}[、.]|\([一二三四五六七八九十0-9]{1,3}\))?"
    r"(?P<name>[\u4e00-\u9fff][\u4e00-\u9fff0-9]{0,39}(?:、[\u4e00-\u9fff][\u4e00-\u9fff0-9]{0,39})*)"
    r":(?=(?:[0-9]{4}年)?[0-9]{1,2}月[0-9]{1,2}日)"
)

# One token of a festival body, e.g. "2017年12月30日", "3日(周六)", "2月15日(农历腊月二十八)",
# "至", "共9天", "放假1天" (as "放假" + "1天"), "上班", "补休", "与周末连休".
# "一" is a range separator ("1月1日一3日") only when no day count ("一天") matches first.
_TOKEN_RE = re.compile(
    r"(?P<date>(?:(?P<y>[0-9]{4})年)?(?:(?P<m>[0-9]{1,2})月)?(?P<d>[0-9]{1,2})日)"
    r"(?P<paren>(?:\([^()]*\))*)"
    r"|(?P<count>共?(?P<n>[0-9]{1,3}|[一二两三四五六七八九十]{1,3})天)"
    r"|(?P<sep>[至到~〜\-—–一])"
    r"|(?P<off>放假)"
    r"|(?P<work>上班)"
    r"|(?P<comp>补休)"
    r"|(?P<stop>[。;])"
    r"|(?P<noise>不调休|调休|公休|与周末连休|连休|[,、])"
)

# A weekday written inside a date's parentheses: "(周四)", "(星期日)", "(农历除夕、周二)".
_WEEKDAY_RE = re.compile(r"(?:周|星期|礼拜)([一二三四五六日天])")

_STOP_RE = re.compile(r"[。;]")

_TOKEN_KINDS = ("date", "count", "sep", "off", "work", "comp", "stop", "noise")

_CN_DIGITS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


@dataclass(frozen=True)
class _Written:
    """A date as written in the notice; the year is settled only once its range is known."""

    year: int | None
    month: int
    day: int
    weekday: int | None  # 0 = Monday, as datetime.date.weekday()
    weekday_text: str
    pos: int

    def label(self) -> str:
        prefix = f"{self.year}年" if self.year is not None else ""
        return f"{prefix}{self.month}月{self.day}日"


@dataclass
class _Stream:
    """The notice as one normalised string, remembering the source line of each character."""

    text: str
    line_of: list[int]
    line_starts: set[int]
    lines: list[str]

    def line_no(self, pos: int) -> int:
        if not self.line_of:
            return 1
        return self.line_of[min(pos, len(self.line_of) - 1)] + 1

    def error(self, pos: int, message: str) -> NoticeError:
        line_no = self.line_no(pos)
        quoted = self.lines[line_no - 1].strip() if self.lines else ""
        if len(quoted) > 80:
            quoted = quoted[:80] + "…"
        return NoticeError(f"第{line_no}行{message}（原文：“{quoted}”）", line=line_no)


@dataclass
class _Festival:
    name: str
    pos: int
    body_start: int
    body_end: int
    days: list[tuple[NoticeDay, int]] = field(default_factory=list)


def _normalise(text: str) -> _Stream:
    lines = text.splitlines()
    chars: list[str] = []
    line_of: list[int] = []
    line_starts: set[int] = set()
    for index, line in enumerate(lines):
        line_starts.add(len(chars))
        for char in unicodedata.normalize("NFKC", line):
            if not char.isspace():
                chars.append(char)
                line_of.append(index)
    return _Stream("".join(chars), line_of, line_starts, lines)


def _find_festivals(stream: _Stream) -> list[_Festival]:
    text = stream.text
    candidates = set(stream.line_starts) | {0}
    candidates.update(i + 1 for i, char in enumerate(text) if char in "。;:")
    headers: list[tuple[int, int, str]] = []
    covered = 0
    for start in sorted(candidates):
        if start < covered or start >= len(text):
            continue
        match = _HEADER_RE.match(text, start)
        if match:
            headers.append((start, match.end(), match.group("name")))
            covered = match.end()
    festivals = []
    for i, (start, end, name) in enumerate(headers):
        body_end = headers[i + 1][0] if i + 1 < len(headers) else len(text)
        festivals.append(_Festival(name, start, end, body_end))
    return festivals


def _token_kind(match: re.Match[str]) -> str:
    return next(name for name in _TOKEN_KINDS if match.group(name) is not None)


def _count(raw: str) -> int:
    if raw.isdigit():
        return int(raw)
    # Chinese numerals up to 99: "三", "十", "十二", "二十".
    if "十" in raw:
        tens, _, units = raw.partition("十")
        return _CN_DIGITS.get(tens, 1) * 10 + _CN_DIGITS.get(units, 0)
    return _CN_DIGITS.get(raw, 0)


class _FestivalParser:
    def __init__(self, stream: _Stream, festival: _Festival, year: int) -> None:
        self.stream = stream
        self.festival = festival
        self.year = year
        self.pending: list[list[_Written]] = []
        self.last_month: int | None = None
        self.holidays_since_count = 0
        self.holidays_total = 0

    def error(self, pos: int, message: str) -> NoticeError:
        return self.stream.error(pos, message)

    def parse(self) -> list[tuple[NoticeDay, int]]:
        text = self.stream.text
        pos = self.festival.body_start
        end = self.festival.body_end
        range_open = False  # a separator followed a date: the next token must be the range end
        sentence_has_action = False
        previous: str | None = None
        while pos < end:
            match = _TOKEN_RE.match(text, pos, end)
            kind = _token_kind(match) if match else None
            if range_open and kind != "date":
                raise self.error(pos, ": 日期范围不完整，“至”后面应为日期")
            if match is None or (kind == "sep" and not self._after_single_date(previous)):
                # Prose (the closing paragraphs, the signature): skip to the sentence end.
                if self.pending:
                    raise self.error(pos, f"无法识别: “{text[pos : pos + 20]}”")
                stop = _next_stop(text, pos, end)
                if stop is None:
                    break
                pos = stop
                previous = None
                sentence_has_action = False
                continue
            pos = match.end()
            previous = kind
            if kind == "date":
                written = self._written(match)
                if range_open:
                    self.pending[-1].append(written)
                    range_open = False
                else:
                    self.pending.append([written])
            elif kind == "sep":
                range_open = True
            elif kind in {"off", "comp"}:
                if not self.pending:
                    pos = _next_stop(text, pos, end) or end
                    continue
                self._take(HOLIDAY)
                sentence_has_action = True
            elif kind == "work":
                if not self.pending:
                    pos = _next_stop(text, pos, end) or end
                    continue
                self._take(WORKDAY)
                sentence_has_action = True
            elif kind == "count":
                if self.pending:
                    raise self.error(
                        match.start(), f": “{match.group()}”前的日期没有写明放假或上班"
                    )
                if self.holidays_since_count:
                    self._check_count(match)
            elif kind == "stop":
                self._end_sentence(sentence_has_action)
                sentence_has_action = False
        if range_open:
            raise self.error(end, ": 日期范围不完整，“至”后面应为日期")
        self._end_sentence(sentence_has_action)
        if not self.holidays_total:
            raise self.error(self.festival.pos, f": 未找到{self.festival.name}的放假日期")
        return self.festival.days

    def _after_single_date(self, previous: str | None) -> bool:
        return previous == "date" and len(self.pending[-1]) == 1

    def _written(self, match: re.Match[str]) -> _Written:
        pos = match.start()
        month = int(match.group("m")) if match.group("m") else self.last_month
        if month is None:
            raise self.error(pos, f": 日期“{match.group('date')}”缺少月份")
        self.last_month = month
        weekday: int | None = None
        weekday_text = ""
        found = _WEEKDAY_RE.search(match.group("paren") or "")
        if found:
            weekday = _WEEKDAY_NAMES.index(found.group(1).replace("天", "日"))
            weekday_text = found.group(0)
        year = int(match.group("y")) if match.group("y") else None
        return _Written(year, month, int(match.group("d")), weekday, weekday_text, pos)

    def _end_sentence(self, had_action: bool) -> None:
        if not self.pending:
            return
        # A lone dated line such as the signature "2025年11月4日" is not an arrangement.
        lone = self.pending[0][0]
        lone_signature = len(self.pending) == 1 and len(self.pending[0]) == 1
        if lone_signature and not had_action and lone.year is not None:
            self.pending.clear()
            return
        raise self.error(lone.pos, f": 日期{lone.label()}后没有写明放假或上班")

    def _check_count(self, match: re.Match[str]) -> None:
        stated = _count(match.group("n"))
        if stated != self.holidays_since_count:
            raise self.error(
                match.start(),
                f": 写明共{stated}天，但所列放假日期共{self.holidays_since_count}天",
            )
        self.holidays_since_count = 0

    def _default_year(self, month: int) -> int:
        # The December days of a 元旦 break belong to the previous year's calendar.
        if month == 12 and "元旦" in self.festival.name:
            return self.year - 1
        return self.year

    def _date(self, written: _Written, year: int) -> datetime.date:
        try:
            value = datetime.date(year, written.month, written.day)
        except ValueError:
            raise self.error(written.pos, f"日期无效: {written.label()}") from None
        if not (value.year == self.year or (value.year == self.year - 1 and value.month == 12)):
            raise self.error(written.pos, f": {written.label()}不属于{self.year}年的节假日安排")
        if written.weekday is not None and value.weekday() != written.weekday:
            actual = "周" + _WEEKDAY_NAMES[value.weekday()]
            raise self.error(
                written.pos,
                f": {written.label()}不是{written.weekday_text}（实际是{actual}）",
            )
        return value

    def _resolve(self, group: list[_Written]) -> list[tuple[datetime.date, int]]:
        if len(group) == 1:
            only = group[0]
            year = only.year if only.year is not None else self._default_year(only.month)
            return [(self._date(only, year), only.pos)]
        first, last = group
        # Only a 元旦 break runs from December into January; any other backwards range is an error.
        wraps = first.month == 12 and last.month == 1
        if last.year is not None:
            last_year = last.year
        elif first.year is not None:
            last_year = first.year + 1 if wraps else first.year
        else:
            last_year = self._default_year(last.month)
        first_year = last_year - 1 if wraps else last_year
        if first.year is not None:
            first_year = first.year
        start = self._date(first, first_year)
        stop = self._date(last, last_year)
        if stop < start:
            raise self.error(first.pos, f": 结束日期{last.label()}早于开始日期{first.label()}")
        return [
            (start + datetime.timedelta(days=i), first.pos) for i in range((stop - start).days + 1)
        ]

    def _take(self, kind: str) -> None:
        for group in self.pending:
            for value, pos in self._resolve(group):
                if kind == WORKDAY and value.weekday() < 5:
                    actual = "周" + _WEEKDAY_NAMES[value.weekday()]
                    raise self.error(
                        pos, f": 调休上班日{value.month}月{value.day}日是{actual}，应为周六或周日"
                    )
                self.festival.days.append((NoticeDay(value, kind, self.festival.name), pos))
                if kind == HOLIDAY:
                    self.holidays_since_count += 1
                    self.holidays_total += 1
        self.pending.clear()


def _next_stop(text: str, pos: int, end: int) -> int | None:
    """Position just after the next sentence end before `end`, if any."""
    found = _STOP_RE.search(text, pos, end)
    return found.end() if found else None


def parse_notice(text: str, year: int) -> list[NoticeDay]:
    """Parse a pasted holiday notice for `year` into holidays and make-up workdays, by date."""
    if not 1 < year < 9999:
        raise NoticeError(f"年份无效: {year}")
    stream = _normalise(text)
    festivals = _find_festivals(stream)
    if not festivals:
        raise NoticeError(NO_FESTIVAL_MESSAGE)
    seen: dict[datetime.date, tuple[NoticeDay, int]] = {}
    for festival in festivals:
        for day, pos in _FestivalParser(stream, festival, year).parse():
            previous = seen.get(day.date)
            if previous is None:
                seen[day.date] = (day, pos)
            elif previous[0] != day:
                kind = "放假" if previous[0].kind == HOLIDAY else "上班"
                raise stream.error(
                    pos,
                    f": {day.date.month}月{day.date.day}日重复出现"
                    f"（第{stream.line_no(previous[1])}行已安排为{previous[0].name}{kind}）",
                )
    return [seen[d][0] for d in sorted(seen)]


# The festivals every annual notice arranges (全国年节及纪念日放假办法 Art. 2); 中秋 may share
# a line with 国庆.
ANNUAL_FESTIVALS = ("元旦", "春节", "清明", "劳动", "端午", "中秋", "国庆")


def check_complete(days: list[NoticeDay]) -> None:
    """Refuse a notice that lacks festivals: a half-pasted notice would mark the whole year as
    loaded and make every later deadline of that year look final."""
    names = "、".join(sorted({d.name for d in days}))
    missing = [f for f in ANNUAL_FESTIVALS if f not in names]
    if missing:
        found = "、".join(f for f in ANNUAL_FESTIVALS if f in names) or "无"
        raise NoticeError(
            f"通知不完整：识别到的节日为{found}，缺少{'、'.join(missing)}。"
            "请粘贴国务院办公厅通知的全文（七个节日的安排）。"
        )
