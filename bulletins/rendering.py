"""A bulletin as HTML and as PDF: the print template fed with its snapshot of figures.

The same template serves the browser preview and WeasyPrint. It carries no inline style or
script (the preview is served under the portal's strict Content-Security-Policy): the look
is ``static/css/bulletin-print.css``, linked in the preview and handed to WeasyPrint as a
stylesheet. Charts are SVG images (data URLs) with only digits and p-codes inside; their
words live in the HTML beside them, so Arabic is shaped by the text engine.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.translation import gettext as _

from analysis import bars, maps
from bulletins.models import Edition, EditionVersion
from core.markdown import render_markdown
from core.numbers import grouped
from partners.disclosure import Withheld, shown_or_none
from strategy.models import cluster_profile
from strategy.theme import colour_rule, image_data_url, logo_data_url

PRINT_CSS = "css/bulletin-print.css"
EN_DASH = " \u2013 "
CHART_ROWS = 10  # bars in a chart; the table beside it lists more


@dataclass
class Text:
    """A text in the bulletin's language, or in English (``lang="en"``) when it has none."""

    text: str
    lang: str = ""

    def __str__(self) -> str:
        return self.text


@dataclass
class Capped:
    """The first rows of a long table and how many were left out."""

    rows: list
    more: int = 0


@dataclass
class Section:
    anchor: str
    title: str
    html: Any = ""
    extra: dict = field(default_factory=dict)


def _pick(item: dict, key: str, language: str) -> Text:
    if language != "en":
        own = (item.get(f"{key}_{language}") or "").strip()
        if own:
            return Text(own)
        return Text(item.get(f"{key}_en") or "", lang="en")
    return Text(item.get(f"{key}_en") or "")


def _cap(rows: list, limit: int) -> Capped:
    return Capped(rows=rows[:limit], more=max(0, len(rows) - limit))


def _charts(
    months: list, areas: list, indicators: list, people_percent: int | None, fill: str
) -> dict:
    """The bulletin's charts, written as HTML as the dashboard's are (``analysis.bars``):
    names in the edition's language beside each bar, a figure not shown drawing none."""
    counted = [row for row in indicators if _shares_target(row)][:CHART_ROWS]
    return {
        "months": bars.month_columns(
            [(row["month"], shown_or_none(row["people"])) for row in months], fill=fill
        ),
        "areas": bars.bar_list(
            [
                bars.Bar(
                    _named(row["name"]),
                    shown_or_none(row["people"]),
                    _grouped_or_dash(shown_or_none(row["people"])),
                )
                for row in areas
            ],
            fill=fill,
        ),
        "indicators": bars.bar_list(
            [
                bars.Bar(
                    format_html('<span dir="ltr">{}</span> {}', row["code"], _named(row["name"])),
                    min(row["percent"], 100),
                    f"{grouped(row['percent'])}%",
                )
                for row in counted
            ],
            scale=100,
            fill=fill,
        ),
        "progress": bars.bar_list(
            [bars.Bar(escape(_("Reached")), min(people_percent, 100), f"{people_percent}%")],
            scale=100,
            fill=fill,
        )
        if people_percent is not None
        else "",
    }


def _named(text: Text) -> str:
    if text.lang:
        return format_html('<span lang="{}">{}</span>', text.lang, text.text)
    return escape(text.text)


def _grouped_or_dash(value: int | None) -> str:
    return grouped(value) if value is not None else bars.NO_FIGURE


def _month(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


def _figures(row: dict) -> dict:
    """A snapshot's row with each figure not shown to the public (None, its reason under
    ``withheld``, from version 3) as a ``Withheld``, which the templates print as the reason.
    Rows of earlier snapshots have none."""
    reasons = row.get("withheld") or {}
    return {
        **{name: value for name, value in row.items() if name != "withheld"},
        **{name: Withheld(reason) for name, reason in reasons.items()},
    }


def _maps(snapshot: dict) -> list:
    """The first page's maps, from the areas and figures the snapshot keeps (none in
    bulletins built before maps, or without boundaries)."""
    frozen = snapshot.get("map")
    if not frozen:
        return []
    people = {row["pcode"]: _figures(row)["people"] for row in snapshot["by_admin1"]}
    severities = {row["pcode"]: row["severity"] for row in snapshot["severity_by_admin1"]}
    gaps = {row["pcode"] for row in snapshot["gaps"]}
    return maps.bulletin_maps(frozen, people, severities, gaps)


def _facility_counts(row: dict) -> dict:
    """A snapshot's counts of facilities by status, with the functioning and their share."""
    functioning = row["fully"] + row["partially"]
    total = functioning + row["not"] + row["none"]
    percent = round(100 * functioning / total) if total else None
    return {**row, "functioning": functioning, "total": total, "percent": percent}


def _facilities(snapshot: dict, language: str) -> dict | None:
    """The facilities section's figures (bulletins from version 5 that have facilities)."""
    found = snapshot.get("facilities")
    if not found:
        return None
    return {
        "day": datetime.date.fromisoformat(found["day"]),
        "total": _facility_counts(found["total"]),
        "hospitals": _facility_counts(found["hospitals"]),
        "unsupported": found["unsupported"],
        "by_type": [
            {**_facility_counts(row), "name": _pick(row, "name", language)}
            for row in found["by_type"]
        ],
        "by_admin1": [
            {**_facility_counts(row), "name": _pick(row, "name", language)}
            for row in found["by_admin1"]
        ],
    }


def _attacks(snapshot: dict, language: str) -> dict | None:
    """The attacks section's figures (bulletins from version 5 with verified incidents)."""
    found = snapshot.get("attacks")
    if not found:
        return None
    return {
        **found,
        "by_type": [{**row, "name": _pick(row, "name", language)} for row in found["by_type"]],
        "by_admin1": [{**row, "name": _pick(row, "name", language)} for row in found["by_admin1"]],
    }


def _funding(snapshot: dict, language: str) -> dict | None:
    """The funding section's figures (bulletins from version 6 whose months had projects):
    the total and each admin1 area, a figure the public may not see as a ``Withheld``."""
    found = snapshot.get("funding")
    if not found:
        return None
    return {
        "as_of": datetime.date.fromisoformat(found["as_of"]),
        "total": _figures({key: value for key, value in found.items() if key != "by_admin1"}),
        "by_admin1": [
            {
                **_figures(row),
                "name": _pick(row, "name", language)
                if row["pcode"]
                else Text(_("Not broken down")),
            }
            for row in found["by_admin1"]
        ],
    }


def _coverage(snapshot: dict, language: str) -> dict | None:
    """The coverage section's figures (bulletins from version 6 whose cycle had targets):
    each admin1 area, a figure the public may not see as a ``Withheld``."""
    found = snapshot.get("coverage")
    if not found:
        return None
    return {
        "cycle": _pick(found, "cycle", language),
        "by_admin1": [
            {**_figures(row), "name": _pick(row, "name", language)} for row in found["by_admin1"]
        ],
    }


def _shares_target(row: dict) -> bool:
    """Counts measured against a target share one chart axis; rates and latest values never."""
    return row.get("kind", "count") in ("count", "people_once") and row.get("percent") is not None


def _percent(part: int | None, whole: int | None) -> int | None:
    if not whole or part is None:
        return None
    return round(part * 100 / whole)


def period_label(first: datetime.date, last: datetime.date) -> str:
    """The months covered ("March 2026", "January to March 2026" with an en dash), in the
    active language."""
    if first == last:
        return date_format(first, "F Y")
    if first.year == last.year:
        return f"{date_format(first, 'F')}{EN_DASH}{date_format(last, 'F Y')}"
    return f"{date_format(first, 'F Y')}{EN_DASH}{date_format(last, 'F Y')}"


def _contacts(profile) -> list[dict]:
    people = [
        (
            _("Cluster coordinator"),
            profile.lead_coordinator_name,
            profile.lead_coordinator_title,
            profile.lead_coordinator_email,
            profile.lead_coordinator_phone,
        ),
        (
            _("Ministry of Health co-chair"),
            profile.co_chair_coordinator_name,
            profile.co_chair_coordinator_title,
            profile.co_chair_coordinator_email,
            profile.co_chair_coordinator_phone,
        ),
        (
            _("Information management officer"),
            profile.im_officer_name,
            "",
            profile.im_officer_email,
            "",
        ),
    ]
    return [
        {"role": role, "name": name, "title": str(title or ""), "email": email, "phone": phone}
        for role, name, title, email, phone in people
        if name or email
    ]


# What is printed: an edition's working text (a build, a preview) or a published version.
Document = Edition | EditionVersion


def _narrative(document: Document) -> list[Section]:
    parts = [
        ("situation", _("Situation overview"), document.situation_overview),
        ("concerns", _("Public health concerns"), document.public_health_concerns),
        ("response", _("The health response"), document.health_response),
        ("challenges", _("Gaps and challenges"), document.gaps_and_challenges),
        ("coordination", _("Coordination"), document.coordination),
    ]
    return [
        Section(anchor=anchor, title=title, html=render_markdown(text))
        for anchor, title, text in parts
        if text.strip()
    ]


def _bulletin_of(document: Document):
    edition = document.edition if isinstance(document, EditionVersion) else document
    return edition.bulletin


def bulletin_context(
    document: Document, snapshot: dict, profile, *, with_charts: bool = True
) -> dict:
    """What the print template shows, in the active language (the edition's own).

    The public page (``with_charts=False``) shows the same tables without the charts."""
    bulletin = _bulletin_of(document)
    language = document.language
    limit = settings.BULLETIN_TABLE_MAX_ROWS
    key = _figures(snapshot["key_figures"])

    months = [
        {"month": _month(row["month"]), "people": _figures(row)["people"]}
        for row in snapshot["by_month"]
    ]
    for row in months:
        row["label"] = date_format(row["month"], "F Y")
    # A snapshot row carries its kind, figure and status (``strategy.templatetags.indicators``
    # reads both it and the counts-only rows of bulletins published before kinds existed).
    indicators = [
        {**row, "name": _pick(row, "name", language), "unit": _pick(row, "unit", language)}
        for row in snapshot["indicators"]
    ]
    # Most people first; areas whose figure is not shown last, by p-code.
    areas = sorted(
        snapshot["by_admin1"],
        key=lambda row: (row["people"] is None, -(row["people"] or 0), row["pcode"]),
    )
    area_rows = [
        {
            "pcode": row["pcode"],
            "name": _pick(row, "name", language),
            "people": _figures(row)["people"],
            "partners": _figures(row)["partners"],
        }
        for row in areas
    ]
    gaps = sorted(
        snapshot["gaps"],
        key=lambda row: (-row["severity"], -(row["people_in_need"] or 0), row["pcode"]),
    )
    gap_rows = [
        {
            "pcode": row["pcode"],
            "name": _pick(row, "name", language),
            "domain": _pick(row, "domain", language),
            "severity": row["severity"],
            "people_in_need": row["people_in_need"],
        }
        for row in gaps
    ]
    partners = [
        {"name": _pick(row, "name", language), "acronym": row["acronym"]}
        for row in snapshot["partners"]
    ]
    sex_age = _figures(snapshot["by_sex_age"])
    sex_age_rows = [
        (_("Girls"), sex_age["girls"]),
        (_("Boys"), sex_age["boys"]),
        (_("Women"), sex_age["women"]),
        (_("Men"), sex_age["men"]),
        (_("Older people (among the above)"), sex_age["older_people"]),
        (_("People with disabilities (among the above)"), sex_age["people_with_disabilities"]),
    ]

    people_percent = _percent(shown_or_none(key["people_reached"]), key["people_targeted"])
    chart_areas = area_rows[:CHART_ROWS]
    chart_indicators = [row for row in indicators if _shares_target(row)][:CHART_ROWS]
    chart = (
        _charts(months, area_rows[:CHART_ROWS], indicators, people_percent, profile.accent_colour)
        if with_charts
        else {}
    )
    narrative = _narrative(document)
    facilities = _facilities(snapshot, language)
    attacks = _attacks(snapshot, language)
    funding = _funding(snapshot, language)
    coverage = _coverage(snapshot, language)
    figures_sections = [
        Section("key-figures", _("Key figures")),
        Section("people-by-area", _("People reached by area")),
        Section("indicators", _("Progress against the strategy's indicators")),
        *([Section("facilities", _("Health facilities"))] if facilities else []),
        *([Section("attacks", _("Attacks on health care"))] if attacks else []),
        *([Section("funding", _("Funding"))] if funding else []),
        *([Section("coverage", _("Coverage against targets"))] if coverage else []),
        Section("gaps", _("Gaps: severe needs")),
        Section("partners", _("Partners that reported")),
    ]
    toc = []
    if document.highlight_list:
        toc.append(Section("highlights", _("Highlights")))
    toc += figures_sections[:1] + narrative + figures_sections[1:]
    toc.append(Section("contacts", _("Contacts")))
    lead = profile.lead_agency
    co_chair = profile.co_chair
    return {
        "bulletin": bulletin,
        "edition": document,
        "language": language,
        "rtl": document.is_rtl,
        "period": period_label(bulletin.first_month, bulletin.last_month),
        "cluster_name": str(profile.cluster_name),
        "logo": logo_data_url(profile),
        "country_name": str(profile.country_name or ""),
        "lead_agency": str(lead.name) if lead else "",
        "co_chair": str(co_chair.name) if co_chair else "",
        "lead_agency_logo": image_data_url(lead.logo) if lead else "",
        "co_chair_logo": image_data_url(co_chair.logo) if co_chair else "",
        "highlights": document.highlight_list,
        "key": key,
        "people_percent": people_percent,
        "months": months,
        "indicators": _cap(indicators, limit),
        "areas": _cap(area_rows, limit),
        "chart_area_count": len(chart_areas),
        "chart_indicator_count": len(chart_indicators),
        "gaps": _cap(gap_rows, limit),
        "partners": partners,
        "sex_age": sex_age_rows,
        "chart": chart,
        "maps": _maps(snapshot) if with_charts else [],
        "facilities": facilities,
        "attacks": attacks,
        "funding": funding,
        "coverage": coverage,
        "narrative": narrative,
        "toc": toc,
        "contacts": _contacts(profile),
        "snapshot_month_range": (snapshot["first_month"], snapshot["last_month"]),
        # Some figure is not shown to the public: the bulletin says why.
        "withheld": any(
            isinstance(value, Withheld)
            for value in [
                *key.values(),
                *(row["people"] for row in months),
                *(value for row in area_rows for value in (row["people"], row["partners"])),
                *(value for _label, value in sex_age_rows),
            ]
        )
        or any(row.get("withheld") for row in snapshot["indicators"])
        or bool(
            funding
            and any(
                isinstance(row["required"], Withheld)
                for row in [funding["total"], *funding["by_admin1"]]
            )
        )
        or bool(
            coverage and any(isinstance(row["reached"], Withheld) for row in coverage["by_admin1"])
        ),
    }


def render_html(
    document: Document, snapshot: dict, profile, *, for_browser: bool = False, extra=None
) -> str:
    """The edition's print HTML in its own language, whatever the request's language."""
    with translation.override(document.language):
        context = bulletin_context(document, snapshot, profile)
        context.update(for_browser=for_browser, **(extra or {}))
        return render_to_string(settings.BULLETIN_PRINT_TEMPLATE, context)


def print_css_path() -> str:
    path = finders.find(PRINT_CSS)
    if not path:
        path = str(settings.STATIC_ROOT / PRINT_CSS)
    return path


def render_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    # The logo's data URL and nothing else: a link typed into the narrative must not make
    # the build read a local file or reach another server.
    fetcher = URLFetcher(allowed_protocols={"data"})
    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher)
    # The cluster's colour as it is when the edition is built: a published PDF keeps it.
    colours = CSS(string=colour_rule(cluster_profile().accent_colour))
    return document.write_pdf(stylesheets=[CSS(filename=print_css_path()), colours])


def render_public_html(version: EditionVersion, profile) -> str:
    """A published version's content for its public page, in its own language: highlights,
    key figures as captioned tables and the narrative, from its snapshot; no charts."""
    with translation.override(version.language):
        if version.snapshot:
            context = bulletin_context(version, version.snapshot, profile, with_charts=False)
        else:
            context = {
                "edition": version,
                "highlights": version.highlight_list,
                "narrative": _narrative(version),
            }
        return render_to_string("bulletins/public/_document.html", context)
