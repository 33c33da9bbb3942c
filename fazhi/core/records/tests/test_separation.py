"""Separation of duties as rules in the transition table (DESIGN invariant 3): the reviewer is
not the person who submitted the case, an extension is not approved by whoever asked for it,
and an imported step counts as the importing clerk's own."""

from __future__ import annotations

from typing import Any

import pytest

from fazhi.core.records.clocks import events_of
from fazhi.core.records.tests.helpers import LEDGER, d, fresh, import_rows, new_case, row, step
from fazhi.core.records.tests.toy.models import Case, CaseEvent, Status
from fazhi.core.tenancy.access import access_for
from fazhi.core.tenancy.actions import add_user
from fazhi.core.workflow import ActionError, available_moves

pytestmark = pytest.mark.usefixtures("now")
OWN_CASE = "提交审核的人不能审核自己办理的案件"


def offered(case: Case, user: Any) -> set[str]:
    case = fresh(case)
    access = access_for(user)
    moves = available_moves(
        LEDGER.moves, case, events_of(case), user, can=lambda p: access.can(case.unit_id, p)
    )
    return {m.code for m in moves}


# (who submits, who reviews, allowed). a_both holds the clerk and the reviewer roles.
REVIEWS = [
    ("a_both", "a_both", False),
    ("a_reviewer", "a_reviewer", False),
    ("a_clerk", "a_both", True),
    ("a_both", "a_reviewer", True),
]


@pytest.mark.parametrize(("submitter", "reviewer", "allowed"), REVIEWS)
def test_the_submitter_cannot_review_their_own_case(
    cast: Any, clerk_reviewer: Any, submitter: str, reviewer: str, allowed: bool
) -> None:
    users = {"a_both": clerk_reviewer, "a_clerk": cast.a_clerk, "a_reviewer": cast.a_reviewer}
    case = step(new_case(cast), "submit", users[submitter], d(11, 5))
    assert ("review" in offered(case, users[reviewer])) is allowed
    assert ("send_back" in offered(case, users[reviewer])) is allowed
    if allowed:
        assert step(case, "review", users[reviewer], d(11, 6)).status == Status.CLOSED
        return
    with pytest.raises(ActionError) as refused:
        step(case, "review", users[reviewer], d(11, 6))
    assert refused.value.message == OWN_CASE
    assert fresh(case).status == Status.SUBMITTED


def test_sent_back_and_resubmitted_the_latest_submitter_counts(
    cast: Any, clerk_reviewer: Any
) -> None:
    case = step(new_case(cast), "submit", cast.a_clerk, d(11, 5))
    case = step(case, "send_back", clerk_reviewer, d(11, 6))
    case = step(case, "submit", clerk_reviewer, d(11, 9))  # now a_both handled it
    with pytest.raises(ActionError, match=OWN_CASE):
        step(case, "review", clerk_reviewer, d(11, 10))
    assert step(case, "review", cast.a_reviewer, d(11, 10)).status == Status.CLOSED


def test_an_imported_step_counts_as_the_importers(cast: Any, clerk_reviewer: Any) -> None:
    outcome = import_rows(cast, [row("IMP-1", 提交审核日期="2026-11-05")], by=clerk_reviewer)
    assert outcome.ok, outcome.errors
    case = Case.objects.get(number="IMP-1")
    submitted = CaseEvent.objects.get(record=case, kind="submitted")
    assert submitted.by is None and submitted.data["imported_by_id"] == clerk_reviewer.pk
    assert "review" not in offered(case, clerk_reviewer)
    with pytest.raises(ActionError, match=OWN_CASE):
        step(case, "review", clerk_reviewer, d(11, 6))
    assert step(case, "review", cast.a_reviewer, d(11, 6)).status == Status.CLOSED


def test_an_extension_is_not_approved_by_whoever_asked(cast: Any) -> None:
    second_leader = add_user(
        username="a_leader2",
        unit=cast.street_a,
        role="leader",
        password="x",
        by=None,
        check_password=False,
    )
    case = step(new_case(cast), "request_extension", cast.a_leader, d(11, 5), note="需调档")
    assert "extend" not in offered(case, cast.a_leader)
    with pytest.raises(ActionError, match="提请延期的人不能自行批准延期"):
        step(case, "extend", cast.a_leader, d(11, 6))
    with pytest.raises(ActionError, match="提请延期的人不能自行批准延期"):
        step(case, "refuse_extension", cast.a_leader, d(11, 6))
    step(case, "extend", second_leader, d(11, 6))
    assert fresh(case).handle_due_on == d(11, 23)


# (the case's handler, who submits, allowed)
HANDLERS = [
    (None, "a_reviewer", True),
    ("a_clerk", "a_clerk", True),
    ("a_clerk", "a_reviewer", False),
]


@pytest.mark.parametrize(("handler", "who", "allowed"), HANDLERS)
def test_only_the_assigned_handler_submits(
    cast: Any, handler: str | None, who: str, allowed: bool
) -> None:
    case = new_case(cast, handler=getattr(cast, handler) if handler else None)
    user = getattr(cast, who)
    assert ("submit" in offered(case, user)) is allowed
    if allowed:
        assert step(case, "submit", user, d(11, 5)).status == Status.SUBMITTED
    else:
        with pytest.raises(ActionError, match="只有本件的承办人可以办理此环节"):
            step(case, "submit", user, d(11, 5))
