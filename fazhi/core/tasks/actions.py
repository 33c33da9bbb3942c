"""Starting background work: the one action (STYLE habit 1)."""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from fazhi.core.audit.models import record_event
from fazhi.core.tasks.models import TaskRun
from fazhi.core.tasks.registry import get_kind
from fazhi.core.tasks.runner import enqueue
from fazhi.core.tenancy.models import OrgUnit


def start_task(
    kind: str,
    *,
    by: AbstractBaseUser | AnonymousUser | None,
    unit: OrgUnit | None = None,
    title: str = "",
    **args: Any,
) -> TaskRun:
    """Create the run and queue it when the surrounding transaction commits: the worker must
    read what the caller wrote (a calendar change, an uploaded file), and a rolled-back caller
    leaves no task behind. Returns the run at once; `runner.wait(run)` waits for it."""
    spec = get_kind(kind)
    # The worker gets the arguments back from JSON: fail here, in the caller, if they are not.
    args = json.loads(json.dumps(args, cls=DjangoJSONEncoder))
    by_id = by.pk if by is not None and by.is_authenticated else None
    with transaction.atomic():
        run = TaskRun.objects.create(
            kind=kind,
            title=title or spec.title,
            args=args,
            by_id=by_id,
            unit_code=unit.code if unit else "",
        )
        record_event(
            f"tasks.{kind}.started",
            by=by,
            unit_code=run.unit_code,
            object_type="task_run",
            object_id=str(run.pk),
            data={"title": run.title, "args": args},
        )
        transaction.on_commit(partial(enqueue, run))
    return run
