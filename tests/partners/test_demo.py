"""The demo partners and accounts: every role can log in and running the seed twice is harmless."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.urls import reverse

from demo import partners as demo
from partners.models import (
    MemberRole,
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationStatus,
    OrganisationType,
)
from tests.factories import AdminAreaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demoland():
    """A small Demoland, as the locations seed would load it before the partners seed."""
    country = AdminAreaFactory(pcode="DL", level=0, name_en="Demoland")
    for governorate in range(1, 4):
        parent = AdminAreaFactory(pcode=f"DL0{governorate}", parent=country)
        for district in range(1, 3):
            AdminAreaFactory(pcode=f"DL0{governorate}0{district}", parent=parent, level=2)
    return country


def _snapshot() -> dict:
    User = get_user_model()
    return {
        "users": sorted(User.objects.values_list("email", "password", "is_coordinator")),
        "organisations": sorted(
            Organisation.objects.values_list("name_en", "status", "status_changed_at")
        ),
        "areas": sorted(
            Organisation.areas.through.objects.values_list("organisation", "adminarea")
        ),
        "memberships": sorted(Membership.objects.values_list("user", "organisation", "status")),
        "history": (
            Organisation.history.count(),
            Membership.history.count(),
            User.history.count(),
        ),
    }


def test_running_the_seed_twice_changes_nothing(demoland):
    demo.seed()
    first = _snapshot()
    demo.seed()
    assert _snapshot() == first


def test_it_creates_about_twenty_organisations_of_every_type_in_demoland(demoland):
    demo.seed()
    organisations = Organisation.objects.all()
    assert 18 <= organisations.count() <= 22
    assert set(organisations.values_list("type", flat=True)) == set(OrganisationType.values)
    assert all(organisation.areas.exists() for organisation in organisations)
    assert all(
        area.pcode.startswith("DL")
        for organisation in organisations
        for area in organisation.areas.all()
    )
    with_arabic = organisations.exclude(name_ar="").count()
    assert with_arabic > organisations.count() / 2
    assert organisations.filter(status=OrganisationStatus.PENDING).count() == 1
    assert (
        organisations.exclude(
            status__in=[OrganisationStatus.PENDING, OrganisationStatus.APPROVED]
        ).count()
        == 0
    )


def test_each_demo_account_has_its_role_and_a_verified_address(demoland):
    demo.seed()
    User = get_user_model()
    admin = User.objects.get(email="admin@demo.local")
    assert admin.is_superuser
    assert admin.is_staff
    assert User.objects.get(email="coordinator@demo.local").is_coordinator
    focal = Membership.objects.get(user__email="focal@demo.local", status=MembershipStatus.ACTIVE)
    assert focal.role == MemberRole.FOCAL_POINT
    staff = Membership.objects.get(user__email="staff@demo.local", status=MembershipStatus.ACTIVE)
    assert staff.role == MemberRole.STAFF
    assert staff.organisation == focal.organisation
    join = Membership.objects.get(user__email="joiner@demo.local")
    assert (join.status, join.organisation) == (MembershipStatus.REQUESTED, focal.organisation)
    pending = Organisation.objects.get(status=OrganisationStatus.PENDING)
    assert pending.registered_by.email == "applicant@demo.local"
    for user in User.objects.filter(email__endswith="@demo.local"):
        assert user.check_password(demo.DEMO_PASSWORD)
        assert EmailAddress.objects.filter(user=user, verified=True, primary=True).exists()


def test_the_demo_coordinator_logs_in_and_sees_the_pending_registration(client, demoland):
    demo.seed()
    response = client.post(
        reverse("account_login"),
        {"login": "coordinator@demo.local", "password": demo.DEMO_PASSWORD},
    )
    assert response.status_code == 302
    page = client.get(reverse("partners:review_queue")).content.decode()
    assert demo.PENDING_ORGANISATION in page


def test_the_seed_restores_a_demo_organisation_changed_by_visitors(demoland):
    demo.seed()
    organisation = Organisation.objects.get(name_en=demo.FOCAL_ORGANISATION)
    organisation.status = OrganisationStatus.SUSPENDED
    organisation.save()
    demo.seed()
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.APPROVED
