"""The workflow's services: each transition, its checks, and that a refusal changes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments import services
from assessments.models import Assessment, AssessmentStatus, Finding
from partners.models import OrganisationStatus
from tests.assessments.workflow_helpers import (
    VALUES,
    district,
    domains,
    make_draft,
    make_published,
    make_submitted,
)
from tests.factories import AdminAreaFactory, OrganisationFactory
from tests.text import has_phrase

pytestmark = pytest.mark.django_db


def test_a_member_of_an_approved_organisation_creates_a_draft_led_by_it(world):
    partner = OrganisationFactory(name_en="Gamma Care")
    assessment = services.assessment_create(
        by=world.user("staff"),
        lead_organisation=world.org_a,
        values=VALUES,
        areas=[world.area],
        participating_organisations=[partner, world.org_a],
    )
    assert assessment.status == AssessmentStatus.DRAFT
    assert assessment.lead_organisation == world.org_a
    assert assessment.created_by == world.user("staff")
    assert list(assessment.areas.all()) == [world.area]
    # The lead is never also a participant.
    assert list(assessment.participating_organisations.all()) == [partner]
    assert assessment.history.first().history_user == world.user("staff")


def test_it_refuses_reversed_dates_and_saves_nothing(world):
    with pytest.raises(ValidationError) as error:
        make_draft(world, start_date=datetime.date(2025, 5, 1), end_date=datetime.date(2025, 4, 1))
    assert "end_date" in error.value.message_dict
    assert not Assessment.objects.exists()


def test_the_database_refuses_reversed_dates_too(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(
            title_en="Bad",
            type="rapid",
            lead_organisation=world.org_a,
            start_date=datetime.date(2025, 5, 1),
            end_date=datetime.date(2025, 4, 1),
        )


def test_it_refuses_an_assessment_without_areas(world):
    with pytest.raises(ValidationError) as error:
        make_draft(world, areas=[])
    assert "areas" in error.value.message_dict


def test_a_member_of_a_suspended_organisation_cannot_create_one(world):
    world.org_a.status = OrganisationStatus.SUSPENDED
    world.org_a.save()
    with pytest.raises(PermissionDenied):
        make_draft(world)
    assert not Assessment.objects.exists()


def test_a_member_of_another_organisation_cannot_create_one_for_it(world):
    with pytest.raises(PermissionDenied):
        make_draft(world, by=world.user("other_member"))


def test_a_pending_organisation_cannot_take_part(world):
    pending = OrganisationFactory(status=OrganisationStatus.PENDING, name_en="Pending Org")
    with pytest.raises(ValidationError) as error:
        services.assessment_create(
            by=world.user("focal"),
            lead_organisation=world.org_a,
            values=VALUES,
            areas=[world.area],
            participating_organisations=[pending],
        )
    assert "Pending Org" in error.value.message_dict["participating_organisations"][0]


def test_the_lead_organisation_edits_its_draft(world):
    assessment = make_draft(world)
    services.assessment_update(
        assessment=assessment,
        by=world.user("staff"),
        values={**VALUES, "title_en": "Renamed"},
        areas=[world.area],
    )
    assessment.refresh_from_db()
    assert assessment.title_en == "Renamed"
    assert assessment.updated_by == world.user("staff")


def test_nobody_but_coordinators_edits_a_submitted_assessment(world):
    assessment = make_submitted(world)
    with pytest.raises(ValidationError, match="submitted for review"):
        services.assessment_update(
            assessment=assessment,
            by=world.user("focal"),
            values={**VALUES, "title_en": "Sneaky"},
            areas=[world.area],
        )
    assessment.refresh_from_db()
    assert assessment.title_en == VALUES["title_en"]
    services.assessment_update(
        assessment=assessment,
        by=world.user("coordinator"),
        values={**VALUES, "title_en": "Typo fixed"},
        areas=[world.area],
    )
    assessment.refresh_from_db()
    assert assessment.title_en == "Typo fixed"
    assert assessment.status == AssessmentStatus.SUBMITTED


def test_another_organisation_cannot_edit_it(world):
    assessment = make_draft(world)
    with pytest.raises(PermissionDenied):
        services.assessment_update(
            assessment=assessment, by=world.user("other_member"), values=VALUES, areas=[world.area]
        )


def test_removing_an_area_removes_its_findings(world):
    other = AdminAreaFactory(pcode="ZZ02", name_en="South")
    assessment = make_draft(world, areas=[world.area, other])
    domain = domains(1)[0]
    services.findings_save(
        assessment=assessment,
        by=world.user("focal"),
        findings=[
            services.FindingInput(area=world.area, domain=domain, severity=3),
            services.FindingInput(area=other, domain=domain, severity=4),
        ],
    )
    services.assessment_update(
        assessment=assessment, by=world.user("focal"), values=VALUES, areas=[world.area]
    )
    assert list(assessment.findings.values_list("area__pcode", flat=True)) == ["ZZ01"]


def test_submit_moves_a_draft_to_submitted(world):
    assessment = make_submitted(world)
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert assessment.submitted_at is not None


def test_submitting_twice_is_refused(world):
    assessment = make_submitted(world)
    with pytest.raises(ValidationError, match="Only a draft or a returned assessment"):
        services.assessment_submit(assessment=assessment, by=world.user("focal"))


def test_a_suspended_organisation_cannot_submit(world):
    assessment = make_draft(world)
    world.org_a.status = OrganisationStatus.SUSPENDED
    world.org_a.save()
    with pytest.raises(PermissionDenied):
        services.assessment_submit(assessment=assessment, by=world.user("focal"))
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT


def test_a_coordinator_returns_it_with_a_comment(world):
    assessment = make_submitted(world)
    services.assessment_return(
        assessment=assessment, by=world.user("coordinator"), comment="Add the sample size."
    )
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.RETURNED
    assert assessment.review_comment == "Add the sample size."


def test_returning_needs_a_comment(world):
    assessment = make_submitted(world)
    with pytest.raises(ValidationError) as error:
        services.assessment_return(assessment=assessment, by=world.user("coordinator"), comment=" ")
    assert "comment" in error.value.message_dict
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED


def test_a_draft_cannot_be_returned_or_published(world):
    assessment = make_draft(world)
    with pytest.raises(ValidationError, match="this one is draft"):
        services.assessment_return(assessment=assessment, by=world.user("coordinator"), comment="x")
    with pytest.raises(ValidationError, match="Only a submitted assessment can be published"):
        services.assessment_publish(assessment=assessment, by=world.user("coordinator"))
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT


def test_partners_cannot_publish_or_return(world):
    assessment = make_submitted(world)
    with pytest.raises(PermissionDenied):
        services.assessment_publish(assessment=assessment, by=world.user("focal"))
    with pytest.raises(PermissionDenied):
        services.assessment_return(assessment=assessment, by=world.user("focal"), comment="x")


def test_a_returned_assessment_is_fixed_and_submitted_again(world):
    assessment = make_submitted(world)
    services.assessment_return(assessment=assessment, by=world.user("coordinator"), comment="Fix")
    services.assessment_update(
        assessment=assessment,
        by=world.user("focal"),
        values={**VALUES, "sample": "60 facilities."},
        areas=[world.area],
    )
    services.assessment_submit(assessment=assessment, by=world.user("focal"))
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert assessment.sample == "60 facilities."


def test_publishing_sets_the_date_and_the_restriction(world):
    assessment = make_published(world, restricted=True)
    assert assessment.status == AssessmentStatus.PUBLISHED
    assert assessment.published_at is not None
    assert assessment.is_restricted
    assert not Assessment.objects.public().filter(pk=assessment.pk).exists()


def test_a_coordinator_withdraws_a_published_assessment_with_a_comment(world):
    assessment = make_published(world)
    services.assessment_return(
        assessment=assessment, by=world.user("coordinator"), comment="Wrong figures."
    )
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.RETURNED
    assert assessment.published_at is None


def test_findings_are_replaced_all_at_once_with_history(world):
    assessment = make_draft(world)
    first, second, third = domains(3)
    services.findings_save(
        assessment=assessment,
        by=world.user("focal"),
        findings=[
            services.FindingInput(area=world.area, domain=first, severity=2, people_in_need=10),
            services.FindingInput(area=world.area, domain=second, severity=3),
        ],
    )
    counts = services.findings_save(
        assessment=assessment,
        by=world.user("focal"),
        findings=[
            services.FindingInput(area=world.area, domain=first, severity=5, people_in_need=10),
            services.FindingInput(area=world.area, domain=third, severity=1),
        ],
        replace_all=True,
        confirmed_removals=[(world.area.pk, second.pk)],
    )
    assert counts == {"added": 1, "changed": 1, "removed": 1}
    assert sorted(assessment.findings.values_list("domain__code", "severity")) == sorted(
        [(first.code, 5), (third.code, 1)]
    )
    assert Finding.history.filter(history_user=world.user("focal")).count() == 5


def test_a_finding_may_be_in_an_area_inside_a_covered_one(world):
    assessment = make_draft(world)
    inside = district(world)
    services.findings_save(
        assessment=assessment,
        by=world.user("focal"),
        findings=[services.FindingInput(area=inside, domain=domains(1)[0], severity=4)],
    )
    assert assessment.findings.get().area == inside


def test_findings_outside_the_areas_or_off_the_scale_are_refused_whole(world):
    assessment = make_draft(world)
    elsewhere = AdminAreaFactory(pcode="ZZ09", name_en="Far Away")
    first, second = domains(2)
    with pytest.raises(ValidationError) as error:
        services.findings_save(
            assessment=assessment,
            by=world.user("focal"),
            findings=[
                services.FindingInput(area=world.area, domain=first, severity=3),
                services.FindingInput(area=elsewhere, domain=first, severity=3),
                services.FindingInput(area=world.area, domain=second, severity=6),
            ],
        )
    text = " ".join(error.value.messages)
    assert "Far Away" in text
    assert has_phrase(text, "from 1 to 5")
    assert not assessment.findings.exists()


def test_the_database_keeps_severity_between_1_and_5(world):
    from django.db import IntegrityError, transaction

    assessment = make_draft(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Finding.objects.create(
            assessment=assessment, area=world.area, domain=domains(1)[0], severity=0
        )


def test_one_finding_per_area_and_domain(world):
    from django.db import IntegrityError, transaction

    assessment = make_draft(world)
    domain = domains(1)[0]
    Finding.objects.create(assessment=assessment, area=world.area, domain=domain, severity=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Finding.objects.create(assessment=assessment, area=world.area, domain=domain, severity=3)
