"""The kit on its own: with the toy ledger installed and no real ledger (no fazhi.ledgers app,
no module of it ever imported), a fresh process migrates, works a case and renders every page.
The import-linter contract "core never imports ledgers" says the same statically."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from fazhi.core.records.tests.alone_worker import render_alone


def test_the_kit_runs_a_ledger_with_no_real_ledger_installed(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    process = ctx.Process(target=render_alone, args=(str(tmp_path / "alone.sqlite3"), results))
    process.start()
    seen = results.get(timeout=180)
    process.join(timeout=30)
    assert process.exitcode == 0
    assert seen["ledgers"] == []
    assert {name: code for name, (code, _) in seen["pages"].items()} == dict.fromkeys(
        ("home", "list", "detail", "move", "correct", "new"), 200
    )
    assert "示例案件" in seen["pages"]["home"][1]
    # The annual reports' submission clocks (core.submissions) name the 政府信息公开 report
    # whatever ledgers are installed; the disclosure ledger itself must not appear.
    assert "政府信息公开申请" not in seen["pages"]["home"][1]
    assert "办理期限" in seen["pages"]["detail"][1] and "补充材料期限" in seen["pages"]["detail"][1]
    assert "补录原因" in seen["pages"]["move"][1]
    assert (seen["answered"], seen["status"]) == (302, "received")
