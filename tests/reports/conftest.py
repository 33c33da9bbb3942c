"""A figure and passages of the tests' own, over the record kit's toy ledger: a report's
passages, tokens and sums can be tested without seeding every ledger."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db.models import Q

from fazhi.core import metrics
from fazhi.core.metrics import Indicator
from fazhi.core.metrics.passages import register_passage, unregister_passage
from fazhi.core.records.tests.toy import actions as toy
from fazhi.core.records.tests.toy.models import Case

TOY_RECEIVED = Indicator(
    "toy.received",
    "收到示例案件",
    "收到日期在本年度内的示例案件",
    Case,
    lambda year: Q(received_on__year=year),
)
PASSAGES = ("test.toy.measures", "test.toy.leaders")


@pytest.fixture
def toy_passages() -> Iterator[None]:
    metrics.register(TOY_RECEIVED)
    register_passage(
        "test.toy.measures", "measures", 90, "依法办理示例案件{toy.received}件。", "toy.received"
    )
    register_passage(
        "test.toy.leaders",
        "leaders",
        10,
        "主要负责人带头督办示例案件{toy.received}件，{next_year}年继续督办。",
        "toy.received",
    )
    yield
    for key in PASSAGES:
        unregister_passage(key)
    metrics._REGISTRY.pop(TOY_RECEIVED.code, None)  # no test after this one sees it


def add_case(unit: Any, by: Any, on: dt.date = dt.date(2026, 5, 6)) -> Case:
    return toy.register(unit=unit, by=by, received_on=on, subject="示例事项")
