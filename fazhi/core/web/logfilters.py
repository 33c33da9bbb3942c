"""Keep search terms out of the logs: a query string (`?q=王某`, an ID number) is personal data.

Attached to runserver's `django.server` logger in settings.LOGGING; gunicorn's access log leaves
the query out by its format (fazhi/gunicorn.conf.py)."""

from __future__ import annotations

import logging
import re

# A query string inside a logged request line or URL.
_QUERY = re.compile(r"\?([^\s\"']+)")


def _redact(query: str) -> str:
    """Parameter names stay (they say what was asked), values and bare terms go."""
    return "&".join(
        part.split("=", 1)[0] + "=…" if "=" in part else "…" for part in query.split("&")
    )


def redact_query_strings(text: str) -> str:
    return _QUERY.sub(lambda m: "?" + _redact(m.group(1)), text)


class RedactQueryStrings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact_query_strings(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact_query_strings(a) if isinstance(a, str) else a for a in record.args
            )
        return True
