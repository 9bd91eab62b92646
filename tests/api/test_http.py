"""The API's HTTP manners: conditional requests answered 304, throttling answered 429 with
Retry-After, CORS headers on the public endpoints only, and errors that say what is wrong."""

import pytest
from django.urls import reverse

from tests.api.conftest import token_for
from tests.meetings.conftest import MeetingFactory

pytestmark = pytest.mark.django_db

MEETINGS = "/api/v1/meetings/"


def test_an_unchanged_list_is_answered_304_without_a_body(world, api, django_assert_num_queries):
    MeetingFactory()
    first = api.get(MEETINGS)
    assert first.status_code == 200
    etag, last_modified = first["ETag"], first["Last-Modified"]
    with django_assert_num_queries(0):
        again = api.get(MEETINGS, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert api.get(MEETINGS, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304


def test_a_change_to_the_data_changes_the_etag(world, api):
    meeting = MeetingFactory()
    etag = api.get(MEETINGS)["ETag"]
    meeting.title_en = "Moved"
    meeting.save()
    changed = api.get(MEETINGS, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed.json()["results"][0]["title_en"] == "Moved"
    assert changed["ETag"] != etag


def test_a_members_answer_has_another_etag_than_the_publics(world, api):
    MeetingFactory(is_members_only=True)
    public = api.get(MEETINGS)
    member = api.as_(token_for(world.user("staff"))).get(
        MEETINGS, HTTP_IF_NONE_MATCH=public["ETag"]
    )
    assert member.status_code == 200
    assert member.json()["count"] == 1
    assert "Authorization" in member["Vary"]


def test_anonymous_callers_are_throttled_per_address_with_retry_after(world, api, settings):
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {
        "DEFAULT_THROTTLE_RATES": {"api_anon": "3/minute", "api_token": "5/minute"}
    }
    answers = [api.get(MEETINGS, REMOTE_ADDR="203.0.113.5").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    throttled = api.get(MEETINGS, REMOTE_ADDR="203.0.113.5")
    assert 50 <= int(throttled["Retry-After"]) <= 60
    error = throttled.json()["error"]
    assert (error["status"], error["code"]) == (429, "throttled")
    assert error["retry_after"] == int(throttled["Retry-After"])
    # Another address has its own allowance, and so has a token from the throttled one.
    assert api.get(MEETINGS, REMOTE_ADDR="203.0.113.6").status_code == 200
    with_token = api.as_(token_for(world.user("staff")))
    tokens = [with_token.get(MEETINGS, REMOTE_ADDR="203.0.113.5").status_code for _ in range(6)]
    assert tokens == [200] * 5 + [429]


def test_public_endpoints_allow_any_origin_without_credentials_or_tokens(world, api):
    response = api.get(MEETINGS, HTTP_ORIGIN="https://dashboard.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "Authorization" not in response["Access-Control-Allow-Headers"]
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = api.options(
        MEETINGS,
        HTTP_ORIGIN="https://dashboard.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize(
    "url",
    [reverse("api_v1:docs"), "/en/accounts/profile/tokens/new/", "/en/meetings/"],
)
def test_pages_and_the_token_pages_send_no_cors_header(world, client, url):
    client.force_login(world.user("staff"))
    response = client.get(url, HTTP_ORIGIN="https://dashboard.example.org")
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


def test_writes_are_refused_with_a_json_405(world, api):
    response = api.post(MEETINGS, {})
    assert response.status_code == 405
    assert response.json()["error"] == {
        "status": 405,
        "code": "method_not_allowed",
        "message": 'Method "POST" not allowed.',
    }


def test_a_bad_filter_is_a_400_naming_the_field(world, api):
    response = api.get("/api/v1/assessments/?date_from=yesterday&min_severity=9")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["message"] == "Some parameters are not valid: see fields."
    assert error["fields"] == {
        "date_from": ["Enter a valid date."],
        "min_severity": ["Select a valid choice. 9 is not one of the available choices."],
    }


@pytest.mark.parametrize(
    "path",
    ["/api/v1/figures/", "/api/v1/hdx/presence/", "/api/v1/incidents/counts/", "/api/v1/rows/"],
)
def test_a_nul_in_a_parameter_is_a_400_naming_it(world, api, path):
    """PostgreSQL compares no text holding a NUL: the hostile-values fuzz found a 500 here."""
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(world.user('coordinator'))}")
    response = api.get(path, {"area": "1\x00", "first_month": "2026-01"})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["area"]


def test_a_malformed_authorization_header_is_a_401_that_says_how(world, api):
    api.credentials(HTTP_AUTHORIZATION="Bearer two parts")
    response = api.get(MEETINGS)
    assert response.status_code == 401
    assert response.json()["error"]["message"] == (
        "Send the token as “Authorization: Bearer <token>”."
    )
