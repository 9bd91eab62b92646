"""The figures by admin1 area and month (``analysis.grid``), grouped in a few queries, equal
the dashboard's indicator table computed cell by cell (``tests/analysis/per_cell.py``) on
every hand-computed dataset, for the public and for members; the hand-computed cells of
tests/analysis/grid_dataset.py; and the queries do not grow with the areas and months."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analysis import grid
from analysis.selectors import Filters
from locations.models import AdminArea
from tests.analysis import dataset, grid_dataset, kinds, per_cell, small_cells
from tests.analysis.conftest import APRIL_15_2026

pytestmark = pytest.mark.django_db


def _month(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, 1)


DATASETS = {
    "kinds": (kinds.build, kinds.JULY_15_2026, _month(2026, 1), _month(2026, 6)),
    "dataset": (dataset.build, APRIL_15_2026, _month(2026, 1), _month(2026, 4)),
    "small_cells": (small_cells.build, small_cells.MARCH_15_2026, _month(2026, 1), _month(2026, 2)),
    "grid": (grid_dataset.build, grid_dataset.JUNE_15_2026, _month(2026, 1), _month(2026, 5)),
}


def _grouped(filters: Filters) -> list[tuple]:
    return [(cell.admin1_id, cell.month, cell.measures) for cell in grid.cells(filters)]


@pytest.mark.parametrize("name", DATASETS)
@pytest.mark.parametrize("detailed", [False, True], ids=["public", "member"])
def test_the_grid_equals_the_dashboard_cell_by_cell(name, detailed, time_machine):
    build, day, first, last = DATASETS[name]
    time_machine.move_to(day)
    build()
    filters = Filters(first_month=first, last_month=last, detailed=detailed)
    expected = per_cell.cells(filters)
    assert expected, "the dataset has cells in the range"
    assert _grouped(filters) == expected
    # One admin1 area chosen, and for members an admin2 area inside it.
    north = AdminArea.objects.get(pcode="ZZ1")
    narrowed = [north, *(north.children.all() if detailed else [])]
    for area in narrowed:
        chosen = Filters(first_month=first, last_month=last, area=area, detailed=detailed)
        assert _grouped(chosen) == per_cell.cells(chosen), area.pcode


def _figures(detailed: bool) -> dict:
    areas = {area.pk: area.pcode for area in AdminArea.objects.filter(level=1)}
    filters = Filters(_month(2026, 1), _month(2026, 5), detailed=detailed)
    return {
        (areas[cell.admin1_id], f"{cell.month:%Y-%m}", measure.indicator.code): measure
        for cell in grid.cells(filters)
        for measure in cell.measures
    }


@pytest.mark.time_machine(grid_dataset.JUNE_15_2026)
def test_a_members_cells_by_hand():
    grid_dataset.build()
    found = _figures(detailed=True)
    # The cells with figures: North January to May, South February, March and May.
    assert {key[:2] for key in found} == {
        *(("ZZ1", f"2026-0{month}") for month in range(1, 6)),
        ("ZZ2", "2026-02"),
        ("ZZ2", "2026-03"),
        ("ZZ2", "2026-05"),
    }
    assert found["ZZ1", "2026-01", "1.1"].value == 180  # 100 + 50 + 30
    assert found["ZZ2", "2026-02", "1.1"].value == 40
    assert found["ZZ1", "2026-03", "1.2"].value == 200  # TREAT 80 + 120, above VAC's 150
    january = found["ZZ1", "2026-01", "2.1"]
    assert (january.value, january.numerator, january.denominator) == (2, 4, 200)
    # North, February: 3 deaths without cases: no value, the cell left out.
    february = found["ZZ1", "2026-02", "2.1"]
    assert (february.value, february.denominator, february.left_out) == (None, 0, 1)
    assert found["ZZ2", "2026-03", "2.1"].value == 5  # 5 of 100
    latest = {
        key[:2]: (found[key].value, found[key].as_of, found[key].earliest)
        for key in found
        if key[2] == "3.1"
    }
    assert latest == {
        ("ZZ1", "2026-01"): (6, _month(2026, 1), _month(2026, 1)),
        ("ZZ1", "2026-02"): (11, _month(2026, 2), _month(2026, 1)),  # 6 + 5
        ("ZZ1", "2026-03"): (11, _month(2026, 2), _month(2026, 1)),  # no March: the same
        ("ZZ1", "2026-04"): (15, _month(2026, 4), _month(2026, 2)),  # 2 + 8 + 5
        ("ZZ1", "2026-05"): (15, _month(2026, 4), _month(2026, 2)),  # February still in
        ("ZZ2", "2026-02"): (7, _month(2025, 12), _month(2025, 12)),  # December's
        ("ZZ2", "2026-03"): (7, _month(2025, 12), _month(2025, 12)),
        ("ZZ2", "2026-05"): (4, _month(2026, 5), _month(2026, 5)),
    }


@pytest.mark.time_machine(grid_dataset.JUNE_15_2026)
def test_the_publics_cells_by_hand():
    grid_dataset.build()
    found = {key: (m.value, m.withheld) for key, m in _figures(detailed=False).items()}
    # North, January, 1.1: A, B and C: shown.
    assert found["ZZ1", "2026-01", "1.1"] == (180, "")
    # South, February, 1.1: A's alone.
    assert found["ZZ2", "2026-02", "1.1"] == (None, "small")
    # North, March, 1.2: N1's largest activity-month is A's and B's alone.
    assert found["ZZ1", "2026-03", "1.2"] == (None, "small")
    # North, April, 3.1: from A, B and C, but adding up January's (A) and February's (C).
    assert found["ZZ1", "2026-04", "3.1"] == (None, "withheld")
    # North, February, 2.1: B's three deaths alone (and no cases).
    assert found["ZZ1", "2026-02", "2.1"] == (None, "small")


def _queries(first: datetime.date, last: datetime.date, detailed: bool) -> int:
    cache.clear()  # the analysis cache would answer without a query
    with CaptureQueriesContext(connection) as context:
        assert grid.cells(Filters(first, last, detailed=detailed))
    return len(context.captured_queries)


@pytest.mark.parametrize("detailed", [False, True], ids=["public", "member"])
@pytest.mark.parametrize(("areas", "months"), [(2, 3), (5, 12)])
def test_the_queries_do_not_grow_with_the_areas_and_months(areas, months, detailed):
    grid_dataset.spread(areas, months)
    last = _month(2026, months)
    # The cells, the cycles, the indicators, the catalogue (2), then one query per kind (4)
    # for the figures and, for the public, one per kind for their organisations.
    expected = 9 if detailed else 13
    assert _queries(_month(2026, 1), last, detailed) == expected
    assert len(grid.cells(Filters(_month(2026, 1), last))) == areas * months
