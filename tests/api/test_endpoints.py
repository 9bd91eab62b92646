"""Each endpoint answers what its public page shows, through the page's own selector: the
same records in the same order, and nothing the page would not show (a pending or rejected
organisation, a members' meeting, a draft bulletin, a restricted or draft assessment), with
a fixed number of queries however many rows there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.api.conftest import token_for
from tests.api.dataset import SQUARE, make_dataset, make_rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("every_figure_public")]


def _all(api, url: str) -> list[dict]:
    """Every result of a list, following ``next``."""
    results = []
    while url:
        body = api.get(url).json()
        results += body["results"]
        url = body["next"]
    return results


def _page_context(client, name: str, key: str, user=None):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(reverse(name)).context[key]


def test_organisations_are_the_directorys_in_its_order(world, api, client):
    data = make_dataset(world, rows=2)
    listed = _all(api, "/api/v1/organisations/")
    page = _page_context(client, "partners:list", "organisations")
    assert [row["id"] for row in listed] == [str(o.public_id) for o in page]
    names = {row["name_en"] for row in listed}
    assert data.pending.name_en not in names
    assert data.rejected.name_en not in names
    alpha = next(row for row in listed if row["name_en"] == "Alpha Health")
    assert alpha == {
        "id": str(world.org_a.public_id),
        "name_en": "Alpha Health",
        "name_ar": "",
        "acronym": "AH",
        "type": "nngo",
        "website": "",
        "areas": ["ZZ01"],
        "logo_url": None,
        "url": f"http://testserver/en/partners/{world.org_a.pk}/",
    }


def test_organisations_take_the_directorys_filters(world, api):
    make_dataset(world)
    listed = _all(api, "/api/v1/organisations/?q=beta")
    assert [row["acronym"] for row in listed] == ["BR"]
    response = api.get("/api/v1/organisations/?type=spaceship")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["type"]


def test_an_organisation_is_found_by_its_public_id_and_a_pending_one_is_not(world, api):
    data = make_dataset(world)
    found = api.get(f"/api/v1/organisations/{world.org_b.public_id}/")
    assert found.json()["acronym"] == "BR"
    missing = api.get(f"/api/v1/organisations/{data.pending.public_id}/")
    assert missing.status_code == 404
    assert missing.json()["error"] == {
        "status": 404,
        "code": "not_found",
        "message": "Nothing was found at this address.",
    }


def test_the_public_id_survives_a_change_of_name(world, api):
    before = world.org_a.public_id
    world.org_a.name_en = "Alpha Health International"
    world.org_a.save()
    world.org_a.refresh_from_db()
    assert world.org_a.public_id == before


def test_areas_come_in_tree_order_with_their_parents_pcode(world, api):
    data = make_dataset(world)
    listed = _all(api, "/api/v1/areas/")
    assert [row["pcode"] for row in listed] == ["ZZ", "ZZ01", data.district.pcode]
    assert listed[0]["parent_pcode"] is None
    assert listed[2] == {
        "pcode": data.district.pcode,
        "name_en": data.district.name_en,
        "name_ar": data.district.name_ar,
        "level": 2,
        "parent_pcode": "ZZ01",
    }
    with_boundary = _all(api, "/api/v1/areas/?include=boundary&level=2")
    assert [row["boundary"] for row in with_boundary] == [SQUARE]
    assert _all(api, "/api/v1/areas/?parent=ZZ01") == [listed[2]]


def test_the_area_list_pages_by_cursor(world, api):
    make_dataset(world, rows=3)
    first = api.get("/api/v1/areas/?page_size=2").json()
    assert len(first["results"]) == 2
    assert "cursor=" in first["next"]
    assert len(_all(api, "/api/v1/areas/?page_size=2")) == 2 + 3


def test_the_strategy_is_the_current_cycle_with_its_indicators(world, api):
    make_dataset(world)
    strategy = api.get("/api/v1/strategy/").json()
    assert (strategy["start_year"], strategy["end_year"]) == (2026, 2027)
    assert [p["number"] for p in strategy["priorities"]] == [1, 2]
    first = strategy["objectives"][0]
    assert (first["code"], first["priority"]) == ("SO1", 1)
    assert first["indicators"][1] | {"domains": []} == {
        "code": "1.2",
        "name_en": "Indicator 1.2 of 2026",
        "name_ar": "المؤشر 1.2",
        "kind": "people_once",
        "unit": "people",
        "unit_label_en": "",
        "unit_label_ar": "",
        "baseline": "2000.00",
        "target": "5000.00",
        "direction": "increase",
        "domains": [],
        # No activity feeds it: measured, no data, nothing withheld.
        "progress": {
            "value": None,
            "numerator": None,
            "denominator": None,
            "as_of": None,
            "percent": None,
            "status": None,
            "measured": True,
            "withheld": "",
        },
    }


def test_without_a_current_strategy_the_answer_is_a_404(world, api):
    assert api.get("/api/v1/strategy/").status_code == 404


def test_meetings_are_the_public_ones_and_members_see_theirs(world, api, client):
    data = make_dataset(world)
    public = _all(api, "/api/v1/meetings/")
    titles = {row["title_en"] for row in public}
    assert data.members_meeting.title_en not in titles
    page = _page_context(client, "meetings:list", "upcoming")
    past = _page_context(client, "meetings:list", "past")
    assert titles == {m.title_en for m in [*page, *past]}
    member = _all(api.as_(token_for(world.user("staff"))), "/api/v1/meetings/")
    assert data.members_meeting.title_en in {row["title_en"] for row in member}


def test_bulletins_are_the_archives_with_their_pdfs(world, api, client):
    data = make_dataset(world, rows=2)
    listed = _all(api, "/api/v1/bulletins/")
    listings = _page_context(client, "bulletins:archive", "listings")
    assert [row["number"] for row in listed] == [listing.bulletin.number for listing in listings]
    assert data.draft_bulletin.number not in [row["number"] for row in listed]
    edition = listed[0]["editions"][0]
    number = listed[0]["number"]
    assert edition["pdf_url"] == f"http://testserver/en/bulletins/{number}/en/pdf/"
    assert [v["pdf_url"] for v in edition["versions"]] == [
        f"http://testserver/en/bulletins/{number}/en/v1/pdf/"
    ]


def test_assessments_are_the_registrys_for_each_caller(world, api, client):
    data = make_dataset(world, rows=2)
    public = _all(api, "/api/v1/assessments/")
    page = _page_context(client, "assessments:list", "assessments")
    assert [row["id"] for row in public] == [a.pk for a in page]
    assert data.restricted.pk not in [row["id"] for row in public]
    assert data.draft.pk not in [row["id"] for row in public]
    member = _all(api.as_(token_for(world.user("staff"))), "/api/v1/assessments/")
    member_page = _page_context(client, "assessments:list", "assessments", world.user("staff"))
    assert [row["id"] for row in member] == [a.pk for a in member_page]
    assert data.restricted.pk in [row["id"] for row in member]
    assert data.draft.pk not in [row["id"] for row in member]


def test_assessments_take_the_registrys_filters(world, api):
    data = make_dataset(world)
    severe = _all(api, "/api/v1/assessments/?min_severity=4")
    assert len(severe) == 1
    assert severe[0]["highest_severity"] == 4
    in_district = _all(api, f"/api/v1/assessments/?area={data.district.pcode}")
    assert [row["id"] for row in in_district] == [row["id"] for row in severe]


LISTS = [
    "/api/v1/organisations/",
    "/api/v1/areas/",
    "/api/v1/areas/?include=boundary",
    "/api/v1/strategy/",
    "/api/v1/meetings/",
    "/api/v1/bulletins/",
    "/api/v1/assessments/",
]


def _queries(api, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert api.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    ("url", "expected"),
    list(
        zip(
            LISTS,
            # count and rows, plus one a prefetch: areas (organisations); boundaries joined;
            # the cycle's priorities, approaches, objectives, indicators and their domains,
            # and the strategy page's progress (the indicators in order, the catalogue's
            # indicators and their activities: no figure query, as no activity feeds them);
            # editions with their versions; participants and areas.
            [3, 1, 1, 9, 2, 4, 4],
            strict=True,
        )
    ),
)
def test_queries_do_not_grow_with_the_rows(world, api, url, expected):
    make_dataset(world, rows=2)
    small = _queries(api, url)
    make_rows(world, rows=3)
    assert (small, _queries(api, url)) == (expected, expected)
