"""The schema fuzzed (issue 10): schemathesis generates requests for every operation from the
OpenAPI document — valid ones and, for the bodies and queries, invalid ones — and each answer
must be no 5xx, a status the schema documents, JSON, and match its documented schema.

A bounded number of examples per operation keeps this well under a minute; `make fuzz` is
where long runs belong. Requests go through the real Django stack (WSGI), inside the test's
transaction, with a write token of 街道 A; half of the generated paths name unit A1 so the
upsert's create and update paths run (with a date the ledger accepts, in valid bodies), the rest
name whatever the generator chose."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from fazhi.core.api import tokens

EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _operations() -> list[Any]:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
    return [result.ok() for result in schema.get_all_operations()]


@pytest.fixture
def _keep_the_test_connection() -> Iterator[None]:
    """The raw WSGI handler closes "old" connections at each request's start and end, which
    inside the test's transaction closes it (PostgreSQL). Django's test client disconnects the
    same receivers for the same reason."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def operations(django_db_blocker: Any) -> list[Any]:
    with django_db_blocker.unblock():
        return _operations()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.usefixtures("_keep_the_test_connection")
def test_no_operation_answers_5xx_or_off_schema(
    cast: Any, operations: list[Any], mode: GenerationMode
) -> None:
    secret = tokens.issue_token(unit=cast.street_a, name="fuzz", scope="write", by=None).secret
    headers = {"Authorization": f"Bearer {secret}"}
    assert {op.label for op in operations} >= {
        "GET /api/v1/toy",
        "GET /api/v1/toy/{unit}/{number}",
        "PUT /api/v1/toy/{unit}/{number}",
        "GET /api/v1/petitions",
    }
    checks = [*CHECKS, negative_data_rejection] if mode is GenerationMode.NEGATIVE else CHECKS
    statuses: dict[str, set[int]] = {}

    def fuzz(operation: Any) -> None:
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode), own_unit=st.booleans())
        def run(case: Any, own_unit: bool) -> None:
            if own_unit and case.path_parameters and "unit" in case.path_parameters:
                case.path_parameters["unit"] = "A1"
                # A random date is nearly always outside 2000…today and refused; a valid
                # one lets generated bodies reach the ledger's own validation and the write.
                if mode is GenerationMode.POSITIVE and isinstance(case.body, dict):
                    case.body["received_on"] = "2026-11-02"
            response = case.call_and_validate(headers=headers, checks=checks)
            statuses.setdefault(operation.label, set()).add(response.status_code)

        run()

    for operation in operations:
        fuzz(operation)
    # The fuzz reached past the door: the upsert created and refused, lists answered.
    if mode is GenerationMode.POSITIVE:
        assert 200 in statuses["GET /api/v1/toy"]
        assert {201, 422} <= statuses["PUT /api/v1/toy/{unit}/{number}"]
    else:
        assert 422 in statuses["GET /api/v1/toy"]
