"""Demonstration admin areas: the fictional country of Demoland, loaded like any COD-AB file.

Its names come from the COD-AB table ``data/demo/admin_areas.csv``; its boundaries are
invented (``demo.boundaries``) and loaded with them as one GeoJSON file, so that the maps have
a country to draw.
"""

import csv
import io
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from demo.boundaries import Place, geojson, invent
from locations.services import admin_areas_load, area_populations_load

CENTRE = (35.2, 31.6)  # longitude, latitude: somewhere mid-latitude, as the clusters it shows
RADIUS = 2.4  # degrees of latitude, about 270 km
# Its Northern Hills lie north, its coasts on the coast and its capital inland.
SEED = 53


def demo_file() -> Path:
    return Path(settings.BASE_DIR) / "data" / "demo" / "admin_areas.csv"


def places(table: bytes) -> list[Place]:
    """Every area the COD-AB table names, once, with its feature's properties."""
    found: dict[str, Place] = {}
    for row in csv.DictReader(io.StringIO(table.decode("utf-8-sig"))):
        properties: dict = {}
        for level in range(4):
            pcode = row.get(f"ADM{level}_PCODE", "")
            if not pcode:
                break
            parent = properties.get(f"ADM{level - 1}_PCODE") if level else None
            for suffix in ("PCODE", "EN", "AR"):
                properties[f"ADM{level}_{suffix}"] = row[f"ADM{level}_{suffix}"]
            found.setdefault(pcode, Place(pcode, level, parent, dict(properties)))
    return list(found.values())


def boundary_file() -> bytes:
    """Demoland's areas with their invented boundaries, as a COD-AB GeoJSON file."""
    areas = places(demo_file().read_bytes())
    return geojson(areas, invent(areas, centre=CENTRE, radius=RADIUS, seed=SEED))


def seed() -> str:
    """Load (or refresh) Demoland's areas, boundaries and population (last year's, as a
    COD-PS usually is); running it again changes nothing."""
    report = admin_areas_load(data=boundary_file())
    population = area_populations_load(
        data=(demo_file().parent / "population.csv").read_bytes(),
        year=timezone.localdate().year - 1,
        source="Demoland COD-PS (invented)",
    )
    return f"Admin areas (Demoland): {report.summary()} Population: {population.summary()}"
