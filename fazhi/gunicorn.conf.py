"""gunicorn for fazhi: `gunicorn -c fazhi/gunicorn.conf.py fazhi.wsgi` (see README, 部署).

The access log leaves out the query string and the referrer (which carries the previous page's):
search terms there are names and ID numbers. Errors that name a request go through the same
redaction as runserver's log."""

from __future__ import annotations

import gc
import os
from typing import Any


def _int(name: str, default: int) -> int:
    value = os.environ.get(name) or str(default)
    if not value.isdigit():
        raise SystemExit(f"{name} must be a positive integer, got {value!r}")
    return int(value)


bind = os.environ.get("FAZHI_BIND", "127.0.0.1:8000")
workers = _int("FAZHI_WORKERS", 2)
timeout = _int("FAZHI_WORKER_TIMEOUT", 120)
# The cyclic garbage collector's first threshold in a worker (Python's default is 700). A page
# allocates tens of thousands of objects that reference counting frees when it is sent; at 700
# the collector also scans them about once a page, and every tenth time the older ones too.
# 0 keeps Python's default (ADR 0015).
gc_threshold = _int("FAZHI_GC_THRESHOLD", 50_000)
accesslog = "-"
# Combined log format with the path (%(U)s) in place of the request line (%(r)s) and without the
# referrer (%(f)s); %(L)s is the request time in seconds.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s "%(a)s"'


def post_worker_init(worker: Any) -> None:
    from fazhi.core.web.logfilters import RedactQueryStrings

    worker.log.error_log.addFilter(RedactQueryStrings())
    # What the worker loaded (Django, the URL patterns, templates) lives as long as it does:
    # frozen, the collector no longer scans it; then the threshold above.
    gc.collect()
    gc.freeze()
    if gc_threshold:
        _, older, oldest = gc.get_threshold()
        gc.set_threshold(gc_threshold, older, oldest)
