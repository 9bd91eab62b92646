"""Registering an organisation, the get-started page, the member's organisation page and
editing the profile."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from partners.forms.registration import OrganisationForm
from partners.models import (
    MemberRole,
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationStatus,
)
from partners.services import registration
from partners.services.registration import organisation_register, organisation_update
from tests.factories import AdminAreaFactory, MembershipFactory, OrganisationFactory, UserFactory


def image_bytes(image_format: str = "PNG", size: tuple[int, int] = (40, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, format=image_format)
    return buffer.getvalue()


def service_data(world, **overrides) -> dict:
    data = {
        "name_en": "Gamma Clinics",
        "name_ar": "عيادات غاما",
        "acronym": "GC",
        "type": "nngo",
        "website": "https://gamma.example.org",
        "contact_name": "Gina Gamma",
        "contact_email": "gina@gamma.example.org",
        "contact_phone": "+000 555",
        "areas": [world.area],
    }
    data.update(overrides)
    return data


def form_data(world, **overrides) -> dict:
    data = service_data(world)
    data["areas"] = [world.area.pcode]
    data.update(overrides)
    return data


@pytest.fixture
def newcomer(world):
    return UserFactory(email="nina@example.org", full_name="Nina Newcomer")


# The service -------------------------------------------------------------------------------


def test_it_registers_a_pending_organisation_with_the_registrant_as_focal_point(world, newcomer):
    organisation = organisation_register(user=newcomer, **service_data(world))

    assert organisation.status == OrganisationStatus.PENDING
    assert organisation.registered_by == newcomer
    assert list(organisation.areas.all()) == [world.area]
    membership = Membership.objects.get(user=newcomer)
    assert membership.organisation == organisation
    assert membership.role == MemberRole.FOCAL_POINT
    assert membership.status == MembershipStatus.ACTIVE


@pytest.mark.parametrize("name", ["alpha health", "ALPHA-HEALTH", " Alpha.Health! "])
def test_it_rejects_a_name_that_differs_only_in_case_spaces_or_punctuation(world, newcomer, name):
    with pytest.raises(ValidationError) as caught:
        organisation_register(user=newcomer, **service_data(world, name_en=name))

    assert "is already registered" in caught.value.message_dict["name_en"][0]
    assert Organisation.objects.count() == 2
    assert not newcomer.memberships.exists()


def test_it_reports_a_racing_duplicate_name_as_the_same_clear_error(world, newcomer, monkeypatch):
    # The first check passes (as if the other registration had not committed yet);
    # the database's unique key then refuses the insert.
    monkeypatch.setattr(registration, "_check_name", lambda name, **kwargs: name.strip())

    with pytest.raises(ValidationError) as caught:
        organisation_register(user=newcomer, **service_data(world, name_en="Alpha Health"))

    assert "is already registered" in caught.value.message_dict["name_en"][0]
    assert Organisation.objects.count() == 2
    assert not newcomer.memberships.exists()


def test_it_refuses_a_user_who_already_belongs_to_an_organisation(world):
    with pytest.raises(ValidationError) as caught:
        organisation_register(user=world.user("staff"), **service_data(world))

    assert "You already belong to Alpha Health" in caught.value.messages[0]
    assert not Organisation.objects.filter(name_en="Gamma Clinics").exists()


def test_it_refuses_a_user_whose_request_to_join_is_still_open(world, newcomer):
    MembershipFactory(user=newcomer, organisation=world.org_b, status=MembershipStatus.REQUESTED)

    with pytest.raises(ValidationError) as caught:
        organisation_register(user=newcomer, **service_data(world))

    assert "Cancel that request first" in caught.value.messages[0]
    assert not Organisation.objects.filter(name_en="Gamma Clinics").exists()


def test_it_requires_at_least_one_area(world, newcomer):
    with pytest.raises(ValidationError) as caught:
        organisation_register(user=newcomer, **service_data(world, areas=[]))

    assert caught.value.message_dict["areas"] == ["Choose at least one area where it works."]
    assert not Organisation.objects.filter(name_en="Gamma Clinics").exists()


def test_it_rejects_a_name_without_letters_or_digits(world, newcomer):
    with pytest.raises(ValidationError) as caught:
        organisation_register(user=newcomer, **service_data(world, name_en=" -- "))

    assert "with letters or digits" in caught.value.message_dict["name_en"][0]


# The logo ----------------------------------------------------------------------------------


def _bound_form(world, logo) -> OrganisationForm:
    return OrganisationForm(form_data(world), {"logo": logo})


def test_it_accepts_a_png_logo_and_names_it_after_its_content(world):
    form = _bound_form(world, SimpleUploadedFile("logo.txt", image_bytes("PNG"), "text/plain"))

    assert form.is_valid(), form.errors
    assert form.cleaned_data["logo"].name == "logo.png"
    assert form.cleaned_data["logo"].content_type == "image/png"


def test_it_rejects_a_file_named_like_an_image_that_is_not_one(world):
    form = _bound_form(world, SimpleUploadedFile("logo.png", b"<svg></svg>", "image/png"))

    assert not form.is_valid()
    assert form.errors["logo"] == [
        "The logo must be a PNG, JPEG or WebP image. This file is not one."
    ]


def test_it_rejects_an_image_format_it_does_not_accept(world):
    form = _bound_form(world, SimpleUploadedFile("logo.gif", image_bytes("GIF"), "image/gif"))

    assert not form.is_valid()
    assert "must be a PNG, JPEG or WebP image" in form.errors["logo"][0]


def test_it_rejects_a_logo_larger_than_one_megabyte(world):
    big = image_bytes("PNG") + b"\0" * (1024 * 1024)
    form = _bound_form(world, SimpleUploadedFile("logo.png", big, "image/png"))

    assert not form.is_valid()
    assert form.errors["logo"] == ["The logo is larger than 1 MB. Upload a smaller image."]


def test_it_rejects_a_logo_with_huge_dimensions(world):
    form = _bound_form(
        world, SimpleUploadedFile("logo.png", image_bytes("PNG", (4001, 10)), "image/png")
    )

    assert not form.is_valid()
    assert "larger than 4000 pixels" in form.errors["logo"][0]


# The registration page ---------------------------------------------------------------------


def test_the_form_marks_the_arabic_name_right_to_left(world, newcomer, login):
    response = login(newcomer).get(reverse("partners:register"))

    assert response.status_code == 200
    assert 'name="name_ar" dir="rtl" lang="ar"' in response.content.decode()


def test_registering_over_http_shows_the_waiting_for_approval_page(
    world, newcomer, login, file_store
):
    client = login(newcomer)
    logo = SimpleUploadedFile("logo.jpg", image_bytes("JPEG"), "image/jpeg")

    response = client.post(reverse("partners:register"), {**form_data(world), "logo": logo})

    assert response.status_code == 302
    assert response["Location"] == reverse("partners:my_organisation")
    organisation = Organisation.objects.get(name_en="Gamma Clinics")
    assert organisation.logo.name.endswith(".jpg")
    assert file_store.names() == {organisation.logo.name}
    page = client.get(response["Location"]).content.decode()
    assert "Waiting for approval" in page
    assert "Gamma Clinics is registered." in page


def test_a_duplicate_name_over_http_shows_the_error_and_saves_nothing(world, newcomer, login):
    response = login(newcomer).post(
        reverse("partners:register"), form_data(world, name_en="Alpha  health")
    )

    assert response.status_code == 400
    assert "is already registered" in response.content.decode()
    assert Organisation.objects.count() == 2


def test_a_missing_required_field_is_reported_next_to_it(world, newcomer, login):
    response = login(newcomer).post(
        reverse("partners:register"), form_data(world, contact_email="", areas=[])
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required." in page
    assert "Choose at least one area where it works." in page
    assert Organisation.objects.count() == 2


def test_an_area_search_shows_the_form_again_without_saving_or_errors(world, newcomer, login):
    AdminAreaFactory(pcode="ZZ77", name_en="Riverside")

    response = login(newcomer).post(
        reverse("partners:register"),
        {"name_en": "Gamma Clinics", "areas__q": "River", "_area_search": "areas"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="ZZ77"' in page
    assert 'value="Gamma Clinics"' in page
    assert "This field is required." not in page
    assert Organisation.objects.count() == 2


def test_a_member_who_opens_the_registration_form_is_sent_to_their_organisation(world, login):
    client = login(world.user("staff"))

    response = client.get(reverse("partners:register"))

    assert response["Location"] == reverse("partners:my_organisation")
    page = client.get(response["Location"]).content.decode()
    assert "You already belong to Alpha Health" in page


# Get started -------------------------------------------------------------------------------


def test_get_started_lists_approved_organisations_only(world, newcomer, login):
    OrganisationFactory(name_en="Pending Care", status=OrganisationStatus.PENDING)
    OrganisationFactory(name_en="Suspended Aid", status=OrganisationStatus.SUSPENDED)

    page = login(newcomer).get(reverse("partners:start")).content.decode()

    assert "Alpha Health" in page
    assert "Beta Relief" in page
    assert "Pending Care" not in page
    assert "Suspended Aid" not in page
    assert reverse("partners:join", args=[world.org_a.pk]) in page


def test_get_started_finds_an_organisation_by_arabic_name_or_acronym(world, newcomer, login):
    world.org_b.name_ar = "بيتا للإغاثة"
    world.org_b.save()
    client = login(newcomer)

    by_arabic = client.get(reverse("partners:start"), {"q": "بيتا"}).content.decode()
    by_acronym = client.get(reverse("partners:start"), {"q": "ah"}).content.decode()
    nothing = client.get(reverse("partners:start"), {"q": "zzz"}).content.decode()

    assert "Beta Relief" in by_arabic
    assert "Alpha Health" not in by_arabic
    assert "Alpha Health" in by_acronym
    assert "No approved organisation matches this search." in nothing


def test_get_started_makes_a_constant_number_of_queries(
    world, newcomer, login, django_assert_max_num_queries
):
    OrganisationFactory.create_batch(3)
    client = login(newcomer)

    with django_assert_max_num_queries(6):
        response = client.get(reverse("partners:start"))

    assert response.status_code == 200


def test_get_started_shows_an_open_request_with_a_way_to_withdraw_it(world, newcomer, login):
    request = MembershipFactory(
        user=newcomer, organisation=world.org_b, status=MembershipStatus.REQUESTED
    )

    page = login(newcomer).get(reverse("partners:start")).content.decode()

    assert "You asked to join Beta Relief" in page
    assert reverse("partners:request_cancel", args=[request.pk]) in page


# My organisation and editing it -------------------------------------------------------------


def test_a_registrant_sees_their_pending_organisation_waiting_for_approval(world, newcomer, login):
    organisation_register(user=newcomer, **service_data(world))

    page = login(newcomer).get(reverse("partners:my_organisation")).content.decode()

    assert "Waiting for approval" in page
    assert "Gamma Clinics" in page
    assert reverse("partners:organisation_edit") in page


def test_the_focal_point_edits_the_profile(world, login):
    other_area = AdminAreaFactory(pcode="ZZ09", name_en="South")
    response = login(world.user("focal")).post(
        reverse("partners:organisation_edit"),
        form_data(world, name_en="Alpha Health Network", areas=["ZZ09"]),
    )

    assert response.status_code == 302
    world.org_a.refresh_from_db()
    assert world.org_a.name_en == "Alpha Health Network"
    assert world.org_a.name_key == "alphahealthnetwork"
    assert list(world.org_a.areas.all()) == [other_area]


def test_editing_keeps_the_duplicate_name_check(world, login):
    response = login(world.user("focal")).post(
        reverse("partners:organisation_edit"), form_data(world, name_en="beta relief")
    )

    assert response.status_code == 400
    assert "is already registered" in response.content.decode()
    world.org_a.refresh_from_db()
    assert world.org_a.name_en == "Alpha Health"


def test_editing_may_keep_the_organisations_own_name(world):
    organisation = organisation_update(
        organisation=world.org_a,
        by=world.user("focal"),
        **service_data(world, name_en="ALPHA health", contact_phone=""),
    )

    assert organisation.name_en == "ALPHA health"


def test_the_focal_point_removes_the_logo(world, login):
    world.org_a.logo = SimpleUploadedFile("a.png", image_bytes("PNG"))
    world.org_a.save()

    login(world.user("focal")).post(
        reverse("partners:organisation_edit"),
        form_data(world, name_en="Alpha Health", remove_logo="on"),
    )

    world.org_a.refresh_from_db()
    assert not world.org_a.logo


def test_a_suspended_organisations_profile_cannot_be_edited(world, login):
    world.org_a.status = OrganisationStatus.SUSPENDED
    world.org_a.save()
    client = login(world.user("focal"))

    response = client.post(
        reverse("partners:organisation_edit"), form_data(world, name_en="Renamed")
    )

    assert response["Location"] == reverse("partners:my_organisation")
    assert (
        "is suspended: its profile cannot be changed"
        in client.get(response["Location"]).content.decode()
    )
    world.org_a.refresh_from_db()
    assert world.org_a.name_en == "Alpha Health"


def test_the_service_refuses_an_edit_by_someone_other_than_the_focal_point(world):
    with pytest.raises(PermissionDenied):
        organisation_update(organisation=world.org_a, by=world.user("staff"), **service_data(world))


def test_my_organisation_makes_a_constant_number_of_queries(
    world, login, django_assert_max_num_queries
):
    for _ in range(3):
        MembershipFactory(organisation=world.org_a)
        MembershipFactory(organisation=world.org_a, status=MembershipStatus.REQUESTED)
        world.org_a.areas.add(AdminAreaFactory())
    client = login(world.user("focal"))

    with django_assert_max_num_queries(8):
        response = client.get(reverse("partners:my_organisation"))

    assert response.status_code == 200
    assert response.content.decode().count("/remove/") == 4


def test_the_workflow_pages_work_in_arabic_right_to_left(world, newcomer, login):
    client = login(newcomer)

    for url in ("/ar/partners/start/", "/ar/partners/register/"):
        response = client.get(url)
        assert response.status_code == 200
        assert '<html lang="ar" dir="rtl">' in response.content.decode()


# Issue 21: a valid logo beside another error ------------------------------------------------


def test_registering_with_a_valid_logo_and_another_error_shows_the_form_again(
    world, newcomer, login
):
    logo = SimpleUploadedFile("logo.png", image_bytes("PNG"), "image/png")

    response = login(newcomer).post(
        reverse("partners:register"), {**form_data(world, contact_email=""), "logo": logo}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required." in page
    assert "Current logo" not in page  # the organisation has no id, so no logo to show yet
    assert not Organisation.objects.filter(name_en="Gamma Clinics").exists()


def test_editing_with_a_new_logo_and_another_error_shows_the_saved_logo(world, login):
    world.org_a.logo = SimpleUploadedFile("a.png", image_bytes("PNG"))
    world.org_a.save()
    logo = SimpleUploadedFile("b.png", image_bytes("PNG"), "image/png")

    response = login(world.user("focal")).post(
        reverse("partners:organisation_edit"), {**form_data(world, name_en=""), "logo": logo}
    )

    assert response.status_code == 400
    assert reverse("partners:logo", args=[world.org_a.pk]) in response.content.decode()
    world.org_a.refresh_from_db()
    assert world.org_a.name_en == "Alpha Health"


# The file store out of reach -------------------------------------------------------------------


def test_registering_with_a_logo_while_the_file_store_is_down_saves_nothing(
    world, newcomer, login, unreachable_store
):
    logo = SimpleUploadedFile("logo.jpg", image_bytes("JPEG"), "image/jpeg")
    response = login(newcomer).post(
        reverse("partners:register"), {**form_data(world), "logo": logo}
    )
    assert response.status_code == 400
    assert (
        "The file store cannot be reached just now; nothing was saved. Try again in a few minutes."
        in response.content.decode()
    )
    assert not Organisation.objects.filter(name_en="Gamma Clinics").exists()
    assert not newcomer.memberships.exists()


@pytest.mark.django_db
def test_a_logo_while_the_file_store_is_down_answers_a_503(client, unreachable_store):
    organisation = OrganisationFactory()
    Organisation.objects.filter(pk=organisation.pk).update(logo="partners/logos/a.png")
    response = client.get(reverse("partners:logo", args=[organisation.pk]))
    assert response.status_code == 503
