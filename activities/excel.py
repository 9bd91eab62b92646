"""The Excel template of an activity report (4W), and reading a filled one back.

The template's first sheet holds, above the rows, the organisation, the period and a
reference that ties the file to one organisation's report for one month; then a header
row and the report's rows. A hidden "Lists" sheet holds the activity codes, admin2
p-codes and statuses the drop-down lists offer, and an "Instructions" sheet explains the
columns in the user's language, and an "Activities" sheet says which figures each activity
of the catalogue asks for. In the report's sheet, a figure cell the row's activity does not
ask for is greyed and refuses a value (the hidden sheet holds, beside each activity code,
which figures it asks for). Columns are read by their position, never by their header, so a
template downloaded in Arabic reads back the same as one in English. Every cell is written
through ``core.exports.new_workbook``, so a name or code that looks like a formula is written
as text (with a leading quote), and the import reads it back without the quote. The facility
code, optional, came after the total, and the project code after it, so that a sheet filled
from a template made before either existed reads the same: its rows name no facility or no
project. A "Projects" sheet lists the projects the organisation's rows may name this month.

Reading opens the upload with ``core.spreadsheets.open_workbook`` (archive checks,
defusedxml, read-only, cached values only). A cell that holds a formula without a cached
value is reported as an error, since formulas are never evaluated. At most ``MAX_ROWS``
data rows are read (``REPORT_MAX_ROWS``, the most a report holds, so that every report an
import makes opens and saves on its edit page); a longer sheet is refused as soon as the
cap is passed.
"""

import io
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from activities.models import REPORT_MAX_ROWS, Activity, Report, ReportRow, RowStatus
from core.exports import clean_sheet_title, new_workbook, spreadsheet_value
from core.spreadsheets import open_workbook

MAX_ROWS = REPORT_MAX_ROWS
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
REFERENCE_PREFIX = "HC4W"
REFERENCE_RE = re.compile(r"^HC4W-(\d+)-(\d{4})-(\d{2})$")
# Rows 1-3: organisation, period, reference; row 4 empty; row 5 headers; data from row 6.
REFERENCE_ROW = 3
HEADER_ROW = 5
FIRST_DATA_ROW = 6
VALIDATION_LAST_ROW = FIRST_DATA_ROW + MAX_ROWS - 1


@dataclass(frozen=True)
class SheetColumn:
    key: str
    header: str


COLUMNS = (
    SheetColumn("activity_code", gettext_lazy("Activity code")),
    SheetColumn("activity_name", gettext_lazy("Activity name")),
    SheetColumn("area_pcode", gettext_lazy("Area p-code")),
    SheetColumn("area_name", gettext_lazy("Area name")),
    SheetColumn("implementing_partner", gettext_lazy("Implementing partner")),
    SheetColumn(
        "implementing_other", gettext_lazy("Implementing organisation not in the directory")
    ),
    SheetColumn("donor", gettext_lazy("Donor")),
    SheetColumn("status", gettext_lazy("Status")),
    SheetColumn("girls", gettext_lazy("Girls")),
    SheetColumn("boys", gettext_lazy("Boys")),
    SheetColumn("women", gettext_lazy("Women")),
    SheetColumn("men", gettext_lazy("Men")),
    SheetColumn("older_people", gettext_lazy("Older people")),
    SheetColumn("people_with_disabilities", gettext_lazy("People with disabilities")),
    SheetColumn("total", gettext_lazy("Total")),
    # Last: the columns are read by their position, and older templates end with the total.
    SheetColumn("facility_code", gettext_lazy("Facility code")),
    # Last again, for the same reason: templates made before it end with the facility code.
    SheetColumn("project_code", gettext_lazy("Project code")),
)
KEYS = tuple(column.key for column in COLUMNS)
# The figures an activity may or may not ask for (the total it always asks for), in the
# order of their columns; the hidden sheet holds a 1 or a 0 for each, from its column D.
OPTIONAL_FIGURES = ("girls", "boys", "women", "men", "older_people", "people_with_disabilities")
FLAGS_FIRST_COLUMN = "D"
NOT_ASKED_FILL = PatternFill(fill_type="solid", start_color="FFD9D9D9", end_color="FFD9D9D9")
WIDTH = len(COLUMNS)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def column_header(key: str) -> str:
    return str(next(column.header for column in COLUMNS if column.key == key))


def column_letter(key: str) -> str:
    return get_column_letter(KEYS.index(key) + 1)


def reference(report: Report) -> str:
    """The text that ties a template to the organisation's report for one month."""
    period = report.period
    return f"{REFERENCE_PREFIX}-{report.organisation_id}-{period.year:04d}-{period.month:02d}"


def implementer_label(row: ReportRow) -> str:
    organisation = row.implementing_organisation
    if organisation is None:
        return ""
    return organisation.acronym or organisation.name_en


# --- the template ------------------------------------------------------------------------------


def _instructions() -> list[str]:
    return [
        _("How to fill in this template"),
        "",
        _(
            "Enter one row per activity, area and implementing organisation on the first "
            "sheet, below the column headers. Do not change the three lines at the top: they "
            "tie the file to your organisation's report for this month."
        ),
        _("Activity code: choose a code from the drop-down list (the activity catalogue)."),
        _("Activity name and area name are there to help you read; they are not imported."),
        _("Area p-code: choose the p-code of the district (admin2) from the drop-down list."),
        _(
            "Implementing partner: the acronym or the name of an approved partner of the "
            "directory. If the implementer is not in the directory, leave it empty and write "
            "the organisation's name in the next column instead; fill in one or the other."
        ),
        _("Status: planned, ongoing or completed, from the drop-down list."),
        _(
            "Facility code (optional, the last column): where the activity took place in a "
            "health facility of the cluster's registry, its code. The row is then counted in "
            "the facility's district: leave the area p-code empty to have it filled in, or "
            "give that district's."
        ),
        _(
            "Project code (optional unless the cluster requires it for this month, the last "
            "column): the project the activity belongs to, by its response plan code, or, for "
            "a project without one, by the portal's code P- followed by the project's number "
            "(such as P-12). The Projects sheet lists your organisation's projects accepted into "
            "the plan for this month and the areas each covers; a project whose budget is not "
            "broken down by area covers every area."
        ),
        _(
            "Figures: whole numbers, zero or more. Fill in only the figures the activity asks "
            "for: the Activities sheet lists them, and the cells of the others are greyed. "
            "Where an activity counts people by sex and age, its groups add up to the total; "
            "leave the total empty to have it added up. Where it asks for both, the total also "
            "counts the people not broken down by sex and age."
        ),
        _(
            "Older people and people with disabilities are counted among the total, not added "
            "to it."
        ),
        _("Type values, not formulas: formulas are not calculated when the file is imported."),
        _(
            "Importing the file replaces all the rows of the draft report. You will see what "
            "changes and confirm it before anything is saved."
        ),
        _("A file may hold at most %(count)s rows and weigh at most %(size)s MB.")
        % {"count": f"{MAX_ROWS:,}", "size": MAX_UPLOAD_BYTES // (1024 * 1024)},
    ]


def _list_validation(sheet_range: str, column: str, count: int, title: str) -> DataValidation:
    last = max(count, 1) + 1
    validation = DataValidation(
        type="list",
        formula1=f"Lists!${column}$2:${column}${last}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=title,
        error=_("Choose a value from the list."),
    )
    validation.add(sheet_range)
    return validation


def figures_asked(activity: Activity) -> str:
    """The figures a row of the activity holds, in words, for the Activities sheet."""
    parts = [capfirst(activity.figures_text())]
    if activity.counts_older_people:
        parts.append(_("older people among them"))
    if activity.counts_disability:
        parts.append(_("people with disabilities among them"))
    if not activity.total_is_entered:
        parts.append(_("the total is their sum"))
    return "; ".join(parts)


def _asked_formula(count: int) -> str:
    """Does the row's activity ask for this column's figure? For the first figure cell; the
    column of the flag moves with the column it is applied to."""
    last = max(count, 1) + 1
    return (
        f"COUNTIFS(Lists!$A$2:$A${last},$A{FIRST_DATA_ROW},"
        f"Lists!{FLAGS_FIRST_COLUMN}$2:{FLAGS_FIRST_COLUMN}${last},1)>0"
    )


def _figure_rules(sheet, count: int) -> None:
    """Grey the figure cells the row's activity does not ask for, and refuse a value there."""
    first = column_letter(OPTIONAL_FIGURES[0])
    last = column_letter(OPTIONAL_FIGURES[-1])
    cells = f"{first}{FIRST_DATA_ROW}:{last}{VALIDATION_LAST_ROW}"
    asked = _asked_formula(count)
    code = f"$A{FIRST_DATA_ROW}"
    validation = DataValidation(
        type="custom",
        formula1=f'OR({code}="",{asked})',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=spreadsheet_value(_("Figure not asked for"))[:32],
        error=_(
            "This activity does not ask for this figure; leave the cell empty. The Activities "
            "sheet lists the figures each activity asks for."
        ),
    )
    validation.add(cells)
    sheet.add_data_validation(validation)
    sheet.conditional_formatting.add(
        cells, FormulaRule(formula=[f'AND({code}<>"",NOT({asked}))'], fill=NOT_ASKED_FILL)
    )


def build_template(
    *,
    report: Report,
    rows: Iterable[ReportRow],
    activities: list[Activity],
    area_pcodes: list[str],
    projects: Iterable = (),
) -> tempfile.TemporaryFile:
    """The template workbook, saved to a temporary file positioned at its start."""
    activity_codes = [activity.code for activity in activities]
    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = clean_sheet_title(_("Report"))
    rtl = translation.get_language_bidi()
    bold = Font(bold=True)
    sheet.append([_("Organisation"), report.organisation.name])
    sheet.append([_("Reporting period"), report.period])
    sheet.append([_("Template reference (do not change)"), reference(report)])
    sheet.append([])
    sheet.append(column.header for column in COLUMNS)
    for cell in sheet[HEADER_ROW]:
        cell.font = bold
    for cell in (sheet["A1"], sheet["A2"], sheet["A3"]):
        cell.font = bold
    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"
    sheet.sheet_view.rightToLeft = rtl
    statuses = dict(RowStatus.choices)
    for row in rows:
        values = {
            "activity_code": row.activity.code,
            "activity_name": str(row.activity.name),
            "area_pcode": row.area.pcode,
            "area_name": str(row.area.name),
            "implementing_partner": implementer_label(row),
            "implementing_other": row.implementing_other,
            "donor": row.donor,
            "status": str(statuses.get(row.status, row.status)),
            "girls": row.girls,
            "boys": row.boys,
            "women": row.women,
            "men": row.men,
            "older_people": row.older_people,
            "people_with_disabilities": row.people_with_disabilities,
            "total": row.total,
            "facility_code": row.facility.code if row.facility_id else None,
            "project_code": row.project.row_code if row.project_id else None,
        }
        sheet.append(values[key] for key in KEYS)
    for index, key in enumerate(KEYS):
        sheet.column_dimensions[column_letter(key)].width = 14 if index >= 8 else 24
    # Text, so that Excel keeps a code such as 00123 as typed rather than as the number 123.
    sheet.column_dimensions[column_letter("facility_code")].number_format = "@"
    sheet.column_dimensions[column_letter("project_code")].number_format = "@"

    lists = workbook.create_sheet("Lists")
    lists.sheet_state = "hidden"
    status_labels = [str(label) for label in statuses.values()]
    lists.append(
        [
            _("Activity codes"),
            _("Area p-codes"),
            _("Statuses"),
            *(column_header(key) for key in OPTIONAL_FIGURES),
        ]
    )
    longest = max(len(activity_codes), len(area_pcodes), len(status_labels))
    for index in range(longest):
        activity = activities[index] if index < len(activities) else None
        asked = set(activity.figures) if activity else set()
        lists.append(
            [
                activity_codes[index] if index < len(activity_codes) else None,
                area_pcodes[index] if index < len(area_pcodes) else None,
                status_labels[index] if index < len(status_labels) else None,
                *((int(key in asked) if activity else None) for key in OPTIONAL_FIGURES),
            ]
        )
    for key, list_column, count in (
        ("activity_code", "A", len(activity_codes)),
        ("area_pcode", "B", len(area_pcodes)),
        ("status", "C", len(status_labels)),
    ):
        letter = column_letter(key)
        sheet.add_data_validation(
            _list_validation(
                f"{letter}{FIRST_DATA_ROW}:{letter}{VALIDATION_LAST_ROW}",
                list_column,
                count,
                column_header(key),
            )
        )

    _figure_rules(sheet, len(activity_codes))

    catalogue = workbook.create_sheet(_("Activities"))
    catalogue.sheet_view.rightToLeft = rtl
    catalogue.append([_("Activity code"), _("Activity name"), _("Figures asked for")])
    for cell in catalogue[1]:
        cell.font = bold
    for activity in activities:
        catalogue.append([activity.code, activity.name, figures_asked(activity)])
    for letter, width in (("A", 16), ("B", 60), ("C", 60)):
        catalogue.column_dimensions[letter].width = width

    _projects_sheet(workbook, projects, rtl)

    instructions = workbook.create_sheet(_("Instructions"))
    instructions.sheet_view.rightToLeft = rtl
    instructions.column_dimensions["A"].width = 120
    for line in _instructions():
        instructions.append([line])
    instructions["A1"].font = Font(bold=True, size=14)

    handle = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    workbook.save(handle)
    handle.seek(0)
    return handle


def _projects_sheet(workbook, projects: Iterable, rtl: bool) -> None:
    """The projects the rows may name, with their code, dates and the areas they cover."""
    sheet = workbook.create_sheet(_("Projects"))
    sheet.sheet_view.rightToLeft = rtl
    sheet.append([_("Project code"), _("Title"), _("Start"), _("End"), _("Areas covered")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for project in projects:
        codes = [path.strip("/").split("/")[-1] for path in project.area_paths]
        sheet.append(
            [
                project.row_code,
                str(project.title),
                project.start,
                project.end,
                ", ".join(codes) if codes else _("Every area (not broken down)"),
            ]
        )
    for letter, width in (("A", 18), ("B", 60), ("C", 12), ("D", 12), ("E", 40)):
        sheet.column_dimensions[letter].width = width


# --- reading a filled template ---------------------------------------------------------------


class SheetRefused(Exception):
    """The file as a whole cannot be imported; ``message`` says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class SheetRow:
    number: int  # the row number as the spreadsheet shows it
    values: dict  # key -> the cell's cached value (None when empty)
    formulas: tuple[str, ...]  # keys of cells holding a formula without a cached value


@dataclass
class Sheet:
    reference: str
    rows: list[SheetRow]


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _pad(values: tuple) -> tuple:
    values = tuple(values[:WIDTH])
    return values + (None,) * (WIDTH - len(values))


def _rows_of(sheet) -> Iterator[tuple]:
    """The sheet's rows from the first, down to the row after the last one a report can
    fill or the size the sheet declares, whichever is further: openpyxl stops at the declared
    size, and a sheet may declare fewer rows than it holds."""
    last = max(sheet.max_row or 0, FIRST_DATA_ROW + MAX_ROWS)
    return sheet.iter_rows(min_row=1, max_row=last, max_col=WIDTH, values_only=True)


def _formula_rows(data: bytes) -> Iterator[tuple]:
    """The first sheet's rows with formulas as text, to tell formulas from empty cells."""
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        yield from _rows_of(workbook.worksheets[0])
    finally:
        workbook.close()


FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
SCAN_CHUNK = 1024 * 1024


def _has_formulas(data: bytes, sheet_path: str) -> bool:
    """Does the sheet's XML hold a formula anywhere? Scanned in chunks, not parsed."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        try:
            part = archive.open(sheet_path.lstrip("/"))
        except KeyError:
            return True  # not found where expected: let the full reading tell
        with part:
            tail = b""
            while chunk := part.read(SCAN_CHUNK):
                if FORMULA_TAG.search(tail + chunk):
                    return True
                tail = chunk[-64:]
    return False


def _no_formulas() -> Iterator[tuple]:
    while True:
        yield ()


def read_sheet(upload) -> Sheet:
    """The reference and the data rows of an uploaded template; SheetRefused if unusable.

    Raises ``django.core.exceptions.ValidationError`` (from ``open_workbook``) for a file
    that is not a safe, readable XLSX workbook.
    """
    with open_workbook(upload, max_bytes=MAX_UPLOAD_BYTES) as workbook:
        upload.seek(0)
        data = upload.read()
        upload.seek(0)
        if not workbook.worksheets:
            raise SheetRefused(_("The workbook has no sheet."))
        sheet = workbook.worksheets[0]
        values = _rows_of(sheet)
        sheet_path = getattr(sheet, "_worksheet_path", None)
        try:
            # Reading the sheet's part for formulas checks its CRC: a damaged part fails here.
            formulas = (
                _formula_rows(data)
                if sheet_path is None or _has_formulas(data, sheet_path)
                else _no_formulas()
            )
        except Exception as error:
            raise SheetRefused(
                _("The file %(name)s could not be read as an Excel workbook.")
                % {"name": getattr(upload, "name", "")}
            ) from error
        try:
            return _read_rows(values, formulas)
        except SheetRefused:
            raise
        except Exception as error:  # the sheet's XML is parsed only while it is read
            raise SheetRefused(
                _("The file %(name)s could not be read as an Excel workbook.")
                % {"name": getattr(upload, "name", "")}
            ) from error
        finally:
            formulas.close()


def _read_rows(values: Iterator[tuple], formulas: Iterator[tuple]) -> Sheet:
    found_reference = ""
    rows: list[SheetRow] = []
    for number, (cached, written) in enumerate(zip(values, formulas, strict=False), start=1):
        cached, written = _pad(cached), _pad(written)
        if number == REFERENCE_ROW:
            found_reference = str(cached[1] or "").strip()
            continue
        if number < FIRST_DATA_ROW:
            continue
        pending = tuple(
            KEYS[index]
            for index in range(WIDTH)
            if cached[index] is None
            and isinstance(written[index], str)
            and written[index].startswith("=")
        )
        if not pending and all(_blank(value) for value in cached):
            continue
        if len(rows) >= MAX_ROWS:
            raise SheetRefused(
                _(
                    "The sheet holds more than %(count)s rows, the most an activity report "
                    "can hold; it was not imported."
                )
                % {"count": f"{MAX_ROWS:,}"}
            )
        rows.append(
            SheetRow(number=number, values=dict(zip(KEYS, cached, strict=True)), formulas=pending)
        )
    if not found_reference:
        raise SheetRefused(
            _(
                "This file is not the portal's template for activity reports: its reference "
                "is missing. Download the template from the report's page and fill it in."
            )
        )
    return Sheet(reference=found_reference, rows=rows)
