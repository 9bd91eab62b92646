"""The public pages, their editor, images and drafts."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from demo import pages as demo
from pages.models import Page, PageDraft, PageImage
from tests.pages.conftest import PageFactory, PageImageFactory, png_file
from tests.text import has_phrase

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.time_machine(datetime(2026, 6, 15, 12, 0, tzinfo=UTC)),
]


def _form(**overrides) -> dict:
    data = {
        "title_en": "How to join",
        "title_ar": "كيف تنضم",
        "slug": "how-to-join",
        "summary_en": "The steps.",
        "summary_ar": "",
        "body_en": "## Steps\n\n1. Sign up\n2. Register",
        "body_ar": "## الخطوات",
        "order": 10,
        "is_published": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def coordinator(world, login):
    return login(world.user("coordinator"))


# Public pages ---------------------------------------------------------------------------


def test_the_index_lists_published_pages_in_their_order(client):
    PageFactory(title_en="Second", order=20)
    PageFactory(title_en="First", order=10)
    PageFactory(title_en="Hidden draft", is_published=False)
    html = client.get("/en/pages/").content.decode()
    assert html.index("First") < html.index("Second")
    assert "Hidden draft" not in html


def test_a_page_reads_in_english_and_in_arabic(client):
    PageFactory(slug="networks", title_en="Networks", title_ar="الشبكات", body_ar="## شبكات")
    english = client.get("/en/pages/networks/").content.decode()
    arabic = client.get("/ar/pages/networks/").content.decode()
    assert "<h1>Networks</h1>" in english
    assert "<h1>الشبكات</h1>" in arabic
    assert 'dir="rtl"' in arabic
    assert "<h2>شبكات</h2>" in arabic


def test_an_arabic_page_without_arabic_text_shows_the_english_marked_as_such(client):
    PageFactory(slug="contacts", body_en="Write to us.", body_ar="")
    html = client.get("/ar/pages/contacts/").content.decode()
    assert '<div class="page-body" lang="en" dir="ltr"><p>Write to us.</p></div>' in html


def test_an_unpublished_page_is_shown_to_coordinators_with_a_warning(coordinator):
    PageFactory(slug="soon", is_published=False)
    html = coordinator.get("/en/pages/soon/").content.decode()
    assert "This page is not published" in html


def test_the_index_makes_the_same_number_of_queries_for_more_pages(
    client, django_assert_max_num_queries
):
    PageFactory.create_batch(3)
    with django_assert_max_num_queries(3):
        assert client.get("/en/pages/").status_code == 200
    PageFactory.create_batch(6)
    with django_assert_max_num_queries(3):
        assert client.get("/en/pages/").status_code == 200


def test_the_management_list_makes_a_constant_number_of_queries(
    coordinator, django_assert_max_num_queries, world
):
    PageFactory.create_batch(3, updated_by=world.user("coordinator"))
    with django_assert_max_num_queries(8):
        coordinator.get("/en/pages/manage/")
    PageFactory.create_batch(6, updated_by=world.user("site_admin"))
    with django_assert_max_num_queries(8):
        assert coordinator.get("/en/pages/manage/").status_code == 200


# The editor ---------------------------------------------------------------------------


def test_a_coordinator_writes_and_publishes_a_page(coordinator, world, client):
    response = coordinator.post(reverse("pages:create"), _form())
    page = Page.objects.get(slug="how-to-join")
    assert response["Location"] == reverse("pages:edit", kwargs={"pk": page.pk})
    assert page.is_published
    assert page.updated_by == world.user("coordinator")
    assert page.history.first().history_user == world.user("coordinator")
    assert "<h2>Steps</h2>" in client.get("/en/pages/how-to-join/").content.decode()


def test_the_editor_refuses_an_address_the_portal_uses(coordinator):
    response = coordinator.post(reverse("pages:create"), _form(slug="manage"))
    assert response.status_code == 400
    assert "used by the portal itself" in response.content.decode()
    assert not Page.objects.exists()


def test_the_editor_refuses_an_address_already_taken(coordinator):
    PageFactory(slug="how-to-join")
    response = coordinator.post(reverse("pages:create"), _form())
    assert response.status_code == 400
    assert Page.objects.count() == 1


def test_unpublishing_hides_the_page_from_visitors(coordinator, client, world):
    page = PageFactory(slug="hubs")
    coordinator.post(reverse("pages:unpublish", kwargs={"pk": page.pk}))
    page.refresh_from_db()
    assert not page.is_published
    assert page.history.first().history_change_reason == "Unpublished"
    client.logout()
    assert client.get("/en/pages/hubs/").status_code == 404


def test_publishing_shows_the_page(coordinator, client):
    page = PageFactory(slug="hubs", is_published=False)
    coordinator.post(reverse("pages:publish", kwargs={"pk": page.pk}))
    client.logout()
    assert client.get("/en/pages/hubs/").status_code == 200


# Images -------------------------------------------------------------------------------


def test_an_uploaded_image_gets_a_snippet_that_shows_it_in_the_page(
    coordinator, client, file_store
):
    page = PageFactory(slug="clinic")
    response = coordinator.post(
        reverse("pages:image_upload", kwargs={"pk": page.pk}),
        {"image-image": png_file("x.exe"), "image-alt_en": "A clinic", "image-alt_ar": ""},
    )
    assert response.status_code == 302
    image = PageImage.objects.get()
    assert image.content_type == "image/png"
    assert image.image.name.endswith(".png")
    assert file_store.names() == {image.image.name}
    snippet = f"![A clinic](/en/pages/image/{image.pk}/)"
    editor = coordinator.get(reverse("pages:edit", kwargs={"pk": page.pk})).content.decode()
    assert snippet in editor

    page.body_en = f"Our clinic:\n\n{snippet}"
    page.save()
    client.logout()
    html = client.get("/en/pages/clinic/").content.decode()
    assert f'<img src="/en/pages/image/{image.pk}/" alt="A clinic">' in html
    served = client.get(f"/en/pages/image/{image.pk}/")
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")


def test_a_file_that_is_not_an_image_is_refused(coordinator):
    page = PageFactory()
    response = coordinator.post(
        reverse("pages:image_upload", kwargs={"pk": page.pk}),
        {
            "image-image": SimpleUploadedFile("photo.png", b"MZ\x90\x00 not an image"),
            "image-alt_en": "Photo",
        },
    )
    assert response.status_code == 400
    assert "This file is not one." in response.content.decode()
    assert not PageImage.objects.exists()


def test_an_image_of_an_unpublished_page_stays_private(client):
    image = PageImageFactory(page__is_published=False)
    assert client.get(f"/en/pages/image/{image.pk}/").status_code == 404


def test_deleting_an_image_removes_it(coordinator, file_store, django_capture_on_commit_callbacks):
    image = PageImageFactory()
    assert file_store.names() == {image.image.name}
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(reverse("pages:image_delete", kwargs={"pk": image.pk}))
    assert not PageImage.objects.exists()
    assert file_store.names() == set()


# Drafts -------------------------------------------------------------------------------


def test_the_autosave_keeps_a_draft_and_says_when(coordinator, world):
    page = PageFactory()
    response = coordinator.post(
        f"{reverse('pages:draft_save')}?page={page.pk}",
        _form(body_en="Half-written"),
        HTTP_X_REQUESTED_WITH="fetch",
    )
    assert response.status_code == 200
    assert json.loads(response.content)["message"].startswith("Draft saved at ")
    draft = PageDraft.objects.get(page=page, user=world.user("coordinator"))
    assert draft.data["body_en"] == "Half-written"


def test_the_editor_offers_a_newer_draft_and_restores_it(coordinator, world):
    page = PageFactory(body_en="Saved text")
    coordinator.post(f"{reverse('pages:draft_save')}?page={page.pk}", _form(body_en="Draft text"))
    editor = coordinator.get(reverse("pages:edit", kwargs={"pk": page.pk})).content.decode()
    assert "Restore your unsaved draft" in editor
    restored = coordinator.get(
        reverse("pages:edit", kwargs={"pk": page.pk}) + "?draft=restore"
    ).content.decode()
    assert "Draft text</textarea>" in restored


def test_a_draft_older_than_the_page_is_not_offered(coordinator, world):
    page = PageFactory(body_en="Saved text")
    PageDraft.objects.create(page=page, user=world.user("coordinator"), data={"body_en": "Old"})
    PageDraft.objects.filter(page=page).update(updated_at=timezone.now() - timedelta(days=1))
    editor = coordinator.get(reverse("pages:edit", kwargs={"pk": page.pk})).content.decode()
    assert "Restore your unsaved draft" not in editor


def test_a_draft_identical_to_the_page_is_not_offered(coordinator):
    page = PageFactory(slug="same", title_en="Same", title_ar="", summary_en="", body_ar="")
    coordinator.post(
        f"{reverse('pages:draft_save')}?page={page.pk}",
        {
            "title_en": "Same",
            "slug": "same",
            "body_en": page.body_en,
            "order": page.order,
            "is_published": "on",
        },
    )
    editor = coordinator.get(reverse("pages:edit", kwargs={"pk": page.pk})).content.decode()
    assert "Restore your unsaved draft" not in editor


def test_discarding_a_draft_deletes_it(coordinator):
    page = PageFactory()
    coordinator.post(f"{reverse('pages:draft_save')}?page={page.pk}", _form(body_en="x"))
    coordinator.post(f"{reverse('pages:draft_discard')}?page={page.pk}")
    assert not PageDraft.objects.exists()


def test_saving_the_page_deletes_the_draft(coordinator):
    page = PageFactory(slug="how-to-join")
    coordinator.post(f"{reverse('pages:draft_save')}?page={page.pk}", _form(body_en="Draft"))
    coordinator.post(reverse("pages:edit", kwargs={"pk": page.pk}), _form(body_en="Final"))
    assert not PageDraft.objects.exists()
    page.refresh_from_db()
    assert page.body_en == "Final"


def test_a_new_page_draft_is_offered_on_the_new_page_editor_and_goes_once_saved(coordinator):
    coordinator.post(reverse("pages:draft_save"), _form(title_en="Unfinished"))
    assert "Restore your unsaved draft" in coordinator.get(reverse("pages:create")).content.decode()
    coordinator.post(reverse("pages:create"), _form())
    assert not PageDraft.objects.exists()


def test_a_draft_remembers_an_unticked_published_box(coordinator):
    page = PageFactory(is_published=True)
    coordinator.post(f"{reverse('pages:draft_save')}?page={page.pk}", _form(is_published=None))
    restored = coordinator.get(reverse("pages:edit", kwargs={"pk": page.pk}) + "?draft=restore")
    assert not restored.context["form"]["is_published"].value()


# Demo ---------------------------------------------------------------------------------


def test_the_demo_pages_are_bilingual_published_and_seeded_once():
    first = demo.seed()
    second = demo.seed()
    assert has_phrase(first, "5 created")
    assert has_phrase(second, "0 created")
    assert Page.objects.published().count() == 5
    assert all(page.body_ar and page.title_ar for page in Page.objects.all())
    assert Page.objects.filter(slug="networks", body_en__icontains="emergency medical").exists()


def test_an_image_while_the_file_store_is_down_is_refused_with_the_reason(
    coordinator, unreachable_store
):
    page = PageFactory()
    response = coordinator.post(
        reverse("pages:image_upload", kwargs={"pk": page.pk}),
        {"image-image": png_file("x.png"), "image-alt_en": "A clinic", "image-alt_ar": ""},
    )
    assert response.status_code == 400
    assert (
        "The file store cannot be reached just now; nothing was saved. Try again in a few minutes."
        in response.content.decode()
    )
    assert not PageImage.objects.exists()
