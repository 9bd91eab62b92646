"""Publishing and withdrawing ask first: the confirmation page says what will happen and to
whom, nothing happens on a GET, and the POST from its button does it."""

import datetime
import re

import pytest
from django.urls import reverse

from activities.models import ReportStatus
from bulletins import services
from bulletins.models import BulletinStatus
from partners.models import Organisation, OrganisationStatus
from subscribers.models import Announcement
from tests.activities.factories import PeriodFactory, ReportFactory
from tests.bulletins.test_publication import published_bulletin, ready_bulletin
from tests.subscribers.conftest import SubscriberFactory
from tests.text import has_phrase

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.time_machine(datetime.datetime(2026, 3, 15, 12, 0, tzinfo=datetime.UTC)),
]


@pytest.fixture
def cora(world, login):
    return login(world.user("coordinator"))


def _lines(html: str, list_id: str) -> list[str]:
    start = html.index(f'id="{list_id}"')
    block = html[start : html.index("</ul>", start)]
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in block.split("<li>")[1:]]


def test_the_publication_says_how_many_subscribers_of_its_language_will_be_emailed(cora):
    bulletin = ready_bulletin(number=21, title="Bulletin of early 2026")
    SubscriberFactory.create_batch(3, language="en")
    SubscriberFactory(language="ar")
    SubscriberFactory(language="en", confirmed_at=None)  # not confirmed: not emailed

    page = cora.get(reverse("bulletins:publish", kwargs={"pk": bulletin.pk})).content.decode()

    consequences = _lines(page, "consequences")
    assert has_phrase(
        consequences[2],
        "An email announcing it goes to the 3 confirmed subscribers who read English, once.",
    )
    assert has_phrase(consequences[0], "Bulletin 21, “Bulletin of early 2026”, becomes public")
    assert has_phrase(page, "Publish and email 3 subscribers")
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.READY  # nothing happened on the GET
    assert not Announcement.objects.exists()


def test_thin_reporting_is_warned_month_by_month(cora, world):
    approved = list(Organisation.objects.filter(status=OrganisationStatus.APPROVED))
    assert len(approved) >= 2
    january, february = (PeriodFactory(year=2026, month=m) for m in (1, 2))
    for organisation in approved:
        ReportFactory(organisation=organisation, period=january, status=ReportStatus.VALIDATED)
    ReportFactory(organisation=approved[0], period=february, status=ReportStatus.VALIDATED)
    # Submitted, not validated: it does not count.
    ReportFactory(organisation=approved[1], period=february, status=ReportStatus.SUBMITTED)
    bulletin = ready_bulletin()  # January and February 2026

    page = cora.get(reverse("bulletins:publish", kwargs={"pk": bulletin.pk})).content.decode()

    total = len(approved)
    assert _lines(page, "warnings") == [
        f"February 2026: only 1 of the {total} approved partners ({round(100 / total)}%) "
        "have a validated report, fewer than 80%."
    ]
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.READY


def test_no_warning_when_every_month_is_reported(cora, world):
    for month in (1, 2):
        period = PeriodFactory(year=2026, month=month)
        for organisation in Organisation.objects.filter(status=OrganisationStatus.APPROVED):
            ReportFactory(organisation=organisation, period=period, status=ReportStatus.VALIDATED)
    bulletin = ready_bulletin()
    page = cora.get(reverse("bulletins:publish", kwargs={"pk": bulletin.pk})).content.decode()
    assert 'id="warnings"' not in page


def test_confirming_publishes_and_announces_once(cora, django_capture_on_commit_callbacks):
    bulletin = ready_bulletin()
    SubscriberFactory(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        response = cora.post(reverse("bulletins:publish", kwargs={"pk": bulletin.pk}))
    assert response.status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.PUBLISHED
    assert Announcement.objects.count() == 1


def test_the_withdrawal_asks_for_the_reason_and_says_the_page_stays(cora):
    bulletin = published_bulletin()
    url = reverse("bulletins:withdraw", kwargs={"pk": bulletin.pk})

    page = cora.get(url).content.decode()
    assert has_phrase(
        _lines(page, "consequences")[0],
        "Its public page and its PDF stay online, marked as withdrawn, with your reason",
    )
    assert 'name="reason"' in page
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.PUBLISHED

    response = cora.post(url, {"reason": ""})
    assert response.status_code == 400
    assert has_phrase(response.content.decode(), "Say why the bulletin is withdrawn")
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.PUBLISHED

    cora.post(url, {"reason": "One area was counted twice."})
    bulletin.refresh_from_db()
    assert (bulletin.status, bulletin.withdrawal_reason) == (
        BulletinStatus.WITHDRAWN,
        "One area was counted twice.",
    )


def test_publishing_again_after_a_withdrawal_emails_nobody(cora):
    bulletin = published_bulletin()
    services.bulletin_withdraw(bulletin=bulletin, by=None, reason="Counted twice.")
    SubscriberFactory(language="en")
    page = cora.get(reverse("bulletins:publish", kwargs={"pk": bulletin.pk})).content.decode()
    assert has_phrase(
        page, "Nobody is emailed: its subscribers were told when it was first published."
    )
    assert "Publish and email" not in page


def test_no_confirmation_is_offered_for_what_cannot_be_done(cora):
    published = published_bulletin()
    response = cora.get(reverse("bulletins:publish", kwargs={"pk": published.pk}), follow=True)
    assert has_phrase(response.content.decode(), "This bulletin is already published.")
    ready = ready_bulletin()
    response = cora.get(reverse("bulletins:withdraw", kwargs={"pk": ready.pk}), follow=True)
    assert has_phrase(response.content.decode(), "Only a published bulletin can be withdrawn")
