"""Issue 21's crashes in the 4W reports: numbers above PostgreSQL's integer, digits that
``str.isdigit`` accepts but ``int`` refuses, and a NUL in a cell never reach the database.
The entry form, the Excel import and the reopen page's query string read numbers alike."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from activities import excel
from activities.models import PendingImport
from activities.services import imports
from tests.activities.factories import PeriodFactory
from tests.activities.test_import_helpers import GOOD_ROW, download_template, filled, upload
from tests.activities.test_reports_helpers import formset_post, row_data
from tests.fuzz.mutations import CopyLastRow, Poke, mutated_workbook

pytestmark = pytest.mark.django_db

NOT_A_NUMBER = "Enter a whole number, in digits only (for example 1250)."
TOO_LARGE = "Enter a number no larger than 10,000,000."


def _post_rows(client, setup, rows):
    url = reverse("activities:report_edit", kwargs={"pk": setup.report.pk})
    return client.post(url, formset_post(rows))


def _with(index: int, value) -> list:
    row = list(GOOD_ROW)
    row[index] = value
    return row


# --- the entry form --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"total": "2147483648"}, f"Row 1, total reached: {TOO_LARGE}"),
        ({"girls": "99999999999999999999"}, f"Row 1, girls: {TOO_LARGE}"),
        ({"boys": "²"}, f"Row 1, boys: {NOT_A_NUMBER}"),
        ({"women": "१०"}, f"Row 1, women: {NOT_A_NUMBER}"),
    ],
    ids=["above-the-column", "huge", "superscript", "devanagari"],
)
def test_the_entry_form_keeps_a_number_it_cannot_store_as_typed_and_names_it(
    focal, setup, overrides, message
):
    response = _post_rows(focal, setup, [row_data(setup, **overrides)])

    assert response.status_code == 302
    assert message in focal.get(response["Location"]).content.decode()
    assert not setup.report.rows.exists()
    [(name, typed)] = overrides.items()
    assert setup.report.unfinished_rows.get().values[name] == typed


def test_the_entry_form_reads_arabic_indic_digits(focal, setup):
    # 10 in Arabic-Indic, 10 in Extended Arabic-Indic, 20 and 50 in Arabic-Indic.
    arabic = {"girls": "\u0661\u0660", "boys": "\u06f1\u06f0", "women": "\u0662\u0660"}
    figures = {**arabic, "men": "10", "total": "\u0665\u0660"}

    response = _post_rows(focal, setup, [row_data(setup, **figures)])

    assert response.status_code == 302
    row = setup.report.rows.get()
    assert (row.girls, row.boys, row.women, row.men, row.total) == (10, 10, 20, 10, 50)


def test_the_entry_form_refuses_a_row_id_beyond_the_column(focal, setup):
    response = _post_rows(focal, setup, [row_data(setup, id="2147483648")])

    assert response.status_code == 400
    assert not setup.report.rows.exists()


# --- the Excel import ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("index", "value", "message"),
    [
        (14, 3_000_000_000, TOO_LARGE),
        (14, "2147483648", TOO_LARGE),
        (9, "²", NOT_A_NUMBER),
        (9, "1_0", NOT_A_NUMBER),
    ],
    ids=["number-cell", "text-cell", "superscript", "underscore"],
)
def test_the_import_refuses_a_number_it_cannot_store_and_keeps_nothing(
    focal, setup, index, value, message
):
    content = filled(download_template(focal, setup.report), [_with(index, value)])

    response = upload(focal, setup.report, content)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PendingImport.objects.exists()
    assert not setup.report.rows.exists()


def test_the_import_reads_arabic_indic_digits_with_the_arabic_separator(focal, setup):
    row = _with(10, "\u0661\u066c\u0660\u0660\u0660")  # 1٬000
    row[14] = "1,030"
    content = filled(download_template(focal, setup.report), [row])

    response = upload(focal, setup.report, content)

    assert response.status_code == 302
    rows = imports.pending_rows(PendingImport.objects.get())
    assert (rows[0]["women"], rows[0]["total"]) == (1000, 1030)


def test_the_import_refuses_a_nul_in_a_text_cell(setup, monkeypatch):
    values = dict(zip(excel.KEYS, [*GOOD_ROW, None, None], strict=True))  # no facility, project
    row = excel.SheetRow(number=6, values=values, formulas=())
    row.values["donor"] = "EC\x00HO"
    sheet = excel.Sheet(reference=excel.reference(setup.report), rows=[row])
    monkeypatch.setattr(excel, "read_sheet", lambda upload: sheet)

    with pytest.raises(imports.ImportRefused) as refused:
        imports.read_rows(None, setup.report, by=setup.world.user("focal"))

    assert [(p.row, p.message) for p in refused.value.problems] == [
        (
            6,
            "The text holds an invisible character that cannot be saved (a NUL or a broken "
            "character). Remove it, or type the text again.",
        )
    ]


# --- a query string --------------------------------------------------------------------------


@pytest.mark.parametrize("asked", ["²", "\u0663" * 12, "99999999999999999999", "-1"])
def test_the_reopen_page_ignores_an_organisation_that_is_no_id(world, login, time_machine, asked):
    # A closed period, on a pinned day: the page's answer does not depend on today.
    time_machine.move_to(datetime.datetime(2026, 3, 15, 12, tzinfo=datetime.UTC), tick=False)
    now = timezone.now()
    period = PeriodFactory(
        opens_at=now - datetime.timedelta(days=30), deadline=now - datetime.timedelta(days=2)
    )

    response = login(world.user("coordinator")).get(
        reverse("activities:period_reopen", args=[period.pk]), {"organisation": asked}
    )

    assert response.status_code == 200
    assert "organisation" not in response.context["form"].initial


@pytest.mark.parametrize("asked", ["²", "a\x00", "99999999999999999999"])
def test_the_history_page_answers_an_organisation_that_is_no_id_as_a_missing_one(
    world, login, asked
):
    response = login(world.user("coordinator")).get(
        reverse("activities:history"), {"organisation": asked}
    )

    assert response.status_code == 404


def test_rows_that_would_add_up_beyond_what_a_row_may_count_are_refused(focal, setup):
    """Validation adds up the rows of one activity, area and implementer: 215 rows of
    10,000,000 would overflow the validated figures' column; two are already too many."""
    big = dict.fromkeys(("girls", "boys", "women", "men"), "1500000")
    big |= {"older_people": "", "people_with_disabilities": "", "total": "6000000"}
    rows = [row_data(setup, **big), row_data(setup, **big), row_data(setup, total="50")]
    url = reverse("activities:report_edit", kwargs={"pk": setup.report.pk})

    response = focal.post(url, formset_post(rows, _submit="1"), follow=True)

    assert (
        "The draft is saved but not submitted: Rows 1, 2, 3 are the same activity in the same "
        "area by the same implementer, and add up to 12,000,050, more than 10,000,000. Check "
        "their totals."
    ) in response.content.decode()
    setup.report.refresh_from_db()
    assert setup.report.status == "draft"


def test_an_import_whose_sheet_fails_its_crc_is_refused_and_keeps_nothing(focal, setup):
    """Found by make fuzz: the check for formulas read the sheet's part outside the refusal."""
    template = filled(download_template(focal, setup.report), [list(GOOD_ROW)])
    # The case make fuzz found: 300 rows, then one byte of the compressed sheet changed.
    content = mutated_workbook(template, [CopyLastRow(0, 300)], [Poke(0.3, 0x27)])

    response = upload(focal, setup.report, content)

    assert response.status_code == 400
    assert "could not be read as an Excel workbook" in response.content.decode()
    assert not PendingImport.objects.exists()
    assert not setup.report.rows.exists()
