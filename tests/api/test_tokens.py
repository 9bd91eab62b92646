"""Personal API tokens: stored hashed, shown once, expiring, revocable, refused for accounts
that lost their membership, their last use written at most once a minute, and two-factor
authentication required of coordinators and administrators before they make one."""

import datetime
import hashlib

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from api import policy, services
from api.models import ApiToken
from partners.models import MembershipStatus, OrganisationStatus
from tests.api.conftest import token_for, with_totp
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ORGANISATIONS = "/api/v1/organisations/"


def _error(response) -> dict:
    return response.json()["error"]


def test_the_secret_is_shown_once_and_only_its_digest_is_stored(world):
    created = services.token_create(user=world.user("staff"), name="Power BI")
    assert created.secret.startswith("hcp_")
    assert len(created.secret) > 40
    stored = ApiToken.objects.get()
    assert stored.key_hash == hashlib.sha256(created.secret.encode()).hexdigest()
    assert stored.prefix == created.secret[:10]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM api_apitoken")
        row = cursor.fetchone()
    assert created.secret not in [str(value) for value in row]


def test_a_token_expires_after_180_days_unless_a_shorter_time_is_chosen(world):
    default = services.token_create(user=world.user("staff"), name="a").token
    short = services.token_create(user=world.user("staff"), name="b", lifetime_days=30).token
    assert default.expires_at - default.created_at == pytest.approx(
        datetime.timedelta(days=180), abs=datetime.timedelta(seconds=1)
    )
    assert short.expires_at - short.created_at == pytest.approx(
        datetime.timedelta(days=30), abs=datetime.timedelta(seconds=1)
    )
    with pytest.raises(ValueError, match="lifetime_days"):
        services.token_create(user=world.user("staff"), name="c", lifetime_days=365)


def test_a_valid_token_reads_as_its_owner(world, api):
    secret = token_for(world.user("staff"))
    response = api.as_(secret).get(ORGANISATIONS)
    assert response.status_code == 200
    assert ApiToken.objects.get().last_used_at is not None


def test_an_unknown_token_is_a_401_that_says_so(world, api):
    response = api.as_("hcp_not-a-token").get(ORGANISATIONS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert _error(response)["message"] == "The API token is not valid."


def test_an_expired_token_is_refused_with_its_date(world, api, time_machine):
    secret = token_for(world.user("staff"), lifetime_days=7)
    time_machine.shift(datetime.timedelta(days=7, seconds=1))
    response = api.as_(secret).get(ORGANISATIONS)
    assert response.status_code == 401
    assert _error(response)["message"] == "This API token expired on 14 December 2026."


def test_a_revoked_token_is_refused(world, api):
    secret = token_for(world.user("staff"))
    services.token_revoke(token=ApiToken.objects.get(), by=world.user("staff"))
    response = api.as_(secret).get(ORGANISATIONS)
    assert response.status_code == 401
    assert _error(response)["message"] == "This API token was revoked."


def test_a_token_of_someone_who_left_their_organisation_is_refused(world, api):
    secret = token_for(world.user("staff"))
    world.user("staff").memberships.update(status=MembershipStatus.LEFT)
    response = api.as_(secret).get(ORGANISATIONS)
    assert response.status_code == 401
    assert _error(response)["message"] == (
        "This API token is refused: API tokens are for members of a partner organisation and "
        "coordinators: this account has no active membership."
    )


def test_a_token_of_a_suspended_organisations_member_is_refused(world, api):
    secret = token_for(world.user("staff"))
    world.org_a.status = OrganisationStatus.SUSPENDED
    world.org_a.save()
    response = api.as_(secret).get(ORGANISATIONS)
    assert response.status_code == 401
    assert "Alpha Health is not approved" in _error(response)["message"]


def test_a_token_of_a_deactivated_account_is_refused(world, api):
    secret = token_for(world.user("coordinator"))
    world.user("coordinator").is_active = False
    world.user("coordinator").save()
    response = api.as_(secret).get(ORGANISATIONS)
    assert response.status_code == 401
    assert _error(response)["message"] == (
        "This API token is refused: This account is deactivated."
    )


def test_a_busy_token_writes_its_last_use_at_most_once_a_minute(world, api, time_machine):
    secret = token_for(world.user("staff"))
    client = api.as_(secret)
    client.get(ORGANISATIONS)
    first = ApiToken.objects.get().last_used_at
    time_machine.shift(datetime.timedelta(seconds=30))
    client.get(ORGANISATIONS)
    assert ApiToken.objects.get().last_used_at == first
    time_machine.shift(datetime.timedelta(seconds=31))
    client.get(ORGANISATIONS)
    assert ApiToken.objects.get().last_used_at > first


def test_within_the_minute_a_request_writes_nothing(world, api, django_assert_num_queries):
    secret = token_for(world.user("staff"))
    client = api.as_(secret)
    client.get("/api/v1/meetings/")
    # The token with its owner, the membership (scope and ETag), the count of meetings (none,
    # so no rows to read): no UPDATE of the last use.
    with django_assert_num_queries(3) as context:
        client.get("/api/v1/meetings/")
    assert not any("UPDATE" in query["sql"] for query in context.captured_queries)


@pytest.mark.parametrize("role", ["coordinator", "site_admin"])
def test_coordinators_and_admins_need_two_factor_before_making_a_token(world, role):
    user = world.user(role)
    decision = policy.can_create_token(user)
    assert not decision
    assert decision.reason.startswith("Your role reaches every organisation's data")
    with pytest.raises(PermissionDenied):
        services.token_create(user=user, name="x")
    with_totp(user)
    assert policy.can_create_token(user)


def test_people_without_an_approved_organisation_make_no_token(world):
    assert not policy.can_create_token(UserFactory())
    world.org_b.status = OrganisationStatus.PENDING
    world.org_b.save()
    assert not policy.can_create_token(world.user("other_member"))
    assert policy.can_create_token(world.user("staff"))


def test_the_profile_page_lists_the_tokens_with_their_last_use_and_expiry(world, client):
    staff = world.user("staff")
    services.token_create(user=staff, name="Power BI report")
    client.force_login(staff)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Power BI report" in page
    assert "Never" in page
    assert "5 June 2027" in page  # 180 days after 7 December 2026
    assert reverse("api_tokens:create") in page


def test_making_a_token_shows_its_secret_once(world, client):
    client.force_login(world.user("staff"))
    response = client.post(
        reverse("api_tokens:create"), {"name": "Kobo sync", "lifetime_days": "90"}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get()
    assert token.name == "Kobo sync"
    secret = response.context["created"].secret
    assert secret in response.content.decode()
    assert secret not in client.get(reverse("accounts:profile")).content.decode()


def test_a_token_without_a_name_is_not_made(world, client):
    client.force_login(world.user("staff"))
    response = client.post(reverse("api_tokens:create"), {"name": "  ", "lifetime_days": "90"})
    assert response.status_code == 200
    assert "Give the token a name." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_asks_for_confirmation_then_revokes(world, client):
    staff = world.user("staff")
    token = services.token_create(user=staff, name="Power BI").token
    client.force_login(staff)
    url = reverse("api_tokens:revoke", kwargs={"pk": token.pk})
    page = client.get(url)
    assert "Revoke the token “Power BI”?" in page.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    assert client.post(url).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_someone_elses_token_is_a_404(world, client):
    token = services.token_create(user=world.user("staff"), name="Power BI").token
    client.force_login(world.user("focal"))
    assert client.post(reverse("api_tokens:revoke", kwargs={"pk": token.pk})).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_profile_pages_queries_do_not_grow_with_the_tokens(world, client):
    staff = world.user("staff")
    client.force_login(staff)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("accounts:profile")).status_code == 200
        return len(context.captured_queries)

    services.token_create(user=staff, name="one")
    one = queries()
    for name in ("two", "three", "four"):
        services.token_create(user=staff, name=name)
    assert queries() == one
