"""API fuzzing with schemathesis against the OpenAPI schema, as a fund agent and as national staff:
no server error, every response matches the schema. Bounded: a few examples per operation.

The schema is generated inside the test (generating it may read the database), then each operation is fuzzed
with hypothesis; every failing operation is listed at the end.
"""


import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support.api_tokens import api_token_for

MAX_EXAMPLES = 12
# What the issue asks: no server error, and every response (status, type, body, headers) as the schema says.
# Anonymous refusal is checked route by route in the permission matrix.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]
FUZZ_SETTINGS = settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                         suppress_health_check=list(HealthCheck))

def fuzz_case(case, token: str) -> None:
    response = case.call(headers={"Authorization": f"Token {token}"})
    case.validate_response(response, checks=CHECKS)


def fuzz_api(token: str) -> list[str]:
    schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
    schema.app = get_wsgi_application()
    # as Django's test client does: a request must not close the test's database connection (PostgreSQL)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        return _fuzz_operations(schema, token)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _fuzz_operations(schema, token: str) -> list[str]:
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @FUZZ_SETTINGS
        @given(case=operation.as_strategy())
        def run(case):
            fuzz_case(case, token)

        try:
            run()
        except Exception as error:  # noqa: BLE001 (collect every failing operation, then fail once)
            failures.append(f"{operation.method.upper()} {operation.path} : {str(error)[:600]}")
    return failures


@pytest.fixture
def world(fund_a, fund_b, agent_a, agent_b, national):
    return {"agent": agent_a, "national": national}


@pytest.mark.parametrize("role", ["agent", "national"])
def test_api_has_no_server_error_and_matches_its_schema(world, role):
    failures = fuzz_api(api_token_for(world[role]))
    assert not failures, f"{len(failures)} opération(s) en échec :\n" + "\n\n".join(failures)
