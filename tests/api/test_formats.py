"""``?format=csv`` on every tabular endpoint: the records of the JSON (all of them, not a
page), a header row and an HXL hashtag row, formulas neutralised, a fixed number of queries
however many rows; and the open-data endpoints' conditional requests and CORS, as every
public endpoint's."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.dataset import make_dataset, make_rows
from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("every_figure_public")]

# Each list, the HXL tags its CSV starts with, and how its JSON counts the file's lines.
TABLES = {
    "/api/v1/organisations/": ["#org+id", "#org+name+i_en", "#org+name+i_ar", "#org+acronym"],
    "/api/v1/areas/": ["#loc+code", "#loc+name+i_en", "#loc+name+i_ar", "#loc+level"],
    "/api/v1/meetings/": ["#meta+id", "#event+name+i_en", "#event+name+i_ar", "#event+type"],
    "/api/v1/bulletins/": ["#meta+id", "#date+start", "#date+end", "#meta+lang"],
    "/api/v1/assessments/": ["#assessment+id", "#assessment+name+i_en"],
    "/api/v1/figures/": ["#adm1+code", "#adm1+name", "#date+month", "#indicator+code"],
    "/api/v1/hdx/presence/": ["#date+month", "#adm1+code", "#adm1+name", "#org+id"],
}


def _csv(api, url: str) -> list[list[str]]:
    response = api.get(url, {"format": "csv"})
    assert response.status_code == 200, url
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _json_lines(api, url: str) -> int:
    """How many lines the CSV should have: every result (a bulletin's line per edition)."""
    body, results = api.get(url).json(), []
    while True:
        if isinstance(body, list):
            return len(body)
        results += body["results"]
        if not body.get("next"):
            break
        body = api.get(body["next"]).json()
    if url.endswith("/bulletins/"):
        return sum(len(bulletin["editions"]) for bulletin in results)
    return len(results)


@pytest.mark.parametrize("url", list(TABLES))
def test_every_table_answers_csv_with_hxl_tags_and_every_record(world, api, url):
    make_dataset(world, rows=3)
    lines = _csv(api, url)
    header, tags, body = lines[0], lines[1], lines[2:]
    assert tags[: len(TABLES[url])] == TABLES[url]
    assert len(header) == len(tags)
    assert all(tag.startswith("#") for tag in tags)
    assert len(body) == _json_lines(api, url)


def test_organisations_csv_are_the_jsons_in_its_order_past_the_first_page(world, api):
    make_dataset(world, rows=1)
    for number in range(55):
        OrganisationFactory(name_en=f"Partner {number:02d}").areas.add(world.area)
    lines = _csv(api, "/api/v1/organisations/")[2:]
    assert len(lines) > 50  # more than a page of the JSON
    first_page = api.get("/api/v1/organisations/").json()["results"]
    assert [line[0] for line in lines[:50]] == [row["id"] for row in first_page]


def test_a_formula_typed_as_a_name_is_text_in_the_csv(world, api):
    OrganisationFactory(name_en='=HYPERLINK("http://evil.example","x")', acronym="@SUM")
    lines = _csv(api, "/api/v1/organisations/")
    names = {line[1] for line in lines[2:]}
    assert '\'=HYPERLINK("http://evil.example","x")' in names
    assert "'@SUM" in {line[3] for line in lines[2:]}


def test_a_bad_filter_asked_as_csv_is_a_json_400(world, api):
    response = api.get("/api/v1/assessments/", {"format": "csv", "date_from": "yesterday"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["fields"] == {"date_from": ["Enter a valid date."]}


def _queries(api, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        b"".join(api.get(url, {"format": "csv"}).streaming_content)
    return len(context.captured_queries)


@pytest.mark.parametrize("url", [url for url in TABLES if "figures" not in url])
def test_csv_queries_do_not_grow_with_the_rows(world, api, url):
    make_dataset(world, rows=2)
    small = _queries(api, url)
    make_rows(world, rows=3)
    assert _queries(api, url) == small


OPEN_DATA = ["/api/v1/figures/", "/api/v1/hdx/", "/api/v1/hdx/presence/"]
OPEN_DATA += ["/api/v1/figures/?format=csv", "/api/v1/hdx/presence/?format=csv"]


@pytest.mark.parametrize("url", OPEN_DATA)
def test_the_open_data_is_answered_304_when_unchanged(world, api, url, django_assert_num_queries):
    make_dataset(world, rows=1)
    first = api.get(url)
    assert first.status_code == 200
    assert first["Access-Control-Allow-Origin"] == "*"
    with django_assert_num_queries(0):
        again = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]


def test_the_csv_and_the_json_have_their_own_etags(world, api):
    make_dataset(world, rows=1)
    as_json = api.get("/api/v1/figures/")
    as_csv = api.get("/api/v1/figures/?format=csv", HTTP_IF_NONE_MATCH=as_json["ETag"])
    assert as_csv.status_code == 200
    assert as_csv["ETag"] != as_json["ETag"]
