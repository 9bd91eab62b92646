"""The population pages over HTTP: the coordinators' upload of a COD-PS table, and the
population column of the areas list."""

import io
import zipfile

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from core.page_cache import HEADER
from locations import uploads
from locations.models import AdminLevel, AreaPopulation
from locations.services import area_populations_load
from tests.factories import AdminAreaFactory, CountryFactory, MembershipFactory, UserFactory
from tests.text import has_phrase, page_text

pytestmark = pytest.mark.django_db

URL = reverse("locations:population_upload")
GOOD = (
    b"ADM1_PCODE,ADM2_PCODE,T_TL,F_TL,M_TL\n"
    b"ZZ01,,10000,5100,4900\n"
    b"ZZ01,ZZ0101,6000,3050,2950\n"
    b"ZZ01,ZZ0102,4000,2050,1950\n"
)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def areas(db) -> dict:
    country = CountryFactory()
    north = AdminAreaFactory(pcode="ZZ01", name_en="North", name_ar="الشمال", parent=country)
    south = AdminAreaFactory(pcode="ZZ02", name_en="South", name_ar="الجنوب", parent=country)
    hills = AdminAreaFactory(pcode="ZZ0101", name_en="Hills", parent=north, level=AdminLevel.ADMIN2)
    coast = AdminAreaFactory(pcode="ZZ0102", name_en="Coast", parent=north, level=AdminLevel.ADMIN2)
    return {area.pcode: area for area in (country, north, south, hills, coast)}


@pytest.fixture
def coordinator(client):
    user = UserFactory(is_coordinator=True)
    client.force_login(user)
    client.user = user
    return client


def post(client, data: bytes, name: str = "population.csv", **fields):
    values = {"year": "2025", "source": "OCHA COD-PS 2025", **fields}
    return client.post(URL, {"file": SimpleUploadedFile(name, data), **values})


# --- the upload page -----------------------------------------------------------------------


def test_the_page_explains_the_layout_and_lists_the_figures_loaded(coordinator, areas):
    AreaPopulation.objects.create(area=areas["ZZ01"], year=2024, total=9000, source="COD-PS 2024")

    response = coordinator.get(URL)

    page = response.content.decode()
    assert response.status_code == 200
    assert "T_TL" in page
    assert 'enctype="multipart/form-data"' in page
    assert list(response.context["years"]) == [{"year": 2024, "source": "COD-PS 2024", "areas": 1}]
    assert ">2024<" in page  # a year, not a grouped number


def test_a_coordinator_uploads_a_table_and_sees_what_it_added(coordinator, areas):
    response = post(coordinator, GOOD)

    page = page_text(response.content.decode())
    assert response.status_code == 200
    assert "The population figures were loaded." in page
    assert has_phrase(page, "3 figures added; 0 changed; 0 unchanged")
    assert "ZZ0101 — Hills: 6,000" in page
    assert AreaPopulation.objects.get(area__pcode="ZZ0102").total == 4000
    history = AreaPopulation.history.filter(area__pcode="ZZ01").get()
    assert history.history_user == coordinator.user
    # The year and source stay for the next file; the file must be chosen again.
    assert response.context["form"].initial == {"year": 2025, "source": "OCHA COD-PS 2025"}


def test_a_second_upload_lists_the_changed_totals(coordinator, areas):
    post(coordinator, GOOD)
    response = post(coordinator, GOOD.replace(b"4000,2050,1950", b"4100,2100,2000"))

    page = page_text(response.content.decode())
    assert has_phrase(page, "1 figure changed")
    assert "ZZ0102 Coast 4,000 4,100" in page


def test_a_dry_run_shows_what_would_change_and_saves_nothing(coordinator, areas):
    response = post(coordinator, GOOD, dry_run="on")

    page = page_text(response.content.decode())
    assert "The file is correct. Nothing was loaded yet." in page
    assert "What loading this file would do" in page
    assert has_phrase(page, "3 figures added")
    assert not AreaPopulation.objects.exists()


def test_a_bad_table_lists_each_problem_by_row_and_p_code_and_loads_nothing(coordinator, areas):
    data = b"ADM1_PCODE,T_TL,F_TL,M_TL\nZZ01,abc,,\nZZ09,100,,\nZZ02,1000,600,300\n"

    response = post(coordinator, data)

    page = page_text(response.content.decode())
    assert response.status_code == 400
    assert "Nothing was loaded: the file has problems, listed below." in page
    assert has_phrase(page, "The file has 3 problems")
    assert "2 ZZ01 The T_TL cell holds “abc”, which is not a number." in page
    assert "3 ZZ09 No area in the portal has the p-code ZZ09." in page
    assert "4 ZZ02 The female (F_TL, 600) and male (M_TL, 300) populations add up" in page
    assert not AreaPopulation.objects.exists()


def test_the_age_bands_note_is_shown_with_the_report(coordinator, areas):
    data = b"ADM1_PCODE,T_TL,T_00_04,T_05_09,T_10_14,T_15_19\nZZ01,1000,50,50,50,50\n"

    response = post(coordinator, data)

    assert "The age band T_15_19 holds both children and adults" in response.content.decode()
    assert AreaPopulation.objects.get().children is None


def test_an_excel_workbook_is_loaded_through_the_page(coordinator, areas):
    book = Workbook()
    book.active.append(["ADM1_PCODE", "T_TL", "reference_year"])
    book.active.append(["ZZ01", 10000, 2024])
    book.active.append(["ZZ02", 8000, 2024])
    buffer = io.BytesIO()
    book.save(buffer)

    response = post(coordinator, buffer.getvalue(), name="pop.xlsx", year="")

    assert response.status_code == 200
    assert dict(AreaPopulation.objects.values_list("area__pcode", "year")) == {
        "ZZ01": 2024,
        "ZZ02": 2024,
    }


def test_a_bad_workbook_names_the_sheet_of_each_problem(coordinator, areas):
    book = Workbook()
    book.active.title = "adm1"
    book.active.append(["ADM1_PCODE", "T_TL"])
    book.active.append(["ZZ01", -3])
    buffer = io.BytesIO()
    book.save(buffer)

    response = post(coordinator, buffer.getvalue(), name="pop.xlsx")

    assert response.status_code == 400
    assert "adm1 2 ZZ01 The T_TL cell holds a negative number, -3." in page_text(
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"year": "1800"}, "year", "Enter a number no smaller than 1,950."),
        ({"year": "soon"}, "year", "Enter a whole number, in digits only (for example 1250)."),
        ({"source": ""}, "source", "This field is required."),
        ({"source": "x" * 201}, "source", "at most 200 characters"),
    ],
)
def test_the_year_and_source_are_checked_by_the_form(coordinator, areas, fields, field, message):
    response = post(coordinator, GOOD, **fields)

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not AreaPopulation.objects.exists()


def test_a_csv_over_the_limit_is_refused_before_it_is_read(coordinator, areas, monkeypatch):
    monkeypatch.setitem(uploads.MAX_BYTES, uploads.CSV, 100)

    response = post(coordinator, GOOD + b" " * 100)

    assert response.status_code == 400
    assert "the limit is 100\xa0bytes" in " ".join(response.context["form"].errors["file"])


def test_a_zip_that_is_not_a_workbook_is_refused(coordinator, areas):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")

    response = post(coordinator, buffer.getvalue(), name="pop.xlsx")

    assert response.status_code == 400
    assert "is not an Excel (XLSX) workbook" in " ".join(response.context["form"].errors["file"])


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00\xff\xfe garbage", "ADM1_PCODE;T_TL\nZZ01;١٢\n".encode("utf-16"), b"PK\x03\x04"],
)
def test_a_file_that_cannot_be_read_is_a_400_never_a_500(coordinator, areas, data):
    response = post(coordinator, data)

    assert response.status_code == 400
    assert not AreaPopulation.objects.exists()


def test_members_are_refused_and_visitors_sent_to_log_in(client, areas):
    member = MembershipFactory().user
    client.force_login(member)
    assert client.get(URL).status_code == 403
    assert post(client, GOOD).status_code == 403

    client.logout()
    response = post(client, GOOD)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not AreaPopulation.objects.exists()


# --- the areas list ------------------------------------------------------------------------


def test_the_list_shows_no_population_column_while_none_is_loaded(client, areas):
    response = client.get(reverse("locations:list"))

    assert "Population (year)" not in response.content.decode()


@time_machine.travel("2026-03-01 12:00 +00:00", tick=False)
def test_the_list_shows_each_areas_latest_population_with_its_year(client, areas):
    AreaPopulation.objects.create(area=areas["ZZ01"], year=2025, total=10000, source="COD-PS")
    AreaPopulation.objects.create(area=areas["ZZ01"], year=2027, total=11000, source="COD-PS")

    response = client.get(reverse("locations:list"))

    page = page_text(response.content.decode())
    assert "Population (year)" in page
    assert "North ZZ01 2 10,000 (2025)" in page
    assert "South ZZ02 0 —" in page
    assert "Source: COD-PS." in page


def test_figures_loaded_in_bulk_reach_the_cached_public_list_at_once(client, areas, settings):
    settings.PAGE_CACHE_SECONDS = 300
    assert client.get(reverse("locations:list"))[HEADER] == "miss"
    assert client.get(reverse("locations:list"))[HEADER] == "hit"

    area_populations_load(data=GOOD, year=2025, source="OCHA COD-PS 2025")

    page = client.get(reverse("locations:list"))
    assert page[HEADER] == "miss"
    assert "10,000" in page.content.decode()


def test_coordinators_find_the_upload_pages_on_the_list(client, areas):
    assert URL not in client.get(reverse("locations:list")).content.decode()

    client.force_login(MembershipFactory().user)
    assert URL not in client.get(reverse("locations:list")).content.decode()

    client.force_login(UserFactory(is_coordinator=True))
    assert f'href="{URL}"' in client.get(reverse("locations:list")).content.decode()


def test_the_arabic_list_shows_the_population_right_to_left(client, areas):
    AreaPopulation.objects.create(area=areas["ZZ01"], year=2025, total=10000, source="COD-PS")

    response = client.get(reverse("locations:list").replace("/en/", "/ar/", 1))

    page = response.content.decode()
    assert 'dir="rtl"' in page
    assert "10٬000" in page or "10,000" in page


def _tree(regions: int) -> None:
    country = CountryFactory()
    for region in range(1, regions + 1):
        area = AdminAreaFactory(pcode=f"ZZ{region:02d}", parent=country)
        for year in (2023, 2024, 2025):
            AreaPopulation.objects.create(area=area, year=year, total=1000 + year, source="COD-PS")


@pytest.mark.parametrize("regions", [3, 12])
def test_the_list_with_populations_makes_the_same_queries_for_any_size(
    client, django_assert_num_queries, regions
):
    _tree(regions)

    # The page's count, its areas, their populations, the cluster's name for the footer.
    with django_assert_num_queries(4):
        response = client.get(reverse("locations:list"))

    assert sum(1 for _area, population in response.context["rows"] if population) == regions
