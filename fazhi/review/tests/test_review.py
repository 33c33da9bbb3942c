"""Golden tests on synthetic reports written for the project."""

from __future__ import annotations

import io
import json

import pytest

from fazhi.review.api import review_batch, review_text
from fazhi.review.cli import main
from fazhi.review.tests.synthetic import (
    FAZHI_CLEAN,
    FAZHI_DEFECTIVE,
    XXGK_CLEAN,
    synthetic_fazhi,
    xxgk_with,
)
from fazhi.review.timeliness import DeadlineConfig


def found(text: str, **kwargs: object) -> set[tuple[str, str]]:
    return {(f.code, f.severity) for f in review_text(text, **kwargs).findings}  # type: ignore[arg-type]


def test_clean_fazhi_report() -> None:
    report = review_text(FAZHI_CLEAN, "clean.txt")
    assert report.meta is not None
    assert (report.meta.kind, report.meta.unit, report.meta.year) == ("fazhi", "青石街道", 2023)
    assert str(report.meta.signed) == "2024-02-20"
    assert all(item.present and item.own_section for item in report.items.values())
    assert report.findings == ()
    assert [h.title for h in report.outline][:2] == [
        "推进法治政府建设的主要举措和成效",
        "党政主要负责人履行推进法治建设第一责任人职责情况",
    ]


def test_defective_fazhi_report() -> None:
    assert found(FAZHI_DEFECTIVE) == {
        ("missing_item:leader_duty", "error"),
        ("sum_mismatch", "error"),
        ("success_exceeds_total", "error"),
        ("rate_over_100", "error"),
        ("unit_mismatch", "error"),
        ("wrong_year", "error"),
        ("numbering_inconsistent", "warning"),
        ("missing_cause", "warning"),
        ("late_publication", "warning"),
        ("duplicate_passage", "info"),
    }


def test_evidence_points_into_normalised_text() -> None:
    report = review_text(FAZHI_DEFECTIVE)
    finding = next(f for f in report.findings if f.code == "rate_over_100")
    span = finding.spans[0]
    assert report.text.content[span.start : span.end] == span.text == "100%以上"
    assert span.text in report.lines[span.line_start - 1]


def test_figures_have_labels_and_lines() -> None:
    report = review_text(FAZHI_CLEAN)
    figure = next(f for f in report.figures if f.value == 860)
    assert (figure.unit, figure.label, figure.span.line_start) == (
        "次",
        "综合执法队开展巡查执法",
        8,
    )


def test_rate_inconsistent() -> None:
    text = FAZHI_CLEAN.replace("调解成功率95%", "调解成功率80%")
    assert ("rate_inconsistent", "warning") in found(text)


def test_clean_xxgk_report_has_no_findings_and_all_checks_pass() -> None:
    report = review_text(XXGK_CLEAN)
    assert report.meta is not None
    assert (report.meta.kind, report.meta.unit_level, report.meta.year) == (
        "xxgk",
        "department",
        2023,
    )
    assert [f for f in report.findings if f.severity == "error"] == []
    assert report.xxgk is not None and report.xxgk.table3 is not None
    assert list(report.xxgk.table3)[:3] == ["new", "carried_in", "granted"]
    assert report.xxgk.table3["total"]["total"] == 12
    assert report.xxgk.table4 is not None and report.xxgk.table4["review"]["total"] == 1
    assert {c.status for c in report.checks} == {"pass"}


def test_xxgk_identity_and_sums() -> None:
    text = xxgk_with({"| （七）总计 | 10 | 1 |": "| （七）总计 | 11 | 1 |"})
    codes = {f.code for f in review_text(text).findings}
    assert {"xxgk_identity", "xxgk_column_sum", "xxgk_row_sum"} <= codes


def test_xxgk_table4_and_text_mismatch() -> None:
    text = xxgk_with(
        {
            "| 1 | 0 | 0 | 0 | 1 | 0 |": "| 1 | 0 | 0 | 0 | 2 | 0 |",
            "其中予以公开5件": "其中予以公开6件",
        }
    )
    codes = {f.code for f in review_text(text).findings}
    assert {"xxgk_table4_sum", "xxgk_text_table_mismatch"} <= codes


def test_xxgk_carry_over_against_previous() -> None:
    previous = review_text(
        xxgk_with({"| 四、结转下年度继续办理 | 1 |": "| 四、结转下年度继续办理 | 2 |"})
    )
    report = review_text(XXGK_CLEAN, previous=previous)
    assert any(f.code == "xxgk_carry_over" for f in report.findings)
    assert any(c.name == "carry_over" and c.status == "fail" for c in report.checks)


def test_xxgk_one_cell_per_line_parses_like_rows() -> None:
    lines = []
    for line in XXGK_CLEAN.split("\n"):
        if line.startswith("|"):
            lines.extend(f"{c.strip()} |" if c.strip() else "|" for c in line.strip("|").split("|"))
        else:
            lines.append(line)
    flattened = review_text("\n".join(lines))
    assert (
        flattened.xxgk is not None and flattened.xxgk.table3 == review_text(XXGK_CLEAN).xxgk.table3
    )  # type: ignore[union-attr]


def test_late_xxgk_deadline_is_configurable() -> None:
    text = (
        "某某镇2023年政府信息公开工作年度报告\n"
        + XXGK_CLEAN.split("\n", 1)[1]
        + "\n某某镇人民政府\n2024年2月20日\n"
    )
    assert ("late_publication", "warning") in found(text)
    assert ("late_publication", "warning") not in found(
        text, config=DeadlineConfig(xxgk_township=(3, 31))
    )


def test_batch_and_previous_duplicates() -> None:
    reports = [review_text(synthetic_fazhi(i), f"r{i}.txt") for i in range(6)]
    copied = synthetic_fazhi(7).replace(
        "继续加强执法队伍建设。",
        "继续加强执法队伍建设。本年度将全面梳理行政执法事项清单，逐项明确执法依据、执法主体、执法程序和监督方式，确保执法权责统一。",
    )
    source = synthetic_fazhi(8).replace(
        "继续加强执法队伍建设。",
        "本年度将全面梳理行政执法事项清单，逐项明确执法依据、执法主体、执法程序和监督方式，确保执法权责统一。",
    )
    reports += [review_text(copied, "copied.txt"), review_text(source, "source.txt")]
    batch = review_batch(reports)
    pairs = [f.data for f in batch.batch_findings]
    assert any(dict(d)["paths"] == ["copied.txt", "source.txt"] for d in pairs)
    carried = review_text(copied, "copied.txt", previous=reports[-1])
    assert any(f.code == "carried_over" for f in carried.findings)


def test_cli_summary_and_json(tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    (folder / "a.txt").write_text(FAZHI_DEFECTIVE, encoding="utf-8")
    (folder / "b.txt").write_text(FAZHI_CLEAN, encoding="gb18030")
    out = io.StringIO()
    assert main([str(folder / "a.txt"), str(folder / "b.txt")], out) == 1
    assert "rate_over_100" in out.getvalue() and "白沙乡" in out.getvalue()
    out = io.StringIO()
    assert main([str(folder / "b.txt"), "--json", "--previous", str(folder / "a.txt")], out) == 0
    data = json.loads(out.getvalue())
    report = data["reports"][0]
    assert report["unit"] == "青石街道" and report["items"]["measures"]["present"] is True
    assert set(data) == {"reports", "batch_findings"}


def test_the_township_deadline_is_configurable_on_the_command_line(tmp_path: object) -> None:
    import io
    import json
    from pathlib import Path

    from fazhi.review.cli import main

    report = Path(str(tmp_path)) / "r.txt"
    report.write_text(
        "青石街道2023年政府信息公开工作年度报告\n一、总体情况\n本街道依法公开政府信息。\n"
        "青石街道办事处\n2024年2月20日\n",
        encoding="utf-8",
    )

    def late(argv: list[str]) -> bool:
        out = io.StringIO()
        main([*argv, "--json", str(report)], out)
        codes = [f["code"] for f in json.loads(out.getvalue())["reports"][0]["findings"]]
        return "late_publication" in codes

    assert late([])  # default 01-31: signed 2月20日 is late
    assert not late(["--township-deadline", "03-31"])


@pytest.mark.parametrize(
    ("sentence", "mismatch"),
    [
        ("本局被申请行政复议1件，维持原行政行为。", False),
        ("本局被申请行政复议3件。", True),
        ("全年未发生行政诉讼，行政诉讼0件。", False),
        ("提起行政诉讼2件。", True),
        ("本年制发规范性文件2件。", False),
        ("本年制发规范性文件5件。", True),
        ("作出行政处罚决定233件。", False),
        ("作出行政处罚决定250件。", True),
        ("办理行政许可决定1520件。", False),
        ("主动公开行政处罚信息300条。", False),  # published items, not decisions: not compared
    ],
)
def test_narrative_figures_of_tables_two_and_four(sentence: str, mismatch: bool) -> None:
    text = xxgk_with(
        {"本局将政府信息公开工作纳入年度考核": sentence + "本局将政府信息公开工作纳入年度考核"}
    )
    result = review_text(text)
    found = [f for f in result.findings if f.code == "xxgk_text_table_mismatch"]
    assert bool(found) is mismatch, [f.message for f in found]
    if mismatch:
        assert found[0].severity == "error" and found[0].spans[0].text in sentence
