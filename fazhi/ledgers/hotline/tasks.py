"""The import as a background task (core.tasks): the web page uploads, the worker imports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model

from fazhi.core.tasks.progress import Progress
from fazhi.core.tasks.registry import Outcome, TaskFailure, background
from fazhi.core.tenancy.models import OrgUnit
from fazhi.core.workflow import ActionError


@background(
    "hotline_import",
    title="导入12345热线工单",
    labels={
        "rows": "行数",
        "created": "新增",
        "updated": "更新",
        "unchanged": "无变化",
        "repeats": "重复诉求",
        "error_count": "错误",
    },
)
def import_task(
    progress: Progress,
    *,
    path: str,
    filename: str,
    unit_code: str,
    user_id: int,
    mapping: dict[str, str] | None,
    mapping_name: str = "",
    dry_run: bool = False,
) -> Outcome:
    from fazhi.ledgers.hotline.importing import import_orders

    unit = OrgUnit.objects.get(code=unit_code)
    by: Any = get_user_model().objects.get(pk=user_id)
    upload = Path(path)
    try:
        outcome = import_orders(
            unit=unit,
            by=by,
            path=upload,
            filename=filename,
            mapping=mapping,
            mapping_name=mapping_name,
            dry_run=dry_run,
            progress=lambda done, total, message: progress(done, total, message),
        )
    except ActionError as exc:
        raise TaskFailure(exc.message) from exc
    finally:
        upload.unlink(missing_ok=True)
    data = outcome.as_json()
    if not outcome.ok:
        lines = "\n".join(outcome.errors)
        raise TaskFailure(f"{outcome.summary()}\n{lines}")
    return Outcome(outcome.summary(), data)
