"""申请人撤回: a move from every open state, counted in table 三 as （六）其他处理 3.其他,
undone only by the leader, carried by the export and the import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import Client

from fazhi.core.audit.models import AuditEvent
from fazhi.core.imports.writing import write_xlsx
from fazhi.core.workflow import ActionError
from fazhi.ledgers.disclosure import actions, annual
from fazhi.ledgers.disclosure.bulk import import_file
from fazhi.ledgers.disclosure.models import Application, EventKind, Outcome, Status
from fazhi.ledgers.disclosure.tests.importcase import base_row, xlsx_bytes

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(dt.datetime(2026, 6, 1, 10, tzinfo=dt.UTC), tick=False):
        yield


def _new(cast: Any, n: int = 1) -> Application:
    return actions.register(
        unit=cast.street_a,
        by=cast.a_clerk,
        received_on=D(2026, 5, 6),
        applicant_category="natural_person",
        applicant_name=f"李某{n}",
        content="本社区2025年低保发放名单",
    )


def _received(cast: Any) -> Application:
    return _new(cast)


def _consulting(cast: Any) -> Application:
    return actions.start_consultation(
        app=_new(cast), by=cast.a_clerk, on=D(2026, 5, 8), party_kind="third_party", party="某公司"
    )


def _awaiting_correction(cast: Any) -> Application:
    return actions.request_correction(
        app=_new(cast), by=cast.a_clerk, on=D(2026, 5, 8), items="请写明所需信息的名称"
    )


def _awaiting_fee(cast: Any) -> Application:
    return actions.issue_fee_notice(
        app=_new(cast), by=cast.a_clerk, on=D(2026, 5, 8), method="per_page", quantity=120
    )


STATES: list[tuple[str, Callable[[Any], Application]]] = [
    (Status.RECEIVED, _received),
    (Status.CONSULTING, _consulting),
    (Status.AWAITING_CORRECTION, _awaiting_correction),
    (Status.AWAITING_FEE, _awaiting_fee),
]


@pytest.mark.parametrize(("status", "make"), STATES, ids=[s for s, _ in STATES])
def test_withdrawal_ends_an_application_from_every_open_state(
    cast: Any, status: str, make: Callable[[Any], Application]
) -> None:
    app = make(cast)
    assert app.status == status
    app = actions.withdraw(app=app, by=cast.a_clerk, on=D(2026, 5, 12), how="written", note="书面")
    assert (app.status, app.outcome, app.replied_on) == (
        Status.CLOSED,
        Outcome.OTHER_3,
        D(2026, 5, 12),
    )
    step = app.events.get(kind=EventKind.WITHDRAWN)
    assert step.data["how"] == "written"
    assert step.data["_before"]["status"] == status
    assert AuditEvent.objects.filter(code="disclosure.application.withdrawn").count() == 1
    # Table 三: （六）其他处理 3.其他, and in the total.
    table = annual.table3(Application.objects.filter(unit=cast.street_a), 2026)
    assert table["other_3"]["natural_person"] == 1
    assert table["total"]["total"] == 1


def test_a_closed_application_cannot_be_withdrawn_and_the_method_is_required(cast: Any) -> None:
    app = _new(cast)
    with pytest.raises(ActionError, match="撤回的方式"):
        actions.withdraw(app=app, by=cast.a_clerk, on=D(2026, 5, 12), how="telepathy")
    assert Application.objects.get(pk=app.pk).status == Status.RECEIVED
    assert not app.events.filter(kind=EventKind.WITHDRAWN).exists()
    app = actions.withdraw(app=app, by=cast.a_clerk, on=D(2026, 5, 12), how="phone")
    with pytest.raises(ActionError):
        actions.withdraw(app=app, by=cast.a_clerk, on=D(2026, 5, 13), how="phone")
    with pytest.raises(ActionError):
        actions.withdraw(app=_new(cast, 2), by=cast.b_clerk, on=D(2026, 5, 13), how="phone")


def test_a_withdrawal_before_receipt_is_refused(cast: Any) -> None:
    app = _new(cast)
    with pytest.raises(ActionError):
        actions.withdraw(app=app, by=cast.a_clerk, on=D(2026, 5, 1), how="written")
    assert Application.objects.get(pk=app.pk).status == Status.RECEIVED


def test_only_the_leader_undoes_a_withdrawal_and_it_reopens_where_it_was(cast: Any) -> None:
    app = actions.withdraw(
        app=_awaiting_correction(cast), by=cast.a_clerk, on=D(2026, 5, 12), how="online"
    )
    with pytest.raises(ActionError):
        actions.undo(app=app, by=cast.a_clerk, reason="登记错了")
    app = actions.undo(app=app, by=cast.a_leader, reason="申请人撤回的是另一件")
    assert (app.status, app.outcome, app.replied_on) == (Status.AWAITING_CORRECTION, "", None)
    table = annual.table3(Application.objects.filter(unit=cast.street_a), 2026)
    assert table["total"]["total"] == 0


def test_the_export_says_withdrawn_and_imports_back_as_a_withdrawal(cast: Any) -> None:
    from fazhi.ledgers.disclosure.ui import UI

    actions.withdraw(app=_awaiting_fee(cast), by=cast.a_clerk, on=D(2026, 5, 20), how="written")
    replied = actions.reply(
        app=_new(cast, 2),
        by=cast.a_clerk,
        on=D(2026, 5, 20),
        outcome="other_3",
        reasons="申请人已通过其他途径获取",
    )
    headers, rows = UI.export(Application.objects.filter(unit=cast.street_a))
    exported = list(rows)
    column = headers.index("办理结果")
    by_number = {r[0]: r[column] for r in exported}
    assert sorted(by_number.values()) == ["其他", "申请人撤回"]
    assert by_number[replied.number] == "其他"

    result = import_file(
        unit=cast.street_b,
        by=cast.b_clerk,
        data=write_xlsx(headers, exported),
        filename="导出.xlsx",
    )
    assert result.ok, result.errors
    copied = Application.objects.get(unit=cast.street_b, events__kind=EventKind.WITHDRAWN)
    assert (copied.outcome, copied.replied_on) == (Outcome.OTHER_3, D(2026, 5, 20))
    # Re-importing the same file changes nothing (the withdrawal is part of the comparison).
    again = import_file(
        unit=cast.street_b,
        by=cast.b_clerk,
        data=write_xlsx(headers, exported),
        filename="导出.xlsx",
    )
    assert again.ok and again.created == 0 and again.unchanged == 2, again


def test_an_imported_withdrawal_row_is_a_withdraw_step(cast: Any) -> None:
    row = base_row(7, D(2026, 5, 6), 答复日期=D(2026, 5, 15), 办理结果="申请人撤回")
    result = import_file(
        unit=cast.street_a, by=cast.a_clerk, data=xlsx_bytes([row]), filename="x.xlsx"
    )
    assert result.ok, result.errors
    app = Application.objects.get(number="YSQ-2026-0007")
    assert app.outcome == Outcome.OTHER_3
    assert app.events.filter(kind=EventKind.WITHDRAWN, on=D(2026, 5, 15)).exists()
    assert not app.events.filter(kind=EventKind.REPLIED).exists()


def test_the_web_move_asks_to_confirm_and_records_the_method(cast: Any) -> None:
    app = _new(cast)
    client = Client()
    client.force_login(cast.a_clerk)
    url = f"/l/disclosure/{app.pk}/m/withdraw/"
    page = client.get(url).content.decode()
    assert "撤回方式" in page and "其他处理 3.其他" in page
    bad = client.post(url, {"on": "2026-05-12", "how": ""})
    assert bad.status_code == 200 and "撤回方式" in bad.content.decode()
    assert Application.objects.get(pk=app.pk).status == Status.RECEIVED
    done = client.post(url, {"on": "2026-05-12", "how": "in_person", "note": "当面签字"})
    assert done.status_code == 302
    detail = client.get(f"/l/disclosure/{app.pk}/").content.decode()
    assert "当面撤回并签字确认" in detail and "申请人撤回" in detail
    assert "<dt>办结日期</dt>" in detail and "<dt>答复日期</dt>" not in detail
