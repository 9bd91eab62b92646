"""The dashboard in a browser: accessible, charts drawn in the page under the strict CSP,
right to left in Arabic, printable, and its filter form usable from the keyboard."""

import re

import pytest

from tests.analysis.boundaries import draw_the_dataset_areas
from tests.analysis.dataset import build
from tests.browser.axe import assert_accessible
from tests.browser_fixtures import log_in
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RANGE = "?first_month=2026-01&last_month=2026-04"


@pytest.fixture
def data(transactional_db):
    """The hand-computed dataset of tests/analysis/dataset.py (January to April 2026), its
    areas drawn, so that the pages carry their maps."""
    dataset = build()
    draw_the_dataset_areas()
    return dataset


@pytest.fixture
def member(data):
    return MembershipFactory(organisation=data.org_a, user__email="member@example.org").user


@pytest.fixture
def coordinator(db):
    return UserFactory(email="coordinator@example.org", is_coordinator=True)


PAGES = [
    (None, "/{lang}/dashboard/"),
    (None, "/{lang}/dashboard/areas/"),
    (None, "/{lang}/dashboard/people/"),
    ("member", "/{lang}/dashboard/areas/"),
    ("member", "/{lang}/dashboard/presence/"),
    ("coordinator", "/{lang}/dashboard/gaps/"),
    ("coordinator", "/{lang}/dashboard/overlaps/"),
]
CASES = [(who, path, lang) for who, path in PAGES for lang in ("en", "ar")]


@pytest.mark.parametrize(("who", "path", "lang"), CASES, ids=str)
def test_the_dashboard_has_no_accessibility_violations(axe_page, data, request, who, path, lang):
    if who is not None:
        log_in(axe_page, request.getfixturevalue(who).email)
    url = path.format(lang=lang) + RANGE
    assert axe_page.goto(url).status == 200, url
    assert_accessible(axe_page, f"{url} as {who or 'visitor'}")


@pytest.fixture
def facility_data(transactional_db, time_machine, settings):
    """The hand-computed facilities of tests/analysis/facility_dataset.py, their areas drawn."""
    import datetime

    from tests.analysis.facility_dataset import build_facilities, draw_the_facility_areas

    time_machine.move_to(datetime.datetime(2026, 5, 10, 9, 0, tzinfo=datetime.UTC), tick=True)
    settings.LATEST_MAX_AGE = 3
    build_facilities()
    draw_the_facility_areas()


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("who", [None, "coordinator"])
def test_the_facilities_tab_is_accessible_on_a_phone_and_a_laptop(
    axe_page, facility_data, request, who, lang, width
):
    # On a phone its tables scroll in their own box, which the keyboard must reach.
    if who is not None:
        log_in(axe_page, request.getfixturevalue(who).email)
    axe_page.set_viewport_size({"width": width, "height": 900})
    url = f"/{lang}/dashboard/facilities/{RANGE}"
    assert axe_page.goto(url).status == 200, url
    assert axe_page.locator("#facility-type-months-table tbody tr").count() == 4
    assert_accessible(axe_page, f"{url} as {who or 'visitor'} at {width} px")


def test_a_bad_filter_shows_an_accessible_error(axe_page, data):
    axe_page.goto("/en/dashboard/?first_month=2026-04&last_month=2026-01")
    error = axe_page.locator("#filter-errors")
    assert "cannot be before the first month" in error.inner_text()
    assert axe_page.locator("#id_last_month").get_attribute("aria-invalid") == "true"
    assert_accessible(axe_page, "the overview with an error")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_months_columns_stand_over_their_months_under_the_csp(page, data, member, language):
    """One column per month, each over its month's name, as high as its figure: the months
    run from the left in English and from the right in Arabic, like the table. (A member:
    the public sees no month here, two organisations being too few.)"""
    # The ``page`` fixture enforces the portal's CSP and fails the test on any violation.
    log_in(page, member.email)
    page.goto(f"/{language}/dashboard/" + RANGE)
    rects = page.locator(".column-chart rect")
    labels = page.locator(".column-labels td")
    assert rects.count() == labels.count() == 4
    boxes = [rects.nth(index).bounding_box() for index in range(4)]
    names = [labels.nth(index).bounding_box() for index in range(4)]
    for box, name in zip(boxes, names, strict=True):
        centre = box["x"] + box["width"] / 2
        assert name["x"] < centre < name["x"] + name["width"]
    lefts = [box["x"] for box in boxes]
    assert lefts == sorted(lefts, reverse=language == "ar")
    heights = [round(box["height"]) for box in boxes]
    figures = page.locator(".column-figures td").all_inner_texts()
    people = [int(re.sub(r"\D", "", text)) for text in figures]
    tallest = max(people)
    for height, value in zip(heights, people, strict=True):
        assert height == pytest.approx(max(heights) * value / tallest, abs=2)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_areas_bars_grow_from_the_start_of_the_line_under_the_csp(page, data, member, language):
    """Bars sized by attribute, not by style: the CSP allows them. A bar starts where the
    text does: at the left in English, at the right in Arabic. (The public sees none here:
    two organisations are too few for its figures.)"""
    page.goto(f"/{language}/dashboard/areas/" + RANGE)
    assert page.locator(".bar-list li").count() == 0
    log_in(page, member.email)
    page.goto(f"/{language}/dashboard/areas/" + RANGE)
    bars = page.locator(".bar-list li")
    assert bars.count() == 4
    svg = bars.first.locator("svg").bounding_box()
    rect = bars.first.locator("rect").bounding_box()
    assert rect["width"] == pytest.approx(svg["width"], abs=1)  # the largest fills its line
    second = bars.nth(1).locator("rect").bounding_box()
    assert second["width"] < rect["width"] / 2
    if language == "en":
        assert second["x"] == pytest.approx(svg["x"], abs=1)
    else:
        assert second["x"] + second["width"] == pytest.approx(svg["x"] + svg["width"], abs=1)


def test_a_chart_opened_on_its_own_draws_under_its_own_policy(page, data):
    response = page.goto("/en/dashboard/charts/months.svg" + RANGE)
    assert response.headers["content-type"] == "image/svg+xml"
    # matplotlib's bars are paths with a style attribute; the policy lets it through.
    fill = page.evaluate("getComputedStyle(document.querySelector('#patch_1 path')).fill")
    assert fill == "rgb(255, 255, 255)"


def test_the_arabic_dashboard_reads_right_to_left(page, data):
    page.goto("/ar/dashboard/areas/" + RANGE)
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert (
        page.evaluate("getComputedStyle(document.querySelector('#areas-table')).direction") == "rtl"
    )
    assert "الشمال" in page.locator("#areas-table").inner_text()
    assert page.locator("figure.dashboard-chart figcaption").count() == 1


def test_the_presence_matrix_prints_without_the_navigation_and_filters(page, data, member):
    log_in(page, member.email)
    page.goto("/en/dashboard/presence/" + RANGE)
    assert page.locator(".dashboard-filters").is_visible()
    page.emulate_media(media="print")
    assert not page.locator("header nav").is_visible()
    assert not page.locator(".dashboard-filters").is_visible()
    assert not page.locator(".dashboard-tabs").is_visible()
    assert page.locator("#presence-table").is_visible()
    header = page.evaluate(
        "getComputedStyle(document.querySelector('#presence-table thead')).display"
    )
    assert header == "table-header-group"


def test_the_filter_form_is_reached_and_sent_from_the_keyboard(page, data, member):
    # The type of organisation is a members' filter (partners/disclosure.py).
    log_in(page, member.email)
    page.goto("/en/dashboard/" + RANGE)
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_first_month":
            break
    else:
        pytest.fail("the first month field is never reached with Tab")
    page.locator("#id_organisation_type").focus()
    page.keyboard.press("ArrowDown")  # "UN agency", the first type after "All types"
    assert page.locator("#id_organisation_type").input_value() == "un"
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "submit":
            break
    else:
        pytest.fail("the submit button is never reached with Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "organisation_type=un" in page.url
    assert "first_month=2026-01" in page.url
    # Neither organisation of the dataset is a UN agency.
    assert page.locator("#figure-people").inner_text() == "0"
    # The choice carries over to the other tabs.
    assert "organisation_type=un" in page.locator(".dashboard-tabs a").nth(1).get_attribute("href")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_maps_draw_under_the_csp_and_fit_their_column(page, data, language):
    # The ``page`` fixture enforces the portal's CSP and fails the test on any violation.
    page.goto(f"/{language}/dashboard/areas/" + RANGE)

    maps = page.locator("svg.map-svg")
    assert maps.count() == 3  # partners, people reached, severity
    for index in range(3):
        box = maps.nth(index).bounding_box()
        column = maps.nth(index).locator("xpath=ancestor::div[1]").bounding_box()
        assert 200 < box["width"] <= column["width"] + 1
        assert box["height"] > 100
    # Each admin1 area is a shape with its name, hovered or read out.
    assert maps.first.locator("path > title, use > title").count() == 3
    assert page.locator("#map-severity-caption").is_visible()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_maps_read_and_print_without_javascript(browser, live_site, data, language):
    context = browser.new_context(base_url=live_site.url, locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"/{language}/dashboard/areas/" + RANGE)
        page.emulate_media(media="print")

        assert not page.locator(".dashboard-filters").is_visible()
        maps = page.locator("svg.map-svg")
        assert maps.count() == 3
        width = page.evaluate("document.documentElement.clientWidth")
        for index in range(3):
            box = maps.nth(index).bounding_box()
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= width + 1
            # Small enough for a printed page (dashboard-print.css: 110 mm, 96 px an inch).
            assert 100 < box["height"] <= 110 / 25.4 * 96 + 1
        figure = page.locator("figure.map-figure").first
        assert figure.evaluate("element => getComputedStyle(element).breakInside") == "avoid"
        # Each area's name and figure read without a script; the legend in the page's direction.
        assert maps.first.locator("path > title, use > title").count() == 3
        legend = page.locator(".map-legend").first
        assert legend.is_visible()
        direction = legend.evaluate("element => getComputedStyle(element).direction")
        assert direction == ("rtl" if language == "ar" else "ltr")
        assert page.locator("#areas-table").is_visible()
    finally:
        context.close()
