"""Issue 22: the 4W edit page shows a report a page of rows at a time.

A 150-row report's page took 2.6 s and sent 5.2 MB: every row rendered its three selects
option by option. Now a page holds 25 rows whose selects share options rendered once, and
saving a page writes only what changed on it: the other pages' rows stay as they are, a row
is deleted only when its box is ticked, and a problem between rows of two pages is still
named, with the rows' numbers in the whole report.
"""

import gzip

import pytest
from django.urls import reverse

from activities.forms.reports import ROWS_PER_PAGE
from activities.models import Activity, ReportRow
from locations.models import AdminArea, AdminLevel
from partners.models import OrganisationStatus
from tests.activities.test_reports_helpers import add_rows, formset_post
from tests.factories import OrganisationFactory
from tests.text import has_phrase

pytestmark = pytest.mark.django_db


def edit_url(setup, page: int | None = None) -> str:
    url = reverse("activities:report_edit", args=[setup.report.pk])
    return f"{url}?page={page}" if page else url


def as_shown(response) -> list[dict]:
    """The saved rows of the page as its form shows them."""
    formset = response.context["formset"]
    return [
        {name: "" if value is None else str(value) for name, value in form.initial.items()}
        for form in formset.forms[: formset.initial_form_count()]
    ]


def history_count() -> int:
    return ReportRow.history.count()


def test_each_page_shows_its_rows_numbered_in_the_whole_report(setup, focal):
    add_rows(setup, [50] * 60)
    second = focal.get(edit_url(setup, 2)).content.decode()
    assert has_phrase(second, "Rows 26 to 50 of 60.")
    assert has_phrase(second, "Row 26")
    assert has_phrase(second, "Row 50")
    assert not has_phrase(second, "Row 25")
    assert not has_phrase(second, "Row 51")
    assert "Add more rows" not in second  # new rows go on the last page
    last = focal.get(edit_url(setup, 3))
    assert len(last.context["formset"].forms) == 10 + 3  # its rows and three blank ones
    assert "Add more rows" in last.content.decode()


def test_saving_a_page_writes_only_what_changed_on_it(setup, focal):
    rows = add_rows(setup, [50] * 60)
    before = history_count()
    shown = as_shown(focal.get(edit_url(setup, 2)))
    shown[4]["total"] = "80"  # row 30
    shown[5]["DELETE"] = "on"  # row 31
    response = focal.post(edit_url(setup, 2), formset_post(shown, initial=len(shown)))
    assert response.status_code == 302
    assert response["Location"] == edit_url(setup, 2)
    after = {row.pk: row for row in setup.report.rows.all()}
    assert len(after) == 59
    assert rows[30].pk not in after
    assert after[rows[29].pk].total == 80
    assert all(
        after[row.pk].total == 50 for row in rows if row.pk not in (rows[29].pk, rows[30].pk)
    )
    assert history_count() - before == 2  # one change, one deletion: nothing else rewritten


def test_a_page_saved_unchanged_writes_nothing(setup, focal):
    add_rows(setup, [50] * 30)
    before = history_count()
    shown = as_shown(focal.get(edit_url(setup)))
    response = focal.post(edit_url(setup), formset_post(shown, initial=len(shown)), follow=True)
    assert "The draft is saved." in response.content.decode()
    assert history_count() == before
    assert setup.report.rows.count() == 30


def test_rows_left_out_of_a_post_are_kept(setup, focal):
    """Only a ticked box deletes: a page posted with fewer rows than it showed loses none."""
    add_rows(setup, [50] * 10)
    shown = as_shown(focal.get(edit_url(setup)))
    response = focal.post(edit_url(setup), formset_post(shown[:3], initial=3))
    assert response.status_code == 302
    assert setup.report.rows.count() == 10


def test_a_new_row_goes_after_the_last_row(setup, focal):
    rows = add_rows(setup, [50] * 30)
    shown = as_shown(focal.get(edit_url(setup, 2)))
    new = dict(shown[0], id="", implementing_other="Newcomer")
    response = focal.post(edit_url(setup, 2), formset_post([*shown, new], initial=len(shown)))
    assert response.status_code == 302
    ordered = list(setup.report.rows.order_by("order", "pk"))
    assert [row.pk for row in ordered[:30]] == [row.pk for row in rows]
    assert ordered[30].implementing_other == "Newcomer"


def test_going_to_another_page_saves_this_one_first(setup, focal):
    rows = add_rows(setup, [50] * 30)
    shown = as_shown(focal.get(edit_url(setup)))
    shown[0]["donor"] = "ECHO"
    response = focal.post(edit_url(setup), formset_post(shown, initial=len(shown), _page="2"))
    assert response["Location"] == edit_url(setup, 2)
    assert setup.report.rows.get(pk=rows[0].pk).donor == "ECHO"


def test_a_row_deleted_meanwhile_stops_the_save(setup, focal):
    rows = add_rows(setup, [50] * 5)
    shown = as_shown(focal.get(edit_url(setup)))
    rows[2].delete()  # somebody else, in another window
    shown[0]["total"] = "99"
    response = focal.post(edit_url(setup), formset_post(shown, initial=len(shown)))
    assert response.status_code == 400
    assert "Rows of this page were deleted since it was opened. Nothing was saved" in (
        response.content.decode()
    )
    assert setup.report.rows.get(pk=rows[0].pk).total == 50
    assert setup.report.rows.count() == 4


def test_another_reports_row_cannot_be_named(setup, focal, world):
    from tests.activities.factories import ReportFactory

    other = ReportFactory(organisation=world.org_b, period=setup.open_period)
    stranger = ReportRow.objects.create(
        report=other,
        activity=setup.total_only,
        area=setup.district,
        implementing_other="Their partner",
        status="ongoing",
        total=7,
    )
    add_rows(setup, [50] * 2)
    shown = as_shown(focal.get(edit_url(setup)))
    shown[0]["id"] = str(stranger.pk)
    response = focal.post(edit_url(setup), formset_post(shown, initial=len(shown)))
    assert response.status_code == 400
    stranger.refresh_from_db()
    assert stranger.report == other
    assert stranger.total == 7


def test_a_problem_between_two_pages_names_both_rows_at_submission(setup, focal):
    rows = add_rows(setup, [50] * 30)
    ReportRow.objects.filter(pk=rows[0].pk).update(
        implementing_other="Same partner", total=6_000_000
    )
    shown = as_shown(focal.get(edit_url(setup, 2)))
    shown[3].update(implementing_other="Same partner", total="6000000")  # row 29
    data = formset_post(shown, initial=len(shown), _submit="1")
    response = focal.post(edit_url(setup, 2), data, follow=True)
    assert "Rows 1, 29 are the same activity in the same area by the same implementer" in (
        response.content.decode()
    )
    # The draft keeps what was typed; the report waits, not submitted.
    assert setup.report.rows.get(pk=rows[28].pk).total == 6_000_000
    setup.report.refresh_from_db()
    assert setup.report.status == "draft"


def _large_lists(setup) -> None:
    """Lists the size of a real cluster's: 300 districts, 150 partners, 60 activities."""
    AdminArea.objects.bulk_create(
        AdminArea(
            pcode=f"ZZ9{number:03d}",
            name_en=f"District number {number}",
            name_ar=f"المنطقة رقم {number}",
            level=AdminLevel.ADMIN2,
            parent=setup.world.area,
        )
        for number in range(300)
    )
    OrganisationFactory.create_batch(150, status=OrganisationStatus.APPROVED)
    template = setup.activity
    for number in range(60):
        template.pk = None
        template.code = f"L{number:03d}"
        template.name_en = f"Activity of the catalogue number {number}"
        template.save()


def test_a_page_of_the_largest_report_is_light(setup, focal):
    """Under 200 KB compressed with lists of a real cluster's size."""
    _large_lists(setup)
    add_rows(setup, [50] * 150)
    assert Activity.objects.filter(is_active=True).count() > 60
    response = focal.get(edit_url(setup, 2))
    content = response.content
    assert content.count(b"data-report-row>") == ROWS_PER_PAGE
    assert content.count(b"<option") > ROWS_PER_PAGE * 500  # every select has every choice
    # At nginx's default gzip level, the least it compresses (145 KB of 842 KB when written).
    assert len(gzip.compress(content, compresslevel=1)) < 200_000
    selected = content.count(b" selected>")
    assert selected >= ROWS_PER_PAGE * 3  # each row's activity, area and status are chosen
