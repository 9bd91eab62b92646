"""Each kind of indicator against the hand-computed dataset of tests/analysis/kinds.py, read
where people read it: the strategy page, the dashboard and its CSV, the bulletin's snapshot
and the text of its PDF, in English and in Arabic."""

import csv
import datetime
import io
import re
import subprocess

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from activities.models import Activity, ReportStatus
from activities.services.catalogue import activity_update
from analysis import measures, selectors
from analysis.services import rebuild_all
from analysis.snapshot import public_figures
from bulletins import publication, services
from bulletins.models import BuildStatus
from locations.models import AdminArea
from strategy.models import IndicatorKind
from tests.activities.factories import PeriodFactory, ReportFactory, ReportRowFactory
from tests.analysis.kinds import FIRST, JULY_15_2026, LAST, build
from tests.assessments.factories import HealthDomainFactory
from tests.bulletins.factories import EditionFactory, revise
from tests.factories import OrganisationFactory, UserFactory
from tests.text import has_phrase

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.time_machine(JULY_15_2026),
    # Two organisations: the public would see no figure (tests/conftest.py).
    pytest.mark.usefixtures("every_figure_public"),
]

RANGE = {"first_month": "2026-01", "last_month": "2026-06"}

# What a reader sees for each indicator, in English: the figure, and its progress.
EXPECTED = {
    "1.1": ("750", "125%"),
    "1.2": ("190", "50%"),
    "2.1": ("1.8 %", "Improving — target 1.0 % or less"),
    "2.2": ("40.0 %", "Off track — target 10.0 % or less"),
    "2.3": ("Not measured", "—"),
    "3.1": ("3", "Met — target 4 or less"),
    "3.2": ("12", "Improving — target 20 or more"),
}
NOTES = {
    "1.1": "Count",
    "1.2": "People reached once",
    "2.1": "Rate or proportion; 1 area-month without a denominator left out",
    "2.2": "Rate or proportion",
    "2.3": "Rate or proportion; its numerator and denominator are not chosen yet",
    "3.1": "Latest value; as of June 2026",
    "3.2": "Latest value; as of June 2026; some areas as of April 2026",
}


@pytest.fixture
def kinds(db, settings):
    settings.LATEST_MAX_AGE = 3
    return build()


def _words(html: str) -> str:
    return " ".join(re.sub(r"<progress.*?</progress>|<[^>]+>", " ", html, flags=re.S).split())


def _cells(page: str, attribute: str) -> dict[str, str]:
    pattern = re.compile(rf'{attribute}="([^"]+)"[^>]*>(.*?)</td>', re.S)
    return {code: _words(cell) for code, cell in pattern.findall(page)}


def test_each_kind_is_measured_by_its_own_rule(kinds):
    filters = selectors.Filters(first_month=FIRST, last_month=LAST)
    found = {
        m.indicator.code: m
        for m in measures.indicator_progress(filters, selectors.cycle_indicators(kinds.cycle))
    }
    assert (found["1.1"].value, found["1.1"].percent, found["1.1"].shown_percent) == (750, 125, 100)
    assert (found["1.2"].value, found["1.2"].percent) == (190, 50)
    cfr = found["2.1"]
    assert (cfr.numerator, cfr.denominator, cfr.left_out) == (7, 400, 1)
    assert str(cfr.value) == "1.8"
    assert (cfr.status, cfr.percent) == ("improving", None)
    assert (str(found["2.2"].value), found["2.2"].status) == ("40.0", "off_track")
    assert (found["2.3"].value, found["2.3"].measured) == (None, False)
    assert (found["3.1"].value, found["3.1"].status) == (3, "met")
    facilities = found["3.2"]
    assert (facilities.value, facilities.status, facilities.areas) == (12, "improving", 2)
    assert (facilities.as_of, facilities.earliest) == (LAST, datetime.date(2026, 4, 1))


def test_a_rate_with_no_denominator_at_all_has_no_data_rather_than_zero(kinds):
    january = selectors.Filters(first_month=datetime.date(2026, 6, 1), last_month=LAST)
    cfr = measures.measures(january, [kinds.indicators["2.1"]])[0]
    assert (cfr.value, cfr.measured, cfr.status) == (None, True, None)


def test_a_latest_value_older_than_the_limit_is_no_data(kinds, settings):
    settings.LATEST_MAX_AGE = 1
    filters = selectors.Filters(first_month=FIRST, last_month=LAST)
    facilities = measures.measures(filters, [kinds.indicators["3.2"]])[0]
    assert (facilities.value, facilities.areas) == (8, 1)  # only North One's June figure


def test_the_headline_counts_each_area_once_against_the_people_targeted(kinds):
    headline = measures.headline(selectors.Filters(first_month=FIRST, last_month=LAST))
    assert (headline.people, headline.people_targeted, headline.percent) == (190, 500, 38)
    assert headline.indicator == kinds.indicators["1.2"]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_strategy_page_shows_every_kind(kinds, client, language):
    page = client.get(f"/{language}/strategy/").content.decode()
    figures, progress = _cells(page, "data-reached"), _cells(page, "data-progress")
    with translation.override(language):
        for code, (figure, state) in _localised().items():
            assert figures[code].startswith(figure), code
            assert progress[code] == state, code


def _localised() -> dict[str, tuple[str, str]]:
    """EXPECTED in the active language: the same figures, the words translated."""
    if translation.get_language() == "en":
        return EXPECTED
    decimal = "\u066b"
    rate = gettext("%(rate)s %%")
    status = {
        "Improving": gettext("improving"),
        "Off track": gettext("off track"),
        "Met": gettext("met"),
    }
    localised = {}
    for code, (figure, state) in EXPECTED.items():
        if figure.endswith(" %"):
            figure = rate % {"rate": figure[:-2].replace(".", decimal)}
        elif figure == "Not measured":
            figure = gettext("Not measured")
        if " — " in state:
            word, target = state.split(" — ")
            amount = target.split(" ")[1]
            if target.split(" ")[2] == "%":
                amount = rate % {"rate": amount.replace(".", decimal)}
            phrase = (
                "target %(target)s or less" if "less" in target else "target %(target)s or more"
            )
            state = gettext("%(status)s — %(against)s") % {
                "status": status[word].capitalize(),
                "against": gettext(phrase) % {"target": amount},
            }
        localised[code] = (figure, state)
    return localised


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_dashboard_shows_every_kind_and_the_headline(kinds, client, language):
    page = client.get(f"/{language}/dashboard/", RANGE).content.decode()
    assert 'id="figure-people">190<' in page
    figures, progress = _cells(page, "data-figure"), _cells(page, "data-progress")
    with translation.override(language):
        for code, (figure, state) in _localised().items():
            assert figures[code].startswith(figure), code
            assert progress[code] == state, code
    if language == "en":
        assert has_phrase(page, "38% of the 500 people targeted in a year")
        for code, note in NOTES.items():
            assert figures[code] == f"{EXPECTED[code][0]} {note}", code


def test_the_indicator_chart_draws_counts_only(kinds, client):
    def bars(**params) -> int:
        # matplotlib draws each bar as one patch, beside the fixed background and axes ones.
        url = reverse("analysis:chart", args=["indicators"])
        return client.get(url, {**RANGE, **params}).content.decode().count('<g id="patch_')

    every = bars()
    # The count 1.1 alone draws one bar fewer than both counts; a rate alone draws none.
    assert every - bars(indicator=kinds.indicators["1.1"].pk) == 1
    assert every - bars(indicator=kinds.indicators["2.1"].pk) == 2


def test_the_indicators_csv_holds_the_kind_value_and_status(kinds, client):
    response = client.get(reverse("analysis:csv", args=["indicators"]), RANGE)
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = {row[1]: row for row in csv.reader(io.StringIO(body)) if row and row[1][:1].isdigit()}
    header = next(csv.reader(io.StringIO(body)))
    column = {name: index for index, name in enumerate(header)}

    def cell(code, name):
        return rows[code][column[name]]

    assert cell("1.1", "Value") == "750"
    assert cell("1.1", "Percentage of the target") == "125"
    assert (cell("2.1", "Value"), cell("2.1", "Numerator"), cell("2.1", "Denominator")) == (
        "1.8",
        "7",
        "400",
    )
    assert cell("2.1", "Area-months left out for want of a denominator") == "1"
    assert cell("2.1", "Percentage of the target") == ""
    assert cell("2.1", "Status") == "improving"
    assert cell("2.3", "Value") == ""
    assert (cell("3.2", "Value"), cell("3.2", "As of month")) == ("12", "2026-06")
    assert cell("3.2", "How it is measured") == "latest value"


def test_the_snapshot_keeps_each_kind(kinds):
    snapshot = public_figures(first_month=FIRST, last_month=LAST)
    rows = {row["code"]: row for row in snapshot["indicators"]}
    assert (rows["1.1"]["kind"], rows["1.1"]["value"], rows["1.1"]["percent"]) == (
        "count",
        750,
        125,
    )
    assert (rows["2.1"]["value"], rows["2.1"]["status"], rows["2.1"]["left_out"]) == (
        "1.8",
        "improving",
        1,
    )
    assert (rows["2.3"]["value"], rows["2.3"]["measured"]) == (None, False)
    assert (rows["3.2"]["value"], rows["3.2"]["as_of"]) == (12, "2026-06-01")
    assert snapshot["key_figures"]["people_reached"] == 190
    assert snapshot["key_figures"]["headline_code"] == "1.2"


def _pdf_text(edition) -> str:
    with edition.pdf.open("rb") as handle:
        pdf = handle.read()
    result = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_built_pdf_prints_each_kind(kinds, language):
    edition = EditionFactory(
        bulletin__first_month=FIRST, bulletin__last_month=LAST, language=language
    )
    services.edition_build(edition=edition, by=None)
    edition.refresh_from_db()
    assert edition.status == BuildStatus.READY
    text = _pdf_text(edition)
    with translation.override(language):
        if language == "en":
            assert has_phrase(text, "1.8 %")
            assert has_phrase(text, "Improving — target 1.0 % or less")
            assert has_phrase(text, "Off track — target 10.0 % or less")
            assert has_phrase(text, "Met — target 4 or less")
            assert has_phrase(text, "Not measured")
            assert has_phrase(text, "125%")
            assert has_phrase(text, "as of June 2026")
        else:
            assert gettext("Not measured") in text
            assert gettext("improving") in text
            assert gettext("off track") in text
        assert "286" not in text  # no rate is added up like a count


# --- changing how an indicator is measured ----------------------------------------------------


def _value(kinds, code):
    filters = selectors.Filters(first_month=FIRST, last_month=LAST)
    indicators = selectors.cycle_indicators(kinds.cycle)
    return {m.indicator.code: m for m in measures.indicator_progress(filters, indicators)}[code]


def test_changing_an_indicator_s_kind_changes_its_figure_at_once(kinds):
    assert _value(kinds, "1.2").value == 190
    indicator = kinds.indicators["1.2"]
    indicator.kind = IndicatorKind.COUNT
    indicator.save()
    # Every figure added up: treatment 80 + 120 + 50, vaccination 100 + 70.
    assert _value(kinds, "1.2").value == 420


def test_taking_a_rate_s_numerator_away_leaves_it_not_measured(kinds):
    deaths = Activity.objects.get(code="DEATHS")
    assert _value(kinds, "2.1").measured
    activity_update(
        activity=deaths,
        domains=list(deaths.domains.all()) or [HealthDomainFactory()],
        by=None,
        feeds={"numerator_of": []},
    )
    assert not _value(kinds, "2.1").measured


def test_a_published_bulletin_keeps_its_figures_when_an_indicator_changes(kinds, client):
    coordinator = UserFactory(is_coordinator=True)
    edition = EditionFactory(bulletin__first_month=FIRST, bulletin__last_month=LAST)
    services.edition_build(edition=edition, by=None)
    publication.bulletin_publish(bulletin=edition.bulletin, languages=["en"], by=coordinator)
    bulletin = edition.bulletin
    bulletin.refresh_from_db()
    frozen = bulletin.snapshot
    assert {row["code"]: row["value"] for row in frozen["indicators"]}["1.1"] == 750
    indicator = kinds.indicators["1.1"]
    indicator.kind = IndicatorKind.PEOPLE_ONCE
    indicator.save()
    assert _value(kinds, "1.1").value == 300 + 150  # N1's January, S1's March
    bulletin.refresh_from_db()
    assert bulletin.snapshot == frozen
    page = client.get(bulletin.get_public_url()).content.decode()
    assert _cells(page, "data-figure")["1.1"] == "750 Count"

    # A revision is built from the figures the edition was published with, not today's.
    revise(edition, by=coordinator, situation_overview="Cholera cases fell.")
    services.edition_build(edition=edition, by=coordinator)
    edition.refresh_from_db()
    assert edition.status == BuildStatus.READY
    assert edition.snapshot == frozen
    text = _pdf_text(edition)
    assert has_phrase(text, "Cholera cases fell.")
    assert has_phrase(text, "125%")  # 750 of 600, counted; 450 would be 75%


def _add_rows(kinds, *rows) -> None:
    """Validated rows added to the dataset: (organisation, month, activity code, area, total)."""
    for organisation, month, code, pcode, total in rows:
        report = ReportFactory(
            organisation=organisation,
            period=PeriodFactory(year=2026, month=month),
            status=ReportStatus.VALIDATED,
        )
        ReportRowFactory(
            report=report,
            activity=Activity.objects.get(code=code),
            area=AdminArea.objects.get(pcode=pcode),
            total=total,
        )
    rebuild_all()


def test_the_organisations_behind_a_figure_are_those_of_the_cells_it_takes(kinds):
    """People reached once takes each area's largest activity-month, a latest value each
    area's newest month: only their organisations are behind the figure (for disclosure)."""
    smaller, peak, older = (OrganisationFactory() for _ in range(3))
    _add_rows(
        kinds,
        (smaller, 3, "TREAT", "ZZ201", 10),  # South One: 10, below its largest cell (70)
        (peak, 4, "VAC", "ZZ102", 30),  # North Two: its only cell, so its largest
        (older, 4, "FAC", "ZZ101", 2),  # North One: April, before its newest month (June)
    )
    filters = selectors.Filters(first_month=FIRST, last_month=LAST)
    people, facilities = kinds.indicators["1.2"], kinds.indicators["3.2"]
    found = measures.indicator_organisations(filters, [people, facilities])
    # 1.2: Alpha (North One's 120), Beta (South One's 70) and the peak's organisation.
    assert found[people.pk].own == 3
    # 3.2: Alpha (North One, June) and Beta (South One, April); North Two is too old.
    assert found[facilities.pk].own == 2
