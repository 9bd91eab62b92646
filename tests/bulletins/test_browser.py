"""The bulletin pages' scripts in Chromium, under the portal's CSP: the editor autosaves as
Cora types and says when in its live region (a published edition's public page does not
move); the bulletin page follows each edition's build until its PDF is ready; the pages pass
axe."""

import datetime
import time
import uuid

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from bulletins.models import BuildStatus, Edition
from tests.browser.axe import assert_accessible
from tests.browser_fixtures import log_in
from tests.bulletins.factories import EditionFactory, published_edition
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # The builds' times run from a pinned moment (ticking: the pages poll and autosave).
    pytest.mark.time_machine(datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)),
]


def _wait(condition, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


@pytest.fixture
def cora(db):
    return UserFactory(email="cora@example.org", is_coordinator=True)


def test_the_editor_autosaves_while_cora_types(page, cora):
    edition = EditionFactory(health_response="")
    log_in(page, "cora@example.org")

    page.goto(f"/en/bulletins/manage/{edition.bulletin_id}/en/edit/")
    page.get_by_label("Health response").fill("Mobile clinics reached 12 villages.")

    status = page.locator("#autosave-status")
    status.filter(has_text="Draft saved at").wait_for(timeout=10_000)
    edition.refresh_from_db()
    assert edition.health_response == "Mobile clinics reached 12 villages."

    page.get_by_label("Highlights").fill("1\n2\n3\n4\n5")
    status.filter(has_text="Not saved yet").wait_for(timeout=10_000)
    edition.refresh_from_db()
    assert edition.highlights != "1\n2\n3\n4\n5"


def test_autosaving_a_published_edition_leaves_its_public_page_as_published(page, cora):
    edition = published_edition(health_response="Partners ran mobile clinics.")
    number = edition.bulletin.number
    log_in(page, "cora@example.org")

    page.goto(f"/en/bulletins/manage/{edition.bulletin_id}/en/edit/")
    page.get_by_label("Health response").fill("A revision in progress.")
    page.locator("#autosave-status").filter(has_text="Draft saved at").wait_for(timeout=10_000)

    page.goto(f"/en/bulletins/{number}/en/")
    article = page.locator("article").inner_text()
    assert "Partners ran mobile clinics." in article
    assert "A revision in progress." not in article


def test_the_status_page_follows_the_build_until_the_pdf_is_ready(page, cora, settings):
    settings.BULLETIN_HEARTBEAT_TIMEOUT = 120
    edition = EditionFactory()
    Edition.objects.filter(pk=edition.pk).update(
        status=BuildStatus.BUILDING, build_token=uuid.uuid4(), heartbeat_at=timezone.now()
    )
    log_in(page, "cora@example.org")

    page.goto(f"/en/bulletins/manage/{edition.bulletin_id}/")
    card = page.locator("[data-edition=en]")
    assert card.locator("[data-build-label]").inner_text() == "Building"
    assert card.locator("[data-build-download]").is_hidden()
    assert card.get_by_role("button", name="Build the PDF").is_disabled()

    edition.pdf.save("b.pdf", ContentFile(b"%PDF-1.7"), save=False)
    Edition.objects.filter(pk=edition.pk).update(
        status=BuildStatus.READY, pdf=edition.pdf.name, built_at=timezone.now()
    )

    card.locator("[data-build-label]", has_text="Ready").wait_for(timeout=10_000)
    assert card.get_by_role("link", name="Download the English PDF").is_visible()
    assert card.get_by_role("button", name="Build the PDF").is_enabled()


def test_the_bulletin_pages_are_accessible(axe_page, cora):
    edition = EditionFactory()
    public = published_edition(language="ar")
    pk = edition.bulletin_id
    log_in(axe_page, "cora@example.org")
    for path in [
        "/en/bulletins/manage/",
        "/en/bulletins/manage/new/",
        f"/en/bulletins/manage/{pk}/",
        f"/en/bulletins/manage/{pk}/settings/",
        f"/en/bulletins/manage/{pk}/en/edit/",
        f"/ar/bulletins/manage/{pk}/en/edit/",
        f"/ar/bulletins/manage/{public.bulletin_id}/",
        f"/en/bulletins/manage/{public.bulletin_id}/ar/edit/",
    ]:
        axe_page.goto(path)
        assert_accessible(axe_page, path)
