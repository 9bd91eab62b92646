"""The population per area from OCHA's COD-PS tables: the reader, the load, the command and
the selector (``locations/population.py``, ``services.area_populations_load``)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError
from openpyxl import Workbook

from locations import services
from locations.models import AdminArea, AdminLevel, AreaPopulation
from locations.population import PopulationFileError, read_cod_ps
from locations.selectors import Population, population_by_area
from locations.services import area_populations_load
from tests.factories import AdminAreaFactory, CountryFactory, UserFactory
from tests.text import has_phrase

pytestmark = pytest.mark.django_db

SOURCE = "OCHA COD-PS 2025"
BANDS = "F_00_04,F_05_09,F_10_14,F_15_17,F_18_59,M_00_04,M_05_09,M_10_14,M_15_17,M_18_59"
HEADER = f"ADM0_PCODE,ADM1_EN,ADM1_PCODE,ADM2_EN,ADM2_PCODE,T_TL,F_TL,M_TL,{BANDS}"
NORTH = "ZZ,North,ZZ01,,,10000,5100,4900,600,550,500,300,3150,620,560,490,280,2950"
HILLS = "ZZ,North,ZZ01,Hills,ZZ0101,6000,3050,2950,400,300,300,200,1850,400,300,300,200,1750"
COAST = "ZZ,North,ZZ01,Coast,ZZ0102,4000,2050,1950,200,250,200,100,1300,250,200,200,100,1200"


def table(*rows: str, header: str = HEADER) -> bytes:
    """A COD-PS table as CSV: the header (row 1) and the given rows, UTF-8."""
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


GOOD = table(NORTH, HILLS, COAST)


@pytest.fixture
def areas(db) -> dict:
    country = CountryFactory()
    north = AdminAreaFactory(pcode="ZZ01", name_en="North", name_ar="الشمال", parent=country)
    south = AdminAreaFactory(pcode="ZZ02", name_en="South", parent=country)
    hills = AdminAreaFactory(pcode="ZZ0101", name_en="Hills", parent=north, level=AdminLevel.ADMIN2)
    coast = AdminAreaFactory(pcode="ZZ0102", name_en="Coast", parent=north, level=AdminLevel.ADMIN2)
    return {area.pcode: area for area in (country, north, south, hills, coast)}


def load(data: bytes, year: int | None = 2025, **options):
    return area_populations_load(data=data, year=year, source=SOURCE, **options)


def figures() -> dict[str, tuple]:
    rows = AreaPopulation.objects.values_list(
        "area__pcode", "year", "total", "female", "male", "children", "source"
    )
    return {pcode: tuple(values) for pcode, *values in rows}


def problems_of(data: bytes, year: int | None = 2025) -> list[str]:
    with pytest.raises(PopulationFileError) as caught:
        load(data, year)
    assert not AreaPopulation.objects.exists()
    return [str(problem) for problem in caught.value.problems]


# --- a good table, figure by figure ----------------------------------------------------------


def test_a_table_loads_each_areas_total_sexes_and_children_under_18(areas):
    report = load(GOOD, by=UserFactory(is_coordinator=True))

    assert figures() == {
        "ZZ01": (2025, 10000, 5100, 4900, 600 + 550 + 500 + 300 + 620 + 560 + 490 + 280, SOURCE),
        "ZZ0101": (2025, 6000, 3050, 2950, 2400, SOURCE),
        "ZZ0102": (2025, 4000, 2050, 1950, 1500, SOURCE),
    }
    assert [change.pcode for change in report.added] == ["ZZ01", "ZZ0101", "ZZ0102"]
    assert report.added[0].new_total == 10000
    assert report.notes == []
    assert has_phrase(report.summary(), "3 figures added; 0 changed; 0 unchanged")


def test_the_load_is_recorded_in_the_history_with_who_loaded_it(areas):
    coordinator = UserFactory(is_coordinator=True)
    load(GOOD, by=coordinator)

    history = AreaPopulation.history.filter(area__pcode="ZZ01").get()
    assert history.history_type == "+"
    assert history.history_user == coordinator
    assert history.total == 10000


def test_loading_the_same_table_again_changes_nothing(areas):
    load(GOOD)
    before = list(AreaPopulation.objects.values_list("pk", "loaded_at").order_by("pk"))

    report = load(GOOD)

    assert has_phrase(report.summary(), "0 figures added; 0 changed; 3 unchanged")
    assert list(AreaPopulation.objects.values_list("pk", "loaded_at").order_by("pk")) == before
    assert AreaPopulation.history.count() == 3


def test_a_new_figure_replaces_the_one_of_the_same_area_and_year_in_place(areas):
    load(GOOD)
    pk = AreaPopulation.objects.get(area__pcode="ZZ0102").pk

    report = load(table(NORTH, HILLS, COAST.replace(",4000,2050,1950,", ",4040,2070,1970,")))

    changed = AreaPopulation.objects.get(area__pcode="ZZ0102")
    assert (changed.pk, changed.total, changed.female, changed.male) == (pk, 4040, 2070, 1970)
    assert [(c.pcode, c.old_total, c.new_total) for c in report.changed] == [("ZZ0102", 4000, 4040)]
    assert changed.history.first().history_type == "~"


def test_another_year_is_added_beside_the_first_and_areas_missing_from_the_file_are_kept(areas):
    load(GOOD, year=2024)
    load(table(NORTH), year=2025)
    report = load(table(NORTH), year=2025)

    assert AreaPopulation.objects.filter(year=2024).count() == 3
    assert AreaPopulation.objects.filter(year=2025).count() == 1
    assert report.not_in_file == 0
    assert load(table(HILLS), year=2024).not_in_file == 2


def test_a_dry_run_reports_what_would_change_and_saves_nothing(areas):
    report = load(GOOD, dry_run=True)

    assert report.dry_run
    assert report.added_count == 3
    assert not AreaPopulation.objects.exists()
    assert not AreaPopulation.history.exists()


def test_a_changed_source_alone_is_a_change(areas):
    load(GOOD)
    report = area_populations_load(data=GOOD, year=2025, source="OCHA COD-PS 2025 v2")

    assert report.changed_count == 3
    assert set(AreaPopulation.objects.values_list("source", flat=True)) == {"OCHA COD-PS 2025 v2"}


# --- the layout's variants ---------------------------------------------------------------


def test_column_names_are_read_whatever_their_case_and_total_may_be_named_population(areas):
    load(table("ZZ01,1200", header="adm1_pcode,Population"))

    assert figures()["ZZ01"] == (2025, 1200, None, None, None, SOURCE)


@pytest.mark.parametrize("name", ["Total", "POP", "t_tl"])
def test_the_other_names_of_the_total_are_read(areas, name):
    load(table("ZZ01,1200", header=f"ADM1_PCODE,{name}"))

    assert figures()["ZZ01"][1] == 1200


def test_a_byte_order_mark_and_semicolons_are_read(areas):
    data = b"\xef\xbb\xbf" + table("ZZ01;1200;600;600", header="ADM1_PCODE;T_TL;F_TL;M_TL")

    load(data)

    assert figures()["ZZ01"][1:4] == (1200, 600, 600)


def test_the_hxl_hashtag_row_under_the_header_is_skipped(areas):
    load(table("#adm1+code,#population+total", "ZZ01,1200", header="ADM1_PCODE,T_TL"))

    assert figures()["ZZ01"][1] == 1200


def test_figures_with_a_fraction_are_rounded_to_whole_people(areas):
    load(table('ZZ01,"1,200.5",600.4,600.1', header="ADM1_PCODE,T_TL,F_TL,M_TL"))

    assert figures()["ZZ01"][1:4] == (1201, 600, 600)


def test_arabic_indic_digits_and_thousands_separators_are_read(areas):
    load(table('ZZ01,"\u0661\u066c\u0662\u0660\u0660"', header="ADM1_PCODE,T_TL"))

    assert figures()["ZZ01"][1] == 1200


def test_age_bands_that_straddle_18_leave_children_empty_and_say_so(areas):
    header = "ADM1_PCODE,T_TL,F_00_04,F_05_09,F_10_14,F_15_19,M_00_04,M_05_09,M_10_14,M_15_19"

    report = load(table("ZZ01,1000,50,50,50,50,50,50,50,50", header=header))

    assert figures()["ZZ01"][4] is None
    assert report.notes == [
        "The age band F_15_19 holds both children and adults, so children under 18 cannot be "
        "counted: they are left empty."
    ]


def test_age_bands_that_leave_an_age_out_leave_children_empty_and_say_so(areas):
    header = "ADM1_PCODE,T_TL,T_00_04,T_10_14,T_15_17"

    report = load(table("ZZ01,1000,50,50,50", header=header))

    assert figures()["ZZ01"][4] is None
    assert "do not cover every age from 0 to 17" in report.notes[0]


def test_bands_of_both_sexes_together_count_children_when_there_are_none_by_sex(areas):
    header = "ADM1_PCODE,T_TL,T_00_00,T_01_04,T_00_04,T_05_17,T_18_59"

    load(table("ZZ01,1000,10,40,50,150,800", header=header))

    assert figures()["ZZ01"][4] == 200


def test_an_empty_age_band_leaves_that_areas_children_empty(areas):
    load(table(NORTH.replace(",600,550,", ",,550,"), HILLS))

    assert figures()["ZZ01"][4] is None
    assert figures()["ZZ0101"][4] == 2400


def test_an_admin0_row_is_the_country(areas):
    load(table("ZZ,50000", header="ADM0_PCODE,T_TL"))

    assert figures()["ZZ"][1] == 50000


# --- the year --------------------------------------------------------------------------------


def test_the_year_comes_from_the_reference_year_column_when_none_is_given(areas):
    report = load(table("ZZ01,1200,2024", header="ADM1_PCODE,T_TL,reference_year"), year=None)

    assert report.year == 2024
    assert figures()["ZZ01"][0] == 2024


def test_a_year_given_wins_over_the_years_column(areas):
    load(table("ZZ01,1200,2024", header="ADM1_PCODE,T_TL,year"), year=2026)

    assert figures()["ZZ01"][0] == 2026


def test_a_file_of_several_years_is_refused_when_no_year_is_given(areas):
    data = table("ZZ01,1200,2024", "ZZ02,900,2025", header="ADM1_PCODE,T_TL,Year")

    assert problems_of(data, year=None) == [
        "Row 3 (ZZ02): The year here is 2025, but 2024 on row 2. A file is loaded for one "
        "year: split it by year, or give the year when loading it."
    ]


def test_without_a_year_given_or_in_the_file_nothing_is_loaded(areas):
    assert problems_of(table("ZZ01,1200", header="ADM1_PCODE,T_TL"), year=None) == [
        "Give the year of the figures: the file has no year or reference_year column with a value."
    ]


@pytest.mark.parametrize(
    ("year", "source", "message"),
    [
        (1800, SOURCE, "The year must be between 1950 and 2100."),
        (2025, "  ", "Give the source of the figures, such as “OCHA COD-PS 2025”."),
        (2025, "x" * 201, "The source must be at most 200 characters of plain text."),
        (2025, "OCHA\x00", "The source must be at most 200 characters of plain text."),
    ],
)
def test_the_year_and_source_given_are_checked(areas, year, source, message):
    with pytest.raises(PopulationFileError) as caught:
        area_populations_load(data=GOOD, year=year, source=source)

    assert [str(problem) for problem in caught.value.problems] == [message]


# --- every bad row, in a sentence ------------------------------------------------------------


SIMPLE = "ADM1_PCODE,ADM2_PCODE,T_TL,F_TL,M_TL"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "ZZ09,,100,,",
            "Row 2 (ZZ09): No area in the portal has the p-code ZZ09. Load the admin "
            "areas (COD-AB) first, or correct the p-code.",
        ),
        ("ZZ01,,,,", "Row 2 (ZZ01): The total population is missing: the T_TL cell is empty."),
        ("ZZ01,,many,,", "Row 2 (ZZ01): The T_TL cell holds “many”, which is not a number."),
        ("ZZ01,,-5,,", "Row 2 (ZZ01): The T_TL cell holds a negative number, -5."),
        (
            "ZZ01,,3000000000,,",
            "Row 2 (ZZ01): The T_TL cell holds 3000000000, more than the "
            "2,147,483,647 the portal can store.",
        ),
        (
            "ZZ01,,99999999999999999999999999,,",
            "Row 2 (ZZ01): The T_TL cell holds "
            "99999999999999999999999999, more than the 2,147,483,647 the portal can store.",
        ),
        (
            "ZZ01,,=SUM(C3:C9),,",
            "Row 2 (ZZ01): The T_TL cell holds a formula, “=SUM(C3:C9)”, "
            "not a number. Save the figures as values and upload the file again.",
        ),
        (
            "ZZ01,,1000,600,300",
            "Row 2 (ZZ01): The female (F_TL, 600) and male (M_TL, 300) "
            "populations add up to 900, not the total of 1,000 (T_TL): they differ by more than "
            "1 %.",
        ),
        (
            "ZZ01,,1000,1200,",
            "Row 2 (ZZ01): The F_TL population, 1,200, is more than the total, 1,000.",
        ),
        (
            "ZZ 01,,100,,",
            "Row 2: The p-code “ZZ 01” in ADM1_PCODE is not valid: use at most 32 "
            "letters, digits, hyphens or underscores.",
        ),
        (",,100,,", "Row 2: This row names no area: its ADMn_PCODE cells are empty."),
        (
            "ZZ01,ZZ02,100,,",
            "Row 2 (ZZ02): The p-code ZZ02 is in the ADM2_PCODE column, but it "
            "is an admin level 1 area in the portal.",
        ),
    ],
)
def test_each_bad_row_is_named_with_its_row_and_p_code(areas, row, message):
    assert problems_of(table(row, header=SIMPLE)) == [message]


def test_female_and_male_within_1_percent_of_the_total_are_accepted(areas):
    load(table("ZZ01,,1000,505,504", header=SIMPLE))

    assert figures()["ZZ01"][1:4] == (1000, 505, 504)


def test_a_p_code_twice_in_the_file_is_refused_naming_the_first_row(areas):
    data = table("ZZ01,,100,,", "ZZ02,,100,,", "ZZ01,,120,,", header=SIMPLE)

    assert problems_of(data) == ["Row 4 (ZZ01): This p-code already has figures on row 2."]


def test_an_area_more_populous_than_its_parent_in_the_file_is_refused(areas):
    data = table(NORTH, HILLS.replace(",6000,3050,2950,", ",12000,6050,5950,"))

    assert problems_of(data) == [
        "Row 3 (ZZ0101): Its population, 12,000, is larger than that of ZZ01, the area it is in "
        "(10,000, row 2)."
    ]


def test_an_admin4_p_code_is_refused_with_the_portals_deepest_level(areas):
    data = table("ZZ01,ZZ010101,100", header="ADM1_PCODE,ADM4_PCODE,T_TL")

    assert problems_of(data) == [
        "Row 2 (ZZ010101): The p-code ZZ010101 is an admin level 4 area; the portal holds areas "
        "down to admin level 3. Load the table of admin level 3 or above."
    ]


def test_every_bad_row_is_listed_in_row_order_and_nothing_is_loaded(areas):
    data = table("ZZ01,,abc,,", "ZZ02,,100,,", "ZZ09,,5,,", ",,1,,", header=SIMPLE)

    problems = problems_of(data)

    assert [problem.split(":")[0] for problem in problems] == [
        "Row 2 (ZZ01)",
        "Row 4 (ZZ09)",
        "Row 5",
    ]


# --- files that cannot be read -------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\n \n", "The file is empty."),
        (b"ADM1_PCODE,T_TL\n", "The file has a header but no areas below it."),
        (
            "ADM1_PCODE,T_TL\nZZ01,1200\nZ\u00e9,5\n".encode("cp1252"),
            "Row 3: The file is not UTF-8 text. Save it as “CSV UTF-8” from the spreadsheet and "
            "upload it again.",
        ),
        (
            "ADM1_PCODE,T_TL\n".encode("utf-16"),
            "Row 1: The file is not UTF-8 text. Save it as “CSV UTF-8” from the spreadsheet and "
            "upload it again.",
        ),
        (
            b"ADM1_EN,T_TL\nNorth,5\n",
            "Row 1: The header has no ADM1_PCODE column (nor ADM0_PCODE to ADM4_PCODE). The first "
            "row must name the columns, as in the OCHA COD-PS tables.",
        ),
        (
            b"ADM1_PCODE,F_TL\nZZ01,5\n",
            "Row 1: The header has no column of the total population: T_TL (or Total, POP, "
            "Population).",
        ),
        (b"ADM1_PCODE,T_TL,T_TL\nZZ01,5,5\n", "Row 1: The column T_TL appears twice."),
        (
            b'ADM1_PCODE,T_TL\nZZ01,"5\n',
            "Row 2: This line cannot be read as CSV (a quotation mark is missing, or a character "
            "follows a closing quotation mark).",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_the_reason(areas, data, message):
    assert problems_of(data) == [message]


def test_the_reader_stops_past_the_row_limit(areas, monkeypatch):
    from locations import population

    monkeypatch.setattr(population, "MAX_ROWS", 2)

    assert problems_of(table("ZZ01,1", "ZZ02,1", "ZZ0101,1", header="ADM1_PCODE,T_TL")) == [
        "Row 4: The file has more than 2 rows of areas; the portal loads at most 2 at a time. "
        "Split the file by admin level."
    ]


def test_a_load_that_meets_a_concurrent_one_loads_nothing_and_says_so(areas, monkeypatch):
    def collide(*args, **kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(services, "_write_populations", collide)

    assert problems_of(GOOD) == [
        "The figures were changed by someone else while this file was loading. Nothing was "
        "loaded; upload the file again."
    ]


# --- Excel workbooks -----------------------------------------------------------------------


def workbook(sheets: dict[str, list[list]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


XLSX_HEADER1 = ["ADM0_PCODE", "ADM1_EN", "ADM1_PCODE", "T_TL", "F_TL", "M_TL"]
XLSX_HEADER2 = [*XLSX_HEADER1[:3], "ADM2_EN", "ADM2_PCODE", "T_TL", "F_TL", "M_TL"]


def test_a_workbook_is_read_sheet_by_sheet_as_ocha_publishes_it(areas):
    data = workbook(
        {
            "README": [["Population of Testland, 2025"], ["Source: OCHA"]],
            "adm1": [XLSX_HEADER1, ["ZZ", "North", "ZZ01", 10000, 5100.0, 4900]],
            "adm2": [
                XLSX_HEADER2,
                ["#adm0+code", "#adm1+name", "#adm1+code", "#adm2+name", "#adm2+code"],
                ["ZZ", "North", "ZZ01", "Hills", "ZZ0101", 6000, 3050, 2950],
                [],
                ["ZZ", "North", "ZZ01", "Coast", "ZZ0102", 4000.4, 2050, 1950],
            ],
        }
    )

    report = load(data)

    assert report.added_count == 3
    assert {pcode: values[1:4] for pcode, values in figures().items()} == {
        "ZZ01": (10000, 5100, 4900),
        "ZZ0101": (6000, 3050, 2950),
        "ZZ0102": (4000, 2050, 1950),
    }


def test_a_workbooks_bad_rows_name_their_sheet(areas):
    data = workbook(
        {
            "adm1": [XLSX_HEADER1, ["ZZ", "North", "ZZ01", 10000, None, None]],
            "adm2": [
                XLSX_HEADER2,
                ["ZZ", "North", "ZZ01", "Hills", "ZZ0101", "=F3*2", None, None],
                ["ZZ", "North", "ZZ01", "Coast", "ZZ0102", "lots", None, None],
                ["ZZ", "North", "ZZ01", "Hills", "ZZ0101", 50, None, None],
                ["ZZ", "North", "ZZ01", None, None, 10000, None, None],
            ],
        }
    )

    assert problems_of(data) == [
        "Sheet “adm2”, row 2 (ZZ0101): The total population is missing: the T_TL cell is empty, "
        "or holds a formula whose result was not saved in the workbook.",
        "Sheet “adm2”, row 3 (ZZ0102): The T_TL cell holds “lots”, which is not a number.",
        "Sheet “adm2”, row 4 (ZZ0101): This p-code already has figures on row 2.",
        "Sheet “adm2”, row 5 (ZZ01): This p-code already has figures on row 2 of the sheet “adm1”.",
    ]


def test_a_workbook_without_a_sheet_of_the_layout_is_refused(areas):
    data = workbook({"Sheet": [["ADM1_PCODE", "name"], ["ZZ01", "North"]]})

    assert problems_of(data) == [
        "The header has no column of the total population: T_TL (or Total, POP, Population)."
    ]


def test_a_workbook_sheet_with_p_codes_but_no_total_is_noted_as_not_read(areas):
    data = workbook(
        {
            "adm1": [["ADM1_PCODE", "T_TL"], ["ZZ01", 1200]],
            "codes": [["ADM1_PCODE", "ADM1_EN"], ["ZZ01", "North"]],
        }
    )

    report = load(data)

    assert report.notes == [
        "The sheet “codes” was not read. The header has no column of the total population: "
        "T_TL (or Total, POP, Population)."
    ]


def test_a_damaged_workbook_is_refused_as_a_workbook(areas):
    data = workbook({"adm1": [["ADM1_PCODE", "T_TL"], ["ZZ01", 1200]]})

    assert problems_of(data[:-40]) == [
        "The file population.xlsx is not an Excel (XLSX) workbook, or it is damaged."
    ]


def test_the_reader_alone_touches_no_table(areas, django_assert_num_queries):
    with django_assert_num_queries(0):
        parsed = read_cod_ps(GOOD, year=2025)

    assert list(parsed.figures) == ["ZZ01", "ZZ0101", "ZZ0102"]
    assert parsed.figures["ZZ0101"].children == 2400


# --- the command -----------------------------------------------------------------------------


def test_the_command_loads_a_file_and_prints_what_it_did(areas, tmp_path, capsys):
    path = tmp_path / "zz_admpop_2025.csv"
    path.write_bytes(GOOD)

    call_command("load_population", str(path), "--year", "2025", "--source", SOURCE)

    out = capsys.readouterr().out
    assert "added    ZZ0101  Hills  6000" in out
    assert has_phrase(out, "2025, OCHA COD-PS 2025: 3 figures added; 0 changed; 0 unchanged")
    assert AreaPopulation.objects.count() == 3


def test_the_commands_dry_run_changes_nothing(areas, tmp_path, capsys):
    path = tmp_path / "pop.xlsx"
    path.write_bytes(workbook({"adm1": [["ADM1_PCODE", "T_TL", "year"], ["ZZ01", 1200, 2024]]}))

    call_command("load_population", str(path), "--source", SOURCE, "--dry-run")

    assert "Dry run, nothing changed: 2024, OCHA COD-PS 2025: 1 figure added" in (
        capsys.readouterr().out
    )
    assert not AreaPopulation.objects.exists()


def test_the_command_lists_every_problem_and_fails(areas, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(table("ZZ01,,abc,,", "ZZ09,,5,,", header=SIMPLE))

    with pytest.raises(CommandError) as caught:
        call_command("load_population", str(path), "--year", "2025", "--source", SOURCE)

    message = str(caught.value)
    assert "2 problem(s); nothing was loaded" in message
    assert "Row 2 (ZZ01): The T_TL cell holds “abc”, which is not a number." in message
    assert "Row 3 (ZZ09): No area in the portal has the p-code ZZ09." in message


def test_the_command_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("load_population", str(tmp_path / "none.csv"), "--source", SOURCE)


# --- the selector ----------------------------------------------------------------------------


def _figure(area, year: int, total: int) -> None:
    AreaPopulation.objects.create(area=area, year=year, total=total, source=f"COD-PS {year}")


def test_the_selector_takes_the_newest_year_not_after_the_one_asked(
    areas, django_assert_num_queries
):
    north, south, hills = areas["ZZ01"], areas["ZZ02"], areas["ZZ0101"]
    for year, total in ((2020, 900), (2023, 950), (2025, 1000)):
        _figure(north, year, total)
    _figure(south, 2027, 700)
    _figure(south, 2028, 720)

    with django_assert_num_queries(1):
        found = population_by_area([north.pk, south.pk, hills.pk], 2024)

    assert found == {
        north.pk: Population(total=950, year=2023, source="COD-PS 2023"),
        south.pk: Population(total=700, year=2027, source="COD-PS 2027"),
    }


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2019, 2020), (2020, 2020), (2022, 2020), (2023, 2023), (2025, 2025), (2026, 2025)],
)
def test_the_selectors_year_rule(areas, year, expected):
    north = areas["ZZ01"]
    for loaded in (2020, 2023, 2025):
        _figure(north, loaded, loaded)

    assert population_by_area([north.pk], year)[north.pk].year == expected


def test_the_selector_takes_a_queryset_of_ids_within_its_one_query(
    areas, django_assert_num_queries
):
    _figure(areas["ZZ0101"], 2025, 6000)
    admin2 = AdminArea.objects.filter(level=AdminLevel.ADMIN2).values("pk")

    with django_assert_num_queries(1):
        found = population_by_area(admin2, 2025)

    assert found == {areas["ZZ0101"].pk: Population(6000, 2025, "COD-PS 2025")}


def test_the_selector_asks_nothing_for_no_areas(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert population_by_area([], 2025) == {}
