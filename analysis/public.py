"""The analysis figures as the public may see them: the disclosure policy applied.

Each function takes public ``Filters`` (``detailed`` off) and returns what its table holds,
with every figure ``partners.disclosure.verdict`` does not let through replaced by a
``Withheld`` (a small figure, or a total that includes a small admin1-month cell). The
dashboard's tables (``analysis.tables``), the home and strategy pages
(``cluster_portal.composition``) and the bulletins' snapshot (``analysis.snapshot``) read
public figures through here and nowhere else. The organisations of the admin1-month cells
are one query (``selectors.cell_counts``), shared and cached; the indicators' one per kind,
and the headline's one.
"""

import dataclasses
from collections.abc import Iterable

from analysis import measures, selectors
from analysis.selectors import Filters
from partners.disclosure import (
    SHOWN,
    SMALL,
    Withheld,
    disclose,
    funding_parts,
    is_small,
    verdict,
)
from strategy.models import StrategyCycle
from strategy.progress import Measure

_ANY = object()


def _cells(counts: dict, measure: str, *, admin1=_ANY, month=_ANY) -> list[int]:
    """The organisation counts of the admin1-month cells a figure adds up."""
    return [
        cell[measure]
        for (cell_admin1, cell_month), cell in counts.items()
        if (admin1 is _ANY or cell_admin1 == admin1) and (month is _ANY or cell_month == month)
    ]


def key_figures(filters: Filters) -> selectors.KeyFigures:
    """Partners reporting (a number under the minimum is not shown) and admin1 areas with
    activities (which the directory's presence already tells)."""
    figures = selectors.key_figures(filters)
    partners = figures.partners_reporting
    return dataclasses.replace(figures, partners_reporting=disclose(partners, own=partners))


def headline(filters: Filters, cycle: StrategyCycle | None) -> measures.Headline:
    """People reached, unless it comes from too few organisations (those of the largest
    activity-month of each area, whose figures it adds up) or includes a small cell."""
    found = measures.headline(filters, cycle)
    if found.indicator is not None:
        organisations = measures.indicator_organisations(filters, [found.indicator])
        own, cells = dataclasses.astuple(organisations[found.indicator.pk])
    else:
        own = measures.people_once_organisations(filters)
        cells = _cells(selectors.cell_counts(filters), "people")
    return dataclasses.replace(found, people=disclose(found.people, own=own, cells=cells))


def indicator_rows(filters: Filters, measured: list[Measure]) -> list[Measure]:
    """Each indicator's figure, or why the public may not see it."""
    organisations = measures.indicator_organisations(filters, [row.indicator for row in measured])
    return [judged(row, organisations[row.indicator.pk]) for row in measured]


def judged(row: Measure, organisations: measures.Organisations) -> Measure:
    """An indicator's figure, or why the public may not see it, judged on the organisations
    it comes from and those of the admin1-month cells it adds up."""
    found = verdict(organisations.own, organisations.cells)
    if found == SHOWN:
        return row
    return dataclasses.replace(
        row,
        value=None,
        numerator=None,
        denominator=None,
        left_out=0,
        as_of=None,
        earliest=None,
        areas=0,
        withheld=found,
    )


def month_rows(filters: Filters) -> list[dict]:
    """People reached month by month; a month is a total of its admin1 areas' cells."""
    counts = selectors.cell_counts(filters)
    return [
        {
            **row,
            "people": disclose(
                row["people"],
                own=row["partners"],
                cells=_cells(counts, "people", month=row["month"]),
            ),
        }
        for row in selectors.people_by_month(filters)
    ]


def area_row_figures(filters: Filters, row: dict) -> dict:
    """An admin1 area's people reached, partners present and activities (a row of
    ``selectors.by_area``): all three not shown when its partners are too few, its people
    reached not shown when one of its months is a small cell."""
    if is_small(row["partners"]):
        hidden = Withheld(SMALL)
        return {"people": hidden, "partners": hidden, "activities": hidden}
    counts = selectors.cell_counts(filters)
    cells = _cells(counts, "people", admin1=row["admin1"])
    return {
        "people": disclose(row["people"], own=row["people_partners"], cells=cells),
        "partners": row["partners"],
        "activities": row["activities"],
    }


def sex_and_age(filters: Filters) -> dict:
    """``selectors.by_sex_and_age``, each group judged on the organisations that gave it."""
    totals = selectors.by_sex_and_age(filters)
    counts = selectors.cell_counts(filters)
    partners = totals["partners"]
    result = {
        name: disclose(totals[name], own=partners[name], cells=_cells(counts, name))
        for name in selectors.SEX_AND_AGE
    }
    result["not_disaggregated"] = disclose(
        totals["not_disaggregated"],
        own=partners["not_disaggregated"],
        cells=_cells(counts, "not_disaggregated"),
    )
    return result


def withheld_in(*values) -> bool:
    """Whether any figure among ``values`` (rows, dictionaries, lists of them) is not shown:
    the page then says why under its tables."""
    return any(_withheld(value) for value in values)


def _withheld(value) -> bool:
    if isinstance(value, Withheld):
        return True
    if isinstance(value, Measure):
        return bool(value.withheld)
    if isinstance(value, dict):
        return any(_withheld(item) for item in value.values())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return any(_withheld(getattr(value, field.name)) for field in dataclasses.fields(value))
    if isinstance(value, list | tuple):
        return any(_withheld(item) for item in value)
    return False


def shown(values: Iterable) -> list:
    """Values as a chart draws them: None for a figure not shown (no bar)."""
    return [None if isinstance(value, Withheld) else value for value in values]


def _funding_row(row, found: str):
    """A part of the funding whole, or every figure of it not shown (``found`` the disclosure
    policy's verdict): its figures all come from the same projects' organisations."""
    if found == SHOWN:
        return row
    figures = ("required", "received", "gap", "percent", "projects", "organisations")
    return dataclasses.replace(row, **dict.fromkeys(figures, Withheld(found)))


def funding(figures) -> tuple:
    """The cluster's funding as the public sees it (``analysis.funding``): the total and the
    admin1 areas, with the part not broken down by area, as ``partners.disclosure`` judges
    them (``funding_parts``)."""
    parts = figures.by_admin1
    verdicts = funding_parts(
        [row.organisations for row in parts], [row.required or 0 for row in parts]
    )
    total = _funding_row(figures.total, verdict(figures.total.organisations))
    return total, [_funding_row(row, found) for row, found in zip(parts, verdicts, strict=True)]


def funding_total(found):
    """The cluster's total alone (``analysis.funding.cluster_funding``), as the public sees it."""
    return _funding_row(found.total, verdict(found.total.organisations))
