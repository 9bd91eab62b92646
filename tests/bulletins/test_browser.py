"""The bulletin pages' scripts in Chromium, under the portal's CSP: the editor autosaves as
Cora types and says when in its live region; the status page follows a build until the PDF
is ready; both pages pass axe."""

import time
import uuid

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from bulletins.models import Bulletin, BulletinStatus
from tests.browser.axe import assert_accessible
from tests.browser_fixtures import log_in
from tests.bulletins.factories import BulletinFactory
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _wait(condition, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


@pytest.fixture
def cora(db):
    return UserFactory(email="cora@example.org", is_coordinator=True)


def test_the_editor_autosaves_while_cora_types(page, cora):
    bulletin = BulletinFactory(health_response="")
    log_in(page, "cora@example.org")

    page.goto(f"/en/bulletins/manage/{bulletin.pk}/edit/")
    page.get_by_label("Health response").fill("Mobile clinics reached 12 villages.")

    status = page.locator("#autosave-status")
    status.filter(has_text="Draft saved at").wait_for(timeout=10_000)
    bulletin.refresh_from_db()
    assert bulletin.health_response == "Mobile clinics reached 12 villages."

    page.get_by_label("Highlights").fill("1\n2\n3\n4\n5")
    status.filter(has_text="Not saved yet").wait_for(timeout=10_000)
    bulletin.refresh_from_db()
    assert bulletin.highlights != "1\n2\n3\n4\n5"


def test_the_status_page_follows_the_build_until_the_pdf_is_ready(page, cora, settings):
    settings.BULLETIN_HEARTBEAT_TIMEOUT = 120
    bulletin = BulletinFactory()
    Bulletin.objects.filter(pk=bulletin.pk).update(
        status=BulletinStatus.BUILDING, build_token=uuid.uuid4(), heartbeat_at=timezone.now()
    )
    log_in(page, "cora@example.org")

    page.goto(f"/en/bulletins/manage/{bulletin.pk}/")
    assert page.locator("[data-build-label]").inner_text() == "Building"
    assert page.locator("[data-build-download]").is_hidden()
    assert page.get_by_role("button", name="Build the PDF").is_disabled()

    bulletin.pdf.save("b.pdf", ContentFile(b"%PDF-1.7"), save=False)
    Bulletin.objects.filter(pk=bulletin.pk).update(
        status=BulletinStatus.READY, pdf=bulletin.pdf.name, built_at=timezone.now()
    )

    page.locator("[data-build-label]", has_text="Ready").wait_for(timeout=10_000)
    assert page.get_by_role("link", name="Download the PDF").is_visible()
    assert page.get_by_role("button", name="Build the PDF").is_enabled()


def test_the_bulletin_pages_are_accessible(axe_page, cora):
    bulletin = BulletinFactory()
    log_in(axe_page, "cora@example.org")
    for path in [
        "/en/bulletins/manage/",
        "/en/bulletins/manage/new/",
        f"/en/bulletins/manage/{bulletin.pk}/",
        f"/en/bulletins/manage/{bulletin.pk}/edit/",
        f"/ar/bulletins/manage/{bulletin.pk}/edit/",
    ]:
        axe_page.goto(path)
        assert_accessible(axe_page, path)
