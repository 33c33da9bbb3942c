"""The demo hook makes two years of 第一责任人 records and a year of rectification items through
the actions, after the 普法 demo (whose 中心组学法 sessions the 带头学法 records name)."""

from __future__ import annotations

from typing import Any

from fazhi.core.metrics import evaluate
from fazhi.core.records import queries
from fazhi.ledgers.oversight.indicators import HEADLINE
from fazhi.ledgers.oversight.ledger import DUTIES, RECTIFICATIONS
from fazhi.ledgers.oversight.models import LeaderDuty, Rectification
from fazhi.ledgers.oversight.tests.pufa import ledger
from fazhi.ledgers.oversight.tests.world import TODAY


def test_demo_fills_both_ledgers_and_every_figure(cast: Any, now: Any) -> None:
    users = {"clerk": cast.a_clerk, "leader": cast.a_leader}
    activities = ledger("pufa")  # the 普法 demo runs first (INSTALLED_APPS order)
    assert activities.demo is not None and DUTIES.demo is not None
    activities.demo(cast.street_a, users, 1, TODAY)
    created = DUTIES.demo(cast.street_a, users, 1, TODAY)
    assert created == LeaderDuty.objects.count() + Rectification.objects.count()
    assert set(Rectification.objects.values_list("status", flat=True)) == {
        "done",
        "in_progress",
        "ongoing",
        "pending",
    }
    studies = LeaderDuty.objects.filter(kind="study")
    assert studies.exists() and all(s.linked_slug == "pufa_studies" for s in studies)
    sessions = ledger("pufa_studies").model.objects.filter(kind="center_group")
    assert {s.linked_pk for s in studies} == set(sessions.values_list("pk", flat=True))
    assert all(c.case_number for c in LeaderDuty.objects.filter(kind="court"))
    assert set(LeaderDuty.objects.values_list("status", flat=True)) == {"registered", "confirmed"}
    todo = queries.todo(RECTIFICATIONS, Rectification.objects.all(), TODAY)
    assert todo["逾期"].count() == 1 and todo["临期"].count() >= 1
    assert Rectification.objects.filter(events__kind="extended").count() == 1
    for code in HEADLINE:
        model = LeaderDuty if not code.startswith("oversight.rectify") else Rectification
        value = evaluate(code, model.objects.all(), TODAY.year).value
        assert value > 0, code
        assert value <= 100 or not code.endswith("rate"), code
