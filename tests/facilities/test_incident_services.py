"""The incident services: report, correct, verify and dismiss, with their checks and emails."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from facilities import incident_services as services
from facilities.models import Incident, IncidentState
from outbox.models import OutboundEmail
from partners.models import OrganisationStatus
from tests.facilities.incident_factories import (
    DESCRIPTION,
    SOURCE,
    attack_types,
    district,
    facility,
    reported,
    values,
    verified,
)
from tests.factories import AdminAreaFactory, CountryFactory

pytestmark = pytest.mark.django_db


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


def test_a_partners_report_is_its_organisations_and_waits_for_verification(world):
    incident = reported(world, attack_types=attack_types("heavy-weapons", "fire"))
    incident.refresh_from_db()
    assert incident.state == IncidentState.REPORTED
    assert incident.organisation == world.org_a
    assert incident.reported_by == world.user("focal")
    assert incident.area == world.area
    assert sorted(kind.code for kind in incident.attack_types.all()) == ["fire", "heavy-weapons"]
    assert incident.resources == ["facility", "personnel"]
    assert incident.history.first().history_user == world.user("focal")


def test_a_coordinators_report_is_the_clusters_own(world):
    incident = reported(world, by="coordinator")
    assert incident.organisation is None
    assert incident.state == IncidentState.REPORTED


def test_the_date_cannot_be_in_the_future(world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        reported(world, date=tomorrow)
    assert "date" in _errors(excinfo)
    assert not Incident.objects.exists()
    assert reported(world, date=timezone.localdate()).pk


def test_the_area_is_required_without_a_facility(world):
    with pytest.raises(ValidationError) as excinfo:
        services.incident_report(values=values(None), by=world.user("focal"))
    assert "area" in _errors(excinfo)


def test_the_area_defaults_to_the_facilitys(world):
    north = district(world.area, "ZZ0101")
    hospital = facility(north)
    incident = services.incident_report(
        values=values(None, facility=hospital), by=world.user("focal")
    )
    assert incident.area == north
    assert incident.facility == hospital


def test_the_area_chosen_must_contain_the_facility(world):
    hospital = facility(district(world.area, "ZZ0101"))
    # Its admin1 area contains it.
    assert reported(world, facility=hospital).area == world.area
    elsewhere = AdminAreaFactory(pcode="ZZ02", name_en="South")
    with pytest.raises(ValidationError) as excinfo:
        services.incident_report(
            values=values(elsewhere, facility=hospital), by=world.user("focal")
        )
    assert "is not inside" in _errors(excinfo)["area"][0]


def test_the_country_as_a_whole_is_not_an_area_for_an_incident(world):
    with pytest.raises(ValidationError) as excinfo:
        services.incident_report(values=values(CountryFactory()), by=world.user("focal"))
    assert "area" in _errors(excinfo)


def test_at_least_one_type_of_attack(world):
    with pytest.raises(ValidationError) as excinfo:
        reported(world, attack_types=[])
    assert "attack_types" in _errors(excinfo)


def test_resources_come_from_the_list_and_are_kept_in_its_order(world):
    with pytest.raises(ValidationError) as excinfo:
        reported(world, resources=["facility", "helicopter"])
    assert "resources" in _errors(excinfo)
    incident = reported(world, resources=["warehouse", "facility", "facility"])
    assert incident.resources == ["facility", "warehouse"]


@pytest.mark.parametrize("name", services.COUNT_FIELDS)
def test_counts_are_not_negative(world, name):
    with pytest.raises(ValidationError) as excinfo:
        reported(world, **{name: -1})
    assert name in _errors(excinfo)


def test_a_source_and_a_certainty_are_required(world):
    with pytest.raises(ValidationError) as excinfo:
        reported(world, source="  ", certainty="rumour")
    assert {"source", "certainty"} <= set(_errors(excinfo))


def test_several_wrong_fields_are_named_together(world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        services.incident_report(
            values=values(None, date=tomorrow, attack_types=[]), by=world.user("focal")
        )
    assert {"date", "area", "attack_types"} <= set(_errors(excinfo))


def test_a_suspended_organisation_cannot_report(world):
    world.org_a.status = OrganisationStatus.SUSPENDED
    world.org_a.save()
    with pytest.raises(PermissionDenied):
        reported(world)


def test_the_organisation_corrects_its_report_until_it_is_verified(world):
    incident = reported(world)
    services.incident_update(
        incident=incident, values=values(world.area, patients_killed=2), by=world.user("staff")
    )
    incident.refresh_from_db()
    assert incident.patients_killed == 2
    assert incident.state == IncidentState.REPORTED
    services.incident_verify(incident=incident, by=world.user("coordinator"))
    with pytest.raises(ValidationError):
        services.incident_update(
            incident=incident, values=values(world.area), by=world.user("staff")
        )
    with pytest.raises(PermissionDenied):
        services.incident_update(
            incident=incident, values=values(world.area), by=world.user("other_member")
        )


def test_a_coordinator_corrects_a_verified_incident_and_it_stays_verified(world):
    incident = verified(world)
    services.incident_update(
        incident=incident,
        values=values(world.area, attack_types=attack_types("fire")),
        by=world.user("coordinator"),
    )
    incident.refresh_from_db()
    assert incident.state == IncidentState.VERIFIED
    assert [kind.code for kind in incident.attack_types.all()] == ["fire"]


def test_verifying_records_who_and_when(world):
    incident = verified(world)
    incident.refresh_from_db()
    assert incident.state == IncidentState.VERIFIED
    assert incident.verified_by == world.user("coordinator")
    assert incident.verified_at is not None


def test_only_a_reported_incident_is_verified_or_dismissed(world):
    incident = verified(world)
    with pytest.raises(ValidationError):
        services.incident_verify(incident=incident, by=world.user("coordinator"))
    with pytest.raises(ValidationError):
        services.incident_dismiss(incident=incident, by=world.user("coordinator"), comment="No")
    with pytest.raises(PermissionDenied):
        services.incident_verify(incident=reported(world), by=world.user("focal"))


def test_dismissing_needs_a_comment(world):
    incident = reported(world)
    with pytest.raises(ValidationError) as excinfo:
        services.incident_dismiss(incident=incident, by=world.user("coordinator"), comment=" ")
    assert "comment" in _errors(excinfo)
    services.incident_dismiss(
        incident=incident, by=world.user("coordinator"), comment="Reported twice."
    )
    incident.refresh_from_db()
    assert incident.state == IncidentState.DISMISSED
    assert incident.review_comment == "Reported twice."
    assert incident.verified_at is None


def _emails() -> dict[str, OutboundEmail]:
    return {email.recipient: email for email in OutboundEmail.objects.all()}


def test_a_partners_report_tells_the_coordinators_without_its_description(world):
    incident = reported(world, by="staff")
    emails = _emails()
    assert sorted(emails) == ["ada@example.org", "cora@example.org"]
    email = emails["cora@example.org"]
    assert "Attack to verify" in email.subject
    assert f"/en/attacks/{incident.pk}/" in email.body
    assert DESCRIPTION not in email.body
    assert SOURCE not in email.body


def test_a_coordinators_own_report_emails_nobody(world):
    reported(world, by="coordinator")
    assert not OutboundEmail.objects.exists()


def test_the_decision_tells_the_focal_point_and_the_reporter(world):
    incident = reported(world, by="staff")
    OutboundEmail.objects.all().delete()
    services.incident_verify(incident=incident, by=world.user("coordinator"))
    emails = _emails()
    assert sorted(emails) == ["alice@example.org", "sam@example.org"]
    assert "Attack verified" in emails["sam@example.org"].subject
    assert DESCRIPTION not in emails["sam@example.org"].body

    other = reported(world, by="focal")
    OutboundEmail.objects.all().delete()
    services.incident_dismiss(incident=other, by=world.user("coordinator"), comment="Duplicate.")
    emails = _emails()
    assert sorted(emails) == ["alice@example.org"]
    assert "Duplicate." in emails["alice@example.org"].body
