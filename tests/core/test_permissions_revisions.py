"""The revision pages' permission matrix: coordinators only, for any registered model."""

import pytest
from django.urls import reverse

from tests.matrix import LOGIN, Redirect, Row, check, every_role, params
from tests.pages.conftest import PageFactory

COORDINATORS_ONLY = every_role(403, anonymous=LOGIN, coordinator=200, site_admin=200)


def _edited_page(world) -> dict:
    page = PageFactory(body_en="First text")
    page.body_en = "Second text"
    page.save()
    first = page.history.order_by("history_date", "history_id").first()
    return {"label": "pages.page", "pk": page.pk, "history_id": first.history_id}


def _page(world) -> dict:
    return {"label": "pages.page", "pk": PageFactory().pk}


def _list(world) -> str:
    from pages.models import Page

    return reverse(
        "core:revision_list", kwargs={"label": "pages.page", "pk": Page.objects.get().pk}
    )


MATRIX = [
    Row("core:revision_list", COORDINATORS_ONLY, kwargs=_page),
    Row("core:revision_compare", COORDINATORS_ONLY, kwargs=_edited_page),
    Row(
        "core:revision_restore",
        every_role(
            403, anonymous=LOGIN, coordinator=Redirect(to=_list), site_admin=Redirect(to=_list)
        ),
        kwargs=_edited_page,
        method="post",
    ),
    Row(
        "core:revision_list",
        every_role(403, anonymous=LOGIN, coordinator=404, site_admin=404),
        kwargs=lambda w: {"label": "nothing.here", "pk": 1},
        note="of an unknown label",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role"), params(MATRIX), ids=str)
def test_permissions(row, role, world, login):
    check(row, role, world, login)
