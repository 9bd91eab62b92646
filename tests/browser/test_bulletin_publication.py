"""A bulletin's publication in Chromium: Cora, a coordinator, publishes a bulletin built for
real; a visitor finds it in the archive, reads its key figures on its page and downloads the
PDF; a confirmed subscriber receives the email and unsubscribes in one click; the archive and
the bulletin's pages pass axe in both languages."""

import time

import pytest

from bulletins import services
from bulletins.models import BulletinStatus
from subscribers import services as subscriber_services
from subscribers.models import Subscriber
from subscribers.tokens import Confirmation
from tests.browser.axe import assert_accessible
from tests.browser_fixtures import log_in
from tests.bulletins.conftest import FEB, JAN, make_validated_rows
from tests.bulletins.factories import BulletinFactory
from tests.factories import UserFactory
from tests.subscribers.conftest import link_to, path_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_for(condition, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def _confirmed_subscriber(email: str, language: str) -> Subscriber:
    """Subscribe and confirm through the subscribers' services, as the link would."""
    subscriber_services.subscription_request(email=email, language=language)
    subscriber = Subscriber.objects.get(email=email)
    subscriber_services.subscription_confirm(
        confirmation=Confirmation(uid=subscriber.uid, language=language)
    )
    return subscriber


@pytest.fixture
def built(db):
    """A bulletin of January and February 2026, built for real in this process."""
    make_validated_rows()
    cora = UserFactory(email="cora@example.org", is_coordinator=True)
    bulletin = BulletinFactory(
        number=12, title="Bulletin of early 2026", first_month=JAN, last_month=FEB
    )
    bulletin = services.bulletin_build_in_process(bulletin=bulletin, by=cora)
    assert bulletin.status == BulletinStatus.READY, bulletin.shown_reason
    return bulletin


def test_publish_find_read_download_receive_and_unsubscribe(
    open_context, built, mailoutbox, settings, live_server
):
    settings.SITE_URL = live_server.url
    reader = _confirmed_subscriber("reader@example.net", "en")
    _confirmed_subscriber("qari@example.net", "ar")
    mailoutbox.clear()  # the subscription emails

    # Cora publishes the ready bulletin.
    cora = open_context()
    log_in(cora, "cora@example.org")
    cora.goto(f"/en/bulletins/manage/{built.pk}/")
    assert cora.get_by_role("heading", name="Email subscribers").is_visible()
    cora.get_by_role("link", name="Publish the bulletin…").click()
    cora.wait_for_load_state()
    # The confirmation says who will be emailed: the one English reader, not the Arabic one.
    assert cora.get_by_text(
        "An email announcing it goes to 1 confirmed subscriber who reads English, once."
    ).is_visible()
    assert not mailoutbox
    cora.get_by_role("button", name="Publish and email 1 subscriber").click()
    cora.wait_for_load_state()
    assert cora.get_by_text("Bulletin 12 is published.").is_visible()
    assert cora.get_by_role("link", name="Withdraw the bulletin…").is_visible()

    # A visitor finds it in the archive and reads its key figures on its page.
    visitor = open_context()
    visitor.goto("/en/")
    visitor.get_by_role("contentinfo").get_by_role("link", name="Bulletins").click()
    visitor.wait_for_load_state()
    visitor.get_by_role("link", name="Bulletin of early 2026").click()
    visitor.wait_for_load_state()
    assert visitor.url.endswith("/en/bulletins/12/")
    people = visitor.locator("[data-figure=people_reached]").inner_text()
    # People reached once: North's largest month (307 in February, not 36 in January) and
    # South's 15, with the rule beside the figure.
    assert people.split("\n")[0] == "322"
    assert "people reached once" in people
    table = visitor.get_by_role("table", name="People reached by sex and age")
    assert table.get_by_role("row", name="Girls").inner_text().split()[-1] == "116"

    # ... and downloads the PDF.
    with visitor.expect_download() as download_info:
        visitor.get_by_role("link", name="Download the PDF").click()
    download = download_info.value
    assert download.suggested_filename == "bulletin-12-en.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    # The English subscriber, and only they, receive the email.
    wait_for(lambda: len(mailoutbox) >= 1)
    (message,) = mailoutbox
    assert message.to == [reader.email]
    assert "Bulletin 12: Bulletin of early 2026" in message.subject
    assert f"{live_server.url}/en/bulletins/12/" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith("<")

    # They unsubscribe in one click from the link in the email.
    inbox = open_context()
    inbox.goto(path_of(link_to(message, "/unsubscribe/")))
    inbox.get_by_role("button", name="Unsubscribe").click()
    inbox.wait_for_load_state()
    assert inbox.get_by_role("heading", name="You are unsubscribed").is_visible()
    assert not Subscriber.objects.filter(email=reader.email).exists()


def test_the_archive_and_bulletin_pages_are_accessible(axe_page, built):
    services.bulletin_publish(bulletin=built, by=None)
    arabic = BulletinFactory(
        number=13, language="ar", title="نشرة أوائل 2026", first_month=JAN, last_month=FEB
    )
    arabic = services.bulletin_build_in_process(bulletin=arabic, by=None)
    services.bulletin_publish(bulletin=arabic, by=None)
    services.bulletin_withdraw(bulletin=arabic, by=None, reason="خطأ في أرقام الشمال.")
    for path in [
        "/en/bulletins/",
        "/ar/bulletins/",
        "/en/bulletins/?year=2026&language=en",
        "/en/bulletins/12/",
        "/ar/bulletins/12/",
        "/en/bulletins/13/",
        "/ar/bulletins/13/",
        "/en/",
    ]:
        axe_page.goto(path)
        assert_accessible(axe_page, path)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_confirmations_are_accessible(axe_page, built, language):
    log_in(axe_page, "cora@example.org")
    path = f"/{language}/bulletins/manage/{built.pk}/publish/"
    assert axe_page.goto(path).status == 200
    assert_accessible(axe_page, path)
    services.bulletin_publish(bulletin=built, by=None)
    path = f"/{language}/bulletins/manage/{built.pk}/withdraw/"
    assert axe_page.goto(path).status == 200
    assert_accessible(axe_page, path)
