"""Public entry points: review one report, or a batch, and turn the result into JSON."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fazhi.review import duplicates
from fazhi.review.completeness import check_completeness
from fazhi.review.figures import check_figures, extract_figures
from fazhi.review.items import ItemResult, check_items
from fazhi.review.metadata import Metadata, extract_metadata
from fazhi.review.model import Figure, Finding, Heading, Span
from fazhi.review.ocr import OCR_NOTE
from fazhi.review.outline import build_outline
from fazhi.review.reading import (
    DEFAULT_BUDGET,
    FLAT_TABLES_NOTE,
    UnreadableReport,
    read_bytes,
    read_path,
)
from fazhi.review.sandbox import Budget
from fazhi.review.script import TRADITIONAL_NOTE, reading_findings, to_simplified
from fazhi.review.text import Text, normalise
from fazhi.review.timeliness import DeadlineConfig, check_deadline, check_identity
from fazhi.review.xxgk_sections import section_checks
from fazhi.review.xxgk_tables import (
    Check,
    XxgkTables,
    parse_tables,
    table_checks,
    table_section_lines,
)
from fazhi.review.xxgk_text import narrative_checks

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class ReportReview:
    path: str
    text: Text
    meta: Metadata | None
    outline: tuple[Heading, ...] = ()
    items: dict[str, ItemResult] = field(default_factory=dict)
    figures: tuple[Figure, ...] = ()
    findings: tuple[Finding, ...] = ()
    xxgk: XxgkTables | None = None
    checks: tuple[Check, ...] = ()
    canon: duplicates.Canon | None = None
    # How the text was obtained, when not as written: "繁体转简体", "OCR识别".
    notes: tuple[str, ...] = ()

    @property
    def lines(self) -> list[str]:
        return self.text.lines

    def to_json(self, include_lines: bool = False) -> dict[str, Any]:
        meta = self.meta
        data: dict[str, Any] = {
            "path": self.path,
            "kind": meta.kind if meta else "unknown",
            "unit": meta.unit if meta else None,
            "unit_level": meta.unit_level if meta else "unknown",
            "year": meta.year if meta else None,
            "signed": _iso(meta.signed) if meta else None,
            "published": _iso(meta.published) if meta else None,
            "title": meta.title if meta else None,
            "outline": [h.to_json() for h in self.outline],
            "items": {k: v.to_json() for k, v in self.items.items()},
            "figures": [f.to_json() for f in self.figures],
            "findings": [f.to_json() for f in self.findings],
            "xxgk": None,
            "notes": list(self.notes),
        }
        if self.xxgk is not None:
            data["xxgk"] = {**self.xxgk.to_json(), "checks": [c.to_json() for c in self.checks]}
        if include_lines:
            data["lines"] = self.text.lines
        return data


@dataclass(frozen=True)
class BatchReview:
    reports: tuple[ReportReview, ...]
    batch_findings: tuple[Finding, ...]

    def to_json(self, include_lines: bool = False) -> dict[str, Any]:
        return {
            "reports": [r.to_json(include_lines) for r in self.reports],
            "batch_findings": [f.to_json() for f in self.batch_findings],
        }


def _iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None


def review_text(
    raw: str,
    path: str = "<text>",
    previous: ReportReview | None = None,
    config: DeadlineConfig | None = None,
    published_hint: str | None = None,
    notes: tuple[str, ...] = (),
) -> ReportReview:
    config = config or DeadlineConfig()
    script = to_simplified(raw)
    text = Text(normalise(script.text))
    if not any(line.strip() for line in text.lines):
        return _unreadable(path, "文件中没有可审查的文字。")
    findings: list[Finding] = reading_findings(script, notes)
    if script.converted:
        notes = (*notes, TRADITIONAL_NOTE)
    meta = extract_metadata(text, published_hint)
    table_lines = table_section_lines(text) if meta.kind == "xxgk" else set()
    outline = build_outline(text, table_lines)
    findings.extend(outline.findings)
    items: dict[str, ItemResult] = {}
    if meta.kind == "fazhi":
        items, item_findings = check_items(text, outline, meta.year)
        findings.extend(item_findings)
    figures = extract_figures(text)
    findings.extend(check_figures(text, figures))
    canon = duplicates.canonical(text, table_lines)
    for match in duplicates.internal_duplicates(canon):
        first = text.excerpt(*canon.source(match.a_start, match.a_end), 200)
        second = text.excerpt(*canon.source(match.b_start, match.b_end), 200)
        findings.append(
            Finding(
                "duplicate_passage",
                "warning" if match.length >= 40 else "info",
                f"第{first.line_start}行与第{second.line_start}行有{match.length}字基本相同的重复段落。",
                (first, second),
                (("length", match.length),),
            )
        )
    if previous is not None and previous.canon is not None:
        for match in duplicates.find_matches(
            canon.chars, previous.canon.chars, duplicates.MIN_CROSS
        ):
            here = text.excerpt(*canon.source(match.a_start, match.a_end), 200)
            there = previous.text.excerpt(*previous.canon.source(match.b_start, match.b_end), 200)
            findings.append(
                Finding(
                    "carried_over",
                    "warning",
                    f"第{here.line_start}行有{match.length}字与上年报告（{previous.path}第{there.line_start}行）相同，疑为照搬上年内容。",
                    (here, there),
                    (("previous_path", previous.path), ("length", match.length)),
                )
            )
    findings.extend(check_deadline(text, meta, config))
    findings.extend(check_completeness(text, meta))
    findings.extend(check_identity(text, meta))
    tables = None
    checks: list[Check] = []
    if meta.kind == "xxgk":
        tables = parse_tables(text)
        if tables.outdated is not None:
            findings.append(
                Finding(
                    "outdated_format",
                    "warning" if (meta.year or 2021) >= 2021 else "info",
                    "报告使用2019年试行格式（本年新制作数量/对外公开总数量等栏目），"
                    "2021年起应使用国办公开办函〔2021〕30号规定的新格式。",
                    (text.line_span(tables.outdated),),
                )
            )
        prev_tables = previous.xxgk if previous is not None else None
        checks, table_findings = table_checks(text, tables, prev_tables)
        findings.extend(table_findings)
        as_text = FLAT_TABLES_NOTE in notes or OCR_NOTE in notes
        more_checks, section_findings = section_checks(text, tables, meta.unit, as_text)
        checks.extend(more_checks)
        findings.extend(section_findings)
        findings.extend(narrative_checks(text, tables))
    findings.sort(key=lambda f: (_SEVERITY_ORDER[f.severity], f.spans[0].start if f.spans else -1))
    return ReportReview(
        path=path,
        text=text,
        meta=meta,
        outline=outline.headings,
        items=items,
        figures=tuple(figures),
        findings=tuple(findings),
        xxgk=tables,
        checks=tuple(checks),
        canon=canon,
        notes=notes,
    )


def _unreadable(path: str, message: str) -> ReportReview:
    return ReportReview(
        path=path,
        text=Text(""),
        meta=None,
        findings=(Finding("unreadable", "error", message),),
    )


def review_bytes(
    name: str,
    data: bytes,
    previous: ReportReview | None = None,
    config: DeadlineConfig | None = None,
    budget: Budget = DEFAULT_BUDGET,
) -> ReportReview:
    """Review one uploaded file; an unreadable file gives an ``unreadable`` finding."""
    try:
        result = read_bytes(name, data, budget)
    except UnreadableReport as exc:
        return _unreadable(name, str(exc))
    return review_text(result.text, name, previous, config, result.published_hint, result.notes)


def review_file(
    path: str | Path,
    previous: ReportReview | str | Path | None = None,
    config: DeadlineConfig | None = None,
    budget: Budget = DEFAULT_BUDGET,
) -> ReportReview:
    if previous is not None and not isinstance(previous, ReportReview):
        previous = review_file(previous, config=config, budget=budget)
    try:
        result = read_path(path, budget)
    except UnreadableReport as exc:
        return _unreadable(str(path), str(exc))
    return review_text(
        result.text, str(path), previous, config, result.published_hint, result.notes
    )


def review_batch(
    paths: Sequence[str | Path] | Sequence[ReportReview],
    previous: ReportReview | str | Path | None = None,
    config: DeadlineConfig | None = None,
    budget: Budget = DEFAULT_BUDGET,
) -> BatchReview:
    """Review every file; each is read under its own budget, so one bad file fails alone."""
    if previous is not None and not isinstance(previous, ReportReview):
        previous = review_file(previous, config=config, budget=budget)
    reports = [
        p if isinstance(p, ReportReview) else review_file(p, previous, config, budget)
        for p in paths
    ]
    return BatchReview(tuple(reports), tuple(batch_duplicates(reports)))


def batch_duplicates(reports: Sequence[ReportReview]) -> list[Finding]:
    index = duplicates.BatchIndex()
    docs: list[ReportReview] = []
    for report in reports:
        if report.canon is None:
            continue
        index.add(report.canon)
        docs.append(report)
    pairs, common = index.candidate_pairs()
    findings: list[Finding] = []
    for left, right in sorted(pairs):
        a, b = docs[left], docs[right]
        if _same_unit(a, b):
            continue
        assert a.canon is not None and b.canon is not None
        for match in duplicates.cross_matches(
            a.canon, b.canon, index.indexes[right], common, index_a=index.indexes[left]
        ):
            first = a.text.excerpt(*a.canon.source(match.a_start, match.a_end), 200)
            second = b.text.excerpt(*b.canon.source(match.b_start, match.b_end), 200)
            findings.append(
                Finding(
                    "cross_report_duplicate",
                    "warning",
                    f"{_name(a)}（第{first.line_start}行）与{_name(b)}（第{second.line_start}行）"
                    f"有{match.length}字相同段落。",
                    (first, second),
                    (("paths", [a.path, b.path]), ("length", match.length)),
                )
            )
    return findings


def _same_unit(a: ReportReview, b: ReportReview) -> bool:
    ua = a.meta.unit if a.meta else None
    ub = b.meta.unit if b.meta else None
    return bool(ua and ub and (ua in ub or ub in ua))


def _name(report: ReportReview) -> str:
    unit = report.meta.unit if report.meta else None
    return f"{Path(report.path).name}（{unit}）" if unit else Path(report.path).name


def finding_spans(finding: Finding) -> list[Span]:
    return list(finding.spans)
