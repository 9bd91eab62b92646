"""The findings sheet: an Excel template to fill in offline, and reading it back.

The template has one row per area covered and active health domain (p-code, area
name, domain code, domain name, severity, people in need), filled with the findings
already recorded, drop-down lists for the severity and the domain codes, and a
sheet of instructions in the user's language. Columns are read by position, so a
sheet made in Arabic reads the same as one made in English. The cells are written through
``core.exports.new_workbook``: a name or code that looks like a formula is written as text
(with a leading quote), read back without it.

Reading checks every row and reports every problem with its row number. A row with
neither severity nor people in need asks for no finding there: a finding recorded on it is
to be removed, once the user has confirmed it. Findings on rows the sheet does not list are
kept, unless the user chose to replace every finding. Nothing is imported unless every row
is valid: the caller passes the rows to ``services.findings_plan`` to show what would change,
then to ``services.findings_save``, which writes them in one transaction.
"""

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from assessments.attachments import XLSX, sniff
from assessments.models import Assessment, Severity
from assessments.selectors import finding_areas
from assessments.services import SEVERITIES, FindingInput, FindingKey, covered_paths, covers
from core.errors import reading_input
from core.exports import new_workbook, unneutralise
from core.inputs import (
    INT_MIN,
    is_storable_text,
    message_of,
    parse_whole_number,
    whole_number_or_none,
)
from core.spreadsheets import open_workbook, sheet_rows
from locations.models import AdminArea
from strategy.models import HealthDomain

SHEET_NAME = "Findings"
LISTS_SHEET = "Lists"
INSTRUCTIONS_SHEET = "Instructions"
MAX_ROWS = 20_000
MAX_ERRORS_SHOWN = 50
FIRST_DATA_ROW = 2
LAST_DATA_ROW = FIRST_DATA_ROW + MAX_ROWS - 1
COLUMN_WIDTHS = (16, 34, 22, 40, 12, 16)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _headers() -> list[str]:
    return [
        _("Area p-code"),
        _("Area name"),
        _("Domain code"),
        _("Domain name"),
        _("Severity (1 to 5)"),
        _("People in need"),
    ]


def template_filename(assessment: Assessment) -> str:
    return f"assessment-{assessment.pk}-findings.xlsx"


def build_template(assessment: Assessment) -> bytes:
    """The findings sheet of the assessment, in the active language, as XLSX bytes."""
    findings = list(assessment.findings.select_related("area"))
    areas = finding_areas(assessment, findings)
    domains = list(HealthDomain.objects.active())
    existing = {(finding.area_id, finding.domain_id): finding for finding in findings}

    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    sheet.append(_headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    for index, width in enumerate(COLUMN_WIDTHS):
        sheet.column_dimensions["ABCDEF"[index]].width = width

    for area in areas:
        for domain in domains:
            finding = existing.get((area.pk, domain.pk))
            sheet.append(
                [
                    area.pcode,
                    str(area.name),
                    domain.code,
                    str(domain.name),
                    finding.severity if finding else None,
                    finding.people_in_need if finding else None,
                ]
            )
    last_row = max(sheet.max_row, FIRST_DATA_ROW) + 500

    lists = workbook.create_sheet(LISTS_SHEET)
    lists.append([_("Domain code"), _("Domain name")])
    for domain in domains:
        lists.append([domain.code, str(domain.name)])
    lists.sheet_state = "hidden"

    severity_rule = DataValidation(
        type="whole",
        operator="between",
        formula1="1",
        formula2="5",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Severity"),
        error=_("The severity is a whole number from 1 to 5."),
    )
    severity_rule.add(f"E{FIRST_DATA_ROW}:E{last_row}")
    people_rule = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("People in need"),
        error=_("The people in need is a whole number, 0 or more."),
    )
    people_rule.add(f"F{FIRST_DATA_ROW}:F{last_row}")
    domain_rule = DataValidation(
        type="list",
        formula1=f"{LISTS_SHEET}!$A$2:$A${len(domains) + 1}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Domain code"),
        error=_("Choose one of the health domain codes."),
    )
    domain_rule.add(f"C{FIRST_DATA_ROW}:C{last_row}")
    for rule in (severity_rule, people_rule, domain_rule):
        sheet.add_data_validation(rule)

    instructions = workbook.create_sheet(INSTRUCTIONS_SHEET)
    instructions.column_dimensions["A"].width = 110
    lines = [
        _("Findings of the assessment: %(title)s") % {"title": assessment.title},
        _(
            "Fill in the sheet named Findings: one row per area and health domain. Keep the "
            "area p-code and the domain code; the names are only there to help you."
        ),
        _(
            "Severity: a whole number from 1 to 5. Leave both severity and people in need "
            "empty where the assessment found nothing to report."
        ),
        *[
            _("%(number)d: %(label)s") % {"number": value, "label": label}
            for value, label in Severity.choices
        ],
        _("People in need: a whole number, 0 or more; it may be left empty."),
        _(
            "You may add rows for areas inside the areas covered (for example a district of a "
            "governorate covered), with their p-code."
        ),
        _(
            "Uploading the sheet adds and changes the findings it lists. Emptying both the "
            "severity and the people in need of a row removes its finding; findings the sheet "
            "does not list are kept. Before removing anything, the portal lists what would be "
            "removed and asks you to confirm. If any row has a problem, nothing is imported "
            "and the portal lists the rows to correct."
        ),
    ]
    for line in lines:
        instructions.append([line])
    instructions["A1"].font = Font(bold=True, size=13)
    for row in instructions.iter_rows():
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    workbook.move_sheet(INSTRUCTIONS_SHEET, offset=-2)
    workbook.active = 1
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


@dataclass
class _Row:
    number: int
    pcode: str
    domain_code: str
    severity: object
    people: object


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unneutralise(str(value)).strip()


def _whole_number(value) -> int | None:
    """The value as a whole number, or None when it is not one (12.0 and "12" are)."""
    return whole_number_or_none(value, minimum=INT_MIN)


def _people_problem(number: int, error: ValidationError) -> str:
    return _("Row %(number)s, %(field)s: %(problem)s") % {
        "number": number,
        "field": _("people in need"),
        "problem": message_of(error),
    }


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _check_used_rows(sheet) -> None:
    """Refuse a sheet whose declared size (read before any row) goes past the last row
    allowed: one row too many is refused at once, not after reading 20,000."""
    last = sheet.max_row  # from the sheet's <dimension>; None when it has none
    if last is not None and last > LAST_DATA_ROW:
        raise ValidationError(
            _(
                "The sheet uses rows down to row %(last)s; it may hold at most %(limit)s "
                "rows, from row 2 to row %(end)s. Delete the rows below your data, even "
                "those that look empty, and upload it again."
            )
            % {
                "last": number_format(last, force_grouping=True),
                "limit": number_format(MAX_ROWS, force_grouping=True),
                "end": number_format(LAST_DATA_ROW, force_grouping=True),
            },
            code="too_many_rows",
        )


@reading_input(gettext_lazy("the findings sheet"))
def _read_rows(upload) -> list[_Row]:
    if sniff(upload) != XLSX:
        raise ValidationError(
            _("The file %(name)s is not an Excel (XLSX) workbook.") % {"name": upload.name},
            code="bad_type",
        )
    with open_workbook(upload) as workbook:
        if SHEET_NAME not in workbook.sheetnames:
            raise ValidationError(
                _("The workbook has no sheet named %(sheet)s. Start from the template.")
                % {"sheet": SHEET_NAME},
                code="no_sheet",
            )
        sheet = workbook[SHEET_NAME]
        _check_used_rows(sheet)
        rows = []
        # Never past the row after the last one allowed, whatever the sheet says of its size.
        values_of = sheet.iter_rows(
            min_row=FIRST_DATA_ROW, max_row=LAST_DATA_ROW + 1, max_col=6, values_only=True
        )
        for number, values in enumerate(sheet_rows(upload, values_of), start=FIRST_DATA_ROW):
            values = list(values) + [None] * (6 - len(values))
            if all(_blank(value) for value in values):
                continue
            if number > LAST_DATA_ROW:
                raise ValidationError(
                    _("The sheet has more than %(limit)d rows.") % {"limit": MAX_ROWS},
                    code="too_many_rows",
                )
            rows.append(
                _Row(
                    number=number,
                    pcode=_text(values[0]),
                    domain_code=_text(values[2]),
                    severity=values[4],
                    people=values[5],
                )
            )
        return rows


@dataclass
class SheetFindings:
    """What a valid sheet asks for: findings to record, and rows emptied (no finding there)."""

    findings: list[FindingInput]
    cleared: list[FindingKey]


def _cleared_key(row: _Row, areas: dict, domains: dict) -> FindingKey | None:
    area, domain = areas.get(row.pcode), domains.get(row.domain_code)
    return (area.pk, domain.pk) if area is not None and domain is not None else None


def parse_upload(assessment: Assessment, upload) -> SheetFindings:
    """The findings in an uploaded sheet; a ValidationError listing every bad row otherwise."""
    rows = _read_rows(upload)
    covered = covered_paths(assessment.areas.all())
    pcodes = {row.pcode for row in rows if row.pcode and is_storable_text(row.pcode)}
    areas = {area.pcode: area for area in AdminArea.objects.filter(pcode__in=pcodes)}
    domains = {domain.code: domain for domain in HealthDomain.objects.active()}

    errors: list[str] = []
    findings: list[FindingInput] = []
    cleared: list[FindingKey] = []
    seen: dict[tuple[int, int], int] = {}
    for row in rows:
        if _blank(row.severity) and _blank(row.people):
            key = _cleared_key(row, areas, domains)
            if key is not None:
                cleared.append(key)
            continue
        problems = []
        names = {"row": row.number, "pcode": row.pcode, "code": row.domain_code}
        area = areas.get(row.pcode)
        if not row.pcode:
            problems.append(_("Row %(row)d: the area p-code is missing.") % names)
        elif area is None:
            problems.append(_("Row %(row)d: no area has the p-code %(pcode)s.") % names)
        elif not covers(covered, area):
            problems.append(
                _(
                    "Row %(row)d: the area %(pcode)s is not covered by the assessment, "
                    "nor inside an area it covers."
                )
                % names
            )
        domain = domains.get(row.domain_code)
        if not row.domain_code:
            problems.append(_("Row %(row)d: the domain code is missing.") % names)
        elif domain is None:
            problems.append(_("Row %(row)d: no health domain has the code %(code)s.") % names)
        severity = None if _blank(row.severity) else _whole_number(row.severity)
        if _blank(row.severity):
            problems.append(
                _("Row %(row)d: give a severity from 1 to 5 for the people in need.") % names
            )
        elif severity not in SEVERITIES:
            problems.append(
                _("Row %(row)d: the severity must be a whole number from 1 to 5.") % names
            )
        try:
            people = parse_whole_number(row.people)
        except ValidationError as error:
            people = None
            problems.append(_people_problem(row.number, error))
        if people is not None and people < 0:
            problems.append(
                _("Row %(row)d: the people in need must be a whole number, 0 or more.") % names
            )
        if area is not None and domain is not None:
            key = (area.pk, domain.pk)
            if key in seen:
                problems.append(
                    _("Row %(row)d repeats the area and domain of row %(first)d.")
                    % {**names, "first": seen[key]}
                )
            else:
                seen[key] = row.number
        if problems:
            errors.extend(problems)
            continue
        findings.append(
            FindingInput(area=area, domain=domain, severity=severity, people_in_need=people)
        )
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        if len(errors) > MAX_ERRORS_SHOWN:
            shown.append(
                _("And %(count)d more problems.") % {"count": len(errors) - MAX_ERRORS_SHOWN}
            )
        raise ValidationError(shown, code="bad_rows")
    return SheetFindings(findings=findings, cleared=cleared)
