"""`review FILE… [--previous FILE] [--json]`: a readable Chinese summary or the JSON."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import TextIO

from fazhi.review.api import BatchReview, review_batch, review_file
from fazhi.review.timeliness import DeadlineConfig

_SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}
_KIND = {"fazhi": "法治政府建设年度报告", "xxgk": "政府信息公开工作年度报告", "unknown": "未识别"}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="review", description="审查法治政府建设和政府信息公开年度报告。"
    )
    parser.add_argument(
        "files", nargs="+", metavar="FILE", help="待审查的报告（.txt/.docx/.html/.pdf）"
    )
    parser.add_argument("--previous", metavar="FILE", help="上一年度的报告，用于核对结转和照搬内容")
    parser.add_argument("--json", action="store_true", help="输出 JSON")
    parser.add_argument("--lines", action="store_true", help="JSON 中附带规范化后的文本行")
    parser.add_argument(
        "--township-deadline",
        metavar="MM-DD",
        type=_month_day,
        default=DeadlineConfig().xxgk_township,
        help="街道、乡镇政府信息公开年报的发布期限（条例未规定，按本地要求；默认 01-31）",
    )
    return parser


def _month_day(value: str) -> tuple[int, int]:
    try:
        month, day = (int(part) for part in value.split("-"))
        dt.date(2001, month, day)
    except ValueError:
        raise argparse.ArgumentTypeError(f"期限应写作 MM-DD，如 01-31：{value}") from None
    return month, day


def main(argv: list[str], stdout: TextIO) -> int:
    args = build_parser().parse_args(argv)
    config = DeadlineConfig(xxgk_township=args.township_deadline)
    previous = review_file(args.previous, config=config) if args.previous else None
    batch = review_batch(args.files, previous, config)
    if args.json:
        json.dump(batch.to_json(include_lines=args.lines), stdout, ensure_ascii=False, indent=2)
        stdout.write("\n")
    else:
        write_summary(batch, stdout)
    errors = sum(f.severity == "error" for r in batch.reports for f in r.findings)
    return 1 if errors else 0


def write_summary(batch: BatchReview, out: TextIO) -> None:
    for report in batch.reports:
        meta = report.meta
        out.write(f"== {report.path}\n")
        if meta is not None:
            out.write(
                f"类型：{_KIND[meta.kind]}；单位：{meta.unit or '未识别'}；年度：{meta.year or '未识别'}；"
                f"落款：{meta.signed or '无'}；发布：{meta.published or '未知'}\n"
            )
        if report.items:
            present = [
                f"{k}{'✓' if v.present else '✗'}{'' if v.own_section or not v.present else '(嵌入)'}"
                for k, v in report.items.items()
            ]
            out.write("法定事项：" + " ".join(present) + "\n")
        counts = {s: sum(f.severity == s for f in report.findings) for s in _SEVERITY}
        out.write("问题：" + "，".join(f"{_SEVERITY[s]}{n}项" for s, n in counts.items()) + "\n")
        for finding in report.findings:
            where = "、".join(str(s.line_start) for s in finding.spans[:4])
            location = f"（第{where}行）" if where else ""
            out.write(
                f"  [{_SEVERITY[finding.severity]}] {finding.code}{location}：{finding.message}\n"
            )
    if batch.batch_findings:
        out.write(f"== 跨报告重复：{len(batch.batch_findings)}处\n")
        for finding in batch.batch_findings:
            out.write(f"  [{_SEVERITY[finding.severity]}] {finding.message}\n")
