"""The public figures endpoint is the dashboard's indicator table, cell by cell: for each
admin1 area and month, the row of each indicator equals the line of the public dashboard's
CSV download with that area and that month chosen, on the hand-computed datasets of
tests/analysis; a small figure comes with no value and says why; the filters the public may
not use are refused by name; members' tokens see what the dashboard shows them."""

import csv
import io
from collections import Counter
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import Report
from analysis.services import rebuild_all
from locations.models import AdminArea
from strategy.models import StrategyCycle
from tests.activities.factories import ReportRowFactory
from tests.analysis import dataset, grid_dataset, kinds, small_cells
from tests.analysis.conftest import APRIL_15_2026
from tests.api.conftest import token_for
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

FIGURES = "/api/v1/figures/"


@pytest.fixture(autouse=True)
def pinned_day():
    """Each test pins the clock to its dataset's day (the API's fixture is set aside)."""


def _dashboard_csv(client, admin1: AdminArea, month: str) -> list[dict]:
    """The public dashboard's indicator table for one area and one month, as its CSV."""
    response = client.get(
        "/en/dashboard/indicators.csv",
        {"first_month": month, "last_month": month, "area": admin1.pk},
    )
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _as_csv_cell(value) -> str:
    return "" if value is None else str(value)


def _same_number(ours, theirs: str) -> bool:
    """A JSON number and a CSV cell: the same figure (2.0 in a rate's cell is 2.0 here)."""
    if ours is None or theirs == "":
        return ours is None and theirs == ""
    return Decimal(str(ours)) == Decimal(theirs)


def _compare_with_the_dashboard(api, client, params: dict) -> list[dict]:
    rows = api.get(FIGURES, params).json()
    assert rows, "the dataset has figures in the range"
    areas = {area.pcode: area for area in AdminArea.objects.filter(level=1)}
    cells = sorted({(row["admin1"]["pcode"], row["month"]) for row in rows})
    for pcode, month in cells:
        ours = [row for row in rows if (row["admin1"]["pcode"], row["month"]) == (pcode, month)]
        theirs = _dashboard_csv(client, areas[pcode], month)
        assert [row["indicator"]["code"] for row in ours] == [
            line["Indicator code"] for line in theirs
        ]
        for row, line in zip(ours, theirs, strict=True):
            where = f"{pcode} {month} {row['indicator']['code']}"
            assert _same_number(row["value"], line["Value"]), where
            assert _as_csv_cell(row["numerator"]) == line["Numerator"], where
            assert _as_csv_cell(row["denominator"]) == line["Denominator"], where
            # The public file's note says why a figure is not shown; the API says "small" or
            # "withheld" in its place.
            assert bool(row["withheld"]) == bool(line.get("Note")), where
    return rows


def _by_cell(rows: list[dict]) -> dict:
    return {
        (row["admin1"]["pcode"], row["month"], row["indicator"]["code"]): (
            row["value"],
            row["withheld"],
        )
        for row in rows
    }


def test_small_cells_equal_the_dashboards_and_a_small_figure_is_withheld(api, client, time_machine):
    time_machine.move_to(small_cells.MARCH_15_2026)
    small_cells.build()
    rows = _compare_with_the_dashboard(
        api, client, {"first_month": "2026-01", "last_month": "2026-02"}
    )
    found = _by_cell(rows)
    # The admin1-month cells with figures: North January and February, South January and
    # February, East February; two indicators each.
    assert len(found) == 10
    # East, February, 1.2 (vaccinations): A 1,567 + B 1,613 + Local Volunteers 1,789 =
    # 4,969, from three organisations: shown.
    assert found["ZZ3", "2026-02", "1.2"] == (4969, "")
    # South, January, 1.2: Delta's 2,683 alone: small, no value.
    assert found["ZZ2", "2026-01", "1.2"] == (None, "small")
    # North, January, 1.1: A 410 + B 450 = 860 from two: small.
    assert found["ZZ1", "2026-01", "1.1"] == (None, "small")
    # East, February, 1.1: no consultations at all: no data, nothing withheld.
    assert found["ZZ3", "2026-02", "1.1"] == (None, "")
    # No figure of the public's is one the public may never see.
    assert not {value for value, _why in found.values()} & small_cells.NEVER_SHOWN


def test_a_members_token_sees_every_figure_as_the_dashboard_shows_them(api, client, time_machine):
    time_machine.move_to(small_cells.MARCH_15_2026)
    cells = small_cells.build()
    member = MembershipFactory(organisation=cells.alpha).user
    api.as_(token_for(member))
    found = _by_cell(api.get(FIGURES, {"first_month": "2026-01", "last_month": "2026-02"}).json())
    assert found["ZZ1", "2026-01", "1.1"] == (860, "")  # 410 + 450
    assert found["ZZ2", "2026-01", "1.2"] == (2683, "")
    # Members may narrow to an admin2 area: North One in February, 1.1: A 490 + C's 530 (in
    # North One A, inside it) = 1,020.
    narrowed = api.get(
        FIGURES, {"first_month": "2026-02", "last_month": "2026-02", "area": "ZZ101"}
    )
    assert narrowed.status_code == 200
    assert _by_cell(narrowed.json())["ZZ1", "2026-02", "1.1"] == (1020, "")


@pytest.mark.usefixtures("every_figure_public")
def test_every_kind_of_indicator_equals_the_dashboards(api, client, time_machine):
    time_machine.move_to(kinds.JULY_15_2026)
    kinds.build()
    rows = _compare_with_the_dashboard(
        api, client, {"first_month": "2026-01", "last_month": "2026-06"}
    )
    found = _by_cell(rows)
    # 2.1, North, January: 4 deaths of 200 cases = 2.0%; a rate's parts come with it.
    assert found["ZZ1", "2026-01", "2.1"] == (2, "")
    january = next(
        row
        for row in rows
        if (row["admin1"]["pcode"], row["month"], row["indicator"]["code"])
        == ("ZZ1", "2026-01", "2.1")
    )
    assert (january["numerator"], january["denominator"]) == (4, 200)
    # 1.1, North, February: A 200 + B 100 = 300.
    assert found["ZZ1", "2026-02", "1.1"] == (300, "")
    # 3.2, North, June: the newest month of N1 within three months, 8 (N2's February 5 is
    # older than three months).
    assert found["ZZ1", "2026-06", "3.2"] == (8, "")


@pytest.mark.usefixtures("every_figure_public")
def test_the_first_dataset_equals_the_dashboards(api, client, time_machine):
    time_machine.move_to(APRIL_15_2026)
    dataset.build()
    rows = _compare_with_the_dashboard(
        api, client, {"first_month": "2026-01", "last_month": "2026-04"}
    )
    found = _by_cell(rows)
    # 1.1 (consultations), North, February: A 200 + B 60 = 260.
    assert found["ZZ1", "2026-02", "1.1"][0] == 260
    # South, February: B's nutrition 40 in S1 (1.2, people reached once).
    assert found["ZZ2", "2026-02", "1.2"][0] == 40


def test_several_areas_and_months_equal_the_dashboards(api, client, time_machine):
    time_machine.move_to(grid_dataset.JUNE_15_2026)
    grid_dataset.build()
    rows = _compare_with_the_dashboard(
        api, client, {"first_month": "2026-01", "last_month": "2026-05"}
    )
    found = _by_cell(rows)
    # By hand (grid_dataset.py): North, January, 1.1, 100 + 50 + 30 from A, B and C; North,
    # April, 3.1, 2 + 8 + 5 from the three, but adding up January's (A's) and February's
    # (C's) cells: withheld.
    assert found["ZZ1", "2026-01", "1.1"] == (180, "")
    assert found["ZZ1", "2026-04", "3.1"] == (None, "withheld")


@pytest.mark.parametrize(
    ("params", "refused"),
    [
        ({"area": "ZZ101"}, ["area"]),
        ({"organisation": "1"}, ["organisation"]),
        ({"organisation_type": "rcrc", "area": "ZZ10101"}, ["organisation_type", "area"]),
    ],
)
def test_filters_the_public_may_not_use_are_refused_by_name(api, time_machine, params, refused):
    time_machine.move_to(small_cells.MARCH_15_2026)
    small_cells.build()
    response = api.get(FIGURES, params)
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert sorted(fields) == sorted(refused)
    assert "The public cannot filter partners' figures by" in fields[refused[0]][0]
    # The same query as CSV is refused the same way, in JSON.
    as_csv = api.get(FIGURES, {**params, "format": "csv"})
    assert as_csv.status_code == 400
    assert as_csv["Content-Type"] == "application/json"


def test_a_bad_month_is_a_400_naming_it(api, time_machine):
    time_machine.move_to(small_cells.MARCH_15_2026)
    response = api.get(FIGURES, {"first_month": "2026-13"})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["first_month"]


def test_an_admin1_filter_gives_that_areas_cells_only(api, time_machine):
    time_machine.move_to(small_cells.MARCH_15_2026)
    small_cells.build()
    rows = api.get(FIGURES, {"area": "ZZ3"}).json()
    assert {(row["admin1"]["pcode"], row["month"]) for row in rows} == {("ZZ3", "2026-02")}


def test_the_csv_has_hxl_tags_and_the_same_figures(api, time_machine):
    time_machine.move_to(small_cells.MARCH_15_2026)
    small_cells.build()
    params = {"first_month": "2026-01", "last_month": "2026-02"}
    rows = api.get(FIGURES, params).json()
    response = api.get(FIGURES, {**params, "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    header, tags, body = lines[0], lines[1], lines[2:]
    assert tags == [
        "#adm1+code",
        "#adm1+name",
        "#date+month",
        "#indicator+code",
        "#indicator+name",
        "#indicator+kind",
        "#indicator+unit",
        "#indicator+value+num",
        "#indicator+numerator+num",
        "#indicator+denominator+num",
        "#meta+withheld",
    ]
    assert header[0] == "Admin1 p-code"
    assert [(line[0], line[2], line[3], line[7], line[10]) for line in body] == [
        (
            row["admin1"]["pcode"],
            row["month"],
            row["indicator"]["code"],
            _as_csv_cell(row["value"]),
            row["withheld"],
        )
        for row in rows
    ]
    assert ("ZZ2", "2026-01", "1.2", "", "small") in [
        (line[0], line[2], line[3], line[7], line[10]) for line in body
    ]


def _queries(api, params) -> int:
    cache.clear()  # the analysis cache would answer the second time without a query
    with CaptureQueriesContext(connection) as context:
        assert api.get(FIGURES, params).status_code == 200
    return len(context.captured_queries)


def test_queries_do_not_grow_with_the_rows(api, time_machine):
    time_machine.move_to(small_cells.MARCH_15_2026)
    cells = small_cells.build()
    params = {"first_month": "2026-01", "last_month": "2026-02"}
    before = _queries(api, params)
    # Thirty more rows of Beta Care's validated February report, in the same cells.
    report = Report.objects.get(organisation=cells.beta, period__month=2)
    for _ in range(30):
        ReportRowFactory(report=report, activity=cells.vaccinations, area=cells.east_one)
    rebuild_all()
    # Computed afresh each time (the cache emptied), the same queries: the cells, the cycles,
    # the indicators, the catalogue, and per kind the figures and their organisations
    # (tests/analysis/test_grid.py pins them whatever the areas and months).
    assert _queries(api, params) == before


def test_every_indicator_of_every_cell_comes_once(api, time_machine):
    time_machine.move_to(small_cells.MARCH_15_2026)
    small_cells.build()
    rows = api.get(FIGURES, {"first_month": "2026-01", "last_month": "2026-02"}).json()
    keys = Counter((row["admin1"]["pcode"], row["month"], row["indicator"]["code"]) for row in rows)
    assert set(keys.values()) == {1}


def _progress(api) -> dict:
    strategy = api.get("/api/v1/strategy/").json()
    return {
        indicator["code"]: indicator["progress"]
        for objective in strategy["objectives"]
        for indicator in objective["indicators"]
    }


@pytest.mark.usefixtures("every_figure_public")
def test_the_strategy_has_each_indicators_progress_as_its_page(api, client, time_machine):
    time_machine.move_to(kinds.JULY_15_2026)
    found = kinds.build()
    found.cycle.is_current = True
    found.cycle.save()
    progress = _progress(api)
    page = client.get("/en/strategy/").context["progress"]
    for indicator in found.indicators.values():
        ours, theirs = progress[indicator.code], page[indicator.pk]
        assert _same_number(ours["value"], _as_csv_cell(theirs.value)), indicator.code
        assert ours["status"] == theirs.status
    # By hand (kinds.py): 1.1, 300 + 200 + 100 + 150 = 750, 125% of 600; 2.1, 7 of 400 =
    # 1.75% → 1.8%, improving; 3.2, 8 + 4 = 12 as of June; 2.3 not measured.
    assert (progress["1.1"]["value"], progress["1.1"]["percent"]) == (750, 125)
    assert (progress["2.1"]["value"], progress["2.1"]["status"]) == (1.8, "improving")
    assert (progress["2.1"]["numerator"], progress["2.1"]["denominator"]) == (7, 400)
    assert (progress["3.2"]["value"], progress["3.2"]["as_of"]) == (12, "2026-06")
    assert (progress["2.3"]["value"], progress["2.3"]["measured"]) == (None, False)


def test_the_strategys_progress_withholds_what_its_page_withholds(api, time_machine):
    time_machine.move_to(small_cells.MARCH_15_2026)
    small_cells.build()
    StrategyCycle.objects.update(is_current=True)
    progress = _progress(api)
    # Over the cycle so far, 1.1 (consultations) comes from A, B and C, three, but adds up
    # the cell North January, whose consultations are A's and B's alone: withheld. 1.2
    # (vaccinations) from C, B, D, A and Local Volunteers, but its cell North January is
    # Gamma's alone: withheld.
    assert (progress["1.1"]["value"], progress["1.1"]["withheld"]) == (None, "withheld")
    assert (progress["1.2"]["value"], progress["1.2"]["withheld"]) == (None, "withheld")
