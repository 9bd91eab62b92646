"""Entering the rows of a report over HTTP: a draft saves whatever is typed; each row that is
not right is kept as typed, marked, and its problems named by row and field."""

import pytest
import tinyhtml5
from django.urls import reverse

from activities.forms.reports import EXTRA_ROWS
from activities.models import Collects, Report, ReportStatus
from activities.services.reports import FIGURES
from tests.activities.factories import ActivityFactory, ReportRowFactory
from tests.activities.test_reports_helpers import formset_post, make_setup, row_data
from tests.factories import AdminAreaFactory
from tests.text import has_phrase


@pytest.fixture
def s(world):
    return make_setup(world)


@pytest.fixture
def alice(s, login):
    return login(s.world.user("focal"))


def edit_url(s):
    return reverse("activities:report_edit", kwargs={"pk": s.report.pk})


def post_rows(client, s, rows, **extra):
    return client.post(edit_url(s), formset_post(rows, **extra))


def shown_after_save(client, response) -> str:
    """The rows page a save leads to, where the unfinished rows are marked and named."""
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page.content.decode()


def unfinished_values(s) -> list[dict]:
    return [draft.values for draft in s.report.unfinished_rows.order_by("pk")]


def test_it_saves_a_draft_with_good_rows(alice, s):
    response = post_rows(alice, s, [row_data(s), row_data(s, area=str(s.other_district.pk))])
    assert response.status_code == 302
    assert s.report.rows.count() == 2
    assert s.report.rows.first().donor == "ECHO"


def test_it_adds_up_the_total_when_left_empty(alice, s):
    post_rows(alice, s, [row_data(s, total="")])
    assert s.report.rows.get().total == 50


def test_blank_extra_rows_are_ignored(alice, s):
    blank = dict.fromkeys(row_data(s), "")
    response = post_rows(alice, s, [row_data(s), blank, blank])
    assert response.status_code == 302
    assert s.report.rows.count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"girls": "-3"}, "Row 3, girls: Enter zero or more."),
        ({"boys": "ten"}, "Row 3, boys: Enter a whole number, in digits only (for example 1250)."),
        ({"total": "99"}, "Row 3: Girls, boys, women and men add up to 50, but the total is 99"),
        ({"older_people": "51"}, "Row 3: Older people (51) cannot be more than the total (50)."),
        ({"implementing_other": "Local clinic"}, "Row 3: Choose the implementing partner"),
        ({"implementing_organisation": ""}, "Row 3: Choose the implementing partner"),
    ],
    ids=["negative", "not-a-number", "sum", "older", "both-implementers", "no-implementer"],
)
def test_a_wrong_row_is_kept_as_typed_and_named(alice, s, overrides, message):
    response = post_rows(alice, s, [row_data(s), row_data(s), row_data(s, **overrides)])
    content = shown_after_save(alice, response)
    assert message in content
    assert s.report.rows.count() == 2
    [kept] = unfinished_values(s)
    for name, value in overrides.items():
        assert kept.get(name, "") == value
    assert kept["donor"] == "ECHO"
    assert content.count("data-unfinished") == 1


def test_an_area_outside_the_list_is_named(alice, s):
    # An admin1 area is in the tree but not an admin2 area of the list; another pk not at all.
    for area in (s.world.area.pk, 999999):
        s.report.unfinished_rows.all().delete()
        response = post_rows(alice, s, [row_data(s, area=str(area))])
        assert "Row 1, area: Choose an area of the list" in shown_after_save(alice, response)
        assert unfinished_values(s)[0]["area"] == str(area)
    assert not s.report.rows.exists()


def test_an_activity_not_in_the_catalogue_is_named(alice, s):
    retired = ActivityFactory(code="OLD1", is_active=False)
    response = post_rows(alice, s, [row_data(s, activity=str(retired.pk))])
    content = shown_after_save(alice, response)
    assert "Row 1, activity: Choose an activity of the catalogue." in content
    assert not s.report.rows.exists()


def test_a_total_only_activity_needs_no_breakdown(alice, s):
    row = row_data(
        s,
        activity=str(s.total_only.pk),
        **dict.fromkeys(("girls", "boys", "women", "men", "older_people"), ""),
        people_with_disabilities="",
    )
    response = post_rows(alice, s, [row])
    assert response.status_code == 302
    assert s.report.rows.get().total == 50


# --- the figures each activity collects ----------------------------------------------------------


@pytest.fixture
def measles(s):
    return ActivityFactory(code="MEASLES", name_en="Measles campaign", groups=("girls", "boys"))


def _figures_only(s, activity, **figures) -> dict:
    """A good row of ``activity`` with only the figures given (the others left empty)."""
    empty = dict.fromkeys(FIGURES, "")
    return row_data(s, activity=str(activity.pk), **(empty | figures))


def test_a_girls_and_boys_activity_has_no_women_or_men_inputs(alice, s, measles):
    ReportRowFactory(report=s.report, activity=measles, area=s.district)
    content = alice.get(edit_url(s)).content.decode()
    assert 'name="form-0-girls"' in content
    assert 'name="form-0-boys"' in content
    assert 'name="form-0-total"' in content
    for name in ("women", "men", "older_people", "people_with_disabilities"):
        assert f'name="form-0-{name}"' not in content
    assert "Figures of this activity: girls and boys." in content
    # A blank row shows every input until its activity is chosen.
    assert 'name="form-1-women"' in content


def test_women_or_men_for_a_girls_and_boys_activity_are_refused_by_name(alice, s, measles):
    row = _figures_only(s, measles, girls="10", boys="12", women="5", total="")
    content = shown_after_save(alice, post_rows(alice, s, [row]))
    assert "Row 1: This activity counts girls and boys only: leave women empty." in content
    # The input that holds the figure stays on the page, so it can be emptied.
    assert 'name="form-0-women"' in content
    assert 'name="form-0-men"' not in content
    assert not s.report.rows.exists()


def test_the_arabic_page_names_the_groups_in_arabic(alice, s, measles):
    row = _figures_only(s, measles, girls="10", boys="12", women="5", men="1")
    response = alice.post(edit_url(s).replace("/en/", "/ar/", 1), formset_post([row]))
    assert "يُحصي هذا النشاط الفتيات والفتيان فقط: اترك خانات النساء والرجال فارغة." in (
        shown_after_save(alice, response)
    )


def test_a_girls_and_boys_activity_adds_up_its_two_groups(alice, s, measles):
    response = post_rows(alice, s, [_figures_only(s, measles, girls="10", boys="12")])
    assert response.status_code == 302
    row = s.report.rows.get()
    assert (row.girls, row.boys, row.women, row.men, row.total) == (10, 12, None, None, 22)


def test_a_group_left_empty_is_named(alice, s, measles):
    response = post_rows(alice, s, [_figures_only(s, measles, girls="10")])
    assert (
        "Row 1: This activity counts girls and boys: enter a figure for boys (zero if none)."
        in shown_after_save(alice, response)
    )


def test_a_single_count_refuses_figures_by_sex_and_age(alice, s):
    row = _figures_only(s, s.total_only, girls="3", total="9")
    response = post_rows(alice, s, [row])
    assert (
        "Row 1: This activity is a single count, not by sex and age: leave girls empty."
        in shown_after_save(alice, response)
    )


def test_older_people_are_refused_where_the_activity_does_not_count_them(alice, s, measles):
    row = _figures_only(s, measles, girls="10", boys="12", older_people="2")
    response = post_rows(alice, s, [row])
    assert (
        "Row 1: This activity does not count older people: leave that figure empty."
        in shown_after_save(alice, response)
    )


@pytest.fixture
def antenatal(s):
    """Antenatal care: women, and a total that also counts those not broken down."""
    return ActivityFactory(code="ANC", groups=("women",), collects=Collects.BOTH)


def test_both_accepts_a_total_larger_than_the_groups(alice, s, antenatal):
    response = post_rows(alice, s, [_figures_only(s, antenatal, women="40", total="55")])
    assert response.status_code == 302
    row = s.report.rows.get()
    assert (row.women, row.total) == (40, 55)


def test_both_refuses_a_total_smaller_than_the_groups(alice, s, antenatal):
    response = post_rows(alice, s, [_figures_only(s, antenatal, women="40", total="30")])
    assert has_phrase(
        shown_after_save(alice, response),
        "Row 1: Women add up to 40, more than the total of 30. The total counts everyone "
        "reached: those counted by sex and age and the others.",
    )
    assert not s.report.rows.exists()


def test_both_needs_the_total_typed_in(alice, s, antenatal):
    response = post_rows(alice, s, [_figures_only(s, antenatal, women="40")])
    content = shown_after_save(alice, response)
    assert "Row 1, total reached: Enter the total reached." in content


def test_the_page_tells_the_script_what_each_activity_collects(alice, s, measles, antenatal):
    response = alice.get(edit_url(s))
    figures = response.context["formset"].choices.figures()
    assert figures[str(measles.pk)] == {
        "figures": ["girls", "boys", "total"],
        "added_up": True,
        "text": "Figures of this activity: girls and boys.",
    }
    assert figures[str(antenatal.pk)]["added_up"] is False
    assert 'id="activity-figures"' in response.content.decode()


def test_it_deletes_a_row_ticked_for_deletion(alice, s):
    row = ReportRowFactory(report=s.report, activity=s.activity, area=s.district)
    data = row_data(s, id=str(row.pk), DELETE="on")
    post_rows(alice, s, [data], initial=1)
    assert not s.report.rows.exists()


def _selected_implementers(content: str) -> list[str]:
    tree = tinyhtml5.parse(content, namespace_html_elements=False)
    return [
        next(
            (
                option.get("value")
                for option in select.iter("option")
                if option.get("selected") is not None
            ),
            "",
        )
        for select in tree.iter("select")
        if select.get("name", "").endswith("-implementing_organisation")
    ]


def test_blank_rows_start_with_the_reporting_organisation_as_implementer(alice, s):
    content = alice.get(edit_url(s)).content.decode()
    chosen = _selected_implementers(content)
    assert len(chosen) == EXTRA_ROWS
    assert set(chosen) == {str(s.world.org_a.pk)}


def test_a_row_filled_without_touching_the_implementer_is_the_reporters(alice, s):
    blank = dict.fromkeys(row_data(s), "") | {"implementing_organisation": str(s.world.org_a.pk)}
    response = post_rows(alice, s, [row_data(s, donor="UNICEF"), blank, blank])
    assert response.status_code == 302
    assert [(row.donor, row.implementing_organisation) for row in s.report.rows.all()] == [
        ("UNICEF", s.world.org_a)
    ]


def test_another_implementer_can_still_be_chosen_or_typed(alice, s):
    other = row_data(s, implementing_organisation="", implementing_other="Village clinic")
    response = post_rows(alice, s, [other])
    assert response.status_code == 302
    row = s.report.rows.get()
    assert (row.implementing_organisation, row.implementing_other) == (None, "Village clinic")


def test_more_rows_also_start_with_the_reporting_organisation(alice, s):
    response = post_rows(alice, s, [row_data(s)], _add_rows="1")
    chosen = _selected_implementers(response.content.decode())
    assert len(chosen) == 6
    assert set(chosen) == {str(s.world.org_a.pk)}


def test_add_more_rows_shows_blank_rows_without_saving_or_errors(alice, s):
    response = post_rows(alice, s, [row_data(s, total="99")], _add_rows="1")
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="form-TOTAL_FORMS" value="6"' in content
    assert "Nothing was saved" not in content
    assert not s.report.rows.exists()


def test_save_and_submit_submits_the_report(alice, s, mailoutbox):
    response = post_rows(alice, s, [row_data(s)], _submit="1")
    assert response.status_code == 302
    s.report.refresh_from_db()
    assert s.report.status == ReportStatus.SUBMITTED


def test_rows_commented_by_the_coordinators_are_highlighted(alice, s):
    s.report.status = ReportStatus.RETURNED
    s.report.review_comment = "See row 1."
    s.report.save()
    ReportRowFactory(
        report=s.report, activity=s.activity, area=s.district, review_comment="Too many women."
    )
    content = alice.get(edit_url(s)).content.decode()
    assert "Too many women." in content
    assert "See row 1." in content


def test_a_submitted_report_cannot_be_edited_by_the_partner(alice, s):
    s.report.status = ReportStatus.SUBMITTED
    s.report.save()
    response = alice.get(edit_url(s), follow=True)
    assert "its rows can be changed only while it is a draft" in response.content.decode()


def test_another_organisations_report_is_a_404(s, login):
    client = login(s.world.user("other_member"))
    assert client.get(edit_url(s)).status_code == 404
    assert client.post(edit_url(s), formset_post([row_data(s)])).status_code == 404
    assert client.get(reverse("activities:report", kwargs={"pk": s.report.pk})).status_code == 404


# --- start ---------------------------------------------------------------------------------------


def test_starting_a_second_time_opens_the_same_report(s, login):
    client = login(s.world.user("staff"))
    url = reverse("activities:report_start", kwargs={"period_pk": s.open_period.pk})
    response = client.post(url)
    assert response.status_code == 302
    assert Report.objects.filter(organisation=s.world.org_a, period=s.open_period).count() == 1
    assert response["Location"] == reverse("activities:report", kwargs={"pk": s.report.pk})


def test_starting_creates_a_draft_for_a_new_period(s, login):
    client = login(s.world.user("other_member"))
    url = reverse("activities:report_start", kwargs={"period_pk": s.open_period.pk})
    assert client.get(url).status_code == 200
    response = client.post(url)
    report = Report.objects.get(organisation=s.world.org_b, period=s.open_period)
    assert response["Location"] == reverse("activities:report_edit", kwargs={"pk": report.pk})
    assert report.status == ReportStatus.DRAFT


def test_a_closed_period_says_so_clearly(s, login):
    client = login(s.world.user("other_member"))
    url = reverse("activities:report_start", kwargs={"period_pk": s.closed_period.pk})
    response = client.post(url)
    assert response.status_code == 400
    assert f"Reporting for {s.closed_period} is closed." in response.content.decode()
    assert not Report.objects.filter(organisation=s.world.org_b).exists()


# --- queries -------------------------------------------------------------------------------------


def _rows(s, count):
    for index in range(count):
        area = AdminAreaFactory(
            pcode=f"ZZ01{index:02d}X", level=2, parent=s.world.area, name_en=f"D{index}"
        )
        activity = ActivityFactory(code=f"Q{index:03d}")
        ReportRowFactory(
            report=s.report,
            activity=activity,
            area=area,
            review_comment="Check" if index % 2 else "",
        )


@pytest.mark.parametrize("name", ["activities:report_edit", "activities:report"])
def test_the_page_makes_the_same_queries_with_3_or_30_rows(s, alice, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse(name, kwargs={"pk": s.report.pk})
    _rows(s, 3)
    with CaptureQueriesContext(connection) as few:
        assert alice.get(url).status_code == 200
    for index in range(3, 30):
        area = AdminAreaFactory(pcode=f"ZZ02{index:02d}X", level=2, parent=s.world.area)
        ReportRowFactory(report=s.report, activity=ActivityFactory(code=f"R{index:03d}"), area=area)
    with CaptureQueriesContext(connection) as many:
        assert alice.get(url).status_code == 200
    assert s.report.rows.count() == 30
    assert len(few) == len(many), [q["sql"] for q in many.captured_queries]
    assert len(many) <= 12
    print(name, len(many))
