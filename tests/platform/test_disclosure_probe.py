"""A probe of every public output of partners' figures, as an anonymous visitor.

On the dataset of tests/analysis/small_cells.py, where some admin1-month cells come from one or
two organisations, it asks for the dashboard's pages, files and charts, the activity export's
page and files, in both languages, the API's public figures and operational presence (JSON
and CSV, once), with no filter, each narrowing filter alone (an area of each
level, the type of organisation with a single member, each activity, each indicator, an
organisation, each month) and each pair of them; and the home page, the strategy page and a
bulletin built now. It reads what a person would read (the page's text, every cell of a file)
and finds none of the hand-computed figures the public may not see (``NEVER_SHOWN``: each
organisation's own, those of fewer than three, the totals that include a small cell), no
area below admin1, no organisation's name on the dashboard or the export, no number of
partners under three, and no bar drawn for a figure not shown. A filter the public may not use
is refused with the reason on the page, and a file asked for with one sends to that page.

It takes about 70 seconds for both languages (30 to 36 a language, 1,124 requests each) on
the 2-core development machine while other test runs share it.
"""

import csv
import html
import io
import itertools
import re

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from bulletins import publication
from partners import disclosure
from strategy.models import Indicator
from tests.analysis.small_cells import FEB, JAN, MARCH_15_2026, NEVER_SHOWN, build
from tests.bulletins.factories import bilingual_bulletin, built

pytestmark = pytest.mark.django_db

BELOW_ADMIN1 = ["ZZ101", "ZZ102", "ZZ201", "ZZ301", "ZZ10101", "North One", "North Two"]
BELOW_ADMIN1 += ["South One", "East One"]
ORGANISATIONS = ["Alpha Aid", "Beta Care", "Gamma Health", "Delta Red Crescent"]
ORGANISATIONS += ["Local Volunteers"]
PAGES = ["analysis:overview", "analysis:areas", "analysis:people", "analysis:coverage"]
FILES = ["indicators", "months", "areas", "severity", "sex-age", "coverage"]
# Each chart and the file of the same figures, whose column it draws.
CHARTS = {"months": "months", "areas": "areas", "sex-age": "sex-age", "indicators": "indicators"}
EXPORTS = ["csv", "hxl", "xlsx"]

# A number as a page writes it, with its separators (Arabic ones too).
NUMBER = re.compile(r"\d(?:[\d,.\u066b\u066c\u00a0\u202f]*\d)?")


def _filters(cells) -> list[tuple[str, str, dict, dict]]:
    """(kind, name, dashboard parameters, export parameters) of each narrowing filter, and
    whether the public may use it (the area of admin1 and those above only)."""
    indicators = {i.code: i.pk for i in Indicator.objects.all()}
    found = []
    for level, area in (
        ("admin0", cells.country),
        ("admin1", cells.north),
        ("admin2", cells.north_one),
        ("admin3", cells.north_one_a),
    ):
        found.append(("area", level, {"area": area.pk}, {"area": area.pk}))
    found.append(("type", "rcrc", {"organisation_type": "rcrc"}, {"organisation_type": "rcrc"}))
    for activity in (cells.consultations, cells.vaccinations):
        found.append(
            ("activity", activity.code, {"activity": activity.pk}, {"activity": activity.pk})
        )
    for code in ("1.1", "1.2"):
        pk = indicators[code]
        found.append(("indicator", code, {"indicator": pk}, {"indicator": pk}))
    found.append(
        (
            "organisation",
            "delta",
            {"organisation": cells.delta.pk},
            {"organisation": cells.delta.pk},
        )
    )
    for month in (JAN, FEB):
        text = f"{month:%Y-%m}"
        found.append(
            (
                "month",
                text,
                {"first_month": text, "last_month": text},
                {"period_from": text, "period_to": text},
            )
        )
    return found


REFUSED = {("area", "admin2"), ("area", "admin3"), ("type", "rcrc"), ("organisation", "delta")}
# Not offered either, and not a valid choice: the whole country is no filter.
INVALID = {("area", "admin0")}
PAGE_OF_FILE = {
    "indicators": "analysis:overview",
    "months": "analysis:overview",
    "areas": "analysis:areas",
    "severity": "analysis:areas",
    "sex-age": "analysis:people",
    "coverage": "analysis:coverage",
}


def _combinations(filters) -> list[tuple]:
    """No filter, each alone, and each pair of filters of different kinds."""
    pairs = [
        (first, second)
        for first, second in itertools.combinations(filters, 2)
        if first[0] != second[0]
    ]
    return [(), *((one,) for one in filters), *pairs]


def _numbers(text: str) -> list[int]:
    text = text.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
    return [int(re.sub(r"\D", "", token)) for token in NUMBER.findall(text)]


def _visible(page: str) -> str:
    """The text of the page's main content as a person reads it (no attribute, no link)."""
    main = page[page.index("<main") : page.index("</main>")]
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.DOTALL)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)))


def _cells_of_table(page: str, table_id: str, column: int) -> list[str]:
    if f'id="{table_id}"' not in page:
        return []
    start = page.index(f'id="{table_id}"')
    body = page[page.index("<tbody", start) : page.index("</table>", start)]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL)
    cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.DOTALL) for row in rows]
    return [re.sub(r"<[^>]+>", "", row[column]).strip() for row in cells]


class Probe:
    def __init__(self, client, cells, language: str):
        self.client = client
        self.cells = cells
        self.language = language
        self.requests = 0

    def url(self, name: str, *args, **kwargs) -> str:
        with translation.override(self.language):
            return reverse(name, args=args or None, kwargs=kwargs or None)

    def get(self, url: str, params: dict):
        self.requests += 1
        return self.client.get(url, params)

    def check_text(self, text: str, where: str, *, organisations=True) -> None:
        shown = set(_numbers(text)) & NEVER_SHOWN
        assert not shown, f"{where}: {sorted(shown)} must not be shown"
        for name in BELOW_ADMIN1 + (ORGANISATIONS if organisations else []):
            assert name not in text, f"{where}: {name!r} must not be shown"

    def page(self, name: str, params: dict, refused: bool) -> None:
        where = f"{name} {params} ({self.language})"
        response = self.get(self.url(name), params)
        assert response.status_code == 200, where
        page = response.content.decode()
        self.check_text(_visible(page), where)
        if refused:
            names = disclosure.refused_filters(params)
            with translation.override(self.language):
                message = str(disclosure.refusal_error(names).messages[0])
            assert html.escape(message) in page, where
        # Partners present by area, and partners reporting: none, three or more, or not shown.
        partners = _cells_of_table(page, "areas-table", 3)
        reporting = re.search(r'id="figure-partners">([^<]*)<', page)
        partners += [reporting.group(1).strip()] if reporting else []
        for value in partners:
            assert not value.isdigit() or int(value) == 0 or int(value) >= 3, where

    def table(self, response, where: str) -> list[list[str]]:
        """The cells of a downloaded file, each checked."""
        if response["Content-Type"].startswith("text/csv"):
            body = b"".join(response.streaming_content).decode("utf-8-sig")
            rows = list(csv.reader(io.StringIO(body)))
        else:
            book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
            rows = [["" if v is None else str(v) for v in row] for row in book.active.values]
        for row in rows:
            for value in row:
                if value.isdigit():
                    assert int(value) not in NEVER_SHOWN, f"{where}: {value} must not be shown"
            self.check_text(" ".join(value for value in row if not value.isdigit()), where)
        return rows

    def file(self, url: str, params: dict, refused: bool, page: str):
        where = f"{url} {params} ({self.language})"
        response = self.get(url, params)
        if refused:
            assert response.status_code == 302, where
            assert response["Location"].startswith(page), where
            return None
        assert response.status_code == 200, where
        rows = self.table(response, where)
        header = rows[0]
        if self.language == "en":
            assert not any("Admin2" in name or "organisation" in name.lower() for name in header)
        if url.endswith("areas.csv"):  # partners present: none, three or more, or not shown
            assert all(row[3] in ("", "0") or int(row[3]) >= 3 for row in rows[1:]), where
        return rows

    def api(self, params: dict, invalid: bool) -> None:
        """The API's public figures and operational presence with the same filters: a 400
        where the dashboard refuses them or finds them invalid, otherwise nothing the public
        may not see, in the JSON and in the CSV."""
        for url in (API_FIGURES, API_PRESENCE):
            where = f"{url} {params}"
            response = self.get(url, params)
            if invalid:
                assert response.status_code == 400, where
                continue
            assert response.status_code == 200, where
            rows = response.json()
            as_csv = self.get(url, {**params, "format": "csv"})
            assert as_csv.status_code == 200, where
            if url == API_FIGURES:
                _check_api_figures(rows, where)
                self.table(as_csv, where)
            else:
                _check_api_presence(rows, as_csv, where)

    def chart(self, name: str, params: dict, figures: list[list[str]] | None) -> int:
        """The patches the chart draws beyond one per figure its file shows."""
        response = self.get(self.url("analysis:chart", name), params)
        assert response.status_code == 200
        patches = response.content.decode().count('<g id="patch_')
        return patches - _drawn(name, figures)


API_FIGURES = "/api/v1/figures/"
API_PRESENCE = "/api/v1/hdx/presence/"
ADMIN1 = {"ZZ1", "ZZ2", "ZZ3"}


def _check_api_figures(rows: list[dict], where: str) -> None:
    for row in rows:
        assert row["admin1"]["pcode"] in ADMIN1, where
        for name in ("value", "numerator", "denominator"):
            assert row[name] not in NEVER_SHOWN, f"{where}: {row}"
        # A figure not shown has no value and says why.
        assert row["withheld"] == "" or row["value"] is None, f"{where}: {row}"


def _check_api_presence(rows: list[dict], as_csv, where: str) -> None:
    """Which organisation worked where: admin1 areas only, and no figure at all."""
    assert all(row["admin1"] in ADMIN1 for row in rows), where
    assert all(not isinstance(value, int) for row in rows for value in row.values()), where
    body = b"".join(as_csv.streaming_content).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(body)))
    assert not [tag for tag in lines[1] if "+num" in tag or tag.startswith("#indicator")]
    assert {line[1] for line in lines[2:]} <= ADMIN1, where
    assert "Local Volunteers" not in body, where


# The column each chart draws, in its file (headers are in the page's language).
DRAWN_COLUMN = {"months": 1, "areas": 2, "sex-age": 1}


def _drawn(name: str, rows: list[list[str]]) -> int:
    """How many bars the chart of ``name`` should draw: one per figure its file shows."""
    lines = rows[1:]
    if name == "indicators":
        return sum(1 for line in lines if not line[-1])  # no note: not withheld
    if name == "sex-age":
        lines = lines[:4]  # the four groups; the others are in the table only
    return sum(1 for line in lines if line[DRAWN_COLUMN[name]] != "")


def _default_files(probe: Probe) -> dict[str, list[list[str]]]:
    """The files of the figures with no filter: what a chart with refused filters draws."""
    return {
        table: probe.file(probe.url("analysis:csv", table), {}, False, "")
        for table in set(CHARTS.values())
    }


def _bulletin_pages(client, probe: Probe) -> None:
    from analysis.snapshot import public_figures

    # Its number is fixed: one drawn from the sequence could be one of the figures never shown.
    number = 7
    assert number not in NEVER_SHOWN
    bulletin, english, arabic = bilingual_bulletin(number=number, first_month=JAN, last_month=FEB)
    figures = public_figures(first_month=JAN, last_month=FEB)
    built(english, figures=figures)
    built(arabic)
    publication.bulletin_publish(bulletin=bulletin, languages=["en", "ar"], by=None)
    response = client.get(probe.url("bulletins:public", number=bulletin.number))
    assert response.status_code == 200
    # The bulletin names the partners that reported, as the directory does.
    probe.check_text(_visible(response.content.decode()), "bulletin", organisations=False)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_no_public_output_gives_a_figure_below_admin1_or_of_fewer_than_three_partners(
    client, time_machine, settings, language
):
    time_machine.move_to(MARCH_15_2026)
    # The probe asks the API a few hundred times a minute from one address.
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {
        "DEFAULT_THROTTLE_RATES": {"api_anon": "100000/minute", "api_token": "100000/minute"}
    }
    cells = build()
    probe = Probe(client, cells, language)
    filters = _filters(cells)
    defaults = _default_files(probe)
    extra_patches = set()
    for combination in _combinations(filters):
        refused = any((kind, name) in REFUSED for kind, name, _d, _e in combination)
        invalid = refused or any((kind, name) in INVALID for kind, name, _d, _e in combination)
        dashboard = {key: value for f in combination for key, value in f[2].items()}
        export = {key: value for f in combination for key, value in f[3].items()}
        for name in PAGES:
            probe.page(name, dashboard, refused)
        files = {
            table: probe.file(
                probe.url("analysis:csv", table), dashboard, invalid, probe.url(PAGE_OF_FILE[table])
            )
            for table in FILES
        }
        for chart, table in CHARTS.items():
            # A chart with filters it cannot use draws the figures of the default ones.
            figures = defaults[table] if invalid else files[table]
            extra_patches.add((chart, probe.chart(chart, dashboard, figures)))
        if language == "en":  # the API names things in both languages at once
            probe.api(dashboard, invalid)
        probe.page("activities:exports", export, refused)
        for fmt in EXPORTS:
            url = probe.url("activities:export", fmt=fmt)
            probe.file(url, export, invalid, probe.url("activities:exports"))
    # Each chart draws one bar per figure its file shows, and nothing for one not shown: the
    # patches beyond those (background, axes) are the same however many bars there are.
    assert len({chart for chart, _extra in extra_patches}) == len(extra_patches)
    for name in ("home", "strategy:current"):
        response = client.get(probe.url(name))
        assert response.status_code == 200
        probe.check_text(_visible(response.content.decode()), name)
    _bulletin_pages(client, probe)
    assert probe.requests > 1000
