"""Submission pages: a unit's own reports and their sending, one submission (for the unit and
its supervisor), the supervisor's inbox, and the public page of published reports.

Every page resolves submissions through the tenant door; another unit's answers 404."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.core.records.clocks import events_of
from fazhi.core.submissions import actions, freeze, queries
from fazhi.core.submissions.access import supervises
from fazhi.core.submissions.deadlines import supervisor_clock, unit_clock
from fazhi.core.submissions.figures import compare
from fazhi.core.submissions.ledger import SUBMISSIONS
from fazhi.core.submissions.models import Comment, Kind, Status, Submission
from fazhi.core.tenancy.access import access_for, get_for_user_or_404, get_unit_for_user_or_404
from fazhi.core.tenancy.names import display_name
from fazhi.core.tenancy.roles import Permission
from fazhi.core.web import once
from fazhi.core.web.transfer_views import attachment
from fazhi.core.workflow import ActionError

PAGE_SIZE = 50
SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}


def _year(request: HttpRequest, default: int) -> int:
    raw = str(request.GET.get("year", ""))
    if raw.isascii() and raw.isdigit() and int(raw) in freeze.years_open(timezone.localdate()):
        return int(raw)
    return default


@login_required
def own(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    year = _year(request, today.year - 1)
    rows = queries.own_rows(request.user, year, today)
    if not rows and not queries.reviews_anything(request.user):
        raise Http404("未找到该页面")
    return render(
        request,
        "submissions/own.html",
        {"rows": rows, "year": year, "years": freeze.years_open(today)},
    )


class SubmitForm(forms.Form):
    source = forms.ChoiceField(label="报送方式", widget=forms.RadioSelect)
    file = forms.FileField(label="报告文件（.docx 或 .pdf）", required=False)
    note = forms.CharField(
        label="报送说明（选填）",
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 2}),
    )
    confirm = forms.BooleanField(
        label="我已阅读上述提示，确认报送", error_messages={"required": "请勾选确认后再报送"}
    )

    def __init__(self, *args: Any, can_generate: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("uploaded", "上传报告文件")]
        if can_generate:
            choices.insert(0, ("generated", "报送系统生成的报告（以当前数据生成并固定）"))
        source: Any = self.fields["source"]
        source.choices = choices
        source.initial = choices[0][0]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("source") == "uploaded" and not data.get("file"):
            self.add_error("file", "请选择要上传的报告文件")
        return data


@login_required
def submit(request: HttpRequest, code: str, kind: str, year: int) -> HttpResponse:
    today = timezone.localdate()
    if year not in freeze.years_open(today):
        raise Http404("未找到该页面")  # a year a unit may not send: never a 500 on 9999 or 0
    unit = get_unit_for_user_or_404(request.user, code)
    if kind not in Kind.values or not access_for(request.user).can(unit.pk, Permission.EDIT_REPORT):
        raise Http404("未找到该页面")
    existing = (
        Submission.objects.visible_to(request.user).filter(unit=unit, kind=kind, year=year).first()
    )
    can_generate = freeze.report_ui_for(kind) is not None
    form = SubmitForm(request.POST or None, request.FILES or None, can_generate=can_generate)
    preview = None
    if can_generate:
        try:
            preview = freeze.generated(unit, kind, year)
        except ActionError:
            preview = None
    warnings = freeze.warnings(unit, kind, year, preview)
    acknowledge = ""
    if request.method == "POST" and form.is_valid():
        try:
            actions.check_year(year, today)
            if form.cleaned_data["source"] == "generated":
                frozen = freeze.generated(unit, kind, year)
            else:
                upload = form.cleaned_data["file"]
                frozen = freeze.uploaded(upload, upload.name or "")
                mismatched = freeze.mismatches(unit, kind, year, frozen.review)
                if mismatched and request.POST.get("acknowledged") != frozen.sha256:
                    # Shown on the confirm step; sending the same file again goes ahead.
                    warnings = freeze.warnings(unit, kind, year, frozen)
                    acknowledge = frozen.sha256
                    raise ActionError(
                        "上传文件与报送的报告不一致，请核对上述提示；确认无误请重新选择该文件再次报送",
                        field="file",
                    )
            with transaction.atomic():
                claimed = once.claim(request)
                record = actions.submit(
                    unit=unit,
                    kind=kind,
                    year=year,
                    frozen=frozen,
                    by=request.user,
                    note=form.cleaned_data["note"],
                )
                url = reverse("submissions:detail", args=[record.pk])
                once.done(claimed, url)
        except once.Duplicate as dup:
            messages.warning(request, once.DUPLICATE_MESSAGE)
            return redirect(dup.url or reverse("submissions:own"))
        except ActionError as exc:
            field = exc.field if exc.field in form.fields else None
            form.add_error(field, exc.message)
        else:
            messages.success(request, f"已报送{Kind(kind).label}（第{record.versions.count()}版）")
            return redirect(url)
    return render(
        request,
        "submissions/submit.html",
        {
            "unit": unit,
            "kind": kind,
            "kind_label": Kind(kind).label,
            "year": year,
            "form": form,
            "existing": existing,
            "warnings": warnings,
            "acknowledge": acknowledge,
            "clock": unit_clock(kind, unit.kind, year, existing.status if existing else "", today),
        },
    )


def _submission(request: HttpRequest, pk: int) -> Submission:
    found: Submission = get_for_user_or_404(
        Submission.objects.select_related("unit"), request.user, pk=pk
    )
    return found


def _findings(review: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for f in review.get("findings", []):
        lines = sorted({s["line_start"] for s in f.get("evidence", [])})
        found.append({**f, "severity_zh": SEVERITY.get(f["severity"], f["severity"]), "at": lines})
    return found


def _timeline(record: Submission) -> list[dict[str, Any]]:
    return [
        {
            "on": e.on,
            "at": e.at,
            "label": SUBMISSIONS.event_label(e.kind),
            "by": display_name(e.by) if e.by else "",
            "note": e.note,
            "detail": (
                f"第{e.data['version']}版"
                if "version" in (e.data or {})
                else (e.data or {}).get("text", "")
            ),
        }
        for e in record.events.select_related("by").order_by("at", "id")
    ]


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = _submission(request, pk)
    versions = list(record.versions.defer("content").order_by("n"))
    latest = versions[-1]
    raw = str(request.GET.get("v", ""))
    version = next((v for v in versions if raw.isdigit() and v.n == int(raw)), latest)
    comments = list(
        record.comments.filter(removed_at__isnull=True, version=version).select_related(
            "created_by"
        )
    )
    by_paragraph: dict[int, list[Any]] = {}
    for c in comments:
        by_paragraph.setdefault(c.paragraph, []).append(c)
    findings = _findings(version.review)
    marked = {line for f in findings for line in f["at"]}
    paragraphs = [
        {"n": i, "text": t, "comments": by_paragraph.get(i, []), "marked": i in marked}
        for i, t in enumerate(version.paragraphs, start=1)
    ]
    is_supervisor = supervises(request.user, record.unit)
    today = timezone.localdate()
    clock = (
        supervisor_clock(record.kind, record.unit.kind, record.year, record.status, today)
        if is_supervisor
        else unit_clock(record.kind, record.unit.kind, record.year, record.status, today)
    )
    can_edit = access_for(request.user).can(record.unit_id, Permission.EDIT_REPORT)
    return render(
        request,
        "submissions/detail.html",
        {
            "record": record,
            "versions": versions,
            "version": version,
            "is_latest": version.n == latest.n,
            "paragraphs": paragraphs,
            "findings": findings,
            "mismatches": freeze.mismatches(record.unit, record.kind, record.year, version.review),
            "figures": compare(record.unit, record.year, version.review.get("figures", [])),
            "timeline": _timeline(record),
            "is_supervisor": is_supervisor,
            "can_resubmit": can_edit and record.status == Status.RETURNED,
            "clock": clock,
            "returns": [e for e in events_of(record) if e.kind == "returned"],
            "comment_max": Comment._meta.get_field("text").max_length,
            "note_max": actions.NOTE_MAX,
        },
    )


@login_required
def version_file(request: HttpRequest, pk: int, n: int) -> HttpResponse:
    record = _submission(request, pk)
    version = record.versions.filter(n=n).first()
    if version is None:
        raise Http404("未找到该版本")
    return attachment(bytes(version.content), version.served_name(), version.content_type)


@login_required
@require_POST
def add_comment(request: HttpRequest, pk: int) -> HttpResponse:
    record = _submission(request, pk)
    if not supervises(request.user, record.unit):
        raise Http404("未找到该页面")
    raw = str(request.POST.get("paragraph", ""))
    text = str(request.POST.get("text", ""))
    detail_url = reverse("submissions:detail", args=[pk])
    try:
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
            raise ActionError("请选择段落")
        with transaction.atomic():
            claimed = once.claim(request)
            actions.comment(record, by=request.user, paragraph=int(raw), text=text)
            once.done(claimed, detail_url)
    except once.Duplicate:
        messages.warning(request, once.DUPLICATE_MESSAGE)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已对第{raw}段提出意见")
    return redirect(f"{detail_url}#p{raw if raw.isdigit() else ''}")


MOVES = {"return": "退回修改", "accept": "接收", "publish": "公开", "unpublish": "撤回公开"}


@login_required
@require_POST
def move(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    record = _submission(request, pk)
    if code not in MOVES or not supervises(request.user, record.unit):
        raise Http404("未找到该操作")
    detail_url = reverse("submissions:detail", args=[pk])
    try:
        with transaction.atomic():
            claimed = once.claim(request)
            if code == "return":
                actions.return_(record, by=request.user, note=str(request.POST.get("note", "")))
            elif code == "accept":
                actions.accept(record, by=request.user, note=str(request.POST.get("note", "")))
            elif code == "unpublish":
                actions.unpublish(record, by=request.user, note=str(request.POST.get("note", "")))
            else:
                actions.publish(record, by=request.user)
            once.done(claimed, detail_url)
    except once.Duplicate:
        messages.warning(request, once.DUPLICATE_MESSAGE)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已{MOVES[code]}")
    return redirect(detail_url)


STATE_CHOICES = [("none", "未报送"), *Status.choices]


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    if not queries.reviews_anything(request.user):
        raise Http404("未找到该页面")
    today = timezone.localdate()
    year = _year(request, today.year - 1)
    kind = str(request.GET.get("kind", "xxgk"))
    if kind not in Kind.values:
        kind = Kind.XXGK
    state = str(request.GET.get("state", ""))
    if state not in {c for c, _ in STATE_CHOICES}:
        state = ""
    due = str(request.GET.get("due", ""))
    if due not in ("overdue", "due_soon"):
        due = ""
    q = str(request.GET.get("q", ""))[:50].strip()
    rows = queries.inbox(request.user, kind, year, today, state=state, due=due, q=q)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({"kind": kind, "year": year, "state": state, "due": due, "q": q})
    counts: dict[str, int] = {}
    for row in queries.inbox(request.user, kind, year, today):
        counts[row.state] = counts.get(row.state, 0) + 1
    return render(
        request,
        "submissions/inbox.html",
        {
            "page": page,
            "query": query,
            "kind": kind,
            "kinds": Kind.choices,
            "year": year,
            "years": freeze.years_open(today),
            "state": state,
            "states": STATE_CHOICES,
            "due": due,
            "q": q,
            "counts": sorted(counts.items()),
        },
    )


def public_list(request: HttpRequest) -> HttpResponse:
    rows = queries.published()
    raw = str(request.GET.get("year", ""))
    if raw.isascii() and raw.isdigit() and len(raw) == 4:
        rows = rows.filter(year=int(raw))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "submissions/public.html", {"page": page, "query": urlencode({"year": raw})}
    )


def public_file(request: HttpRequest, pk: int) -> HttpResponse:
    record = queries.published().filter(pk=pk).first()
    if record is None:
        raise Http404("未找到该报告")
    version = record.versions.order_by("-n").first()
    if version is None:
        raise Http404("未找到该报告")
    return attachment(bytes(version.content), version.served_name(), version.content_type)
