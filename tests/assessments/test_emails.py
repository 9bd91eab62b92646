"""Workflow emails: the next person is told, in their language, with a link to the assessment."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import services
from tests.assessments.workflow_helpers import make_draft, make_submitted
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_submitting_tells_every_coordinator(world, mailoutbox, django_capture_on_commit_callbacks):
    assessment = make_draft(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_submit(assessment=assessment, by=world.user("focal"))
    recipients = sorted(address for mail in mailoutbox for address in mail.to)
    assert recipients == ["ada@example.org", "cora@example.org"]
    mail = mailoutbox[0]
    assert "Assessment to review: Health needs in the North" in mail.subject
    assert reverse("assessments:detail", args=[assessment.pk]) in mail.body


def test_a_coordinator_who_reads_arabic_gets_the_email_in_arabic(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="arabic@example.org", is_coordinator=True, language="ar")
    assessment = make_draft(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_submit(assessment=assessment, by=world.user("focal"))
    arabic = next(mail for mail in mailoutbox if mail.to == ["arabic@example.org"])
    assert "/ar/assessments/" in arabic.body


def test_returning_tells_the_lead_organisations_members_with_the_comment(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    assessment = make_submitted(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_return(
            assessment=assessment, by=world.user("coordinator"), comment="Add the sample size."
        )
    assert sorted(mail.to[0] for mail in mailoutbox) == ["alice@example.org", "sam@example.org"]
    assert "returned for changes" in mailoutbox[0].subject
    assert "Add the sample size." in mailoutbox[0].body
    assert "olga@example.org" not in [mail.to[0] for mail in mailoutbox]


def test_publishing_tells_the_lead_organisations_members(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    assessment = make_submitted(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_publish(assessment=assessment, by=world.user("coordinator"))
    assert sorted(mail.to[0] for mail in mailoutbox) == ["alice@example.org", "sam@example.org"]
    assert "Assessment published" in mailoutbox[0].subject


def test_a_refused_transition_sends_nothing(world, mailoutbox, django_capture_on_commit_callbacks):
    assessment = make_draft(world)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.assessment_publish(assessment=assessment, by=world.user("coordinator"))
    assert mailoutbox == []
