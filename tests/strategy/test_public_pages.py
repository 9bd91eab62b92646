"""The public strategy pages: the current cycle, earlier cycles and the health domains."""

import re

import pytest
from django.urls import reverse

from strategy.models import HealthDomain, StrategyCycle
from tests.text import has_phrase

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_strategy_page_shows_the_current_cycle_with_its_indicators(client, strategy):
    response = client.get("/en/strategy/")
    page = _text(response)
    assert response.status_code == 200
    assert "<h1>Strategy 2026</h1>" in page
    assert "Priority 3 of 2026" in page
    assert "Approach 2 of 2026" in page
    assert "Objective 3 of 2026" in page
    assert "Indicator 3.3 of 2026" in page
    assert "<caption>Indicators of objective SO1</caption>" in page
    # How each kind is measured, above the indicators.
    assert "In each area, the largest figure of any one activity in any one month" in page
    assert "The sum over the months and areas chosen." in page
    assert "<strong>essential</strong>" in page
    assert "Objective 1 of 2024" not in page


def test_the_indicator_table_gives_baseline_target_and_domains(client, strategy):
    page = _text(client.get("/en/strategy/"))
    row = re.search(r'<th scope="row">1.2</th>(.*?)</tr>', page).group(1)
    assert has_phrase(row, "2,000")
    assert has_phrase(row, "5,000")
    assert "Increase" in row
    assert "Communicable diseases" in row


def test_the_strategy_page_lists_earlier_cycles_and_they_stay_readable(client, strategy):
    page = _text(client.get("/en/strategy/"))
    assert "Earlier cycles stay readable" in page
    assert 'href="/en/strategy/2024-2025/"' in page
    earlier = _text(client.get("/en/strategy/2024-2025/"))
    assert "Objective 1 of 2024" in earlier
    assert "This is an earlier strategy cycle" in earlier


def test_the_current_cycle_at_its_years_leads_to_the_strategy_page(client, strategy):
    response = client.get("/en/strategy/2026-2027/")
    assert response.status_code == 302
    assert response["Location"] == "/en/strategy/"


def test_a_cycle_that_does_not_exist_is_not_found(client, strategy):
    assert client.get("/en/strategy/2010-2011/").status_code == 404


def test_the_arabic_page_shows_the_arabic_text_right_to_left(client, strategy):
    page = _text(client.get("/ar/strategy/"))
    assert '<html lang="ar" dir="rtl">' in page
    assert "استراتيجية 2026" in page
    assert has_phrase(page, "الهدف 1")
    # The summary has no Arabic yet: it is shown in English, marked as such.
    assert '<div class="markdown-text" lang="en" dir="ltr">' in page


def test_without_a_strategy_the_page_says_so(client, db):
    response = client.get("/en/strategy/")
    assert response.status_code == 200
    assert "has not published its current strategy yet" in _text(response)


def test_each_page_has_its_own_title_and_description(client, strategy):
    for url, title in [
        ("/en/strategy/", "Strategy 2026 (2026\N{EN DASH}2027)"),
        ("/en/strategy/2024-2025/", "Strategy 2024 (2024\N{EN DASH}2025)"),
        ("/en/strategy/domains/", "Health domains"),
    ]:
        page = _text(client.get(url))
        assert f"<title>{title} ·" in page
        description = re.search(r'<meta name="description" content="([^"]*)"', page).group(1)
        assert "cluster" in description


def test_the_domains_page_lists_the_domains_in_use(client, db):
    HealthDomain.objects.filter(code="nutrition").update(
        is_active=False, description_en="Retired here."
    )
    HealthDomain.objects.filter(code="mhpss").update(description_en="Care for the *mind*.")
    page = _text(client.get(reverse("strategy:domains")))
    assert "Mental health and psychosocial support" in page
    assert "Care for the <em>mind</em>." in page
    assert "Nutrition" not in page


@pytest.mark.parametrize("url", ["/en/strategy/", "/en/strategy/2024-2025/"])
def test_a_strategy_page_makes_a_fixed_number_of_queries(
    client, strategy, django_assert_max_num_queries, url
):
    from tests.strategy.conftest import make_cycle

    make_cycle(2022, 2023, current=False, size=5)
    # With the cycle's indicators and the catalogue's map of which activities feed them, and
    # at most one query per kind of indicator fed by an activity (none here).
    with django_assert_max_num_queries(12):
        client.get(url)


def test_more_objectives_and_indicators_add_no_query(client, db, django_assert_num_queries):
    from tests.strategy.conftest import make_cycle

    small = make_cycle(2026, 2027, current=True, size=3)
    with django_assert_num_queries(12) as small_queries:
        client.get("/en/strategy/")
    small.delete()
    make_cycle(2026, 2027, current=True, size=6)
    with django_assert_num_queries(len(small_queries.captured_queries)):
        client.get("/en/strategy/")


def test_the_domains_page_makes_one_query_and_the_footers(
    client, db, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        client.get("/en/strategy/domains/")


def test_the_cycle_knows_its_public_address(strategy):
    assert strategy.current.get_absolute_url() == "/en/strategy/"
    assert strategy.earlier.get_absolute_url() == "/en/strategy/2024-2025/"
    assert StrategyCycle.objects.get(start_year=2024).period == "2024\N{EN DASH}2025"
