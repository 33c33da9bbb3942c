"""Freezing what a unit sends: a generated report's .docx, HTML, text and figures at this
moment, or an uploaded .docx/.pdf checked by the attachments' guards; then the reviewer run
on exactly the bytes that are stored (ADR 0018)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings

from fazhi.core.attachments.actions import clean_name
from fazhi.core.attachments.sniff import DOCX, PDF, Refused, inspect
from fazhi.core.reports.render_docx import render_docx
from fazhi.core.reports.render_html import render_html
from fazhi.core.reports.years import report_years
from fazhi.core.workflow import ActionError
from fazhi.review.api import review_bytes
from fazhi.review.timeliness import DeadlineConfig

DOCX_TYPE = DOCX.content_type


@dataclass(frozen=True)
class Frozen:
    source: str
    filename: str
    content_type: str
    content: bytes
    text: str
    html: str = ""
    figures: dict[str, Any] = field(default_factory=dict)
    review: dict[str, Any] = field(default_factory=dict)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    def findings(self) -> list[dict[str, Any]]:
        return list(self.review.get("findings", []))


def report_ui_for(kind: str) -> Any | None:
    """The report kind's declaration when fazhi generates it (ReportUI), else None (upload)."""
    from fazhi.core.web.registry import get_report

    found = get_report(kind)
    if found is None:
        return None
    _, report = found  # (LedgerUI | None, ReportUI): a core kind has no ledger
    return report


def _config() -> DeadlineConfig:
    return DeadlineConfig(xxgk_township=settings.FAZHI_XXGK_TOWNSHIP_REPORT_DEADLINE)


def _review(filename: str, content: bytes) -> dict[str, Any]:
    result: dict[str, Any] = review_bytes(filename, content, config=_config()).to_json(
        include_lines=True
    )
    return result


def _text(review: dict[str, Any]) -> str:
    return "\n".join(review.get("lines") or [])


def generated(unit: Any, kind: str, year: int) -> Frozen:
    report_ui = report_ui_for(kind)
    if report_ui is None:
        raise ActionError("该类报告不能由系统生成，请上传报告文件", field="source")
    report = report_ui.build(unit, year)
    doc = report.document(None)
    content = render_docx(doc)
    filename = clean_name(f"{report.title}.docx")
    review = _review(filename, content)
    return Frozen(
        source="generated",
        filename=filename,
        content_type=DOCX_TYPE,
        content=content,
        text=_text(review),
        html=str(render_html(doc)),
        figures=report.as_json(),
        review=review,
    )


def uploaded(fp: IO[bytes], name: str) -> Frozen:
    limit = settings.FAZHI_MAX_UPLOAD_BYTES
    try:
        found = inspect(fp, limit=limit)
    except Refused as exc:
        raise ActionError(str(exc), field="file") from exc
    if found.type not in (DOCX, PDF):
        raise ActionError(
            f"报送的报告须为 Word（.docx）或 PDF 文件，该文件是{found.type.label}", field="file"
        )
    content = fp.read()
    filename = clean_name(name) or ("报告.pdf" if found.type is PDF else "报告.docx")
    review = _review(filename, content)
    unreadable = [f for f in review.get("findings", []) if f.get("code") == "unreadable"]
    if unreadable or not review.get("lines"):
        reason = unreadable[0]["message"] if unreadable else "文件中没有可审查的文字。"
        raise ActionError(f"无法读取该文件的文字：{reason}", field="file")
    return Frozen(
        source="uploaded",
        filename=filename,
        content_type=found.type.content_type,
        content=content,
        text=_text(review),
        review=review,
    )


def warnings(unit: Any, kind: str, year: int, frozen: Frozen | None) -> list[str]:
    """What the unit should read before it sends: the report kind's own warnings
    (`ReportUI.submit_warnings(unit, year)`, e.g. figures carried over from last year) and the
    reviewer's errors and warnings on what would be sent."""
    found: list[str] = []
    report_ui = report_ui_for(kind)
    hook = getattr(report_ui, "submit_warnings", None) if report_ui is not None else None
    if hook is not None:
        found += [str(w) for w in hook(unit, year)]
    if frozen is not None:
        found += mismatches(unit, kind, year, frozen.review)
        found += [
            f"审查{'错误' if f['severity'] == 'error' else '提示'}：{f['message']}"
            for f in frozen.findings()
            if f.get("severity") in ("error", "warning")
        ]
    return found


KIND_LABELS = {"fazhi": "法治政府建设情况报告", "xxgk": "政府信息公开工作年度报告"}
_UNIT_NOISE = re.compile(r"^中共|人民政府|办事处|\s")


def _same_unit(found: str, name: str) -> bool:
    a, b = _UNIT_NOISE.sub("", found), _UNIT_NOISE.sub("", name)
    return bool(a) and bool(b) and (a in b or b in a)


def mismatches(unit: Any, kind: str, year: int, review: dict[str, Any]) -> list[str]:
    """Where the reviewer reads the file as another kind, year or unit than it is filed as
    (warnings only: the reviewer can be wrong). Nothing is said when it finds none."""
    found: list[str] = []
    read_kind = review.get("kind")
    if read_kind in KIND_LABELS and read_kind != kind:
        found.append(
            f"上传文件看来是{KIND_LABELS[read_kind]}，而报送的是{KIND_LABELS.get(kind, kind)}"
        )
    read_year = review.get("year")
    if isinstance(read_year, int) and read_year != year:
        found.append(f"上传文件看来是{read_year}年度的报告，而报送的是{year}年度")
    read_unit = review.get("unit")
    if isinstance(read_unit, str) and read_unit and not _same_unit(read_unit, unit.name):
        found.append(f"上传文件看来是“{read_unit}”的报告，而报送单位是“{unit.name}”")
    return found


def years_open(today: dt.date) -> Sequence[int]:
    """The report years a unit may send: the last five and this one, of those served."""
    return report_years(today)[:6]
