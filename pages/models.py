"""Editable public pages of the cluster: Markdown in English and Arabic, their images and drafts.

A page is public once published. Its images are served through a view that applies the
same rule, and the editor keeps an autosaved draft per user until the page is saved.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.bilingual import bilingual
from core.markdown import MarkdownTextField


class PageQuerySet(models.QuerySet):
    def published(self) -> "PageQuerySet":
        return self.filter(is_published=True)


class Page(models.Model):
    slug = models.SlugField(
        _("address"),
        max_length=80,
        unique=True,
        help_text=_(
            "The last part of the page's address, e.g. how-to-join. Lower-case letters, "
            "digits and hyphens."
        ),
    )
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_ar = models.CharField(_("title (Arabic)"), max_length=200, blank=True)
    summary_en = models.CharField(
        _("summary (English)"),
        max_length=300,
        blank=True,
        help_text=_("One or two sentences, shown in the list of pages and to search engines."),
    )
    summary_ar = models.CharField(_("summary (Arabic)"), max_length=300, blank=True)
    body_en = MarkdownTextField(_("text (English)"), blank=True)
    body_ar = MarkdownTextField(_("text (Arabic)"), blank=True)
    order = models.PositiveSmallIntegerField(
        _("order"), default=100, help_text=_("Pages with a smaller number are listed first.")
    )
    is_published = models.BooleanField(_("published"), default=False)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = PageQuerySet.as_manager()

    title = bilingual("title")
    summary = bilingual("summary")
    body = bilingual("body")

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["order", "title_en"]
        constraints = [
            models.CheckConstraint(condition=~Q(slug=""), name="page_slug_not_empty"),
        ]

    def __str__(self) -> str:
        return str(self.title)

    def get_absolute_url(self) -> str:
        return reverse("pages:detail", kwargs={"slug": self.slug})


def page_image_path(instance: "PageImage", filename: str) -> str:
    # The stored name never reuses the uploaded one, which the uploader chose; the form has
    # already set the extension from the image's content.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "img"
    return f"pages/images/{instance.page_id}/{secrets.token_hex(8)}.{extension}"


class PageImage(models.Model):
    """An image shown in a page's text; checked by its content when uploaded."""

    page = models.ForeignKey(
        Page, verbose_name=_("page"), on_delete=models.CASCADE, related_name="images"
    )
    image = models.FileField(_("image"), upload_to=page_image_path, max_length=200)
    content_type = models.CharField(_("type"), max_length=40, editable=False)
    alt_en = models.CharField(
        _("description for screen readers (English)"),
        max_length=250,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    alt_ar = models.CharField(
        _("description for screen readers (Arabic)"), max_length=250, blank=True
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    alt = bilingual("alt")

    class Meta:
        verbose_name = _("page image")
        verbose_name_plural = _("page images")
        ordering = ["page", "pk"]

    def __str__(self) -> str:
        return str(self.alt)

    def get_absolute_url(self) -> str:
        return reverse("pages:image", kwargs={"pk": self.pk})


class PageDraft(models.Model):
    """The editor's unsaved form, kept per user (and per page, or for a new page)."""

    page = models.ForeignKey(
        Page,
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="drafts",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="page_drafts"
    )
    data = models.JSONField(_("form fields"), default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    # No audit history: a draft is the editor's scratch copy, saved every few seconds while
    # someone types; the page's own history records every version that was saved.

    class Meta:
        verbose_name = _("page draft")
        verbose_name_plural = _("page drafts")
        constraints = [
            models.UniqueConstraint(fields=["page", "user"], name="page_draft_one_per_user"),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(page__isnull=True),
                name="page_draft_one_new_page_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.page or _('new page')}"
