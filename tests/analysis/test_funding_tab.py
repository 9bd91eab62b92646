"""Issue 26: the dashboard's funding tab, its files, the home page's figure and the
bulletin's section, as each audience sees them, on the hand-computed projects of
``tests/analysis/funding_dataset.py`` (its docstring has the arithmetic)."""

import csv
import io
import re

import pytest
from django.urls import reverse

from projects.models import Project, ProjectStatus
from tests.analysis.funding_dataset import (
    JULY_10_2026,
    RANGE,
    build_funding,
    build_funding_more,
    share_p3_with_south,
)
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.text import page_text, table_rows

pytestmark = pytest.mark.django_db

SMALL = "fewer than 3 partners"


@pytest.fixture
def data(time_machine):
    time_machine.move_to(JULY_10_2026)
    return build_funding()


@pytest.fixture
def member(client):
    client.force_login(MembershipFactory(organisation=OrganisationFactory()).user)
    return client


def get(client, language: str = "en") -> str:
    url = reverse("analysis:funding").replace("/en/", f"/{language}/", 1)
    return client.get(url, RANGE).content.decode()


def download(client, table: str) -> list[list[str]]:
    response = client.get(reverse("analysis:csv", args=[table]), RANGE)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_members_see_the_totals_and_every_breakdown(data, member):
    html = get(member)

    # 43,000,000 required, 27,000,000 received by 30 June, 16,000,000 missing, 63 %.
    assert re.search(r'id="figure-required">US\$ 43\.0 M<', html)
    assert re.search(r'id="figure-received">US\$ 27\.0 M<', html)
    assert re.search(r'id="figure-gap">US\$ 16\.0 M<', html)
    assert re.search(r'id="figure-funded">63% funded<', html)
    assert re.search(r'id="figure-projects">4<', html)
    assert "30 June 2026" in page_text(html)
    assert table_rows(html, "funding-types-table") == {
        "UN agency": ["20,000,000", "12,000,000", "8,000,000", "60%", "1"],
        "International NGO": ["18,000,000", "15,000,000", "3,000,000", "83%", "2"],
        "National NGO": ["5,000,000", "0", "5,000,000", "0%", "1"],
    }
    assert table_rows(html, "funding-objectives-table") == {
        "SO1 Keep services running": ["26,000,000", "15,000,000", "11,000,000", "58%", "2"],
        "SO2 Respond to outbreaks": ["12,000,000", "12,000,000", "0", "100%", "2"],
        "Not broken down": ["5,000,000", "0", "5,000,000", "0%", "1"],
    }
    assert table_rows(html, "funding-areas-table") == {
        "North": ["24,000,000", "19,000,000", "5,000,000", "79%", "3"],
        "South": ["14,000,000", "8,000,000", "6,000,000", "57%", "2"],
        "Not broken down": ["5,000,000", "0", "5,000,000", "0%", "1"],
    }
    assert 'id="disclosure-note"' not in html


def test_the_public_sees_the_total_north_and_why_south_is_not_shown(data, client):
    html = get(client)

    assert table_rows(html, "funding-areas-table") == {
        "North": ["24,000,000", "19,000,000", "5,000,000", "79%", "3"],
        "South": [SMALL],
        "Not broken down": [SMALL],
    }
    assert re.search(r'id="figure-required">US\$ 43\.0 M<', html)
    # Neither by type of organisation nor by objective, nor their files' links.
    assert 'id="funding-types-table"' not in html
    assert 'id="funding-objectives-table"' not in html
    assert "funding-types.csv" not in html
    assert "International NGO" not in page_text(html)
    assert 'id="disclosure-note"' in html


def test_the_public_sees_the_total_when_every_part_has_three_organisations(data, client):
    share_p3_with_south(data)

    html = get(client)

    assert re.search(r'id="figure-required">US\$ 43\.0 M<', html)
    assert re.search(r'id="figure-received">US\$ 27\.0 M<', html)
    assert table_rows(html, "funding-areas-table")["South"] == [
        "19,000,000",
        "8,000,000",
        "11,000,000",
        "42%",
        "3",
    ]


def test_the_arabic_tab_reads_right_to_left(data, member):
    html = get(member, "ar")

    assert '<html lang="ar" dir="rtl"' in html
    assert 'id="funding-areas-table"' in html


def test_the_public_file_leaves_the_small_parts_empty_and_says_why(data, client):
    rows = download(client, "funding-areas")

    assert rows[0][:3] == ["Admin1 p-code", "Admin1", "Funding required (US$)"]
    assert rows[0][-1] == "Note"
    assert rows[1] == ["QQ1", "North", "24000000", "19000000", "5000000", "79", "3", "3", ""]
    assert rows[2] == ["QQ2", "South", "", "", "", "", "", "", f"Funding: {SMALL}"]
    assert rows[3][1:3] == ["Not broken down", ""]


def test_members_download_the_tables_by_type_and_objective(data, member):
    types = download(member, "funding-types")
    objectives = download(member, "funding-objectives")

    assert types[1] == ["UN agency", "20000000", "12000000", "8000000", "60", "1", "1"]
    assert objectives[1][:3] == ["SO1", "Keep services running", "26000000"]
    assert objectives[-1][:3] == ["", "Not broken down", "5000000"]


def test_a_range_without_projects_says_so(data, client):
    html = client.get(
        reverse("analysis:funding"), {"first_month": "2024-01", "last_month": "2024-06"}
    ).content.decode()

    assert 'id="no-projects"' in html
    assert 'id="funding-areas-table"' not in html


def test_the_tab_makes_the_same_number_of_queries_for_more_projects(
    data, member, django_assert_max_num_queries, django_assert_num_queries
):
    with django_assert_max_num_queries(30) as first:
        get(member)
    build_funding_more(data)  # a change to the projects empties the analysis cache
    with django_assert_num_queries(len(first)):
        html = get(member)
    assert re.search(r'id="figure-projects">7<', html)


def test_the_home_page_shows_the_funding_of_the_year_so_far(data, client):
    share_p3_with_south(data)

    html = client.get("/en/").content.decode()

    # 10 July: the range runs to 31 July, so P1's 5 July update (9,000,000) and P3's of 8 July
    # (1,000,000) count: 9 + 12 + 1 + 10 = 32,000,000 of 43,000,000, 74.4 % → 74 %.
    assert "US$ 43.0 M required, 32.0 M received (74%)" in page_text(html)
    assert re.search(r'<progress[^>]*value="74"', html)


def test_the_home_page_says_why_the_public_does_not_see_the_total(data, client):
    """With Beta's P2 and Delta's P4 cancelled, Alpha's P1 and Gamma's P3 are left: two
    organisations."""
    Project.objects.exclude(organisation__in=(data.alpha, data.gamma)).update(
        status=ProjectStatus.CANCELLED
    )

    html = client.get("/en/").content.decode()

    assert 'id="figure-funding"' in html
    assert "15.0 M" not in page_text(html)
    assert "projects in 2026 fewer than 3 partners" in page_text(html)


def test_the_home_page_has_no_funding_figure_without_accepted_projects(db, client, time_machine):
    time_machine.move_to(JULY_10_2026)

    html = client.get("/en/").content.decode()

    assert 'id="figure-funding"' not in html


def test_a_coordinator_sees_what_members_see(data, client):
    client.force_login(UserFactory(is_coordinator=True))

    html = get(client)

    assert "Not broken down" in table_rows(html, "funding-objectives-table")


# The bulletin ------------------------------------------------------------------------------


def bulletin_text(snapshot, language: str, tmp_path, *, layout: bool = False) -> str:
    """The bulletin's PDF as text; with ``layout``, a table's row stays on one line (in the
    order pdftotext chooses for right-to-left text, which is not to be relied on)."""
    import subprocess

    from django.utils import translation

    from bulletins import rendering
    from strategy.models import cluster_profile
    from tests.bulletins.factories import EditionFactory

    with translation.override(language):
        html = rendering.render_html(EditionFactory(language=language), snapshot, cluster_profile())
    pdf = tmp_path / f"bulletin-{language}.pdf"
    pdf.write_bytes(rendering.render_pdf(html))
    options = ["-layout"] if layout else []
    text = subprocess.run(
        ["pdftotext", *options, str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    text = re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)
    return text if layout else " ".join(text.split())


def row_cells(text: str, name: str) -> list[set[str]]:
    """The words of each table row (a line of ``bulletin_text(..., layout=True)``) that
    names ``name``: its figures, whatever the order the PDF's text comes out in."""
    return [set(line.split()) - {name} for line in text.splitlines() if name in line.split()]


def snapshot():
    from analysis.snapshot import public_figures
    from tests.analysis.funding_dataset import FIRST_MONTH, LAST_MONTH

    return public_figures(first_month=FIRST_MONTH, last_month=LAST_MONTH)


def test_the_snapshot_keeps_the_public_funding_as_of_the_period_end(data):
    found = snapshot()

    assert found["version"] == 6
    # P1's July update is after 30 June: 27,000,000 received, whenever the bulletin is built.
    assert found["funding"] == {
        "as_of": "2026-06-30",
        "required": 43_000_000,
        "received": 27_000_000,
        "gap": 16_000_000,
        "percent": 63,
        "projects": 4,
        "by_admin1": [
            {
                "pcode": "QQ1",
                "name_en": "North",
                "name_ar": "الشمال",
                "required": 24_000_000,
                "received": 19_000_000,
                "gap": 5_000_000,
                "percent": 79,
                "projects": 3,
            },
            {
                "pcode": "QQ2",
                "name_en": "South",
                "name_ar": "الجنوب",
                **dict.fromkeys(("required", "received", "gap", "percent", "projects")),
                "withheld": dict.fromkeys(
                    ("required", "received", "gap", "percent", "projects"), "small"
                ),
            },
            {
                "pcode": "",
                "name_en": "",
                "name_ar": "",
                **dict.fromkeys(("required", "received", "gap", "percent", "projects")),
                "withheld": dict.fromkeys(
                    ("required", "received", "gap", "percent", "projects"), "small"
                ),
            },
        ],
    }


def test_the_bulletin_prints_the_funding_gap_in_both_languages(data, tmp_path):
    share_p3_with_south(data)
    found = snapshot()

    english = bulletin_text(found, "en", tmp_path)
    arabic = bulletin_text(found, "ar", tmp_path)
    arabic_rows = bulletin_text(found, "ar", tmp_path, layout=True)

    assert (
        "On 30 June 2026, the 4 projects running in these months required US$ 43.0 M and had "
        "received 27.0 M (63%): a funding gap of US$ 16.0 M." in english
    )
    # South: P1 40 % and P2 50 % (14,000,000) and P3 (5,000,000); 8,000,000 received.
    assert "South 19,000,000 8,000,000 11,000,000 42%" in english
    assert "Alpha" not in english
    # The Arabic edition: the areas' Arabic names, the figures in its locale, read right to
    # left (pdftotext gives the row as the eye sees it: the percentage first).
    assert {"19٬000٬000", "8٬000٬000", "11٬000٬000", "42%"} in row_cells(arabic_rows, "الجنوب")
    assert {"24٬000٬000", "19٬000٬000", "5٬000٬000", "79%"} in row_cells(arabic_rows, "الشمال")
    assert "US$ 43\u066b0" in arabic  # the Arabic decimal separator


def test_the_bulletin_says_why_the_public_does_not_see_a_part(data, tmp_path):
    english = bulletin_text(snapshot(), "en", tmp_path)

    assert "required US$ 43.0 M and had received 27.0 M (63%)" in english
    assert "North 24,000,000 19,000,000 5,000,000 79%" in english
    assert "South fewer than 3 partners" in english
    assert "Not broken down fewer than 3 partners" in english


def test_a_version_5_bulletin_still_renders_without_a_funding_section(data, tmp_path):
    found = snapshot()
    found["version"] = 5
    del found["funding"]

    english = bulletin_text(found, "en", tmp_path)

    assert "Attacks on health care" not in english  # none in this dataset
    assert "Funding" not in english
    assert "Gaps: severe needs" in english


def test_the_map_shows_the_gap_by_admin1_area_and_greys_what_the_public_may_not_see(data, client):
    from shapely.geometry import box, mapping

    from analysis import maps
    from locations.models import AreaBoundary
    from tests.analysis.test_maps import map_areas

    for area, square in ((data.north, box(35, 32, 36, 33)), (data.south, box(35, 31, 36, 32))):
        AreaBoundary.objects.create(area=area, geometry=mapping(square), outline=mapping(square))

    response = client.get(reverse("analysis:funding"), RANGE)

    found = map_areas(response, "map-funding")
    # North's gap, 5,000,000, in millions; South's is from two organisations only.
    assert found["North"]["said"] == "5.0"
    assert found["South"]["said"] == "fewer than 3 partners"
    assert found["South"]["fill"] == maps.WITHHELD_FILL
