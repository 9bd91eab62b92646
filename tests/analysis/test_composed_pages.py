"""Strategy progress on the strategy page, and people reached on the home page."""

import pytest

from tests.text import has_phrase

pytestmark = pytest.mark.django_db


def test_the_strategy_page_shows_each_indicator_against_its_target(client, data):
    page = client.get("/en/strategy/").content.decode()
    # 1.1 adds up over months: 370 of 740; 1.2 takes each area's largest month: 150 of 300.
    assert 'data-reached="1.1">370<' in page
    assert 'data-reached="1.2">150<' in page
    assert page.count('value="50"') == 2
    assert "No target" in page  # 1.3 has none


def test_the_strategy_page_counts_the_validated_rows_only(client, data):
    from activities.models import Report, ReportStatus

    Report.objects.filter(status=ReportStatus.SUBMITTED).update(status=ReportStatus.VALIDATED)
    page = client.get("/en/strategy/").content.decode()
    # The report was not validated through the workflow: the figures do not move.
    assert 'data-reached="1.1">370<' in page


def test_the_home_page_shows_people_reached_this_year_against_the_target(client, data):
    page = client.get("/en/").content.decode()
    assert 'id="figure-people">570<' in page
    assert has_phrase(page, "57% of the 1,000 people targeted")


def test_the_arabic_home_page_gives_the_same_figure(client, data):
    page = client.get("/ar/").content.decode()
    assert 'id="figure-people">570<' in page
