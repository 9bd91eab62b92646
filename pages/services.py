"""Changes to pages: saving, publishing, their images and the editors' drafts.

Each asks ``pages.policy`` first: a refusal raises ``PermissionDenied`` (who asks) or
``ValidationError`` (the page's state) and changes nothing.
"""

from functools import partial
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from core.storage import delete_quietly
from pages import policy
from pages.models import Page, PageDraft, PageImage

EDITABLE_FIELDS = (
    "slug",
    "title_en",
    "title_ar",
    "summary_en",
    "summary_ar",
    "body_en",
    "body_ar",
    "order",
    "is_published",
)


def _draft_filter(*, page: Page | None, user) -> dict:
    return (
        {"page": page, "user": user} if page is not None else {"page__isnull": True, "user": user}
    )


@transaction.atomic
def page_create(*, fields: dict[str, Any], by) -> Page:
    """A new page from the editor's cleaned fields; the editor's new-page draft goes."""
    policy.can_manage(by).enforce()
    page = Page(**{name: fields[name] for name in EDITABLE_FIELDS if name in fields})
    page.updated_by = by
    page._history_user = by
    page.save()
    PageDraft.objects.filter(**_draft_filter(page=None, user=by)).delete()
    return page


@transaction.atomic
def page_update(*, page: Page, fields: dict[str, Any], by) -> Page:
    """Save the editor's cleaned fields onto the page; the editor's draft of it goes."""
    policy.can_edit(by, page).enforce()
    for name in EDITABLE_FIELDS:
        if name in fields:
            setattr(page, name, fields[name])
    page.updated_by = by
    page._history_user = by
    page.save()
    PageDraft.objects.filter(**_draft_filter(page=page, user=by)).delete()
    return page


@transaction.atomic
def page_publish(*, page: Page, by) -> Page:
    page = Page.objects.select_for_update().get(pk=page.pk)
    policy.can_publish(by, page).enforce()
    return _set_published(page=page, by=by, published=True)


@transaction.atomic
def page_unpublish(*, page: Page, by) -> Page:
    page = Page.objects.select_for_update().get(pk=page.pk)
    policy.can_unpublish(by, page).enforce()
    return _set_published(page=page, by=by, published=False)


def _set_published(*, page: Page, by, published: bool) -> Page:
    page.is_published = published
    page.updated_by = by
    page._history_user = by
    page._change_reason = _("Published") if published else _("Unpublished")
    page.save(update_fields=["is_published", "updated_by", "updated_at"])
    return page


@transaction.atomic
def page_image_add(
    *, page: Page, image: UploadedFile, alt_en: str, alt_ar: str = "", by
) -> PageImage:
    """Store an image already checked by ``pages.forms.check_image``."""
    policy.can_edit(by, page).enforce()
    page_image = PageImage(
        page=page,
        alt_en=alt_en,
        alt_ar=alt_ar,
        content_type=image.content_type,
        uploaded_by=by,
    )
    page_image.image.save(image.name, image, save=False)
    page_image._history_user = by
    page_image.save()
    return page_image


@transaction.atomic
def page_image_delete(*, page_image: PageImage, by) -> None:
    policy.can_edit(by, page_image.page).enforce()
    stored = page_image.image.name
    storage = page_image.image.storage
    page_image._history_user = by
    page_image.delete()
    # The file goes only once the row is surely gone.
    transaction.on_commit(partial(delete_quietly, storage, stored))


@transaction.atomic
def page_draft_save(*, page: Page | None, user, data: dict[str, str]) -> PageDraft:
    """Keep the editor's unsaved fields, one draft per user and page (or new page)."""
    policy.can_manage(user).enforce()
    draft = (
        PageDraft.objects.select_for_update().filter(**_draft_filter(page=page, user=user)).first()
    )
    if draft is None:
        draft = PageDraft(page=page, user=user)
    draft.data = data
    draft._history_user = user
    draft.save()
    return draft


@transaction.atomic
def page_draft_discard(*, page: Page | None, user) -> None:
    policy.can_manage(user).enforce()
    PageDraft.objects.filter(**_draft_filter(page=page, user=user)).delete()
