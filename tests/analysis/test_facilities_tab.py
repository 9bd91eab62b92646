"""Issue 25: the dashboard's health facilities tab, as each audience sees it, on the
hand-computed facilities of ``tests/analysis/facility_dataset.py`` (January to April 2026)."""

import re

import pytest
from django.urls import reverse

from tests.analysis.facility_dataset import build_facilities, draw_the_facility_areas
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.text import page_text, table_rows

pytestmark = pytest.mark.django_db

RANGE = {"first_month": "2026-01", "last_month": "2026-04"}


@pytest.fixture
def dataset(settings, time_machine):
    import datetime

    time_machine.move_to(datetime.datetime(2026, 5, 10, 9, 0, tzinfo=datetime.UTC))
    settings.LATEST_MAX_AGE = 3
    return build_facilities()


def unsupported_list(html: str) -> list[str]:
    """The facilities listed as a gap, each as "name (code), type" (its area left out)."""
    start = html.index('id="unsupported-list"')
    items = re.findall(r"<li>(.*?)</li>", html[start : html.index("</ul>", start)], re.DOTALL)
    return [re.sub(r"<[^>]+>", "", item).split(" · ")[0] for item in items]


def get(client):
    return client.get(reverse("analysis:facilities"), RANGE).content.decode()


def test_the_public_sees_the_counts_by_type_area_and_month(dataset, client, settings):
    settings.PUBLISH_FACILITY_LOCATIONS = False
    html = get(client)

    # End of April: fully, partially, not, no recent data, total.
    assert table_rows(html, "facility-types-table") == {
        "Hospital": ["0", "2", "0", "1", "3"],
        "Primary health care centre": ["0", "0", "2", "1", "3"],
    }
    assert table_rows(html, "facility-areas-table") == {
        "North": ["0", "1", "1", "1", "3"],
        "South": ["0", "1", "1", "1", "3"],
    }
    months = table_rows(html, "facility-months-table")
    assert months["March 2026"] == ["1", "1", "3", "1", "1 / 3"]
    # Functioning of each type month by month: hospitals, then health centres.
    assert table_rows(html, "facility-type-months-table") == {
        "January 2026": ["1 / 3", "1 / 3"],
        "February 2026": ["2 / 3", "1 / 3"],
        "March 2026": ["1 / 3", "1 / 3"],
        "April 2026": ["2 / 3", "0 / 3"],
    }
    assert re.search(r'id="figure-hospitals">2 / 3<', html)
    # Not shown one by one to the public: P3, the gap, is counted in South.
    assert "P3" not in page_text(html)
    assert table_rows(html, "unsupported-table") == {"South": ["1"]}
    assert 'id="map-facilities-caption"' not in html


def test_members_see_each_facility_and_its_point(dataset, client, settings):
    settings.PUBLISH_FACILITY_LOCATIONS = False
    client.force_login(MembershipFactory(organisation=OrganisationFactory()).user)

    html = get(client)

    assert unsupported_list(html) == ["P3 (P3), Primary health care centre"]
    assert 'id="unsupported-table"' not in html


def test_a_deployment_that_publishes_locations_shows_the_public_each_facility(
    dataset, client, settings
):
    settings.PUBLISH_FACILITY_LOCATIONS = True

    html = get(client)

    assert unsupported_list(html) == ["P3 (P3), Primary health care centre"]


def facility_marks(html: str) -> dict[str, tuple[str, str]]:
    """The points of the facilities map: each mark's title, with its shape and fill."""
    start = html.index('aria-labelledby="map-facilities-caption"')
    svg = html[start : html.index("</svg>", start)]
    return {
        title: (shape, fill)
        for shape, fill, title in re.findall(
            r'<(circle|path|rect) [^>]*fill="(#[0-9a-f]{6})" stroke="#000000"'
            r' stroke-width="1.2"><title>(.*?)</title>',
            svg,
        )
    }


def test_members_see_each_located_facility_marked_by_its_status(dataset, client, settings):
    settings.PUBLISH_FACILITY_LOCATIONS = False
    draw_the_facility_areas()
    client.force_login(MembershipFactory(organisation=OrganisationFactory()).user)

    marks = facility_marks(get(client))

    # End of April; H3 has no coordinates and is counted, not drawn.
    partially, not_functioning = ("path", "#e69f00"), ("rect", "#d55e00")
    assert marks == {
        "H1 (H1): Partially functioning": partially,
        "H2 (H2): Partially functioning": partially,
        "P1 (P1): No recent data": ("circle", "#ffffff"),
        "P2 (P2): Not functioning": not_functioning,
        "P3 (P3): Not functioning": not_functioning,
    }


def test_the_public_sees_no_point_name_or_code_while_locations_are_not_published(
    dataset, client, settings
):
    settings.PUBLISH_FACILITY_LOCATIONS = False
    draw_the_facility_areas()

    html = get(client)

    assert 'id="map-facilities-share-caption"' in html  # the maps are drawn, by admin1 area
    assert 'id="map-facilities-caption"' not in html
    text = page_text(html)
    for code in ("H1", "H2", "H3", "P1", "P2", "P3"):
        assert code not in text
        assert f"({code})" not in html


def test_the_tab_makes_a_fixed_number_of_queries(
    dataset, client, django_assert_max_num_queries, settings
):
    settings.PUBLISH_FACILITY_LOCATIONS = True
    coordinator = UserFactory(is_coordinator=True)
    client.force_login(coordinator)
    with django_assert_max_num_queries(20) as first:
        get(client)
    build_facilities_more()
    with django_assert_max_num_queries(len(first)):
        get(client)


def build_facilities_more() -> None:
    """Three more facilities with statuses, so that nothing is read one by one."""
    import datetime

    from facilities.models import Facility, FacilityStatus

    model = Facility.objects.get(code="P3")
    for number in range(3):
        model.pk, model.code = None, f"X{number}"
        model.save()
        FacilityStatus.objects.create(
            facility=model,
            as_of=datetime.date(2026, 4, 3),
            functionality="not",
            building="intact",
            accessibility="fully",
            causes=["staff"],
            source="test",
            state="validated",
        )


def test_the_home_page_shows_the_hospitals_functioning_this_month(dataset, client):
    # 10 May 2026: April's statuses are no older than three months, May has none of its own.
    html = client.get("/en/").content.decode()

    # H1 and H2 partially functioning (April), H3 without data: 2 of 3.
    assert re.search(r'id="figure-hospitals">2 / 3<', html)


def test_the_bulletin_counts_the_facilities_functioning_without_naming_them(dataset, tmp_path):
    import datetime
    import subprocess

    from django.utils import translation

    from analysis.snapshot import public_figures
    from bulletins import rendering
    from strategy.models import cluster_profile
    from tests.bulletins.factories import EditionFactory

    snapshot = public_figures(
        first_month=datetime.date(2026, 1, 1), last_month=datetime.date(2026, 4, 1)
    )
    edition = EditionFactory(language="en")
    with translation.override("en"):
        html = rendering.render_html(edition, snapshot, cluster_profile())
    pdf = tmp_path / "bulletin.pdf"
    pdf.write_bytes(rendering.render_pdf(html))
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True
        ).stdout.split()
    )

    # End of April: H1 and H2 partially functioning of 3 hospitals; 2 of the 6 facilities.
    assert (
        "On 30 April 2026, 2 of 3 hospitals were functioning (67%): 0 fully and 2 partially."
        in text
    )
    assert "Of all 6 health facilities, 2 were functioning." in text
    assert "1 facility not functioning had no partner supporting it." in text
    assert "P3" not in text
    assert "H1" not in text


def test_a_bulletin_of_months_without_a_recent_status_has_no_facilities_section(
    dataset, time_machine
):
    import datetime

    from django.utils import translation

    from analysis.snapshot import public_figures
    from bulletins import rendering
    from strategy.models import cluster_profile
    from tests.bulletins.factories import EditionFactory

    time_machine.move_to(datetime.datetime(2026, 9, 10, 9, 0, tzinfo=datetime.UTC))

    def bulletin(month: datetime.date) -> tuple[dict, str]:
        snapshot = public_figures(first_month=month, last_month=month)
        with translation.override("en"):
            html = rendering.render_html(EditionFactory(language="en"), snapshot, cluster_profile())
        return snapshot, html

    # End of July: H1's status of 2 April is three months old, still counted; H2's of
    # February is not.
    july, july_html = bulletin(datetime.date(2026, 7, 1))
    assert july["facilities"]["hospitals"] == {"fully": 0, "partially": 1, "not": 0, "none": 2}
    assert 'id="facilities-title"' in july_html
    # End of August: every status is too old. The six facilities are still registered, but a
    # section would print "0 of 3 hospitals were functioning" for months nobody reported on.
    august, august_html = bulletin(datetime.date(2026, 8, 1))
    assert august["facilities"] is None
    assert 'id="facilities-title"' not in august_html
    assert "hospitals were functioning" not in august_html
