"""The task pages: one run with its progress (and a JSON twin the page polls), and the list of
recent runs. A run is the starter's (and the administrators'); anyone else gets the 404 of a
missing one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from fazhi.core.tasks.models import TaskRun, TaskStatus
from fazhi.core.tasks.registry import get_kind
from fazhi.core.tenancy.access import get_for_user_or_404

# A running task writes its progress about once a second; this long without a write means the
# worker most likely died (ADR 0008). A queued one this old means no worker is running.
STALLED_AFTER = dt.timedelta(minutes=10)
WAITING_AFTER = dt.timedelta(minutes=2)
RECENT = 30


def _warning(run: TaskRun) -> str:
    now = timezone.now()
    if run.status == TaskStatus.RUNNING and now - run.updated_at > STALLED_AFTER:
        return (
            "该任务已超过10分钟没有进展，后台任务进程可能已停止。"
            "请联系系统管理员检查后台任务进程（fazhi db_worker），之后可重新执行该任务。"
        )
    if run.status == TaskStatus.QUEUED and now - run.created_at > WAITING_AFTER:
        return "该任务尚未开始执行：后台任务进程（fazhi db_worker）可能没有运行，请联系系统管理员。"
    return ""


def _result_rows(run: TaskRun) -> list[tuple[str, Any]]:
    if not isinstance(run.result, dict):
        return []
    try:
        labels = get_kind(run.kind).labels
    except LookupError:
        return []
    return [(label, run.result[key]) for key, label in labels.items() if key in run.result]


def _progress(run: TaskRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "status": run.status,
        "status_label": run.get_status_display(),
        "finished": run.finished,
        "done": run.done,
        "total": run.total,
        "percent": run.percent,
        "message": run.message,
        "warning": _warning(run),
        "result": run.result if run.finished else None,
    }


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_for_user_or_404(TaskRun, request.user, pk=pk)
    return render(
        request,
        "tasks/run.html",
        {"run": run, "warning": _warning(run), "rows": _result_rows(run)},
    )


@login_required
def run_progress(request: HttpRequest, pk: int) -> JsonResponse:
    run = get_for_user_or_404(TaskRun, request.user, pk=pk)
    response = JsonResponse(_progress(run), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


@login_required
def run_list(request: HttpRequest) -> HttpResponse:
    runs = TaskRun.objects.visible_to(request.user).select_related("by")[:RECENT]
    return render(request, "tasks/list.html", {"runs": runs})
