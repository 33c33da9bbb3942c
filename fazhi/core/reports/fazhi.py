"""The 法治政府建设情况报告 of a unit and year (督察工作规定: five items, in order).

Every ledger contributes through its registered passages (`fazhi.core.metrics.passages`), with
figures from its indicators (`fazhi.core.metrics`); a ledger the unit does not keep that year
contributes nothing. The unit's own text for each item is stored in `ReportText` (kind
"fazhi") and may hold live figures (`tokens`). A district's report (`subtree=True`) counts the
records of the units below it too, and compares its streets in a table and a chart, each sum
linking to the records of the units behind it. This module imports no ledger.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.utils import timezone

from fazhi.core.metrics import (
    Figure,
    evaluate_by_unit,
    evaluate_many,
    get_indicator,
    roll_up,
)
from fazhi.core.metrics.passages import FIELD, Passage, kept, passages
from fazhi.core.reports.actions import texts_for
from fazhi.core.reports.document import (
    Bar,
    Block,
    Cell,
    Chart,
    Document,
    Heading,
    Inline,
    Paragraph,
    Table,
)
from fazhi.core.reports.tokens import (
    StaleFigure,
    as_written,
    codes_in,
    distinct,
    resolve,
    sentences,
)
from fazhi.core.tenancy.models import OrgUnit

KIND = "fazhi"
LEADERS = "leaders"  # the 第一责任人 item: about the unit's own principal leaders

# (key, heading, what the unit writes there). The 下一年度 heading names the year in the report.
SECTIONS: list[tuple[str, str, str]] = [
    (
        "measures",
        "一、推进法治政府建设的主要举措和成效",
        "本年度推进法治政府建设的主要做法和成效（各台账的数据段落由系统生成，列在本段之后）。",
    ),
    (
        "problems",
        "二、存在的不足和原因",
        "本年度存在的不足，并写明原因（督察工作规定要求“不足和原因”两者都写）。",
    ),
    (
        "leaders",
        "三、党政主要负责人履行推进法治建设第一责任人职责情况",
        "党政主要负责人履行第一责任人职责、述法、专题学法等情况。",
    ),
    (
        "next",
        "四、下一年度推进法治政府建设的主要安排",
        "下一年度的主要工作安排。",
    ),
    (
        "other",
        "五、其他需要报告的情况",
        "其他需要报告的情况；没有的写“无”。",
    ),
]
TEXT_KEYS = [key for key, _, _ in SECTIONS] + ["signed_on"]
# A sentence shorter than this is not marked as carried over ("无。", "特此报告。").
CARRY_MIN = 8

# (indicator code, unit code[, own=True]) -> URL of the records behind the figure: the unit's
# subtree, or with `own` the unit's own records alone.
LinkFn = Callable[..., str]


def heading(key: str, year: int) -> str:
    if key == "next":
        return f"四、{year + 1}年推进法治政府建设的主要安排"
    return next(h for k, h, _ in SECTIONS if k == key)


def _records(model: type[Model], unit: OrgUnit, subtree: bool) -> Any:
    manager = model._default_manager
    if subtree:
        return manager.filter(unit__path__startswith=unit.path)
    return manager.filter(unit=unit)


def figures_for(
    codes: Sequence[str], unit: OrgUnit, year: int, *, subtree: bool = False
) -> dict[str, Figure]:
    """The figures of `codes` for the unit (and, with `subtree`, the units below it), each
    model read once for its codes (`evaluate_many`). Unknown codes are left out."""
    by_model: dict[type[Model], list[str]] = {}
    for code in dict.fromkeys(codes):
        try:
            ind = get_indicator(code)
        except KeyError:
            continue
        by_model.setdefault(ind.model, []).append(code)
    found: dict[str, Figure] = {}
    for model, model_codes in by_model.items():
        found.update(evaluate_many(model_codes, _records(model, unit, subtree), year))
    return found


@dataclass
class FazhiReport:
    unit: OrgUnit
    year: int
    subtree: bool
    texts: dict[str, str]
    figures: dict[str, Figure]
    contributing: dict[str, list[Passage]]  # section -> the passages the unit's ledgers give
    streets: list[tuple[OrgUnit, dict[str, Figure]]] = field(default_factory=list)
    own: dict[str, Figure] = field(default_factory=dict)  # a district's own records
    # The 第一责任人 item's figures: always the unit's own records, also in a district's
    # report (its streets' leaders are not its leaders).
    leader_figures: dict[str, Figure] = field(default_factory=dict)
    street_codes: list[str] = field(default_factory=list)
    carried: list[tuple[str, str]] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.unit.name}{self.year}年法治政府建设情况报告"

    def _fill(self, passage: Passage, link: LinkFn | None) -> tuple[str, tuple[Inline, ...]]:
        pieces: list[Inline] = []
        pos = 0
        for match in FIELD.finditer(passage.template):
            if match.start() > pos:
                pieces.append(Inline(passage.template[pos : match.start()]))
            name = match.group(1)
            if name == "year":
                pieces.append(Inline(str(self.year)))
            elif name == "next_year":
                pieces.append(Inline(str(self.year + 1)))
            elif passage.section == LEADERS and self.subtree:
                href = link(name, self.unit.code, own=True) if link else ""
                pieces.append(Inline(self.leader_figures[name].shown, href))
            else:
                href = link(name, self.unit.code) if link else ""
                pieces.append(Inline(self.figures[name].shown, href))
            pos = match.end()
        pieces.append(Inline(passage.template[pos:]))
        return "".join(p.text for p in pieces), tuple(p for p in pieces if p.text)

    def _typed(self, key: str, link: LinkFn | None) -> Paragraph | None:
        text = self.texts.get(key, "").strip()
        if not text:
            return None
        found = resolve(
            text,
            self.figures,
            (lambda c: link(c, self.unit.code)) if link else None,
            frozenset(sentence for k, sentence in self.carried if k == key),
        )
        return Paragraph(found.text, key=key, editable=True, inlines=found.inlines)

    @property
    def stale(self) -> list[StaleFigure]:
        """Figures in the typed text whose value changed since the sentence was written, each
        once (with the number of places it appears)."""
        found: list[StaleFigure] = []
        for key, _, _ in SECTIONS:
            found += resolve(self.texts.get(key, ""), self.figures).stale
        return distinct(found)

    @property
    def warnings(self) -> list[str]:
        """What the unit must look at before the report goes out."""
        found = [s.message for s in self.stale]
        found += [f"与上一年度报告文字完全相同：“{sentence}”" for _, sentence in self.carried]
        return found

    def signed_on(self) -> dt.date | None:
        raw = self.texts.get("signed_on", "")
        try:
            return dt.date.fromisoformat(raw) if raw else None
        except ValueError:
            return None

    def document(self, link: LinkFn | None = None) -> Document:
        blocks: list[Block] = [
            Paragraph(
                "根据《法治政府建设与责任落实督察工作规定》，现将"
                f"{self.unit.name}{self.year}年法治政府建设情况报告如下。"
            )
        ]
        for key, _, hint in SECTIONS:
            blocks.append(Heading(heading(key, self.year), 1))
            typed = self._typed(key, link)
            contributed = self.contributing.get(key, [])
            if typed is not None:
                blocks.append(typed)
            elif not contributed:
                blocks.append(
                    Paragraph(f"（尚未填写：{hint}）", key=key, editable=True, placeholder=True)
                )
            for passage in contributed:
                text, inlines = self._fill(passage, link)
                blocks.append(Paragraph(text, key=f"passage:{passage.key}", inlines=inlines))
            if key == "measures" and self.streets:
                blocks += self._street_blocks(link)
        return Document(
            title=self.title,
            blocks=blocks,
            issuer=self.unit.name,
            date=self.signed_on(),
            period_end=dt.date(self.year, 12, 31),
            today=timezone.localdate(),
        )

    def _street_blocks(self, link: LinkFn | None) -> list[Block]:
        codes = self.street_codes
        header = [[Cell("单位"), *(Cell(get_indicator(c).name) for c in codes)]]

        def row(
            label: str, figures: dict[str, Figure], code_of_unit: str, own: bool = False
        ) -> list[Cell]:
            cells = [Cell(label, align="left")]
            for c in codes:
                figure = figures.get(c)
                href = link(c, code_of_unit, own=own) if (link and figure) else ""
                cells.append(Cell(figure.shown if figure else "—", link=href, align="center"))
            return cells

        rows = [row(street.name, figs, street.code) for street, figs in self.streets]
        if any(self.own.get(c) and kept(self.own[c]) for c in codes):
            rows.append(row("本级", self.own, self.unit.code, own=True))
        rows.append(row("合计", {c: self.figures[c] for c in codes}, self.unit.code))
        blocks: list[Block] = [
            Table(
                header,
                rows,
                caption=f"{self.year}年各下属单位主要数据",
                column_widths=[3.0] + [2.0] * len(codes),
                key="streets",
            )
        ]
        key_code = codes[0]
        ind = get_indicator(key_code)
        bars = []
        for street, figs in self.streets:
            figure = figs.get(key_code)
            value: float | None = None
            if figure is not None and (figure.denominator or figure.numerator_q is None):
                value = float(figure.value)
            bars.append(
                Bar(
                    street.name,
                    value,
                    figure.shown if figure else "—",
                    link(key_code, street.code) if link else "",
                )
            )
        blocks.append(
            Chart(
                f"{self.year}年各下属单位{ind.name}", bars, key="streets_chart", note=ind.definition
            )
        )
        return blocks

    def as_json(self) -> dict[str, Any]:
        def figure_json(f: Figure) -> dict[str, Any]:
            return {
                "value": f.value,
                "shown": f.shown,
                "definition": f.definition,
                "numerator": f.numerator,
                "denominator": f.denominator,
            }

        sections = []
        for key, _, _ in SECTIONS:
            typed = self._typed(key, None)
            sections.append(
                {
                    "key": key,
                    "heading": heading(key, self.year),
                    "text": typed.text if typed else "",
                    "passages": [
                        {"key": p.key, "text": self._fill(p, None)[0]}
                        for p in self.contributing.get(key, [])
                    ],
                }
            )
        return {
            "kind": KIND,
            "unit": self.unit.code,
            "unit_name": self.unit.name,
            "year": self.year,
            "subtree": self.subtree,
            "title": self.title,
            "sections": sections,
            "figures": {code: figure_json(f) for code, f in sorted(self.figures.items())},
            # A district's own records (本级): with the streets', they make up `figures`.
            "own": {code: figure_json(f) for code, f in sorted(self.own.items())},
            "streets": [
                {
                    "unit": street.code,
                    "unit_name": street.name,
                    "figures": {c: figure_json(f) for c, f in figs.items()},
                }
                for street, figs in self.streets
            ],
            "stale": [
                {
                    "code": s.code,
                    "written": s.written,
                    "current": s.current,
                    "sentence": s.sentence,
                    "count": s.count,
                }
                for s in self.stale
            ],
            "carried_over": [{"key": k, "sentence": s} for k, s in self.carried],
            "signed_on": self.texts.get("signed_on", ""),
        }


def carried_over(unit: OrgUnit, year: int) -> list[tuple[str, str]]:
    """The sentences of this year's text identical, word for word, to a sentence of last
    year's (as each read when written): (section key, sentence)."""
    last = texts_for(unit, KIND, year - 1)
    if not last:
        return []
    before = {
        as_written(s)
        for key, _, _ in SECTIONS
        for s in sentences(last.get(key, ""))
        if len(as_written(s)) >= CARRY_MIN
    }
    found: list[tuple[str, str]] = []
    for key, text in texts_for(unit, KIND, year).items():
        if key == "signed_on":
            continue
        for sentence in sentences(text):
            written = as_written(sentence)
            if written in before:
                found.append((key, written))
    return found


def last_year_texts(unit: OrgUnit, year: int) -> dict[str, str]:
    """Last year's text to start this year's from (the date is not carried)."""
    return {k: v for k, v in texts_for(unit, KIND, year - 1).items() if k != "signed_on"}


def has_units_below(unit: OrgUnit) -> bool:
    return OrgUnit.objects.filter(parent=unit).exists()


def build(unit: OrgUnit, year: int, *, subtree: bool = False) -> FazhiReport:
    """The report of one unit: its own records, or (`subtree`) its and those below it."""
    texts = texts_for(unit, KIND, year)
    every = passages()
    codes = [c for p in every for c in p.codes()]
    for key, _, _ in SECTIONS:
        codes += codes_in(texts.get(key, ""))
    figures = figures_for(codes, unit, year, subtree=subtree)
    leader_figures = figures
    if subtree:
        leader_codes = [c for p in every if p.section == LEADERS for c in p.codes()]
        leader_figures = figures_for(leader_codes, unit, year)
    contributing: dict[str, list[Passage]] = {}
    for p in every:
        seen = leader_figures if p.section == LEADERS else figures
        if kept(seen[p.keeps]) and (p.when is None or p.when(seen)):
            contributing.setdefault(p.section, []).append(p)
    report = FazhiReport(unit, year, subtree, texts, figures, contributing)
    report.leader_figures = leader_figures
    report.carried = carried_over(unit, year)
    if subtree:
        _add_streets(report)
    return report


def _add_streets(report: FazhiReport) -> None:
    """Each unit directly below, summed over its own subtree through `core.metrics.roll_up`;
    the columns: each kept ledger's deciding figure (one per measures passage)."""
    unit, year = report.unit, report.year
    children = list(OrgUnit.objects.filter(parent=unit).order_by("path"))
    codes = list(dict.fromkeys(p.keeps for p in report.contributing.get("measures", [])))
    if not children or not codes:
        return
    by_model: dict[type[Model], list[str]] = {}
    for code in codes:
        by_model.setdefault(get_indicator(code).model, []).append(code)
    summed: dict[int, dict[str, Figure]] = {}
    for model, model_codes in by_model.items():
        qs = model._default_manager.filter(unit__path__startswith=unit.path)
        per_unit = evaluate_by_unit(model_codes, qs, year)
        for pk, figs in roll_up(model_codes, per_unit, year, children).items():
            summed.setdefault(pk, {}).update(figs)
        own = per_unit.get(unit.pk, {})
        report.own.update({c: own[c] for c in model_codes if c in own})
    report.street_codes = codes
    report.streets = [(child, summed.get(child.pk, {})) for child in children]
    report.own = {c: f for c, f in report.own.items() if f is not None}


__all__ = [
    "KIND",
    "SECTIONS",
    "TEXT_KEYS",
    "FazhiReport",
    "build",
    "carried_over",
    "figures_for",
    "has_units_below",
    "heading",
    "last_year_texts",
]
