"""Planned activities: the checks of the service (area within the budget's areas, months
within the project's dates, groups fitting the target, no activity twice in an area over the
same months), editing them on the project form by role, and the project's page listing them."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from locations.models import AdminLevel
from projects import services
from projects.models import PlannedActivity, ReviewState
from projects.services import Planned
from tests.activities.factories import ActivityFactory
from tests.factories import AdminAreaFactory
from tests.projects.factories import ProjectFactory, project_form

pytestmark = pytest.mark.django_db

VALUES = {
    "title_en": "Mobile clinics",
    "title_ar": "",
    "plan_code": "",
    "donors": "ECHO",
    "start": datetime.date(2026, 1, 15),
    "end": datetime.date(2026, 6, 30),
    "status": "planned",
    "budget_required_usd": Decimal("1000"),
}


@pytest.fixture
def places(world):
    """The North (ZZ01, admin1) with its district ZZ0101, and the South (ZZ02) with ZZ0201."""
    south = AdminAreaFactory(pcode="ZZ02", name_en="South")
    return {
        "north": world.area,
        "north_district": AdminAreaFactory(
            pcode="ZZ0101", level=AdminLevel.ADMIN2, parent=world.area, name_en="North Hills"
        ),
        "south": south,
        "south_district": AdminAreaFactory(
            pcode="ZZ0201", level=AdminLevel.ADMIN2, parent=south, name_en="South Plain"
        ),
    }


@pytest.fixture
def consultations():
    return ActivityFactory(code="OPD", name_en="Outpatient consultations")


def _planned(activity, area, first=(2026, 2), last=(2026, 4), target=500, **groups) -> Planned:
    return Planned(
        activity=activity,
        area=area,
        first_month=datetime.date(*first, 1),
        last_month=datetime.date(*last, 1),
        target=target,
        **groups,
    )


def _create(world, planned, area_shares=()):
    return services.project_create(
        values=VALUES, planned=planned, area_shares=area_shares, by=world.user("staff")
    )


def _problems(error) -> list[tuple[int, str, str]]:
    return [
        (one.params["index"], one.params["field"], one.message)
        for one in error.value.error_dict[services.PLANNED]
    ]


def test_planned_activities_are_saved_with_their_months_as_first_days(world, places, consultations):
    project = _create(
        world,
        [_planned(consultations, places["north_district"], target=500, girls=100, boys=90)],
    )
    row = PlannedActivity.objects.get(project=project)
    assert (row.first_month, row.last_month) == (
        datetime.date(2026, 2, 1),
        datetime.date(2026, 4, 1),
    )
    assert (row.target, row.girls, row.boys, row.women, row.men) == (500, 100, 90, None, None)


def test_the_area_is_one_of_the_budgets_areas_or_inside_one(world, places, consultations):
    shares = [(places["north"], Decimal(100))]
    with pytest.raises(ValidationError) as error:
        _create(
            world,
            [
                _planned(consultations, places["north_district"]),
                _planned(consultations, places["north"], first=(2026, 5), last=(2026, 5)),
                _planned(consultations, places["south_district"]),
            ],
            area_shares=shares,
        )
    # The district of the North and the North itself are accepted; the South's district not.
    assert [(index, field) for index, field, _message in _problems(error)] == [(2, "area")]
    assert "none of the areas the project's budget goes to" in _problems(error)[0][2]
    assert not PlannedActivity.objects.exists()


def test_without_a_split_by_area_any_admin1_or_admin2_area_is_accepted(
    world, places, consultations
):
    project = _create(world, [_planned(consultations, places["south_district"])])
    assert project.planned_activities.count() == 1


def test_the_months_lie_within_the_projects_dates(world, places, consultations):
    # The project runs from 15 January to 30 June 2026: January and June are its months.
    with pytest.raises(ValidationError) as error:
        _create(
            world,
            [
                _planned(consultations, places["north"], first=(2026, 1), last=(2026, 6)),
                _planned(consultations, places["south"], first=(2025, 12), last=(2026, 7)),
                _planned(consultations, places["north_district"], first=(2026, 4), last=(2026, 3)),
            ],
        )
    assert [(index, field) for index, field, _message in _problems(error)] == [
        (1, "first_month"),
        (1, "last_month"),
        (2, "last_month"),
    ]
    messages = [message for _index, _field, message in _problems(error)]
    assert messages == [
        "The first month is before the project starts.",
        "The last month is after the project ends.",
        "The last month cannot come before the first.",
    ]


def test_an_activity_is_planned_once_in_an_area_over_the_same_months(world, places, consultations):
    rows = [
        _planned(consultations, places["north"]),
        _planned(consultations, places["north"], first=(2026, 5), last=(2026, 6)),
        _planned(consultations, places["north"]),
    ]
    with pytest.raises(ValidationError) as error:
        _create(world, rows)
    assert [(index, field) for index, field, _message in _problems(error)] == [(2, "activity")]


def test_the_groups_are_those_the_activity_counts_and_fit_the_target(world, places):
    women_only = ActivityFactory(code="ANC", groups=("women",))
    single_count = ActivityFactory(code="KITS", groups=())
    with pytest.raises(ValidationError) as error:
        _create(
            world,
            [
                _planned(women_only, places["north"], target=300, women=300, girls=20),
                _planned(single_count, places["north"], target=50, men=10),
                # Groups only: the total is their sum, 300 + 0, not 250.
                _planned(women_only, places["south"], target=250, women=300),
            ],
        )
    assert [(index, field) for index, field, _message in _problems(error)] == [
        (0, "girls"),
        (1, "men"),
        (2, "target"),
    ]
    assert (
        _problems(error)[2][2] == "The girls, boys, women and men add up to more than the target."
    )


def test_an_activity_collecting_groups_only_has_their_sum_as_its_target(world, places):
    mothers = ActivityFactory(code="ANC", groups=("women",))
    with pytest.raises(ValidationError) as error:
        _create(world, [_planned(mothers, places["north"], target=400, women=300)])
    assert _problems(error)[0][1:] == (
        "target",
        "This activity's total is the sum of its groups: the target is 300, not 400.",
    )


def test_the_target_is_more_than_nothing(world, places, consultations):
    with pytest.raises(ValidationError) as error:
        _create(world, [_planned(consultations, places["north"], target=0)])
    assert _problems(error)[0][:2] == (0, "target")


# --- the form ------------------------------------------------------------------------------------


def _rows(*rows: dict, total: int | None = None) -> dict:
    data = {
        "planned-TOTAL_FORMS": str(total if total is not None else len(rows)),
        "planned-INITIAL_FORMS": "0",
        "planned-MIN_NUM_FORMS": "0",
        "planned-MAX_NUM_FORMS": "200",
    }
    for index, row in enumerate(rows):
        data |= {f"planned-{index}-{name}": value for name, value in row.items()}
    return data


def _row(activity, area, **changes) -> dict:
    return {
        "activity": activity.pk,
        "area": area.pk,
        "first_month": "2026-02",
        "last_month": "2026-04",
        "target": "500",
    } | changes


def test_the_owner_adds_planned_activities_on_the_form_of_a_draft(
    world, login, places, consultations
):
    project = ProjectFactory(organisation=world.org_a)
    client = login(world.user("staff"))
    data = project_form() | _rows(_row(consultations, places["north"], girls="100"), {}, total=2)
    response = client.post(reverse("projects:edit", args=[project.pk]), data)
    assert response.status_code == 302
    row = project.planned_activities.get()
    assert (row.area, row.target, row.girls) == (places["north"], 500, 100)


def test_a_problem_shows_on_its_rows_field_and_nothing_is_saved(
    world, login, places, consultations
):
    project = ProjectFactory(organisation=world.org_a)
    client = login(world.user("staff"))
    data = project_form(start="2026-03-01") | _rows(
        {}, _row(consultations, places["north"], first_month="2026-01"), total=2
    )
    response = client.post(reverse("projects:edit", args=[project.pk]), data)
    assert response.status_code == 400
    planned = response.context["planned"]
    assert planned.forms[1].errors == {
        "first_month": ["The first month is before the project starts."]
    }
    assert not PlannedActivity.objects.exists()


def test_a_row_half_filled_in_says_what_it_lacks(world, login, places, consultations):
    project = ProjectFactory(organisation=world.org_a)
    client = login(world.user("staff"))
    data = project_form() | _rows({"activity": consultations.pk, "target": "10"})
    response = client.post(reverse("projects:edit", args=[project.pk]), data)
    assert response.status_code == 400
    assert set(response.context["planned"].forms[0].errors) == {"area", "first_month", "last_month"}


def test_saving_the_form_replaces_the_planned_activities(world, login, places, consultations):
    project = ProjectFactory(organisation=world.org_a)
    PlannedActivity.objects.create(
        project=project,
        activity=consultations,
        area=places["south"],
        first_month=datetime.date(2026, 1, 1),
        last_month=datetime.date(2026, 1, 1),
        target=10,
    )
    client = login(world.user("focal"))
    response = client.get(reverse("projects:edit", args=[project.pk]))
    form = response.context["planned"]
    # The saved one and three empty rows to add more.
    assert len(form.forms) == 4
    assert form.forms[0].initial["area"] == places["south"]
    # On the page: the saved row's choices selected, the empty rows' selects offering the same.
    page = response.content.decode()
    selects = dict(re.findall(r'<select [^>]*name="planned-(\d-\w+)"[^>]*>(.*?)</select>', page))
    assert re.findall(r'<option value="(\d+)" selected>', selects["0-area"]) == [
        str(places["south"].pk)
    ]
    assert re.findall(r'<option value="(\d+)" selected>', selects["0-activity"]) == [
        str(consultations.pk)
    ]
    assert re.findall(r'<option value="(\d*)" selected>', selects["1-area"]) == [""]
    assert selects["1-area"].count("<option") == selects["0-area"].count("<option") > 1
    data = project_form() | _rows(_row(consultations, places["north"]))
    assert client.post(reverse("projects:edit", args=[project.pk]), data).status_code == 302
    assert [row.area for row in project.planned_activities.all()] == [places["north"]]


@pytest.mark.parametrize(
    ("role", "state", "expected"),
    [
        ("staff", ReviewState.RETURNED, 302),
        # Refused with a message, back to the project's page.
        ("staff", ReviewState.SUBMITTED, 302),
        ("staff", ReviewState.ACCEPTED, 302),
        ("other_member", ReviewState.ACCEPTED, 403),
        ("coordinator", ReviewState.ACCEPTED, 302),
    ],
)
def test_who_changes_the_planned_activities(
    world, login, places, consultations, role, state, expected
):
    project = ProjectFactory(organisation=world.org_a, state=state)
    client = login(world.user(role))
    data = project_form() | _rows(_row(consultations, places["north"]))
    response = client.post(reverse("projects:edit", args=[project.pk]), data)
    assert response.status_code == expected
    changed = project.planned_activities.exists()
    assert changed == (role == "coordinator" or state == ReviewState.RETURNED)


def test_the_projects_page_lists_its_planned_activities(world, login, places, consultations):
    project = ProjectFactory(organisation=world.org_a, state=ReviewState.ACCEPTED)
    PlannedActivity.objects.create(
        project=project,
        activity=consultations,
        area=places["north_district"],
        first_month=datetime.date(2026, 2, 1),
        last_month=datetime.date(2026, 4, 1),
        target=1500,
        girls=400,
        men=300,
    )
    page = login(world.user("other_member")).get(reverse("projects:detail", args=[project.pk]))
    text = page.content.decode()
    assert "Outpatient consultations" in text
    assert "North Hills" in text
    assert "February 2026 \N{EN DASH} April 2026" in text
    assert "1,500 people" in text
    assert "girls 400, men 300" in text
