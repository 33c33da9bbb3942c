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


def test_the_district_keeps_its_own_log_in_its_own_words(cast: Any, now: Any) -> None:
    from fazhi.core.tenancy.actions import add_user

    assert DUTIES.demo_district
    users = {
        role: add_user(username=f"qu_{role}", unit=cast.district, role=role,
                       password="fazhi-test-2026", name="区政府办", by=None)
        for role in ("clerk", "leader")
    }  # fmt: skip
    assert DUTIES.demo is not None
    created = DUTIES.demo(cast.district, users, 4, TODAY)
    mine = LeaderDuty.objects.filter(unit=cast.district)
    items = Rectification.objects.filter(unit=cast.district)
    assert created == mine.count() + items.count() > 0
    assert set(mine.values_list("post", flat=True)) == {"区委书记", "区长"}
    words = " ".join(mine.values_list("subject", flat=True))
    words += " ".join(items.values_list("department", flat=True))
    assert "区委常委会会议" in words and "街道" not in words and "党工委" not in words
    assert "区司法局" in words and "司法所" not in words
    assert not mine.filter(kind="study").exists()  # the 普法 demo seeds the 街道 only
