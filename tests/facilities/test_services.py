"""Writes of the facility registry: placing a facility from its coordinates, its code, its
type, recording and reviewing statuses (with the email of a return), and supports."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from shapely.geometry import box, mapping

from facilities import services
from facilities.models import Facility, FacilityStatus, FacilityType, ReviewState, SupportKind
from locations.models import AdminLevel, AreaBoundary
from partners.models import MembershipStatus, OrganisationStatus
from tests.facilities.factories import (
    StatusFactory,
    SupportFactory,
    facility_type,
    make_registry,
    status_values,
)
from tests.factories import AdminAreaFactory, CountryFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 20)


@pytest.fixture
def places(db):
    """Westland (QF1) is two districts side by side, QF101 west of 35.5°E and QF102 east of
    it, between 32°N and 33°N; Eastland (QF2) has no boundary loaded."""
    country = CountryFactory(pcode="QF", name_en="Quaffland")
    west = AdminAreaFactory(pcode="QF1", name_en="Westland", parent=country)
    east = AdminAreaFactory(pcode="QF2", name_en="Eastland", parent=country)
    west_one = AdminAreaFactory(
        pcode="QF101", name_en="West One", level=AdminLevel.ADMIN2, parent=west
    )
    west_two = AdminAreaFactory(
        pcode="QF102", name_en="West Two", level=AdminLevel.ADMIN2, parent=west
    )
    return {"west": west, "east": east, "west_one": west_one, "west_two": west_two}


def draw(places, *pcodes: str) -> None:
    shapes = {
        "QF1": box(35.0, 32.0, 36.0, 33.0),
        "QF101": box(35.0, 32.0, 35.5, 33.0),
        "QF102": box(35.5, 32.0, 36.0, 33.0),
    }
    areas = {"QF1": places["west"], "QF101": places["west_one"], "QF102": places["west_two"]}
    for pcode in pcodes:
        geometry = mapping(shapes[pcode])
        AreaBoundary.objects.create(area=areas[pcode], geometry=geometry, outline=geometry)


def values(**changes) -> dict:
    found = {
        "code": "",
        "name_en": "Riverside Hospital",
        "name_ar": "",
        "type": facility_type(),
        "ownership": "public",
        "area": None,
        "longitude": None,
        "latitude": None,
    }
    found.update(changes)
    return found


def create(world, **changes) -> Facility:
    return services.facility_create(values=values(**changes), by=world.user("coordinator"))


def errors_of(error: pytest.ExceptionInfo) -> dict:
    return error.value.message_dict


# --- placing a facility --------------------------------------------------------------------------


def test_coordinates_place_the_facility_in_the_deepest_area_holding_them(world, places):
    draw(places, "QF1", "QF101", "QF102")
    facility = create(world, longitude=35.7, latitude=32.5, area=places["east"])
    assert facility.area == places["west_two"]


def test_a_chosen_area_inside_the_one_found_is_kept_being_finer(world, places):
    draw(places, "QF1")
    facility = create(world, longitude=35.2, latitude=32.5, area=places["west_one"])
    assert facility.area == places["west_one"]
    facility = create(world, longitude=35.2, latitude=32.5, area=None)
    assert facility.area == places["west"]


def test_coordinates_outside_every_boundary_are_a_clear_error(world, places):
    draw(places, "QF1", "QF101", "QF102")
    with pytest.raises(ValidationError) as error:
        create(world, longitude=10, latitude=10, area=places["west"])
    [message] = errors_of(error)["longitude"]
    assert "outside every admin area whose boundary is loaded" in message
    assert "swapped" not in message
    assert not Facility.objects.exists()


def test_swapped_coordinates_are_named(world, places):
    draw(places, "QF1")
    with pytest.raises(ValidationError) as error:
        create(world, longitude=32.5, latitude=35.5)
    assert "swapped" in errors_of(error)["longitude"][0]


def test_without_any_boundary_the_chosen_area_is_kept(world, places):
    facility = create(world, longitude=35.7, latitude=32.5, area=places["east"])
    assert facility.area == places["east"]
    assert facility.has_location


def test_without_coordinates_the_area_must_be_chosen(world, places):
    draw(places, "QF1")
    with pytest.raises(ValidationError) as error:
        create(world)
    assert "Choose the admin area" in errors_of(error)["area"][0]
    assert create(world, area=places["east"]).area == places["east"]


def test_half_of_the_coordinates_is_refused(world, places):
    with pytest.raises(ValidationError) as error:
        create(world, longitude=35.2, area=places["east"])
    assert "both the longitude and the latitude" in errors_of(error)["latitude"][0]


def test_an_update_places_the_facility_again(world, places):
    draw(places, "QF101", "QF102")
    facility = create(world, longitude=35.2, latitude=32.5)
    assert facility.area == places["west_one"]
    updated = services.facility_update(
        facility=facility,
        values=values(longitude=35.8, latitude=32.5),
        by=world.user("coordinator"),
    )
    assert updated.area == places["west_two"]
    assert updated.code == facility.code


@pytest.mark.parametrize("role", ["staff", "focal", "other_member"])
def test_members_do_not_add_facilities(world, places, role):
    with pytest.raises(PermissionDenied):
        services.facility_create(values=values(area=places["east"]), by=world.user(role))


# --- codes ---------------------------------------------------------------------------------------


def test_the_portal_gives_codes_in_turn(world, places):
    first = create(world, area=places["east"])
    second = create(world, area=places["east"])
    assert (first.code, second.code) == ("HF-00001", "HF-00002")


def test_a_given_code_is_kept_and_the_next_given_one_follows_it(world, places):
    assert create(world, code=" MOH-77 ", area=places["east"]).code == "MOH-77"
    create(world, code="HF-00099", area=places["east"])
    assert create(world, area=places["east"]).code == "HF-00100"


def test_a_code_is_never_given_again(world, places):
    """Neither the code of a facility deleted since nor one replaced by a HeRAMS code."""
    deleted = create(world, area=places["east"])
    renamed = create(world, area=places["east"])
    assert renamed.code == "HF-00002"
    deleted.delete()
    services.facility_update(
        facility=renamed,
        values=values(code="HERAMS-1", area=places["east"]),
        by=world.user("coordinator"),
    )
    assert create(world, area=places["east"]).code == "HF-00003"


def test_an_empty_code_on_an_update_keeps_the_code(world, places):
    facility = create(world, code="MOH-1", area=places["east"])
    services.facility_update(
        facility=facility, values=values(area=places["east"]), by=world.user("coordinator")
    )
    facility.refresh_from_db()
    assert facility.code == "MOH-1"


def test_a_code_taken_is_refused_whatever_its_case(world, places):
    create(world, code="MOH-1", area=places["east"])
    with pytest.raises(ValidationError) as error:
        create(world, code="moh-1", area=places["east"])
    assert errors_of(error)["code"] == ["Another facility has the code moh-1."]


@pytest.mark.parametrize("code", ["MOH 1", "-MOH", "MOH;1", "x" * 41])
def test_a_code_is_letters_digits_and_separators(world, places, code):
    with pytest.raises(ValidationError) as error:
        create(world, code=code, area=places["east"])
    assert "letters, digits" in errors_of(error)["code"][0]


def test_the_services_offered_are_kept(world, places):
    from strategy.models import HealthDomain

    domains = list(HealthDomain.objects.all()[:2])
    facility = services.facility_create(
        values=values(area=places["east"]), domains=domains, by=world.user("coordinator")
    )
    assert set(facility.domains.all()) == set(domains)


# --- facility types ------------------------------------------------------------------------------


def test_coordinators_add_and_change_facility_types(world):
    coordinator = world.user("coordinator")
    created = services.facility_type_create(
        values={
            "code": "warehouse-clinic",
            "name_en": "Warehouse clinic",
            "name_ar": "",
            "is_hospital": False,
            "order": 9,
        },
        by=coordinator,
    )
    services.facility_type_update(
        facility_type=created,
        values={"name_en": "Clinic in a warehouse", "name_ar": "", "is_hospital": True, "order": 3},
        by=coordinator,
    )
    created.refresh_from_db()
    assert (created.code, created.name_en, created.is_hospital) == (
        "warehouse-clinic",
        "Clinic in a warehouse",
        True,
    )


@pytest.mark.parametrize(("code", "problem"), [("hospital", "Another"), ("Big One", "lower-case")])
def test_a_type_code_is_new_and_plain(world, code, problem):
    facility_type()
    with pytest.raises(ValidationError) as error:
        services.facility_type_create(
            values={"code": code, "name_en": "X", "is_hospital": False, "order": 1},
            by=world.user("coordinator"),
        )
    assert problem in errors_of(error)["code"][0]


def test_members_do_not_change_the_types(world):
    with pytest.raises(PermissionDenied):
        services.facility_type_update(
            facility_type=facility_type(),
            values={"name_en": "X", "is_hospital": False, "order": 1},
            by=world.user("focal"),
        )
    assert FacilityType.objects.get(code="hospital").name_en == "Hospital"


# --- recording a status --------------------------------------------------------------------------


def record(registry, by, **changes) -> FacilityStatus:
    return services.status_record(
        facility=registry.hospital, values=status_values(**changes), by=by
    )


def test_a_member_records_a_status_for_review_in_the_name_of_the_organisation(world):
    registry = make_registry(world)
    status = record(registry, world.user("staff"))
    assert status.state == ReviewState.SUBMITTED
    assert status.organisation == world.org_a
    assert status.recorded_by == world.user("staff")
    assert status.causes == ["utilities"]
    assert status.history.first().history_user == world.user("staff")


@pytest.mark.parametrize(
    ("functionality", "causes", "problem"),
    [
        ("fully", ["staff"], "no causes"),
        ("partially", [], "choose at least one cause"),
        ("not", [], "choose at least one cause"),
        ("not", ["staff", "bribery"], "bribery is not a known cause"),
    ],
)
def test_causes_are_given_exactly_when_not_fully_functioning(world, functionality, causes, problem):
    registry = make_registry(world)
    with pytest.raises(ValidationError) as error:
        record(registry, world.user("staff"), functionality=functionality, causes=causes)
    assert problem in errors_of(error)["causes"][0]


def test_causes_are_kept_once_in_their_order(world):
    registry = make_registry(world)
    status = record(
        registry, world.user("staff"), causes=["insecurity", "staff", "insecurity"], beds=None
    )
    assert status.causes == ["staff", "insecurity"]
    assert status.beds is None


def test_a_fully_functioning_facility_has_no_causes(world):
    registry = make_registry(world)
    status = record(registry, world.user("staff"), functionality="fully", causes=[])
    assert status.causes == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"as_of": datetime.date(2026, 5, 21)}, "as_of"),
        ({"as_of": None}, "as_of"),
        ({"beds": -1}, "beds"),
        ({"beds": 20_001}, "beds"),
        ({"source": "  "}, "source"),
        ({"building": "ruined"}, "building"),
    ],
)
def test_the_content_is_checked(world, changes, field):
    with time_machine.travel(TODAY, tick=False):
        registry = make_registry(world)
        with pytest.raises(ValidationError) as error:
            record(registry, world.user("staff"), **changes)
    assert field in errors_of(error)
    assert not FacilityStatus.objects.filter(state=ReviewState.SUBMITTED).exclude(
        pk=registry.submitted.pk
    )


def test_a_status_is_dated_while_the_organisation_supported_the_facility(world):
    with time_machine.travel(TODAY, tick=False):
        registry = make_registry(world)
        registry.support.start = datetime.date(2026, 4, 1)
        registry.support.save()
        with pytest.raises(ValidationError) as error:
            record(registry, world.user("staff"), as_of=datetime.date(2026, 3, 31))
        assert "did not support this facility on" in errors_of(error)["as_of"][0]
        assert record(registry, world.user("staff"), as_of=datetime.date(2026, 4, 1))


def test_a_member_of_an_organisation_not_supporting_the_facility_is_refused(world):
    registry = make_registry(world)
    with pytest.raises(PermissionDenied):
        record(registry, world.user("other_member"))


def test_a_member_records_for_no_other_organisation(world):
    registry = make_registry(world)
    with pytest.raises(PermissionDenied):
        services.status_record(
            facility=registry.hospital,
            values=status_values(),
            organisation=world.org_b,
            by=world.user("staff"),
        )


def test_a_coordinator_records_for_a_supporting_partner_or_for_the_cluster(world):
    registry = make_registry(world)
    coordinator = world.user("coordinator")
    for_partner = services.status_record(
        facility=registry.hospital,
        values=status_values(),
        organisation=world.org_a,
        by=coordinator,
    )
    assert for_partner.organisation == world.org_a
    assert for_partner.recorded_by == coordinator
    for_cluster = services.status_record(
        facility=registry.centre, values=status_values(), by=coordinator
    )
    assert for_cluster.organisation is None
    with pytest.raises(ValidationError) as error:
        services.status_record(
            facility=registry.hospital,
            values=status_values(),
            organisation=world.org_b,
            by=coordinator,
        )
    assert "Beta Relief did not support" in errors_of(error)["organisation"][0]


# --- review --------------------------------------------------------------------------------------


def test_validating_makes_the_status_count(world):
    registry = make_registry(world)
    status = services.status_validate(status=registry.submitted, by=world.user("coordinator"))
    assert status.state == ReviewState.VALIDATED
    assert status.reviewed_by == world.user("coordinator")
    assert status.reviewed_at is not None
    with pytest.raises(ValidationError) as error:
        services.status_validate(status=registry.submitted, by=world.user("coordinator"))
    assert error.value.code == "wrong_state"


def test_members_do_not_validate(world):
    registry = make_registry(world)
    with pytest.raises(PermissionDenied):
        services.status_validate(status=registry.submitted, by=world.user("focal"))
    registry.submitted.refresh_from_db()
    assert registry.submitted.state == ReviewState.SUBMITTED


def test_returning_asks_for_a_comment(world):
    registry = make_registry(world)
    with pytest.raises(ValidationError) as error:
        services.status_return(status=registry.submitted, by=world.user("coordinator"), comment=" ")
    assert "comment" in errors_of(error)


def test_returning_tells_the_recorder_by_email(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    registry = make_registry(world)
    with django_capture_on_commit_callbacks(execute=True):
        status = services.status_return(
            status=registry.submitted, by=world.user("coordinator"), comment="Which generator?"
        )
    assert status.state == ReviewState.RETURNED
    assert status.review_comment == "Which generator?"
    assert [mail.to for mail in mailoutbox] == [["sam@example.org"]]
    mail = mailoutbox[0]
    assert "North Hospital (HOS-1)" in mail.subject
    assert "Which generator?" in mail.body
    assert reverse("facilities:status_edit", args=[status.pk]) in mail.body


def test_when_the_recorder_has_left_the_focal_points_are_told(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    registry = make_registry(world)
    membership = world.user("staff").memberships.get()
    membership.status = MembershipStatus.LEFT
    membership.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.status_return(
            status=registry.submitted, by=world.user("coordinator"), comment="Check it."
        )
    assert [mail.to for mail in mailoutbox] == [["alice@example.org"]]


def test_the_cluster_s_own_status_goes_back_to_the_coordinator_who_recorded_it(world):
    registry = make_registry(world)
    status = StatusFactory(
        facility=registry.centre,
        state=ReviewState.SUBMITTED,
        organisation=None,
        recorded_by=world.user("coordinator"),
    )
    assert services.told_of_return(status) == [world.user("coordinator")]


def test_a_returned_status_is_corrected_and_goes_back_to_review(world):
    registry = make_registry(world)
    status = services.status_update(
        status=registry.returned,
        values=status_values(functionality="not", causes=["utilities", "damage"]),
        by=world.user("focal"),
    )
    assert status.state == ReviewState.SUBMITTED
    assert status.causes == ["utilities", "damage"]
    assert status.review_comment == "Which generator failed?"
    assert status.recorded_by == world.user("staff")
    with pytest.raises(ValidationError):
        services.status_update(status=status, values=status_values(), by=world.user("focal"))


def test_another_organisation_does_not_correct_a_status(world):
    registry = make_registry(world)
    with pytest.raises(PermissionDenied):
        services.status_update(
            status=registry.returned, values=status_values(), by=world.user("other_member")
        )


# --- supports ------------------------------------------------------------------------------------


def add_support(world, registry, **changes):
    arguments = {
        "facility": registry.hospital,
        "organisation": world.org_b,
        "kind": SupportKind.SUPPLIES,
        "start": datetime.date(2026, 1, 1),
        "end": None,
        "by": world.user("coordinator"),
    }
    arguments.update(changes)
    return services.support_add(**arguments)


def test_coordinators_record_a_support_and_its_end(world):
    registry = make_registry(world)
    support = add_support(world, registry)
    ended = services.support_end(
        support=support, end=datetime.date(2026, 3, 31), by=world.user("coordinator")
    )
    assert ended.end == datetime.date(2026, 3, 31)


def test_a_support_overlapping_the_same_one_is_refused(world):
    registry = make_registry(world)
    add_support(world, registry, end=datetime.date(2026, 3, 31))
    with pytest.raises(ValidationError) as error:
        add_support(world, registry, start=datetime.date(2026, 3, 1))
    assert "already gives this support" in errors_of(error)["start"][0]
    assert add_support(world, registry, start=datetime.date(2026, 4, 1))
    assert add_support(world, registry, kind=SupportKind.STAFF)


def test_a_support_ends_after_it_starts(world):
    registry = make_registry(world)
    with pytest.raises(ValidationError) as error:
        add_support(world, registry, end=datetime.date(2025, 12, 31))
    assert "end" in errors_of(error)
    support = add_support(world, registry)
    with pytest.raises(ValidationError):
        services.support_end(
            support=support, end=datetime.date(2025, 12, 31), by=world.user("coordinator")
        )


def test_only_an_approved_organisation_supports_a_facility(world):
    registry = make_registry(world)
    world.org_b.status = OrganisationStatus.PENDING
    world.org_b.save()
    with pytest.raises(ValidationError) as error:
        add_support(world, registry)
    assert "not an approved partner organisation" in errors_of(error)["organisation"][0]


def test_an_ended_support_is_not_ended_again(world):
    registry = make_registry(world)
    support = SupportFactory(
        facility=registry.hospital, organisation=world.org_b, end=datetime.date(2021, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        services.support_end(
            support=support, end=datetime.date(2022, 1, 1), by=world.user("coordinator")
        )
    assert error.value.code == "ended"


def test_members_record_no_support(world):
    registry = make_registry(world)
    with pytest.raises(PermissionDenied):
        add_support(world, registry, by=world.user("focal"))
    assert not registry.hospital.supports.filter(organisation=world.org_b).exists()
