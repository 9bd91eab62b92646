"""The disclosure policy (partners/disclosure.py) on the hand-computed dataset of
tests/analysis/small_cells.py, at its default minimum of three organisations: what the public
reads on the dashboard, in its files and charts, in the activity export, on the home and
strategy pages and in a bulletin's snapshot; and that members and coordinators still read
every figure."""

import csv
import io
import re

import pytest
from django.urls import reverse

from analysis.snapshot import public_figures
from bulletins.rendering import render_html, render_public_html
from partners.disclosure import SHOWN, SMALL, WITHHELD, verdict
from partners.models import MemberRole
from tests.analysis.small_cells import FEB, JAN, MARCH_15_2026, build
from tests.bulletins.factories import EditionFactory
from tests.factories import MembershipFactory, UserFactory
from tests.text import has_phrase

pytestmark = pytest.mark.django_db

SMALL_TEXT = "fewer than 3 partners"
WITHHELD_TEXT = "not shown: part of it is from fewer than 3 partners"
BOTH_MONTHS = {"first_month": "2026-01", "last_month": "2026-02"}


@pytest.fixture
def cells(db, time_machine):
    time_machine.move_to(MARCH_15_2026)
    return build()


@pytest.fixture
def member(cells):
    return MembershipFactory(organisation=cells.alpha, role=MemberRole.STAFF).user


def _as(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def _cell_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _table(response, table_id: str) -> list[list[str]]:
    html = response.content.decode()
    start = html.index(f'id="{table_id}"')
    body = html[html.index("<tbody", start) : html.index("</table>", start)]
    return [
        [_cell_text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.DOTALL)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL)
    ]


def _figure(response, figure_id: str) -> str:
    html = response.content.decode()
    return _cell_text(re.search(rf'id="{figure_id}">(.*?)</p>', html, re.DOTALL).group(1))


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


# --- the rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("own", "cells", "expected"),
    [
        (0, [], SHOWN),  # nothing reported: an honest 0
        (3, [3], SHOWN),
        (2, [2], SMALL),
        (1, [], SMALL),
        (4, [3, 4], SHOWN),
        # from four organisations, but one of its cells from two: the total would give the
        # cell away once the other cells are subtracted
        (4, [3, 2], WITHHELD),
        (5, [0, 3], SHOWN),
    ],
)
def test_a_figure_is_shown_only_from_enough_organisations_and_without_a_small_cell(
    own, cells, expected, settings
):
    settings.PUBLIC_MIN_ORGANISATIONS = 3
    assert verdict(own, cells) == expected


def test_the_minimum_is_a_setting(settings):
    settings.PUBLIC_MIN_ORGANISATIONS = 5
    assert verdict(4, [4]) == SMALL
    assert verdict(5, [5]) == SHOWN


# --- the dashboard ----------------------------------------------------------------------------


def test_the_public_areas_table_hides_an_area_of_two_partners_and_says_why(cells, client):
    response = client.get(reverse("analysis:areas"), BOTH_MONTHS)
    assert _table(response, "areas-table") == [
        # North: 2,497 + 3,822; Alpha, Beta, Gamma and Delta; CONS and VAC
        ["North", "ZZ1", "6,319", "4", "2"],
        # South: Alpha and Delta only
        ["South", "ZZ2", SMALL_TEXT, SMALL_TEXT, SMALL_TEXT],
        # East: Alpha, Beta and Local Volunteers, counted by name
        ["East", "ZZ3", "4,969", "3", "1"],
    ]
    html = response.content.decode()
    assert 'id="disclosure-note"' in html
    assert "nor a total that includes one" in html


def test_a_month_is_a_total_of_its_areas_and_is_withheld_with_a_small_one(cells, client):
    response = client.get(reverse("analysis:overview"), BOTH_MONTHS)
    # January: North (3 organisations) and South (Delta alone); February: North, South (2)
    # and East. Either month less the other areas would give South's figure.
    assert _table(response, "months-table") == [
        ["January 2026", WITHHELD_TEXT],
        ["February 2026", WITHHELD_TEXT],
    ]
    # Without South, North's months are shown, and add up to North's total above.
    response = client.get(reverse("analysis:overview"), {**BOTH_MONTHS, "area": cells.north.pk})
    assert _table(response, "months-table") == [
        ["January 2026", "2,497"],
        ["February 2026", "3,822"],
    ]


def test_the_headline_is_judged_on_the_organisations_whose_figures_make_it(cells, client):
    response = client.get(reverse("analysis:overview"), BOTH_MONTHS)
    assert _figure(response, "figure-people") == WITHHELD_TEXT
    assert 'id="figure-people-target"' not in response.content.decode()
    assert _figure(response, "figure-partners") == "4"  # Alpha, Beta, Gamma, Delta reported
    # North, January and February: people reached once is North One's largest month, VAC
    # in January (Gamma, 1,637), North One A's (Gamma, 530) and North Two's (Beta, 1,349):
    # from two organisations only, though North's figures come from four.
    north = {**BOTH_MONTHS, "area": cells.north.pk}
    response = client.get(reverse("analysis:overview"), north)
    assert _figure(response, "figure-people") == SMALL_TEXT
    # North in February: 1,453 (Delta) + 530 (Gamma) + 1,349 (Beta).
    february = {"first_month": "2026-02", "last_month": "2026-02", "area": cells.north.pk}
    response = client.get(reverse("analysis:overview"), february)
    assert _figure(response, "figure-people") == "3,332"


def test_indicators_and_sex_and_age_from_too_few_organisations_are_not_shown(cells, client):
    response = client.get(reverse("analysis:overview"), BOTH_MONTHS)
    rows = _table(response, "indicators-table")
    # 1.1 (CONS): North in January is Alpha and Beta; 1.2 (VAC): Gamma alone.
    assert [row[1] for row in rows] == [f"{WITHHELD_TEXT} Count", f"{WITHHELD_TEXT} Count"]
    people = client.get(reverse("analysis:people"), BOTH_MONTHS)
    # Girls: 101 + 111 + 121 + 131 + 141 from Alpha, Beta and Gamma, but North January is
    # Alpha and Beta alone.
    assert [row[2] for row in _table(people, "sex-age-table")[:4]] == [WITHHELD_TEXT] * 4
    # East alone: every figure single counts of three organisations.
    east = client.get(reverse("analysis:people"), {**BOTH_MONTHS, "area": cells.east.pk})
    assert has_phrase(_cell_text(east.content.decode()), "4,969 people were reached but not")


def test_members_and_coordinators_see_every_figure(cells, client, member):
    response = _as(client, member).get(reverse("analysis:areas"), BOTH_MONTHS)
    rows = {row[2]: row[3:] for row in _table(response, "areas-table")}
    # South One: Delta 2,683 + 2,791 (VAC), Alpha 570 (CONS)
    assert rows["ZZ201"] == ["6,044", "2", "2"]
    assert 'id="disclosure-note"' not in response.content.decode()
    coordinator = UserFactory(is_coordinator=True)
    response = _as(client, coordinator).get(reverse("analysis:overview"), BOTH_MONTHS)
    assert _table(response, "months-table") == [
        ["January 2026", "5,180"],
        ["February 2026", "12,152"],
    ]


# --- files and charts -------------------------------------------------------------------------


def test_a_public_file_leaves_a_figure_not_shown_empty_and_says_why_in_its_note(cells, client):
    rows = _csv(client.get(reverse("analysis:csv", args=["areas"]), BOTH_MONTHS))
    assert rows == [
        ["Admin1 p-code", "Admin1", "People reached", "Partners present", "Activities", "Note"],
        ["ZZ1", "North", "6319", "4", "2", ""],
        [
            *("ZZ2", "South", "", "", ""),
            f"People reached: {SMALL_TEXT}; Partners present: {SMALL_TEXT}; "
            f"Activities: {SMALL_TEXT}",
        ],
        ["ZZ3", "East", "4969", "3", "1", ""],
    ]
    months = _csv(client.get(reverse("analysis:csv", args=["months"]), BOTH_MONTHS))
    assert months[1:] == [
        ["2026-01", "", f"People reached: {WITHHELD_TEXT}"],
        ["2026-02", "", f"People reached: {WITHHELD_TEXT}"],
    ]


def _bars(response) -> int:
    # matplotlib draws each bar as one patch, beside the fixed background and axes ones.
    return response.content.decode().count('<g id="patch_')


def test_a_public_chart_draws_no_bar_for_a_figure_not_shown(cells, client, settings):
    url = reverse("analysis:chart", args=["areas"])
    public = _bars(client.get(url, BOTH_MONTHS))
    settings.PUBLIC_MIN_ORGANISATIONS = 1
    everything = _bars(client.get(url, BOTH_MONTHS))
    # North, South and East; no bar for South at the default minimum.
    assert everything - public == 1


def test_the_public_maps_grey_out_an_area_not_shown_and_never_print_its_figure(
    cells, client, member
):
    from analysis import maps
    from tests.analysis.boundaries import draw_the_dataset_areas
    from tests.analysis.test_maps import SVG, legend, map_areas, map_svg

    draw_the_dataset_areas()
    response = client.get(reverse("analysis:areas"), BOTH_MONTHS)

    # As in the table: North and East shown, South (Alpha and Delta only) not.
    people = map_areas(response, "map-people")
    assert {name: area["said"] for name, area in people.items()} == {
        "North": "6,319",
        "South": SMALL_TEXT,
        "East": "4,969",
    }
    assert people["South"]["fill"] == maps.WITHHELD_FILL
    assert map_areas(response, "map-partners")["South"]["fill"] == maps.WITHHELD_FILL
    assert "Not shown to the public" in legend(response, "map-people")
    # Only the figures shown are printed on the map's areas (beside the scale's distance).
    svg = map_svg(response.content.decode(), "map-people")
    printed = {text.text for text in svg.iter(f"{SVG}text") if text.text[0].isdigit()}
    assert {text for text in printed if not text.endswith(" km")} == {"6,319", "4,969"}
    home = map_areas(client.get("/en/"), "map-presence")
    assert home["South"]["fill"] == maps.WITHHELD_FILL
    # A member reads South One's figure on the admin2 map.
    response = _as(client, member).get(reverse("analysis:areas"), BOTH_MONTHS)
    assert map_areas(response, "map-people")["South One"]["said"] == "6,044"


# --- filters the public may not use -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [("organisation_type", "rcrc"), ("area", "north_one"), ("area", "north_one_a")],
)
def test_a_public_filter_below_admin1_or_by_organisation_type_is_refused(
    cells, client, name, value
):
    value = getattr(cells, value).pk if value.startswith("north") else value
    response = client.get(reverse("analysis:areas"), {**BOTH_MONTHS, name: value})
    assert response.status_code == 200
    errors = response.content.decode().split('id="filter-errors"')[1].split("</div>")[0]
    assert "The public cannot filter" in errors
    # The figures of the default range and no filter: not Delta Red Crescent's alone.
    assert [row[0] for row in _table(response, "areas-table")] == ["North", "South", "East"]
    assert "from April 2025 to March 2026" in _cell_text(response.content.decode())
    # Its file sends to the page that says why.
    file = client.get(reverse("analysis:csv", args=["areas"]), {name: value})
    assert file.status_code == 302
    assert file["Location"].startswith(reverse("analysis:areas"))


def test_the_public_form_offers_admin1_areas_and_no_organisation_type(cells, client, member):
    form = client.get(reverse("analysis:overview")).context["form"]
    assert "organisation_type" not in form.fields
    assert [label for _pk, label in form.fields["area"].choices][1:] == [
        "North (ZZ1)",
        "South (ZZ2)",
        "East (ZZ3)",
    ]
    form = _as(client, member).get(reverse("analysis:overview")).context["form"]
    assert "organisation_type" in form.fields


# --- the activity export ----------------------------------------------------------------------


def test_the_public_export_empties_the_lines_of_too_few_organisations(cells, client):
    rows = _csv(client.get(reverse("activities:export", kwargs={"fmt": "csv"})))
    header = rows[0]
    lines = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    shown = [line for line in lines if line["Total reached"]]
    # Only East's February vaccinations come from three organisations.
    assert [
        (line["Admin1 p-code"], line["Activity code"], line["Total reached"]) for line in shown
    ] == [("ZZ3", "VAC", "4969")]
    hidden = [line for line in lines if not line["Total reached"]]
    # North: CONS January (Alpha, Beta) and February (Alpha, Gamma), VAC January (Gamma)
    # and February (Beta, Delta); South: VAC January and February (Delta), CONS (Alpha).
    assert len(hidden) == 7
    assert {line["Note"] for line in hidden} == {SMALL_TEXT}
    assert {line["Girls"] for line in hidden} == {""}


@pytest.mark.parametrize(
    ("name", "value"),
    [("organisation", "delta"), ("organisation_type", "rcrc"), ("area", "north_one")],
)
def test_a_public_export_by_organisation_or_below_admin1_is_refused(cells, client, name, value):
    value = getattr(cells, value).pk if value in ("delta", "north_one") else value
    response = client.get(reverse("activities:export", kwargs={"fmt": "csv"}), {name: value})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "The public cannot filter" in page.content.decode()


def test_the_public_export_offers_admin1_areas_only(cells, client):
    form = client.get(reverse("activities:exports")).context["filter"].form
    assert {"organisation", "organisation_type"}.isdisjoint(form.fields)
    assert [area.pcode for area in form.fields["area"].queryset] == ["ZZ1", "ZZ2", "ZZ3"]


# --- the home and strategy pages, the bulletin ------------------------------------------------


def test_the_home_page_says_why_people_reached_is_not_shown(cells, client):
    # January to March 2026: South is small in January and February.
    page = client.get("/en/").content.decode()
    assert _figure(client.get("/en/"), "figure-people") == WITHHELD_TEXT
    assert 'id="figure-people-target"' not in page
    assert 'id="disclosure-note"' in page


def test_the_strategy_page_shows_why_an_indicator_is_not_shown(cells, client):
    page = client.get("/en/strategy/").content.decode()
    values = re.findall(r'class="indicator-value figure-withheld">([^<]*)<', page)
    assert values == [WITHHELD_TEXT, WITHHELD_TEXT]


def test_the_snapshot_keeps_no_figure_the_public_may_not_see(cells):
    figures = public_figures(first_month=JAN, last_month=FEB)
    key = figures["key_figures"]
    assert key["people_reached"] is None
    assert key["withheld"] == {"people_reached": WITHHELD}
    assert key["partners_reporting"] == 4
    assert [(row["pcode"], row["people"], row["partners"]) for row in figures["by_admin1"]] == [
        ("ZZ1", 6319, 4),
        ("ZZ2", None, None),
        ("ZZ3", 4969, 3),
    ]
    assert figures["by_admin1"][1]["withheld"] == {"people": SMALL, "partners": SMALL}
    assert [row["people"] for row in figures["by_month"]] == [None, None]
    assert [row["withheld"] for row in figures["indicators"]] == [WITHHELD, WITHHELD]
    assert figures["by_sex_age"]["girls"] is None


def test_a_bulletin_prints_the_reason_in_place_of_a_figure(cells):
    edition = EditionFactory(language="en")
    edition.snapshot = public_figures(first_month=JAN, last_month=FEB)
    profile = _profile()
    # Its public page and the HTML its PDF is printed from.
    for html in (
        render_public_html(edition, profile=profile),
        render_html(edition, edition.snapshot, profile),
    ):
        text = _cell_text(html)
        assert f"South {SMALL_TEXT} {SMALL_TEXT}" in text
        assert "North 6,319 4" in text
        assert "East 4,969 3" in text
        assert "nor a total that includes one" in text


def _profile():
    from strategy.models import ClusterProfile

    return ClusterProfile.objects.create(pk=1, cluster_name_en="Testland Health Cluster")


def test_the_announcement_email_says_why_people_reached_is_not_given(cells):
    from bulletins import publication
    from tests.bulletins.factories import built

    edition = built(
        EditionFactory(bulletin__first_month=JAN, bulletin__last_month=FEB),
        figures=public_figures(first_month=JAN, last_month=FEB),
    )
    publication.bulletin_publish(bulletin=edition.bulletin, languages=["en"], by=None)
    _subject, body = publication.announcement_text(edition.versions.get())
    assert f"- People reached: {WITHHELD_TEXT}" in body
    assert "- 4 partners reporting" in body
    assert "0 people reached" not in body


@pytest.mark.parametrize("area", ["99999999999999999999", "-1", "0x10", "1e3"])
def test_an_area_that_is_no_area_is_a_form_error_not_a_crash(cells, client, area):
    response = client.get(reverse("analysis:areas"), {"area": area})
    assert response.status_code == 200
    assert 'id="filter-errors"' in response.content.decode()
    export = client.get(reverse("activities:export", kwargs={"fmt": "csv"}), {"area": area})
    assert export.status_code == 302
