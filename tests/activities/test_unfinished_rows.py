"""Issue 23: a draft saves whatever is typed.

On an unstable link a focal point saves a half-filled report and finishes it later: a row
that does not pass the checks is kept as typed (text that is not a number too), marked on its
page with what it still lacks, and the report cannot be submitted or validated until each is
finished or deleted. A saved row whose change is unfinished keeps its last complete figures.
Pages are posted back as a browser sends them, from the page's own HTML.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from activities.models import Report, ReportStatus, UnfinishedRow
from activities.services import reports as services
from activities.services.reports import FIGURES, UnfinishedInput
from outbox.models import OutboundEmail
from tests.activities.factories import ReportRowFactory
from tests.activities.test_reports_helpers import add_rows, formset_post, row_data
from tests.fuzz.walker import form_posting_to, forms_of
from tests.text import has_phrase, page_text

pytestmark = pytest.mark.django_db

NO_FIGURES = dict.fromkeys(FIGURES, "")


def edit_url(setup, page: int | None = None) -> str:
    url = reverse("activities:report_edit", args=[setup.report.pk])
    return f"{url}?page={page}" if page else url


def as_the_browser_sends(html: str, path: str, **changes) -> dict:
    """The rows form of the page as a browser posts it, with ``changes`` typed in."""
    form = form_posting_to(forms_of(html), path)
    data = {}
    for field in form.fields:
        if field.kind in ("submit", "button", "file"):
            continue
        if field.kind == "checkbox":
            if field.checked:
                data[field.name] = field.value or "on"
        elif field.kind == "select":
            chosen = field.selected or field.options[:1]
            data[field.name] = chosen[0] if chosen else ""
        else:
            data[field.name] = field.value
    return data | changes


def saved_page(client, response) -> str:
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page.content.decode()


def shows(html: str, phrase: str) -> bool:
    return has_phrase(page_text(html), phrase)


def submitted_emails() -> int:
    return OutboundEmail.objects.filter(subject__contains="Activity report to validate").count()


def test_a_half_filled_row_is_saved_and_finished_later(setup, focal):
    half = row_data(setup, **NO_FIGURES)
    response = focal.post(edit_url(setup), formset_post([row_data(setup), half]))

    content = saved_page(focal, response)
    assert shows(
        content,
        "The draft is saved. Row 2 is not finished: it is kept as typed and marked on its "
        "page; complete or delete it before submitting the report.",
    )
    assert shows(
        content,
        "Row 2: This activity counts girls, boys, women and men: enter a figure for girls, "
        "boys, women and men (zero if none).",
    )
    assert content.count("data-unfinished") == 1
    assert setup.report.rows.count() == 1
    assert UnfinishedRow.objects.get().values["donor"] == "ECHO"

    # Later, the figures typed into the page as it was left, and the report submitted.
    figures = {"form-1-girls": "5", "form-1-boys": "5", "form-1-women": "5", "form-1-men": "5"}
    data = as_the_browser_sends(content, edit_url(setup), **figures, _submit="1")
    response = focal.post(edit_url(setup), data)

    assert response.status_code == 302
    assert not UnfinishedRow.objects.exists()
    assert sorted(setup.report.rows.values_list("total", flat=True)) == [20, 50]
    setup.report.refresh_from_db()
    assert setup.report.status == ReportStatus.SUBMITTED
    assert submitted_emails() == 2  # the two coordinators are told


def test_a_report_with_an_unfinished_row_is_not_submitted(setup, focal):
    focal.post(edit_url(setup), formset_post([row_data(setup), row_data(setup, **NO_FIGURES)]))

    submit = reverse("activities:report_submit", args=[setup.report.pk])
    response = focal.post(submit, follow=True)

    content = response.content.decode()
    assert shows(
        content,
        "Row 2 is not finished: complete or delete it on the rows page, then submit the report.",
    )
    assert f'href="{edit_url(setup)}">Go to the unfinished rows</a>' in content
    setup.report.refresh_from_db()
    assert setup.report.status == ReportStatus.DRAFT
    assert submitted_emails() == 0


def test_text_that_is_not_a_number_is_kept_and_shown_as_typed(setup, focal):
    row = ReportRowFactory(report=setup.report, activity=setup.total_only, area=setup.district)
    page = focal.get(edit_url(setup)).content.decode()

    data = as_the_browser_sends(page, edit_url(setup), **{"form-0-total": "1O0"})
    content = saved_page(focal, focal.post(edit_url(setup), data))

    assert as_the_browser_sends(content, edit_url(setup))["form-0-total"] == "1O0"
    assert shows(content, "Row 1, total reached: Enter a whole number, in digits only")
    # Until the change is finished, the row keeps its last complete figures.
    row.refresh_from_db()
    assert row.total == 50
    assert UnfinishedRow.objects.get().row == row


def test_deleting_a_row_deletes_its_unfinished_change(setup, focal):
    row = ReportRowFactory(report=setup.report, activity=setup.total_only, area=setup.district)
    page = focal.get(edit_url(setup)).content.decode()
    data = as_the_browser_sends(page, edit_url(setup), **{"form-0-total": "lots"})
    page = saved_page(focal, focal.post(edit_url(setup), data))

    data = as_the_browser_sends(page, edit_url(setup), **{"form-0-DELETE": "on"})
    saved_page(focal, focal.post(edit_url(setup), data))

    assert not setup.report.rows.filter(pk=row.pk).exists()
    assert not UnfinishedRow.objects.exists()


def test_an_unfinished_new_row_is_deleted_when_its_box_is_ticked(setup, focal):
    response = focal.post(edit_url(setup), formset_post([row_data(setup, total="many")]))
    page = saved_page(focal, response)
    assert shows(page, "Row 1, total reached: Enter a whole number, in digits only")

    data = as_the_browser_sends(page, edit_url(setup), **{"form-0-DELETE": "on"})
    content = saved_page(focal, focal.post(edit_url(setup), data))

    assert not UnfinishedRow.objects.exists()
    assert "data-unfinished" not in content
    assert shows(content, "The draft is saved.")


def test_a_row_emptied_of_everything_is_not_kept(setup, focal):
    focal.post(edit_url(setup), formset_post([row_data(setup, total="many")]))
    page = focal.get(edit_url(setup)).content.decode()
    emptied = {f"form-0-{name}": "" for name in row_data(setup) if name != "id"}
    emptied.pop("form-0-implementing_organisation")

    data = as_the_browser_sends(page, edit_url(setup), **emptied)
    saved_page(focal, focal.post(edit_url(setup), data))

    assert not UnfinishedRow.objects.exists()
    assert not setup.report.rows.exists()


def test_unfinished_rows_of_other_pages_are_linked(setup, focal):
    add_rows(setup, [50] * 30)
    first = focal.get(edit_url(setup)).content.decode()
    data = as_the_browser_sends(first, edit_url(setup), **{"form-2-total": "5O"})
    saved_page(focal, focal.post(edit_url(setup), data))

    second = focal.get(edit_url(setup, 2)).content.decode()

    assert shows(second, "Unfinished rows on other pages: Row 3")
    assert f'<a href="{edit_url(setup)}">Row 3</a>' in second
    assert "data-unfinished" not in second


def test_the_coordinators_cannot_validate_a_report_with_an_unfinished_row(setup):
    row = ReportRowFactory(report=setup.report, activity=setup.total_only, area=setup.district)
    Report.objects.filter(pk=setup.report.pk).update(status=ReportStatus.SUBMITTED)
    coordinator = setup.world.user("coordinator")
    services.report_save_page(
        report=setup.report,
        by=coordinator,
        rows=[],
        unfinished=[UnfinishedInput(values={"total": "fifty"}, pk=row.pk)],
    )

    with pytest.raises(ValidationError) as refused:
        services.report_validate(report=setup.report, by=coordinator)

    assert refused.value.code == "unfinished"
    setup.report.refresh_from_db()
    assert setup.report.status == ReportStatus.SUBMITTED


def test_an_excel_import_replaces_the_unfinished_rows_too(setup):
    focal = setup.world.user("focal")
    services.report_save_page(
        report=setup.report, by=focal, rows=[], unfinished=[UnfinishedInput({"total": "x"})]
    )
    [good] = [
        services.RowInput(
            activity=setup.total_only,
            area=setup.district,
            status="ongoing",
            total=7,
            implementing_organisation=setup.world.org_a,
        )
    ]

    services.report_save_rows(report=setup.report, by=focal, rows=[good])

    assert not UnfinishedRow.objects.exists()
    assert list(setup.report.rows.values_list("total", flat=True)) == [7]


def test_a_character_that_cannot_be_stored_is_kept_as_a_replacement_with_the_rest(setup, focal):
    """Found by the fuzz tests: PostgreSQL stores no NUL, in a JSON value either."""
    response = focal.post(edit_url(setup), formset_post([row_data(setup, total="12\x003")]))

    assert response.status_code == 302
    assert UnfinishedRow.objects.get().values["total"] == "12\ufffd3"


def test_a_row_without_its_status_says_which_to_choose(setup, focal):
    response = focal.post(edit_url(setup), formset_post([row_data(setup, status="")]))

    assert shows(
        saved_page(focal, response),
        "Row 1, status: Choose the status: planned, ongoing or completed.",
    )
