"""Measure loading a country's boundaries from a COD-AB GeoJSON file (issue 24's target:
300 districts at full resolution load in under 30 s).

Run from the repository root, against a migrated database that holds no country yet:

    .venv/bin/python bench/maps.py                       # 20 governorates, 300 districts
    .venv/bin/python bench/maps.py --districts 600 --segment 0.0005

It draws an invented country: a wobbly outline, 20 governorates and ``--districts`` districts
as Voronoi cells of random seeds clipped to their parent (so neighbours share their edges
exactly, as a COD's do), each edge cut into pieces of at most ``--segment`` degrees (0.001,
about 100 m: the vertex density of a COD-AB at full resolution). It prints the file's size
and vertex count, then the time of a dry run, a load and a reload through
``locations.services.admin_areas_load``, each in its own transaction, rolled back at the end.
It asserts nothing.
"""

import argparse
import json
import math
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cluster_portal.settings")

GOVERNORATES = 20


def outline(rng: random.Random, centre=(35.0, 31.0), radius=2.0):
    import shapely

    points = []
    for step in range(72):
        angle = 2 * math.pi * step / 72
        wobble = radius * (0.8 + 0.4 * rng.random())
        points.append((centre[0] + wobble * math.cos(angle), centre[1] + wobble * math.sin(angle)))
    return shapely.Polygon(points)


def cells(rng: random.Random, parent, count: int) -> list:
    """``count`` Voronoi cells of random seeds inside ``parent``, clipped to it."""
    import shapely

    west, south, east, north = parent.bounds
    seeds = []
    while len(seeds) < count:
        point = shapely.Point(rng.uniform(west, east), rng.uniform(south, north))
        if parent.contains(point):
            seeds.append(point)
    regions = shapely.voronoi_polygons(shapely.MultiPoint(seeds), extend_to=parent.envelope)
    clipped = [region.intersection(parent) for region in regions.geoms]
    return [cell for cell in clipped if not cell.is_empty]


def feature(geometry, segment: float, **properties) -> dict:
    import shapely
    from shapely.geometry import mapping

    return {
        "type": "Feature",
        "properties": properties,
        "geometry": mapping(shapely.segmentize(geometry, segment)),
    }


def make_geojson(districts: int, segment: float, seed: int = 7) -> bytes:
    import shapely

    rng = random.Random(seed)  # noqa: S311 - invented shapes, the same on every run
    country = outline(rng)
    features = [
        feature(country, segment, ADM0_PCODE="BX", ADM0_EN="Benchland", ADM0_AR="بلاد القياس")
    ]
    governorates = cells(rng, country, GOVERNORATES)
    per = max(1, districts // len(governorates))
    for g_index, governorate in enumerate(governorates):
        g_code = f"BX{g_index:02d}"
        features.append(
            feature(governorate, segment, ADM0_PCODE="BX", ADM1_PCODE=g_code, ADM1_EN=f"G{g_index}")
        )
        for d_index, district in enumerate(cells(rng, governorate, per)):
            features.append(
                feature(
                    district,
                    segment,
                    ADM0_PCODE="BX",
                    ADM1_PCODE=g_code,
                    ADM2_PCODE=f"{g_code}{d_index:03d}",
                    ADM2_EN=f"D{g_index}-{d_index}",
                )
            )
    vertices = sum(
        shapely.get_num_coordinates(shapely.geometry.shape(item["geometry"])) for item in features
    )
    print(f"features: {len(features)}, vertices: {vertices:,}")
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--districts", type=int, default=300)
    parser.add_argument("--segment", type=float, default=0.001)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import transaction

    from locations.models import AdminArea, AreaBoundary
    from locations.services import admin_areas_load

    data = make_geojson(args.districts, args.segment)
    print(f"file: {len(data) / 1024 / 1024:.1f} MiB")

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            for step, dry_run in (("dry run", True), ("load", False), ("reload", False)):
                started = time.perf_counter()
                report = admin_areas_load(data=data, dry_run=dry_run)
                elapsed = time.perf_counter() - started
                print(f"{step}: {elapsed:.1f} s ({report.summary()})")
            print(f"areas: {AdminArea.objects.count()}, boundaries: {AreaBoundary.objects.count()}")
            raise Rollback
    except Rollback:
        print("rolled back")


if __name__ == "__main__":
    main()
