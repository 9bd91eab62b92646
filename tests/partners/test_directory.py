"""The public directory: the list with its filters, the profiles and the logos."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from partners.models import MemberRole, OrganisationStatus, OrganisationType
from partners.stats import approved_partner_count, partner_counts_by_type
from tests.factories import AdminAreaFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.text import has_phrase

pytestmark = pytest.mark.django_db

# The smallest valid PNG: one transparent pixel.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def tree():
    """Testland: two governorates, North with two districts and South with one."""
    country = AdminAreaFactory(pcode="TL", level=0, name_en="Testland")
    north = AdminAreaFactory(pcode="TL01", parent=country, name_en="North", name_ar="الشمال")
    south = AdminAreaFactory(pcode="TL02", parent=country, name_en="South", name_ar="الجنوب")
    return {
        "country": country,
        "north": north,
        "south": south,
        "hills": AdminAreaFactory(pcode="TL0101", parent=north, level=2, name_en="Hills"),
        "coast": AdminAreaFactory(pcode="TL0102", parent=north, level=2, name_en="Coast"),
        "delta": AdminAreaFactory(pcode="TL0201", parent=south, level=2, name_en="Delta"),
    }


def _list(client, **params):
    return client.get(reverse("partners:list"), params)


def _names(response) -> list[str]:
    return [organisation.name_en for organisation in response.context["organisations"]]


# The list -----------------------------------------------------------------------------------


def test_the_directory_lists_approved_organisations_only(client):
    OrganisationFactory(name_en="Approved One")
    for status in ("pending", "rejected", "suspended"):
        OrganisationFactory(name_en=f"Hidden {status}", status=status)
    response = _list(client)
    assert response.status_code == 200
    assert _names(response) == ["Approved One"]
    assert "Hidden" not in response.content.decode()


def test_it_filters_by_type(client):
    OrganisationFactory(name_en="Agency", type=OrganisationType.UN_AGENCY)
    OrganisationFactory(name_en="Local", type=OrganisationType.NATIONAL_NGO)
    assert _names(_list(client, type="un")) == ["Agency"]


def test_an_area_includes_the_organisations_working_inside_it_once_each(client, tree):
    in_district = OrganisationFactory(name_en="District Worker")
    in_district.areas.add(tree["hills"], tree["coast"])
    whole_north = OrganisationFactory(name_en="North Worker")
    whole_north.areas.add(tree["north"])
    OrganisationFactory(name_en="South Worker").areas.add(tree["delta"])
    response = _list(client, area="TL01")
    assert _names(response) == ["District Worker", "North Worker"]
    assert response.context["page_obj"].paginator.count == 2


def test_an_unknown_area_code_is_reported_on_the_form(client, tree):
    OrganisationFactory(name_en="Anyone")
    response = _list(client, area="NOPE")
    assert response.status_code == 200
    assert response.context["filter"].form.errors["area"]


def test_it_searches_english_and_arabic_names_and_acronyms(client):
    OrganisationFactory(name_en="Hope Clinics", name_ar="عيادات الأمل", acronym="HC")
    OrganisationFactory(name_en="Other", acronym="OT")
    assert _names(_list(client, q="hope")) == ["Hope Clinics"]
    assert _names(_list(client, q="الأمل")) == ["Hope Clinics"]
    assert _names(_list(client, q="ot")) == ["Other"]


def test_it_orders_by_the_name_in_the_current_language(client):
    OrganisationFactory(name_en="Aardvark Aid", name_ar="ياسمين")
    OrganisationFactory(name_en="Zebra Care", name_ar="أمل")
    OrganisationFactory(name_en="Middle Health", name_ar="")
    assert _names(_list(client)) == ["Aardvark Aid", "Middle Health", "Zebra Care"]
    response = client.get("/ar/partners/")
    # Arabic names first in Arabic order; the one without falls back to its English name.
    assert _names(response) == ["Middle Health", "Zebra Care", "Aardvark Aid"]
    assert '<span lang="en" dir="ltr">Middle Health</span>' in response.content.decode()


def test_it_shows_twenty_organisations_a_page(client):
    for index in range(23):
        OrganisationFactory(name_en=f"Org {index:02d}")
    first = _list(client)
    assert len(_names(first)) == 20
    assert has_phrase(first.content.decode(), "Page 1 of 2")
    second = _list(client, page=2)
    assert _names(second) == ["Org 20", "Org 21", "Org 22"]


def test_the_pages_keep_the_filters(client):
    for index in range(21):
        OrganisationFactory(name_en=f"Un {index:02d}", type=OrganisationType.UN_AGENCY)
    page = _list(client, type="un").content.decode()
    assert has_phrase(page, "?type=un&amp;page=2")


def test_it_shows_the_count_of_partners_by_type_as_links(client):
    OrganisationFactory.create_batch(2, type=OrganisationType.UN_AGENCY)
    OrganisationFactory(type=OrganisationType.DONOR)
    OrganisationFactory(type=OrganisationType.DONOR, status=OrganisationStatus.PENDING)
    page = _list(client).content.decode()
    assert has_phrase(page, "UN agency: 2")
    assert has_phrase(page, "Donor: 1")
    assert 'href="?type=donor"' in page


def test_the_directory_makes_a_constant_number_of_queries(
    client, tree, django_assert_max_num_queries
):
    areas = [tree["north"], tree["hills"], tree["coast"], tree["delta"]]
    for index in range(5):
        organisation = OrganisationFactory(
            type=[OrganisationType.UN_AGENCY, OrganisationType.NATIONAL_NGO][index % 2]
        )
        organisation.areas.add(*areas[index % 2 :][:3])
    # Page query, count, prefetched areas, counts by type and the area choices.
    with django_assert_max_num_queries(6):
        response = _list(client)
    assert len(_names(response)) == 5
    with django_assert_max_num_queries(8):
        response = _list(client, area="TL01", q="org", type="un")
    assert response.status_code == 200


def test_the_filter_form_has_a_label_for_every_field(client):
    page = _list(client).content.decode()
    for field in ("id_q", "id_type", "id_area"):
        assert f'<label for="{field}"' in page


# Profiles -----------------------------------------------------------------------------------


def test_the_profile_groups_the_areas_by_governorate(client, tree):
    organisation = OrganisationFactory(name_en="Grouped", website="https://grouped.example.org")
    organisation.areas.add(tree["hills"], tree["coast"], tree["south"])
    response = client.get(organisation.get_absolute_url())
    groups = response.context["area_groups"]
    assert [(group.area.pcode, group.whole) for group in groups] == [
        ("TL01", False),
        ("TL02", True),
    ]
    assert [place.pcode for place in groups[0].places] == ["TL0101", "TL0102"]
    page = response.content.decode()
    assert "https://grouped.example.org" in page
    assert "Throughout this area." in page


def test_the_public_sees_no_contact_email_but_members_and_coordinators_do(client):
    organisation = OrganisationFactory(contact_email="desk@grouped.example.org")
    url = organisation.get_absolute_url()
    assert "desk@grouped.example.org" not in client.get(url).content.decode()
    client.force_login(MembershipFactory().user)
    assert "desk@grouped.example.org" in client.get(url).content.decode()
    client.force_login(UserFactory(is_coordinator=True))
    assert "desk@grouped.example.org" in client.get(url).content.decode()
    # A logged-in person without an approved organisation is like the public.
    client.force_login(UserFactory())
    assert "desk@grouped.example.org" not in client.get(url).content.decode()


def test_a_pending_organisation_is_hidden_from_the_public_and_other_members(client):
    pending = OrganisationFactory(status=OrganisationStatus.PENDING)
    assert client.get(pending.get_absolute_url()).status_code == 404
    client.force_login(MembershipFactory().user)
    assert client.get(pending.get_absolute_url()).status_code == 404


def test_its_own_members_and_coordinators_see_it_with_its_status(client):
    suspended = OrganisationFactory(
        status=OrganisationStatus.SUSPENDED, status_reason="Reports overdue."
    )
    member = MembershipFactory(organisation=suspended, role=MemberRole.FOCAL_POINT).user
    for user in (member, UserFactory(is_coordinator=True)):
        client.force_login(user)
        response = client.get(suspended.get_absolute_url())
        assert response.status_code == 200
        assert "Status: Suspended." in response.content.decode()
        assert "Reports overdue." in response.content.decode()


def test_an_arabic_profile_marks_a_name_only_in_english(client):
    organisation = OrganisationFactory(name_en="English Only", name_ar="")
    with translation.override("ar"):
        url = organisation.get_absolute_url()
    page = client.get(url).content.decode()
    assert '<span lang="en" dir="ltr">English Only</span>' in page


def test_an_arabic_profile_keeps_a_phone_number_left_to_right_in_a_right_aligned_line(client):
    """The number alone is isolated left to right; its line stays in the page's direction,
    aligned right with the other details."""
    organisation = OrganisationFactory(contact_phone="+970 59 123 4567")
    client.force_login(MembershipFactory().user)
    with translation.override("ar"):
        url = organisation.get_absolute_url()
    page = client.get(url).content.decode()
    assert '<dd class="col-sm-8"><span dir="ltr">+970 59 123 4567</span></dd>' in page


# Logos and figures --------------------------------------------------------------------------


def test_the_logo_is_served_through_the_view_inline_and_not_sniffed(client, file_store):
    organisation = OrganisationFactory()
    organisation.logo = SimpleUploadedFile("logo.png", PNG, content_type="image/png")
    organisation.save()
    assert file_store.names() == {organisation.logo.name}
    response = client.get(reverse("partners:logo", args=[organisation.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content) == PNG
    assert (
        "/private-media-not-served/"
        not in client.get(organisation.get_absolute_url()).content.decode()
    )


def test_a_pending_organisations_logo_is_hidden_like_its_profile(client):
    organisation = OrganisationFactory(status=OrganisationStatus.PENDING)
    organisation.logo = SimpleUploadedFile("logo.png", PNG, content_type="image/png")
    organisation.save()
    url = reverse("partners:logo", args=[organisation.pk])
    assert client.get(url).status_code == 404
    client.force_login(MembershipFactory(organisation=organisation).user)
    response = client.get(url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_an_organisation_without_a_logo_has_none_to_download(client):
    organisation = OrganisationFactory()
    assert client.get(reverse("partners:logo", args=[organisation.pk])).status_code == 404


def test_a_logo_of_an_unexpected_type_is_offered_as_a_download(client):
    organisation = OrganisationFactory()
    organisation.logo.save("logo.svg", SimpleUploadedFile("logo.svg", b"<svg></svg>"))
    response = client.get(reverse("partners:logo", args=[organisation.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


def test_the_home_page_figures_count_approved_partners_by_type():
    OrganisationFactory.create_batch(2, type=OrganisationType.NATIONAL_NGO)
    OrganisationFactory(type=OrganisationType.GOVERNMENT)
    OrganisationFactory(type=OrganisationType.GOVERNMENT, status=OrganisationStatus.SUSPENDED)
    assert approved_partner_count() == 3
    assert [(code, count) for code, _label, count in partner_counts_by_type()] == [
        ("nngo", 2),
        ("gov", 1),
    ]
