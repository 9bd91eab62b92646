"""The dashboard's tables: what each holds, who may see it, and its columns as a CSV file.

A page and its CSV download read a table through the same function here, so the file holds
the figures the page shows. Each function makes a fixed number of queries (the selectors'),
whatever the number of rows; the Python here only shapes the few rows they return.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import IntEnum

from django.core.paginator import Page, Paginator
from django.utils.translation import gettext_lazy as _

from activities.models import ActivityUnit
from analysis import coverage, funding, measures, public, selectors
from analysis.coordination import (
    GapRules,
    Overlap,
    all_overlaps,
    gaps,
    overlap_places,
    overlaps_at,
    presence,
)
from analysis.selectors import Filters
from assessments.models import Severity
from core.bilingual import BilingualText, wants_arabic
from core.exports import Column
from locations.models import AdminArea
from partners.disclosure import Withheld, shown_or_none
from strategy.models import Indicator, IndicatorKind, StrategyCycle
from strategy.progress import Measure

# Overlaps are listed by place (activity and area), a page of places at a time; the CSV holds
# every overlap.
OVERLAP_PLACES_PER_PAGE = 20
# The gaps page lists the gaps with the most people in need; its CSV holds them all (600 rows
# of a table took most of the page's 55 ms at 1,000,000 rows).
GAPS_SHOWN = 100


class Access(IntEnum):
    PUBLIC = 0
    MEMBERS = 1  # members of approved organisations, and coordinators
    COORDINATORS = 2


def pick(row: dict, prefix: str) -> BilingualText:
    """``<prefix>_en``/``<prefix>_ar`` of a row of values, as ``bilingual()`` reads a model."""
    english = row.get(f"{prefix}_en") or ""
    if wants_arabic():
        arabic = row.get(f"{prefix}_ar") or ""
        if arabic:
            return BilingualText(arabic, lang="ar")
        return BilingualText(english, lang="en", is_fallback=bool(english))
    return BilingualText(english, lang="en")


def _area_name(area: AdminArea | None) -> str:
    return str(area.name) if area is not None else ""


# --- what each table holds --------------------------------------------------------------------


# Every table below reads the figures as its audience may see them: members and coordinators
# (``filters.detailed``) every one; the public through ``analysis.public``, which applies the
# disclosure policy (``partners.disclosure``).


def key_figures(filters: Filters) -> selectors.KeyFigures:
    return selectors.key_figures(filters) if filters.detailed else public.key_figures(filters)


def headline(filters: Filters, cycle: StrategyCycle | None) -> measures.Headline:
    if filters.detailed:
        return measures.headline(filters, cycle)
    return public.headline(filters, cycle)


def indicator_rows(filters: Filters, cycle: StrategyCycle | None) -> list[Measure]:
    if cycle is None:
        return []
    rows = measures.indicator_progress(filters, selectors.cycle_indicators(cycle, filters))
    return rows if filters.detailed else public.indicator_rows(filters, rows)


def month_rows(filters: Filters) -> list[dict]:
    """People reached in each month of the range (``month``, ``people``)."""
    if filters.detailed:
        return selectors.people_by_month(filters)
    return public.month_rows(filters)


def months_by_indicator(filters: Filters) -> list[tuple[Indicator, list[dict]]]:
    """People reached month by month for each counted indicator of people, as the months
    table computes them with that indicator chosen (the public sees what it may). Only counts:
    a month's figure of a count is its indicator's; other kinds are not sums of months.
    Nothing when the filters already choose an indicator or an activity."""
    cycle = selectors.cycle_for(filters.last_month)
    if cycle is None or filters.indicator_id or filters.activity_id:
        return []
    indicators = (
        Indicator.objects.filter(
            objective__cycle=cycle,
            kind=IndicatorKind.COUNT,
            activities__unit=ActivityUnit.PEOPLE,
        )
        .distinct()
        .order_by("objective__order", "order", "code")
    )
    found = []
    for indicator in indicators:
        rows = month_rows(replace(filters, indicator_id=indicator.pk))
        # An indicator with no month to draw (none reached, or none the public may see) has
        # no panel; the overview says why, with the indicator chosen.
        if any(isinstance(row["people"], int) and row["people"] > 0 for row in rows):
            found.append((indicator, rows))
    return found


@dataclass(frozen=True)
class AreaRow:
    admin1: AdminArea | None  # None for figures reported for the whole country
    admin2: AdminArea | None  # members only; None for figures reported for a whole admin1
    people: int | Withheld
    partners: int | Withheld
    activities: int | Withheld

    @property
    def pcode(self) -> str:
        area = self.admin2 or self.admin1
        return area.pcode if area else ""


def area_rows(filters: Filters) -> list[AreaRow]:
    """People reached, partners and activities per admin1 area (admin2 when detailed).

    At admin2, rows reported for a whole admin1 area have no admin2: they stay in the table
    as that admin1 area's "whole area" line.
    """
    if filters.detailed:
        return [
            AreaRow(
                admin1=row["admin1_area"],
                admin2=row["area"],
                people=row["people"],
                partners=row["partners"],
                activities=row["activities"],
            )
            for row in selectors.by_area(filters)
        ]
    return [
        AreaRow(admin1=row["admin1_area"], admin2=None, **public.area_row_figures(filters, row))
        for row in selectors.by_area(filters)
    ]


def severity_rows(filters: Filters) -> list[dict]:
    return selectors.severity_by_area(filters)


SEX_AND_AGE_GROUPS = (
    ("girls", _("Girls (under 18)")),
    ("boys", _("Boys (under 18)")),
    ("women", _("Women (18 and over)")),
    ("men", _("Men (18 and over)")),
)
AMONG_THEM = (
    ("older_people", _("Older people, among the above")),
    ("people_with_disabilities", _("People with disabilities, among the above")),
)


@dataclass(frozen=True)
class SexAndAge:
    groups: list[tuple[int, str, int | Withheld]]  # key number (as in the chart), label, people
    among_them: list[tuple[str, int | Withheld]]
    not_disaggregated: int | Withheld


def sex_and_age(filters: Filters) -> SexAndAge:
    totals = selectors.by_sex_and_age(filters) if filters.detailed else public.sex_and_age(filters)
    return SexAndAge(
        groups=[
            (number, label, totals[name])
            for number, (name, label) in enumerate(SEX_AND_AGE_GROUPS, start=1)
        ],
        among_them=[(label, totals[name]) for name, label in AMONG_THEM],
        not_disaggregated=totals["not_disaggregated"],
    )


def overlap_page(filters: Filters, number) -> tuple[int, Page]:
    """How many overlaps there are, and one page of the places they are in, each with its
    months and organisations' figures."""
    count, places = overlap_places(filters)
    page = Paginator(places, OVERLAP_PLACES_PER_PAGE).get_page(number)
    page.object_list = overlaps_at(filters, tuple(page.object_list))
    return count, page


# --- the tables as files ----------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What a table is computed from: the filters, the gap rules and the strategy cycle."""

    filters: Filters
    rules: GapRules
    cycle: StrategyCycle | None
    today: datetime.date | None = None


@dataclass(frozen=True)
class Table:
    slug: str
    title: str
    access: Access
    export: Callable[[Scope], tuple[Iterable, list[Column]]]


def _plain_number(value: Decimal | None) -> Decimal | int | None:
    """A baseline or target as written: 300, not 300.00; 2.5, not 2.50."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else value.normalize()


def _key(name: str) -> Callable[[dict], object]:
    return lambda row: row[name]


def _figure(read: Callable[[object], object]) -> Callable[[object], object]:
    """A figure's cell: empty where the public may not see it (the note column says why)."""
    return lambda row: shown_or_none(read(row))


def _note(figures: Callable[[object], list[tuple[str, object]]]) -> Column:
    """The last column of a public file: each figure of the line not shown, and why."""

    def read(row) -> str:
        return "; ".join(
            f"{label}: {value}" for label, value in figures(row) if isinstance(value, Withheld)
        )

    return Column(_("Note"), "#meta+note", read)


def _withheld_indicator(row: Measure) -> list[tuple[str, object]]:
    return [(_("Value"), Withheld(row.withheld))] if row.withheld else []


def _indicators(scope: Scope):
    rows = indicator_rows(scope.filters, scope.cycle)
    return rows, [
        Column(_("Objective code"), "", "indicator.objective.code"),
        Column(_("Indicator code"), "", "indicator.code"),
        Column(_("Indicator"), "#indicator", lambda row: row.indicator.name),
        Column(_("How it is measured"), "", lambda row: row.indicator.get_kind_display()),
        Column(_("Unit"), "", lambda row: row.indicator.unit_name),
        Column(_("Value"), "#indicator+num", "value"),
        Column(_("Numerator"), "", "numerator"),
        Column(_("Denominator"), "", "denominator"),
        Column(
            _("Area-months left out for want of a denominator"),
            "",
            lambda row: row.left_out if row.numerator is not None else None,
        ),
        Column(_("As of month"), "#date", lambda row: f"{row.as_of:%Y-%m}" if row.as_of else ""),
        Column(_("Baseline"), "", lambda row: _plain_number(row.baseline)),
        Column(_("Target"), "#targeted", lambda row: _plain_number(row.target)),
        Column(_("Direction"), "", lambda row: row.indicator.get_direction_display()),
        Column(_("Percentage of the target"), "", "percent"),
        Column(_("Status"), "#status", lambda row: row.get_status_display()),
        *_public_note(scope, _withheld_indicator),
    ]


def _public_note(scope: Scope, figures: Callable[[object], list[tuple[str, object]]]) -> list:
    """The note column, in the public's files only."""
    return [] if scope.filters.detailed else [_note(figures)]


def _months(scope: Scope):
    rows = month_rows(scope.filters)
    return rows, [
        Column(_("Month"), "#date", lambda row: f"{row['month']:%Y-%m}"),
        Column(_("People reached"), "#reached", _figure(_key("people"))),
        *_public_note(scope, lambda row: [(_("People reached"), row["people"])]),
    ]


def _areas(scope: Scope):
    columns = [
        Column(
            _("Admin1 p-code"), "#adm1+code", lambda row: row.admin1.pcode if row.admin1 else ""
        ),
        Column(_("Admin1"), "#adm1+name", lambda row: _area_name(row.admin1)),
    ]
    if scope.filters.detailed:
        columns += [
            Column(_("Admin2 p-code"), "#adm2+code", "admin2.pcode"),
            Column(
                _("Admin2"),
                "#adm2+name",
                lambda row: _area_name(row.admin2) if row.admin2 else _("The whole admin1 area"),
            ),
        ]
    columns += [
        Column(_("People reached"), "#reached", _figure(lambda row: row.people)),
        Column(_("Partners present"), "#org+num", _figure(lambda row: row.partners)),
        Column(_("Activities"), "#activity+num", _figure(lambda row: row.activities)),
        *_public_note(
            scope,
            lambda row: [
                (_("People reached"), row.people),
                (_("Partners present"), row.partners),
                (_("Activities"), row.activities),
            ],
        ),
    ]
    return area_rows(scope.filters), columns


def _severity(scope: Scope):
    labels = dict(Severity.choices)
    columns = [
        Column(_("Area p-code"), "#adm1+code", lambda row: row["area"].pcode),
        Column(_("Area"), "#adm1+name", lambda row: _area_name(row["area"])),
    ]
    if scope.filters.detailed:
        columns = [
            Column(_("Admin1"), "#adm1+name", lambda row: _area_name(row["area"].parent)),
            Column(_("Admin2 p-code"), "#adm2+code", lambda row: row["area"].pcode),
            Column(_("Admin2"), "#adm2+name", lambda row: _area_name(row["area"])),
        ]
    columns += [
        Column(_("Highest severity"), "#severity", _key("severity")),
        Column(_("Severity"), "", lambda row: labels.get(row["severity"], "")),
        Column(_("Assessments"), "#assessment+num", _key("assessments")),
    ]
    return severity_rows(scope.filters), columns


def _sex_and_age(scope: Scope):
    figures = sex_and_age(scope.filters)
    rows = [(label, people) for _number, label, people in figures.groups]
    rows += figures.among_them
    rows.append((_("Not counted by sex and age"), figures.not_disaggregated))
    return rows, [
        Column(_("Group"), "", lambda row: row[0]),
        Column(_("People reached"), "#reached", _figure(lambda row: row[1])),
        *_public_note(scope, lambda row: [(_("People reached"), row[1])]),
    ]


def _organisations(scope: Scope):
    return selectors.by_organisation(scope.filters), [
        Column(
            _("Reporting organisation"), "#org+name", lambda row: pick(row, "organisation__name")
        ),
        Column(_("People reached"), "#reached", _key("people")),
        Column(_("Report rows"), "", _key("rows")),
        Column(_("Areas"), "", _key("areas")),
        Column(_("Activities"), "#activity+num", _key("activities")),
    ]


def _presence(scope: Scope):
    matrix = presence(scope.filters)
    columns = [
        Column(_("Organisation"), "#org+impl+name", lambda row: pick(row, "name")),
        Column(_("Acronym"), "#org+impl+acronym", _key("acronym")),
    ]
    for index, area in enumerate(matrix.areas):
        columns.append(
            Column(
                f"{area.name} ({area.pcode})",
                "#activity+num",
                lambda row, index=index: row["cells"][index],
            )
        )
    return matrix.organisations, columns


@dataclass
class GapEntry:
    """One gap as the page lists it: a finding for one admin2 area, or a finding for a
    whole admin1 area once, with the admin2 areas it leaves without a response."""

    row: dict  # the first of ``gaps``' rows it stands for
    areas: list[AdminArea]

    @property
    def whole_area(self) -> bool:
        return self.row["whole_area"]


@dataclass
class GapGroup:
    admin1: AdminArea | None
    entries: list[GapEntry]


def gap_groups(rows: list[dict]) -> list[GapGroup]:
    """``gaps``' rows by admin1 area, the area with the most people in need first, each
    finding for a whole admin1 area listed once instead of on every admin2 row."""
    groups: dict[int | None, GapGroup] = {}
    whole: dict[tuple, GapEntry] = {}
    for row in rows:
        admin1 = row["area"].parent
        group = groups.setdefault(admin1.pk if admin1 else None, GapGroup(admin1, []))
        if not row["whole_area"]:
            group.entries.append(GapEntry(row, [row["area"]]))
            continue
        key = (group.admin1 and group.admin1.pk, row["domain__code"], row["assessment"])
        if key in whole:
            whole[key].areas.append(row["area"])
        else:
            whole[key] = GapEntry(row, [row["area"]])
            group.entries.append(whole[key])
    return list(groups.values())


def _gaps(scope: Scope):
    return gaps(scope.rules, today=scope.today, area=scope.filters.area), [
        Column(_("Admin1"), "#adm1+name", lambda row: _area_name(row["area"].parent)),
        Column(_("Admin2 p-code"), "#adm2+code", lambda row: row["area"].pcode),
        Column(_("Admin2"), "#adm2+name", lambda row: _area_name(row["area"])),
        Column(_("Health domain"), "#sector", lambda row: pick(row, "domain__name")),
        Column(_("Severity"), "#severity", _key("severity")),
        Column(_("People in need"), "#inneed", _key("people_in_need")),
        Column(
            _("Figure for the whole admin1 area"),
            "",
            lambda row: _("yes") if row["whole_area"] else _("no"),
        ),
        Column(_("Assessment"), "#assessment+name", lambda row: pick(row, "assessment__title")),
        Column(_("Assessment end date"), "#date+end", _key("assessment__end_date")),
    ]


@dataclass(frozen=True)
class _OverlapLine:
    overlap: Overlap
    row: dict


def _overlaps(scope: Scope):
    lines = [
        _OverlapLine(overlap, row)
        for overlap in all_overlaps(scope.filters)
        for row in overlap.rows
    ]
    return lines, [
        Column(_("Month"), "#date", lambda line: f"{line.overlap.month:%Y-%m}"),
        Column(_("Activity code"), "", "overlap.activity_code"),
        Column(_("Activity"), "#activity", lambda line: pick(vars(line.overlap), "activity_name")),
        Column(_("Area p-code"), "#loc+code", "overlap.area.pcode"),
        Column(_("Area"), "#loc+name", lambda line: _area_name(line.overlap.area)),
        Column(
            _("Implementing organisation"),
            "#org+impl+name",
            lambda line: pick(line.row, "implementer"),
        ),
        Column(
            _("Reporting organisation"), "#org+prog+name", lambda line: pick(line.row, "reporter")
        ),
        Column(_("Reached"), "#reached", lambda line: line.row["total"]),
    ]


@dataclass(frozen=True)
class Funding:
    """The funding tab's tables: for the public the total and the admin1 areas as the
    disclosure policy lets it see them, for members also by type and by objective."""

    as_of: datetime.date
    total: funding.FundingRow
    by_admin1: list[funding.FundingRow]
    by_type: list[funding.FundingRow] | None = None
    by_objective: list[funding.FundingRow] | None = None


def funding_tables(filters: Filters) -> Funding:
    figures = funding.funding_figures(filters.first_month, filters.last_month)
    if filters.detailed:
        return Funding(
            figures.as_of, figures.total, figures.by_admin1, figures.by_type, figures.by_objective
        )
    total, areas = public.funding(figures)
    return Funding(figures.as_of, total, areas)


def _funding_columns(scope: Scope) -> list[Column]:
    figures = [
        (_("Funding required (US$)"), "#value+funding+required+usd", "required"),
        (_("Funding received (US$)"), "#value+funding+total+usd", "received"),
        (_("Funding gap (US$)"), "#value+funding+gap+usd", "gap"),
        (_("Share funded (%)"), "#value+funding+pct", "percent"),
        (_("Projects"), "#activity+project+num", "projects"),
        (_("Organisations"), "#org+num", "organisations"),
    ]
    columns = [
        Column(label, tag, _figure(lambda row, name=name: getattr(row, name)))
        for label, tag, name in figures
    ]
    # A part not shown has all its figures withheld for the one reason: said once.
    return columns + _public_note(scope, lambda row: [(_("Funding"), row.required)])


def _not_broken_down(row, name: Callable) -> str:
    return name(row.key) if row.key is not None else str(_("Not broken down"))


def _funding_areas(scope: Scope):
    rows = funding_tables(scope.filters).by_admin1
    return rows, [
        Column(_("Admin1 p-code"), "#adm1+code", lambda row: row.key.pcode if row.key else ""),
        Column(_("Admin1"), "#adm1+name", lambda row: _not_broken_down(row, _area_name)),
        *_funding_columns(scope),
    ]


def _funding_types(scope: Scope):
    rows = funding_tables(scope.filters).by_type or []
    return rows, [
        Column(_("Type of organisation"), "#org+type", lambda row: funding.type_label(row.key)),
        *_funding_columns(scope),
    ]


def _funding_objectives(scope: Scope):
    rows = funding_tables(scope.filters).by_objective or []
    return rows, [
        Column(_("Objective code"), "", lambda row: row.key.code if row.key else ""),
        Column(_("Objective"), "#sector+objective", lambda row: _not_broken_down(row, _objective)),
        *_funding_columns(scope),
    ]


def _coverage(scope: Scope):
    """Every area of the coverage tab: admin1 areas, then (members) the districts."""
    found = coverage.coverage(scope.filters)
    rows = [*found.admin1, *(found.admin2 or [])] if found is not None else []
    columns = [
        Column(
            _("Admin1 p-code"),
            "#adm1+code",
            lambda row: row.area.pcode if row.area.level == 1 else row.area.parent.pcode,
        ),
        Column(
            _("Admin1"),
            "#adm1+name",
            lambda row: _area_name(row.area if row.area.level == 1 else row.area.parent),
        ),
    ]
    if scope.filters.detailed:
        columns += [
            Column(
                _("Admin2 p-code"),
                "#adm2+code",
                lambda row: row.area.pcode if row.area.level == 2 else "",
            ),
            Column(
                _("Admin2"),
                "#adm2+name",
                lambda row: _area_name(row.area) if row.area.level == 2 else "",
            ),
        ]
    columns += [
        Column(_("People in need"), "#inneed", lambda row: row.in_need),
        Column(_("People targeted"), "#targeted", lambda row: row.targeted),
        Column(_("People reached"), "#reached", _figure(lambda row: row.reached)),
        Column(
            _("Coverage (per cent of people targeted)"),
            "#reached+pct",
            _figure(lambda row: row.percent),
        ),
        Column(_("Funding required (US$)"), "#value+funding+required+usd", _figure(_required)),
        Column(_("Funding received (US$)"), "#value+funding+total+usd", _figure(_received)),
        *_public_note(
            scope,
            lambda row: [(_("People reached"), row.reached), (_("Funding"), row.required)],
        ),
    ]
    return rows, columns


def _required(row):
    return row.required


def _received(row):
    return row.received


def _objective(objective) -> str:
    return str(objective.title)


TABLES = {
    table.slug: table
    for table in (
        Table("indicators", _("Indicators reached against target"), Access.PUBLIC, _indicators),
        Table("months", _("People reached by month"), Access.PUBLIC, _months),
        Table("areas", _("People reached and partners by area"), Access.PUBLIC, _areas),
        Table("severity", _("Assessments and highest severity by area"), Access.PUBLIC, _severity),
        Table("sex-age", _("People reached by sex and age"), Access.PUBLIC, _sex_and_age),
        Table("organisations", _("Figures by organisation"), Access.MEMBERS, _organisations),
        Table("presence", _("Who works where (3W)"), Access.MEMBERS, _presence),
        Table("gaps", _("Gaps"), Access.COORDINATORS, _gaps),
        Table("overlaps", _("Overlaps"), Access.COORDINATORS, _overlaps),
        Table("funding-areas", _("Funding by admin1 area"), Access.PUBLIC, _funding_areas),
        Table(
            "funding-types",
            _("Funding by type of organisation"),
            Access.MEMBERS,
            _funding_types,
        ),
        Table(
            "funding-objectives",
            _("Funding by strategic objective"),
            Access.MEMBERS,
            _funding_objectives,
        ),
        Table("coverage", _("Coverage against targets by area"), Access.PUBLIC, _coverage),
    )
}
