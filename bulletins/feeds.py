"""The Atom feeds of the public bulletins, one per language at /<language>/bulletins/feed/.

Every page's head links to the feed of its language (``templates/base.html``). A feed has
an entry per bulletin with an edition in its language, read from the edition's latest
published version: a revision updates the entry and says "Revised on <date>: <note>", and
the enclosure is the revision's PDF. A withdrawn edition keeps its entry, retitled and
updated, so a reader that already fetched it learns of the withdrawal; its PDF is no longer
offered as an enclosure. Nothing a coordinator edits shows here until it is published.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Enclosure
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from bulletins import rendering, selectors
from bulletins.models import Edition, EditionVersion
from core.storage import StorageUnavailable


class BulletinFeed(Feed):
    feed_type = Atom1Feed

    def __init__(self, request: HttpRequest) -> None:
        super().__init__()
        # One instance per request (see ``bulletin_feed``): the enclosures need its host.
        self.request = request

    def title(self) -> str:
        return _("Health cluster bulletins")

    def subtitle(self) -> str:
        return _(
            "The health cluster's bulletins: key figures of the humanitarian health "
            "response, highlights and the PDF."
        )

    def link(self) -> str:
        return reverse("bulletins:archive")

    def feed_url(self) -> str:
        return reverse("bulletins:feed")

    def items(self) -> list[Edition]:
        return selectors.feed_editions(get_language())

    def _current(self, item: Edition) -> EditionVersion:
        return item.versions.all()[0]

    def item_title(self, item: Edition) -> str:
        title = _("Bulletin %(number)s: %(title)s") % {
            "number": item.bulletin.number,
            "title": self._current(item).title,
        }
        if item.is_withdrawn:
            return _("Withdrawn: %(title)s") % {"title": title}
        return title

    def item_description(self, item: Edition) -> str:
        bulletin = item.bulletin
        current = self._current(item)
        period = format_html(
            "<p>{}</p>", rendering.period_label(bulletin.first_month, bulletin.last_month)
        )
        if item.is_withdrawn:
            return period + format_html(
                "<p>{}</p><p>{}</p>",
                _("This bulletin was withdrawn. Reason:"),
                item.withdrawal_reason,
            )
        if current.is_revision:
            period += format_html(
                "<p>{}</p>",
                _("Revised on %(date)s: %(note)s")
                % {
                    "date": date_format(timezone.localtime(current.published_at), "DATE_FORMAT"),
                    "note": current.note,
                },
            )
        messages = format_html_join("", "<li>{}</li>", ((m,) for m in current.highlight_list))
        return period + (format_html("<ul>{}</ul>", messages) if messages else "")

    def item_link(self, item: Edition) -> str:
        return item.get_public_url()

    def item_pubdate(self, item: Edition) -> datetime.datetime | None:
        return item.published_at

    def item_updateddate(self, item: Edition) -> datetime.datetime:
        return max(filter(None, [self._current(item).published_at, item.withdrawn_at]))

    def item_enclosures(self, item: Edition) -> list[Enclosure]:
        current = self._current(item)
        if item.is_withdrawn or not current.pdf:
            return []
        try:
            size = current.pdf.size
        except (FileNotFoundError, OSError, StorageUnavailable):
            return []
        url = self.request.build_absolute_uri(item.get_public_pdf_url())
        return [Enclosure(url=url, length=str(size), mime_type="application/pdf")]


@require_safe
def bulletin_feed(request: HttpRequest) -> HttpResponse:
    return BulletinFeed(request)(request)
