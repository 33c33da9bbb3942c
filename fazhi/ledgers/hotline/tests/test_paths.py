"""ADR 0013: the columnar status of every import path equals what the record kit's own import
replay (core.records.bulk) reaches through the transition table, refusals included."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from fazhi.core.records import bulk
from fazhi.ledgers.hotline.columnar import path_table, with_path
from fazhi.ledgers.hotline.ledger import LEDGER
from fazhi.ledgers.hotline.models import WorkOrder
from fazhi.ledgers.hotline.workflow import IMPORT_PATH

DAY = dt.date(2026, 3, 2)


def kit_replay(steps: tuple[str, ...]) -> str:
    """The status the kit's per-row import reaches, or "" where it refuses a step."""
    record = WorkOrder(status=LEDGER.initial, called_on=DAY)
    events = [LEDGER.event_model(kind=LEDGER.registered_event, on=DAY, data={})]
    for code in steps:
        step = bulk.ImportStep(code, DAY, "列")
        try:
            events.append(bulk._replay(LEDGER, record, events, step, {}, None, DAY))
        except bulk._RowProblem:
            return ""
    return str(record.status)


@pytest.mark.parametrize("mask", range(1 << len(IMPORT_PATH)))
def test_columnar_status_equals_the_kits_replay(mask: int) -> None:
    steps = tuple(code for i, (code, _) in enumerate(IMPORT_PATH) if mask >> i & 1)
    row = path_table().filter(pl.col("_mask") == mask).row(0, named=True)
    assert row["status"] == kit_replay(steps), steps
    assert (row["_e_path"] is None) == bool(row["status"])


def test_rows_find_their_path_by_the_columns_present() -> None:
    t = dt.datetime(2026, 3, 2, 9)  # noqa: DTZ001  (a platform's local time)
    frame = pl.DataFrame(
        {
            "dispatched_at": [None, t, t, None],
            "feedback_at": [None, None, t, t],
            "closed_at": [None, None, t, None],
            "visit_result": ["", "", "satisfied", ""],
        },
        schema={
            "dispatched_at": pl.Datetime("us"),
            "feedback_at": pl.Datetime("us"),
            "closed_at": pl.Datetime("us"),
            "visit_result": pl.String,
        },
    )
    out = with_path(frame)
    assert out["status"].to_list() == ["received", "handling", "closed", ""]
    assert out["_e_path"][3].startswith("「反馈」不能在「待派单」状态下发生")
