"""Every defect the corpus README lists is found; metadata accuracy on real/ against index.tsv."""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import pytest

from fazhi.review.api import ReportReview, review_batch, review_file

CORPUS = Path(__file__).resolve().parents[3] / ".." / "shared" / "corpus"
if not CORPUS.is_dir():
    if os.environ.get("CI") == "true":
        pytest.fail("corpus folder ../shared/corpus is missing", pytrace=False)
    pytest.skip("corpus folder ../shared/corpus is absent", allow_module_level=True)

_CACHE: dict[str, ReportReview] = {}


def seed(prefix: str) -> ReportReview:
    if prefix not in _CACHE:
        (path,) = sorted((CORPUS / "seeds").glob(f"{prefix}_*.txt"))
        _CACHE[prefix] = review_file(path)
    return _CACHE[prefix]


def codes(report: ReportReview, severity: str | None = None) -> list[str]:
    return [f.code for f in report.findings if severity is None or f.severity == severity]


def duplicates_between(report: ReportReview, a: int, b: int) -> bool:
    return any(
        f.code == "duplicate_passage" and {f.spans[0].line_start, f.spans[1].line_start} == {a, b}
        for f in report.findings
    )


def line_of(report: ReportReview, needle: str) -> int:
    return next(n for n, line in enumerate(report.lines, 1) if line.startswith(needle))


def test_000_whole_paragraphs_repeated() -> None:
    r = seed("000")
    one_2, two_1 = line_of(r, "2.履行法治建设职责"), line_of(r, "1.履行法治建设职责")
    assert duplicates_between(r, one_2, two_1)
    assert duplicates_between(r, line_of(r, "6.加强法制建设"), line_of(r, "5.关于行政执法规范化"))


def test_000_sentence_of_1_1_again_in_3_1() -> None:
    r = seed("000")
    assert duplicates_between(r, line_of(r, "1.认真学法普法"), line_of(r, "1.关于学习宣传贯彻"))


def test_000_sentence_twice_inside_2_16() -> None:
    r = seed("000")
    line = line_of(r, "16.广泛开展宣传")
    assert duplicates_between(r, line, line)


def test_000_capital_phrase_in_tianjin_report() -> None:
    r = seed("000")
    finding = next(f for f in r.findings if f.code == "foreign_reference")
    assert "首都" in finding.spans[0].text


def test_000_leader_duty_embedded_not_missing() -> None:
    r = seed("000")
    assert r.items["leader_duty"].present
    assert "missing_item:leader_duty" not in codes(r)


def test_001_rate_above_100() -> None:
    r = seed("001")
    finding = next(f for f in r.findings if f.code == "rate_over_100")
    assert finding.severity == "error"
    assert "100%以上" in finding.spans[0].text


def test_002_leader_duty_missing() -> None:
    assert "missing_item:leader_duty" in codes(seed("002"), "error")


def test_002_sum_166_vs_170() -> None:
    finding = next(f for f in seed("002").findings if f.code == "sum_mismatch")
    assert "166" in finding.message and "170" in finding.message
    assert finding.spans[0].line_start == finding.spans[1].line_start


def test_002_sentence_repeated_in_4() -> None:
    r = seed("002")
    start = line_of(r, "四、坚持党务公开")
    assert any(
        f.code == "duplicate_passage" and all(start < s.line_start < start + 5 for s in f.spans)
        for f in r.findings
    )


def test_003_mixed_numbering() -> None:
    r = seed("003")
    finding = next(f for f in r.findings if f.code == "numbering_inconsistent")
    assert {s.text.strip()[:2] for s in finding.spans} >= {"1、", "2、", "三、"}


def test_004_wrong_header_date_ignored() -> None:
    r = seed("004")
    assert r.meta is not None
    assert (r.meta.unit, r.meta.year, str(r.meta.signed)) == ("河东区人民政府", 2021, "2022-02-28")
    assert r.meta.published is None or r.meta.published.year != 2019


def test_004_passage_in_1_3_and_2_6() -> None:
    r = seed("004")
    one_3 = line_of(r, "(三)落实普法责任")
    two_6 = line_of(r, "(六)社会矛盾纠纷")
    assert any(
        f.code == "duplicate_passage"
        and one_3 < f.spans[0].line_start < one_3 + 4
        and two_6 < f.spans[1].line_start < two_6 + 10
        for f in r.findings
    )


@pytest.mark.parametrize(
    ("prefix", "unit", "year"),
    [
        ("000", "新北街道", 2022),
        ("001", "寸滩街道", 2022),
        ("002", "汉沽街", 2021),
        ("003", "通桥街道", 2023),
    ],
)
def test_seed_metadata(prefix: str, unit: str, year: int) -> None:
    r = seed(prefix)
    assert r.meta is not None and r.meta.kind == "fazhi"
    assert r.meta.unit is not None and unit in r.meta.unit
    assert r.meta.year == year


@pytest.mark.parametrize(
    ("prefix", "clean_codes"),
    [
        ("000", {"missing_item:leader_duty", "missing_item:measures", "missing_item:next_year"}),
        ("001", {"missing_item:measures", "missing_item:leader_duty", "missing_item:shortcomings", "missing_item:next_year"}),
        ("003", {"missing_item:measures", "missing_item:leader_duty", "missing_item:shortcomings", "missing_item:next_year"}),
        ("004", {"missing_item:measures", "missing_item:leader_duty", "missing_item:shortcomings", "missing_item:next_year", "unit_mismatch", "wrong_year"}),
    ],
)  # fmt: skip
def test_no_error_where_readme_says_clean(prefix: str, clean_codes: set[str]) -> None:
    errors = set(codes(seed(prefix), "error"))
    assert not errors & clean_codes
    assert "wrong_year" not in errors and "unit_mismatch" not in errors


def test_real_township_calls_itself_street() -> None:
    r = review_file(CORPUS / "real" / "093.txt")
    finding = next(f for f in r.findings if f.code == "unit_mismatch")
    assert "街道" in finding.spans[0].text


def test_real_blank_cells_and_slash() -> None:
    r = review_file(CORPUS / "real" / "084.txt")
    assert r.xxgk is not None and r.xxgk.table2 is not None and r.xxgk.table3 is not None
    assert r.xxgk.table2["regulations"] == {"issued": None, "repealed": None, "in_force": None}
    assert r.xxgk.table3["new"]["total"] == 0
    assert r.xxgk.table3["new"]["natural_person"] is None
    # The sums hold; the blank cells of table 三 are counted and judged, the "/" of 规章 of a
    # district bureau (which makes no 规章) is accepted.
    assert [c.name for c in r.checks if c.status == "fail"] == ["blank_cells"]
    finding = next(f for f in r.findings if f.code == "xxgk_blank_cells")
    assert dict(finding.data)["slash"] == 3 and dict(finding.data)["tables"] == {"table3": 19}


def test_real_flattened_one_cell_per_line() -> None:
    r = review_file(CORPUS / "real" / "027.txt")
    assert r.xxgk is not None and r.xxgk.table3 is not None and r.xxgk.table2 is not None
    assert r.xxgk.table3["new"]["natural_person"] == 8
    assert r.xxgk.table2["normative_documents"] == {"issued": 5, "repealed": 12, "in_force": 8}


def test_real_one_cell_per_paragraph() -> None:
    r = review_file(CORPUS / "real" / "042.txt")
    assert r.xxgk is not None and r.xxgk.table2 is not None
    assert r.xxgk.table2["penalty"] == {"decisions": 30}


def test_real_outdated_2019_format() -> None:
    assert "outdated_format" in codes(review_file(CORPUS / "real" / "066.txt"))


def test_real_mixed_numbering() -> None:
    assert "numbering_inconsistent" in codes(review_file(CORPUS / "real" / "090.txt"))


def _same_unit(found: str | None, expected: str) -> bool:
    if not found:
        return False
    strip = re.compile(r"(?:人民政府办公室|人民政府|办事处)$|\s*\(.*\)$")
    a, b = strip.sub("", found), strip.sub("", expected)
    a, b = a.removesuffix("街道").removesuffix("街"), b.removesuffix("街道").removesuffix("街")
    return bool(a) and (a in b or b in a)


def test_metadata_accuracy_on_real() -> None:
    with (CORPUS / "real" / "index.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    kind_ok = year_ok = unit_ok = unit_named = 0
    for row in rows:
        report = review_file(CORPUS / "real" / row["file"])
        meta = report.meta
        assert meta is not None
        kind_ok += meta.kind == row["kind"]
        year_ok += meta.year == int(row["year"])
        text = "".join(report.lines)
        core = re.sub(r"(?:人民政府|办事处)$|\s*\(.*\)$", "", row["unit"])
        if core[-4:] in text:
            unit_named += 1
            unit_ok += _same_unit(meta.unit, row["unit"])
    total = len(rows)
    print(  # noqa: T201 - the figures go into the report
        f"\nreal/: kind {kind_ok}/{total}, year {year_ok}/{total}, "
        f"unit {unit_ok}/{unit_named} (where the text names it)"
    )
    assert kind_ok / total >= 0.9
    assert year_ok / total >= 0.9
    assert unit_ok / max(1, unit_named) >= 0.75


def test_batch_over_seeds_finds_no_cross_duplicate_between_unrelated_units() -> None:
    batch = review_batch(sorted((CORPUS / "seeds").glob("*.txt")))
    assert len(batch.reports) == 5
    for finding in batch.batch_findings:
        assert finding.code == "cross_report_duplicate"


def test_real_section_two_in_prose_has_no_tables() -> None:
    # 093 writes its 二 as prose instead of the format's tables.
    r = review_file(CORPUS / "real" / "093.txt")
    assert "xxgk_no_tables" in codes(r, "error")


def test_real_fazhi_openings_have_no_finding_for_an_absent_other_section() -> None:
    for name in ("003.txt", "051.txt", "078.txt"):
        assert not any(
            c.startswith("missing_item:other") for c in codes(review_file(CORPUS / "real" / name))
        )
