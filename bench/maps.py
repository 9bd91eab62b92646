"""Measure loading a country's boundaries from a COD-AB GeoJSON file and drawing its maps
(issue 24's targets: 300 districts at full resolution load in under 30 s; a map renders in
under 100 ms warm and weighs under 60 KB gzipped; the bulletin's maps add under 1 s).

Run from the repository root, against a migrated database that holds no country yet:

    .venv/bin/python bench/maps.py                       # 20 governorates, 300 districts
    .venv/bin/python bench/maps.py --districts 600 --segment 0.0005

It draws an invented country: a wobbly outline, 20 governorates and ``--districts`` districts
as Voronoi cells of random seeds clipped to their parent (so neighbours share their edges
exactly, as a COD's do), each edge cut into pieces of at most ``--segment`` degrees (0.001,
about 100 m: the vertex density of a COD-AB at full resolution). It prints the file's size
and vertex count, then the time of a dry run, a load and a reload through
``locations.services.admin_areas_load``; then each level's map (issue 24's targets: under
100 ms warm, under 60 KB gzipped) drawn afresh and warm with invented figures, and the time
two print maps add to a bulletin's first page in WeasyPrint (under 1 s). Everything is rolled
back at the end. It asserts nothing.
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


def render(repeat: int) -> None:
    """Each level's map: drawn afresh (the basemap not cached), then warm (the figures coloured
    and the SVG written on a cached basemap), its SVG raw and gzipped; and a bulletin's first
    page with and without its two maps."""
    import gzip
    import random
    import statistics

    from django.core.cache import cache

    from analysis import maps

    for level in (1, 2):
        cache.clear()
        started = time.perf_counter()
        base = maps.basemap(level)
        afresh = time.perf_counter() - started
        rng = random.Random(level)  # noqa: S311 - invented figures
        figures = {item.area_id: rng.randint(0, 50_000) or None for item in base.shapes}
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            chart = maps.counts_map(maps.basemap(level), "People reached", figures, unit="People")
            svg = str(maps.svg(chart)) + str(maps.legend(chart))
            times.append(time.perf_counter() - started)
        packed = gzip.compress(svg.encode(), compresslevel=6)
        print(
            f"admin{level} map: {len(base.shapes)} areas, basemap afresh {afresh * 1000:.0f} ms,"
            f" warm median {statistics.median(times) * 1000:.1f} ms,"
            f" SVG {len(svg) / 1024:.1f} KB, gzipped {len(packed) / 1024:.1f} KB"
        )
    bulletin_first_page(maps)


def bulletin_first_page(maps) -> None:
    """The time the two print maps add to a bulletin's PDF (WeasyPrint, the print
    stylesheet): a first page without them, then with them."""
    from bulletins.rendering import render_pdf

    frozen = maps.frozen_basemap()
    pcodes = [item["pcode"] for item in frozen["shapes"]]
    figures = maps.bulletin_maps(
        frozen,
        {pcode: 1000 * number for number, pcode in enumerate(pcodes, start=1)},
        {pcode: number % 5 + 1 for number, pcode in enumerate(pcodes)},
        set(pcodes[::4]),
    )
    render_pdf(_cover([]))  # WeasyPrint's first document loads its fonts
    for label, shown in (("without maps", []), ("with maps", figures)):
        html = _cover(shown)
        times = []
        for _ in range(3):
            started = time.perf_counter()
            render_pdf(html)
            times.append(time.perf_counter() - started)
        print(f"bulletin first page {label}: {sorted(times)[1] * 1000:.0f} ms (median of 3)")


def _cover(figures) -> str:
    from django.template.loader import render_to_string

    parts = "".join(render_to_string("analysis/_map.html", {"map": item}) for item in figures)
    return (
        '<!doctype html><html lang="en"><body class="bulletin"><section class="cover'
        f' cover-with-maps"><h1>Bulletin</h1><div class="cover-maps">{parts}</div></section>'
        "</body></html>"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--districts", type=int, default=300)
    parser.add_argument("--segment", type=float, default=0.001)
    parser.add_argument("--repeat", type=int, default=20, help="warm renders to time")
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
            render(args.repeat)
            raise Rollback
    except Rollback:
        print("rolled back")


if __name__ == "__main__":
    main()
