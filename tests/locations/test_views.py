"""The area pages over HTTP: browsing, the search endpoint and the coordinators' upload."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from locations import uploads
from locations.models import AdminArea, AdminLevel
from tests.factories import AdminAreaFactory, UserFactory
from tests.locations.conftest import csv_file
from tests.text import has_phrase

pytestmark = pytest.mark.django_db

GOOD = csv_file(
    "Demoland,DL,Northern Hills,التلال الشمالية,DL01,Pinecrest,قمة الصنوبر,DL0101",
    "Demoland,DL,River Valley,وادي النهر,DL02,Willowford,مخاضة الصفصاف,DL0201",
)
BAD = csv_file(
    "Demoland,DL,Northern Hills,,DL01,Pinecrest,,",
    "Demoland,DL,Northern Hills,,DL01,Stonebrook,,DL0102",
    "Demoland,DL,,,,Windmere,,DL0103",
)


@pytest.fixture
def coordinator_client(client):
    client.force_login(UserFactory(is_coordinator=True))
    return client


def upload(client, data: bytes, **extra):
    return client.post(
        reverse("locations:upload"),
        {"file": SimpleUploadedFile("areas.csv", data, content_type="text/csv"), **extra},
    )


# --- Upload ---------------------------------------------------------------------------


def test_the_upload_page_explains_the_layout_and_counts_areas_per_level(
    coordinator_client, demo_areas
):
    response = coordinator_client.get(reverse("locations:upload"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "ADM1_PCODE" in page
    assert 'enctype="multipart/form-data"' in page
    assert response.context["counts"] == [
        {"level": 0, "label": "Country", "count": 1},
        {"level": 1, "label": "Admin level 1", "count": 20},
        {"level": 2, "label": "Admin level 2", "count": 68},
        {"level": 3, "label": "Admin level 3", "count": 3},
    ]


def test_a_coordinator_uploads_a_file_and_sees_what_changed(coordinator_client):
    response = upload(coordinator_client, GOOD)

    page = response.content.decode()
    assert response.status_code == 200
    assert "The areas were loaded." in page
    assert has_phrase(page, "5 areas added; 0 renamed; 0 unchanged")
    assert "DL0201" in page
    assert AdminArea.objects.count() == 5
    assert AdminArea.history.filter(pcode="DL01").first().history_user == (
        response.wsgi_request.user
    )


def test_a_second_upload_lists_renamed_areas_with_old_and_new_names(coordinator_client):
    upload(coordinator_client, GOOD)
    response = upload(coordinator_client, GOOD.replace(b"Willowford", b"Willow Ford"))

    page = response.content.decode()
    assert has_phrase(page, "1 area renamed")
    assert "Willowford" in page
    assert "Willow Ford" in page
    assert AdminArea.objects.count() == 5


def test_a_bad_file_shows_a_table_of_problems_by_line_and_loads_nothing(coordinator_client):
    response = upload(coordinator_client, BAD)

    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was loaded" in page
    assert "The file has 2 problems" in page
    problems = response.context["problems"]
    assert [problem.line for problem in problems] == [2, 4]
    assert '<th scope="row" class="fw-normal">4</th>' in page
    assert not AdminArea.objects.exists()


def test_a_dry_run_upload_reports_without_loading(coordinator_client):
    response = upload(coordinator_client, GOOD, dry_run="on")

    assert "What loading this file would do" in response.content.decode()
    assert not AdminArea.objects.exists()


def test_a_file_over_the_size_limit_is_refused_with_a_clear_message(
    coordinator_client, monkeypatch
):
    monkeypatch.setitem(uploads.MAX_BYTES, uploads.CSV, 100)

    response = upload(coordinator_client, GOOD)

    assert response.status_code == 400
    assert has_phrase(response.content.decode(), "the limit is 100")
    assert not AdminArea.objects.exists()


def test_posting_without_a_file_asks_for_one(coordinator_client):
    response = coordinator_client.post(reverse("locations:upload"), {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


# --- Search ---------------------------------------------------------------------------


def test_search_finds_areas_by_english_name_arabic_name_and_pcode(client, demo_areas):
    url = reverse("locations:search")

    by_english = client.get(url, {"q": "pinecrest"}).json()
    by_arabic = client.get(url, {"q": "الصفصاف"}).json()
    by_pcode = client.get(url, {"q": "dl0303"}).json()

    assert [r["pcode"] for r in by_english] == ["DL0101", "DL010101", "DL010102", "DL010103"]
    assert by_english[0] == {
        "pcode": "DL0101",
        "name": "Pinecrest",
        "level": 2,
        "parent": "Northern Hills",
        "parent_pcode": "DL01",
        "label": "Pinecrest (DL0101) — Northern Hills",
    }
    assert [r["pcode"] for r in by_arabic] == ["DL0201"]
    assert [r["pcode"] for r in by_pcode] == ["DL0303"]


def test_search_in_arabic_gives_arabic_names(client, demo_areas):
    results = client.get("/ar/areas/search/", {"q": "DL0101"}).json()
    assert results[0]["name"] == "قمة الصنوبر"
    assert results[0]["parent"] == "التلال الشمالية"


def test_search_filters_by_level(client, demo_areas):
    url = reverse("locations:search")
    assert [r["pcode"] for r in client.get(url, {"q": "pinecrest", "level": "3"}).json()] == [
        "DL010101",
        "DL010102",
        "DL010103",
    ]
    both = client.get(url, {"q": "pinecrest", "level": "2,3"}).json()
    assert len(both) == 4


def test_search_refuses_an_unknown_level(client):
    response = client.get(reverse("locations:search"), {"q": "a", "level": "9"})
    assert response.status_code == 400


def test_an_empty_search_finds_nothing(client, demo_areas):
    assert client.get(reverse("locations:search"), {"q": "  "}).json() == []


def test_search_returns_at_most_30_areas_in_a_constant_number_of_queries(
    client, django_assert_num_queries
):
    country = AdminAreaFactory(pcode="DL", level=AdminLevel.ADMIN0, name_en="Demoland")
    for n in range(40):
        AdminAreaFactory(pcode=f"DL{n:02d}", parent=country, name_en=f"Town {n}")

    with django_assert_num_queries(1):
        results = client.get(reverse("locations:search"), {"q": "town"}).json()

    assert len(results) == 30
    assert results[0]["pcode"] == "DL00"


# --- List -----------------------------------------------------------------------------


def test_the_list_shows_admin1_areas_with_their_child_counts(client, demo_areas):
    response = client.get(reverse("locations:list"))

    areas = {area.pcode: area.child_count for area in response.context["areas"]}
    # Demoland's twenty governorates, each with its districts (data/demo/admin_areas.csv).
    assert areas == {
        **{"DL01": 3, "DL02": 4, "DL03": 3, "DL04": 4, "DL05": 3, "DL06": 4, "DL07": 3},
        **{"DL08": 3, "DL09": 5, "DL10": 3, "DL11": 2, "DL12": 4, "DL13": 4, "DL14": 3},
        **{"DL15": 5, "DL16": 3, "DL17": 3, "DL18": 3, "DL19": 3, "DL20": 3},
    }
    assert has_phrase(response.content.decode(), "?parent=DL02")


def test_the_list_drills_down_with_breadcrumbs(client, demo_areas):
    response = client.get(reverse("locations:list"), {"parent": "DL0101"})

    page = response.content.decode()
    assert [a.pcode for a in response.context["areas"]] == ["DL010102", "DL010103", "DL010101"]
    assert response.context["parent"].pcode == "DL0101"
    assert 'href="/en/areas/?parent=DL01"' in page
    assert "<h1>Pinecrest" in page


def test_an_unknown_parent_is_not_found(client, demo_areas):
    assert client.get(reverse("locations:list"), {"parent": "XX99"}).status_code == 404


def test_the_list_is_paginated(client):
    country = AdminAreaFactory(pcode="DL", level=AdminLevel.ADMIN0, name_en="Demoland")
    for n in range(55):
        AdminAreaFactory(pcode=f"DL{n:02d}", parent=country, name_en=f"Town {n:02d}")

    first = client.get(reverse("locations:list"))
    second = client.get(reverse("locations:list"), {"page": 2})

    assert len(first.context["areas"]) == 50
    assert len(second.context["areas"]) == 5
    assert has_phrase(first.content.decode(), "Page 1 of 2")


@pytest.mark.parametrize("parent", ["", "DL01"])
def test_the_list_makes_a_constant_number_of_queries(client, django_assert_max_num_queries, parent):
    country = AdminAreaFactory(pcode="DL", level=AdminLevel.ADMIN0, name_en="Demoland")
    for region in range(1, 4):
        admin1 = AdminAreaFactory(pcode=f"DL0{region}", parent=country)
        for district in range(1, 4):
            admin2 = AdminAreaFactory(
                pcode=f"DL0{region}0{district}", parent=admin1, level=AdminLevel.ADMIN2
            )
            for town in range(1, 4):
                AdminAreaFactory(
                    pcode=f"{admin2.pcode}0{town}", parent=admin2, level=AdminLevel.ADMIN3
                )

    # With a parent: the parent and its ancestors; then the page's count, its areas, their
    # populations and the cluster's name for the footer.
    with django_assert_max_num_queries(6):
        response = client.get(reverse("locations:list"), {"parent": parent} if parent else {})

    assert len(response.context["areas"]) == 3
    assert all(area.child_count == 3 for area in response.context["areas"])
