"""The Atom feed of the public bulletins, at /<language>/bulletins/feed/.

Every page's head links to it (``templates/base.html``). Entries link to the bulletins'
pages in the feed's language and carry the PDF as an enclosure. A withdrawn bulletin keeps
its entry, retitled and updated, so a reader that already fetched it learns of the
withdrawal; its PDF is no longer offered as an enclosure.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from bulletins import rendering, selectors
from bulletins.models import Bulletin


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

    def items(self) -> list[Bulletin]:
        return selectors.feed_bulletins()

    def item_title(self, item: Bulletin) -> str:
        title = _("Bulletin %(number)s: %(title)s") % {"number": item.number, "title": item.title}
        if item.is_withdrawn:
            return _("Withdrawn: %(title)s") % {"title": title}
        return title

    def item_description(self, item: Bulletin) -> str:
        period = format_html("<p>{}</p>", rendering.period_label(item.first_month, item.last_month))
        if item.is_withdrawn:
            return period + format_html(
                "<p>{}</p><p>{}</p>",
                _("This bulletin was withdrawn. Reason:"),
                item.withdrawal_reason,
            )
        messages = format_html_join("", "<li>{}</li>", ((m,) for m in item.highlight_list))
        return period + (format_html("<ul>{}</ul>", messages) if messages else "")

    def item_link(self, item: Bulletin) -> str:
        return item.get_public_url()

    def item_pubdate(self, item: Bulletin) -> datetime.datetime | None:
        return item.published_at

    def item_updateddate(self, item: Bulletin) -> datetime.datetime:
        return max(filter(None, [item.published_at, item.withdrawn_at, item.built_at]))

    def item_enclosures(self, item: Bulletin) -> list[Enclosure]:
        if item.is_withdrawn or not item.pdf:
            return []
        try:
            size = item.pdf.size
        except (FileNotFoundError, OSError):
            return []
        url = self.request.build_absolute_uri(
            reverse("bulletins:public_pdf", kwargs={"number": item.number})
        )
        return [Enclosure(url=url, length=str(size), mime_type="application/pdf")]


@require_safe
def bulletin_feed(request: HttpRequest) -> HttpResponse:
    return BulletinFeed(request)(request)
