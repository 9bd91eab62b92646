"""Issue 26's "Done when" as one journey in Chromium: a project is planned, funded and reported
under, the plan per area is entered, and the dashboard, the home page, a bulletin and the
monitoring download show the result.

Early April 2026; the cycle is 2026-2027. Farah, focal point of Pinecrest Health Action, adds
a project for 2026: budget US$ 2,000,000, all of it to North (area share 100 %), serving SO1,
planning 1,000 outpatient consultations in North from March to June. She submits it; Cora, a
coordinator, accepts it. Farah records US$ 500,000 received as of 20 March. Cora enters the
cycle's caseloads at admin1: North 4,000 in need, 1,000 targeted; South 2,000 in need, 500
targeted. Farah's March report has one row, 300 people (120 women + 180 men) consulted in
North One (a district of North), naming the project; Cora validates it. The consultations
count towards the cycle's headline too, indicator 1.0 "People reached" (people reached once).

By hand, for March 2026 (and the year so far, January to April, on the home page):
  Coverage  the headline in each area: North 300 (one activity-month) / 1,000 = 30 %;
            South 0 / 500 = 0 %.
  Funding   required 2,000,000, received 500,000 → US$ 2.0 M, 0.5 M, gap 1.5 M,
            500,000 / 2,000,000 = 25 % funded.
  Monitoring (March 2026, closed): indicator 1.1, a count fed by the consultations: 300 in
            the period (women 120, men 180) and 300 since the cycle began; target 10,000;
            in need 4,000 + 2,000 = 6,000.
"""

import csv
import datetime
import io
import re
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from activities.models import Report, ReportStatus
from bulletins import services as bulletin_services
from locations.models import AdminLevel
from partners.models import MemberRole
from planning.models import Caseload
from projects.models import Project, ReviewState
from strategy.models import IndicatorKind
from tests.activities.factories import (
    ActivityFactory,
    IndicatorFactory,
    ObjectiveFactory,
    PeriodFactory,
    StrategyCycleFactory,
)
from tests.browser.axe import assert_accessible
from tests.browser_fixtures import log_in
from tests.bulletins.factories import BulletinFactory, EditionFactory
from tests.factories import (
    AdminAreaFactory,
    CountryFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

# 5 April 2026: March's report is open (1st to 10th April) and March has ended.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.time_machine(datetime.datetime(2026, 4, 5, 9, 0, tzinfo=datetime.UTC)),
    # One organisation: the public (home page, bulletin) would see none of its figures under
    # the disclosure minimum; tests/analysis/test_disclosure.py tests the policy itself.
    pytest.mark.usefixtures("every_figure_public"),
]

MARCH = "?first_month=2026-03&last_month=2026-03"
NONE = "\N{EN DASH}"  # a cell with no figure
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def url(name: str, language: str = "en", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def cluster():
    country = CountryFactory()
    north = AdminAreaFactory(pcode="ZZ1", name_en="North", name_ar="الشمال", parent=country)
    south = AdminAreaFactory(pcode="ZZ2", name_en="South", name_ar="الجنوب", parent=country)
    north_one = AdminAreaFactory(
        pcode="ZZ101", name_en="North One", level=AdminLevel.ADMIN2, parent=north
    )
    cycle = StrategyCycleFactory()
    objective = ObjectiveFactory(cycle=cycle, code="SO1")
    indicator = IndicatorFactory(
        objective=objective,
        code="1.1",
        name_en="Outpatient consultations",
        kind=IndicatorKind.COUNT,
        target=Decimal(10000),
    )
    # The cycle's headline, people reached once, which coverage reads: the consultations
    # count towards it too.
    headline = IndicatorFactory(
        objective=objective,
        code="1.0",
        name_en="People reached",
        kind=IndicatorKind.PEOPLE_ONCE,
        target=Decimal(1500),
    )
    cycle.headline = headline
    cycle.save(update_fields=["headline"])
    activity = ActivityFactory(
        code="OPD", name_en="Outpatient consultations", indicator=indicator, groups=("women", "men")
    )
    activity.also_counts_towards.add(headline)
    organisation = OrganisationFactory(name_en="Pinecrest Health Action", acronym="PHA")
    farah = UserFactory(email="farah@example.org", full_name="Farah Saleh")
    MembershipFactory(user=farah, organisation=organisation, role=MemberRole.FOCAL_POINT)
    cora = UserFactory(email="cora@example.org", full_name="Cora Coordinator", is_coordinator=True)
    period = PeriodFactory(year=2026, month=3)
    return {
        "north": north,
        "south": south,
        "north_one": north_one,
        "cycle": cycle,
        "organisation": organisation,
        "cora": cora,
        "period": period,
    }


def pdf_text(stored) -> str:
    """The text of a stored PDF, read through its storage (a bucket has no path)."""
    with stored.open("rb") as handle:
        pdf = handle.read()
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return BIDI_MARKS.sub("", result.stdout.decode())


def no_overflow(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_a_project_is_planned_funded_reported_and_shows_in_the_figures(open_context, cluster):
    north, south = cluster["north"], cluster["south"]

    # Farah adds the project with its budget, area share and planned activity, and submits it.
    farah = open_context()
    farah.set_default_timeout(10_000)
    log_in(farah, "farah@example.org")
    farah.goto(url("projects:create"))
    farah.get_by_label("Title (English)").fill("Primary health care in the north")
    farah.get_by_label("Start").fill("2026-01-01")
    farah.get_by_label("End").fill("2026-12-31")
    farah.get_by_label("Status").first.select_option(label="Ongoing")
    farah.get_by_label("Budget required (US$)").fill("2000000")
    farah.get_by_label(re.compile("Keep essential health services running")).check()
    farah.select_option("#id_area_shares-0-target", label="North (ZZ1)")
    farah.fill("#id_area_shares-0-share_percent", "100")
    farah.select_option("#id_planned-0-activity", label="OPD Outpatient consultations")
    farah.select_option("#id_planned-0-area", label="North (ZZ1)")
    farah.fill("#id_planned-0-first_month", "2026-03")
    farah.fill("#id_planned-0-last_month", "2026-06")
    farah.fill("#id_planned-0-target", "1000")
    farah.get_by_role("button", name="Save").click()
    farah.wait_for_url(re.compile(r"/projects/\d+/$"))
    project = Project.objects.get(title_en="Primary health care in the north")
    farah.get_by_role("link", name="Submit for review").click()
    farah.wait_for_url(re.compile(rf"/projects/{project.pk}/submit/$"))
    farah.get_by_role("button", name="Submit for review").click()
    farah.wait_for_url(re.compile(rf"/projects/{project.pk}/$"))
    project.refresh_from_db()
    assert project.state == ReviewState.SUBMITTED

    # Cora accepts it through the confirmation page.
    cora = open_context(bypass_csp=True)
    cora.set_default_timeout(10_000)
    log_in(cora, "cora@example.org")
    cora.goto(url("projects:detail", pk=project.pk))
    cora.get_by_role("link", name="Accept").click()
    cora.wait_for_url(re.compile(rf"/projects/{project.pk}/accept/$"))
    cora.get_by_role("button", name="Accept the project").click()
    cora.wait_for_url(re.compile(rf"/projects/{project.pk}/$"))
    assert cora.get_by_text("The project is accepted into the plan.").is_visible()

    # Farah records the funding received so far.
    farah.goto(url("projects:detail", pk=project.pk))
    farah.get_by_role("link", name="Record funding").click()
    farah.wait_for_url(re.compile(r"/funding/new/$"))
    farah.get_by_label("As of").fill("2026-03-20")
    farah.get_by_label("Funding received so far (US$)").fill("500000")
    farah.get_by_label("Source").fill("Donor agreement")
    farah.get_by_role("button", name="Record").click()
    farah.wait_for_url(re.compile(rf"/projects/{project.pk}/$"))
    assert farah.get_by_text("The funding update is recorded.").is_visible()

    # Cora enters the cycle's caseloads per admin1 area on the planning page.
    caseloads = url("planning:caseloads", cycle_pk=cluster["cycle"].pk) + "?level=1"
    cora.goto(caseloads)
    assert_accessible(cora, "the caseloads page")
    cora.get_by_label("Source").fill("HNO 2026")
    cora.fill(f"[name=pin-{north.pk}-all]", "4000")
    cora.fill(f"[name=tgt-{north.pk}-all]", "1000")
    cora.fill(f"[name=pin-{south.pk}-all]", "2000")
    cora.fill(f"[name=tgt-{south.pk}-all]", "500")
    cora.get_by_role("button", name="Save the caseloads of this level").click()
    cora.wait_for_url(re.compile(r"/caseloads/\?level=1$"))
    assert cora.get_by_text("The caseloads are saved.", exact=False).is_visible()
    assert Caseload.objects.filter(cycle=cluster["cycle"]).count() == 2

    # Farah's March report: one row naming the project, submitted.
    period = cluster["period"]
    farah.goto(url("activities:reports"))
    farah.get_by_role("link", name=f"Report for {period}").click()
    farah.get_by_role("button", name="Start the report").click()
    farah.wait_for_url(re.compile(r"/reports/\d+/edit/$"))
    row = farah.locator("[data-report-row]").first
    row.get_by_label("Activity").select_option(label="OPD Outpatient consultations")
    row.get_by_label("Area").select_option(label="North One (ZZ101)")
    row.get_by_label("Project").select_option(
        label=f"{project.row_code} Primary health care in the north"
    )
    row.get_by_label("Status").select_option(label="Ongoing")
    row.get_by_label("Women", exact=True).fill("120")
    row.get_by_label("Men", exact=True).fill("180")
    farah.get_by_role("button", name="Save and submit the report").click()
    farah.wait_for_url(re.compile(r"/reports/\d+/$"))
    report = Report.objects.get(organisation=cluster["organisation"], period=period)
    assert report.status == ReportStatus.SUBMITTED
    assert farah.get_by_text(project.row_code, exact=True).count()

    # Cora validates it.
    cora.goto(url("activities:report", pk=report.pk))
    cora.get_by_role("link", name="Validate the report…").click()
    cora.wait_for_url(re.compile(r"/validate/"))
    cora.get_by_role("button", name="Validate version 1").click()
    cora.wait_for_url(re.compile(rf"/reports/{report.pk}/$"))
    report.refresh_from_db()
    assert report.status == ReportStatus.VALIDATED

    # The project's page counts the row reported under it.
    cora.goto(url("projects:detail", pk=project.pk))
    assert cora.locator("#reported-under").inner_text() == (
        "1 row in validated 4W reports of the organisation, 300 people reached "
        "(rows' totals added up)"
    )

    # The Coverage tab: coverage against the target per area.
    cora.goto(url("analysis:coverage") + MARCH)
    assert_accessible(cora, "the Coverage tab")
    assert cells(cora, "#coverage-admin1-table") == [
        ["North", "4,000", "1,000", "300", "30%", "2,000,000", "500,000"],
        ["South", "2,000", "500", "0", "0%", NONE, NONE],
    ]

    # The Funding tab: required, received and the gap.
    cora.goto(url("analysis:funding") + MARCH)
    assert_accessible(cora, "the Funding tab")
    assert cora.locator("#figure-required").inner_text() == "US$ 2.0 M"
    assert cora.locator("#figure-received").inner_text() == "US$ 0.5 M"
    assert cora.locator("#figure-gap").inner_text() == "US$ 1.5 M"
    assert cora.locator("#figure-funded").inner_text() == "25% funded"

    # The home page: the year's funding gap and coverage per area.
    visitor = open_context()
    visitor.goto("/en/")
    assert visitor.locator("#figure-funding-gap").inner_text() == "US$ 1.5 M"
    assert visitor.locator("#figure-funding-received").inner_text() == (
        "US$ 2.0 M required, 0.5 M received (25%)"
    )
    assert cells(visitor, "#home-coverage-table") == [
        ["North", "1,000", "300", "30%"],
        ["South", "500", "0", "0%"],
    ]

    # A bulletin for March, built in process, prints both.
    bulletin = BulletinFactory(
        first_month=datetime.date(2026, 3, 1),
        last_month=datetime.date(2026, 3, 1),
        created_by=cluster["cora"],
    )
    edition = EditionFactory(bulletin=bulletin, language="en")
    edition = bulletin_services.edition_build_in_process(edition=edition, by=cluster["cora"])
    text = " ".join(pdf_text(edition.pdf).split())
    assert "required US$ 2.0 M and had received 0.5 M (25%): a funding gap of US$ 1.5 M." in text
    assert "North 2,000,000 500,000 1,500,000 25%" in text
    assert "North 4,000 1,000 300 30%" in text
    assert "South 2,000 500 0 0%" in text

    # Cora defines March as a monitoring period, closes it and downloads its figures.
    cora.goto(url("monitoring:list"))
    assert_accessible(cora, "the monitoring periods")
    cora.get_by_label("First month").fill("2026-03")
    cora.get_by_label("Last month").fill("2026-03")
    cora.get_by_role("button", name="Define the period").click()
    cora.wait_for_url(re.compile(r"/monitoring/\d+/$"))
    assert_accessible(cora, "a monitoring period")
    cora.get_by_role("link", name="Close the period…").click()
    cora.wait_for_url(re.compile(r"/close/$"))
    cora.get_by_role("button", name="Close and freeze the figures").click()
    cora.wait_for_url(re.compile(r"/monitoring/\d+/$"))
    assert cora.get_by_text("The period is closed and its figures frozen.").is_visible()
    with cora.expect_download() as download:
        cora.get_by_role("link", name="CSV", exact=True).click()
    with open(download.value.path(), encoding="utf-8-sig") as file:
        rows = {row["indicator_code"]: row for row in csv.DictReader(io.StringIO(file.read()))}
    assert sorted(rows) == ["1.0", "1.1"]
    row = rows["1.1"]
    assert (row["indicator_code"], row["period_start"], row["period_end"]) == (
        "1.1",
        "2026-03-01",
        "2026-03-31",
    )
    assert (row["target"], row["in_need"]) == ("10000", "6000")
    assert (row["result_period"], row["result_cumulative"]) == ("300", "300")
    assert (row["women_period"], row["men_period"]) == ("120", "180")

    # The Coverage tab in Arabic on a phone: nothing wider than the window.
    cora.set_viewport_size({"width": 390, "height": 844})
    cora.goto(url("analysis:coverage", language="ar") + MARCH)
    assert cora.locator("html").get_attribute("dir") == "rtl"
    assert cora.locator("#coverage-admin1-table").get_by_text("الشمال").is_visible()
    assert no_overflow(cora)


def cells(page, table: str) -> list[list[str]]:
    """The table's body as the reader sees it, cell by cell."""
    return [
        [cell.strip() for cell in line.locator("th, td").all_inner_texts()]
        for line in page.locator(f"{table} tbody tr").all()
    ]
