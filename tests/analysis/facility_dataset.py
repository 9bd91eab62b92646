"""Health facilities whose figures are computed by hand (issue 25).

Areas: North (N1 inside) and South (S1 inside). LATEST_MAX_AGE is 3: a status counts at the
end of a month when it is dated that day or before and its month is at most three months
earlier. Validated statuses (and one that is not):

  H1 hospital, N1: 10 Jan fully, 5 Mar not (it closes), 2 Apr partially (it reopens)
  H2 hospital, S1: 1 Feb partially; 20 Apr "not" submitted, not validated: ignored
  H3 hospital, N1, no coordinates: no status at all
  P1 health centre, S1: 15 Dec 2025 fully (too old by the end of April)
  P2 health centre, N1: 20 Jan not, supported by Alpha from 1 January
  P3 health centre, S1: 10 Feb not, supported by nobody: a gap

At the end of each month (fully, partially, not, no recent data):
  Jan: H1 fully, P1 fully, P2 not; H2, H3, P3 none          → 2 0 1 3
  Feb: H1 fully, H2 partially, P1 fully, P2 not, P3 not       → 2 1 2 1
  Mar: H1 not, H2 partially, P1 fully, P2 not, P3 not         → 1 1 3 1
  Apr: H1 partially, H2 partially, P2 not, P3 not; P1, H3 none → 0 2 2 2
Hospitals functioning (fully or partially, of 3): Jan 1, Feb 2, Mar 1, Apr 2 (67 %).
"""

import datetime

from shapely.geometry import box, mapping

from facilities.models import (
    Accessibility,
    BuildingCondition,
    Facility,
    FacilityStatus,
    FacilitySupport,
    FacilityType,
    Functionality,
    Ownership,
    ReviewState,
    SupportKind,
)
from locations.models import AdminArea, AdminLevel, AreaBoundary
from tests.factories import AdminAreaFactory, CountryFactory, OrganisationFactory

JAN = datetime.date(2026, 1, 1)
FULLY, PARTIALLY, NOT = Functionality.FULLY, Functionality.PARTIALLY, Functionality.NOT


def build_facilities() -> dict:
    """The dataset of the module's docstring (LATEST_MAX_AGE must be 3)."""
    country = CountryFactory()
    north = AdminAreaFactory(pcode="QQ1", name_en="North", parent=country)
    south = AdminAreaFactory(pcode="QQ2", name_en="South", parent=country)
    n1 = AdminAreaFactory(pcode="QQ101", level=AdminLevel.ADMIN2, parent=north)
    s1 = AdminAreaFactory(pcode="QQ201", level=AdminLevel.ADMIN2, parent=south)
    # The migration loads the types; a transactional test before this one may have emptied them.
    hospital = FacilityType.objects.update_or_create(
        code="hospital", defaults={"name_en": "Hospital", "is_hospital": True}
    )[0]
    centre = FacilityType.objects.update_or_create(
        code="phc", defaults={"name_en": "Primary health care centre", "is_hospital": False}
    )[0]

    def facility(code, kind, area, located=True):
        return Facility.objects.create(
            code=code,
            name_en=code,
            type=kind,
            ownership=Ownership.PUBLIC,
            area=area,
            longitude=35 if located else None,
            latitude=32 if located else None,
        )

    def status(place, day, functionality, state=ReviewState.VALIDATED):
        FacilityStatus.objects.create(
            facility=place,
            as_of=day,
            functionality=functionality,
            building=BuildingCondition.NOT_DAMAGED,
            accessibility=Accessibility.FULLY,
            causes=[] if functionality == FULLY else ["utilities"],
            source="test",
            state=state,
        )

    h1, h2 = facility("H1", hospital, n1), facility("H2", hospital, s1)
    h3 = facility("H3", hospital, n1, located=False)
    p1, p2, p3 = facility("P1", centre, s1), facility("P2", centre, n1), facility("P3", centre, s1)
    status(h1, datetime.date(2026, 1, 10), FULLY)
    status(h1, datetime.date(2026, 3, 5), NOT)
    status(h1, datetime.date(2026, 4, 2), PARTIALLY)
    status(h2, datetime.date(2026, 2, 1), PARTIALLY)
    status(h2, datetime.date(2026, 4, 20), NOT, state=ReviewState.SUBMITTED)
    status(p1, datetime.date(2025, 12, 15), FULLY)
    status(p2, datetime.date(2026, 1, 20), NOT)
    status(p3, datetime.date(2026, 2, 10), NOT)
    FacilitySupport.objects.create(
        facility=p2, organisation=OrganisationFactory(), kind=SupportKind.STAFF, start=JAN
    )
    return {"north": north, "south": south, "h3": h3, "p3": p3}


def draw_the_facility_areas() -> None:
    """Square boundaries for the dataset's areas, so that the tab draws its maps: North
    (QQ1, whose district is QQ101) above South (QQ2, QQ201); the located facilities stand
    on the corner they share."""
    squares = {"QQ101": box(35.0, 32.0, 35.5, 32.5), "QQ201": box(35.0, 31.5, 35.5, 32.0)}
    squares |= {"QQ1": squares["QQ101"], "QQ2": squares["QQ201"]}
    for pcode, geometry in squares.items():
        AreaBoundary.objects.create(
            area=AdminArea.objects.get(pcode=pcode),
            geometry=mapping(geometry),
            outline=mapping(geometry),
        )
