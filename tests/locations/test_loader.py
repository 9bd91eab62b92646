"""Loading a COD-AB style CSV: counts, idempotence, renames, and every kind of bad line."""

import pytest

from locations.loader import AdminAreaFileError
from locations.models import AdminArea, AdminLevel
from locations.services import admin_areas_load
from tests.factories import AdminAreaFactory, UserFactory
from tests.locations.conftest import HEADER, csv_file
from tests.text import has_phrase

pytestmark = pytest.mark.django_db

GOOD = csv_file(
    "Demoland,DL,Northern Hills,التلال الشمالية,DL01,Pinecrest,قمة الصنوبر,DL0101",
    "Demoland,DL,Northern Hills,التلال الشمالية,DL01,Stonebrook,جدول الحجر,DL0102",
    "Demoland,DL,River Valley,وادي النهر,DL02,Willowford,مخاضة الصفصاف,DL0201",
)


def problems_of(data: bytes) -> list[tuple[int | None, str]]:
    with pytest.raises(AdminAreaFileError) as caught:
        admin_areas_load(data=data)
    return [(problem.line, problem.message) for problem in caught.value.problems]


def test_it_loads_every_area_of_a_good_file_with_its_ancestors():
    report = admin_areas_load(data=GOOD)

    assert report.added_count == 6
    assert report.renamed_count == 0
    assert report.unchanged == 0
    assert AdminArea.objects.at_level(AdminLevel.ADMIN0).count() == 1
    assert AdminArea.objects.at_level(AdminLevel.ADMIN1).count() == 2
    assert AdminArea.objects.at_level(AdminLevel.ADMIN2).count() == 3
    pinecrest = AdminArea.objects.get(pcode="DL0101")
    assert pinecrest.parent.pcode == "DL01"
    assert pinecrest.path == "/DL/DL01/DL0101/"
    assert pinecrest.name_ar == "قمة الصنوبر"
    assert [a.pcode for a in AdminArea.objects.within(AdminArea.objects.get(pcode="DL01"))] == [
        "DL01",
        "DL0101",
        "DL0102",
    ]


def test_loading_the_same_file_again_changes_nothing():
    admin_areas_load(data=GOOD)
    report = admin_areas_load(data=GOOD)

    assert report.added_count == 0
    assert report.renamed_count == 0
    assert report.unchanged == 6
    assert AdminArea.objects.count() == 6


def test_a_changed_name_is_reported_as_a_rename_and_not_duplicated():
    admin_areas_load(data=GOOD)
    renamed = GOOD.replace(
        "Pinecrest,قمة الصنوبر".encode(), "Pine Crest,قمة الصنوبر الجديدة".encode()
    )

    report = admin_areas_load(data=renamed)

    assert report.renamed_count == 1
    change = report.renamed[0]
    assert (change.pcode, change.old_name_en, change.new_name_en) == (
        "DL0101",
        "Pinecrest",
        "Pine Crest",
    )
    assert change.new_name_ar == "قمة الصنوبر الجديدة"
    assert report.unchanged == 5
    assert AdminArea.objects.filter(pcode="DL0101").count() == 1
    assert AdminArea.objects.get(pcode="DL0101").name_en == "Pine Crest"


def test_an_empty_arabic_cell_keeps_the_arabic_name_already_there():
    admin_areas_load(data=GOOD)
    without_arabic = GOOD.replace("قمة الصنوبر".encode(), b"")

    report = admin_areas_load(data=without_arabic)

    assert report.renamed_count == 0
    assert AdminArea.objects.get(pcode="DL0101").name_ar == "قمة الصنوبر"


def test_areas_missing_from_the_file_are_kept_and_reported_as_left_unchanged():
    admin_areas_load(data=GOOD)
    shorter = csv_file("Demoland,DL,Northern Hills,,DL01,Pinecrest,,DL0101")

    report = admin_areas_load(data=shorter)

    assert report.left_unchanged == ["DL0102", "DL02", "DL0201"]
    assert AdminArea.objects.count() == 6
    assert has_phrase(report.summary(), "3 areas not in the file left unchanged")


def test_a_file_without_country_columns_goes_under_the_only_country():
    AdminAreaFactory(pcode="DL", level=AdminLevel.ADMIN0, name_en="Demoland")
    data = csv_file("Hills,DL01,Pine,DL0101", header="ADM1_EN,ADM1_PCODE,ADM2_EN,ADM2_PCODE")

    report = admin_areas_load(data=data)

    assert report.added_count == 2
    assert AdminArea.objects.get(pcode="DL01").parent.pcode == "DL"
    assert AdminArea.objects.get(pcode="DL0101").path == "/DL/DL01/DL0101/"


def test_rows_may_stop_at_a_shallower_level():
    data = csv_file(
        "Demoland,DL,Hills,,DL01,,,",
        "Demoland,DL,Valley,,DL02,Ford,,DL0201",
    )
    report = admin_areas_load(data=data)
    assert {a.pcode for a in report.added} == {"DL", "DL01", "DL02", "DL0201"}


def test_a_file_with_a_byte_order_mark_loads():
    report = admin_areas_load(data=b"\xef\xbb\xbf" + GOOD)
    assert report.added_count == 6


def test_a_file_saved_with_semicolons_and_windows_line_ends_loads():
    data = GOOD.decode().replace(",", ";").replace("\n", "\r\n").encode()
    report = admin_areas_load(data=data)
    assert report.added_count == 6


def test_unused_columns_and_lower_case_headers_are_accepted():
    data = csv_file(
        "Demoland,DL,Hills,DL01,2020-01-01",
        header="adm0_en,adm0_pcode,adm1_en,adm1_pcode,validOn",
    )
    assert admin_areas_load(data=data).added_count == 2


def test_the_load_is_recorded_in_the_audit_history_with_the_user():
    user = UserFactory(is_coordinator=True)
    admin_areas_load(data=GOOD, by=user)
    admin_areas_load(data=GOOD.replace(b"Pinecrest", b"Pine Crest"), by=user)

    history = AdminArea.history.filter(pcode="DL0101").order_by("history_date")
    assert [h.history_type for h in history] == ["+", "~"]
    assert all(h.history_user == user for h in history)


def test_a_dry_run_reports_the_changes_but_keeps_nothing():
    report = admin_areas_load(data=GOOD, dry_run=True)
    assert report.added_count == 6
    assert report.dry_run
    assert AdminArea.objects.count() == 0


@pytest.mark.parametrize(
    ("lines", "line", "fragment"),
    [
        pytest.param(
            ["Demoland,DL,Hills,,DL01,Pine,,DL0101", "Demoland,DL,Hills,,DL01,Oak,,"],
            3,
            "ADM2_PCODE cell is empty for the area “Oak”",
            id="name-without-pcode",
        ),
        pytest.param(
            ["Demoland,DL,Hills,,DL01,,,DL0101"],
            2,
            "ADM2_EN cell (English name) is empty for the p-code DL0101",
            id="pcode-without-name",
        ),
        pytest.param(
            ["Demoland,DL,Hills,,DL01,Pine,,DL0101", "Demoland,DL,,,,Oak,,DL0102"],
            3,
            "The ADM2 area has no parent",
            id="child-with-empty-parent",
        ),
        pytest.param(
            ["Demoland,DL,Hills,,DL01,Pine,,DL0101", "Demoland,DL,Hills,,DL01,Oak,,DL0101"],
            3,
            "named “Oak” here but “Pine” on line 2",
            id="one-pcode-two-names",
        ),
        pytest.param(
            [
                "Demoland,DL,Hills,,DL01,Pine,,DL0101",
                "Demoland,DL,Valley,,DL02,Pine,,DL0101",
            ],
            3,
            "inside DL02 here but inside DL01 on line 2",
            id="one-pcode-two-parents",
        ),
        pytest.param(
            ["Demoland,DL,Hills,,DL01,Hills,,DL01"],
            2,
            "at admin level 2 here but at admin level 1 on line 2",
            id="one-pcode-two-levels",
        ),
        pytest.param(
            ["Demoland,DL,Hills,,DL01,Pine,,DL 01/1"],
            2,
            "The p-code “DL 01/1” in ADM2_PCODE is not valid",
            id="pcode-with-spaces-or-slashes",
        ),
        pytest.param(
            ["Demoland,DL,Hills,,DL01,Pine,,DL0101", 'Demoland,DL,"Hills'],
            3,
            "cannot be read as CSV",
            id="unclosed-quote",
        ),
    ],
)
def test_each_kind_of_bad_line_is_reported_with_its_number_and_nothing_is_loaded(
    lines, line, fragment
):
    problems = problems_of(csv_file(*lines))

    assert any(n == line and fragment in message for n, message in problems), problems
    assert AdminArea.objects.count() == 0


def test_every_bad_line_is_reported_at_once():
    data = csv_file(
        "Demoland,DL,Hills,,DL01,Pine,,DL0101",
        "Demoland,DL,Hills,,DL01,Oak,,",
        "Demoland,DL,Hills,,DL01,Pine,,DL0101",
        "Demoland,DL,,,,Elm,,DL0103",
        "Demoland,DL,Hills,,DL01,,,DL0104",
    )
    lines = [line for line, _ in problems_of(data)]
    assert lines == [3, 5, 6]
    assert AdminArea.objects.count() == 0


def test_the_problem_text_names_the_line():
    with pytest.raises(AdminAreaFileError) as caught:
        admin_areas_load(data=csv_file("Demoland,DL,Hills,,DL01,,,DL0101"))
    assert caught.value.messages[0].startswith("Line 2: ")


def test_moving_an_area_to_another_parent_is_refused():
    admin_areas_load(data=GOOD)
    moved = csv_file("Demoland,DL,River Valley,,DL02,Pinecrest,,DL0101")

    problems = problems_of(moved)

    assert problems[0][0] == 2
    assert "inside DL01 in the portal, but this file puts it inside DL02" in problems[0][1]
    assert AdminArea.objects.get(pcode="DL0101").parent.pcode == "DL01"


def test_changing_the_level_of_an_area_is_refused():
    admin_areas_load(data=GOOD)
    data = csv_file(
        "Demoland,DL,Pinecrest,,DL0101,Upper,,DL010101",
    )

    problems = problems_of(data)

    assert problems[0][0] == 2
    assert "admin level 2 area in the portal" in problems[0][1]
    assert not AdminArea.objects.filter(pcode="DL010101").exists()


def test_a_good_line_is_not_loaded_when_another_line_is_bad():
    data = csv_file(
        "Demoland,DL,Hills,,DL01,Pine,,DL0101",
        "Demoland,DL,Hills,,DL01,,,DL0102",
    )
    problems_of(data)
    assert not AdminArea.objects.exists()


@pytest.mark.parametrize(
    ("header", "fragment"),
    [
        pytest.param(
            "ADM0_EN,ADM0_PCODE,ADM1_EN,ADM2_EN,ADM2_PCODE", "ADM1_PCODE", id="no-adm1-pcode"
        ),
        pytest.param("name,code", "has no ADM1_EN and ADM1_PCODE columns", id="not-cod-ab"),
        pytest.param("ADM0_PCODE,ADM1_EN,ADM1_PCODE", "ADM0_EN", id="half-a-country"),
        pytest.param("ADM1_EN,ADM1_PCODE,ADM1_PCODE", "appears twice", id="duplicate-column"),
    ],
)
def test_a_missing_or_wrong_header_is_reported_on_line_1(header, fragment):
    problems = problems_of(csv_file("a,b,c,d,e", header=header))
    assert problems[0][0] == 1
    assert any(fragment in message for _, message in problems), problems


def test_a_file_that_is_not_utf8_is_reported_with_the_line_of_the_first_bad_byte():
    data = HEADER + "\nDemoland,DL,Hills,,DL01,Pine,,DL0101\nDemoland,DL,Hills,,DL01,Café,,DL0102\n"
    problems = problems_of(data.encode("latin-1"))
    assert problems == [(3, problems[0][1])]
    assert "not UTF-8" in problems[0][1]


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        pytest.param(b"", "The file is empty.", id="empty"),
        pytest.param(b"\xef\xbb\xbf\n\n  \n", "The file is empty.", id="blank-lines"),
        pytest.param((HEADER + "\n,,,,,,,\n").encode(), "no areas below it", id="header-only"),
    ],
)
def test_an_empty_file_is_refused(data, fragment):
    problems = problems_of(data)
    assert len(problems) == 1
    assert fragment in problems[0][1]


def test_a_file_without_country_columns_needs_one_country_in_the_portal():
    data = csv_file("Hills,DL01", header="ADM1_EN,ADM1_PCODE")
    problems = problems_of(data)
    assert problems[0][0] == 1
    assert "exactly one country" in problems[0][1]
