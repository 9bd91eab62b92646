"""The API's permission matrix: every endpoint of ``api_v1:`` and the token pages of
``api_tokens:``, for every role, GET and POST.

The API's callers show their token (``Authorization: Bearer``), made for each role; the
anonymous caller shows none. Every read endpoint answers everyone (each what the pages show
them: tests/api/test_endpoints.py), and refuses every write with a 405. A pending
organisation is not found by its public identifier, whoever asks. The token pages are the
signed-in person's: visitors get the login page, coordinators and administrators without
two-factor authentication a 403, and someone else's token is a 404.
"""

import pytest

from api import services
from locations.models import AdminLevel
from partners.models import OrganisationStatus
from tests.activities.factories import ReportFactory
from tests.api.conftest import token_for
from tests.factories import AdminAreaFactory, OrganisationFactory
from tests.matrix import LOGIN, Row, check, every_role, params
from tests.strategy.conftest import make_cycle

READ = every_role(200)
NO_WRITES = every_role(405)
# The token's scope: a token needed; another organisation's report is not found.
TOKEN = every_role(200, anonymous=401)
TOKEN_NO_WRITES = every_role(405, anonymous=401)
MEMBERS_MAKE_TOKENS = every_role(200, anonymous=LOGIN, coordinator=403, site_admin=403)
OWNER_ONLY = every_role(404, anonymous=LOGIN, staff=200)


def _approved(world) -> dict:
    return {"public_id": world.org_b.public_id}


def _pending(world) -> dict:
    return {"public_id": world.pending.public_id}


def _below_admin1(world) -> dict:
    return {"area": world.district.pcode}


def _alphas_report(world) -> dict:
    return {"pk": world.report.pk}


def _staffs_token(world) -> dict:
    return {"pk": world.token.pk}


API_MATRIX = [
    Row("api_v1:organisations", READ),
    Row("api_v1:organisation", READ, kwargs=_approved),
    Row("api_v1:organisation", every_role(404), kwargs=_pending, note="pending"),
    Row("api_v1:areas", READ),
    Row("api_v1:strategy", READ),
    Row("api_v1:meetings", READ),
    Row("api_v1:bulletins", READ),
    Row("api_v1:assessments", READ),
    # Open data: everyone reads, each what the dashboard shows them; the public's refused
    # filters are a 400 for the public only.
    Row("api_v1:figures", READ),
    Row("api_v1:figures", every_role(200, anonymous=400), data=_below_admin1, note="admin2"),
    Row("api_v1:hdx", READ),
    Row("api_v1:hdx-presence", READ),
    Row("api_v1:reports", TOKEN),
    Row("api_v1:report", every_role(200, anonymous=401, other_member=404), kwargs=_alphas_report),
    Row("api_v1:rows", TOKEN),
    Row("api_v1:rows_export", TOKEN),
    Row("api_v1:facilities", READ),
    Row("api_v1:projects", TOKEN),
    Row("api_v1:incidents", TOKEN),
    Row("api_v1:incident_counts", READ),
    Row("api_v1:schema", READ),
    Row("api_v1:docs", READ),
]
API_MATRIX += [
    Row(row.name, NO_WRITES, kwargs=row.kwargs, method="post", note=row.note)
    for row in API_MATRIX
    if row.expected == READ
]
API_MATRIX += [
    Row(row.name, TOKEN_NO_WRITES, kwargs=row.kwargs, method="post", note=row.note)
    for row in API_MATRIX
    if row.method == "get" and row.expected.get("anonymous") == 401
]

PAGE_MATRIX = [
    Row("api_tokens:create", MEMBERS_MAKE_TOKENS),
    Row(
        "api_tokens:create",
        MEMBERS_MAKE_TOKENS,
        method="post",
        data=lambda w: {"name": "Power BI", "lifetime_days": "30"},
    ),
    Row("api_tokens:revoke", OWNER_ONLY, kwargs=_staffs_token),
    Row(
        "api_tokens:revoke",
        every_role(404, anonymous=LOGIN, staff=302),
        kwargs=_staffs_token,
        method="post",
    ),
]

MATRIX = API_MATRIX + PAGE_MATRIX


def add_matrix_records(world):
    """What the rows point at: a pending organisation, Sam's token, a current strategy, an
    admin2 area, a report of Alpha (Sam's and Alice's organisation, not Olga's)."""
    world.pending = OrganisationFactory(status=OrganisationStatus.PENDING)
    world.district = AdminAreaFactory(level=AdminLevel.ADMIN2, parent=world.area)
    world.token = services.token_create(user=world.user("staff"), name="Power BI").token
    make_cycle(2026, 2027, current=True, size=1)
    world.report = ReportFactory(organisation=world.org_a)
    return world


@pytest.fixture
def matrix_world(world):
    return add_matrix_records(world)


@pytest.mark.parametrize(("row", "role"), params(API_MATRIX), ids=str)
def test_api_permissions(row, role, matrix_world, api):
    user = matrix_world.user(role)
    client = api.as_(token_for(user) if user is not None else None)
    query = row.data(matrix_world) if row.data and row.method == "get" else None
    response = getattr(client, row.method)(row.url(matrix_world), query)
    expected = row.expected[role]
    assert response.status_code == expected, (
        f"{row} as {role}: got {response.status_code}, expected {expected}"
    )


@pytest.mark.parametrize(("row", "role"), params(PAGE_MATRIX), ids=str)
def test_token_page_permissions(row, role, matrix_world, login):
    check(row, role, matrix_world, login)
