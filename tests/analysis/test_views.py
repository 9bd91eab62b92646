"""The dashboard over HTTP, against the hand-computed dataset of tests/analysis/dataset.py.

January to April 2026: 570 people reached (150 + 420); North 520 by two partners, South 50 by
one; the overlap of Alpha Health (200) and Beta Relief (60) on consultations in North One in
February. Pages, CSV files and SVG charts are read as a visitor, a member and a coordinator
would read them.
"""

import csv
import datetime
import io
import re
import xml.etree.ElementTree as ET

import pytest
import tinyhtml5
from django.core.cache import cache
from django.db import connection
from django.forms import ModelChoiceField
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from activities.models import ReportingPeriod, ReportStatus
from activities.services.reports import report_validate
from analysis import tables
from analysis.services import rebuild_all
from locations.models import AdminLevel
from partners.models import MemberRole, OrganisationStatus
from tests.activities.factories import (
    ActivityFactory,
    PeriodFactory,
    ReportFactory,
    ReportRowFactory,
)
from tests.activities.test_reports_helpers import formset_post
from tests.assessments.factories import AssessmentFactory, FindingFactory
from tests.facilities.factories import FacilityFactory
from tests.factories import (
    AdminAreaFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.text import has_phrase

# Two organisations: every figure would be withheld from the public (tests/conftest.py);
# the public's own restrictions are in tests/analysis/test_disclosure.py.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("every_figure_public")]

RANGE = {"first_month": "2026-01", "last_month": "2026-04"}
DASH = "\N{EN DASH}"  # between a severity and its name
SVG_NAMESPACES = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}


@pytest.fixture
def member(data):
    """Sam, on the staff of Alpha Health (an approved organisation)."""
    return MembershipFactory(organisation=data.org_a, role=MemberRole.STAFF).user


@pytest.fixture
def coordinator(db):
    return UserFactory(is_coordinator=True)


@pytest.fixture
def as_user(client):
    def _as(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return _as


def _text(response) -> str:
    """The page's main content as text, tags dropped and spaces collapsed."""
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def _table(response, table_id: str) -> list[list[str]]:
    """The body rows of a table of the page, each a list of its cells' text."""
    html = response.content.decode()
    start = html.index(f'id="{table_id}"')
    body = html[html.index("<tbody", start) : html.index("</table>", start)]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.DOTALL)
        rows.append([re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip() for c in cells])
    return rows


def _header(response, table_id: str) -> list[str]:
    """The column headings of a table of the page, as text."""
    html = response.content.decode()
    start = html.index(f'id="{table_id}"')
    head = html[html.index("<thead", start) : html.index("</thead>", start)]
    cells = re.findall(r"<th[^>]*>(.*?)</th>", head, re.DOTALL)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip() for c in cells]


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def _get(client, name, *args, **params):
    return client.get(reverse(name, args=args), {**RANGE, **params})


# --- overview ---------------------------------------------------------------------------------


def test_the_overview_shows_the_key_figures_and_people_reached_by_month(data, client):
    response = _get(client, "analysis:overview")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'id="figure-people">340<', html)  # people reached once
    assert re.search(r'id="figure-partners">2<', html)
    assert re.search(r'id="figure-areas">2<', html)
    # P1 and P2 are public and fall in the range; R1 is restricted, D1 a draft.
    assert re.search(r'id="figure-assessments">2<', html)
    assert _table(response, "months-table") == [
        ["January 2026", "150"],
        ["February 2026", "420"],
        ["March 2026", "0"],
        ["April 2026", "0"],
    ]


def test_the_overview_shows_each_indicator_against_its_target(data, client):
    rows = _table(_get(client, "analysis:overview"), "indicators-table")
    assert [row[:3] for row in rows] == [
        ["1.1 " + data.summed.name_en, "370 Count", "740"],
        ["1.2 " + data.peaked.name_en, "150 People reached once", "300"],
        ["1.3 " + data.kits_indicator.name_en, "7 Count", "—"],
    ]
    assert has_phrase(rows[0][3], "50%")
    assert "No target" in rows[2][3]


def test_a_month_range_and_a_filter_change_the_figures(data, client):
    response = client.get(
        reverse("analysis:overview"),
        {"first_month": "2026-02", "last_month": "2026-02", "activity": data.consultations.pk},
    )
    # February consultations: Alpha 200 + Beta 60 + Beta's whole-South 10.
    assert re.search(r'id="figure-people">270<', response.content.decode())


# --- areas ------------------------------------------------------------------------------------


def test_the_public_sees_admin1_areas_only(data, client):
    response = _get(client, "analysis:areas")
    assert _table(response, "areas-table") == [
        ["North", "ZZ1", "520", "2", "3"],  # consultations, screening, kits
        ["South", "ZZ2", "50", "1", "2"],
    ]
    text = _text(response)
    assert "North One" not in text
    assert "ZZ101" not in text
    # Severity from public assessments only, by admin1: R1's 5 in North Two is not shown.
    assert [row[:3] for row in _table(response, "severity-table")] == [
        ["North", "ZZ1", f"4 {DASH} Extreme"],
        ["South", "ZZ2", f"5 {DASH} Catastrophic"],
        ["East", "ZZ3", f"4 {DASH} Extreme"],
    ]


def test_members_see_admin2_areas_and_the_whole_area_line(data, as_user, member):
    response = _get(as_user(member), "analysis:areas")
    assert _table(response, "areas-table") == [
        ["North", "North One", "ZZ101", "490", "2", "2"],
        ["North", "North Two", "ZZ102", "30", "1", "2"],
        ["South", "South One", "ZZ201", "40", "1", "1"],
        ["South", "The whole admin1 area", "ZZ2", "10", "1", "1"],
    ]
    severity = {row[2]: row[3] for row in _table(response, "severity-table")}
    assert severity["ZZ102"] == f"5 {DASH} Catastrophic"  # the restricted assessment counts


def test_a_member_of_an_organisation_not_yet_approved_sees_what_the_public_sees(data, as_user):
    pending = OrganisationFactory(status=OrganisationStatus.PENDING)
    user = MembershipFactory(organisation=pending).user
    response = _get(as_user(user), "analysis:areas")
    assert [row[0] for row in _table(response, "areas-table")] == ["North", "South"]


def test_a_row_naming_a_facility_counts_in_the_facilitys_district(
    data, as_user, member, coordinator
):
    """Issue 25: a 4W row names the facility where the activity took place, its area left
    empty; validated, its people count in the facility's district and admin1 area."""
    east_one_a = AdminAreaFactory(
        pcode="ZZ30101", name_en="East One A", level=AdminLevel.ADMIN3, parent=data.e1
    )
    FacilityFactory(code="HF-00301", area=east_one_a)
    report = ReportFactory(
        organisation=data.org_a, period=ReportingPeriod.objects.get(year=2026, month=4)
    )
    row = {
        "activity": data.consultations.pk,
        "area": "",
        "facility": "HF-00301",
        "implementing_organisation": data.org_a.pk,
        "status": "completed",
        **{"girls": 5, "boys": 5, "women": 10, "men": 5, "total": ""},
    }
    client = as_user(member)
    url = reverse("activities:report_edit", args=[report.pk])
    assert client.post(url, formset_post([row])).status_code == 302
    assert report.rows.get().area == data.e1
    report.status = ReportStatus.SUBMITTED
    report.save()
    report_validate(report=report, by=coordinator)

    assert _table(_get(client, "analysis:areas"), "areas-table")[-1] == [
        "East",
        "East One",
        "ZZ301",
        "25",
        "1",
        "1",
    ]
    assert _table(_get(as_user(None), "analysis:areas"), "areas-table")[-1] == [
        "East",
        "ZZ3",
        "25",
        "1",
        "1",
    ]


# --- people -----------------------------------------------------------------------------------


def test_people_by_sex_and_age(data, client):
    response = _get(client, "analysis:people")
    # Girls 10+10+20+20+5+10+10+2, boys 20+10+30+20+5+10+10+3, women and men likewise.
    assert [row[1:] for row in _table(response, "sex-age-table")[:4]] == [
        ["Girls (under 18)", "87"],
        ["Boys (under 18)", "108"],
        ["Women (18 and over)", "198"],
        ["Men (18 and over)", "177"],
    ]
    assert has_phrase(_text(response), "0 people were reached but not counted by sex and age")
    assert 'id="organisations-table"' not in response.content.decode()


def test_members_see_the_figures_by_organisation(data, as_user, member):
    rows = _table(_get(as_user(member), "analysis:people"), "organisations-table")
    assert [row[:2] for row in rows] == [["Alpha Health", "460"], ["Beta Relief", "110"]]


# --- presence, gaps, overlaps -----------------------------------------------------------------


def test_the_presence_matrix_counts_activities_by_organisation_and_area(data, as_user, member):
    response = _get(as_user(member), "analysis:presence")
    html = response.content.decode()
    assert 'media="print"' in html
    assert "css/dashboard-print" in html
    rows = _table(response, "presence-table")
    assert [(row[0].split(" (")[0], row[1:]) for row in rows] == [
        ("Alpha Health", ["3", "0", "0"]),
        ("Beta Relief", ["1", "2", "0"]),
    ]


def test_choosing_an_admin1_area_shows_its_admin2_areas_in_the_matrix(data, as_user, member):
    response = _get(as_user(member), "analysis:presence", area=data.north.pk)
    assert _header(response, "presence-table") == [
        "Organisation",
        "North One ZZ101",
        "North Two ZZ102",
    ]
    # Alpha: consultations and screening in North One, kits and screening in North Two.
    assert [row[1:] for row in _table(response, "presence-table")] == [["2", "2"], ["1", "0"]]


def test_coordinators_see_the_gaps_most_people_in_need_first(data, as_user, coordinator):
    response = as_user(coordinator).get(reverse("analysis:gaps"))
    rows = _table(response, "gaps-table")
    # With the default rules (4 or more, three months), as in test_coordination.
    assert [(row[0], row[2], row[3]) for row in rows] == [
        ("North Two ZZ102", f"5 {DASH} Catastrophic", "8,000"),
        (
            "The whole admin1 area left without a response in 1 admin2 area: East One ZZ301",
            f"4 {DASH} Extreme",
            "3,000",
        ),
    ]
    # Grouped by admin1 area, the one with the most people in need first.
    assert _group_headings(response, "gaps-table") == ["North ZZ1", "East ZZ3"]


def _group_headings(response, table_id: str) -> list[str]:
    html = response.content.decode()
    start = html.index(f'id="{table_id}"')
    table = html[start : html.index("</table>", start)]
    found = re.findall(r'<th scope="rowgroup"[^>]*>(.*?)</th>', table, re.DOTALL)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip() for cell in found]


def test_the_gap_rules_are_adjustable(data, as_user, coordinator):
    client = as_user(coordinator)
    response = client.get(reverse("analysis:gaps"), {"severity": 5, "recent_months": 3})
    assert [row[0] for row in _table(response, "gaps-table")] == ["North Two ZZ102"]
    csv_link = re.search(r'href="([^"]*gaps\.csv[^"]*)"', response.content.decode()).group(1)
    rows = _csv(client.get(csv_link.replace("&amp;", "&")))
    assert [(row[1], row[4]) for row in rows[1:]] == [("ZZ102", "5")]


@pytest.mark.parametrize("rules", [{"severity": 9}, {"recent_months": 0}, {"severity": "x"}])
def test_impossible_gap_rules_are_refused_and_the_defaults_used(data, as_user, coordinator, rules):
    response = as_user(coordinator).get(
        reverse("analysis:gaps"), {"severity": 4, "recent_months": 3, **rules}
    )
    assert response.status_code == 200
    assert 'id="filter-errors"' in response.content.decode()
    assert len(_table(response, "gaps-table")) == 2


def test_coordinators_see_each_overlap_with_the_organisations_side_by_side(
    data, as_user, coordinator
):
    response = _get(as_user(coordinator), "analysis:overlaps")
    text = _text(response)
    assert has_phrase(text, "1 overlap in these months.")
    assert has_phrase(text, "They are in 1 place: one activity in one area.")
    [place] = _overlap_places(response)
    assert place["heading"] == f"CONS {data.consultations.name_en} · North One ZZ101"
    assert place["summary"] == (
        "1 month with two or more organisations: February 2026. "
        "Organisations: Alpha Health, Beta Relief."
    )
    [row] = place["months"]
    assert row[0] == "February 2026"
    assert row[1] == (
        "Alpha Health: 200 (reported by Alpha Health) Beta Relief: 60 (reported by Beta Relief)"
    )
    assert row[2] == "260"


def _overlap_places(response) -> list[dict]:
    tree = tinyhtml5.parse(response.content.decode(), namespace_html_elements=False)

    def text(element) -> str:
        return " ".join("".join(element.itertext()).split())

    return [
        {
            "heading": text(item.find(".//h3")),
            "summary": text(item.find(".//p")),
            "months": [
                [text(cell) for cell in row if cell.tag in ("th", "td")]
                for row in item.find(".//tbody").iter("tr")
            ],
        }
        for item in tree.iter("li")
        if "overlap-place" in (item.get("class") or "")
    ]


def test_overlaps_are_listed_by_place_a_page_at_a_time(data, as_user, coordinator, monkeypatch):
    january = ReportingPeriod.objects.get(year=2026, month=1)
    gamma = OrganisationFactory(name_en="Gamma Care")
    report = ReportFactory(organisation=gamma, period=january, status=ReportStatus.VALIDATED)
    # With Alpha's January consultations and screening in North One: two more overlaps.
    ReportRowFactory(report=report, activity=data.consultations, area=data.n1)
    ReportRowFactory(report=report, activity=data.screening, area=data.n1)
    rebuild_all()
    monkeypatch.setattr(tables, "OVERLAP_PLACES_PER_PAGE", 1)
    client = as_user(coordinator)
    first = _get(client, "analysis:overlaps")
    text = _text(first)
    assert has_phrase(text, "3 overlaps in these months.")
    assert has_phrase(text, "They are in 2 places")
    assert has_phrase(text, "Page 1 of 2")
    [place] = _overlap_places(first)
    # Consultations in North One, February then January, with all three partners.
    assert place["summary"] == (
        "2 months with two or more organisations, the latest February 2026. "
        "Organisations: Alpha Health, Beta Relief, Gamma Care."
    )
    assert [row[0] for row in place["months"]] == ["February 2026", "January 2026"]
    [place] = _overlap_places(_get(client, "analysis:overlaps", page=2))
    assert place["heading"] == f"{data.screening.code} {data.screening.name_en} · North One ZZ101"
    assert place["summary"] == (
        "1 month with two or more organisations: January 2026. "
        "Organisations: Alpha Health, Gamma Care."
    )


# --- filters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"first_month": "2026-04", "last_month": "2026-01"}, "cannot be before the first month"),
        ({"first_month": "2010-01", "last_month": "2026-04"}, "ten years at most"),
        ({"first_month": "1999-12", "last_month": "2000-02"}, "Choose a month between"),
        ({"first_month": "9999-12", "last_month": "9999-12"}, "Choose a month between"),
        ({"first_month": "January"}, "Enter a valid date"),
        ({"objective": "999999"}, "Select a valid choice"),
        ({"indicator": "99999999999999999999"}, "Select a valid choice"),
        ({"area": "abc"}, "Select a valid choice"),
        # The public may not filter by type of organisation at all (test_disclosure.py).
        ({"organisation_type": "pirates"}, "figures by a type of organisation"),
    ],
)
def test_filters_it_cannot_use_are_named_and_the_defaults_shown(data, client, params, message):
    response = client.get(reverse("analysis:overview"), params)
    assert response.status_code == 200
    errors = response.content.decode().split('id="filter-errors"')[1].split("</div>")[0]
    assert message in errors
    # The default range, the last twelve months up to this one, is shown instead.
    assert "from May 2025 to April 2026." in _text(response)


def test_the_error_is_in_the_language_of_the_page(data, client):
    response = client.get("/ar/dashboard/", {"objective": "999999"})
    assert response.status_code == 200
    with translation.override("ar"):
        expected = str(ModelChoiceField.default_error_messages["invalid_choice"])
    assert expected != "Select a valid choice. That choice is not one of the available choices."
    assert expected in response.content.decode()
    assert 'dir="rtl"' in response.content.decode()


def test_the_public_cannot_filter_by_an_admin2_area(data, client, as_user, member):
    response = _get(client, "analysis:overview", area=data.n1.pk)
    assert 'id="filter-errors"' in response.content.decode()
    response = _get(as_user(member), "analysis:overview", area=data.n1.pk)
    assert 'id="filter-errors"' not in response.content.decode()
    # North One, people reached once: the largest figure of one activity in one month is
    # February's consultations, 200 + 60 (January 100 and 50, February's screening 80).
    assert re.search(r'id="figure-people">260<', response.content.decode())


def test_the_filters_carry_over_to_the_tabs_the_charts_and_the_files(data, client):
    response = _get(client, "analysis:overview", area=data.north.pk)
    html = response.content.decode().replace("&amp;", "&")
    query = f"first_month=2026-01&last_month=2026-04&area={data.north.pk}"
    assert f'href="/en/dashboard/areas/?{query}"' in html
    assert f'href="/en/dashboard/people/?{query}"' in html
    assert f'href="/en/dashboard/charts/months.svg?{query}"' in html
    assert f'href="/en/dashboard/months.csv?{query}"' in html
    # The public gets no link to a members' tab or file.
    assert "presence" not in html
    assert "organisations.csv" not in html


# --- CSV --------------------------------------------------------------------------------------


def test_the_areas_csv_holds_the_figures_of_the_page(data, client):
    response = _get(client, "analysis:csv", "areas")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "health-cluster-areas-2026-01-to-2026-04.csv" in response["Content-Disposition"]
    # The public's files end with a note saying why a figure is not shown (none is here).
    assert _csv(response) == [
        ["Admin1 p-code", "Admin1", "People reached", "Partners present", "Activities", "Note"],
        ["ZZ1", "North", "520", "2", "3", ""],
        ["ZZ2", "South", "50", "1", "2", ""],
    ]


def test_a_members_areas_csv_goes_down_to_admin2(data, as_user, member):
    response = _get(as_user(member), "analysis:csv", "areas")
    assert "areas-admin2-2026-01" in response["Content-Disposition"]
    rows = _csv(response)
    assert rows[0][:4] == ["Admin1 p-code", "Admin1", "Admin2 p-code", "Admin2"]
    assert [row[2:5] for row in rows[1:]] == [
        ["ZZ101", "North One", "490"],
        ["ZZ102", "North Two", "30"],
        ["ZZ201", "South One", "40"],
        ["", "The whole admin1 area", "10"],
    ]


def test_the_month_indicator_and_sex_and_age_files_add_up_as_the_pages(data, client):
    assert _csv(_get(client, "analysis:csv", "months"))[1:] == [
        ["2026-01", "150", ""],
        ["2026-02", "420", ""],
        ["2026-03", "0", ""],
        ["2026-04", "0", ""],
    ]
    indicators = _csv(_get(client, "analysis:csv", "indicators"))
    assert indicators[0][1:5] == ["Indicator code", "Indicator", "How it is measured", "Unit"]
    assert [row[1:] for row in indicators[1:] if row[1] == "1.2"] == [
        # kind, unit, value, numerator, denominator, left out, as of, baseline, target,
        # direction, percentage of the target, status
        [
            *("1.2", data.peaked.name_en, "people reached once", "people", "150", "", "", ""),
            *("", "0", "300", "increase", "50", "", ""),
        ]
    ]
    people = {row[0]: row[1] for row in _csv(_get(client, "analysis:csv", "sex-age"))[1:]}
    assert people["Girls (under 18)"] == "87"
    assert people["Not counted by sex and age"] == "0"


def test_the_overlaps_csv_puts_each_organisation_on_its_line(data, as_user, coordinator):
    rows = _csv(_get(as_user(coordinator), "analysis:csv", "overlaps"))
    assert [(row[0], row[1], row[3], row[5], row[7]) for row in rows[1:]] == [
        ("2026-02", "CONS", "ZZ101", "Alpha Health", "200"),
        ("2026-02", "CONS", "ZZ101", "Beta Relief", "60"),
    ]


def test_a_name_that_looks_like_a_formula_is_written_as_text(data, as_user, member):
    data.org_b.name_en = "=HYPERLINK(1)"
    data.org_b.save()
    rows = _csv(_get(as_user(member), "analysis:csv", "organisations"))
    assert ["'=HYPERLINK(1)", "110"] in [row[:2] for row in rows]


def test_a_file_with_filters_it_cannot_use_sends_to_the_page_that_explains(data, client):
    response = client.get(
        reverse("analysis:csv", args=["areas"]),
        {"first_month": "2026-04", "last_month": "2026-01"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/en/dashboard/areas/?first_month=2026-04")


def test_an_unknown_table_or_chart_is_not_found(client):
    assert client.get("/en/dashboard/secrets.csv").status_code == 404
    assert client.get("/en/dashboard/charts/secrets.svg").status_code == 404


# --- charts -----------------------------------------------------------------------------------


def _check_svg(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["X-Content-Type-Options"] == "nosniff"
    body = response.content.decode()
    assert "<script" not in body.lower()
    assert set(re.findall(r"https?://[^\s\"')]+", body)) <= SVG_NAMESPACES
    assert body.isascii(), "words in the chart belong in the HTML around it"
    root = ET.fromstring(body)  # noqa: S314 - the portal's own response, checked above
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return root


@pytest.mark.parametrize("name", ["months", "indicators", "areas", "sex-age"])
def test_each_chart_is_a_self_contained_svg(data, client, name):
    response = _get(client, "analysis:chart", name)
    _check_svg(response)
    assert response["Cache-Control"] == "public, max-age=300"
    policy = response["Content-Security-Policy"]
    assert "style-src-attr 'unsafe-inline'" in policy
    assert "script-src 'self'" in policy


@pytest.mark.parametrize("name", ["months", "areas"])
def test_the_arabic_charts_hold_no_arabic(data, client, name):
    _check_svg(client.get(f"/ar/dashboard/charts/{name}.svg", RANGE))


def test_a_members_chart_is_not_kept_by_shared_caches(data, as_user, member):
    response = _get(as_user(member), "analysis:chart", "areas")
    _check_svg(response)
    assert response["Cache-Control"] == "private, max-age=300"


def _bars(response) -> list[tuple[str, str, str]]:
    """Each bar of the areas tab: its name, its length (of 100) and its figure."""
    return re.findall(
        r'<li><span class="bar-label">(.*?)</span><svg[^>]*><rect[^>]* width="([\d.]+)"[^>]*>'
        r'</rect></svg><span class="bar-value">([^<]*)</span></li>',
        response.content.decode(),
    )


def test_the_areas_bars_are_named_largest_first_and_sized_to_the_largest(data, client):
    assert _bars(_get(client, "analysis:areas")) == [
        ("North", "100.0", "520"),
        ("South", "9.6", "50"),
    ]


def test_a_members_areas_bars_name_admin2_areas_and_the_whole_area_line(data, as_user, member):
    bars = _bars(_get(as_user(member), "analysis:areas"))
    assert [(name, figure) for name, _length, figure in bars] == [
        ("North One", "490"),
        ("South One", "40"),
        ("North Two", "30"),
        ('South <span class="small">(whole area)</span>', "10"),
    ]


def test_arabic_bars_carry_the_arabic_names(data, client):
    with translation.override("ar"):
        url = reverse("analysis:areas")
    bars = _bars(client.get(url, RANGE))
    assert [name for name, _length, _figure in bars] == ["الشمال", "الجنوب"]


def test_the_areas_chart_follows_the_filters(data, client):
    def patches(response) -> int:
        # matplotlib draws each bar as one patch, beside the fixed background and axes ones.
        return response.content.decode().count('<g id="patch_')

    # Two bars (North and South), then one when North is chosen.
    whole = patches(_get(client, "analysis:chart", "areas"))
    north = patches(_get(client, "analysis:chart", "areas", area=data.north.pk))
    assert whole - north == 1
    empty = client.get(
        reverse("analysis:chart", args=["months"]),
        {"first_month": "2030-01", "last_month": "2030-02"},
    )
    _check_svg(empty)


def test_a_chart_with_filters_it_cannot_use_draws_the_defaults(data, client):
    response = client.get(reverse("analysis:chart", args=["months"]), {"first_month": "x"})
    _check_svg(response)


def test_the_overview_draws_the_months_as_columns_named_in_the_pages_language(data, client):
    for language, january in (("en", "Jan"), ("ar", "يناير")):
        url = reverse("analysis:overview").replace("/en/", f"/{language}/", 1)
        html = client.get(url, RANGE).content.decode()
        [figure] = re.findall(r"<figure.*?</figure>", html, re.DOTALL)
        row = re.search(r'<table class="column-labels".*?</table>', figure, re.DOTALL).group()
        cells = re.findall(r"<td>(.*?)</td>", row, re.DOTALL)
        labels = [re.sub(r"<[^>]+>", " ", cell).split() for cell in cells]
        assert len(cells) == len(re.findall(r"<rect ", figure)) == 4  # January to April
        assert labels[0] == [january, "2026"]
        assert "<figcaption" in figure
        # The same figures as an image to download, with the page's filters.
        assert re.search(r'href="/[a-z]+/dashboard/charts/months\.svg\?[^"]+" download', html)
        assert "style=" not in html


# --- queries ----------------------------------------------------------------------------------


def _grow(data) -> None:
    """Three more admin1 areas of two admin2 each, three more organisations, and rows from
    each in each area for every activity, validated; and findings in each area."""
    months = [PeriodFactory(year=2026, month=m) for m in (1, 2, 3)]
    organisations = [OrganisationFactory() for _ in range(3)]
    areas = []
    for n in range(3):
        admin1 = AdminAreaFactory(pcode=f"ZZ{n + 5}", name_en=f"Extra {n}", parent=data.country)
        areas += [
            AdminAreaFactory(
                pcode=f"ZZ{n + 5}0{k}",
                name_en=f"Extra {n}.{k}",
                level=AdminLevel.ADMIN2,
                parent=admin1,
            )
            for k in (1, 2)
        ]
    for organisation in organisations:
        for period in months:
            report = ReportFactory(
                organisation=organisation, period=period, status=ReportStatus.VALIDATED
            )
            for area in areas:
                for activity in (data.consultations, data.screening):
                    ReportRowFactory(report=report, activity=activity, area=area)
        MembershipFactory(organisation=organisation)
    assessment = AssessmentFactory(
        start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 1, 9)
    )
    for area in areas:
        FindingFactory(assessment=assessment, area=area, domain=data.nutrition, severity=5)
    rebuild_all()


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


PAGES = ["overview", "areas", "people", "presence", "gaps", "overlaps", "coverage"]
FILES = ["indicators", "months", "areas", "severity", "sex-age", "organisations", "presence"]
FILES += ["gaps", "overlaps", "coverage"]
CHARTS = ["months", "indicators", "areas", "sex-age"]


def _urls(data) -> list[str]:
    query = f"?first_month=2026-01&last_month=2026-04&area={data.north.pk}"
    query += f"&objective={data.summed.objective_id}&activity={data.consultations.pk}"
    urls = [reverse(f"analysis:{name}") for name in PAGES]
    urls += [reverse("analysis:csv", args=[name]) for name in FILES]
    urls += [reverse("analysis:chart", args=[name]) for name in CHARTS]
    return [url + suffix for url in urls for suffix in ("?first_month=2026-01", query)]


def test_every_view_makes_the_same_number_of_queries_however_much_data(data, as_user, coordinator):
    client = as_user(coordinator)
    urls = _urls(data)
    before = {url: _queries(client, url) for url in urls}
    _grow(data)
    after = {url: _queries(client, url) for url in urls}
    assert after == before


def test_the_public_views_make_the_same_number_of_queries_however_much_data(data, settings):
    # With the disclosure policy's queries, at its default minimum (some figures withheld).
    settings.PUBLIC_MIN_ORGANISATIONS = 3
    client = Client()
    public = [
        url
        for url in _urls(data)
        if any(
            name in url for name in ("/dashboard/?", "/areas/", "/people/", "/coverage/", "charts/")
        )
        or any(
            f"/{name}.csv" in url
            for name in ("indicators", "months", "areas", "sex-age", "coverage")
        )
    ]
    before = {url: _queries(client, url) for url in public}
    _grow(data)
    after = {url: _queries(client, url) for url in public}
    assert after == before


# The most queries each page makes with every filter set, for a visitor, a member and a
# coordinator, the first time (nothing in the cache): the filter choices (objectives,
# indicators, activities, areas, and the chosen ones checked; the area choices are cached
# apart, so that later pages read them from the cache), one per table, and for those signed
# in the session, the user and (for a member) the organisation. For a visitor, the disclosure
# policy's: whether the area chosen is below admin1, the organisations of each admin1-month
# cell, and on the overview those behind each kind of indicator (two kinds here) and behind
# the headline. The areas table counts its activities in a query of its own; the presence
# matrix reads its organisations' names in one.
MAX_QUERIES = {
    # every page: the cluster's identity for the footer (strategy.context_processors)
    # the overview: the cycle's indicators, the catalogue's map of what feeds them and one
    # query per kind of indicator, and the headline's people reached once
    "overview": (23, 21, 20),
    # the areas tab: also the boundaries for its maps, the gaps hatched on them (the public's
    # and the coordinators'; none on a member's admin2 map) and the areas' population
    "areas": (18, 17, 18),
    # the people tab: also the cycle's counted indicators of people, for their months
    "people": (12, 14, 13),
    "presence": (None, 14, 13),
    # the gaps and overlaps tabs: also the boundaries of their maps, and for the gaps the
    # highest severity by area and the areas' names; for the coverage gaps, the cycle, the
    # caseloads at both levels and the people reached by admin1 and by admin2 (two each)
    "gaps": (None, None, 19),
    "overlaps": (None, None, 16),
    # the coverage tab: the cycle, the caseloads at both levels, the people reached by area
    # (the areas tab's), the funding (``analysis.funding``) and the boundaries of its maps
    "coverage": (16, 12, 7),
}


@pytest.mark.parametrize("name", MAX_QUERIES)
def test_the_pages_make_a_fixed_number_of_queries(
    data, member, coordinator, django_assert_max_num_queries, name
):
    _grow(data)
    url = [u for u in _urls(data) if u.startswith(reverse(f"analysis:{name}"))][1]
    for user, most in zip((None, member, coordinator), MAX_QUERIES[name], strict=True):
        if most is None:
            continue
        client = Client()
        if user is not None:
            client.force_login(user)
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200


def test_the_area_filter_is_read_from_the_cache_until_an_area_changes(data):
    """The filter's areas (320 at scale) were loaded and rendered on every dashboard page."""
    client = Client()
    url = reverse("analysis:overview")
    assert (
        f">{data.north.name_en} ({data.north.pcode})</option>" in client.get(url).content.decode()
    )
    with CaptureQueriesContext(connection) as again:
        client.get(url)
    assert not [q for q in again.captured_queries if "locations_adminarea" in q["sql"]]
    data.north.name_en = "Northern Governorate"
    data.north.save()
    content = client.get(url).content.decode()
    assert f">Northern Governorate ({data.north.pcode})</option>" in content


def test_the_other_filters_are_read_from_the_cache_until_the_catalogue_changes(data):
    client = Client()
    url = reverse("analysis:overview")
    client.get(url)
    with CaptureQueriesContext(connection) as again:
        client.get(url)
    tables = ("activities_activity", "strategy_strategicobjective", "strategy_indicator")
    assert not [q for q in again.captured_queries if any(t in q["sql"] for t in tables)]
    ActivityFactory(code="ZZNEW", name_en="Newly catalogued activity")
    assert ">ZZNEW Newly catalogued activity</option>" in client.get(url).content.decode()


def test_the_gaps_page_lists_those_with_the_most_people_in_need_and_counts_them_all(
    data, as_user, coordinator, monkeypatch
):
    """Every gap was a row of the page: 600 at scale, most of its time."""
    monkeypatch.setattr(tables, "GAPS_SHOWN", 1)
    response = as_user(coordinator).get(reverse("analysis:gaps"))
    assert [row[0] for row in _table(response, "gaps-table")] == ["North Two ZZ102"]
    count = re.search(r'<p id="gap-count"[^>]*>(.*?)</p>', response.content.decode(), re.S)
    assert " ".join(count.group(1).split()) == (
        "2 gaps. Showing the 1 with the most people in need; the CSV holds them all."
    )
    monkeypatch.setattr(tables, "GAPS_SHOWN", 100)
    cache.clear()  # the tab as written is kept (analysis.fragments); a new release is new code
    response = as_user(coordinator).get(reverse("analysis:gaps"))
    assert "2 gaps. All are listed below." in " ".join(response.content.decode().split())


def test_the_people_tab_draws_girls_and_women_in_one_colour_boys_and_men_in_another(data, client):
    html = _get(client, "analysis:people").content.decode()
    [figure] = re.findall(r'<figure[^>]*"sex-age-caption".*?</figure>', html, re.DOTALL)
    assert re.findall(r'<li><svg class="legend-key".*?</svg>(\w+)</li>', figure) == [
        "Female",
        "Male",
    ]
    bars = re.findall(
        r'<span class="bar-label">([^<]+)</span><svg class="bar"[^>]*><rect class="series-(\w+)"',
        figure,
    )
    assert bars == [
        ("Girls (under 18)", "female"),
        ("Boys (under 18)", "male"),
        ("Women (18 and over)", "female"),
        ("Men (18 and over)", "male"),
    ]


def test_the_people_tab_draws_each_counted_indicators_months_on_its_own(data, as_user, member):
    """Consultations (1.1, a count): January 100; February 200 + 60 + 10 = 270; March and
    April nothing, 370 in all. Nutrition screening (1.2) is people reached once, not a sum of
    months: no panel."""
    html = _get(as_user(member), "analysis:people").content.decode()
    panels = re.findall(r'<figure class="month-panel.*?</figure>', html, re.DOTALL)
    assert len(panels) == 1
    [panel] = panels
    assert re.search(r'<span class="fw-semibold" dir="ltr">1\.1</span>.*?>370</span>', panel)
    heights = [
        float(h)
        for h in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="6" height="([\d.]+)"', panel)
    ]
    assert heights == [pytest.approx(100 * 100 / 270, abs=0.1), 100.0, 0.0, 0.0]
    labels = re.findall(r"<td>(.*?)</td>", re.search(r"column-labels.*?</table>", panel).group())
    assert [re.sub(r"<[^>]+>", " ", label).split() for label in labels] == [
        ["Jan", "2026"],
        [],
        [],
        ["Apr", "2026"],
    ]
