"""Search terms (names, ID numbers in `?q=`) stay out of the access logs of runserver and
gunicorn (issue 6, item 9)."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.core.servers.basehttp import WSGIRequestHandler

from fazhi.core.web.logfilters import redact_query_strings

ROOT = Path(__file__).resolve().parents[2]
NAME, ID = "王某", "11010519491231002X"
QUERY = urllib.parse.urlencode({"q": f"{NAME} {ID}", "status": "open"})


@pytest.mark.parametrize(
    ("logged", "kept"),
    [
        (f"GET /l/disclosure/?q={NAME} HTTP/1.1", "GET /l/disclosure/?q=… HTTP/1.1"),
        (f"GET /l/disclosure/?{QUERY} HTTP/1.1", "GET /l/disclosure/?q=…&status=… HTTP/1.1"),
        ("GET /l/disclosure/?cell=3:1:2026 HTTP/1.1", "GET /l/disclosure/?cell=… HTTP/1.1"),
        (f"GET /l/disclosure/?{ID} HTTP/1.1", "GET /l/disclosure/?… HTTP/1.1"),
        (f"GET /l/disclosure/?q={NAME};x={ID} HTTP/1.1", "GET /l/disclosure/?q=… HTTP/1.1"),
        ("GET /l/disclosure/ HTTP/1.1", "GET /l/disclosure/ HTTP/1.1"),
        ("POST /login/?next=/l/disclosure/%3Fq%3Dx HTTP/1.1", "POST /login/?next=… HTTP/1.1"),
    ],
)
def test_redaction_keeps_the_path_and_parameter_names(logged: str, kept: str) -> None:
    redacted = redact_query_strings(logged)
    assert redacted.startswith(kept)
    assert NAME not in redacted and ID not in redacted and "%E7" not in redacted


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_runserver_logs_request_lines_without_search_terms() -> None:
    """runserver's own handler, as it logs every request, into the configured logger."""
    server_log = logging.getLogger("django.server")
    collect = Collect()
    server_log.addHandler(collect)
    try:
        handler = WSGIRequestHandler.__new__(WSGIRequestHandler)
        handler.request = None
        for code in (200, 404):
            handler.requestline = f"GET /l/disclosure/?{QUERY} HTTP/1.1"
            handler.log_request(code, 1234)
    finally:
        server_log.removeHandler(collect)
    assert collect.lines == [
        '"GET /l/disclosure/?q=…&status=… HTTP/1.1" 200 1234',
        '"GET /l/disclosure/?q=…&status=… HTTP/1.1" 404 1234',
    ]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_gunicorn_access_log_omits_query_string_and_referrer(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fazhi.sqlite3'}",
        "FAZHI_BIND": f"127.0.0.1:{port}",
        "FAZHI_WORKERS": "1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "-c",
                "fazhi/gunicorn.conf.py",
                "fazhi.wsgi",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        statuses = []
        deadline = time.monotonic() + 120
        while not statuses:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/login/?{QUERY}",
                headers={"Referer": f"http://127.0.0.1:{port}/l/disclosure/?{QUERY}"},
            )
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    statuses.append(response.status)
            except (OSError, urllib.error.URLError):
                # Not listening yet, or (a loaded machine) the first request timed out while
                # the worker was still loading the app: try again until the deadline.
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert statuses == [200]
    text = log.read_text(encoding="utf-8")
    access = [line for line in text.splitlines() if '"GET /login/' in line]
    # One line per request (a retried one, timed out on a loaded machine, is logged too).
    assert access and all('"GET /login/ HTTP/1.1"' in line for line in access), text
    assert '"GET /login/ HTTP/1.1" 200' in access[-1]
    for secret in ("q=", "%E7%8E%8B", NAME, ID, "status=open", "/l/disclosure/"):
        assert secret not in text
