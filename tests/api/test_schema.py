"""The OpenAPI 3 schema validates (drf-spectacular's validation against the OpenAPI 3
specification), describes every endpoint and the token, and the documentation page points
at it with no asset from another host."""

import pytest
import yaml
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "/api/v1/organisations/",
    "/api/v1/organisations/{public_id}/",
    "/api/v1/areas/",
    "/api/v1/strategy/",
    "/api/v1/meetings/",
    "/api/v1/bulletins/",
    "/api/v1/assessments/",
    "/api/v1/figures/",
    "/api/v1/hdx/",
    "/api/v1/hdx/presence/",
    "/api/v1/facilities/",
    "/api/v1/incidents/counts/",
}
# The lists that also answer ``?format=csv`` (HXL), which the schema says.
CSV_LISTS = {
    "/api/v1/organisations/",
    "/api/v1/areas/",
    "/api/v1/meetings/",
    "/api/v1/bulletins/",
    "/api/v1/assessments/",
    "/api/v1/figures/",
    "/api/v1/hdx/presence/",
}
# Only with a token: the caller's own scope.
TOKEN_ENDPOINTS = {
    "/api/v1/reports/",
    "/api/v1/reports/{id}/",
    "/api/v1/rows/",
    "/api/v1/rows/export/",
    "/api/v1/projects/",
    "/api/v1/incidents/",
}


def test_the_schema_validates_and_lists_every_endpoint():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)  # raises on any departure from the OpenAPI 3 specification
    assert set(schema["paths"]) == ENDPOINTS | TOKEN_ENDPOINTS
    assert schema["components"]["securitySchemes"]["personalToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A personal API token (hcp_…) made on the profile page.",
    }
    # Anonymous callers allowed: the token is optional on every operation.
    for path in ENDPOINTS:
        assert {} in schema["paths"][path]["get"]["security"]
    for path in TOKEN_ENDPOINTS:
        assert schema["paths"][path]["get"]["security"] == [{"personalToken": []}]


def test_the_served_schema_is_the_same_document(api):
    served = api.get("/api/v1/schema/")
    assert served.status_code == 200
    assert served["Access-Control-Allow-Origin"] == "*"
    # The token-only endpoints are documented to everyone, to read before making a token.
    assert set(yaml.safe_load(served.content)["paths"]) == ENDPOINTS | TOKEN_ENDPOINTS
    as_json = api.get("/api/v1/schema/?format=json").json()
    assert set(as_json["paths"]) == ENDPOINTS | TOKEN_ENDPOINTS


def test_the_schema_is_written_in_the_portals_languages_only(api):
    arabic = api.get("/api/v1/schema/?format=json&lang=ar")
    assert arabic.status_code == 200
    refused = api.get("/api/v1/schema/?format=json&lang=" + "x" * 1000)
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {"lang": ["Choose one of: en, ar."]}


def test_the_area_list_documents_its_filters_and_include(api):
    parameters = api.get("/api/v1/schema/?format=json").json()["paths"]["/api/v1/areas/"]
    names = {parameter["name"] for parameter in parameters["get"]["parameters"]}
    assert names == {"cursor", "page_size", "level", "parent", "include", "format"}


def test_the_csv_format_is_documented_on_every_table(api):
    paths = api.get("/api/v1/schema/?format=json").json()["paths"]
    for path in CSV_LISTS:
        parameters = {p["name"]: p for p in paths[path]["get"]["parameters"]}
        assert parameters["format"]["schema"]["enum"] == ["csv", "json"], path
        assert "text/csv" in paths[path]["get"]["responses"]["200"]["content"], path
    hdx = {p["name"] for p in paths["/api/v1/hdx/"]["get"]["parameters"]}
    assert hdx == {"first_month", "last_month"}


def test_the_documentation_page_loads_its_viewer_from_the_portal(client):
    page = client.get("/api/v1/docs/")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js" defer>' in html
    assert 'data-schema-url="/api/v1/schema/?format=json"' in html
    assert "http://testserver/api/v1/organisations/" in html  # the Python example
    assert "Web.Contents(url, [Headers = [Authorization" in html  # the Power Query example
    assert "unsafe-inline" not in page["Content-Security-Policy"]
