"""A bulletin's publication in Chromium: Cora, a coordinator, builds both editions of a
bulletin for real, publishes them after the confirmation says whom it emails, and revises the
Arabic one; a visitor finds the bulletin once in the archive, reads its key figures, downloads
the PDF, and sees the revision only once it is published, with its note and the earlier PDF;
a confirmed subscriber receives the email of their language and unsubscribes in one click;
the archive, the editions' pages and the confirmations pass axe in both languages."""

import time

import pytest

from bulletins import publication, services
from bulletins.models import BuildStatus
from subscribers import services as subscriber_services
from subscribers.models import Subscriber
from subscribers.tokens import Confirmation
from tests.browser.axe import assert_accessible
from tests.browser_fixtures import log_in
from tests.bulletins.conftest import FEB, JAN, make_validated_rows
from tests.bulletins.factories import bilingual_bulletin, revise
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
def cora(db):
    make_validated_rows()
    return UserFactory(email="cora@example.org", is_coordinator=True)


@pytest.fixture
def built(cora):
    """Bulletin 12, of January and February 2026, both editions built for real."""
    bulletin, english, arabic = bilingual_bulletin(number=12, first_month=JAN, last_month=FEB)
    for edition in (english, arabic):
        edition = services.edition_build_in_process(edition=edition, by=cora)
        assert edition.status == BuildStatus.READY, edition.shown_reason
    return bulletin


def test_build_publish_revise_and_a_visitor_reads_the_revision(
    open_context, cora, mailoutbox, settings, live_server, every_figure_public
):
    # Two organisations (make_validated_rows): the public would see none of their figures
    # (tests/conftest.py); what a bulletin prints in their place is in test_disclosure.
    settings.SITE_URL = live_server.url
    reader = _confirmed_subscriber("reader@example.net", "en")
    _confirmed_subscriber("qari@example.net", "ar")
    _confirmed_subscriber("qaria@example.net", "ar")
    mailoutbox.clear()  # the subscription emails
    bulletin, _english, _arabic = bilingual_bulletin(number=12, first_month=JAN, last_month=FEB)

    # Cora builds both editions from today's figures.
    page = open_context()
    log_in(page, "cora@example.org")
    page.goto(f"/en/bulletins/manage/{bulletin.pk}/")
    page.get_by_role("button", name="Build every edition from today's figures").click()
    page.wait_for_load_state()
    for language in ("en", "ar"):
        card = page.locator(f"[data-edition={language}]")
        assert card.locator("[data-build-label]").inner_text() == "Ready"

    # Publishing asks first: who will be emailed, edition by edition.
    page.get_by_role("link", name="Publish…").click()
    page.wait_for_load_state()
    consequences = page.locator("#consequences li")
    assert "1 confirmed subscriber who reads English" in consequences.nth(0).inner_text()
    assert "2 confirmed subscribers who read Arabic" in consequences.nth(1).inner_text()
    assert not mailoutbox
    page.get_by_role("button", name="Publish and email 3 subscribers").click()
    page.wait_for_load_state()
    assert page.get_by_text("The English edition of bulletin 12 is published.").is_visible()
    assert page.get_by_role("link", name="Withdraw the bulletin…").is_visible()

    # A visitor finds it once in the archive, with both editions, and reads its figures.
    visitor = open_context()
    visitor.goto("/en/")
    visitor.get_by_role("contentinfo").get_by_role("link", name="Bulletins").click()
    visitor.wait_for_load_state()
    assert visitor.locator("[data-bulletin]").count() == 1
    visitor.get_by_role("link", name="Health Cluster Bulletin").click()
    visitor.wait_for_load_state()
    assert visitor.url.endswith("/en/bulletins/12/")
    people = visitor.locator("[data-figure=people_reached]").inner_text()
    # People reached once: North's largest month (307 in February, not 36 in January) and
    # South's 15, with the rule beside the figure.
    assert people.split("\n")[0] == "322"
    with visitor.expect_download() as download_info:
        visitor.get_by_role("link", name="Download the PDF").click()
    download = download_info.value
    assert download.suggested_filename == "bulletin-12-en.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    # Subscribers get the edition of their language.
    wait_for(lambda: len(mailoutbox) >= 3)
    english_mail = [m for m in mailoutbox if m.to == [reader.email]]
    assert len(english_mail) == 1
    assert f"{live_server.url}/en/bulletins/12/en/" in english_mail[0].body

    # Cora revises the Arabic edition: the public page does not move until she publishes.
    page.goto(f"/en/bulletins/manage/{bulletin.pk}/ar/edit/")
    assert page.locator("[data-revision-notice]").is_visible()
    page.get_by_label("Health response").fill("أعاد الشركاء فتح ثلاثة مرافق صحية.")
    page.locator("#autosave-status").filter(has_text="Draft saved at").wait_for(timeout=10_000)
    visitor.goto("/ar/bulletins/12/ar/")
    assert "ثلاثة مرافق" not in visitor.locator("article").inner_text()

    page.goto(f"/en/bulletins/manage/{bulletin.pk}/")
    page.locator("[data-edition=ar]").get_by_role("button", name="Build again").click()
    page.wait_for_load_state()
    visitor.reload()
    assert "ثلاثة مرافق" not in visitor.locator("article").inner_text()
    page.locator("[data-edition=ar]").get_by_role("link", name="Publish the revision…").click()
    page.wait_for_load_state()
    assert page.get_by_text("Its figures stay those it was published with.").is_visible()
    page.get_by_label("What was revised").fill("أضيف المرفق الثالث الذي أعيد فتحه.")
    page.get_by_role("button", name="Publish the revision").click()
    page.wait_for_load_state()
    assert page.get_by_text("Version 2 of the Arabic edition is published").is_visible()

    # The visitor now reads the revision, its note, and can still download version 1.
    visitor.reload()
    assert "ثلاثة مرافق" in visitor.locator("article").inner_text()
    note = visitor.locator("[data-revision='2']").inner_text()
    assert "أضيف المرفق الثالث الذي أعيد فتحه." in note
    assert visitor.locator("[data-earlier-versions] a").count() == 1
    # Nobody was emailed about the revision.
    assert len(mailoutbox) == 3

    # The English reader unsubscribes in one click from the link in the email.
    inbox = open_context()
    inbox.goto(path_of(link_to(english_mail[0], "/unsubscribe/")))
    inbox.get_by_role("button", name="Unsubscribe").click()
    inbox.wait_for_load_state()
    assert inbox.get_by_role("heading", name="You are unsubscribed").is_visible()
    assert not Subscriber.objects.filter(email=reader.email).exists()


def test_the_archive_and_bulletin_pages_are_accessible(axe_page, built):
    publication.bulletin_publish(bulletin=built, languages=["en", "ar"], by=None)
    arabic = built.editions.get(language="ar")
    revise(arabic, health_response="نص منقح.")
    services.edition_build_in_process(edition=arabic, by=None)
    publication.edition_publish_revision(edition=arabic, note="تصحيح أرقام الشمال.", by=None)
    withdrawn, _en, withdrawn_ar = bilingual_bulletin(number=13, first_month=JAN, last_month=FEB)
    services.edition_build_in_process(edition=withdrawn_ar, by=None)
    publication.bulletin_publish(bulletin=withdrawn, languages=["ar"], by=None)
    publication.bulletin_withdraw(bulletin=withdrawn, by=None, reason="خطأ في أرقام الشمال.")
    for path in [
        "/en/bulletins/",
        "/ar/bulletins/",
        "/en/bulletins/?year=2026&language=en",
        "/en/bulletins/12/",
        "/ar/bulletins/12/",
        "/en/bulletins/12/ar/",
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
    publication.bulletin_publish(bulletin=built, languages=["en", "ar"], by=None)
    path = f"/{language}/bulletins/manage/{built.pk}/withdraw/"
    assert axe_page.goto(path).status == 200
    assert_accessible(axe_page, path)
    english = built.editions.get(language="en")
    revise(english, highlights="A corrected message.")
    services.edition_build_in_process(edition=english, by=None)
    path = f"/{language}/bulletins/manage/{built.pk}/en/revise/"
    assert axe_page.goto(path).status == 200
    assert_accessible(axe_page, path)
