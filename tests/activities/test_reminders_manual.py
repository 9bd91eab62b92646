"""A coordinator sends a reminder by hand from the period page."""

import pytest
from django.urls import reverse

from activities.models import ReminderKind, ReminderSent, ReportStatus
from tests.activities.factories import PeriodFactory, ReportFactory
from tests.activities.test_reports_helpers import open_period
from tests.factories import MembershipFactory, OrganisationFactory


@pytest.fixture
def period(db):
    return open_period()


def remind_url(period, organisation) -> str:
    return reverse(
        "activities:period_remind", kwargs={"pk": period.pk, "organisation_pk": organisation.pk}
    )


def test_a_coordinator_sends_a_reminder_to_the_focal_point(
    world, period, login, mailoutbox, django_capture_on_commit_callbacks
):
    client = login(world.user("coordinator"))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remind_url(period, world.org_a), follow=True)

    assert response.redirect_chain[-1][0] == reverse(
        "activities:period_detail", kwargs={"pk": period.pk}
    )
    assert "A reminder about October 2026 is on its way to Alpha Health." in response.text
    reminder = ReminderSent.objects.get()
    assert (reminder.kind, reminder.organisation, reminder.sent_by) == (
        ReminderKind.MANUAL,
        world.org_a,
        world.user("coordinator"),
    )
    assert [mail.to for mail in mailoutbox] == [["alice@example.org"]]
    body = mailoutbox[0].body
    assert "Alpha Health has not submitted" in body
    assert "cora@example.org" in body
    assert reverse("activities:report_start", kwargs={"period_pk": period.pk}) in body


def test_a_coordinator_may_remind_the_same_organisation_again(
    world, period, login, mailoutbox, django_capture_on_commit_callbacks
):
    client = login(world.user("coordinator"))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(remind_url(period, world.org_b))
        client.post(remind_url(period, world.org_b))

    assert ReminderSent.objects.filter(kind=ReminderKind.MANUAL).count() == 2
    assert [mail.to for mail in mailoutbox] == [["olga@example.org"], ["olga@example.org"]]


def test_it_refuses_to_remind_an_organisation_that_submitted(
    world, period, login, mailoutbox, django_capture_on_commit_callbacks
):
    ReportFactory(organisation=world.org_a, period=period, status=ReportStatus.SUBMITTED)
    client = login(world.user("coordinator"))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remind_url(period, world.org_a), follow=True)

    assert "Alpha Health has already submitted its report for October 2026." in response.text
    assert not ReminderSent.objects.exists()
    assert mailoutbox == []


def test_it_refuses_to_remind_for_a_locked_period(
    world, login, mailoutbox, django_capture_on_commit_callbacks
):
    locked = PeriodFactory(year=2025, month=3)
    client = login(world.user("coordinator"))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remind_url(locked, world.org_a), follow=True)

    assert "reopen the period for it first" in response.text
    assert not ReminderSent.objects.exists()
    assert mailoutbox == []


def test_it_refuses_an_organisation_with_nobody_to_write_to(world, period, login):
    empty = OrganisationFactory(name_en="Gamma Care")

    response = login(world.user("coordinator")).post(remind_url(period, empty), follow=True)

    assert "Gamma Care has no active member to send a reminder to." in response.text
    assert not ReminderSent.objects.exists()


def test_a_member_cannot_send_a_reminder(world, period, login, mailoutbox):
    response = login(world.user("focal")).post(remind_url(period, world.org_b))

    assert response.status_code == 403
    assert not ReminderSent.objects.exists()


def test_the_period_page_offers_a_reminder_only_to_organisations_that_have_not_submitted(
    world, period, login
):
    ReportFactory(organisation=world.org_a, period=period, status=ReportStatus.SUBMITTED)
    ReportFactory(organisation=world.org_b, period=period, status=ReportStatus.RETURNED)
    gamma = OrganisationFactory(name_en="Gamma Care")
    MembershipFactory(organisation=gamma)

    response = login(world.user("coordinator")).get(
        reverse("activities:period_detail", kwargs={"pk": period.pk})
    )

    assert remind_url(period, world.org_a) not in response.text
    assert remind_url(period, world.org_b) in response.text
    assert remind_url(period, gamma) in response.text
    assert 'Send a reminder<span class="visually-hidden"> to Beta Relief</span>' in response.text


def test_the_reminder_buttons_add_no_query_to_the_period_page(
    world, period, login, django_assert_max_num_queries
):
    client = login(world.user("coordinator"))
    url = reverse("activities:period_detail", kwargs={"pk": period.pk})
    with django_assert_max_num_queries(50) as few:
        client.get(url)
    for n in range(3):
        organisation = OrganisationFactory(name_en=f"Extra {n}")
        ReportFactory(organisation=organisation, period=period, status=ReportStatus.DRAFT)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.text.count("Send a reminder<span") == 5
