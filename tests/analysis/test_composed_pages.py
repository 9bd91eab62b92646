"""Strategy progress on the strategy page, and people reached on the home page."""

import re

import pytest

from tests.text import has_phrase

FIGURE = re.compile(r'data-reached="(?P<code>[^"]+)"><span class="indicator-value">([^<]*)<')
PROGRESS = re.compile(r'data-progress="(?P<code>[^"]+)">(.*?)</td>', re.DOTALL)


def _figure(page: str, code: str) -> str:
    return {m["code"]: m[2] for m in FIGURE.finditer(page)}[code]


def _progress(page: str, code: str) -> str:
    """The progress cell's visible text: the share printed beside the bar, or a status."""
    cell = {m["code"]: m[2] for m in PROGRESS.finditer(page)}[code]
    text = re.sub(r"<progress.*?</progress>", "", cell, flags=re.DOTALL)
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())


# Two organisations: every figure would be withheld from the public (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("every_figure_public")]


def test_the_strategy_page_shows_each_indicator_against_its_target(client, data):
    page = client.get("/en/strategy/").content.decode()
    # 1.1 adds up over months: 370 of 740; 1.2 takes each area's largest month: 150 of 300.
    assert _figure(page, "1.1") == "370"
    assert _figure(page, "1.2") == "150"
    assert _progress(page, "1.1") == "50%"
    assert _progress(page, "1.2") == "50%"
    assert _progress(page, "1.3") == "No target"


def test_the_strategy_page_counts_the_validated_rows_only(client, data):
    from activities.models import Report, ReportStatus

    Report.objects.filter(status=ReportStatus.SUBMITTED).update(status=ReportStatus.VALIDATED)
    page = client.get("/en/strategy/").content.decode()
    # The report was not validated through the workflow: the figures do not move.
    assert _figure(page, "1.1") == "370"


def test_the_home_page_shows_people_reached_this_year_against_the_target(client, data):
    page = client.get("/en/").content.decode()
    # People reached once, January to April (tests/analysis/test_selectors.py): 340.
    assert 'id="figure-people">340<' in page
    assert has_phrase(page, "people reached with health services in 2026")
    assert has_phrase(page, "34% of the 1,000 people targeted")


def test_the_arabic_home_page_gives_the_same_figure(client, data):
    page = client.get("/ar/").content.decode()
    assert 'id="figure-people">340<' in page


def test_the_home_page_counts_the_assessments_of_the_last_twelve_months_in_january(
    client, data, time_machine
):
    """Published in the spring (the dataset's P1 and P2), they still count the next January,
    when "this year" had nothing to show."""
    import datetime

    time_machine.move_to(datetime.datetime(2027, 1, 10, 12, 0, tzinfo=datetime.UTC))
    page = client.get("/en/").content.decode()
    assert 'id="figure-assessments">2<' in page
    assert has_phrase(page, "needs assessments published in the last twelve months")
