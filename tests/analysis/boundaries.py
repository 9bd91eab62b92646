"""Square boundaries for the hand-computed dataset's areas (``tests/analysis/dataset.py``),
so that its pages draw their maps: North (ZZ1) is North One (ZZ101) and North Two (ZZ102)
side by side, South (ZZ2) is South One (ZZ201) under them, East (ZZ3) is East One (ZZ301)
on their right."""

import shapely
from shapely.geometry import box, mapping

from locations.models import AdminArea, AreaBoundary

SQUARES = {
    "ZZ101": box(35.0, 32.0, 35.5, 32.5),
    "ZZ102": box(35.5, 32.0, 36.0, 32.5),
    "ZZ201": box(35.0, 31.5, 36.0, 32.0),
    "ZZ301": box(36.0, 31.5, 36.5, 32.5),
}
PARENTS = {"ZZ1": ["ZZ101", "ZZ102"], "ZZ2": ["ZZ201"], "ZZ3": ["ZZ301"]}


def draw_the_dataset_areas() -> None:
    shapes = dict(SQUARES)
    for parent, children in PARENTS.items():
        shapes[parent] = shapely.union_all([SQUARES[child] for child in children])
    for pcode, geometry in shapes.items():
        AreaBoundary.objects.create(
            area=AdminArea.objects.get(pcode=pcode),
            geometry=mapping(geometry),
            outline=mapping(geometry),
        )
