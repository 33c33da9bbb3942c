"""The demo 街道's generated 2026 report passes `fazhi review` without errors, and its figures
agree with a count made here from the raw rows (plain Python over the stored values and steps,
not the predicates the report is built from)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command

from fazhi.core.reports.actions import save_texts
from fazhi.core.reports.render_docx import render_docx
from fazhi.ledgers.disclosure import demo, report
from fazhi.ledgers.disclosure.models import Application, ApplicationEvent

pytestmark = pytest.mark.django_db
YEAR = 2026
TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def demo_street(cast: Any) -> Any:
    users = {"clerk": cast.a_clerk, "reviewer": cast.a_reviewer, "leader": cast.a_leader}
    with time_machine.travel(dt.datetime(2026, 11, 25, 10, tzinfo=dt.UTC), tick=False):
        created = demo.seed(cast.street_a, users, 2026, TODAY)
        save_texts(
            unit=cast.street_a,
            kind="xxgk",
            year=YEAR,
            by=cast.a_clerk,
            texts={
                "overview_proactive": "本年度通过政府网站主动公开政府信息。",
                "overview_management": "严格落实公开前保密审查。",
                "overview_platform": "持续完善政府信息公开专栏。",
                "overview_oversight": "将政府信息公开工作纳入年度考核。",
                "problems": "信息公开的及时性有待提高，下一步将加强培训。",
                "other": "无其他需要报告的事项。",
                "signed_on": "2027-01-20",
            },
        )
    assert created > 40
    return cast.street_a


def _raw_count(unit: Any) -> dict[str, Any]:
    apps = list(
        Application.objects.filter(unit=unit).values(
            "pk", "received_on", "replied_on", "outcome", "reply_due_on", "fee_amount"
        )
    )
    steps: dict[int, list[dict[str, Any]]] = {}
    for e in ApplicationEvent.objects.filter(record__unit=unit, undone_at__isnull=True).values(
        "record_id", "kind", "on", "data"
    ):
        steps.setdefault(e["record_id"], []).append(e)

    def regular(pk: int, kind: str) -> bool:
        found = [e for e in steps.get(pk, []) if e["kind"] == kind]
        return bool(found) and not any("flags" in e["data"] for e in found)

    replied = [a for a in apps if a["replied_on"] and a["replied_on"].year == YEAR]
    on_time = 0
    for a in replied:
        if a["outcome"] == "other_1":
            on_time += regular(a["pk"], "correction_requested") and regular(
                a["pk"], "closed_uncorrected"
            )
        elif a["outcome"] == "other_2":
            on_time += regular(a["pk"], "fee_notice") and regular(a["pk"], "closed_unpaid")
        else:
            on_time += a["reply_due_on"] is not None and a["replied_on"] <= a["reply_due_on"]
    # The fee collected, from the payment steps themselves (not the record's cached fields).
    fees = sum(
        (
            Decimal(e["data"]["amount"])
            for es in steps.values()
            for e in es
            if e["kind"] == "fee_paid" and e["on"].year == YEAR
        ),
        Decimal(0),
    )
    return {
        "new": sum(1 for a in apps if a["received_on"].year == YEAR),
        "total": len(replied),
        "outcomes": Counter(a["outcome"] for a in replied),
        "on_time": on_time,
        "fees": fees,
        "served_by_post": sum(
            1 for es in steps.values() for e in es if e["data"].get("service_method") == "post"
        ),
    }


def test_the_demo_report_matches_a_raw_count(demo_street: Any) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 25, 10, tzinfo=dt.UTC), tick=False):
        built = report.build(demo_street, YEAR)
    raw = _raw_count(demo_street)
    t3 = built.table3
    assert t3["new"]["total"] == raw["new"]
    assert t3["total"]["total"] == raw["total"]
    for outcome, n in raw["outcomes"].items():
        assert t3[outcome]["total"] == n, outcome
    assert built.on_time == raw["on_time"]
    assert built.fees == raw["fees"]
    # The demo uses what this change added: letters by post, 待送达 or signed for.
    assert raw["served_by_post"] > 0
    text = built.requests_summary()
    if raw["on_time"] == raw["total"]:
        assert "办结的申请均在法定期限内答复" in text
    else:
        assert f"在法定期限内答复{raw['on_time']}件" in text


def test_fazhi_review_finds_no_error_in_the_demo_report(demo_street: Any, tmp_path: Path) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 25, 10, tzinfo=dt.UTC), tick=False):
        document = report.build(demo_street, YEAR).document(None)
    path = tmp_path / "东湖街道2026年政府信息公开工作年度报告.docx"
    path.write_bytes(render_docx(document))
    out = _run("review", str(path), "--json")
    findings = json.loads(out)["reports"][0]["findings"]
    errors = [f for f in findings if f["severity"] == "error"]
    assert errors == []


def _run(*args: str) -> str:
    import io

    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()
