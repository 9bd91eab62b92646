"""The facility registry's exports: the facilities with their current status, and the
history of their statuses (coordinators), as CSV, Excel, or CSV with a row of HXL hashtags
under the header.

The registry is exported to whoever sees the facilities (``partners.disclosure
.sees_facilities``: members and coordinators, the public only where the deployment publishes
their locations), filtered as the list is; its status is the current one, validated and
recent enough (``facilities.selectors.current_status``), never who recorded it or from what
source. The history holds every status in every review state, with its source and
organisation, for the coordinators. Names are in the page's language; every cell goes
through ``core.exports``, which neutralises formulas.
"""

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.exports import Column, stream_csv, xlsx_response
from facilities import selectors
from facilities.models import Cause, Facility, FacilityStatus
from locations.models import AdminArea, AdminLevel

FORMATS = ("csv", "xlsx", "hxl")
CHUNK_SIZE = 2000
CAUSES = dict(Cause.choices)


def _ancestor(area: AdminArea | None, level: int) -> AdminArea | None:
    """The area or its parent at ``level`` (the parents are read with it)."""
    while area is not None and area.level > level:
        area = area.parent
    return area if area is not None and area.level == level else None


def _area(level: int, attribute: str, of=lambda row: row.area):
    def read(row) -> str:
        area = _ancestor(of(row), level)
        return str(getattr(area, attribute)) if area else ""

    return read


def _causes(status: FacilityStatus | None) -> str:
    if status is None:
        return ""
    return "; ".join(str(CAUSES.get(code, code)) for code in status.causes)


def _current(name: str):
    """A value of the facility's current status; empty without one."""

    def read(facility: Facility):
        status = facility.current
        if status is None:
            return ""
        display = getattr(status, f"get_{name}_display", None)
        return display() if display else getattr(status, name)

    return read


def _functionality(facility: Facility) -> str:
    if facility.current is None:
        return str(_("No recent data"))
    return facility.current.get_functionality_display()


def _supporters(facility: Facility) -> str:
    names = dict.fromkeys(str(support.organisation.name) for support in facility.current_supports)
    return "; ".join(names)


def _domains(facility: Facility) -> str:
    return "; ".join(str(domain.name) for domain in facility.domains.all())


REGISTRY_COLUMNS = [
    Column(_("Code"), "#loc+code", "code"),
    Column(_("Name"), "#loc+name", lambda facility: facility.name),
    Column(_("Type"), "#loc+type", lambda facility: facility.type.name),
    Column(_("Ownership"), "#loc+ownership", lambda facility: facility.get_ownership_display()),
    Column(_("Admin 1"), "#adm1+name", _area(AdminLevel.ADMIN1, "name")),
    Column(_("Admin 1 p-code"), "#adm1+code", _area(AdminLevel.ADMIN1, "pcode")),
    Column(_("Admin 2"), "#adm2+name", _area(AdminLevel.ADMIN2, "name")),
    Column(_("Admin 2 p-code"), "#adm2+code", _area(AdminLevel.ADMIN2, "pcode")),
    Column(_("Longitude"), "#geo+lon", "longitude"),
    Column(_("Latitude"), "#geo+lat", "latitude"),
    Column(_("Services offered"), "#subsector", _domains),
    Column(_("Functionality"), "#status", _functionality),
    Column(_("Building condition"), "#status+building", _current("building")),
    Column(_("Accessibility"), "#status+access", _current("accessibility")),
    Column(_("Causes"), "#status+causes", lambda facility: _causes(facility.current)),
    Column(_("Beds"), "#capacity+beds", _current("beds")),
    Column(_("Status on"), "#date", _current("as_of")),
    Column(_("Supported by"), "#org", _supporters),
]


def _facility(row: FacilityStatus):
    return row.facility.area


def _reported_by(status: FacilityStatus) -> str:
    return str(status.organisation.name) if status.organisation else str(_("The cluster itself"))


HISTORY_COLUMNS = [
    Column(_("Facility code"), "#loc+code", "facility.code"),
    Column(_("Facility"), "#loc+name", lambda status: status.facility.name),
    Column(_("Admin 1 p-code"), "#adm1+code", _area(AdminLevel.ADMIN1, "pcode", _facility)),
    Column(_("Admin 2 p-code"), "#adm2+code", _area(AdminLevel.ADMIN2, "pcode", _facility)),
    Column(_("Status on"), "#date", "as_of"),
    Column(_("Functionality"), "#status", lambda status: status.get_functionality_display()),
    Column(_("Building condition"), "#status+building", lambda s: s.get_building_display()),
    Column(_("Accessibility"), "#status+access", lambda s: s.get_accessibility_display()),
    Column(_("Causes"), "#status+causes", _causes),
    Column(_("Beds"), "#capacity+beds", "beds"),
    Column(_("Source"), "#meta+source", "source"),
    Column(_("Reported by"), "#org", _reported_by),
    Column(_("Review"), "#status+review", lambda status: status.get_state_display()),
    Column(_("Recorded at"), "#date+recorded", "created_at"),
    Column(_("Reviewed at"), "#date+reviewed", "reviewed_at"),
]


def _response(rows, columns, fmt: str, stem: str, sheet_title) -> HttpResponse:
    name = f"{stem}-{timezone.localdate():%Y-%m-%d}"
    if fmt == "xlsx":
        return xlsx_response(rows, columns, filename=f"{name}.xlsx", sheet_title=str(sheet_title))
    if fmt == "hxl":
        return stream_csv(rows, columns, filename=f"{name}.hxl.csv", hxl=True)
    return stream_csv(rows, columns, filename=f"{name}.csv")


def registry_response(facilities: QuerySet[Facility], fmt: str) -> HttpResponse:
    """The facilities of ``facilities`` (already filtered) with their current status."""
    rows = selectors.export_rows(facilities, chunk_size=CHUNK_SIZE)
    return _response(rows, REGISTRY_COLUMNS, fmt, "health-facilities", _("Health facilities"))


def history_response(facilities: QuerySet[Facility], fmt: str) -> HttpResponse:
    """Every status of the facilities of ``facilities``, in every review state."""
    rows = selectors.status_history(facilities).iterator(chunk_size=CHUNK_SIZE)
    return _response(rows, HISTORY_COLUMNS, fmt, "health-facility-statuses", _("Facility statuses"))
