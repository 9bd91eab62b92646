"""Issue 24, the boundaries: reading a COD-AB GeoJSON file (``locations/boundaries.py``).

A hand-drawn country: North (ZZ1) the unit square, South (ZZ2) the square above it, sharing
the edge y = 1; North's districts ZZ101 (the left half) and ZZ102 (the right half). Every
problem of a feature is named by its number and p-code, and all of them are found at once.
"""

import json

import pytest
import shapely
from shapely.geometry import shape

from locations.boundaries import nesting_problems, read_boundaries, simplified_outlines


def square(west, south, east, north) -> dict:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def feature(geometry, **properties) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def collection(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


NORTH = feature(
    square(0, 0, 1, 1), ADM0_PCODE="ZZ", ADM1_PCODE="ZZ1", ADM1_EN="North", ADM1_AR="الشمال"
)
SOUTH = feature(square(0, 1, 1, 2), ADM0_PCODE="ZZ", ADM1_PCODE="ZZ2", ADM1_EN="South")
LEFT = feature(square(0, 0, 0.5, 1), ADM1_PCODE="ZZ1", ADM2_PCODE="ZZ101", ADM2_NAME="North One")
RIGHT = feature(square(0.5, 0, 1, 1), ADM1_PCODE="ZZ1", ADM2_PCODE="ZZ102", ADM2_REF="North Two")


def test_each_feature_is_an_area_of_its_deepest_level_with_its_names_and_parent():
    found = read_boundaries(collection(NORTH, SOUTH, LEFT, RIGHT))

    assert found.problems == []
    north, left, right = found.areas["ZZ1"], found.areas["ZZ101"], found.areas["ZZ102"]
    assert (north.level, north.name_en, north.name_ar, north.parent_pcode) == (
        1,
        "North",
        "الشمال",
        "ZZ",
    )
    assert (left.level, left.name_en, left.parent_pcode) == (2, "North One", "ZZ1")
    assert right.name_en == "North Two"  # ADM2_REF when there is no ADM2_EN nor ADM2_NAME
    assert left.geojson()["type"] == "Polygon"
    assert shape(left.geojson()).equals(shape(square(0, 0, 0.5, 1)))


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (feature(square(0, 0, 1, 1), ADM1_EN="Nameless"), "Feature 2: It has no p-code"),
        (
            feature(square(0, 0, 1, 1), ADM1_PCODE="ZZ 9", ADM1_EN="Spaced"),
            "Feature 2 (ZZ 9): The p-code may hold only letters, digits",
        ),
        (
            feature(square(0, 0, 1, 1), ADM1_PCODE="ZZ9"),
            "Feature 2 (ZZ9): It has no English name (ADM1_EN).",
        ),
        (
            feature(square(0, 0, 1, 1), ADM2_PCODE="ZZ901", ADM2_EN="Orphan"),
            "Feature 2 (ZZ901): It gives no p-code of its parent (ADM1_PCODE).",
        ),
        (
            feature({"type": "Point", "coordinates": [0.5, 0.5]}, ADM1_PCODE="ZZ9", ADM1_EN="P"),
            "Feature 2 (ZZ9): Its geometry is a Point, not a polygon.",
        ),
        (
            feature(None, ADM1_PCODE="ZZ9", ADM1_EN="None"),
            "Feature 2 (ZZ9): It has no geometry.",
        ),
        (
            feature({"type": "Polygon", "coordinates": []}, ADM1_PCODE="ZZ9", ADM1_EN="Empty"),
            "Feature 2 (ZZ9): Its geometry is empty.",
        ),
        (
            feature(square(500000, 3000000, 510000, 3010000), ADM1_PCODE="ZZ9", ADM1_EN="UTM"),
            "Feature 2 (ZZ9): Its coordinates are not longitude and latitude (a projected file?)",
        ),
        (
            # A bow tie: the ring crosses itself.
            feature(
                {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},
                ADM1_PCODE="ZZ9",
                ADM1_EN="Bow tie",
            ),
            "Feature 2 (ZZ9): Its geometry is not valid: Self-intersection",
        ),
        (
            feature(square(0, 0, 1, 1), ADM1_PCODE="ZZ1", ADM1_EN="North again"),
            "Feature 2 (ZZ1): The p-code is given to another feature already.",
        ),
    ],
    ids=[
        "no-pcode",
        "bad-pcode",
        "no-name",
        "no-parent",
        "point",
        "no-geometry",
        "empty",
        "projected",
        "self-intersecting",
        "duplicate",
    ],
)
def test_a_bad_feature_is_named_by_its_number_and_p_code(bad, message):
    found = read_boundaries(collection(NORTH, bad))

    assert [str(problem) for problem in found.problems if message in str(problem)], [
        str(problem) for problem in found.problems
    ]
    assert list(found.areas) == ["ZZ1"]


def test_every_problem_of_the_file_is_found_at_once():
    nameless = feature(square(0, 0, 1, 1), ADM1_EN="Nameless")
    point = feature({"type": "Point", "coordinates": [0, 0]}, ADM1_PCODE="ZZ8", ADM1_EN="P")
    found = read_boundaries(collection(nameless, NORTH, point))

    assert [(problem.number, problem.pcode) for problem in found.problems] == [(1, ""), (3, "ZZ8")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"ADM1_PCODE,ADM1_EN\nZZ1,North\n", "cannot be read as GeoJSON"),
        (b"\xff\xfe{}", "cannot be read as GeoJSON"),
        (json.dumps({"type": "Feature"}).encode(), "not a GeoJSON FeatureCollection"),
        (collection(), "The file holds no area."),
    ],
    ids=["csv", "not-utf8", "one-feature", "empty"],
)
def test_a_file_that_is_not_a_collection_of_areas_says_so(data, message):
    found = read_boundaries(data)

    assert [problem.number for problem in found.problems] == [None]
    assert message in str(found.problems[0])


def test_a_child_outside_its_parent_is_named_with_the_share_outside():
    stray = feature(square(0.5, 0.5, 1.5, 1.5), ADM1_PCODE="ZZ1", ADM2_PCODE="ZZ103", ADM2_EN="X")
    found = read_boundaries(collection(NORTH, LEFT, stray))

    problems = nesting_problems(found.areas, parents={})

    assert [str(problem) for problem in problems] == [
        "Feature 3 (ZZ103): 75% of it lies outside its parent ZZ1."
    ]


@pytest.mark.parametrize(
    ("west", "refused"),
    [
        # North One reaching west of North by 0.0025 of its 0.5025: 0.5 % outside, a
        # difference of drawing between two levels, accepted.
        (-0.0025, []),
        # By 0.01 of its 0.51: 2 % outside, more than CHILD_OUTSIDE_SHARE's 1 %.
        (-0.01, ["Feature 2 (ZZ101): 2% of it lies outside its parent ZZ1."]),
    ],
    ids=["within-tolerance", "beyond-tolerance"],
)
def test_a_child_may_stick_out_of_its_parent_by_the_tolerance_and_no_more(west, refused):
    wider = LEFT | {"geometry": square(west, 0, 0.5, 1)}
    found = read_boundaries(collection(NORTH, wider))

    assert [str(problem) for problem in nesting_problems(found.areas, parents={})] == refused


def test_a_parent_already_loaded_is_checked_too():
    found = read_boundaries(collection(LEFT))

    assert nesting_problems(found.areas, parents={"ZZ1": shape(square(0, 0, 1, 1))}) == []
    elsewhere = {"ZZ1": shape(square(5, 5, 6, 6))}
    assert len(nesting_problems(found.areas, parents=elsewhere)) == 1


def test_neighbours_simplified_together_keep_no_gap_nor_overlap():
    # Two neighbours along a jagged shared edge of many small steps.
    steps = [[0.5 + (0.01 if index % 2 else -0.01), index / 50] for index in range(51)]
    west = shapely.Polygon([[0, 0], *steps, [0, 1]])
    east = shapely.Polygon([[1, 0], [1, 1], *reversed(steps)])
    assert west.is_valid
    assert east.is_valid

    outlines = simplified_outlines({"W": west, "E": east}, tolerance=0.05)

    simple_west, simple_east = shape(outlines["W"]), shape(outlines["E"])
    assert len(simple_west.exterior.coords) < len(west.exterior.coords)
    assert simple_west.intersection(simple_east).area == pytest.approx(0, abs=1e-12)
    assert simple_west.union(simple_east).area == pytest.approx(1, abs=1e-9)


# --- zipped shapefiles ---------------------------------------------------------------------


def zipped_shapefile(records, *, name="zedland", parts=("shp", "shx", "dbf")) -> bytes:
    """A zipped shapefile of ADM1 polygons written by pyshp: (p-code, English, Arabic, ring)."""
    import io
    import zipfile

    import shapefile

    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    writer = shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYGON)
    for field_name in ("ADM0_PCODE", "ADM1_PCODE", "ADM1_EN", "ADM1_AR"):
        writer.field(field_name, "C", size=60)
    for pcode, english, arabic, ring in records:
        if ring is None:
            writer.null()
        else:
            writer.poly([ring])
        writer.record("ZZ", pcode, english, arabic)
    writer.close()
    files = {"shp": shp, "shx": shx, "dbf": dbf}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in parts:
            archive.writestr(f"{name}.{part}", files[part].getvalue())
    return buffer.getvalue()


def ring(west, south, east, north) -> list:
    # Clockwise, as the shapefile format draws an outer ring.
    return [[west, south], [west, north], [east, north], [east, south], [west, south]]


def test_a_zipped_shapefile_reads_as_geojson_does():
    from locations.boundaries import read_shapefile

    found = read_shapefile(
        zipped_shapefile(
            [
                ("ZZ1", "North", "الشمال", ring(0, 0, 1, 1)),
                ("ZZ2", "South", "الجنوب", ring(0, 1, 1, 2)),
                ("ZZ3", "Nowhere", "", None),
            ]
        )
    )

    assert list(found.areas) == ["ZZ1", "ZZ2"]
    assert (found.areas["ZZ1"].name_ar, found.areas["ZZ1"].parent_pcode) == ("الشمال", "ZZ")
    assert shape(found.areas["ZZ2"].geojson()).equals(shape(square(0, 1, 1, 2)))
    assert [str(problem) for problem in found.problems] == ["Feature 3 (ZZ3): It has no geometry."]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (zipped_shapefile([], parts=("shp", "shx")), "The shapefile lacks its .shx or its .dbf"),
        (b"PK\x03\x04 broken", "The file is not a zip archive, or it is damaged."),
    ],
    ids=["no-dbf", "broken-zip"],
)
def test_an_incomplete_shapefile_says_what_it_lacks(data, message):
    from locations.boundaries import read_shapefile

    found = read_shapefile(data)

    [problem] = found.problems
    assert message in str(problem)
    assert not found.areas
