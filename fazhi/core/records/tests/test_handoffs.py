"""Handing a record to another unit (core.records.handoffs, ADR 0012) on the toy ledger: the unit
moves with the record's whole history and a trail row; the unit that handed it reads it and
cannot act on it; a unit that never held it gets a 404."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.core.audit.models import AuditEvent
from fazhi.core.records import corrections, handoffs
from fazhi.core.records.models import Handoff
from fazhi.core.records.tests.helpers import LEDGER, counts, d, fresh, new_case, step
from fazhi.core.records.tests.toy import actions
from fazhi.core.records.tests.toy.ledger import NOTES
from fazhi.core.records.tests.toy.models import Case, CaseEvent, Note
from fazhi.core.tenancy.access import get_for_user_or_404
from fazhi.core.tenancy.actions import add_unit, add_user
from fazhi.core.workflow import ActionError

pytestmark = pytest.mark.usefixtures("now")


@dataclass
class Tree:
    cast: Any
    community: Any
    c_clerk: Any
    d_clerk: Any


@pytest.fixture
def tree(cast: Any) -> Tree:
    """A 社区 under 街道 A with its clerk, and a clerk of the district itself."""
    community = add_unit(
        code="A1C1", name="东湖社区", kind="community", parent=cast.street_a, by=None
    )

    def clerk(name: str, unit: Any) -> Any:
        return add_user(
            username=name, unit=unit, role="clerk", password="x", by=None, check_password=False
        )

    return Tree(cast, community, clerk("c_clerk", community), clerk("d_clerk", cast.district))


def handed_case(tree: Tree) -> Case:
    """A 社区 case with a note and a step, handed up to 街道 A on 11-10."""
    case = actions.register(
        unit=tree.community, by=tree.c_clerk, received_on=d(11, 2), subject="漏水纠纷"
    )
    corrections.add_child(
        LEDGER, NOTES, case, by=tree.c_clerk, fields={"noted_on": d(11, 3), "text": "上门查看"}
    )
    case = step(case, "ask", tree.c_clerk, d(11, 4))
    case = step(case, "answer", tree.c_clerk, d(11, 6))
    return actions.hand_over(case, by=tree.c_clerk, on=d(11, 10))


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_record_moves_with_its_whole_history_and_a_trail_row(tree: Tree) -> None:
    case = handed_case(tree)
    stored = fresh(case)
    assert stored.unit == tree.cast.street_a
    assert stored.number == "TOY-2026-001"  # the number stays
    assert stored.status == "received"  # the move declares no target
    events = CaseEvent.objects.filter(record=case).order_by("id")
    assert list(events.values_list("kind", "by__username")) == [
        ("registered", "c_clerk"),
        ("child_added", "c_clerk"),
        ("asked", "c_clerk"),
        ("answered", "c_clerk"),
        ("handed_over", "c_clerk"),
    ]
    handed = CaseEvent.objects.get(record=case, kind="handed_over")
    assert (handed.on, handed.data["to_unit"], handed.data["to_unit_name"]) == (
        d(11, 10),
        "A1",
        "东湖街道",
    )
    assert Note.objects.get(record=case).text == "上门查看"
    [row] = Handoff.objects.all()
    assert (row.model, row.record_id, row.number, row.from_unit, row.to_unit, row.on, row.by) == (
        "toy.case",
        case.pk,
        "TOY-2026-001",
        tree.community,
        tree.cast.street_a,
        d(11, 10),
        tree.c_clerk,
    )
    audit = AuditEvent.objects.get(code="toy.case.handed_over")
    assert (audit.data["from_unit"], audit.data["to_unit"], audit.unit_code) == ("A1C1", "A1", "A1")


def test_the_trail_lists_every_unit_it_passed_oldest_first(tree: Tree) -> None:
    case = handed_case(tree)
    other = actions.register(
        unit=tree.community, by=tree.c_clerk, received_on=d(11, 2), subject="另一件"
    )
    actions.hand_over(other, by=tree.c_clerk, on=d(11, 11))
    actions.hand_over(case, by=tree.cast.a_clerk, on=d(11, 12))
    hops = [(h.from_unit.code, h.to_unit.code, h.on) for h in handoffs.trail(LEDGER, case)]
    assert hops == [("A1C1", "A1", d(11, 10)), ("A1", "D1", d(11, 12))]
    assert fresh(case).unit == tree.cast.district
    assert [h.number for h in handoffs.trail(LEDGER, other)] == ["TOY-2026-002"]
    never = actions.register(
        unit=tree.community, by=tree.c_clerk, received_on=d(11, 2), subject="未移交"
    )
    assert handoffs.trail(LEDGER, never) == []


def test_a_hand_over_cannot_be_undone(tree: Tree) -> None:
    case = handed_case(tree)
    blocked = corrections.undo_blocked(LEDGER, case, list(case.events.all()), tree.cast.a_leader)
    assert blocked == "「移交上级单位」不能撤销"
    # A move that could be undone cannot be used to hand a record over.
    other = new_case(tree.cast)
    with pytest.raises(ValueError, match="cannot be undone"):
        handoffs.hand_over(
            LEDGER, other, "review", by=tree.cast.a_clerk, on=d(11, 5), to_unit=tree.cast.district
        )


def test_a_refused_hand_over_writes_nothing(tree: Tree) -> None:
    a = tree.cast.street_a
    case = actions.register(
        unit=tree.community, by=tree.c_clerk, received_on=d(11, 2), subject="编号相同"
    )
    # 街道 A already holds a record of that number (numbers are unique per unit only).
    new_case(tree.cast, number=case.number)
    with pytest.raises(ActionError) as taken:
        handoffs.hand_over(LEDGER, case, "hand_over", by=tree.c_clerk, on=d(11, 10), to_unit=a)
    assert taken.value.message == "东湖街道已有编号为「TOY-2026-001」的记录，请先更正本件编号再移交"
    with pytest.raises(ActionError, match="不能移交给本单位"):
        handoffs.hand_over(
            LEDGER, case, "hand_over", by=tree.c_clerk, on=d(11, 10), to_unit=tree.community
        )
    closed = new_case(tree.cast, number="TOY-X-1")
    closed.status = "closed"
    closed.save(update_fields=["status"])
    written_after = counts()
    with pytest.raises(ActionError):  # the table refuses the move from a closed status
        actions.hand_over(closed, by=tree.cast.a_clerk, on=d(11, 10))
    assert counts() == written_after
    assert Handoff.objects.count() == 0
    assert fresh(case).unit == tree.community
    assert list(CaseEvent.objects.filter(record=case).values_list("kind", flat=True)) == [
        "registered"
    ]


def test_the_unit_that_handed_it_reads_it_and_cannot_act(tree: Tree) -> None:
    case = handed_case(tree)
    c_clerk = tree.c_clerk
    # The door: the lower unit's lists and single-object lookups still find it.
    assert list(Case.objects.visible_to(c_clerk)) == [fresh(case)]
    assert get_for_user_or_404(Case.objects, c_clerk, pk=case.pk) == fresh(case)
    written = counts()
    refusals = [
        lambda: step(case, "ask", c_clerk, d(11, 11)),
        lambda: actions.hand_over(case, by=c_clerk, on=d(11, 11)),
        lambda: corrections.add_child(
            LEDGER, NOTES, case, by=c_clerk, fields={"noted_on": d(11, 11), "text": "越权"}
        ),
        lambda: corrections.remove_child(
            LEDGER, NOTES, Note.objects.get(record=case), by=c_clerk, reason="越权"
        ),
        lambda: corrections.correct(
            LEDGER, case, by=c_clerk, changes={"subject": "越权"}, reason="越权"
        ),
        lambda: corrections.void(LEDGER, case, by=c_clerk, reason="越权"),
    ]
    for refused in refusals:
        with pytest.raises(ActionError, match="未找到该记录"):
            refused()
    assert counts() == written
    # The receiving unit acts on it.
    step(case, "ask", tree.cast.a_clerk, d(11, 11))
    assert fresh(case).status == "waiting"


def test_pages_read_only_for_the_lower_unit_and_404_for_a_third(tree: Tree) -> None:
    case = handed_case(tree)
    detail = reverse("web:detail", args=["toy", case.pk])
    ask = reverse("web:move", args=["toy", case.pk, "ask"])
    lower = client_for(tree.c_clerk)
    page = lower.get(detail).content.decode()
    assert "TOY-2026-001" in page and "东湖街道" in page and "上门查看" in page
    assert 'class="moves"' not in page and 'name="notes-text"' not in page
    assert "TOY-2026-001" in lower.get(reverse("web:list", args=["toy"])).content.decode()
    written = counts()
    refused = lower.post(ask, {"on": "2026-11-11"}, follow=True)
    assert refused.status_code == 200 and "您没有" in refused.content.decode()
    assert counts() == written
    upper = client_for(tree.cast.a_clerk).get(detail).content.decode()
    assert 'class="moves"' in upper and 'name="notes-text"' in upper
    # 街道 B never held it: exactly like a missing record.
    outsider = client_for(tree.cast.b_clerk)
    assert outsider.get(detail).status_code == 404
    assert outsider.post(ask, {"on": "2026-11-11"}).status_code == 404
    assert "TOY-2026-001" not in outsider.get(reverse("web:list", args=["toy"])).content.decode()
    assert list(Case.objects.visible_to(tree.cast.b_clerk)) == []
    # The district's supervisor sees the subtree either way.
    assert client_for(tree.cast.supervisor).get(detail).status_code == 200
