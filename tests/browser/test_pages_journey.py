"""A page's life in Chromium: Cora, a coordinator, rewrites the "Networks" page in English
and Arabic; the editor autosaves her draft and offers it back after a reload; she saves and a
visitor reads the new text in both languages; then she restores the previous version from
the page's history and the visitor sees the old text again."""

import re
import time

import pytest

from pages.models import PageDraft
from tests.browser.axe import assert_accessible
from tests.browser_fixtures import log_in
from tests.factories import UserFactory
from tests.pages.conftest import PageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_for(condition, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_a_coordinator_rewrites_a_page_and_restores_the_previous_version(open_context):
    UserFactory(email="cora@example.org", full_name="Cora Coordinator", is_coordinator=True)
    networks = PageFactory(
        slug="networks",
        title_en="Networks",
        title_ar="الشبكات",
        body_en="Old English text about standby partners.",
        body_ar="نص عربي قديم عن الشركاء الاحتياطيين.",
    )
    editor_path = f"/en/pages/manage/{networks.pk}/edit/"

    # Cora edits both languages; the autosave keeps her draft when she leaves a field.
    cora = open_context()
    log_in(cora, "cora@example.org")
    cora.goto(editor_path)
    cora.get_by_label("Text (English)").fill("New English text about emergency medical teams.")
    cora.get_by_label("Text (Arabic)").fill("نص عربي جديد عن فرق الطوارئ الطبية.")
    cora.get_by_label("Title (English)").focus()
    status = cora.locator("#draft-status")
    status.filter(has_text=re.compile(r"Draft saved at \d\d:\d\d")).wait_for(timeout=15000)
    # The Arabic text left its field while the first draft was on its way: it follows.
    wait_for(lambda: "فرق الطوارئ" in PageDraft.objects.get(page=networks).data["body_ar"])

    # After a reload the editor offers the draft back.
    cora.reload()
    cora.get_by_role("link", name="Restore your unsaved draft").click()
    cora.wait_for_load_state()
    assert "emergency medical teams" in cora.get_by_label("Text (English)").input_value()
    cora.get_by_role("button", name="Save the page").click()
    cora.wait_for_load_state()
    assert cora.get_by_text("is saved and published").is_visible()

    # A visitor reads the new text in English, and in Arabic right to left.
    visitor = open_context()
    visitor.goto("/en/pages/networks/")
    assert visitor.get_by_text("New English text about emergency medical teams.").is_visible()
    visitor.goto("/ar/pages/networks/")
    assert visitor.locator("html").get_attribute("dir") == "rtl"
    assert visitor.get_by_role("heading", level=1).inner_text() == "الشبكات"
    assert visitor.get_by_text("نص عربي جديد عن فرق الطوارئ الطبية.").is_visible()

    # Cora compares the first version with the current one and restores it.
    cora.goto("/en/pages/networks/")
    cora.get_by_role("link", name="History of this page").click()
    cora.get_by_role("link", name=re.compile(r"^Compare the version of")).last.click()
    changed = cora.locator("tbody th").all_inner_texts()
    assert "Text (English)" in changed
    assert "Text (Arabic)" in changed
    cora.get_by_role("button", name=re.compile(r"^Restore the version of")).click()
    cora.wait_for_load_state()
    assert cora.get_by_text("it is now the current version").is_visible()
    assert cora.get_by_text(re.compile(r"^Restored revision of ")).first.is_visible()

    visitor.goto("/en/pages/networks/")
    assert visitor.get_by_text("Old English text about standby partners.").is_visible()
    visitor.goto("/ar/pages/networks/")
    assert visitor.get_by_text("نص عربي قديم عن الشركاء الاحتياطيين.").is_visible()


def test_the_public_page_and_the_editor_are_accessible(open_context):
    UserFactory(email="cora@example.org", is_coordinator=True)
    networks = PageFactory(
        slug="networks",
        title_en="Networks",
        body_en=(
            "## Standby partners\n\n- rosters\n- secondments\n\n"
            "| Hub | Day |\n|---|---|\n| North | Tuesday |"
        ),
    )
    visitor = open_context(bypass_csp=True)
    for path in ("/en/pages/", "/en/pages/networks/", "/ar/pages/networks/"):
        visitor.goto(path)
        assert_accessible(visitor, path)

    cora = open_context(bypass_csp=True)
    log_in(cora, "cora@example.org")
    for path in (
        f"/en/pages/manage/{networks.pk}/edit/",
        "/en/pages/manage/",
        f"/en/revisions/pages.page/{networks.pk}/",
    ):
        cora.goto(path)
        assert_accessible(cora, path)


def test_the_meetings_pages_are_accessible(open_context):
    from datetime import timedelta

    from django.utils import timezone

    from tests.meetings.conftest import MeetingFactory, pdf_file

    UserFactory(email="cora@example.org", is_coordinator=True)
    upcoming = MeetingFactory(agenda_en="1. Situation\n2. **Gaps**")
    MeetingFactory(starts_at=timezone.now() - timedelta(days=3), minutes=pdf_file())
    visitor = open_context(bypass_csp=True)
    for path in ("/en/meetings/", f"/en/meetings/{upcoming.pk}/", "/ar/meetings/"):
        visitor.goto(path)
        assert_accessible(visitor, path)
    cora = open_context(bypass_csp=True)
    log_in(cora, "cora@example.org")
    for path in ("/en/meetings/manage/", f"/en/meetings/manage/{upcoming.pk}/edit/"):
        cora.goto(path)
        assert_accessible(cora, path)


def test_the_autosave_says_why_it_refuses_a_draft_in_the_editors_language(open_context):
    """Issue 21: a draft the server refuses (a NUL in the text) shows the server's reason,
    in Arabic on the Arabic editor, not the message for a lost connection; once the text is
    corrected the draft is saved."""
    UserFactory(email="cora@example.org", is_coordinator=True)
    networks = PageFactory(slug="networks", title_en="Networks", title_ar="الشبكات")
    cora = open_context()
    log_in(cora, "cora@example.org")
    cora.goto(f"/ar/pages/manage/{networks.pk}/edit/")
    status = cora.locator("#draft-status")
    body = cora.locator("textarea[name=body_ar]")

    body.fill("نص\x00مكسور")
    cora.locator("input[name=title_ar]").focus()
    status.filter(has_text="يحتوي النص على محرف غير مرئي لا يمكن حفظه").wait_for(timeout=15000)
    assert status.get_attribute("data-error-message") not in status.inner_text()
    assert not PageDraft.objects.exists()

    body.fill("نص سليم")
    cora.locator("input[name=title_ar]").focus()
    wait_for(lambda: PageDraft.objects.filter(page=networks).exists())
    status.filter(has_text=re.compile(r"\d\d:\d\d")).wait_for(timeout=15000)
    assert PageDraft.objects.get(page=networks).data["body_ar"] == "نص سليم"
