"""The supervisor's report review page: upload one or many reports, read the findings in the
text, compare units in a batch table, export the findings to Excel."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fazhi.core.audit.models import record_event
from fazhi.core.imports.writing import write_xlsx
from fazhi.core.reports.models import ReviewRun
from fazhi.core.tenancy.access import access_for, get_for_user_or_404
from fazhi.core.tenancy.roles import Permission
from fazhi.core.web.transfer_views import XLSX, attachment
from fazhi.review.api import review_batch, review_bytes
from fazhi.review.timeliness import DeadlineConfig

MAX_FILES = 60
SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}
ITEMS = {
    "measures": "主要举措和成效",
    "shortcomings": "不足和原因",
    "leader_duty": "第一责任人职责",
    "next_year": "下一年度安排",
    "other": "其他事项",
}
KINDS = {"fazhi": "法治政府建设", "xxgk": "政府信息公开", "unknown": "未识别"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files and self.required:
            # The widget gives an empty list, not None, when no file was chosen.
            raise forms.ValidationError("请选择至少一份待审查的报告", code="required")
        return [single(f, initial) for f in files]


class ReviewForm(forms.Form):
    reports = MultipleFileField(label="待审查的报告（可多选：.docx / .pdf / .html / .txt）")
    previous = forms.FileField(label="上一年度报告（选填，用于核对结转和照搬内容）", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        files = list(data.get("reports") or [])
        if len(files) > MAX_FILES:
            raise forms.ValidationError(f"一次最多审查 {MAX_FILES} 份报告")
        limit = settings.FAZHI_MAX_UPLOAD_BYTES
        for f in [*files, data.get("previous")]:
            if f is not None and f.size > limit:
                raise forms.ValidationError(
                    f"文件「{f.name}」过大，上限为 {limit // 1024 // 1024} MB"
                )
        return data


def _require_reviewer(request: HttpRequest) -> None:
    if not access_for(request.user).can_anywhere(Permission.REVIEW_REPORTS):
        raise Http404("未找到该页面")


@login_required
def review_index(request: HttpRequest) -> HttpResponse:
    _require_reviewer(request)
    form = ReviewForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        previous_file = form.cleaned_data.get("previous")
        month, day = settings.FAZHI_XXGK_TOWNSHIP_REPORT_DEADLINE
        config = DeadlineConfig(xxgk_township=(month, day))
        previous = (
            review_bytes(previous_file.name, previous_file.read(), config=config)
            if previous_file
            else None
        )
        reports = [
            review_bytes(f.name, f.read(), previous, config) for f in form.cleaned_data["reports"]
        ]
        batch = review_batch(reports)
        assert request.user.pk is not None  # login_required
        run = ReviewRun.objects.create(
            created_by_id=request.user.pk, result=batch.to_json(include_lines=True)
        )
        record_event(
            "review.batch.completed",
            by=request.user,
            object_type="review_run",
            object_id=str(run.pk),
            data={"files": [r.path for r in reports]},
        )
        return redirect("web:review_run", pk=run.pk)
    runs = ReviewRun.objects.visible_to(request.user)[:10]
    return render(request, "web/review_index.html", {"form": form, "runs": runs})


def _own_run(request: HttpRequest, pk: int) -> ReviewRun:
    _require_reviewer(request)
    return get_for_user_or_404(ReviewRun, request.user, pk=pk)


def _annotate(report: dict[str, Any]) -> dict[str, Any]:
    marks: dict[int, list[dict[str, Any]]] = {}
    for i, finding in enumerate(report["findings"]):
        finding["n"] = i + 1
        finding["severity_zh"] = SEVERITY.get(finding["severity"], finding["severity"])
        for span in finding["evidence"]:
            for line in range(span["line_start"], span["line_end"] + 1):
                marks.setdefault(line, []).append(finding)
    report["numbered_lines"] = [
        {
            "n": n,
            "text": text,
            "findings": marks.get(n, []),
            "severity": min(
                (f["severity"] for f in marks.get(n, [])),
                key=["error", "warning", "info"].index,
                default="",
            ),
        }
        for n, text in enumerate(report.get("lines") or [], start=1)
    ]
    report["errors"] = sum(f["severity"] == "error" for f in report["findings"])
    report["warnings"] = sum(f["severity"] == "warning" for f in report["findings"])
    report["kind_zh"] = KINDS.get(report["kind"], report["kind"])
    report["items_zh"] = [(ITEMS[k], v) for k, v in report.get("items", {}).items() if k in ITEMS]
    return report


@login_required
def review_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = _own_run(request, pk)
    reports = [_annotate(r) for r in run.result.get("reports", [])]
    return render(
        request,
        "web/review_run.html",
        {"run": run, "reports": reports, "batch": run.result.get("batch_findings", [])},
    )


@login_required
def review_export(request: HttpRequest, pk: int) -> HttpResponse:
    run = _own_run(request, pk)
    headers = ["文件", "单位", "年度", "类型", "级别", "代码", "问题", "行号", "原文"]
    rows = []
    for r in run.result.get("reports", []):
        if not r["findings"]:
            rows.append(
                [
                    r["path"],
                    r.get("unit") or "",
                    r.get("year") or "",
                    KINDS.get(r["kind"], r["kind"]),
                    "",
                    "",
                    "未发现问题",
                    "",
                    "",
                ]
            )
        for f in r["findings"]:
            lines = "、".join(str(s["line_start"]) for s in f["evidence"])
            quote = " / ".join(s["text"][:200] for s in f["evidence"])
            rows.append(
                [
                    r["path"],
                    r.get("unit") or "",
                    r.get("year") or "",
                    KINDS.get(r["kind"], r["kind"]),
                    SEVERITY.get(f["severity"], f["severity"]),
                    f["code"],
                    f["message"],
                    lines,
                    quote,
                ]
            )
    for f in run.result.get("batch_findings", []):
        quote = " / ".join(s["text"][:200] for s in f["evidence"])
        rows.append(
            [
                "（跨报告）",
                "",
                "",
                "",
                SEVERITY.get(f["severity"], ""),
                f["code"],
                f["message"],
                "",
                quote,
            ]
        )
    return attachment(
        write_xlsx(headers, rows, sheet_title="审查意见"), f"报告审查意见-{run.pk}.xlsx", XLSX
    )
