"""Publishing and withdrawing a bulletin: the services, the coordinators' buttons, what is
refused and left unchanged, and the announcement to the subscribers of its language through
the subscribers app, once, whatever happens after."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from bulletins import services
from bulletins.models import Bulletin, BulletinStatus
from subscribers.models import Announcement
from tests.bulletins.conftest import sample_figures
from tests.bulletins.factories import BulletinFactory
from tests.subscribers.conftest import SubscriberFactory, link_to, path_of
from tests.text import has_phrase

# Mid-March 2026: the bulletins cover January and February 2026.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.time_machine(datetime.datetime(2026, 3, 15, 12, 0, tzinfo=datetime.UTC)),
]


def ready_bulletin(**fields) -> Bulletin:
    """A bulletin as a build leaves it: ready, with a snapshot and a PDF on disk."""
    bulletin = BulletinFactory(**fields)
    bulletin.snapshot = sample_figures(
        first_month=bulletin.first_month, last_month=bulletin.last_month
    )
    bulletin.snapshot_taken_at = timezone.now()
    bulletin.built_at = timezone.now()
    bulletin.status = BulletinStatus.READY
    bulletin.pdf.save(
        f"b{bulletin.number}.pdf", ContentFile(b"%PDF-1.7\n% a bulletin\n"), save=False
    )
    bulletin.save()
    return bulletin


def published_bulletin(**fields) -> Bulletin:
    bulletin = ready_bulletin(**fields)
    return services.bulletin_publish(bulletin=bulletin, by=None)


@pytest.fixture
def cora(world):
    return world.user("coordinator")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def _committed():
        return django_capture_on_commit_callbacks(execute=True)

    return _committed


# The services ------------------------------------------------------------------------------


def test_publishing_a_ready_bulletin_makes_it_public_and_keeps_its_figures(cora):
    bulletin = ready_bulletin()
    snapshot = bulletin.snapshot

    published = services.bulletin_publish(bulletin=bulletin, by=cora)

    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.PUBLISHED
    assert bulletin.published_at is not None
    assert bulletin.snapshot_is_frozen()
    assert bulletin.snapshot == snapshot
    assert published.updated_by == cora
    assert bulletin.history.first().history_user == cora


@pytest.mark.parametrize(
    "status",
    [BulletinStatus.DRAFT, BulletinStatus.QUEUED, BulletinStatus.BUILDING, BulletinStatus.FAILED],
)
def test_only_a_ready_bulletin_can_be_published(cora, status):
    bulletin = ready_bulletin()
    Bulletin.objects.filter(pk=bulletin.pk).update(status=status)
    before = Bulletin.objects.values().get(pk=bulletin.pk)

    with pytest.raises(ValidationError, match="Only a ready bulletin can be published"):
        services.bulletin_publish(bulletin=bulletin, by=cora)

    assert Bulletin.objects.values().get(pk=bulletin.pk) == before
    assert not Announcement.objects.exists()


def test_a_ready_status_without_a_pdf_is_not_enough(cora):
    bulletin = BulletinFactory(status=BulletinStatus.READY)

    with pytest.raises(ValidationError, match="Only a ready bulletin"):
        services.bulletin_publish(bulletin=bulletin, by=cora)
    bulletin.refresh_from_db()
    assert bulletin.published_at is None


def test_publishing_twice_is_refused_and_announces_once(cora):
    bulletin = published_bulletin()

    with pytest.raises(ValidationError, match="already published"):
        services.bulletin_publish(bulletin=bulletin, by=cora)
    assert Announcement.objects.count() == 1


def test_withdrawing_needs_a_reason_and_changes_nothing_without_one(cora):
    bulletin = published_bulletin()
    before = Bulletin.objects.values().get(pk=bulletin.pk)

    with pytest.raises(ValidationError, match="Say why the bulletin is withdrawn"):
        services.bulletin_withdraw(bulletin=bulletin, by=cora, reason="   ")

    assert Bulletin.objects.values().get(pk=bulletin.pk) == before


def test_withdrawing_keeps_the_file_and_the_figures_and_records_the_reason(cora):
    bulletin = published_bulletin()
    pdf, snapshot, published_at = bulletin.pdf.name, bulletin.snapshot, bulletin.published_at

    services.bulletin_withdraw(
        bulletin=bulletin, by=cora, reason=" Figures of the north counted twice. "
    )

    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.WITHDRAWN
    assert bulletin.withdrawal_reason == "Figures of the north counted twice."
    assert bulletin.withdrawn_at is not None
    assert bulletin.pdf.name == pdf
    assert bulletin.pdf.storage.exists(pdf)
    assert bulletin.snapshot == snapshot
    assert bulletin.published_at == published_at
    assert bulletin.snapshot_is_frozen()


def test_only_a_published_bulletin_can_be_withdrawn(cora):
    bulletin = ready_bulletin()

    with pytest.raises(ValidationError, match="Only a published bulletin can be withdrawn"):
        services.bulletin_withdraw(bulletin=bulletin, by=cora, reason="A mistake.")
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.READY
    assert bulletin.withdrawal_reason == ""


def test_publishing_again_after_a_withdrawal_clears_it_and_keeps_the_first_date(cora):
    bulletin = published_bulletin()
    first = bulletin.published_at
    services.bulletin_withdraw(bulletin=bulletin, by=cora, reason="Checking a figure.")

    services.bulletin_publish(bulletin=bulletin, by=cora)

    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.PUBLISHED
    assert bulletin.published_at == first
    assert bulletin.withdrawn_at is None
    assert bulletin.withdrawal_reason == ""


def test_a_rebuild_of_a_withdrawn_bulletin_keeps_it_withdrawn_and_its_figures(
    cora, validated_rows, profile
):
    bulletin = published_bulletin()
    services.bulletin_withdraw(bulletin=bulletin, by=cora, reason="Layout error.")
    frozen = bulletin.snapshot

    services.bulletin_build_in_process(bulletin=bulletin, by=cora)

    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.WITHDRAWN
    assert bulletin.snapshot == frozen


# The announcement -------------------------------------------------------------------------


def test_publishing_announces_the_bulletin_in_its_language(cora, settings):
    settings.SITE_URL = "https://health.example.org"
    bulletin = ready_bulletin(number=7, language="ar", title="النشرة السابعة", highlights="أ\nب")

    services.bulletin_publish(bulletin=bulletin, by=cora)

    (announcement,) = Announcement.objects.all()
    assert announcement.key == f"bulletin-{bulletin.pk}"
    assert announcement.language == "ar"
    assert announcement.url == "https://health.example.org/ar/bulletins/7/"
    assert "النشرة السابعة" in announcement.subject
    assert "النشرة" in announcement.subject  # "Bulletin 7: …" translated or not, the title
    # Figures in the Arabic locale (Arabic thousands separator), highlights, no English.
    assert has_phrase(announcement.body, "123\u066c456")
    assert "- أ\n- ب\n" in announcement.body


def test_the_english_email_has_the_title_period_figures_and_highlights(cora):
    bulletin = ready_bulletin(number=8, title="March bulletin")

    subject, body = services.announcement_text(bulletin)

    assert subject == "Bulletin 8: March bulletin"
    assert "Period covered: January \u2013 February 2026" in body
    assert has_phrase(body, "123,456 people reached (25% of the 500,000 targeted)")
    assert has_phrase(body, "7 partners reporting")
    assert has_phrase(body, "3 areas covered")
    assert "- Consultations rose in the north.\n" in body
    assert body.rstrip().endswith("Read the bulletin and download its PDF:")


def test_the_round_trip_through_the_inbox(client, cora, committed, mailoutbox, settings):
    settings.SITE_URL = "http://testserver"
    english = SubscriberFactory(email="reader@example.net", language="en")
    arabic = SubscriberFactory(email="qari@example.net", language="ar")
    SubscriberFactory(email="pending@example.net", language="ar", confirmed_at=None)
    en_bulletin = ready_bulletin(number=20, language="en", title="English bulletin")
    ar_bulletin = ready_bulletin(number=21, language="ar", title="نشرة عربية")

    with committed():
        services.bulletin_publish(bulletin=ar_bulletin, by=cora)

    # The confirmed Arabic subscriber only, and the Arabic bulletin only.
    (message,) = mailoutbox
    assert message.to == [arabic.email]
    assert "نشرة عربية" in message.subject
    assert "http://testserver/ar/bulletins/21/" in message.body
    unsubscribe = link_to(message, "/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"

    # Withdrawn and published again: nobody is emailed a second time.
    mailoutbox.clear()
    with committed():
        services.bulletin_withdraw(bulletin=ar_bulletin, by=cora, reason="A typo.")
    with committed():
        services.bulletin_publish(bulletin=ar_bulletin, by=cora)
    assert mailoutbox == []

    # The English one goes to the English subscriber.
    with committed():
        services.bulletin_publish(bulletin=en_bulletin, by=cora)
    (message,) = mailoutbox
    assert message.to == [english.email]
    assert "English bulletin" in message.subject

    # The public page the email links to is there.
    assert client.get(path_of(link_to(message, "/bulletins/"))).status_code == 200


def test_nothing_is_emailed_when_the_publication_fails(cora, committed, mailoutbox):
    SubscriberFactory(language="en")
    bulletin = BulletinFactory()

    with committed(), pytest.raises(ValidationError):
        services.bulletin_publish(bulletin=bulletin, by=cora)

    assert mailoutbox == []
    assert not Announcement.objects.exists()


# The coordinators' pages -----------------------------------------------------------------


def test_the_bulletin_page_offers_to_publish_a_ready_bulletin_and_shows_the_counts(world, login):
    SubscriberFactory(language="ar")
    SubscriberFactory(language="ar")
    SubscriberFactory(language="en", confirmed_at=None)
    bulletin = ready_bulletin(language="ar")
    client = login(world.user("coordinator"))

    page = client.get(reverse("bulletins:detail", kwargs={"pk": bulletin.pk})).content.decode()

    assert reverse("bulletins:publish", kwargs={"pk": bulletin.pk}) in page
    assert "emails the confirmed subscribers in Arabic, once" in page
    assert "Email subscribers" in page
    assert 'Confirmed, in Arabic</dt>\n      <dd class="col-4 text-end mb-1">2</dd>' in page
    assert "Waiting for confirmation" in page


def test_a_draft_page_says_to_build_first_and_has_no_publish_button(world, login):
    bulletin = BulletinFactory()
    client = login(world.user("coordinator"))

    page = client.get(reverse("bulletins:detail", kwargs={"pk": bulletin.pk})).content.decode()

    assert "once its status is Ready, you can publish it here" in page
    assert reverse("bulletins:publish", kwargs={"pk": bulletin.pk}) not in page


def test_the_publish_button_publishes_and_says_who_is_emailed(world, login):
    bulletin = ready_bulletin(number=31)
    client = login(world.user("coordinator"))

    response = client.post(reverse("bulletins:publish", kwargs={"pk": bulletin.pk}), follow=True)

    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.PUBLISHED
    page = response.content.decode()
    assert "Bulletin 31 is published. The confirmed subscribers in English are being emailed." in (
        page
    )
    assert bulletin.get_public_url() in page
    assert reverse("bulletins:withdraw", kwargs={"pk": bulletin.pk}) in page


def test_publishing_a_draft_from_the_page_says_why_and_changes_nothing(world, login):
    bulletin = BulletinFactory()
    client = login(world.user("coordinator"))

    response = client.post(reverse("bulletins:publish", kwargs={"pk": bulletin.pk}), follow=True)

    assert "Only a ready bulletin can be published" in response.content.decode()
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.DRAFT
    assert bulletin.published_at is None


def test_withdrawing_without_a_reason_shows_the_form_again_with_the_error(world, login):
    bulletin = published_bulletin()
    client = login(world.user("coordinator"))

    response = client.post(
        reverse("bulletins:withdraw", kwargs={"pk": bulletin.pk}), {"reason": ""}
    )

    assert response.status_code == 400
    assert "Say why the bulletin is withdrawn" in response.content.decode()
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.PUBLISHED
    assert bulletin.withdrawn_at is None


def test_withdrawing_with_a_reason_and_publishing_again_from_the_page(world, login):
    bulletin = published_bulletin(number=33)
    client = login(world.user("coordinator"))

    response = client.post(
        reverse("bulletins:withdraw", kwargs={"pk": bulletin.pk}),
        {"reason": "The northern figures were counted twice."},
        follow=True,
    )
    page = response.content.decode()
    assert "Bulletin 33 is withdrawn." in page
    assert "The northern figures were counted twice." in page
    assert "Publish again" in page

    response = client.post(reverse("bulletins:publish", kwargs={"pk": bulletin.pk}), follow=True)
    assert (
        "Bulletin 33 is published again. Its subscribers were emailed when it was first "
        "published and are not emailed again."
    ) in response.content.decode()
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.PUBLISHED
    assert Announcement.objects.count() == 1


# The home page ---------------------------------------------------------------------------


def test_the_home_page_shows_the_latest_published_bulletin_in_its_language(client):
    ready_bulletin(number=40, title="A draft-like ready one")
    older = published_bulletin(number=41, title="Older English bulletin")
    published_bulletin(number=42, title="Newest Arabic bulletin", language="ar")
    withdrawn = published_bulletin(number=43, title="Withdrawn English bulletin")
    services.bulletin_withdraw(bulletin=withdrawn, by=None, reason="Wrong.")

    english = client.get("/en/").content.decode()
    arabic = client.get("/ar/").content.decode()

    assert "Older English bulletin" in english
    assert f'href="/en/bulletins/{older.number}/"' in english
    assert 'href="/en/bulletins/41/pdf/"' in english
    assert "Withdrawn English bulletin" not in english
    assert "A draft-like ready one" not in english
    assert "Newest Arabic bulletin" in arabic
    assert 'href="/ar/bulletins/42/pdf/"' in arabic


def test_the_home_page_without_bulletins_offers_the_subscription(client):
    page = client.get("/en/").content.decode()

    assert "No bulletin has been published yet." in page
    assert 'href="/en/subscribe/"' in page


def test_every_page_links_to_the_feed_and_the_archive(client):
    page = client.get("/en/partners/").content.decode()

    assert (
        '<link rel="alternate" type="application/atom+xml" title="Health cluster bulletins" '
        'href="/en/bulletins/feed/">'
    ) in page
    assert '<a href="/en/bulletins/">Bulletins</a>' in page


def test_a_published_bulletin_keeps_its_number_title_language_and_months_in_the_editor(
    world, login
):
    bulletin = published_bulletin(number=50, language="en", title="Bulletin of early 2026")
    client = login(world.user("coordinator"))
    form = {
        "number": "51",
        "title": "New title",
        "language": "ar",
        "first_month": "2025-01",
        "last_month": "2025-02",
        "highlights": "Corrected",
    }

    page = client.get(reverse("bulletins:edit", kwargs={"pk": bulletin.pk})).content.decode()
    response = client.post(reverse("bulletins:edit", kwargs={"pk": bulletin.pk}), form)

    assert "This bulletin is published" in page
    assert "Fixed once the bulletin is published." in page
    assert response.status_code == 302
    bulletin.refresh_from_db()
    assert (bulletin.number, bulletin.language) == (50, "en")
    assert bulletin.first_month.year == 2026
    assert bulletin.title == "Bulletin of early 2026"
    assert client.get("/en/bulletins/50/").status_code == 200
