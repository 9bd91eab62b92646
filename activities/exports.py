"""Exports of validated activity data (4W): rows for partners, admin1 totals for the public.

Which rows: the rows of reports whose status is *validated*, as they stand. A report a
coordinator reopened for correction (status ``correction``) leaves the exports until it is
validated again; its earlier validated version stays in ``ValidatedVersion`` for the audit
but is not exported, so an export never mixes two versions of one report.

Who gets what (``can_export_rows``, the disclosure policy's ``sees_details``): coordinators
and members of an approved (or suspended, who may still read) organisation get one line per
report row. Everyone else gets totals per admin1 area, activity and month, summed by the
database, with no organisation, donor or admin2 column; a line from fewer than
``PUBLIC_MIN_ORGANISATIONS`` distinct implementing organisations keeps its area, activity and
month but not its figures, and its note says why (``partners.disclosure``). A line holds no
total of other lines, so nothing shown can be subtracted to give one not shown.

A row's line names the health facility where the activity took place by its registry code,
tagged ``#loc+code`` as the facility registry's exports tag it (empty when it names none);
the public's totals, added up by admin1 area, name none. It names the project it belongs to
by its code (the response plan code, else the portal's "P-12") and title, tagged
``#activity+project+code`` and ``#activity+project+name``.

Each line says what its activity collects ("girls and boys", "a single count", "women, and a
total"); a figure the activity does not collect is empty, never 0. Rows keep the figures they
were validated with, even if the catalogue has changed since.

Both read through ``values()`` and ``iterator()``: one query for the rows (plus one for the
health domains of the activities), whatever their number, and no model instances.
"""

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.db.models import Case, CharField, F, IntegerField, QuerySet, Sum, When
from django.db.models.functions import Coalesce
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from activities.models import (
    SEX_AND_AGE,
    Activity,
    ReportRow,
    ReportStatus,
    RowStatus,
    figures_text,
)
from core.bilingual import bilingual_expression, wants_arabic
from core.exports import Column
from partners.disclosure import SMALL, Withheld, implementer_count, is_small, sees_details
from projects.models import row_code

CHUNK_SIZE = 2000
FIGURES = ("girls", "boys", "women", "men", "older_people", "people_with_disabilities", "total")
# What the activity of a line collects, read with the line.
DECLARATION = ("activity__collects", *(f"activity__counts_{name}" for name in SEX_AND_AGE))


def can_export_rows(user) -> bool:
    """Row-level data for coordinators and members of approved organisations: whoever the
    disclosure policy does not count as the public."""
    return sees_details(user)


def validated_rows() -> QuerySet[ReportRow]:
    """Every row of a validated report: the base of both exports, before the filters."""
    return ReportRow.objects.filter(report__status=ReportStatus.VALIDATED)


def _domains_by_activity() -> dict[int, str]:
    """The health domains of every activity, joined, in the active language (one query)."""
    through = Activity.domains.through
    names: dict[int, list[str]] = defaultdict(list)
    arabic = wants_arabic()
    for activity_id, name_en, name_ar in through.objects.order_by(
        "healthdomain__order", "healthdomain__code"
    ).values_list("activity_id", "healthdomain__name_en", "healthdomain__name_ar"):
        names[activity_id].append((name_ar if arabic and name_ar else name_en) or "")
    return {activity_id: ", ".join(values) for activity_id, values in names.items()}


def _month(row: dict) -> str:
    return f"{row['year']:04d}-{row['month']:02d}"


def _figures_reader():
    """The words for what a line's activity collects, worked out once per declaration."""
    texts: dict[tuple, str] = {}

    def read(row: dict) -> str:
        key = tuple(row[name] for name in DECLARATION)
        if key not in texts:
            groups = [name for name, counted in zip(SEX_AND_AGE, key[1:], strict=True) if counted]
            texts[key] = capfirst(figures_text(key[0], groups))
        return texts[key]

    return read


# --- row-level export -------------------------------------------------------------------------

# The area of a row and its two ancestors, to find its admin1 and admin2 from its level.
_AREA_LEVELS = ("area", "area__parent", "area__parent__parent")


def _row_values(queryset: QuerySet[ReportRow]) -> QuerySet:
    names = {
        "reporting": bilingual_expression("report__organisation__name"),
        "implementer": Coalesce(
            bilingual_expression("implementing_organisation__name"),
            F("implementing_other"),
            output_field=CharField(),
        ),
        "activity_name": bilingual_expression("activity__name"),
        "indicator_name": bilingual_expression("activity__indicator__name"),
        "project_title": bilingual_expression("project__title"),
    }
    for index, prefix in enumerate(_AREA_LEVELS):
        names[f"a{index}_name"] = bilingual_expression(f"{prefix}__name")
    fields = [
        "activity_id",
        "donor",
        "status",
        "activity__code",
        "activity__indicator__code",
        "facility__code",
        "project_id",
        "project__plan_code",
        *DECLARATION,
        *(f"{prefix}__{field}" for prefix in _AREA_LEVELS for field in ("pcode", "level")),
        *FIGURES,
    ]
    return (
        queryset.annotate(year=F("report__period__year"), month=F("report__period__month"))
        .values(*fields, "year", "month", **names)
        .order_by("report__period__year", "report__period__month", "report_id", "order", "pk")
    )


def _admin(row: dict, level: int, field: str) -> str:
    """The admin1 or admin2 area of the row (the area itself or one of its ancestors)."""
    for index, prefix in enumerate(_AREA_LEVELS):
        if row[f"{prefix}__level"] == level:
            return row[f"{prefix}__pcode"] if field == "pcode" else row[f"a{index}_name"]
    return ""


def _reader(key: str):
    return lambda row: row[key]


def _project_code(row: dict) -> str:
    return row_code(row["project_id"], row["project__plan_code"] or "")


def row_columns(domains: dict[int, str]) -> list[Column]:
    statuses = dict(RowStatus.choices)
    return [
        Column(_("Implementing organisation"), "#org+impl+name", _reader("implementer")),
        Column(_("Reporting organisation"), "#org+prog+name", _reader("reporting")),
        Column(_("Donor"), "#org+funder+name", _reader("donor")),
        Column(_("Health domains"), "#sector", lambda row: domains.get(row["activity_id"], "")),
        Column(_("Activity code"), "", _reader("activity__code")),
        Column(_("Activity"), "#activity", _reader("activity_name")),
        Column(_("Indicator code"), "", _reader("activity__indicator__code")),
        Column(_("Indicator"), "#indicator", _reader("indicator_name")),
        Column(_("Admin1 p-code"), "#adm1+code", lambda row: _admin(row, 1, "pcode")),
        Column(_("Admin1"), "#adm1+name", lambda row: _admin(row, 1, "name")),
        Column(_("Admin2 p-code"), "#adm2+code", lambda row: _admin(row, 2, "pcode")),
        Column(_("Admin2"), "#adm2+name", lambda row: _admin(row, 2, "name")),
        Column(_("Area p-code"), "", _reader("area__pcode")),
        Column(_("Area"), "", _reader("a0_name")),
        Column(_("Facility code"), "#loc+code", _reader("facility__code")),
        Column(_("Project code"), "#activity+project+code", _project_code),
        Column(_("Project"), "#activity+project+name", _reader("project_title")),
        Column(_("Month"), "#date+reported", _month),
        Column(_("Figures collected"), "", _figures_reader()),
        Column(_("Girls"), "#reached+f+children", _reader("girls")),
        Column(_("Boys"), "#reached+m+children", _reader("boys")),
        Column(_("Women"), "#reached+f+adults", _reader("women")),
        Column(_("Men"), "#reached+m+adults", _reader("men")),
        Column(_("Older people"), "", _reader("older_people")),
        Column(_("People with disabilities"), "", _reader("people_with_disabilities")),
        Column(_("Total reached"), "#reached+total", _reader("total")),
        Column(_("Status"), "#status", lambda row: statuses.get(row["status"], row["status"])),
    ]


# --- admin1 totals for the public ---------------------------------------------------------------


def _admin1(field: str, output_field) -> Case:
    """The row's admin1 area's ``field``: the area, its parent or its grandparent by level.

    Plain joins and CASE, so the same SQL groups on PostgreSQL and SQLite; a row entered
    at country level has no admin1 and is left out of the public totals.
    """
    return Case(
        When(area__level=1, then=F(f"area__{field}")),
        When(area__level=2, then=F(f"area__parent__{field}")),
        When(area__level=3, then=F(f"area__parent__parent__{field}")),
        output_field=output_field,
    )


def _admin1_name() -> Case:
    return Case(
        When(area__level=1, then=bilingual_expression("area__name")),
        When(area__level=2, then=bilingual_expression("area__parent__name")),
        When(area__level=3, then=bilingual_expression("area__parent__parent__name")),
        output_field=CharField(),
    )


def _total_values(queryset: QuerySet[ReportRow]) -> QuerySet:
    return (
        queryset.filter(area__level__gte=1)
        .annotate(
            admin1_pcode=_admin1("pcode", CharField()),
            admin1_name=_admin1_name(),
            year=F("report__period__year"),
            month=F("report__period__month"),
            activity_name=bilingual_expression("activity__name"),
            indicator_name=bilingual_expression("activity__indicator__name"),
        )
        .values(
            "year",
            "month",
            "admin1_pcode",
            "admin1_name",
            "activity_id",
            "activity__code",
            "activity_name",
            "indicator_name",
            *DECLARATION,
        )
        .annotate(
            **{f"sum_{name}": Sum(name, output_field=IntegerField()) for name in FIGURES},
            implementers=implementer_count(),
        )
        .order_by("year", "month", "admin1_pcode", "activity__code")
    )


def _disclosed(lines: Iterator[dict]) -> Iterator[dict]:
    """The public's lines, those from too few organisations without their figures."""
    for line in lines:
        if is_small(line["implementers"]):
            line = {**line, **{f"sum_{name}": None for name in FIGURES}, "withheld": True}
        yield line


def _note(line: dict) -> str:
    return str(Withheld(SMALL)) if line.get("withheld") else ""


def total_columns(domains: dict[int, str]) -> list[Column]:
    return [
        Column(_("Health domains"), "#sector", lambda row: domains.get(row["activity_id"], "")),
        Column(_("Activity code"), "", _reader("activity__code")),
        Column(_("Activity"), "#activity", _reader("activity_name")),
        Column(_("Indicator"), "#indicator", _reader("indicator_name")),
        Column(_("Admin1 p-code"), "#adm1+code", _reader("admin1_pcode")),
        Column(_("Admin1"), "#adm1+name", _reader("admin1_name")),
        Column(_("Month"), "#date+reported", _month),
        Column(_("Figures collected"), "", _figures_reader()),
        Column(_("Girls"), "#reached+f+children", _reader("sum_girls")),
        Column(_("Boys"), "#reached+m+children", _reader("sum_boys")),
        Column(_("Women"), "#reached+f+adults", _reader("sum_women")),
        Column(_("Men"), "#reached+m+adults", _reader("sum_men")),
        Column(_("Older people"), "", _reader("sum_older_people")),
        Column(_("People with disabilities"), "", _reader("sum_people_with_disabilities")),
        Column(_("Total reached"), "#reached+total", _reader("sum_total")),
        Column(_("Note"), "#meta+note", _note),
    ]


# --- the export as the view sends it -------------------------------------------------------------


def export_data(
    filtered: QuerySet[ReportRow], *, rows: bool, hxl: bool = False
) -> tuple[Iterator[dict[str, Any]], list[Column]]:
    """The rows (an iterator over the database) and columns of one export.

    ``filtered`` is ``validated_rows()`` after the user's filters; ``rows`` says whether the
    user gets row-level data or admin1 totals. With ``hxl`` only the tagged columns remain.
    """
    domains = _domains_by_activity()
    if rows:
        values, columns = _row_values(filtered), row_columns(domains)
    else:
        values, columns = _total_values(filtered), total_columns(domains)
    if hxl:
        columns = [column for column in columns if column.hxl]
    lines = values.iterator(chunk_size=CHUNK_SIZE)
    return (lines if rows else _disclosed(lines)), columns
