"""The planning pages over HTTP: the caseloads table saved as a whole, the suggestions copied
into empty fields, the targets per area with the cluster-wide target, what members see, the
links from the strategy's pages, and a fixed number of queries whatever the number of areas."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from locations.models import AdminLevel
from planning.models import Caseload, IndicatorAreaTarget
from tests.assessments.factories import AssessmentFactory, FindingFactory
from tests.factories import AdminAreaFactory

pytestmark = pytest.mark.django_db


def _caseloads_url(plan, level=1) -> str:
    return reverse("planning:caseloads", args=[plan.cycle.pk]) + f"?level={level}"


def _targets_url(indicator, level=1) -> str:
    return reverse("planning:area_targets", args=[indicator.pk]) + f"?level={level}"


def _saved(plan) -> set[tuple]:
    return set(
        Caseload.objects.filter(cycle=plan.cycle).values_list(
            "area__pcode", "group", "people_in_need", "people_targeted", "source"
        )
    )


@pytest.fixture
def coordinator(world, login):
    return login(world.user("coordinator"))


def test_a_coordinator_saves_the_whole_level_at_once(plan, coordinator):
    north, south = plan.north.pk, plan.south.pk
    response = coordinator.post(
        _caseloads_url(plan),
        {
            "level": "1",
            "source": "HNO 2026",
            f"pin-{north}-all": "12000",
            f"tgt-{north}-all": "9000",
            f"pin-{north}-girls": "٣٠٠٠",  # Arabic-Indic digits: 3000
            f"pin-{south}-all": "8,000",
        },
    )
    assert response.status_code == 302
    assert _saved(plan) == {
        ("PL1", "all", 12000, 9000, "HNO 2026"),
        ("PL1", "girls", 3000, None, "HNO 2026"),
        ("PL2", "all", 8000, None, "HNO 2026"),
    }


def test_one_wrong_figure_saves_nothing_and_is_marked(plan, coordinator):
    north, south = plan.north.pk, plan.south.pk
    response = coordinator.post(
        _caseloads_url(plan),
        {
            "level": "1",
            f"pin-{north}-all": "12000",
            f"pin-{south}-all": "100",
            f"tgt-{south}-all": "150",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was saved: correct the figures marked below." in page
    assert "The people targeted cannot exceed the people in need." in page
    # The wrong cell is marked and keeps what was typed; the others keep theirs unmarked.
    assert re.search(
        rf'class="form-control form-control-sm is-invalid" name="tgt-{south}-all"'
        rf' id="id_tgt-{south}-all" value="150"[^>]*><div class="invalid-feedback">'
        r"The people targeted cannot exceed the people in need.</div>",
        page,
    )
    assert re.search(
        rf'class="form-control form-control-sm" name="pin-{north}-all"'
        rf' id="id_pin-{north}-all" value="12000"',
        page,
    )
    assert page.count("is-invalid") == 1
    assert not Caseload.objects.exists()


def test_a_double_count_with_the_other_level_is_explained_above_the_table(plan, coordinator):
    Caseload.objects.create(cycle=plan.cycle, area=plan.d11, people_in_need=10)
    response = coordinator.post(
        _caseloads_url(plan), {"level": "1", f"pin-{plan.north.pk}-all": "100"}
    )
    assert response.status_code == 400
    assert "would count its people twice" in response.content.decode()
    assert _saved(plan) == {("PL101", "all", 10, None, "")}


def test_suggestions_fill_only_the_empty_in_need_fields(plan, coordinator):
    published = AssessmentFactory(
        start_date=datetime.date(2026, 3, 1),
        end_date=datetime.date(2026, 3, 10),
        published_at=datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC),
    )
    FindingFactory(assessment=published, area=plan.d11, people_in_need=900)
    FindingFactory(assessment=published, area=plan.d12, people_in_need=400)
    d11, d12 = plan.d11.pk, plan.d12.pk
    page = coordinator.get(_caseloads_url(plan, 2)).content.decode()
    assert "Suggested: 900" in page
    response = coordinator.post(
        _caseloads_url(plan, 2), {"level": "2", "suggest": "1", f"pin-{d12}-all": "450"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f'name="pin-{d11}-all" id="id_pin-{d11}-all" value="900"' in page
    assert f'name="pin-{d12}-all" id="id_pin-{d12}-all" value="450"' in page
    assert "1 suggestion copied into an empty field. Check it, then save." in page
    assert not Caseload.objects.exists()


def test_members_read_the_figures_without_a_form_or_suggestions(plan, world, login):
    Caseload.objects.create(
        cycle=plan.cycle, area=plan.north, people_in_need=12000, people_targeted=9000
    )
    FindingFactory(
        assessment=AssessmentFactory(
            start_date=datetime.date(2026, 3, 1),
            end_date=datetime.date(2026, 3, 10),
            published_at=datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC),
            is_restricted=True,
        ),
        area=plan.north,
        people_in_need=777,
    )
    page = login(world.user("staff")).get(_caseloads_url(plan)).content.decode()
    assert "12,000" in page
    assert "9,000" in page
    assert '<input type="text"' not in page
    assert "Suggested" not in page
    assert "Save the caseloads" not in page


def test_the_targets_page_updates_the_cluster_wide_target_when_asked(plan, coordinator):
    data = {
        "level": "1",
        f"target-{plan.north.pk}": "9000",
        f"target-{plan.south.pk}": "3400",
    }
    response = coordinator.post(_targets_url(plan.count), data)
    assert response.status_code == 400
    assert (
        "The areas&#x27; targets add up to 12,400; the cluster-wide target is 15,000."
        in response.content.decode()
    )
    response = coordinator.post(_targets_url(plan.count), {**data, "update_cluster_target": "on"})
    assert response.status_code == 302
    plan.count.refresh_from_db()
    assert plan.count.target == Decimal(12400)
    assert IndicatorAreaTarget.objects.filter(indicator=plan.count).count() == 2


def test_a_rate_has_no_sum_to_update(plan, coordinator):
    page = coordinator.get(_targets_url(plan.rate)).content.decode()
    assert "update_cluster_target" not in page
    assert "between the smallest and the largest area target" in page


def test_the_strategy_cycle_page_links_to_both(plan, coordinator):
    page = coordinator.get(reverse("strategy:cycle_manage", args=[plan.cycle.pk])).content.decode()
    assert reverse("planning:caseloads", args=[plan.cycle.pk]) in page
    assert reverse("planning:area_targets", args=[plan.count.pk]) in page
    assert reverse("planning:area_targets", args=[plan.rate.pk]) in page


def test_the_pages_read_right_to_left_in_arabic(plan, coordinator):
    url = f"/ar/planning/cycles/{plan.cycle.pk}/caseloads/"
    response = coordinator.get(url)
    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()
    assert 'class="table-responsive"' in response.content.decode()


def _add_districts(plan, first: int, count: int) -> None:
    """Districts of South, each with a caseload, a target and a published finding."""
    for number in range(first, first + count):
        district = AdminAreaFactory(
            pcode=f"PL2{number:02d}", level=AdminLevel.ADMIN2, parent=plan.south
        )
        Caseload.objects.create(cycle=plan.cycle, area=district, people_in_need=100)
        IndicatorAreaTarget.objects.create(indicator=plan.rate, area=district, target=80)
        FindingFactory(
            assessment__published_at=datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC),
            assessment__start_date=datetime.date(2026, 3, 1),
            assessment__end_date=datetime.date(2026, 3, 9),
            area=district,
        )


QUERIES = {"caseloads": {"coordinator": 9, "staff": 9}, "targets": {"coordinator": 7, "staff": 8}}


@pytest.mark.parametrize("role", ["coordinator", "staff"])
@pytest.mark.parametrize("page", ["caseloads", "targets"])
def test_the_pages_ask_a_fixed_number_of_queries(
    plan, world, login, role, page, django_assert_num_queries
):
    client = login(world.user(role))
    url = _caseloads_url(plan, 2) if page == "caseloads" else _targets_url(plan.rate, 2)
    _add_districts(plan, 10, 3)
    with django_assert_num_queries(QUERIES[page][role]):
        assert client.get(url).status_code == 200
    _add_districts(plan, 20, 7)
    with django_assert_num_queries(QUERIES[page][role]):
        assert client.get(url).status_code == 200
