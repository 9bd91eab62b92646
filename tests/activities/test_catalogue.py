"""The public activity catalogue, and coordinators adding, editing and retiring activities."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from activities.models import Activity, ActivityUnit, Collects, ReportStatus
from activities.services.catalogue import activity_create, activity_retire
from strategy.models import HealthDomain
from tests.activities.factories import (
    ActivityFactory,
    IndicatorFactory,
    ObjectiveFactory,
    ReportFactory,
    ReportRowFactory,
)
from tests.text import has_phrase


@pytest.fixture
def domains(db):
    return list(HealthDomain.objects.active().order_by("order")[:3])


def _post_data(indicator, domains, **overrides) -> dict:
    data = {
        "code": "A9.1",
        "name_en": "Mobile clinic consultations",
        "name_ar": "استشارات العيادات المتنقلة",
        "description_en": "",
        "description_ar": "",
        "indicator": indicator.pk,
        "domains": [domain.pk for domain in domains],
        "unit": ActivityUnit.CONSULTATIONS,
        "collects": Collects.GROUPS,
        "groups": ["girls", "boys", "women", "men"],
        "order": 3,
    }
    data.update(overrides)
    return data


def test_the_public_sees_active_activities_grouped_by_indicator(client, domains):
    first, second = IndicatorFactory(name_en="Children vaccinated"), IndicatorFactory()
    ActivityFactory(code="V1", name_en="Measles vaccination", indicator=first, domains=domains)
    ActivityFactory(code="V2", name_en="Polio vaccination", indicator=first, domains=domains)
    ActivityFactory(code="C1", name_en="Outpatient care", indicator=second, domains=domains[:1])
    ActivityFactory(code="OLD", name_en="Retired service", indicator=second, is_active=False)

    page = client.get(reverse("activities:catalogue")).content.decode()

    assert page.count("<h2") == 2
    assert page.index("Children vaccinated") < page.index("Measles vaccination")
    assert page.index("Polio vaccination") < page.index("Outpatient care")
    assert str(domains[0].name) in page
    assert "Girls, boys, women and men" in page
    assert "Retired service" not in page
    assert reverse("activities:activity_create") not in page


def test_the_catalogue_shows_the_arabic_names_on_arabic_pages(client, domains):
    ActivityFactory(name_en="Outpatient care", name_ar="الرعاية الخارجية", domains=domains)
    page = client.get(reverse("activities:catalogue").replace("/en/", "/ar/", 1))
    assert "الرعاية الخارجية" in page.content.decode()


def test_the_catalogue_makes_a_fixed_number_of_queries(client, domains, django_assert_num_queries):
    def add(count):
        for _ in range(count):
            indicator = IndicatorFactory()
            for _ in range(3):
                ActivityFactory(indicator=indicator, domains=domains)

    add(3)
    # The activities, their domains and the indicators they also feed, as numerators and
    # as denominators.
    with django_assert_num_queries(6) as few:
        client.get(reverse("activities:catalogue"))
    add(4)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("activities:catalogue"))
    assert response.content.decode().count("<tr>") == 7 * 4


def test_coordinators_see_retired_activities_and_the_editing_buttons(world, login, domains):
    ActivityFactory(code="OLD", name_en="Retired service", is_active=False)
    page = login(world.user("coordinator")).get(reverse("activities:catalogue")).content.decode()
    assert "Retired service" in page
    assert reverse("activities:activity_create") in page


def test_a_coordinator_adds_an_activity(world, login, domains):
    indicator = IndicatorFactory()
    response = login(world.user("coordinator")).post(
        reverse("activities:activity_create"), _post_data(indicator, domains)
    )
    assert response.status_code == 302
    activity = Activity.objects.get(code="A9.1")
    assert activity.indicator == indicator
    assert set(activity.domains.all()) == set(domains)
    assert activity.collects == Collects.GROUPS
    assert activity.groups == ("girls", "boys", "women", "men")
    assert activity.is_active
    assert activity.history.first().history_user == world.user("coordinator")


def test_the_indicator_list_puts_the_current_cycle_first_but_offers_earlier_ones(
    world, login, domains
):
    from strategy.models import StrategyCycle

    earlier = StrategyCycle.objects.create(title_en="Old", start_year=2022, end_year=2023)
    old = IndicatorFactory(objective=ObjectiveFactory(cycle=earlier), name_en="Old indicator")
    current = IndicatorFactory(name_en="Current indicator")
    form = (
        login(world.user("coordinator")).get(reverse("activities:activity_create")).context["form"]
    )
    choices = [value for value, _label in form.fields["indicator"].choices if value]
    assert [choice.value for choice in choices] == [current.pk, old.pk]


def test_it_rejects_a_code_another_activity_has(world, login, domains):
    ActivityFactory(code="A9.1")
    response = login(world.user("coordinator")).post(
        reverse("activities:activity_create"), _post_data(IndicatorFactory(), domains, code="a9.1")
    )
    assert "Another activity has this code." in response.content.decode()
    assert Activity.objects.count() == 1


def test_it_asks_for_at_least_one_health_domain(world, login):
    data = _post_data(IndicatorFactory(), [])
    response = login(world.user("coordinator")).post(reverse("activities:activity_create"), data)
    assert response.status_code == 200
    assert not Activity.objects.exists()


def test_the_service_refuses_an_activity_without_a_domain(world):
    with pytest.raises(ValidationError) as error:
        activity_create(
            domains=[],
            by=world.user("coordinator"),
            code="X1",
            name_en="Something",
            indicator=IndicatorFactory(),
            unit=ActivityUnit.PEOPLE,
        )
    assert "domains" in error.value.error_dict


def test_a_coordinator_edits_an_activity_and_its_domains(world, login, domains):
    activity = ActivityFactory(domains=domains)
    data = _post_data(activity.indicator, domains[:1], code=activity.code, name_en="Renamed")
    data["is_active"] = "on"
    response = login(world.user("coordinator")).post(
        reverse("activities:activity_edit", args=[activity.pk]), data
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.name_en == "Renamed"
    assert list(activity.domains.all()) == domains[:1]


def test_retiring_takes_the_activity_out_of_the_public_catalogue(world, login, client, domains):
    activity = ActivityFactory(name_en="Cholera kits", domains=domains)
    response = login(world.user("coordinator")).post(
        reverse("activities:activity_retire", args=[activity.pk]), follow=True
    )
    assert "is out of the catalogue" in response.content.decode()
    activity.refresh_from_db()
    assert not activity.is_active
    client.logout()
    assert "Cholera kits" not in client.get(reverse("activities:catalogue")).content.decode()


def test_retiring_twice_says_it_is_already_retired(world):
    activity = ActivityFactory(is_active=False)
    with pytest.raises(ValidationError, match="already out of the catalogue"):
        activity_retire(activity=activity, by=world.user("coordinator"))


def test_editing_puts_a_retired_activity_back(world, login, domains):
    activity = ActivityFactory(is_active=False, domains=domains)
    data = _post_data(activity.indicator, domains, code=activity.code, is_active="on")
    login(world.user("coordinator")).post(
        reverse("activities:activity_edit", args=[activity.pk]), data
    )
    activity.refresh_from_db()
    assert activity.is_active


# --- the figures an activity collects -------------------------------------------------------------


def test_a_coordinator_declares_a_campaign_for_girls_and_boys_only(world, login, client, domains):
    data = _post_data(
        IndicatorFactory(), domains, name_en="Measles campaign", groups=["girls", "boys"]
    )
    response = login(world.user("coordinator")).post(reverse("activities:activity_create"), data)
    assert response.status_code == 302
    activity = Activity.objects.get(code="A9.1")
    assert (activity.collects, activity.groups) == (Collects.GROUPS, ("girls", "boys"))
    client.logout()
    page = client.get(reverse("activities:catalogue")).content.decode()
    assert has_phrase(page, "Girls and boys")


def test_both_and_a_single_count_read_plainly_in_the_catalogue(client, domains):
    ActivityFactory(name_en="Antenatal care", groups=("women",), collects=Collects.BOTH)
    ActivityFactory(name_en="Hygiene kits", groups=())
    page = client.get(reverse("activities:catalogue")).content.decode()
    assert has_phrase(page, "Women, and a total")
    assert has_phrase(page, "A single count")


def test_people_by_sex_and_age_need_at_least_one_group(world, login, domains):
    data = _post_data(IndicatorFactory(), domains, groups=[])
    response = login(world.user("coordinator")).post(reverse("activities:activity_create"), data)
    assert response.status_code == 200
    assert "Choose at least one group: girls, boys, women or men." in response.content.decode()
    assert not Activity.objects.exists()


def test_a_single_count_drops_the_groups_left_ticked(world, login, domains):
    data = _post_data(IndicatorFactory(), domains, collects=Collects.COUNT)
    response = login(world.user("coordinator")).post(reverse("activities:activity_create"), data)
    assert response.status_code == 302
    activity = Activity.objects.get(code="A9.1")
    assert (activity.collects, activity.groups) == (Collects.COUNT, ())


def test_the_edit_form_ticks_the_groups_the_activity_counts(world, login, domains):
    activity = ActivityFactory(groups=("women",), domains=domains)
    client = login(world.user("coordinator"))
    form = client.get(reverse("activities:activity_edit", args=[activity.pk])).context["form"]
    assert form["groups"].value() == ["women"]
    assert form["collects"].value() == Collects.GROUPS


def test_a_validated_report_keeps_its_figures_when_the_catalogue_changes(world, login, domains):
    activity = ActivityFactory(name_en="Measles campaign", domains=domains)
    report = ReportFactory(organisation=world.org_a, status=ReportStatus.VALIDATED)
    row = ReportRowFactory(report=report, activity=activity, area=world.area)
    assert (row.girls, row.boys, row.women, row.men, row.total) == (10, 12, 20, 8, 50)

    data = _post_data(
        activity.indicator, domains, code=activity.code, groups=["girls", "boys"], is_active="on"
    )
    coordinator = login(world.user("coordinator"))
    response = coordinator.post(reverse("activities:activity_edit", args=[activity.pk]), data)
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.groups == ("girls", "boys")

    row.refresh_from_db()
    assert (row.girls, row.boys, row.women, row.men, row.total) == (10, 12, 20, 8, 50)
    page = coordinator.get(reverse("activities:report", kwargs={"pk": report.pk}))
    figures = re.findall(r'<td class="text-end[^"]*">([^<]*)</td>', page.content.decode())
    # Girls, boys, women, men, older people, people with disabilities, total.
    assert figures == ["10", "12", "20", "8", "—", "—", "50"]


# --- the indicators an activity feeds beyond its own ------------------------------------------


def _rate(code: str):
    from strategy.models import IndicatorDirection, IndicatorKind, IndicatorUnit

    return IndicatorFactory(
        code=code,
        kind=IndicatorKind.RATE,
        unit=IndicatorUnit.PERCENT,
        baseline=4,
        target=1,
        direction=IndicatorDirection.DECREASE,
    )


def test_a_coordinator_names_the_rate_an_activity_is_the_numerator_of(world, login, domains):
    # Codes given here start with 3: IndicatorFactory's own run 1.1, 1.2 … in the same cycle.
    own, headline, fatality = IndicatorFactory(), IndicatorFactory(code="3.9"), _rate("2.9")
    data = _post_data(own, domains) | {
        "also_counts_towards": [headline.pk],
        "numerator_of": [fatality.pk],
    }
    response = login(world.user("coordinator")).post(reverse("activities:activity_create"), data)
    assert response.status_code == 302
    activity = Activity.objects.get(code="A9.1")
    assert list(activity.also_counts_towards.all()) == [headline]
    assert list(activity.numerator_of.all()) == [fatality]
    page = login(world.user("coordinator")).get(reverse("activities:catalogue")).content.decode()
    feeds = page[page.index('data-feeds="A9.1"') :]
    feeds = " ".join(re.sub(r"<[^>]+>", " ", feeds[: feeds.index("</ul>")]).split())
    assert has_phrase(feeds, f"Numerator of: 2.9 {fatality.name_en}")
    assert has_phrase(feeds, "Also counts towards: 3.9")


def test_only_a_rate_takes_a_numerator_and_never_the_same_as_its_denominator(world, login, domains):
    count, fatality = IndicatorFactory(code="3.8"), _rate("2.8")
    client = login(world.user("coordinator"))
    data = _post_data(IndicatorFactory(), domains) | {"numerator_of": [count.pk]}
    response = client.post(reverse("activities:activity_create"), data)
    # The form offers rates only; a count posted anyway is not a valid choice.
    assert response.status_code == 200
    assert not Activity.objects.filter(code="A9.1").exists()
    data = _post_data(IndicatorFactory(), domains) | {
        "numerator_of": [fatality.pk],
        "denominator_of": [fatality.pk],
    }
    response = client.post(reverse("activities:activity_create"), data)
    assert has_phrase(
        response.content.decode(),
        "An activity cannot be both the numerator and the denominator of 2.8.",
    )
    assert not Activity.objects.filter(code="A9.1").exists()


def test_the_service_refuses_a_count_as_a_rate_s_numerator(domains):
    count = IndicatorFactory(code="3.7")
    with pytest.raises(ValidationError) as error:
        activity_create(
            domains=domains,
            by=None,
            feeds={"numerator_of": [count]},
            code="X1",
            name_en="Deaths",
            indicator=IndicatorFactory(),
            unit="other",
            collects="count",
        )
    assert (
        "Only a rate or proportion has a numerator and a denominator: 3.7 is not one."
        in (error.value.message_dict["numerator_of"])
    )
