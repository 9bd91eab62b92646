"""The pages permission matrix: every URL of the app by every role.

Published pages and their images are public; an unpublished page is a 404 for everybody but
the coordinators. The editor and its actions refuse members (403) and send anonymous
visitors to log in. The sitemap and robots.txt, served from the root, are public too.
"""

import pytest
from django.urls import reverse

from pages.models import PageDraft
from tests.matrix import LOGIN, Redirect, Row, check, every_role, params
from tests.pages.conftest import PageFactory, PageImageFactory, png_file

COORDINATORS_ONLY = every_role(403, anonymous=LOGIN, coordinator=200, site_admin=200)
COORDINATORS_ONLY_404 = every_role(404, coordinator=200, site_admin=200)
MANAGE = "/en/pages/manage/"
NEW = "/en/pages/manage/new/"


def coordinators_act(redirect) -> dict:
    return every_role(
        403, anonymous=LOGIN, coordinator=Redirect(redirect), site_admin=Redirect(redirect)
    )


def _page(world, **fields) -> dict:
    return {"pk": PageFactory(**fields).pk}


def _published_slug(world) -> dict:
    return {"slug": PageFactory(slug="how-to-join").slug}


def _unpublished_slug(world) -> dict:
    return {"slug": PageFactory(slug="draft-page", is_published=False).slug}


def _image(world, *, published: bool = True) -> dict:
    return {"pk": PageImageFactory(page__is_published=published).pk}


def _edit_url(world) -> str:
    from pages.models import Page

    return reverse("pages:edit", kwargs={"pk": Page.objects.latest("pk").pk})


def _image_edit_url(world) -> str:
    from pages.models import Page

    return reverse("pages:edit", kwargs={"pk": Page.objects.latest("pk").pk})


MATRIX = [
    Row("pages:list", every_role(200)),
    Row("pages:detail", every_role(200), kwargs=_published_slug, note="published"),
    Row("pages:detail", COORDINATORS_ONLY_404, kwargs=_unpublished_slug, note="unpublished"),
    Row("pages:image", every_role(200), kwargs=_image, note="of a published page"),
    Row(
        "pages:image",
        COORDINATORS_ONLY_404,
        kwargs=lambda w: _image(w, published=False),
        note="of an unpublished page",
    ),
    Row("pages:manage", COORDINATORS_ONLY),
    Row("pages:create", COORDINATORS_ONLY),
    Row("pages:edit", COORDINATORS_ONLY, kwargs=_page),
    Row(
        "pages:publish",
        coordinators_act(MANAGE),
        kwargs=lambda w: _page(w, is_published=False),
        method="post",
    ),
    Row("pages:unpublish", coordinators_act(MANAGE), kwargs=_page, method="post"),
    Row(
        "pages:image_upload",
        every_role(
            403,
            anonymous=LOGIN,
            coordinator=Redirect(to=_edit_url),
            site_admin=Redirect(to=_edit_url),
        ),
        kwargs=_page,
        method="post",
        data=lambda w: {
            "image-image": png_file(),
            "image-alt_en": "A clinic",
            "image-alt_ar": "",
        },
    ),
    Row(
        "pages:image_delete",
        every_role(
            403,
            anonymous=LOGIN,
            coordinator=Redirect(to=_image_edit_url),
            site_admin=Redirect(to=_image_edit_url),
        ),
        kwargs=_image,
        method="post",
    ),
    Row(
        "pages:draft_save",
        coordinators_act(NEW),
        method="post",
        data=lambda w: {"title_en": "Half-written", "body_en": "Not yet"},
        note="of a new page, without JavaScript",
    ),
    Row("pages:draft_discard", coordinators_act(NEW), method="post"),
    Row("sitemap", every_role(200)),
    Row("robots_txt", every_role(200)),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role"), params(MATRIX), ids=str)
def test_permissions(row, role, world, login):
    check(row, role, world, login)


def test_a_member_cannot_save_a_draft(world, login):
    login(world.user("staff")).post(reverse("pages:draft_save"), {"title_en": "x"})
    assert not PageDraft.objects.exists()
