"""The facility pages over HTTP, for each role: the list and a facility's page (and what the
public sees of them), adding a facility, recording and correcting statuses, the review, the
types and supports, and My tasks."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from shapely.geometry import box, mapping

from facilities.models import Facility, FacilityStatus, FacilitySupport, ReviewState
from locations.models import AdminLevel, AreaBoundary
from tests.facilities.factories import (
    FacilityFactory,
    StatusFactory,
    SupportFactory,
    make_registry,
    status_form,
)
from tests.factories import AdminAreaFactory
from tests.text import has_phrase

pytestmark = pytest.mark.django_db

LIST = reverse("facilities:list")


@pytest.fixture
def registry(world):
    return make_registry(world)


def page(client, url, data=None) -> str:
    response = client.get(url, data or {})
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def detail(facility) -> str:
    return reverse("facilities:detail", args=[facility.pk])


# --- who sees the facilities ---------------------------------------------------------------------


def test_the_public_sees_no_facility_while_their_locations_are_not_published(
    client, registry, settings
):
    settings.PUBLISH_FACILITY_LOCATIONS = False
    assert client.get(LIST).status_code == 404
    assert client.get(detail(registry.hospital)).status_code == 404


def test_a_signed_in_person_without_an_organisation_sees_none_either(login, registry):
    from tests.factories import UserFactory

    client = login(UserFactory())
    assert client.get(LIST).status_code == 404


def test_once_published_the_public_sees_the_facilities_and_their_validated_statuses(
    client, registry, settings
):
    settings.PUBLISH_FACILITY_LOCATIONS = True
    text = page(client, LIST)
    assert "North Hospital" in text
    assert "HOS-1" in text
    text = page(client, detail(registry.hospital))
    assert "North Hospital" in text
    assert "Fully functioning" in text
    # Statuses under review or returned, their sources and the review are for members.
    assert "Partially functioning" not in text
    assert "Not functioning" not in text
    assert "Visit by the health officer" not in text
    assert "Which generator failed?" not in text
    assert reverse("facilities:status_record") not in text


def test_members_see_the_list_with_current_statuses_and_supporters(login, world, registry):
    text = page(login(world.user("other_member")), LIST)
    assert has_phrase(text, "2 facilities")
    assert "Fully functioning" in text  # the hospital's validated status
    assert "No recent data" in text  # the health centre
    assert "Alpha Health" in text
    assert reverse("facilities:create") not in text


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ({"functionality": "none"}, ["PHC-1"]),
        ({"functionality": "fully"}, ["HOS-1"]),
        ({"functionality": "not"}, []),
        ({"type": "phc"}, ["PHC-1"]),
        ({"q": "hill"}, ["PHC-1"]),
        ({"q": "hos-"}, ["HOS-1"]),
        ({"ownership": "ngo"}, []),
        ({"area": "ZZ01"}, ["HOS-1", "PHC-1"]),
    ],
)
def test_the_list_filters(login, world, registry, query, codes):
    response = login(world.user("staff")).get(LIST, query)
    assert [facility.code for facility, _status in response.context["rows"]] == codes


def test_the_list_filters_by_supporting_organisation(login, world, registry):
    client = login(world.user("coordinator"))
    response = client.get(LIST, {"organisation": world.org_a.pk})
    assert [facility.code for facility, _status in response.context["rows"]] == ["HOS-1"]


def test_a_facility_page_shows_its_place_and_history_to_members(login, world, registry):
    text = page(login(world.user("other_member")), detail(registry.hospital))
    assert 'longitude <span dir="ltr">35</span>' in text
    assert "Fully functioning" in text
    # Olga sees validated statuses, not Alpha's under review or returned.
    assert "Partially functioning" not in text
    assert "Which generator failed?" not in text
    text = page(login(world.user("other_member")), detail(registry.centre))
    assert "Not recorded" in text
    assert "No partner is recorded as supporting this facility." in text


def test_the_organisation_sees_its_returned_status_with_the_comment_and_corrects_it(
    login, world, registry
):
    text = page(login(world.user("staff")), detail(registry.hospital))
    assert "Which generator failed?" in text
    assert reverse("facilities:status_edit", args=[registry.returned.pk]) in text
    assert reverse("facilities:status_validate", args=[registry.submitted.pk]) not in text


def test_coordinators_see_the_review_buttons_on_the_page(login, world, registry):
    text = page(login(world.user("coordinator")), detail(registry.hospital))
    assert reverse("facilities:status_validate", args=[registry.submitted.pk]) in text
    assert reverse("facilities:status_return", args=[registry.submitted.pk]) in text
    assert reverse("facilities:edit", args=[registry.hospital.pk]) in text
    assert reverse("facilities:support_end", args=[registry.support.pk]) in text
    # The id in the link to the status form is written as digits, never grouped.
    record = reverse("facilities:status_record")
    assert f'href="{record}?facility={registry.hospital.pk}"' in text


# --- adding a facility ---------------------------------------------------------------------------


def _facility_data(world, **changes) -> dict:
    data = {
        "code": "",
        "name_en": "Harbour Hospital",
        "name_ar": "مستشفى الميناء",
        "type": world.hospital.type_id,
        "ownership": "public",
        "longitude": "",
        "latitude": "",
    }
    data.update(changes)
    return data


def _boundaries(world) -> object:
    district = AdminAreaFactory(
        pcode="ZZ0101", name_en="Harbour", level=AdminLevel.ADMIN2, parent=world.area
    )
    for area, shape in ((world.area, box(35, 32, 36, 33)), (district, box(35, 32, 35.5, 33))):
        AreaBoundary.objects.create(area=area, geometry=mapping(shape), outline=mapping(shape))
    return district


def test_a_coordinator_adds_a_facility_placed_by_its_coordinates(login, world, registry):
    district = _boundaries(world)
    client = login(world.user("coordinator"))
    response = client.post(
        reverse("facilities:create"),
        _facility_data(world, longitude="35.123456789", latitude="32.5"),
    )
    facility = Facility.objects.get(name_en="Harbour Hospital")
    assert response.status_code == 302
    assert response["Location"] == detail(facility)
    assert facility.area == district
    assert facility.code == "HF-00001"
    assert str(facility.longitude) == "35.123457"


def test_coordinates_outside_the_boundaries_are_shown_on_the_form(login, world, registry):
    _boundaries(world)
    client = login(world.user("coordinator"))
    response = client.post(
        reverse("facilities:create"), _facility_data(world, longitude="10", latitude="10")
    )
    assert response.status_code == 400
    assert "outside every admin area whose boundary is loaded" in response.content.decode()
    assert not Facility.objects.filter(name_en="Harbour Hospital").exists()


def test_the_edit_form_shows_the_facility(login, world, registry):
    text = page(
        login(world.user("coordinator")), reverse("facilities:edit", args=[registry.hospital.pk])
    )
    assert 'value="North Hospital"' in text
    assert "Leave it empty to keep HOS-1." in text


# --- statuses ------------------------------------------------------------------------------------


def test_a_partner_chooses_among_the_facilities_it_supports(login, world, registry):
    response = login(world.user("staff")).get(reverse("facilities:status_record"))
    choices = list(response.context["form"].fields["facility"].queryset)
    assert choices == [registry.hospital]
    assert "organisation" not in response.context["form"].fields


def test_a_partner_records_a_status(login, world, registry):
    client = login(world.user("staff"))
    response = client.post(reverse("facilities:status_record"), status_form(registry.hospital))
    assert response.status_code == 302
    assert response["Location"] == detail(registry.hospital)
    status = FacilityStatus.objects.latest("pk")
    assert (status.state, status.organisation, status.causes, status.beds) == (
        ReviewState.SUBMITTED,
        world.org_a,
        ["utilities"],
        40,
    )


def test_record_and_another_comes_back_to_the_form(login, world, registry):
    client = login(world.user("staff"))
    data = status_form(registry.hospital, another="1")
    response = client.post(reverse("facilities:status_record"), data)
    assert response["Location"] == reverse("facilities:status_record")


def test_the_causes_rule_is_shown_on_the_form(login, world, registry):
    client = login(world.user("staff"))
    data = status_form(registry.hospital, functionality="fully")
    response = client.post(reverse("facilities:status_record"), data)
    assert response.status_code == 400
    assert "A fully functioning facility has no causes" in response.content.decode()


def test_a_partner_cannot_post_a_facility_it_does_not_support(login, world, registry):
    client = login(world.user("staff"))
    response = client.post(reverse("facilities:status_record"), status_form(registry.centre))
    assert response.status_code == 400
    assert not registry.centre.statuses.exists()


def test_a_coordinator_records_for_a_partner(login, world, registry):
    client = login(world.user("coordinator"))
    form = client.get(reverse("facilities:status_record")).context["form"]
    assert list(form.fields["organisation"].queryset) == [world.org_a]
    data = status_form(registry.hospital, organisation=world.org_a.pk)
    assert client.post(reverse("facilities:status_record"), data).status_code == 302
    assert FacilityStatus.objects.latest("pk").organisation == world.org_a


def test_the_facility_is_chosen_from_its_page(login, world, registry):
    client = login(world.user("staff"))
    url = reverse("facilities:status_record") + f"?facility={registry.hospital.pk}"
    assert f'<option value="{registry.hospital.pk}" selected>' in page(client, url)


def test_a_returned_status_is_corrected_and_sent_back(login, world, registry):
    client = login(world.user("focal"))
    url = reverse("facilities:status_edit", args=[registry.returned.pk])
    text = page(client, url)
    assert "Which generator failed?" in text
    response = client.post(url, status_form(functionality="not", causes=["utilities", "damage"]))
    assert response.status_code == 302
    registry.returned.refresh_from_db()
    assert registry.returned.state == ReviewState.SUBMITTED
    assert registry.returned.causes == ["utilities", "damage"]


def test_a_status_not_returned_sends_back_with_the_reason(login, world, registry):
    client = login(world.user("staff"))
    response = client.get(reverse("facilities:status_edit", args=[registry.submitted.pk]))
    assert response.status_code == 302
    assert response["Location"] == detail(registry.hospital)


def test_the_organisation_lists_its_statuses_returned_first(login, world, registry):
    client = login(world.user("staff"))
    response = client.get(reverse("facilities:statuses_mine"))
    statuses = [status for status, _actions in response.context["rows"]]
    assert statuses[0] == registry.returned
    assert set(statuses) == {registry.returned, registry.submitted, registry.validated}
    response = client.get(reverse("facilities:statuses_mine"), {"state": "returned"})
    assert [status for status, _actions in response.context["rows"]] == [registry.returned]


# --- the review ----------------------------------------------------------------------------------


def test_the_review_queue_lists_submitted_statuses_beside_the_current_one(login, world, registry):
    client = login(world.user("coordinator"))
    response = client.get(reverse("facilities:review_queue"))
    assert response.context["rows"] == [(registry.submitted, registry.validated)]
    text = response.content.decode()
    assert "1 status waits for review" in text
    queue = reverse("facilities:review_queue")
    assert f"validate/?next={queue}" in text


def test_validating_asks_first_then_returns_to_the_queue(login, world, registry):
    client = login(world.user("coordinator"))
    queue = reverse("facilities:review_queue")
    url = reverse("facilities:status_validate", args=[registry.submitted.pk]) + f"?next={queue}"
    text = page(client, url)
    assert "Validate the status of North Hospital" in text
    registry.submitted.refresh_from_db()
    assert registry.submitted.state == ReviewState.SUBMITTED
    response = client.post(url, {"confirm": "yes"})
    assert response["Location"] == queue
    registry.submitted.refresh_from_db()
    assert registry.submitted.state == ReviewState.VALIDATED


def test_a_foreign_next_is_not_followed(login, world, registry):
    client = login(world.user("coordinator"))
    url = reverse("facilities:status_validate", args=[registry.submitted.pk])
    response = client.post(url + "?next=//evil.example/", {"confirm": "yes"})
    assert response["Location"] == detail(registry.hospital)


def test_validating_a_validated_status_says_why_not(login, world, registry):
    client = login(world.user("coordinator"))
    response = client.get(reverse("facilities:status_validate", args=[registry.validated.pk]))
    assert response.status_code == 302
    assert response["Location"] == detail(registry.hospital)


def test_returning_names_who_is_emailed_and_tells_them(
    login, world, registry, mailoutbox, django_capture_on_commit_callbacks
):
    client = login(world.user("coordinator"))
    url = reverse("facilities:status_return", args=[registry.submitted.pk])
    assert "sam@example.org" in page(client, url)
    assert client.post(url, {"comment": ""}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"comment": "The date is wrong."}, follow=True)
    assert "1 person is told by email." in response.content.decode()
    assert [mail.to for mail in mailoutbox] == [["sam@example.org"]]
    registry.submitted.refresh_from_db()
    assert registry.submitted.state == ReviewState.RETURNED


# --- types and supports --------------------------------------------------------------------------


def test_coordinators_list_and_add_facility_types(login, world, registry):
    client = login(world.user("coordinator"))
    text = page(client, reverse("facilities:types"))
    assert "Field hospital or emergency medical team" in text
    response = client.post(
        reverse("facilities:type_create"),
        {"code": "pharmacy", "name_en": "Pharmacy", "name_ar": "صيدلية", "order": "7"},
    )
    assert response["Location"] == reverse("facilities:types")
    assert "Pharmacy" in page(client, reverse("facilities:types"))


def test_coordinators_add_a_support_and_record_its_end(login, world, registry):
    client = login(world.user("coordinator"))
    response = client.post(
        reverse("facilities:support_add", args=[registry.centre.pk]),
        {"organisation": world.org_b.pk, "kind": "staff", "start": "2026-01-01"},
    )
    assert response["Location"] == detail(registry.centre)
    support = FacilitySupport.objects.get(facility=registry.centre)
    url = reverse("facilities:support_end", args=[support.pk])
    assert client.post(url, {"end": "2025-12-31"}).status_code == 400
    assert client.post(url, {"end": "2026-02-28"}).status_code == 302
    support.refresh_from_db()
    assert support.end == datetime.date(2026, 2, 28)
    response = client.get(url)
    assert response.status_code == 302  # ended already: back to the facility, with the reason


# --- My tasks ------------------------------------------------------------------------------------


def test_my_tasks_lists_the_statuses_to_review_for_coordinators(login, world, registry):
    text = page(login(world.user("coordinator")), reverse("my_tasks"))
    assert "1 health facility status waits for your review." in text
    assert reverse("facilities:review_queue") in text


def test_my_tasks_lists_the_partners_returned_statuses_and_facilities_due(login, world):
    with time_machine.travel(datetime.date(2026, 5, 20), tick=False):
        registry = make_registry(world)  # its statuses are dated in May or April
        other = FacilityFactory(area=world.area)
        SupportFactory(facility=other, organisation=world.org_a)
        StatusFactory(
            facility=other,
            organisation=world.org_a,
            as_of=datetime.date(2026, 4, 30),
        )
        text = page(login(world.user("focal")), reverse("my_tasks"))
    assert "1 status your organisation recorded was returned for correction." in text
    assert "1 health facility your organisation supports has no status from it this month." in text
    assert reverse("facilities:statuses_mine") + "?state=returned" in text
    assert registry.hospital.statuses.filter(as_of__gte=datetime.date(2026, 5, 1)).exists()


def test_my_tasks_say_nothing_to_an_organisation_supporting_nothing(login, world, registry):
    text = page(login(world.user("other_member")), reverse("my_tasks"))
    assert "facility" not in text.lower().split("<main", 1)[1].split("</main>")[0]
