"""Issue 24's "done when", as its people would try it: with the reports already in, a
coordinator uploads the country's COD boundary GeoJSON on the upload page and sees the
presence, reach, severity and gaps maps on the dashboard in English and Arabic; the public
sees the admin1 versions, and the home page its map of where partners work."""

import json

import pytest
import shapely
from shapely.geometry import mapping

from tests.analysis.boundaries import PARENTS, SQUARES
from tests.analysis.dataset import build
from tests.browser_fixtures import log_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RANGE = "?first_month=2026-01&last_month=2026-04"
NAMES = {"ZZ1": "North", "ZZ2": "South", "ZZ3": "East"}


def cod_ab_geojson(path) -> None:
    """The dataset's areas as a COD-AB GeoJSON file: admin1 and admin2 features."""
    features = []
    for parent, children in PARENTS.items():
        admin1 = {"ADM1_PCODE": parent, "ADM1_EN": NAMES[parent]}
        union = shapely.union_all([SQUARES[child] for child in children])
        features.append({"type": "Feature", "properties": admin1, "geometry": mapping(union)})
        for child in children:
            properties = {**admin1, "ADM2_PCODE": child}
            properties["ADM2_EN"] = {"ZZ101": "North One", "ZZ102": "North Two"}.get(
                child, f"{NAMES[parent]} One"
            )
            geometry = mapping(SQUARES[child])
            features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))


def map_names(page, slug: str) -> set[str]:
    titles = page.locator(f"figure[aria-labelledby='{slug}-caption'] svg :is(path, use) > title")
    texts = titles.evaluate_all("elements => elements.map(element => element.textContent)")
    return {text.split(":")[0] for text in texts}


def test_a_coordinator_uploads_boundaries_and_everyone_sees_the_maps(page, tmp_path):
    build()
    coordinator = UserFactory(email="coordinator@example.org", is_coordinator=True)
    page.goto("/en/dashboard/areas/" + RANGE)
    assert page.locator("svg.map-svg").count() == 0  # no boundaries yet: tables only

    log_in(page, coordinator.email)
    page.goto("/en/areas/upload/")
    cod_ab_geojson(tmp_path / "cod-ab.geojson")
    page.set_input_files("input[type=file]", str(tmp_path / "cod-ab.geojson"))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    assert "7 boundaries loaded" in page.locator("main").inner_text()

    page.goto("/en/dashboard/areas/" + RANGE)
    assert page.locator("#maps-heading").is_visible()
    admin2 = {"North One", "North Two", "South One", "East One"}
    for slug in ("map-partners", "map-people", "map-severity"):
        assert map_names(page, slug) == admin2, slug
    page.goto("/en/dashboard/gaps/" + RANGE)
    assert map_names(page, "map-gaps") == admin2
    page.goto("/ar/dashboard/areas/" + RANGE)
    assert page.locator("#maps-heading").inner_text() == "الخرائط"
    legend = page.locator("figure[aria-labelledby='map-people-caption']").inner_text()
    assert "الأشخاص" in legend  # the legend's unit, "People", in Arabic

    page.context.clear_cookies()  # the public
    page.goto("/en/dashboard/areas/" + RANGE)
    assert map_names(page, "map-people") == {"North", "South", "East"}
    page.goto("/en/")
    assert map_names(page, "map-presence") == {"North", "South", "East"}
