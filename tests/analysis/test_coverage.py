"""Issue 26: coverage against targets per area (``analysis.coverage``), on the hand-computed
caseloads of ``tests/analysis/coverage_dataset.py`` (its docstring has the arithmetic), and
the dashboard's Coverage tab and its file as each audience sees them."""

import csv
import io

import pytest
from django.urls import reverse

from analysis import coverage, public
from analysis.selectors import Filters
from partners.disclosure import Withheld
from tests.analysis.conftest import APRIL_15_2026
from tests.analysis.coverage_dataset import RANGE, build_coverage
from tests.analysis.dataset import APR, JAN
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.text import page_text, table_rows

pytestmark = pytest.mark.django_db

NONE = "\u2013"  # an en dash: no figure


@pytest.fixture
def data(db, time_machine):
    time_machine.move_to(APRIL_15_2026)
    return build_coverage()


@pytest.fixture
def member(client):
    client.force_login(MembershipFactory(organisation=OrganisationFactory()).user)
    return client


def figures(rows) -> dict:
    return {row.area.name_en: (row.in_need, row.targeted, row.reached, row.percent) for row in rows}


def test_coverage_per_admin1_and_admin2(data):
    found = coverage.coverage(Filters(JAN, APR, detailed=True))

    assert found.cycle == data.cycle
    assert figures(found.admin1) == {
        "North": (2800, 1270, 290, 23),
        "South": (500, None, 50, None),
        "East": (3000, 1000, 0, 0),
    }
    assert figures(found.admin2) == {
        "North One": (2000, 1000, 260, 26),
        "North Two": (800, 270, 30, 11),
        "South One": (None, None, 40, None),
    }
    north = found.admin1[0]
    assert (north.required, north.received) == (1_000_000, 400_000)
    assert found.admin1[1].required is None


def test_reached_counts_the_same_people_once_as_the_headline_does(data, every_figure_public):
    from analysis import measures
    from cluster_portal.composition import headline_this_year

    members = coverage.coverage(Filters(JAN, APR, detailed=True))
    shown = coverage.coverage(Filters(JAN, APR))
    # The home page's people reached for the same months (15 April: January to April) is
    # 260 + 30 + 40 + 10 = 340; the admin1 areas add up to it, members' and public alike.
    headline = headline_this_year(APRIL_15_2026.date()).headline.people
    assert headline == 340
    assert sum(row.reached for row in members.admin1) == headline
    assert sum(row.reached for row in shown.admin1) == headline
    # The public's figure of an area is the dashboard's headline filtered to that area.
    for row in shown.admin1:
        area = Filters(JAN, APR, area=row.area)
        on_dashboard = public.indicator_rows(area, measures.measures(area, [data.peaked]))[0]
        assert row.reached == int(on_dashboard.value or 0)
    assert {row.area.name_en: row.reached for row in shown.admin1} == {
        "North": 290,
        "South": 50,
        "East": 0,
    }


def test_the_public_reach_is_withheld_as_the_dashboard_withholds_the_headline(data):
    from analysis import measures

    found = coverage.coverage(Filters(JAN, APR))
    assert found.admin2 is None
    withheld = {}
    for row in found.admin1:
        area = Filters(JAN, APR, area=row.area)
        on_dashboard = public.indicator_rows(area, measures.measures(area, [data.peaked]))[0]
        withheld[row.area.name_en] = on_dashboard.withheld
        if on_dashboard.withheld:
            assert row.reached == row.percent or row.percent is None
    assert withheld == {"North": "small", "South": "small", "East": ""}
    assert {row.area.name_en: row.reached for row in found.admin1} == {
        "North": Withheld("small"),
        "South": Withheld("small"),
        "East": 0,
    }


def test_a_cycle_without_a_headline_does_not_measure_reach(data, member):
    data.cycle.headline = None
    data.cycle.save(update_fields=["headline"])

    found = coverage.coverage(Filters(JAN, APR, detailed=True))
    assert not found.measured
    assert {row.area.name_en: (row.reached, row.percent) for row in found.admin1} == {
        "North": (None, None),
        "South": (None, None),
        "East": (None, None),
    }
    html = get(member)
    assert table_rows(html, "coverage-admin1-table")["North"][:4] == [
        "2,800",
        "1,270",
        "not measured",
        "not measured",
    ]
    assert 'id="coverage-not-measured"' in html


def test_coverage_gaps_are_the_lowest_under_the_threshold(data):
    found = coverage.coverage(Filters(JAN, APR, detailed=True))

    gaps = coverage.coverage_gaps(found)
    assert [(row.area.name_en, row.percent) for row in gaps] == [
        ("East", 0),
        ("North Two", 11),
        ("North", 23),
        ("North One", 26),
    ]
    assert [row.area.name_en for row in coverage.coverage_gaps(found, threshold=20)] == [
        "East",
        "North Two",
    ]
    assert len(coverage.coverage_gaps(found, shown=1)) == 1


def test_percent_rounds_halves_up_and_never_divides_by_nothing():
    assert coverage.percent(999, 2000) == 50  # 49.95 %
    assert coverage.percent(0, 1000) == 0
    assert coverage.percent(50, None) is None
    assert coverage.percent(50, 0) is None
    assert coverage.percent(Withheld("small"), 100) == Withheld("small")


def test_no_cycle_no_coverage(db):
    assert coverage.coverage(Filters(JAN, APR)) is None


def test_the_figures_are_read_from_the_cache_once_computed(data, django_assert_num_queries):
    filters = Filters(JAN, APR, detailed=True)
    coverage.coverage(filters)
    # Warm: the strategy cycle alone.
    with django_assert_num_queries(1):
        coverage.coverage(filters)


def get(client, language: str = "en") -> str:
    url = reverse("analysis:coverage").replace("/en/", f"/{language}/", 1)
    response = client.get(url, RANGE)
    assert response.status_code == 200
    return response.content.decode()


def download(client) -> list[list[str]]:
    response = client.get(reverse("analysis:csv", args=["coverage"]), RANGE)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_members_see_admin1_and_admin2(data, member):
    html = get(member)

    assert table_rows(html, "coverage-admin1-table") == {
        "North": ["2,800", "1,270", "290", "23% 23%", "1,000,000", "400,000"],
        "South": ["500", NONE, "50", "no target", NONE, NONE],
        "East": ["3,000", "1,000", "0", "0% 0%", NONE, NONE],
    }
    assert table_rows(html, "coverage-admin2-table") == {
        "North One (North)": ["2,000", "1,000", "260", "26% 26%"],
        "North Two (North)": ["800", "270", "30", "11% 11%"],
        "South One (South)": [NONE, NONE, "40", "no target"],
    }


def test_a_coordinator_sees_what_members_see(data, client):
    client.force_login(UserFactory(is_coordinator=True))
    html = get(client)
    assert 'id="coverage-admin2-table"' in html
    assert table_rows(html, "coverage-admin1-table")["North"][:4] == [
        "2,800",
        "1,270",
        "290",
        "23% 23%",
    ]


def test_the_public_sees_admin1_with_reach_disclosed_as_on_the_areas_tab(data, client):
    # Two organisations report in North and one in South: under the minimum of three, their
    # people reached are not shown, nor the coverage; in need and targeted are published.
    html = get(client)

    assert 'id="coverage-admin2-table"' not in html
    rows = table_rows(html, "coverage-admin1-table")
    assert rows["North"][:2] == ["2,800", "1,270"]
    assert rows["North"][2] == rows["North"][3] == "fewer than 3 partners"
    assert rows["South"][:4] == ["500", NONE, "fewer than 3 partners", "no target"]
    assert rows["East"][:4] == ["3,000", "1,000", "0", "0% 0%"]
    assert 'id="disclosure-note"' in html


def test_the_public_sees_every_figure_when_the_policy_lets_it(data, client, every_figure_public):
    rows = table_rows(get(client), "coverage-admin1-table")
    assert rows["North"] == ["2,800", "1,270", "290", "23% 23%", "1,000,000", "400,000"]


def test_the_files_hold_the_tables(data, member, every_figure_public):
    header, *lines = download(member)
    assert header[:8] == [
        "Admin1 p-code",
        "Admin1",
        "Admin2 p-code",
        "Admin2",
        "People in need",
        "People targeted",
        "People reached",
        "Coverage (per cent of people targeted)",
    ]
    by_area = {(line[1], line[3]): line[4:] for line in lines}
    assert by_area[("North", "")] == ["2800", "1270", "290", "23", "1000000", "400000"]
    assert by_area[("South", "")] == ["500", "", "50", "", "", ""]
    assert by_area[("North", "North Two")] == ["800", "270", "30", "11", "", ""]

    member.logout()
    header, *lines = download(member)
    assert "Admin2" not in header
    assert [line[1] for line in lines] == ["North", "South", "East"]


def test_the_map_greys_the_areas_without_a_target(data, member):
    from analysis import maps
    from tests.analysis.boundaries import draw_the_dataset_areas
    from tests.analysis.test_maps import map_areas

    draw_the_dataset_areas()
    response = member.get(reverse("analysis:coverage"), RANGE)

    admin1 = map_areas(response, "map-coverage-1")
    assert admin1["North"] == {"fill": maps.BLUES[0], "said": "23%", "hatched": False}
    assert admin1["East"]["fill"] == maps.BLUES[0]
    assert admin1["South"] == {"fill": maps.NO_DATA_FILL, "said": "no target", "hatched": False}
    admin2 = map_areas(response, "map-coverage-2")
    assert admin2["North Two"]["said"] == "11%"
    assert admin2["South One"]["fill"] == maps.NO_DATA_FILL


def test_the_arabic_tab_reads_right_to_left(data, member):
    html = get(member, "ar")
    assert 'dir="rtl"' in html
    assert "الشمال" in table_rows(html, "coverage-admin1-table")


def test_the_tab_without_caseloads_says_so(db, client, time_machine):
    time_machine.move_to(APRIL_15_2026)
    from tests.activities.factories import StrategyCycleFactory

    StrategyCycleFactory()
    assert 'id="no-targets"' in get(client)
    assert "No strategy cycle" not in page_text(get(client))


def test_the_gaps_tab_lists_the_coverage_gaps_beside_the_other_gaps(data, client):
    client.force_login(UserFactory(is_coordinator=True))
    response = client.get(reverse("analysis:gaps"), RANGE)
    html = response.content.decode()

    assert list(table_rows(html, "coverage-gaps-table")) == [
        "East",
        "North Two (North)",
        "North",
        "North One (North)",
    ]
    assert table_rows(html, "coverage-gaps-table")["North Two (North)"] == [
        "800",
        "270",
        "30",
        "11% 11%",
    ]
    # The assessments' gaps are still listed above them (tests/analysis/test_views.py has
    # their figures): East's severity 4 with nobody serving it.
    assert html.index('id="gaps-table"') < html.index('id="coverage-gaps-table"')
    assert "East One" in html[html.index('id="gaps-table"') : html.index("coverage-gaps-heading")]


def test_the_gaps_tab_says_when_no_area_is_under_the_threshold(db, client, time_machine):
    time_machine.move_to(APRIL_15_2026)
    client.force_login(UserFactory(is_coordinator=True))
    html = client.get(reverse("analysis:gaps"), RANGE).content.decode()
    assert 'id="no-coverage-gaps"' in html


# --- the home page -------------------------------------------------------------------------


def test_the_home_page_shows_coverage_per_admin1_area_as_the_public_sees_it(data, client):
    # 15 April 2026: the year so far is the dataset's January to April.
    html = client.get("/en/").content.decode()

    rows = table_rows(html, "home-coverage-table")
    # Only the areas with a target; North's reach is from two organisations, under three.
    assert list(rows) == ["North", "East"]
    assert rows["North"] == ["1,270", "fewer than 3 partners", "fewer than 3 partners"]
    assert rows["East"] == ["1,000", "0", "0% 0%"]


def test_the_home_page_shows_the_figures_the_policy_lets_through(
    data, client, every_figure_public, django_assert_max_num_queries
):
    client.get("/en/")
    # Warm: the rest of the page's queries and the coverage's check and cycle.
    with django_assert_max_num_queries(23):
        html = client.get("/en/").content.decode()
    assert table_rows(html, "home-coverage-table")["North"] == ["1,270", "290", "23% 23%"]


def test_the_home_page_has_no_coverage_without_targets(data, client):
    from planning.models import Caseload

    Caseload.objects.update(people_targeted=None)
    assert 'id="figure-coverage"' not in client.get("/en/").content.decode()


# --- the bulletin --------------------------------------------------------------------------


def public_snapshot():
    from analysis.snapshot import public_figures

    return public_figures(first_month=JAN, last_month=APR)


def test_the_snapshot_keeps_the_coverage_as_the_public_sees_it(data):
    found = public_snapshot()

    assert found["version"] == 6
    assert found["coverage"]["cycle_en"] == data.cycle.title_en
    assert found["coverage"]["by_admin1"] == [
        {
            "pcode": "ZZ1",
            "name_en": "North",
            "name_ar": "الشمال",
            "in_need": 2800,
            "targeted": 1270,
            "reached": None,
            "percent": None,
            "withheld": {"reached": "small", "percent": "small"},
        },
        {
            "pcode": "ZZ2",
            "name_en": "South",
            "name_ar": "الجنوب",
            "in_need": 500,
            "targeted": None,
            "reached": None,
            "percent": None,
            "withheld": {"reached": "small"},
        },
        {
            "pcode": "ZZ3",
            "name_en": "East",
            "name_ar": "الشرق",
            "in_need": 3000,
            "targeted": 1000,
            "reached": 0,
            "percent": 0,
        },
    ]


def test_the_bulletin_prints_the_coverage_in_both_languages(data, tmp_path, every_figure_public):
    from tests.analysis.test_funding_tab import bulletin_text, row_cells

    found = public_snapshot()
    english = bulletin_text(found, "en", tmp_path)
    arabic = bulletin_text(found, "ar", tmp_path, layout=True)

    assert "Coverage against targets" in english
    assert "North 2,800 1,270 290 23%" in english
    assert f"South 500 {NONE} 50 no target" in english
    assert "East 3,000 1,000 0 0%" in english
    # The areas' Arabic names, each with its row's figures in the Arabic locale.
    assert {"2٬800", "1٬270", "290", "23%"} in row_cells(arabic, "الشمال")
    assert {"3٬000", "1٬000", "0", "0%"} in row_cells(arabic, "الشرق")


def test_the_bulletin_says_why_the_public_does_not_see_a_reach(data, tmp_path):
    from tests.analysis.test_funding_tab import bulletin_text

    english = bulletin_text(public_snapshot(), "en", tmp_path)
    assert "North 2,800 1,270 fewer than 3 partners fewer than 3 partners" in english


def test_a_snapshot_without_coverage_prints_without_the_section(data, tmp_path):
    from tests.analysis.test_funding_tab import bulletin_text

    found = public_snapshot()
    del found["coverage"]

    english = bulletin_text(found, "en", tmp_path)
    assert "Coverage against targets" not in english
    assert "Gaps: severe needs" in english


def test_the_file_without_a_cycle_has_its_header_and_no_line(db, client, time_machine):
    time_machine.move_to(APRIL_15_2026)
    header, *lines = download(client)
    assert header[:2] == ["Admin1 p-code", "Admin1"]
    assert lines == []
