"""The Excel templates of the facility registry, and reading a filled one back.

Two templates, one sheet of data each: the facilities (coordinators add and change them) and
their statuses (partners record those of the facilities they support, coordinators any).
Each data sheet has a row of headers in the user's language, then a row of HXL hashtags,
then the data from row 3. A hidden "Lists" sheet holds what the drop-down lists offer (in
the language of the template; codes and the words of either language are read as well) and
an "Instructions" sheet explains each column. Every cell is written through
``core.exports.new_workbook``, so a name that looks like a formula is written as text (with
a leading quote), which ``core.sheets.cell_text`` takes off again. The layout, the lists and
the reading that every template shares are in ``core.sheets``; this module holds what is
the registry's own: its columns, limits, instructions and messages.

Reading finds the data sheet by its row of HXL hashtags, whatever the sheet is called and
in whatever language its headers are, and each column by its hashtag (so a column added to
help fill the sheet is left alone). The workbook is opened by ``core.spreadsheets`` (size,
zip bomb and macro checks, defusedxml, read-only); a formula is never calculated, and a cell
holding one is reported with its row, so that only values typed are imported. At most
``MAX_ROWS`` rows, rows 3 to ``LAST_DATA_ROW``: a sheet declaring more is refused before a
row is read, and a value found below is refused at once.
"""

import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.exports import XLSX_CONTENT_TYPE, clean_sheet_title, new_workbook
from core.sheets import (
    LISTS_SHEET,
    SheetColumn,
    SheetRow,
    add_instructions,
    column_positions,
    data_cells,
    data_rows,
    last_data_row,
    list_rule,
    saved,
    side_by_side,
    start_data_sheet,
    tag_row,
)
from core.spreadsheets import open_workbook
from facilities import selectors
from facilities.models import Accessibility, BuildingCondition, Cause, Functionality, Ownership
from facilities.services import MAX_BEDS
from partners.access import is_coordinator

MAX_ROWS = 10_000
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
LAST_DATA_ROW = last_data_row(MAX_ROWS)
CONTENT_TYPE = XLSX_CONTENT_TYPE

FACILITIES = "facilities"
STATUSES = "statuses"


FACILITY_COLUMNS = (
    SheetColumn("code", gettext_lazy("Code"), "#loc+code", 16),
    SheetColumn("name_en", gettext_lazy("Name (English)"), "#loc+name+i_en", 34),
    SheetColumn("name_ar", gettext_lazy("Name (Arabic)"), "#loc+name+i_ar", 34),
    SheetColumn("type", gettext_lazy("Type"), "#loc+type", 30),
    SheetColumn("ownership", gettext_lazy("Ownership"), "#loc+ownership", 14),
    SheetColumn("area", gettext_lazy("Admin area p-code"), "#loc+area+code", 18),
    SheetColumn("longitude", gettext_lazy("Longitude"), "#geo+lon", 14),
    SheetColumn("latitude", gettext_lazy("Latitude"), "#geo+lat", 14),
    SheetColumn("domains", gettext_lazy("Services offered (health domains)"), "#subsector", 40),
)
STATUS_COLUMNS = (
    SheetColumn("code", gettext_lazy("Facility code"), "#loc+code", 16),
    SheetColumn("name", gettext_lazy("Facility name"), "#loc+name", 34, read=False),
    SheetColumn("as_of", gettext_lazy("Status on"), "#date", 14),
    SheetColumn("functionality", gettext_lazy("Functionality"), "#status", 24),
    SheetColumn("building", gettext_lazy("Building condition"), "#status+building", 22),
    SheetColumn("accessibility", gettext_lazy("Accessibility"), "#status+access", 22),
    SheetColumn("causes", gettext_lazy("Causes"), "#status+causes", 34),
    SheetColumn("beds", gettext_lazy("Beds"), "#capacity+beds", 10),
    SheetColumn("source", gettext_lazy("Source"), "#meta+source", 34),
    SheetColumn("organisation", gettext_lazy("Reported by (organisation)"), "#org+acronym", 22),
)
COLUMNS = {FACILITIES: FACILITY_COLUMNS, STATUSES: STATUS_COLUMNS}
SHEET_TITLES = {
    FACILITIES: gettext_lazy("Facilities"),
    STATUSES: gettext_lazy("Statuses"),
}


def column_header(kind: str, key: str) -> str:
    return str(next(column.header for column in COLUMNS[kind] if column.key == key))


def template_filename(kind: str) -> str:
    return f"health-facility-{kind}.xlsx"


# --- the templates -------------------------------------------------------------------------------


def _labels(choices) -> list[str]:
    return [str(label) for label in choices.labels]


def _choices_line(name: str, choices) -> str:
    listed = "; ".join(f"{value} ({label})" for value, label in choices.choices)
    return _("%(name)s: %(choices)s.") % {"name": name, "choices": listed}


def _common_lines() -> list[str]:
    return [
        _(
            "Fill in the first sheet from row 3: row 1 holds the column headers and row 2 the "
            "HXL hashtags, which tell the portal what each column is. Keep row 2 as it is; "
            "you may reorder the columns or add your own, which are not read."
        ),
        _(
            "Where a cell offers a list, choose from it, or write the code or the words in "
            "English or Arabic."
        ),
        _("Type values, not formulas: a cell holding a formula is refused."),
        _(
            "Every row is checked first. If any row has a problem, nothing is imported and "
            "every problem is listed with its sheet and row. Tick the box to only check the "
            "file first."
        ),
        _("A sheet may hold at most %(count)s rows (rows 3 to %(last)s) and weigh %(size)s MB.")
        % {
            "count": number_format(MAX_ROWS, force_grouping=True),
            "last": number_format(LAST_DATA_ROW, force_grouping=True),
            "size": MAX_UPLOAD_BYTES // (1024 * 1024),
        },
    ]


def _facility_lines(lists: dict[str, list[str]], *, truncated: bool) -> list[str]:
    lines = [
        _("How to fill in the facilities template"),
        "",
        *_common_lines(),
        "",
        _(
            "Code: the facility's HeRAMS or Ministry of Health code. A row with the code of a "
            "facility of the registry changes that facility; a row with a new code adds a "
            "facility with it; a row without a code adds a facility, to which the portal "
            "gives a code such as HF-00042."
        ),
        _(
            "A row gives the whole facility, as its form does: an empty cell empties the "
            "value (the coordinates, the Arabic name, the services)."
        ),
        _("Name (English) is required; the Arabic name is optional."),
        _("Type: %(types)s.") % {"types": "; ".join(lists["types"])},
        _choices_line(_("Ownership"), Ownership),
        _(
            "Admin area p-code: the area the facility is in. With coordinates and the "
            "boundaries loaded, the area is found from them (the p-code may then be left "
            "empty, or name a finer area inside that one)."
        ),
        _(
            "Longitude and latitude: in decimal degrees, east and north positive, such as "
            "35.204 and 31.768; both or neither."
        ),
        _("Services offered: the codes of the health domains, separated by commas: %(domains)s.")
        % {"domains": ", ".join(lists["domains"])},
    ]
    if truncated:
        lines.append(
            _(
                "The registry holds more facilities than a sheet can: the template lists none. "
                "Export the registry to see them."
            )
        )
    return lines


def _status_lines(*, member: bool) -> list[str]:
    lines = [
        _("How to fill in the statuses template"),
        "",
        *_common_lines(),
        "",
        _(
            "One row per status: the facility's code, the day it was in this state (not after "
            "today, such as 2026-11-30), the three dimensions, the causes, the beds and the "
            "source. Rows with only the facility's code and name are left out."
        ),
        _choices_line(_("Functionality"), Functionality),
        _choices_line(_("Building condition"), BuildingCondition),
        _choices_line(_("Accessibility"), Accessibility),
        _(
            "Causes: why the facility is not fully functioning, as codes or words separated "
            "by commas; none when it is fully functioning."
        ),
        _choices_line(_("Causes"), Cause),
        _("Beds: functioning inpatient beds, a whole number from 0 to %(limit)s, or empty.")
        % {"limit": number_format(MAX_BEDS, force_grouping=True)},
        _("Source: where the status comes from: a visit, a call, a report."),
        _(
            "Each status waits for the coordinators' review before it counts, as one recorded "
            "on its form."
        ),
    ]
    if member:
        lines.append(
            _(
                "Reported by: leave it empty; the statuses are your organisation's. The sheet "
                "lists the facilities your organisation supports, which must have been "
                "supported on each status's day."
            )
        )
    else:
        lines.append(
            _(
                "Reported by: the acronym or name of the partner whose status it is, which must "
                "support the facility on that day; empty for the cluster's own."
            )
        )
    return lines


def _number_rule(kind: str, low, high, title: str, message: str) -> DataValidation:
    return DataValidation(
        type=kind,
        operator="between",
        formula1=str(low),
        formula2=str(high),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=title[:32],
        error=message,
    )


def _cells(kind: str, key: str) -> str:
    return data_cells(COLUMNS[kind], key, most=MAX_ROWS)


def _rules(kind: str, lists: dict[str, list[str]], letters: dict[str, str]) -> list:
    """The data validation of each column of the data sheet."""
    rules = []
    for key, values in lists.items():
        rule = list_rule(letters[key], len(values), column_header(kind, key))
        rule.add(_cells(kind, key))
        rules.append(rule)
    if kind == FACILITIES:
        for key, limit in (("longitude", 180), ("latitude", 90)):
            rule = _number_rule(
                "decimal",
                -limit,
                limit,
                column_header(kind, key),
                _("In decimal degrees, from -%(limit)s to %(limit)s.") % {"limit": limit},
            )
            rule.add(_cells(kind, key))
            rules.append(rule)
    else:
        rule = _number_rule(
            "whole",
            0,
            MAX_BEDS,
            column_header(kind, "beds"),
            _("A whole number from 0 to %(limit)s.") % {"limit": MAX_BEDS},
        )
        rule.add(_cells(kind, "beds"))
        causes = DataValidation(
            allow_blank=True,
            showInputMessage=True,
            promptTitle=column_header(kind, "causes")[:32],
            prompt=", ".join(Cause.values)[:255],
        )
        causes.add(_cells(kind, "causes"))
        rules += [rule, causes]
    return rules


def build_template(
    kind: str,
    *,
    rows: Iterable[Sequence],
    lists: dict[str, list[str]],
    member: bool = False,
    truncated=False,
) -> tempfile.TemporaryFile:
    """The template of ``kind``, with ``rows`` (values in the order of its columns) already
    filled in, saved to a temporary file positioned at its start."""
    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = clean_sheet_title(SHEET_TITLES[kind])
    start_data_sheet(sheet, COLUMNS[kind])
    for row in rows:
        sheet.append(row)

    if kind == FACILITIES:
        offered = {
            "type": lists["types"],
            "ownership": _labels(Ownership),
            "area": lists["areas"],
        }
    else:
        offered = {
            "functionality": _labels(Functionality),
            "building": _labels(BuildingCondition),
            "accessibility": _labels(Accessibility),
        }
        if not member:
            offered["organisation"] = lists["organisations"]
    lists_sheet = workbook.create_sheet(LISTS_SHEET)
    lists_sheet.sheet_state = "hidden"
    lists_sheet.append([column_header(kind, key) for key in offered])
    for values in side_by_side(list(offered.values())):
        lists_sheet.append(values)
    letters = {key: get_column_letter(index) for index, key in enumerate(offered, start=1)}
    for rule in _rules(kind, offered, letters):
        sheet.add_data_validation(rule)

    add_instructions(
        workbook,
        _facility_lines(lists, truncated=truncated)
        if kind == FACILITIES
        else _status_lines(member=member),
    )
    return saved(workbook)


def facilities_template() -> tempfile.TemporaryFile:
    """The facilities template, filled with the registry when a sheet can hold it."""
    facilities = selectors.template_facilities(limit=MAX_ROWS)
    ownership = dict(Ownership.choices)
    rows = [
        [
            facility.code,
            facility.name_en,
            facility.name_ar,
            facility.type.name,
            ownership.get(facility.ownership, facility.ownership),
            facility.area.pcode,
            facility.longitude,
            facility.latitude,
            ", ".join(domain.code for domain in facility.domains.all()),
        ]
        for facility in facilities or []
    ]
    return build_template(
        FACILITIES, rows=rows, lists=selectors.template_lists(), truncated=facilities is None
    )


def statuses_template(user) -> tempfile.TemporaryFile:
    """The statuses template, listing the facilities whose status the user may record."""
    facilities = selectors.template_status_facilities(user, limit=MAX_ROWS) or []
    return build_template(
        STATUSES,
        rows=[[facility.code, facility.name] for facility in facilities],
        lists=selectors.template_lists(),
        member=not is_coordinator(user),
    )


# --- reading a filled one ------------------------------------------------------------------------


@dataclass
class Sheet:
    title: str
    rows: list[SheetRow]


def _find_sheet(upload, workbook, kind: str) -> tuple[object, dict[str, int]]:
    other = STATUSES if kind == FACILITIES else FACILITIES
    tags = [tag_row(upload, worksheet) for worksheet in workbook.worksheets]
    for worksheet, row in zip(workbook.worksheets, tags, strict=True):
        positions = column_positions(row, COLUMNS[kind])
        if positions is not None:
            return worksheet, positions
    if any(column_positions(row, COLUMNS[other]) is not None for row in tags):
        if kind == FACILITIES:
            message = _(
                "This is the template of facility statuses, not of facilities: upload it on "
                "the page that imports statuses."
            )
        else:
            message = _(
                "This is the template of facilities, not of their statuses: upload it on the "
                "page that imports facilities."
            )
        raise ValidationError(message, code="other_template")
    tags = {"tags": ", ".join(column.tag for column in COLUMNS[kind] if column.read)}
    if kind == FACILITIES:
        message = _(
            "No sheet of this workbook has the row of HXL hashtags of the facilities template "
            "in its row 2 (%(tags)s). Download the template, fill it in and keep its row 2."
        )
    else:
        message = _(
            "No sheet of this workbook has the row of HXL hashtags of the statuses template "
            "in its row 2 (%(tags)s). Download the template, fill it in and keep its row 2."
        )
    raise ValidationError(message % tags, code="not_the_template")


def read_sheet(upload, kind: str) -> Sheet:
    """The data rows of an uploaded template of ``kind``; a ``ValidationError`` saying why
    when the file as a whole cannot be imported (no safe, readable workbook, not the
    template, too many rows)."""
    with open_workbook(upload, max_bytes=MAX_UPLOAD_BYTES, keep_formulas=True) as workbook:
        worksheet, positions = _find_sheet(upload, workbook, kind)
        return Sheet(
            title=worksheet.title,
            rows=data_rows(upload, worksheet, positions, most=MAX_ROWS),
        )
