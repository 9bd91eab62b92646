"""Issue 24, the maps: the areas tab's maps of partners, people reached and severity.

The hand-computed dataset (``tests/analysis/dataset.py``) gets square boundaries
(``tests/analysis/boundaries.py``). Every figure on a map must be the figure of the table
beside it.
"""

import datetime
import math
import re
import subprocess
import xml.etree.ElementTree as ET

import pytest
import shapely
from django.urls import reverse
from shapely.geometry import box, mapping

from analysis import maps
from locations.drawing import Projection, path_data
from locations.models import AdminArea, AreaBoundary
from tests.analysis.boundaries import SQUARES, draw_the_dataset_areas
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("every_figure_public")]

RANGE = {"first_month": "2026-01", "last_month": "2026-04"}
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def drawn(data):
    """The dataset's areas with their boundaries."""
    draw_the_dataset_areas()
    return data


def map_svg(html: str, slug: str):
    start = html.index(f'aria-labelledby="{slug}-caption"')
    return ET.fromstring(  # noqa: S314 - the portal's own page
        html[html.index("<svg", start) : html.index("</svg>", start) + 6]
    )


def shapes(html: str, slug: str) -> list:
    """The map's areas: its paths, or its uses of the page's shared paths, with a title."""
    svg = map_svg(html, slug)
    return [
        element
        for element in svg.iter()
        if element.tag in (f"{SVG}path", f"{SVG}use") and element.find(f"{SVG}title") is not None
    ]


def map_areas(response, slug: str) -> dict[str, dict]:
    """Each area of one map, by its name: its fill, its title and whether it is hatched."""
    html = response.content.decode()
    svg = map_svg(html, slug)

    def shape_of(element) -> str:
        return element.get("d") or element.get("href")

    hatched = {shape_of(el) for el in svg.iter() if "url(#" in (el.get("fill") or "")}
    found = {}
    for element in shapes(html, slug):
        name, _sep, said = element.find(f"{SVG}title").text.partition(": ")
        found[name] = {
            "fill": element.get("fill"),
            "said": said,
            "hatched": shape_of(element) in hatched,
        }
    return found


def admin1_edges(response, slug: str) -> str:
    html = response.content.decode()
    start = html.index(f'aria-labelledby="{slug}-caption"')
    svg = html[start : html.index("</svg>", start)]
    (edges,) = re.findall(r'<path d="([^"]+)" fill="none" stroke="#4a4a4a" stroke-width="1.5"', svg)
    return edges


def legend(response, slug: str) -> list[str]:
    html = response.content.decode()
    start = html.index(f'aria-labelledby="{slug}-caption"')
    items = html[html.index('class="chart-legend map-legend"', start) : html.index("</ul>", start)]
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", items)]


def get_areas(client):
    return client.get(reverse("analysis:areas"), RANGE)


def test_the_public_maps_show_the_admin1_figures_of_the_table(drawn, client):
    response = get_areas(client)

    # North 2 partners and 520 people, South 1 and 50 (the table's rows); East has none.
    partners = map_areas(response, "map-partners")
    assert {name: area["said"] for name, area in partners.items()} == {
        "North": "2",
        "South": "1",
        "East": "no data",
    }
    people = map_areas(response, "map-people")
    assert {name: area["said"] for name, area in people.items()} == {
        "North": "520",
        "South": "50",
        "East": "no data",
    }
    assert people["East"]["fill"] == maps.NO_DATA_FILL
    # Two areas with figures, two quantile classes: the lighter for 50, the darker for 520.
    assert people["South"]["fill"] == maps.BLUES[0]
    assert people["North"]["fill"] == maps.BLUES[-1]
    assert legend(response, "map-people") == ["50", "520", "No data"]


def test_the_public_severity_map_hatches_the_gaps_a_bulletin_would_print(drawn, client):
    severity = map_areas(get_areas(client), "map-severity")

    # Public assessments by admin1: North 4 (P1; P2's 2 is later but the highest counts),
    # South 5, East 4. East is a gap: severity 4 and nobody serving primary care there since
    # February; South's nutrition needs were served in February, North's latest is 2.
    assert {name: area["said"] for name, area in severity.items()} == {
        "North": "4 \u2013 Extreme",
        "South": "5 \u2013 Catastrophic",
        "East": "4 \u2013 Extreme \u2013 a gap",
    }
    assert severity["South"]["fill"] == "#640000"
    assert [name for name, area in severity.items() if area["hatched"]] == ["East"]


def test_coordinators_see_admin2_maps_with_the_restricted_findings_gaps(drawn, client):
    client.force_login(UserFactory(is_coordinator=True))
    response = get_areas(client)

    people = map_areas(response, "map-people")
    # The admin2 rows of the table: North One 490, North Two 30, South One 40; East One none.
    assert {name: area["said"] for name, area in people.items()} == {
        "North One": "490",
        "North Two": "30",
        "South One": "40",
        "East One": "no data",
    }
    # The admin1 areas' edges drawn over the admin2 areas: North, South and East, one ring each.
    assert admin1_edges(response, "map-people").count("M") == 3
    severity = map_areas(response, "map-severity")
    # North Two's 5 comes from the restricted R1, unserved in primary care since February;
    # East's whole-area 4 makes East One a gap too.
    assert sorted(name for name, area in severity.items() if area["hatched"]) == [
        "East One",
        "North Two",
    ]


def test_a_members_admin2_severity_map_has_no_gaps(drawn, client):
    client.force_login(MembershipFactory(organisation=drawn.org_a).user)
    response = get_areas(client)

    severity = map_areas(response, "map-severity")
    assert set(severity) == {"North One", "North Two", "South One", "East One"}
    assert not any(area["hatched"] for area in severity.values())
    assert not any("Gap" in item for item in legend(response, "map-severity"))


def test_the_maps_name_the_areas_in_arabic_on_the_arabic_page(drawn, client):
    response = client.get("/ar/dashboard/areas/", RANGE)

    people = map_areas(response, "map-people")
    assert set(people) == {"الشمال", "الجنوب", "الشرق"}
    assert people["الشرق"]["said"] == "لا بيانات"  # East has no figure: "no data"


def test_without_boundaries_the_tab_shows_its_tables_and_no_map(data, client):
    response = get_areas(client)

    assert response.status_code == 200
    assert 'id="maps-heading"' not in response.content.decode()
    assert 'id="areas-table"' in response.content.decode()


# --- the drawing ------------------------------------------------------------------------------


def test_quantile_classes_by_hand():
    assert maps.quantile_classes(range(1, 11)) == [(1, 2), (3, 4), (5, 6), (7, 8), (9, 10)]
    # Many areas with the same figure share one class; no class is empty.
    assert maps.quantile_classes([5, 5, 5, 9]) == [(5, 5), (9, 9)]
    assert maps.quantile_classes([]) == []


def luminance(colour: str) -> float:
    """WCAG's relative luminance of a ``#rrggbb`` colour."""

    def channel(value: int) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def test_both_scales_darken_with_the_figure_so_their_order_reads_without_hues():
    # Counts (ColorBrewer Blues) and the five JIAF phases (IPC colours): each step darker
    # than the one before, so that a reader who cannot tell the hues apart still reads the
    # order; and "no data" is none of the counts' colours.
    for scale in (maps.BLUES, [maps.SEVERITY_FILLS[phase] for phase in range(1, 6)]):
        lightness = [luminance(colour) for colour in scale]
        assert lightness == sorted(lightness, reverse=True), scale
        assert len(set(lightness)) == len(lightness)
    assert maps.NO_DATA_FILL not in maps.BLUES
    assert maps.SEVERITY_FILLS == {
        1: "#cdfacd",
        2: "#fae61e",
        3: "#e67800",
        4: "#c80000",
        5: "#640000",
    }


def test_the_projection_keeps_areas_in_their_true_proportion():
    project = Projection((30.0, 10.0, 40.0, 40.0))
    south = project.geometry(box(35.0, 10.0, 36.0, 11.0)).area
    north = project.geometry(box(35.0, 39.0, 36.0, 40.0)).area

    # On the sphere, a band between two parallels is proportional to the difference of sines.
    def band(low, high):
        return math.sin(math.radians(high)) - math.sin(math.radians(low))

    assert north / south == pytest.approx(band(39, 40) / band(10, 11), rel=1e-9)


def test_a_hole_is_drawn_as_a_ring_of_its_own():
    square = box(0, 0, 10, 10).difference(box(4, 4, 6, 6))

    data = path_data(square)

    assert data.count("M") == 2
    assert data.count("z") == 2


def test_the_gaps_map_follows_the_rules_of_the_gaps_tab(drawn, client):
    client.force_login(UserFactory(is_coordinator=True))
    url = reverse("analysis:gaps")

    default = map_areas(client.get(url, RANGE), "map-gaps")
    stricter = map_areas(client.get(url, {**RANGE, "severity": 5, "recent_months": 3}), "map-gaps")

    assert sorted(name for name, area in default.items() if area["hatched"]) == [
        "East One",
        "North Two",
    ]
    # At 5 and over, East's 4 is no longer a gap; North Two's 5 still is.
    assert [name for name, area in stricter.items() if area["hatched"]] == ["North Two"]


def test_the_overlaps_map_counts_the_months_of_overlap_by_admin2_area(drawn, client):
    client.force_login(UserFactory(is_coordinator=True))

    overlaps = map_areas(client.get(reverse("analysis:overlaps"), RANGE), "map-overlaps")

    # Alpha and Beta both reported consultations in North One in February: one month.
    assert {name: area["said"] for name, area in overlaps.items()} == {
        "North One": "1",
        "North Two": "No overlap",
        "South One": "No overlap",
        "East One": "No overlap",
    }
    assert overlaps["North Two"]["fill"] == maps.NONE_FILL


def test_the_home_page_maps_the_partners_of_the_year_beside_its_key_figures(drawn, client):
    presence = map_areas(client.get("/en/"), "map-presence")

    # January to April 2026, as the dashboard's areas table counts them for the public.
    assert {name: area["said"] for name, area in presence.items()} == {
        "North": "2",
        "South": "1",
        "East": "no data",
    }


def test_the_home_page_has_no_map_without_boundaries(data, client):
    page = client.get("/en/").content.decode()

    assert 'id="figure-people"' in page
    assert "map-presence" not in page


# --- the bulletin -----------------------------------------------------------------------------


def bulletin_pdf_first_page(snapshot, tmp_path, language="en") -> tuple[str, str]:
    """The bulletin's HTML and the text of its PDF's first page, read back with pdftotext."""
    from django.utils import translation

    from bulletins import rendering
    from strategy.models import cluster_profile
    from tests.bulletins.factories import EditionFactory

    edition = EditionFactory(language=language)
    with translation.override(language):
        html = rendering.render_html(edition, snapshot, cluster_profile())
        pdf = tmp_path / "bulletin.pdf"
        pdf.write_bytes(rendering.render_pdf(html))
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return html, text


def public_snapshot():
    from analysis.snapshot import public_figures

    return public_figures(
        first_month=datetime.date(2026, 1, 1), last_month=datetime.date(2026, 4, 1)
    )


def test_the_bulletin_s_first_page_carries_the_people_and_gaps_maps(drawn, tmp_path):
    html, first_page = bulletin_pdf_first_page(public_snapshot(), tmp_path)

    people = cover_map(html, "map-bulletin-people")
    assert {name: area["said"] for name, area in people.items()} == {
        "North": "520",
        "South": "50",
        "East": "no data",
    }
    gaps = cover_map(html, "map-bulletin-gaps")
    assert [name for name, area in gaps.items() if area["hatched"]] == ["East"]
    # On the PDF's first page, as a reader sees it: the maps' titles, figures and legends.
    for words in ("People reached", "Severity and gaps", "520", "Catastrophic"):
        assert words in first_page, words
    assert re.search(r"\b\d+ km\b", first_page), "the scale"


def test_a_published_bulletin_keeps_its_map_when_the_boundaries_change(drawn, tmp_path):
    snapshot = public_snapshot()
    before, _text = bulletin_pdf_first_page(snapshot, tmp_path)
    north = AreaBoundary.objects.get(area__pcode="ZZ1")
    north.geometry = north.outline = mapping(box(35.0, 32.0, 36.0, 33.5))
    north.save()

    after, _text = bulletin_pdf_first_page(snapshot, tmp_path)

    assert maps_of(after) == maps_of(before)
    # The boundaries did change: a bulletin built now draws North taller.
    assert maps_of(bulletin_pdf_first_page(public_snapshot(), tmp_path)[0]) != maps_of(before)


def test_a_bulletin_built_before_maps_prints_without_them(drawn, tmp_path):
    snapshot = public_snapshot()
    del snapshot["map"]

    html, first_page = bulletin_pdf_first_page(snapshot, tmp_path)

    assert "map-bulletin-people" not in html
    assert "Severity and gaps" not in first_page


def test_the_arabic_bulletin_names_the_areas_in_arabic_on_its_maps(drawn, tmp_path):
    html, _text = bulletin_pdf_first_page(public_snapshot(), tmp_path, language="ar")

    assert set(cover_map(html, "map-bulletin-people")) == {"الشمال", "الجنوب", "الشرق"}


def cover_map(html: str, slug: str) -> dict[str, dict]:
    class Page:
        content = html.encode()

    return map_areas(Page, slug)


def maps_of(html: str) -> list[str]:
    return re.findall(r"<svg class=\"map-svg\".*?</svg>", html, re.DOTALL)


def test_a_boundary_load_redraws_the_maps(drawn, client):
    import json

    from locations.services import admin_areas_load

    before = map_paths(get_areas(client), "map-people")
    wider = box(35.0, 32.0, 35.5, 32.9)  # North One reaches further north
    data = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"ADM1_PCODE": "ZZ1", "ADM1_EN": "North", "ADM1_AR": "الشمال"},
                    "geometry": mapping(shapely.union_all([wider, SQUARES["ZZ102"]])),
                }
            ],
        }
    ).encode()

    admin_areas_load(data=data)

    assert map_paths(get_areas(client), "map-people")["North"] != before["North"]


def map_paths(response, slug: str) -> dict[str, str]:
    """Each area's outline as drawn, by name (read from the page's shared shapes when the
    map uses them)."""
    html = response.content.decode()
    defined = dict(re.findall(r'<path id="([^"]+)" d="([^"]+)"/>', html))
    found = {}
    for element in shapes(html, slug):
        name = element.find(f"{SVG}title").text.partition(": ")[0]
        found[name] = element.get("d") or defined[element.get("href").lstrip("#")]
    return found


def test_people_reached_per_head_where_the_population_is_known(drawn, client):
    from locations.models import AreaPopulation

    for pcode, total in (("ZZ1", 10_400), ("ZZ2", 2_000), ("ZZ3", 5_000)):
        AreaPopulation.objects.create(
            area=AdminArea.objects.get(pcode=pcode), year=2025, total=total, source="COD-PS"
        )

    response = get_areas(client)

    # 520 people of 10,400 is 500 per 10,000; 50 of 2,000 is 250; East reached nobody.
    per_head = map_areas(response, "map-per-head")
    assert {name: area["said"] for name, area in per_head.items()} == {
        "North": "500",
        "South": "250",
        "East": "no data",
    }
    rows = {row[0]: row[2:5] for row in table_rows(response, "areas-table")}
    assert rows["North"] == ["520", "10,400 (2025)", "500"]
    assert rows["South"] == ["50", "2,000 (2025)", "250"]


def test_no_per_head_map_without_population(drawn, client):
    response = get_areas(client)

    assert "map-per-head" not in response.content.decode()
    assert "Per 10,000 inhabitants" not in response.content.decode()


def table_rows(response, table_id: str) -> list[list[str]]:
    html = response.content.decode()
    start = html.index(f'id="{table_id}"')
    body = html[html.index("<tbody", start) : html.index("</table>", start)]
    return [
        [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip() for cell in cells]
        for cells in (
            re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.DOTALL)
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL)
        )
    ]


def test_a_rate_below_a_hundred_keeps_its_decimal():
    assert maps.write_rate(12.34) == "12.3"
    assert maps.write_rate(1234.5) == "1,234"


# --- what a reader finds on a map, and the tab's filters --------------------------------------


def test_a_map_prints_its_figures_on_the_areas_and_states_its_unit_classes_scale_and_north(
    drawn, client
):
    response = get_areas(client)
    svg = map_svg(response.content.decode(), "map-people")

    printed = {text.text for text in svg.iter(f"{SVG}text")}
    # North's 520 and South's 50 on their areas, East (no data) left blank; the scale and the
    # north arrow's letter in the corners.
    assert {"520", "50", "N"} <= printed
    assert not printed & {"0", "no data"}
    assert any(re.fullmatch(r"\d[\d,]* km", text) for text in printed), printed
    html = response.content.decode()
    figure = html[html.index('aria-labelledby="map-people-caption"') :]
    figure = figure[: figure.index("</figure>")]
    assert '<p class="map-unit small fw-semibold mb-1">People</p>' in figure
    assert "Classes cut at the quantiles of the 2 areas with a figure." in figure


@pytest.mark.parametrize(
    ("who", "filters", "expected"),
    [
        # The public's admin1 maps inside the area chosen: North alone.
        (None, {"area": "ZZ1"}, {"North": "520"}),
        # Nutrition screening only: North 50 + 80 + 30, South 40.
        (None, {"activity": "NUT"}, {"North": "160", "South": "40", "East": "no data"}),
        # Beta Relief, the national NGO: 60 in North One and 40 in South One (its 10 for the
        # whole of South is in the table only).
        (
            "coordinator",
            {"organisation_type": "nngo"},
            {"North One": "60", "North Two": "no data", "South One": "40", "East One": "no data"},
        ),
    ],
    ids=["area", "activity", "organisation-type"],
)
def test_the_maps_follow_the_tabs_filters_as_its_table_does(drawn, client, who, filters, expected):
    from activities.models import Activity

    if who == "coordinator":
        client.force_login(UserFactory(is_coordinator=True))
    if "area" in filters:
        filters = {**filters, "area": AdminArea.objects.get(pcode=filters["area"]).pk}
    if "activity" in filters:
        filters = {**filters, "activity": Activity.objects.get(code=filters["activity"]).pk}

    response = client.get(reverse("analysis:areas"), {**RANGE, **filters})

    assert 'id="filter-errors"' not in response.content.decode()
    people = map_areas(response, "map-people")
    assert {name: area["said"] for name, area in people.items()} == expected
    # The table names an admin2 area in its second column, after its admin1 area.
    table = {name: row for row in table_rows(response, "areas-table") for name in row[:2]}
    for name, said in expected.items():
        if said != "no data":
            assert said in table[name], (name, table[name])
