"""The columns of each tabular endpoint's ``?format=csv`` (``api.formats``): the fields of its
JSON, one line per record, with HXL hashtags. A record's lists (an organisation's areas, an
assessment's partners) are one cell, their items separated by "|"."""

from collections.abc import Callable

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bulletins import selectors as bulletin_selectors
from core.exports import Column

SEPARATOR = " | "


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def _page(request) -> Callable:
    return lambda record: _absolute(request, record.get_absolute_url())


def _pcodes(record) -> str:
    return SEPARATOR.join(area.pcode for area in record.areas.all())


def organisations(request) -> list[Column]:
    return [
        Column(_("Public identifier"), "#org+id", "public_id"),
        Column(_("Name (English)"), "#org+name+i_en", "name_en"),
        Column(_("Name (Arabic)"), "#org+name+i_ar", "name_ar"),
        Column(_("Acronym"), "#org+acronym", "acronym"),
        Column(_("Type"), "#org+type", "type"),
        Column(_("Website"), "#meta+url+website", "website"),
        Column(_("Areas (p-codes)"), "#loc+code+list", _pcodes),
        Column(_("Page"), "#meta+url", _page(request)),
    ]


def _parent_pcode(area) -> str:
    codes = area.path.strip("/").split("/")
    return codes[-2] if len(codes) > 1 else ""


def areas(request) -> list[Column]:
    return [
        Column(_("P-code"), "#loc+code", "pcode"),
        Column(_("Name (English)"), "#loc+name+i_en", "name_en"),
        Column(_("Name (Arabic)"), "#loc+name+i_ar", "name_ar"),
        Column(_("Level"), "#loc+level", "level"),
        Column(_("Parent p-code"), "#loc+code+parent", _parent_pcode),
    ]


def meetings(request) -> list[Column]:
    return [
        Column(_("Identifier"), "#meta+id", "uid"),
        Column(_("Title (English)"), "#event+name+i_en", "title_en"),
        Column(_("Title (Arabic)"), "#event+name+i_ar", "title_ar"),
        Column(_("Kind"), "#event+type", "kind"),
        Column(_("Starts at"), "#date+start", "starts_at"),
        Column(_("Ends at"), "#date+end", "ends_at"),
        Column(_("Place (English)"), "#loc+name+i_en", "place_en"),
        Column(_("Place (Arabic)"), "#loc+name+i_ar", "place_ar"),
        Column(_("Online"), "#meta+url+online", "online_url"),
        Column(_("Members only"), "#meta+restricted", "is_members_only"),
        Column(_("Cancelled"), "#status+cancelled", "is_cancelled"),
        Column(_("Page"), "#meta+url", _page(request)),
    ]


class _EditionLine:
    """One public edition of a bulletin: the CSV has a line per edition."""

    def __init__(self, bulletin, edition):
        self.bulletin = bulletin
        self.edition = edition


def bulletin_lines(bulletins) -> list[_EditionLine]:
    return [
        _EditionLine(bulletin, edition)
        for bulletin in bulletins
        for edition in bulletin_selectors.public_editions(bulletin)
    ]


def bulletins(request) -> list[Column]:
    return [
        Column(_("Number"), "#meta+id", "bulletin.number"),
        Column(_("First month"), "#date+start", lambda line: f"{line.bulletin.first_month:%Y-%m}"),
        Column(_("Last month"), "#date+end", lambda line: f"{line.bulletin.last_month:%Y-%m}"),
        Column(_("Language"), "#meta+lang", "edition.language"),
        Column(_("Title"), "#meta+title", "edition.current_version.title"),
        Column(_("Published at"), "#date+published", "edition.published_at"),
        Column(_("Withdrawn at"), "#date+withdrawn", "edition.withdrawn_at"),
        Column(
            _("Page"), "#meta+url", lambda line: _absolute(request, line.edition.get_public_url())
        ),
        Column(
            _("PDF"),
            "#meta+url+pdf",
            lambda line: _absolute(request, line.edition.get_public_pdf_url()),
        ),
    ]


def _organisations(names: str) -> Callable:
    return lambda assessment: SEPARATOR.join(
        str(organisation.public_id) for organisation in getattr(assessment, names).all()
    )


def assessments(request) -> list[Column]:
    return [
        Column(_("Identifier"), "#assessment+id", "pk"),
        Column(_("Title (English)"), "#assessment+name+i_en", "title_en"),
        Column(_("Title (Arabic)"), "#assessment+name+i_ar", "title_ar"),
        Column(_("Type"), "#assessment+type", "type"),
        Column(
            _("Lead organisation (public identifier)"),
            "#org+id+lead",
            "lead_organisation.public_id",
        ),
        Column(_("Lead organisation"), "#org+name+lead", "lead_organisation.name_en"),
        Column(
            _("Participating organisations (public identifiers)"),
            "#org+id+partner+list",
            _organisations("participating_organisations"),
        ),
        Column(_("Areas (p-codes)"), "#loc+code+list", _pcodes),
        Column(_("Start date"), "#date+start", "start_date"),
        Column(_("End date"), "#date+end", "end_date"),
        Column(_("Population covered"), "#population+num", "population_covered"),
        Column(_("Highest severity"), "#severity+num", "highest_severity"),
        Column(_("Restricted"), "#meta+restricted", "is_restricted"),
        Column(_("Page"), "#meta+url", _page(request)),
    ]


def reverse_absolute(request, name: str, query: str = "") -> str:
    url = _absolute(request, reverse(name))
    return f"{url}?{query}" if query else url
