"""A property-based fuzz of the API's whole OpenAPI schema (schemathesis): for every operation,
values drawn from its parameters' schemas, sent through the portal's own WSGI application (no
server), anonymously and with a coordinator's token. No answer may be a 5xx, and every answer
must match the schema (status, content type, body).

Deterministic (``derandomize``: the same examples every run) and modest: a few examples per
operation, over a small dataset with a record of every kind the endpoints list.
"""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from cluster_portal.wsgi import application
from strategy.models import Indicator
from tests.activities.factories import ActivityFactory
from tests.api.conftest import token_for
from tests.api.dataset import make_dataset
from tests.api.test_scoped import make_records
from tests.facilities.incident_factories import standard_lists

EXAMPLES_PER_OPERATION = 15
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def fuzz_world(world, settings):
    # The fuzz sends many requests from one address in a minute; throttling has its own test.
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {
        "DEFAULT_THROTTLE_RATES": {"api_anon": "100000/minute", "api_token": "100000/minute"}
    }
    # As Django's test client does: a request's start and end must not close the test's
    # connection, with its transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    standard_lists()
    make_dataset(world)
    # Rows of an activity under the dataset's strategy, which replaced any other.
    make_records(world, rows=2, activity=ActivityFactory(indicator=Indicator.objects.first()))
    yield world
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def coordinator_secret(fuzz_world) -> str:
    return token_for(fuzz_world.user("coordinator"))


def _portal_schema():
    """The schema the portal serves, read from its generator at collection (the pytest
    plugin's lazy fixture loading does not run under pytest 9), calling the WSGI app."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(document)))
    loaded.app = application
    return loaded


schema = _portal_schema()
FUZZ = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


@schema.parametrize()
@FUZZ
def test_anonymous_callers_get_no_5xx_and_answers_as_the_schema_says(case, fuzz_world):
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@FUZZ
def test_a_coordinators_token_gets_no_5xx_and_answers_as_the_schema_says(case, coordinator_secret):
    headers = {"Authorization": f"Bearer {coordinator_secret}"}
    case.call_and_validate(headers=headers, checks=CHECKS)
