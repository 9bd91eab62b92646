"""Reads of pages: the public index, the coordinators' list, one page for a user, a draft."""

from django.db.models import QuerySet
from django.http import Http404

from core.bilingual import bilingual_expression
from pages.forms import PageForm
from pages.models import Page, PageDraft, PageImage
from partners.access import is_coordinator


def published_pages() -> QuerySet[Page]:
    """The public index: published pages in their order, then by title in the language."""
    return (
        Page.objects.published()
        .annotate(sort_title=bilingual_expression("title"))
        .order_by("order", "sort_title", "pk")
    )


def pages_for_management() -> QuerySet[Page]:
    return (
        Page.objects.select_related("updated_by")
        .annotate(sort_title=bilingual_expression("title"))
        .order_by("order", "sort_title", "pk")
    )


def get_page_for_user(user, slug: str) -> Page:
    """A published page, or any page for coordinators; otherwise a 404."""
    page = Page.objects.filter(slug=slug).first()
    if page is None or not (page.is_published or is_coordinator(user)):
        raise Http404
    return page


def get_page_image_for_user(user, pk: int) -> PageImage:
    """An image of a published page, or of any page for coordinators; otherwise a 404."""
    image = PageImage.objects.select_related("page").filter(pk=pk).first()
    if image is None or not (image.page.is_published or is_coordinator(user)):
        raise Http404
    return image


def draft_of(*, page: Page | None, user) -> PageDraft | None:
    """The user's draft of the page, or of a new page when ``page`` is None."""
    drafts = PageDraft.objects.filter(user=user)
    return (drafts.filter(page=page) if page else drafts.filter(page__isnull=True)).first()


def draft_to_offer(*, page: Page | None, user) -> PageDraft | None:
    """The user's draft when it is newer than the page and differs from what is saved."""
    draft = draft_of(page=page, user=user)
    if draft is None or not draft.data:
        return None
    if page is None:
        return draft
    if draft.updated_at <= page.updated_at:
        return None
    saved = {name: PageForm(instance=page)[name].value() for name in draft.data}
    if all(_same(saved.get(name), value) for name, value in draft.data.items()):
        return None
    return draft


def _same(saved, drafted: str) -> bool:
    if isinstance(saved, bool):
        return saved == (drafted in {"on", "true", "True", "1"})
    return ("" if saved is None else str(saved)).replace("\r\n", "\n") == drafted.replace(
        "\r\n", "\n"
    )
