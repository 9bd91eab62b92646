"""Exports of the registry: one row per finding, as CSV, HXL-tagged CSV or Excel.

The columns follow the usual 3W/HNO layout (organisation, admin1, admin2, sector,
severity, people in need, dates) with HXL hashtags, so the file can be read by the
HDX tools and joined to other clusters' data on the p-codes.
"""

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Finding
from assessments.selectors import export_findings
from core.exports import Column, stream_csv, xlsx_response
from locations.models import AdminArea, AdminLevel

FORMATS = ("csv", "xlsx", "hxl")

# Rows fetched per round trip while a CSV streams.
CHUNK_SIZE = 2000


def _admin1(finding: Finding) -> AdminArea | None:
    area = finding.area
    if area.level == AdminLevel.ADMIN1:
        return area
    if area.level == AdminLevel.ADMIN2:
        return area.parent
    if area.level == AdminLevel.ADMIN3:
        return area.parent.parent if area.parent else None
    return None


def _admin2(finding: Finding) -> AdminArea | None:
    area = finding.area
    if area.level == AdminLevel.ADMIN2:
        return area
    if area.level == AdminLevel.ADMIN3:
        return area.parent
    return None


def _name(area: AdminArea | None) -> str:
    return str(area.name) if area else ""


def _code(area: AdminArea | None) -> str:
    return area.pcode if area else ""


COLUMNS = [
    Column(
        _("Organisation"),
        "#org",
        lambda finding: finding.assessment.lead_organisation.name,
    ),
    Column(_("Admin 1"), "#adm1+name", lambda finding: _name(_admin1(finding))),
    Column(_("Admin 1 p-code"), "#adm1+code", lambda finding: _code(_admin1(finding))),
    Column(_("Admin 2"), "#adm2+name", lambda finding: _name(_admin2(finding))),
    Column(_("Admin 2 p-code"), "#adm2+code", lambda finding: _code(_admin2(finding))),
    Column(_("Health domain"), "#sector", lambda finding: finding.domain.name),
    Column(_("Severity"), "#severity", "severity"),
    Column(_("People in need"), "#inneed", "people_in_need"),
    Column(_("Start date"), "#date+start", "assessment.start_date"),
    Column(_("End date"), "#date+end", "assessment.end_date"),
    Column(_("Assessment"), "#meta+title", lambda finding: finding.assessment.title),
    Column(_("Assessment ID"), "#meta+id", "assessment_id"),
]


def _filename(extension: str) -> str:
    return f"needs-assessments-{timezone.localdate():%Y-%m-%d}.{extension}"


def export_response(assessments: QuerySet, fmt: str) -> HttpResponse:
    """The findings of ``assessments`` (already scoped to the user) in the chosen format."""
    rows = export_findings(assessments).iterator(chunk_size=CHUNK_SIZE)
    if fmt == "xlsx":
        return xlsx_response(
            rows, COLUMNS, filename=_filename("xlsx"), sheet_title=str(_("Findings"))
        )
    if fmt == "hxl":
        return stream_csv(rows, COLUMNS, filename=_filename("hxl.csv"), hxl=True)
    return stream_csv(rows, COLUMNS, filename=_filename("csv"))
