"""The SSA-shaped export of verified attacks on health care, for coordinators: CSV, Excel,
and CSV with a row of HXL tags under the header.

One row per incident, with the columns WHO's Surveillance System for Attacks on health care
(SSA) records, so the cluster can reconcile its list with WHO's: the date; the country,
admin1 and admin2 names and p-codes; the facility; the types of attack and the resources
affected (each joined with "; "); health workers and patients killed and injured; the
certainty and the source. The description is left out: the file is made to be shared with
WHO's country office. Every cell goes through ``core.exports``, which neutralises formulas.
"""

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.exports import Column, stream_csv, xlsx_response
from facilities.incident_selectors import export_rows
from facilities.models import Incident, Resource
from locations.models import AdminArea, AdminLevel

FORMATS = ("csv", "xlsx", "hxl")

# Rows fetched per round trip while a file is written.
CHUNK_SIZE = 2000

RESOURCE_NAMES = dict(Resource.choices)


def _at(incident: Incident, level: int) -> AdminArea | None:
    """The incident's area or its parent at ``level`` (the parents are loaded with it)."""
    area = incident.area
    while area is not None and area.level > level:
        area = area.parent
    return area if area is not None and area.level == level else None


def _name(level: int):
    def read(incident: Incident) -> str:
        area = _at(incident, level)
        return str(area.name) if area else ""

    return read


def _code(level: int):
    def read(incident: Incident) -> str:
        area = _at(incident, level)
        return area.pcode if area else ""

    return read


def _types(incident: Incident) -> str:
    return "; ".join(str(kind.name) for kind in incident.attack_types.all())


def _resources(incident: Incident) -> str:
    return "; ".join(str(RESOURCE_NAMES.get(code, code)) for code in incident.resources)


def _facility_name(incident: Incident) -> str:
    return str(incident.facility.name) if incident.facility else ""


def _facility_code(incident: Incident) -> str:
    return incident.facility.code if incident.facility else ""


COLUMNS = [
    Column(_("Incident ID"), "#event+id", "pk"),
    Column(_("Date"), "#date+occurred", "date"),
    Column(_("Country"), "#country+name", _name(AdminLevel.ADMIN0)),
    Column(_("Country p-code"), "#country+code", _code(AdminLevel.ADMIN0)),
    Column(_("Admin 1"), "#adm1+name", _name(AdminLevel.ADMIN1)),
    Column(_("Admin 1 p-code"), "#adm1+code", _code(AdminLevel.ADMIN1)),
    Column(_("Admin 2"), "#adm2+name", _name(AdminLevel.ADMIN2)),
    Column(_("Admin 2 p-code"), "#adm2+code", _code(AdminLevel.ADMIN2)),
    Column(_("Health facility"), "#loc+name", _facility_name),
    Column(_("Health facility code"), "#loc+code", _facility_code),
    Column(_("Types of attack"), "#event+type", _types),
    Column(_("Resources affected"), "#impact+type", _resources),
    Column(_("Health workers killed"), "#affected+killed+hcw", "health_workers_killed"),
    Column(_("Health workers injured"), "#affected+injured+hcw", "health_workers_injured"),
    Column(_("Patients killed"), "#affected+killed+patients", "patients_killed"),
    Column(_("Patients injured"), "#affected+injured+patients", "patients_injured"),
    Column(_("Certainty"), "#meta+certainty", lambda incident: incident.get_certainty_display()),
    Column(_("Source"), "#meta+source", "source"),
]


def _filename(extension: str) -> str:
    return f"attacks-on-health-care-{timezone.localdate():%Y-%m-%d}.{extension}"


def export_response(incidents: QuerySet, fmt: str) -> HttpResponse:
    """The verified incidents of ``incidents`` (already filtered) in the chosen format."""
    rows = export_rows(incidents).iterator(chunk_size=CHUNK_SIZE)
    if fmt == "xlsx":
        return xlsx_response(
            rows,
            COLUMNS,
            filename=_filename("xlsx"),
            sheet_title=str(_("Attacks on health care")),
        )
    if fmt == "hxl":
        return stream_csv(rows, COLUMNS, filename=_filename("hxl.csv"), hxl=True)
    return stream_csv(rows, COLUMNS, filename=_filename("csv"))
