"""Demoland's plan per area for the current strategy cycle: people in need and targeted per
governorate (the Eastern Plains' per district), by population group, and the targets per
governorate of two indicators.

The figures are the needs overview's of an invented year: 144,000 people in need and 60,000
targeted, the cycle's people targeted (the demo's reports reach about two thirds of them in a
year, as a response part-way through its plan does). The targets per governorate add up to
the indicators' cluster-wide targets (420,000 consultations; 60,000 people reached, the
headline, split as the caseloads are). Everything is saved through the planning services,
with their rules, by the demo coordinator; saving the same sets again changes nothing.
"""

from decimal import Decimal

from django.contrib.auth import get_user_model

from demo.projects import SPLIT
from locations.models import AdminArea
from planning import services
from planning.models import Caseload, IndicatorAreaTarget, PopulationGroup
from planning.services import CaseloadEntry
from strategy.models import Indicator, StrategyCycle

SOURCE = "Demoland HNO"
# Area p-code: (people in need, people targeted), all people.
CASELOADS = {
    "DL01": (40_000, 17_000),
    "DL02": (36_000, 15_500),
    "DL0301": (12_000, 5_000),
    "DL0302": (10_000, 4_000),
    "DL0303": (8_000, 2_000),
    "DL04": (38_000, 16_500),
}
# Indicator code: target per governorate (adding up to its cluster-wide target).
AREA_TARGETS = {
    "1.1": {"DL01": 120_000, "DL02": 100_000, "DL03": 80_000, "DL04": 120_000},
    "1.3": {"DL01": 17_000, "DL02": 15_500, "DL03": 11_000, "DL04": 16_500},
}


def _groups(in_need: int, targeted: int) -> list[tuple[str, int, int]]:
    """All people, then each sex and age group's share (``demo.projects.SPLIT``)."""
    rows = [(PopulationGroup.ALL, in_need, targeted)]
    for group, share in SPLIT.items():
        rows.append((group, round(in_need * share), round(targeted * share)))
    return rows


def _caseloads(cycle: StrategyCycle, areas: dict[str, AdminArea], by) -> None:
    for level in (1, 2):
        entries = [
            CaseloadEntry(areas[pcode], group, in_need, targeted)
            for pcode, figures in CASELOADS.items()
            if areas[pcode].level == level
            for group, in_need, targeted in _groups(*figures)
        ]
        services.caseloads_save(cycle=cycle, entries=entries, levels=[level], source=SOURCE, by=by)


def _area_targets(cycle: StrategyCycle, areas: dict[str, AdminArea], by) -> None:
    for code, targets in AREA_TARGETS.items():
        indicator = Indicator.objects.get(cycle=cycle, code=code)
        services.area_targets_save(
            indicator=indicator,
            level=1,
            targets={areas[pcode]: Decimal(target) for pcode, target in targets.items()},
            by=by,
        )


def seed() -> str:
    """Save the current cycle's caseloads and area targets; return a one-line summary."""
    cycle = StrategyCycle.objects.get(is_current=True)
    by = get_user_model().objects.get(email="coordinator@demo.local")
    pcodes = {*CASELOADS, *(p for targets in AREA_TARGETS.values() for p in targets)}
    areas = {area.pcode: area for area in AdminArea.objects.filter(pcode__in=pcodes)}
    _caseloads(cycle, areas, by)
    _area_targets(cycle, areas, by)
    return (
        f"Plan per area: {Caseload.objects.filter(cycle=cycle).count()} caseloads, "
        f"{IndicatorAreaTarget.objects.filter(indicator__cycle=cycle).count()} indicator "
        "targets per area."
    )
