"""The public figures computed cell by cell, as the endpoint first did: each admin1-month
cell is the dashboard's indicator table (``analysis.tables.indicator_rows``) with that month
and that area chosen. Slow (a few queries per cell), it is the oracle the grouped grid
(``analysis.grid``) is checked against."""

import dataclasses
import datetime

from analysis import selectors, tables
from analysis.selectors import Filters
from locations.models import AdminArea, AdminLevel
from strategy.progress import Measure


def _cell_area(filters: Filters, admin1: AdminArea) -> AdminArea:
    """The area of a cell's figures: its admin1 area, or the smaller area a member chose."""
    chosen = filters.area
    if chosen is not None and chosen.level > AdminLevel.ADMIN1:
        return chosen
    return admin1


def cells(filters: Filters) -> list[tuple[int, datetime.date, list[Measure]]]:
    """Each admin1-month cell with figures, by admin1 id and month, with the dashboard's
    indicator rows for that area and month."""
    counts = selectors.cell_counts(filters)
    areas = selectors.areas_by_id(admin1 for admin1, _month in counts if admin1 is not None)
    found = []
    for admin1_id, month in sorted(key for key in counts if key[0] in areas):
        cell = dataclasses.replace(
            filters,
            first_month=month,
            last_month=month,
            area=_cell_area(filters, areas[admin1_id]),
        )
        found.append((admin1_id, month, tables.indicator_rows(cell, selectors.cycle_for(month))))
    return found
