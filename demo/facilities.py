"""Demoland's health facilities, a year of their status, the partners supporting them, and
the attacks on health care recorded there.

About 230 facilities: in each district of the four first governorates a hospital, health
centres, mobile clinics and a medical point in a shelter, in the others a general hospital
each and a health centre per district, placed at random inside the district's invented
boundary; two field hospitals. Each has a status every month or two over the last year,
validated, except a few of the last month still waiting for review; the governorates hit
hardest lose more. Partners support about two thirds of them (the focal point's
organisation, DHA, three hospitals, so that it can record their status). About three dozen
incidents, most verified, a few still to verify and one dismissed. Dates are placed before
the day of the first run and kept: running the seed again changes nothing.
"""

import datetime
import random

import shapely
from django.utils import timezone
from shapely.geometry import shape
from simple_history.utils import bulk_create_with_history

from core.signals import rows_written
from facilities.defaults import load_lists
from facilities.models import (
    Accessibility,
    AttackType,
    BuildingCondition,
    Cause,
    Certainty,
    Facility,
    FacilityStatus,
    FacilitySupport,
    FacilityType,
    Functionality,
    Incident,
    IncidentState,
    Ownership,
    Resource,
    ReviewState,
    SupportKind,
)
from locations.models import AdminArea, AreaBoundary
from partners.models import Organisation, OrganisationStatus

SEED = 25
MONTHS = 12
INCIDENTS = 36
# How hard each governorate is hit: the chance, each month, that a facility's status worsens.
HARDSHIP = {
    "DL01": 0.08,
    "DL02": 0.25,
    "DL03": 0.12,
    "DL04": 0.35,
    "DL13": 0.2,
    "DL19": 0.25,
    "DL20": 0.4,
}
KINDS = [
    # (type code, how many per district, English name, Arabic name, ownership)
    ("hospital", 1, "{place} General Hospital", "مستشفى {place} العام", Ownership.PUBLIC),
    (
        "phc",
        6,
        "{place} Health Centre {number}",
        "المركز الصحي {number} في {place}",
        Ownership.PUBLIC,
    ),
    (
        "mobile-clinic",
        2,
        "{place} Mobile Clinic {number}",
        "العيادة المتنقلة {number} في {place}",
        Ownership.NGO,
    ),
    (
        "shelter-point",
        1,
        "{place} Shelter Medical Point",
        "النقطة الطبية في مركز إيواء {place}",
        Ownership.NGO,
    ),
]


# The four first governorates have a full network (``KINDS`` in every district); the others a
# general hospital in their first district and a health centre in each district.
FULL_NETWORK = ("DL01", "DL02", "DL03", "DL04")


def _kinds(area: AdminArea, first_in_governorate: bool) -> list:
    if area.pcode[:4] in FULL_NETWORK:
        return KINDS
    hospital, phc = KINDS[0], ("phc", 1, *KINDS[1][2:])
    return [hospital, phc] if first_in_governorate else [phc]


def seed() -> str:
    """Create the demo facilities, statuses, supports and incidents once; a one-line summary."""
    areas = _leaf_areas()
    partners = list(
        Organisation.objects.filter(status=OrganisationStatus.APPROVED).exclude(acronym="")
    )
    if not areas or not partners:
        return "Facilities: skipped (seed the Demoland areas, with boundaries, and partners first)."
    load_lists(AttackType, FacilityType)
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo data
    today = timezone.localdate()
    added, statuses = 0, []
    for facility, area in _facilities(rng, areas):
        if Facility.objects.filter(code=facility.code).exists():
            continue
        facility.save()
        added += 1
        _supports(rng, facility, partners, today)
        statuses += _statuses(rng, facility, area, today)
    # In a few statements, as the facilities' import does, and the caches told so.
    bulk_create_with_history(statuses, FacilityStatus, batch_size=500, default_date=timezone.now())
    rows_written.send(sender=FacilityStatus)
    incidents = _incidents(rng, areas, today)
    return (
        f"Facilities: {added} added ({Facility.objects.count()} in all, "
        f"{FacilityStatus.objects.count()} statuses); {incidents} incidents added."
    )


def _leaf_areas() -> list[tuple[AdminArea, object]]:
    """Demoland's areas of the deepest level with a boundary, each with its shape."""
    boundaries = AreaBoundary.objects.filter(area__pcode__startswith="DL", area__level__gte=2)
    found = {b.area.pcode: (b.area, shape(b.geometry)) for b in boundaries.select_related("area")}
    leaves = [
        pair
        for pcode, pair in sorted(found.items())
        if not any(other != pcode and other.startswith(pcode) for other in found)
    ]
    return leaves


def _facilities(rng: random.Random, areas):
    types = {kind.code: kind for kind in FacilityType.objects.all()}
    number = 0
    governorates = set()
    for area, outline in areas:
        place_en, place_ar = area.name_en, area.name_ar or area.name_en
        kinds = _kinds(area, area.pcode[:4] not in governorates)
        governorates.add(area.pcode[:4])
        for code, count, name_en, name_ar, ownership in kinds:
            for index in range(1, count + 1):
                number += 1
                point = _inside(rng, outline)
                yield (
                    Facility(
                        code=f"DL-HF-{number:03d}",
                        name_en=name_en.format(place=place_en, number=index),
                        name_ar=name_ar.format(place=place_ar, number=index),
                        type=types[code],
                        ownership=ownership,
                        area=area,
                        longitude=round(point.x, 6),
                        latitude=round(point.y, 6),
                    ),
                    area,
                )
    for index, (area, outline) in enumerate(rng.sample(areas, 2), start=1):
        point = _inside(rng, outline)
        yield (
            Facility(
                code=f"DL-FH-{index:02d}",
                name_en=f"Field Hospital {index}, {area.name_en}",
                name_ar=f"المستشفى الميداني {index}، {area.name_ar or area.name_en}",
                type=types["field-hospital"],
                ownership=Ownership.UN,
                area=area,
                longitude=round(point.x, 6),
                latitude=round(point.y, 6),
            ),
            area,
        )


def _inside(rng: random.Random, outline):
    west, south, east, north = outline.bounds
    while True:
        point = shapely.Point(rng.uniform(west, east), rng.uniform(south, north))
        if outline.contains(point):
            return point


def _supports(rng: random.Random, facility: Facility, partners, today) -> None:
    dha = next((org for org in partners if org.acronym == "DHA"), None)
    chosen = []
    if (
        facility.type.code == "hospital"
        and dha
        and facility.code in ("DL-HF-001", "DL-HF-011", "DL-HF-021")
    ):
        chosen.append(dha)
    if rng.random() < 0.65:
        chosen += rng.sample(partners, rng.choice((1, 1, 2)))
    for organisation in dict.fromkeys(chosen):
        start = today.replace(day=1) - datetime.timedelta(days=rng.randint(380, 560))
        ended = rng.random() < 0.1 and organisation != dha
        FacilitySupport.objects.create(
            facility=facility,
            organisation=organisation,
            kind=rng.choice(list(SupportKind.values)),
            start=start,
            end=today - datetime.timedelta(days=rng.randint(40, 200)) if ended else None,
        )


def _statuses(
    rng: random.Random, facility: Facility, area: AdminArea, today
) -> list[FacilityStatus]:
    hardship = HARDSHIP.get(area.pcode[:4], 0.15)
    supporter = facility.supports.order_by("pk").first()
    level = 0  # 0 fully, 1 partially, 2 not functioning
    step = 1 if facility.type.is_hospital else 2
    statuses = []
    for back in range(MONTHS - 1, -1, -step):
        if rng.random() < hardship:
            level = min(2, level + 1)
        elif level and rng.random() < 0.3:
            level -= 1
        day = _month_day(today, back, rng)
        waiting = back == 0 and rng.random() < 0.15
        statuses.append(
            FacilityStatus(
                facility=facility,
                as_of=day,
                functionality=(Functionality.FULLY, Functionality.PARTIALLY, Functionality.NOT)[
                    level
                ],
                building=_building(rng, level),
                accessibility=(Accessibility.FULLY, Accessibility.PARTIALLY, Accessibility.NOT)[
                    min(2, level + (rng.random() < 0.2))
                ],
                causes=_causes(rng, level),
                beds=rng.randint(40, 220) if facility.type.is_hospital else None,
                source="HeRAMS monthly update"
                if facility.type.is_hospital
                else "Partner field visit",
                organisation=supporter.organisation if supporter else None,
                state=ReviewState.SUBMITTED if waiting else ReviewState.VALIDATED,
            )
        )
    return statuses


def _month_day(today: datetime.date, back: int, rng: random.Random) -> datetime.date:
    index = today.year * 12 + today.month - 1 - back
    first = datetime.date(index // 12, index % 12 + 1, 1)
    day = first + datetime.timedelta(days=rng.randint(0, 20))
    return min(day, today)


def _building(rng: random.Random, level: int) -> str:
    if level == 2 and rng.random() < 0.6:
        return rng.choice((BuildingCondition.PARTIALLY, BuildingCondition.FULLY))
    if level == 1 and rng.random() < 0.3:
        return BuildingCondition.PARTIALLY
    return BuildingCondition.NOT_DAMAGED


def _causes(rng: random.Random, level: int) -> list[str]:
    if level == 0:
        return []
    pool = [Cause.UTILITIES, Cause.SUPPLIES, Cause.STAFF, Cause.FINANCES, Cause.EQUIPMENT]
    if level == 2:
        pool += [Cause.DAMAGE, Cause.INSECURITY, Cause.ACCESS]
    return sorted(rng.sample(pool, rng.choice((1, 2, 2, 3))))


def _incidents(rng: random.Random, areas, today) -> int:
    """The demo incidents, each named by its source ("Demo record N") so that it is made once."""
    types = list(AttackType.objects.all())
    facilities = list(Facility.objects.filter(code__startswith="DL-"))
    added = 0
    for number in range(1, INCIDENTS + 1):
        source = f"Demo record {number}: partner field report"
        if Incident.objects.filter(source=source).exists():
            continue
        facility = rng.choice(facilities) if rng.random() < 0.4 else None
        area = facility.area if facility else rng.choice(areas)[0]
        state = IncidentState.VERIFIED
        if number > INCIDENTS - 4:
            state = IncidentState.REPORTED
        elif number == 7:
            state = IncidentState.DISMISSED
        incident = Incident.objects.create(
            date=today - datetime.timedelta(days=rng.randint(3, 360)),
            area=area,
            facility=facility,
            resources=sorted(rng.sample(list(Resource.values), rng.choice((1, 1, 2)))),
            health_workers_killed=rng.choice((0, 0, 0, 0, 1, 2)),
            health_workers_injured=rng.choice((0, 0, 1, 2, 3)),
            patients_killed=rng.choice((0, 0, 0, 1)),
            patients_injured=rng.choice((0, 0, 1, 4)),
            description="Shelling damaged the entrance; staff moved patients to the basement.",
            source=source,
            certainty=rng.choice((Certainty.CONFIRMED, Certainty.CONFIRMED, Certainty.PROBABLE)),
            state=state,
            verified_at=timezone.now() if state == IncidentState.VERIFIED else None,
        )
        incident.attack_types.set(rng.sample(types[:10], rng.choice((1, 1, 2))))
        added += 1
    return added
