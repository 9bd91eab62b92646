"""Revisions: the history of an object, a comparison with the current version, a restore."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core import revisions
from core.revisions import get_revisable, register_revisable, revision_restore
from partners.models import Organisation
from tests.factories import AdminAreaFactory, OrganisationFactory
from tests.pages.conftest import PageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(world, login):
    return login(world.user("coordinator"))


def _edited_page(**first):
    page = PageFactory(title_en="Hubs", body_en="Old text", **first)
    page.body_en = "New text"
    page.title_en = "Hubs and offices"
    page.save()
    return page, page.history.order_by("history_date", "history_id").first()


def _compare_url(page, record) -> str:
    return reverse(
        "core:revision_compare",
        kwargs={"label": "pages.page", "pk": page.pk, "history_id": record.history_id},
    )


def test_pages_are_registered_under_their_label():
    from pages.models import Page

    assert get_revisable("pages.page").model is Page


def test_an_unknown_label_is_not_found(coordinator):
    response = coordinator.get(reverse("core:revision_list", kwargs={"label": "x.y", "pk": 1}))
    assert response.status_code == 404


def test_an_unknown_object_is_not_found(coordinator):
    url = reverse("core:revision_list", kwargs={"label": "pages.page", "pk": 999})
    assert coordinator.get(url).status_code == 404


def test_a_revision_of_another_object_is_not_found(coordinator):
    _, record = _edited_page()
    other = PageFactory()
    url = reverse(
        "core:revision_compare",
        kwargs={"label": "pages.page", "pk": other.pk, "history_id": record.history_id},
    )
    assert coordinator.get(url).status_code == 404


def test_the_history_lists_revisions_newest_first_with_who_and_when(coordinator, world):
    page = PageFactory(title_en="Hubs")
    page.body_en = "Edited"
    page._history_user = world.user("coordinator")
    page.save()
    response = coordinator.get(
        reverse("core:revision_list", kwargs={"label": "pages.page", "pk": page.pk})
    )
    rows = response.context["rows"]
    assert [row["kind"] for row in rows] == ["Changed", "Created"]
    assert rows[0]["is_current"]
    assert rows[0]["record"].history_user == world.user("coordinator")
    assert str(world.user("coordinator")) in response.content.decode()


def test_the_comparison_lists_changed_fields_with_their_names(coordinator):
    page, first = _edited_page()
    response = coordinator.get(_compare_url(page, first))
    changes = {change.label: change for change in response.context["changes"]}
    assert set(changes) == {"text (English)", "title (English)"}
    assert changes["text (English)"].revision_value == "Old text"
    assert changes["text (English)"].current_value == "New text"
    assert "Restore the version of" in response.content.decode()


def test_the_current_version_has_nothing_to_compare(coordinator):
    page, _ = _edited_page()
    current = page.history.first()
    response = coordinator.get(_compare_url(page, current))
    assert response.context["is_current"]
    assert "Restore the version of" not in response.content.decode()


def test_restoring_puts_the_old_values_back_as_a_new_revision(coordinator, world):
    page, first = _edited_page()
    response = coordinator.post(
        reverse(
            "core:revision_restore",
            kwargs={"label": "pages.page", "pk": page.pk, "history_id": first.history_id},
        )
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert (page.title_en, page.body_en) == ("Hubs", "Old text")
    assert page.updated_by == world.user("coordinator")
    latest = page.history.first()
    assert page.history.count() == 3
    assert latest.history_change_reason.startswith("Restored revision of ")
    assert latest.history_user == world.user("coordinator")


def test_a_restore_that_would_break_a_unique_address_is_refused(world):
    page, first = _edited_page(slug="hubs")
    page.slug = "hubs-and-offices"
    page.save()
    PageFactory(slug="hubs")
    with pytest.raises(ValidationError, match="cannot be restored"):
        revision_restore(
            revisable=get_revisable("pages.page"),
            obj=page,
            revision=first,
            by=world.user("coordinator"),
        )
    page.refresh_from_db()
    assert page.body_en == "New text"


def test_a_refused_restore_is_explained_to_the_coordinator(coordinator):
    page, first = _edited_page(slug="hubs")
    page.slug = "hubs-and-offices"
    page.save()
    PageFactory(slug="hubs")
    response = coordinator.post(
        reverse(
            "core:revision_restore",
            kwargs={"label": "pages.page", "pk": page.pk, "history_id": first.history_id},
        ),
        follow=True,
    )
    assert "This revision cannot be restored" in response.content.decode()


@pytest.fixture
def organisations_revisable():
    """Organisations track their areas in history: a model with many-to-many links."""
    revisable = register_revisable(Organisation, label="test.organisation")
    yield revisable
    revisions._registry.pop("test.organisation")


def test_restoring_brings_back_the_many_to_many_links_the_history_tracks(
    organisations_revisable, world
):
    north = AdminAreaFactory(pcode="ZZ91", name_en="North")
    south = AdminAreaFactory(pcode="ZZ92", name_en="South")
    organisation = OrganisationFactory(name_en="Gamma Care")
    organisation.areas.set([north])
    first = organisation.history.order_by("-history_date", "-history_id").first()
    organisation.areas.set([south])
    organisation.name_en = "Gamma Care International"
    organisation.save()

    current = organisation.history.order_by("-history_date", "-history_id").first()
    changes = revisions.revision_changes(
        revisable=organisations_revisable, obj=organisation, revision=first
    )
    by_name = {change.name: change for change in changes}
    assert by_name["areas"].revision_value == "North (ZZ91)"
    assert by_name["areas"].current_value == "South (ZZ92)"

    revision_restore(
        revisable=organisations_revisable,
        obj=organisation,
        revision=first,
        by=world.user("coordinator"),
    )
    organisation.refresh_from_db()
    assert organisation.name_en == "Gamma Care"
    assert list(organisation.areas.all()) == [north]
    latest = organisation.history.order_by("-history_date", "-history_id").first()
    assert latest.history_id != current.history_id
    assert list(latest.areas.values_list("adminarea", flat=True)) == [north.pk]


def test_registering_a_model_without_history_is_an_error():
    from django.contrib.sessions.models import Session

    with pytest.raises(TypeError):
        register_revisable(Session, label="sessions.session")
