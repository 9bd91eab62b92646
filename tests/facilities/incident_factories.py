"""Helpers of the incident tests: SSA's lists, a facility, areas and incidents of the world.

The lists come from the migration, but a transactional test elsewhere in the run may have
emptied the tables, so they are put back when missing.
"""

import datetime
import importlib

from django.apps import apps

from facilities import incident_services as services
from facilities.models import (
    AttackType,
    Certainty,
    Facility,
    FacilityType,
    Incident,
    IncidentState,
    Ownership,
)
from locations.models import AdminArea, AdminLevel
from tests.factories import AdminAreaFactory

DAY = datetime.date(2025, 4, 14)
DESCRIPTION = "A shell hit the maternity ward at night."
SOURCE = "Hospital director, by phone"


def standard_lists() -> None:
    """SSA's fourteen types of attack and the facility types, as migration 0002 loads them."""
    if AttackType.objects.count() < 14 or not FacilityType.objects.exists():
        importlib.import_module("facilities.migrations.0002_the_lists").load(apps, None)


def attack_types(*codes: str) -> list[AttackType]:
    standard_lists()
    found = AttackType.objects.in_bulk(codes, field_name="code")
    return [found[code] for code in codes]


def district(parent: AdminArea, pcode: str, name: str = "") -> AdminArea:
    """An admin2 area inside ``parent``."""
    return AdminAreaFactory(
        pcode=pcode, name_en=name or f"District {pcode}", level=AdminLevel.ADMIN2, parent=parent
    )


def facility(area: AdminArea, code: str = "HF-001", name: str = "North Hospital") -> Facility:
    standard_lists()
    return Facility.objects.create(
        code=code,
        name_en=name,
        type=FacilityType.objects.get(code="hospital"),
        ownership=Ownership.PUBLIC,
        area=area,
    )


def values(area: AdminArea | None, **changes) -> services.IncidentValues:
    """What a partner reports: heavy weapons on a facility, one health worker injured."""
    fields = {
        "date": DAY,
        "area": area,
        "source": SOURCE,
        "certainty": Certainty.PROBABLE,
        "attack_types": attack_types("heavy-weapons"),
        "resources": ["facility", "personnel"],
        "health_workers_injured": 1,
        "description": DESCRIPTION,
        **changes,
    }
    return services.IncidentValues(**fields)


def form_data(world, **changes) -> dict:
    """A valid report, as the form posts it."""
    return {
        "date": "2025-04-14",
        "area": world.area.pcode,
        "facility": "",
        "attack_types": [str(kind.pk) for kind in attack_types("heavy-weapons", "fire")],
        "resources": ["facility", "patients"],
        "health_workers_killed": "0",
        "health_workers_injured": "2",
        "patients_killed": "1",
        "patients_injured": "",
        "certainty": "confirmed",
        "source": "The hospital's director",
        "description": "Shelling hit the emergency ward.",
        **changes,
    }


def reported(world, by: str = "focal", **changes) -> Incident:
    """An incident reported through the service by a person of the world."""
    area = changes.pop("area", world.area)
    return services.incident_report(values=values(area, **changes), by=world.user(by))


def verified(world, **changes) -> Incident:
    incident = reported(world, **changes)
    return services.incident_verify(incident=incident, by=world.user("coordinator"))


def dismissed(world, **changes) -> Incident:
    incident = reported(world, **changes)
    return services.incident_dismiss(
        incident=incident, by=world.user("coordinator"), comment="A duplicate of another report."
    )


def incident(
    *,
    area: AdminArea,
    date: datetime.date,
    types: tuple[str, ...] = ("heavy-weapons",),
    state: str = IncidentState.VERIFIED,
    **fields,
) -> Incident:
    """An incident written straight to the database, for the figures."""
    fields.setdefault("source", SOURCE)
    fields.setdefault("certainty", Certainty.CONFIRMED)
    record = Incident.objects.create(area=area, date=date, state=state, **fields)
    record.attack_types.set(attack_types(*types))
    return record
