"""Issue 21's crashes in the areas: NUL characters and odd digits in the search, the picker and
the COD-AB file are refused or ignored with a message, never a 500."""

import csv

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from locations.models import AdminArea
from partners.models import Organisation
from tests.factories import UserFactory
from tests.locations.conftest import csv_file
from tests.text import has_phrase

pytestmark = pytest.mark.django_db

UNSTORABLE = (
    "The text holds an invisible character that cannot be saved (a NUL or a broken "
    "character). Remove it, or type the text again."
)


def _upload(client, data: bytes, url: str | None = None):
    return client.post(
        url or reverse("locations:upload"),
        {"file": SimpleUploadedFile("areas.csv", data, content_type="text/csv")},
    )


@pytest.fixture
def coordinator(client):
    client.force_login(UserFactory(is_coordinator=True))
    return client


# --- the public search and the area list -----------------------------------------------------


def test_a_nul_in_the_public_area_search_is_a_400_with_the_reason(client, world):
    response = client.get(reverse("locations:search"), {"q": "No\x00rth"})

    assert response.status_code == 400
    assert response.json() == {"error": UNSTORABLE}


@pytest.mark.parametrize("level", ["²", "³", "१", "1,²", "99999999999999999999"])
def test_a_level_that_isdigit_accepts_but_is_no_level_is_a_400(client, world, level):
    response = client.get(reverse("locations:search"), {"q": "North", "level": level})

    assert response.status_code == 400
    assert response.json() == {"error": "The level must be 0, 1, 2 or 3."}


def test_a_level_in_arabic_indic_digits_is_read(client, world):
    response = client.get(reverse("locations:search"), {"q": "North", "level": "\u0661"})

    assert response.status_code == 200
    assert [area["pcode"] for area in response.json()] == ["ZZ01"]


def test_a_nul_in_the_area_lists_parent_is_a_missing_area(client, world):
    response = client.get(reverse("locations:list"), {"parent": "ZZ\x0001"})

    assert response.status_code == 404


# --- the area picker (organisation registration) ---------------------------------------------


def test_a_nul_typed_in_the_area_pickers_search_is_no_search(world, login):
    newcomer = UserFactory()
    response = login(newcomer).post(
        reverse("partners:register"),
        {"name_en": "Gamma Clinics", "areas__q": "No\x00rth", "_area_search": "areas"},
    )

    assert response.status_code == 200
    assert 'value="Gamma Clinics"' in response.content.decode()


def test_a_nul_in_an_area_picked_is_refused_and_nothing_is_saved(world, login):
    newcomer = UserFactory()
    response = login(newcomer).post(
        reverse("partners:register"),
        {
            "name_en": "Gamma Clinics",
            "type": "nngo",
            "contact_name": "Gina",
            "contact_email": "gina@example.org",
            "areas": ["ZZ\x0001"],
        },
    )

    assert response.status_code == 400
    assert "Null characters are not allowed." in response.content.decode()
    assert not Organisation.objects.filter(name_en="Gamma Clinics").exists()


# --- the COD-AB file -------------------------------------------------------------------------


def test_a_nul_in_an_area_name_of_the_file_is_listed_and_nothing_is_loaded(coordinator):
    data = csv_file("Demoland,DL,North\x00ern Hills,,DL01,Pinecrest,,DL0101")

    response = _upload(coordinator, data)

    assert response.status_code == 400
    assert [str(problem) for problem in response.context["problems"]] == [
        f"Line 2: ADM1_EN: {UNSTORABLE}"
    ]
    assert not AdminArea.objects.exists()


def test_a_cell_over_the_csv_limit_is_said_in_the_users_language(coordinator):
    data = csv_file("Demoland,DL," + "N" * (csv.field_size_limit() + 1) + ",,DL01,Pine,,DL0101")
    with translation.override("ar"):
        url = reverse("locations:upload")

    response = _upload(coordinator, data, url)

    assert response.status_code == 400
    page = response.content.decode()
    assert "field larger than field limit" not in page
    assert not AdminArea.objects.exists()


def test_a_cell_over_the_csv_limit_names_the_limit(coordinator):
    data = csv_file("Demoland,DL," + "N" * (csv.field_size_limit() + 1) + ",,DL01,Pine,,DL0101")

    response = _upload(coordinator, data)

    assert has_phrase(
        response.content.decode(),
        "This line cannot be read as CSV (a cell is longer than 131,072 characters).",
    )
