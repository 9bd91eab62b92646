"""Invented boundaries for the demonstration countries, plausible enough to map.

A country is a wobbly outline; each area gets a seed point inside its parent, spread apart;
the country is cut into a few thousand small Voronoi grains, each given, level by level, to
the child of its area whose seed is nearest (a stray piece cut off behind a sibling then goes
to the sibling around it, so that every area is in one piece); every area is the union of its
grains, a parent the union of its children. Neighbours so share their edges exactly (as a
COD-AB's do), borders wander at the scale of a grain instead of running straight, and the
same seed draws the same country every time. The result is a COD-AB GeoJSON file, loaded
through the portal's own loader.
"""

import json
import math
import random
from dataclasses import dataclass

import shapely
from shapely.geometry import mapping

GRAINS_PER_AREA = 40
CANDIDATES = 12  # best-candidate sampling: seeds spread apart, not clumped


@dataclass(frozen=True)
class Place:
    pcode: str
    level: int
    parent: str | None
    properties: dict  # the COD-AB properties of its feature (its own and its ancestors')


def outline(rng: random.Random, centre: tuple[float, float], radius: float):
    """A country's outline: a circle bent by a few waves of random phase."""
    phases = [rng.uniform(0, 2 * math.pi) for _ in range(4)]
    weights = (0.14, 0.08, 0.05, 0.025)
    points = []
    for step in range(240):
        angle = 2 * math.pi * step / 240
        bend = sum(
            weight * math.sin((number + 2) * angle + phase)
            for number, (weight, phase) in enumerate(zip(weights, phases, strict=True))
        )
        # Degrees of longitude are shorter away from the equator: keep the country round.
        scale_x = 1 / math.cos(math.radians(centre[1]))
        distance = radius * (1 + bend + rng.uniform(-0.01, 0.01))
        points.append(
            (
                centre[0] + distance * math.cos(angle) * scale_x,
                centre[1] + distance * math.sin(angle),
            )
        )
    return shapely.Polygon(points)


def spread(rng: random.Random, region, count: int) -> list:
    """``count`` points inside ``region``, each the candidate farthest from those before."""
    west, south, east, north = region.bounds
    shapely.prepare(region)
    chosen: list = []
    while len(chosen) < count:
        candidates = []
        while len(candidates) < CANDIDATES:
            point = shapely.Point(rng.uniform(west, east), rng.uniform(south, north))
            if region.contains(point):
                candidates.append(point)
        chosen.append(max(candidates, key=lambda point: _nearest(point, chosen)))
    return chosen


def _nearest(point, chosen: list) -> float:
    return min((point.distance(other) for other in chosen), default=math.inf)


def invent(places: list[Place], *, centre, radius: float, seed: int) -> dict[str, object]:
    """Each place's geometry (shapely), by p-code."""
    rng = random.Random(seed)  # noqa: S311 - invented shapes, the same on every run
    country = outline(rng, centre, radius)
    children: dict[str | None, list[Place]] = {}
    for place in places:
        children.setdefault(place.parent, []).append(place)
    top = [place for place in places if place.level == 0]
    regions = {place.pcode: country for place in top}
    seeds: dict[str, object] = {}
    for place in sorted(places, key=lambda place: place.level):
        own = children.get(place.pcode, [])
        if not own:
            continue
        points = spread(rng, regions[place.pcode], len(own))
        cells = _cells(points, regions[place.pcode])
        for child, point, cell in zip(own, points, cells, strict=True):
            seeds[child.pcode] = point
            regions[child.pcode] = cell
    leaves = [place.pcode for place in places if place.pcode not in children and place.level]
    grains = _grains(rng, country, GRAINS_PER_AREA * max(1, len(leaves)))
    touching = _touching(grains)
    centres = shapely.centroid(grains)
    owned = {place.pcode: list(range(len(grains))) for place in top}
    for place in sorted(places, key=lambda place: place.level):
        own = children.get(place.pcode, [])
        if not own:
            continue
        mine = owned[place.pcode]
        nearest = shapely.STRtree([seeds[child.pcode] for child in own]).query_nearest(
            centres[mine], all_matches=False
        )[1]
        owner = _in_one_piece(dict(zip(mine, (int(n) for n in nearest), strict=True)), touching)
        for index, child in enumerate(own):
            owned[child.pcode] = [grain for grain in mine if owner[grain] == index]
            if not owned[child.pcode]:
                raise ValueError(f"{child.pcode} got no grain: try another seed.")
    shapes = {pcode: shapely.union_all([grains[i] for i in owned[pcode]]) for pcode in leaves}
    for place in sorted(places, key=lambda place: -place.level):
        if place.pcode not in shapes:
            shapes[place.pcode] = shapely.union_all(
                [shapes[child.pcode] for child in children.get(place.pcode, [])]
            )
    return shapes


def _touching(grains: list) -> list[list[int]]:
    """Each grain's neighbours: the grains it shares an edge with (not a corner only)."""
    tree = shapely.STRtree(grains)
    left, right = tree.query(grains, predicate="intersects")
    left, right = left[left < right], right[left < right]
    shared = shapely.length(shapely.intersection(tree.geometries[left], tree.geometries[right]))
    touching: list[list[int]] = [[] for _ in grains]
    for one, other in zip(left[shared > 0], right[shared > 0], strict=True):
        touching[one].append(int(other))
        touching[other].append(int(one))
    return touching


def _in_one_piece(owner: dict[int, int], touching: list[list[int]]) -> dict[int, int]:
    """``owner`` (an area's grains, each with the child it is nearest to) changed so that
    each child is in one piece: a grain nearest to a child's seed may lie beyond a sibling
    (behind its bulge, across a bay of the outline), and such a stray piece goes to the
    sibling it touches most."""
    owner = dict(owner)
    for _round in range(20):
        moved = False
        for piece in _strays(owner, touching):
            inside = set(piece)
            contacts: dict[int, int] = {}
            for grain in piece:
                for other in touching[grain]:
                    if other in owner and other not in inside:
                        contacts[owner[other]] = contacts.get(owner[other], 0) + 1
            if contacts:
                target = max(sorted(contacts), key=contacts.__getitem__)
                owner.update(dict.fromkeys(piece, target))
                moved = True
        if not moved:
            break
    return owner


def _strays(owner: dict[int, int], touching: list[list[int]]) -> list[list[int]]:
    """Every child's pieces but its largest (grains connected through shared edges)."""
    pieces: dict[int, list[list[int]]] = {}
    seen: set[int] = set()
    for start in sorted(owner):
        if start in seen:
            continue
        seen.add(start)
        piece, stack = [], [start]
        while stack:
            grain = stack.pop()
            piece.append(grain)
            for other in touching[grain]:
                if other not in seen and owner.get(other) == owner[start]:
                    seen.add(other)
                    stack.append(other)
        pieces.setdefault(owner[start], []).append(piece)
    return [
        piece
        for child in sorted(pieces)
        for piece in sorted(pieces[child], key=len, reverse=True)[1:]
    ]


def _cells(points: list, region) -> list:
    """Each point's Voronoi cell inside ``region``, in the points' order."""
    if len(points) == 1:
        return [region]
    diagram = shapely.voronoi_polygons(shapely.MultiPoint(points), extend_to=region.envelope)
    by_point = []
    for point in points:
        cell = next(cell for cell in diagram.geoms if cell.contains(point))
        by_point.append(cell.intersection(region))
    return by_point


def _grains(rng: random.Random, country, count: int) -> list:
    west, south, east, north = country.bounds
    points = shapely.MultiPoint(
        [(rng.uniform(west, east), rng.uniform(south, north)) for _ in range(count)]
    )
    cells = shapely.voronoi_polygons(points, extend_to=country.envelope)
    clipped = shapely.intersection(list(cells.geoms), country)
    return [cell for cell in clipped if not cell.is_empty and cell.area > 0]


def geojson(places: list[Place], shapes: dict[str, object]) -> bytes:
    """The places as a COD-AB GeoJSON file, coordinates to six decimals (about 10 cm)."""
    features = [
        {
            "type": "Feature",
            "properties": place.properties,
            "geometry": mapping(shapely.set_precision(shapes[place.pcode], 1e-6)),
        }
        for place in places
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()
