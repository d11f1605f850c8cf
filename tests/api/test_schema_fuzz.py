"""schemathesis against the API's own OpenAPI schema, in-process (WSGI), with a real token of the
cast's owner: no 500s, and every answer — status code, content type, body — is one the schema
declares. Bounded: a few examples an operation, so it takes seconds (docs/decisions/0051)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.endpoints import api
from isa_portal.wsgi import application
from tests.factories import LegalGatewayFactory
from tests.fuzzing import fuzz_settings

from .helpers import bearer, issue

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 15
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(autouse=True)
def connection_kept():
    """The test's database connection kept open across the WSGI requests, as Django's test
    client keeps it: at the end of each request Django closes a connection found inside a
    transaction (on PostgreSQL, the test's own), which would end the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def secret(roles):
    roles.agreement.gateways.add(LegalGatewayFactory(art6=True))
    roles.disclosure  # noqa: B018 (an entry to read, made on first use)
    return issue(roles.owner, roles.governance_manager)[1]


# The schema as /api/schema/ serves it (tests/api/test_docs.py proves they are the same), read
# without a request at import; the requests go to the WSGI application in this process.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = application
# Hypothesis's examples only: schemathesis's coverage phase (every boundary of every field, some
# hundreds of requests, 20 seconds here) passes too, but is left to a run by hand:
# schema.config.phases.coverage.enabled = True
schema.config.phases.coverage.enabled = False


@schema.parametrize()
@fuzz_settings(MAX_EXAMPLES)  # derandomised, as every fuzz test here: the same examples each run
def test_the_api_answers_every_request_as_its_schema_says(case, secret):
    headers = {"Authorization": bearer(secret)["HTTP_AUTHORIZATION"]}

    case.call_and_validate(headers=headers, checks=CHECKS)
