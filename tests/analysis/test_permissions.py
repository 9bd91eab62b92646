"""Who may open each dashboard page, file and chart; and what the public never gets.

Everyone reads the overview, the areas and the people reached (admin1 for the public, admin2
and organisations for members). Members of approved organisations and coordinators get the
presence matrix and the figures by organisation; coordinators the gaps and the overlaps.
"""

import pytest
from django.urls import reverse

from partners.models import OrganisationStatus
from tests.analysis.dataset import APR, JAN
from tests.factories import MembershipFactory, OrganisationFactory
from tests.matrix import LOGIN, Row, check, every_role, params

MEMBERS = every_role(200, anonymous=LOGIN)
COORDINATORS = every_role(403, anonymous=LOGIN, coordinator=200, site_admin=200)
PUBLIC_TABLES = (
    "indicators",
    "months",
    "areas",
    "severity",
    "sex-age",
    "funding-areas",
    "coverage",
)
CHARTS = ("months", "indicators", "areas", "sex-age")


def _csv(table: str, expected: dict) -> Row:
    return Row("analysis:csv", expected, kwargs=lambda w: {"table": table}, note=table)


def _chart(name: str, expected: dict) -> Row:
    return Row("analysis:chart", expected, kwargs=lambda w: {"name": name}, note=name)


MATRIX = [
    Row("analysis:overview", every_role(200)),
    Row("analysis:areas", every_role(200)),
    Row("analysis:people", every_role(200)),
    Row("analysis:presence", MEMBERS),
    Row("analysis:gaps", COORDINATORS),
    Row("analysis:overlaps", COORDINATORS),
    Row("analysis:facilities", every_role(200)),
    Row("analysis:attacks", every_role(200)),
    Row("analysis:funding", every_role(200)),
    Row("analysis:coverage", every_role(200)),
    *(_csv(table, every_role(200)) for table in PUBLIC_TABLES),
    _csv("organisations", MEMBERS),
    _csv("presence", MEMBERS),
    _csv("funding-types", MEMBERS),
    _csv("funding-objectives", MEMBERS),
    _csv("gaps", COORDINATORS),
    _csv("overlaps", COORDINATORS),
    _csv("unknown", every_role(404)),
    *(_chart(name, every_role(200)) for name in CHARTS),
    _chart("unknown", every_role(404)),
    Row("analysis:overview", every_role(405), method="post", note="read only"),
    Row("analysis:areas", every_role(405), method="post", note="read only"),
    Row("analysis:people", every_role(405), method="post", note="read only"),
    Row("analysis:facilities", every_role(405), method="post", note="read only"),
    Row("analysis:attacks", every_role(405), method="post", note="read only"),
    Row("analysis:funding", every_role(405), method="post", note="read only"),
    Row("analysis:coverage", every_role(405), method="post", note="read only"),
    Row("analysis:presence", every_role(405, anonymous=LOGIN), method="post", note="read only"),
    Row(
        "analysis:gaps",
        every_role(403, anonymous=LOGIN, coordinator=405, site_admin=405),
        method="post",
        note="read only",
    ),
    Row(
        "analysis:csv",
        every_role(405),
        kwargs=lambda w: {"table": "areas"},
        method="post",
        note="read only",
    ),
    Row(
        "analysis:csv",
        every_role(405),
        kwargs=lambda w: {"table": "coverage"},
        method="post",
        note="read only",
    ),
    Row(
        "analysis:chart",
        every_role(405),
        kwargs=lambda w: {"name": "months"},
        method="post",
        note="read only",
    ),
]


@pytest.mark.parametrize(("row", "role"), params(MATRIX), ids=str)
def test_permissions(row, role, world, login):
    check(row, role, world, login)


# What only members may see, in the dataset of tests/analysis/dataset.py: admin2 areas and
# the organisations' names.
MEMBERS_ONLY = ("ZZ101", "ZZ102", "ZZ201", "North One", "North Two", "Alpha Health", "Beta Relief")
RANGE = {"first_month": f"{JAN:%Y-%m}", "last_month": f"{APR:%Y-%m}"}


def _public_urls() -> list[str]:
    names = ("overview", "areas", "people", "funding", "coverage")
    urls = [reverse(f"analysis:{name}") for name in names]
    urls += [reverse("analysis:csv", args=[table]) for table in PUBLIC_TABLES]
    return urls


def _body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def _areas_table(page: str) -> str:
    """The table of figures by area, without the area filter's list of every area above it."""
    start = page.index('id="areas-table"')
    return page[start : page.index("</table>", start)]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_public_never_gets_admin2_areas_or_organisations(data, client, language):
    for url in _public_urls():
        url = url.replace("/en/", f"/{language}/", 1)
        response = client.get(url, RANGE)
        assert response.status_code == 200, url
        body = _body(response)
        leaked = [word for word in MEMBERS_ONLY if word in body]
        assert not leaked, f"{url} shows {leaked}"
    # Not even when asked for by the id of an admin2 area.
    response = client.get(reverse("analysis:areas"), {**RANGE, "area": data.n1.pk})
    assert "ZZ101" not in response.content.decode().split('id="filter-errors"')[1]


@pytest.mark.django_db
def test_a_member_of_an_organisation_not_yet_approved_is_the_public(data, client):
    pending = OrganisationFactory(status=OrganisationStatus.PENDING)
    client.force_login(MembershipFactory(organisation=pending).user)
    for url in _public_urls():
        body = _body(client.get(url, RANGE))
        assert not [word for word in MEMBERS_ONLY if word in body], url
    assert client.get(reverse("analysis:presence")).status_code == 403
    assert client.get(reverse("analysis:csv", args=["organisations"])).status_code == 403


@pytest.mark.django_db
def test_members_do_get_them(data, client):
    client.force_login(MembershipFactory(organisation=data.org_b).user)
    body = _areas_table(_body(client.get(reverse("analysis:areas"), RANGE)))
    assert "ZZ101" in body
    assert "North One" in body
    body = _body(client.get(reverse("analysis:csv", args=["organisations"]), RANGE))
    assert "Alpha Health" in body
    assert "Beta Relief" in body
