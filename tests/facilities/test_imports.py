"""Importing facilities and their statuses from the Excel templates: the round trip from the
download to the upload, the dry run, the codes and places the forms would give, each
problem's sentence, all or nothing, what partners may import, and a constant number of
queries whatever the rows."""

import datetime
import html
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation
from openpyxl import load_workbook
from shapely.geometry import box, mapping

from facilities import imports
from facilities.models import Facility, FacilityStatus, Functionality, Ownership, ReviewState
from facilities.sheets import FACILITIES, STATUSES
from locations.models import AdminLevel, AreaBoundary
from partners.models import OrganisationStatus
from tests.facilities.factories import FacilityFactory, SupportFactory, make_registry
from tests.facilities.import_helpers import (
    FACILITY_ROW,
    as_upload,
    facilities_file,
    filled,
    status_row,
    statuses_file,
    template,
)
from tests.factories import AdminAreaFactory
from tests.text import has_phrase

pytestmark = pytest.mark.django_db

FACILITY_IMPORT = reverse("facilities:import")
STATUS_IMPORT = reverse("facilities:status_import")


@pytest.fixture
def registry(world):
    return make_registry(world)


def download(client, name: str) -> bytes:
    response = client.get(reverse(name))
    assert response.status_code == 200, response.status_code
    assert response["Content-Disposition"].startswith("attachment")
    return b"".join(response.streaming_content)


def rows_of(data: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return list(sheet.iter_rows(values_only=True))


def post(client, url: str, content: bytes, **fields):
    return client.post(url, {"file": as_upload(content), **fields})


def problems(response) -> list[str]:
    assert response.status_code == 400, response.status_code
    return [str(problem) for problem in response.context["problems"]]


# --- the round trip ------------------------------------------------------------------------------


def test_a_coordinator_downloads_the_registry_adds_a_facility_and_keeps_the_others(
    login, world, registry
):
    client = login(world.user("coordinator"))
    data = download(client, "facilities:import_template")
    rows = rows_of(data)
    assert rows[1][:3] == ("#loc+code", "#loc+name+i_en", "#loc+name+i_ar")
    assert [row[0] for row in rows[2:]] == ["HOS-1", "PHC-1"]

    response = post(client, FACILITY_IMPORT, filled(data, [FACILITY_ROW], keep=True))

    assert response.status_code == 302
    assert response["Location"] == reverse("facilities:list")
    added = Facility.objects.get(name_en="South Clinic")
    assert (added.code, added.name_ar, added.type.code, added.ownership) == (
        "HF-00001",
        "عيادة الجنوب",
        "phc",
        Ownership.NGO,
    )
    assert added.area == world.area
    assert added.history.get().history_user == world.user("coordinator")
    # The registry's own rows read back as they are: nothing changed, no history added.
    assert registry.hospital.history.count() == 1
    [message] = client.get(reverse("facilities:list")).context["messages"]
    assert str(message) == "Facilities added: 1; changed: 0; as the registry had them already: 2."


def test_the_arabic_template_reads_back_the_same(login, world, registry):
    client = login(world.user("coordinator"))
    with translation.override("ar"):
        data = download(client, "facilities:import_template")
        ngo = str(Ownership.NGO.label)
    assert rows_of(data)[2][3] == "مستشفى"
    row = ["", "Harbour Clinic", "", "مستشفى", ngo, "ZZ01", None, None, ""]

    response = post(client, FACILITY_IMPORT, filled(data, [row], keep=True))

    assert response.status_code == 302
    added = Facility.objects.get(name_en="Harbour Clinic")
    assert (added.type.code, added.ownership) == ("hospital", Ownership.NGO)
    assert registry.hospital.history.count() == 1


def test_a_partner_downloads_the_facilities_it_supports_and_records_their_status(
    login, world, registry
):
    client = login(world.user("staff"))
    data = download(client, "facilities:status_import_template")
    assert [row[:2] for row in rows_of(data)[2:]] == [("HOS-1", "North Hospital")]
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    sheet["C3"] = timezone.localdate()
    for column, value in zip("DEFGHI", status_row()[3:9], strict=True):
        sheet[f"{column}3"] = value
    output = io.BytesIO()
    sheet.parent.save(output)

    response = post(client, STATUS_IMPORT, output.getvalue())

    assert response.status_code == 302
    assert response["Location"] == reverse("facilities:statuses_mine")
    status = FacilityStatus.objects.get(source="Call with the hospital director")
    assert (status.facility, status.organisation, status.recorded_by, status.state) == (
        registry.hospital,
        world.org_a,
        world.user("staff"),
        ReviewState.SUBMITTED,
    )
    assert (status.functionality, status.causes, status.beds) == ("partially", ["utilities"], 40)
    assert status.history.get().history_user == world.user("staff")


def test_rows_with_only_the_facility_listed_are_left_out(login, world, registry):
    client = login(world.user("coordinator"))
    data = download(client, "facilities:status_import_template")
    content = filled(data, [status_row("PHC-1")], keep=True)

    response = post(client, STATUS_IMPORT, content)

    assert response.status_code == 302
    assert FacilityStatus.objects.filter(facility=registry.centre).count() == 1
    assert FacilityStatus.objects.filter(facility=registry.hospital).count() == 3


def test_the_dry_run_says_what_the_file_would_do_and_saves_nothing(login, world, registry):
    client = login(world.user("coordinator"))
    content = filled(
        template(FACILITIES), [FACILITY_ROW, ["HOS-1", "North Hospital 2", *FACILITY_ROW[2:]]]
    )

    response = post(client, FACILITY_IMPORT, content, dry_run="on")

    assert response.status_code == 200
    text = response.content.decode()
    assert has_phrase(
        text,
        "The file is correct; nothing was saved yet. Importing it would add facilities: 1; "
        "change: 1; leave as they are: 0.",
    )
    assert "a new code" in text
    assert not Facility.objects.filter(name_en__in=["South Clinic", "North Hospital 2"]).exists()


def test_the_dry_run_of_statuses_lists_them(login, world, registry):
    client = login(world.user("focal"))
    before = FacilityStatus.objects.count()

    response = client.post(
        STATUS_IMPORT, {"file": statuses_file(world.user("focal")), "dry_run": "on"}
    )

    assert response.status_code == 200
    assert "Importing it would record 1 status." in response.content.decode()
    assert FacilityStatus.objects.count() == before


# --- what the services do with the rows -------------------------------------------------------


def test_a_row_with_a_facilitys_code_changes_it_with_every_value(world, registry):
    row = ["hos-1", "North General Hospital", "", "hospital", "public", "ZZ01", None, None, ""]

    result = imports.facilities_import(upload=facilities_file([row]), by=world.user("coordinator"))

    hospital = Facility.objects.get(pk=registry.hospital.pk)
    assert [facility.pk for facility in result.changed] == [hospital.pk]
    # The code stays as the registry has it; the coordinates the row leaves empty go.
    assert (hospital.code, hospital.name_en, hospital.name_ar) == ("HOS-1", row[1], "")
    assert hospital.longitude is None
    latest = hospital.history.first()
    assert (latest.history_type, latest.history_user) == ("~", world.user("coordinator"))


def test_codes_are_given_past_those_of_the_file_and_of_the_history(world, registry):
    gone = FacilityFactory(code="HF-00004")
    gone.delete()
    rows = [
        ["", "First", *FACILITY_ROW[2:]],
        ["HF-00007", "Given", *FACILITY_ROW[2:]],
        ["", "Second", *FACILITY_ROW[2:]],
    ]

    imports.facilities_import(upload=facilities_file(rows), by=world.user("coordinator"))

    codes = dict(
        Facility.objects.filter(name_en__in=["First", "Given", "Second"]).values_list(
            "name_en", "code"
        )
    )
    assert codes == {"First": "HF-00008", "Given": "HF-00007", "Second": "HF-00009"}


def _boundaries(world):
    district = AdminAreaFactory(
        pcode="ZZ0101", name_en="Harbour", level=AdminLevel.ADMIN2, parent=world.area
    )
    for area, shape in ((world.area, box(35, 32, 36, 33)), (district, box(35, 32, 35.5, 33))):
        AreaBoundary.objects.create(area=area, geometry=mapping(shape), outline=mapping(shape))
    return district


def test_the_area_is_found_from_the_coordinates_as_the_form_finds_it(world, registry):
    district = _boundaries(world)
    rows = [
        ["", "Placed", "", "hospital", "public", "", 35.2, 32.5, ""],
        ["", "Finer", "", "hospital", "public", "ZZ01", "35.7", "32.5", "nutrition, Child health"],
    ]

    imports.facilities_import(upload=facilities_file(rows), by=world.user("coordinator"))

    placed = Facility.objects.get(name_en="Placed")
    assert (placed.area, str(placed.longitude)) == (district, "35.200000")
    finer = Facility.objects.get(name_en="Finer")
    assert finer.area == world.area
    assert sorted(finer.domains.values_list("code", flat=True)) == ["child-health", "nutrition"]


def test_coordinates_outside_the_boundaries_are_refused_with_the_forms_sentence(world, registry):
    _boundaries(world)
    row = ["", "Swapped", "", "hospital", "public", "", 32.5, 35.2, ""]

    with pytest.raises(imports.ImportRefused) as refused:
        imports.facilities_import(upload=facilities_file([row]), by=world.user("coordinator"))

    assert [str(problem) for problem in refused.value.problems] == [
        "Sheet “Facilities”, row 3, Longitude: These coordinates lie outside every admin area "
        "whose boundary is loaded. Check them (decimal degrees, the longitude east and the "
        "latitude north), or leave them empty and choose the area. With the longitude and the "
        "latitude swapped, they would be inside."
    ]


def test_a_coordinator_may_validate_the_statuses_at_once(login, world, registry):
    client = login(world.user("coordinator"))
    response = client.post(
        STATUS_IMPORT,
        {"file": statuses_file(world.user("coordinator")), "validate": "on"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("facilities:list")
    status = FacilityStatus.objects.get(source="Call with the hospital director")
    assert (status.state, status.reviewed_by, status.organisation) == (
        ReviewState.VALIDATED,
        world.user("coordinator"),
        None,
    )
    assert status.reviewed_at is not None


def test_a_partner_cannot_validate_its_own_statuses(login, world, registry):
    client = login(world.user("focal"))
    page = client.get(STATUS_IMPORT).content.decode()
    assert 'name="validate"' not in page

    client.post(STATUS_IMPORT, {"file": statuses_file(world.user("focal")), "validate": "on"})

    status = FacilityStatus.objects.get(source="Call with the hospital director")
    assert status.state == ReviewState.SUBMITTED


def test_a_coordinator_records_for_a_supporting_partner(world, registry):
    rows = [status_row(organisation="AH"), status_row(organisation="Alpha Health")]

    imports.statuses_import(
        upload=statuses_file(world.user("coordinator"), rows), by=world.user("coordinator")
    )

    recorded = FacilityStatus.objects.filter(source="Call with the hospital director")
    assert [status.organisation for status in recorded] == [world.org_a, world.org_a]


def test_causes_and_answers_are_read_as_codes_or_words_of_either_language(world, registry):
    with translation.override("ar"):
        partially = str(Functionality.PARTIALLY.label)
    row = status_row(
        functionality=partially, causes="staff; Lack of utilities (power, fuel, water)"
    )

    imports.statuses_import(
        upload=statuses_file(world.user("coordinator"), [row]), by=world.user("coordinator")
    )

    status = FacilityStatus.objects.get(source="Call with the hospital director")
    assert (status.functionality, status.causes) == ("partially", ["staff", "utilities"])


# --- each problem, in a sentence ------------------------------------------------------------------


def _facility(**changes) -> list:
    keys = ["code", "name_en", "name_ar", "type", "ownership", "area", "lon", "lat", "domains"]
    values = dict(zip(keys, FACILITY_ROW, strict=True)) | changes
    return [values[key] for key in keys]


FACILITY_CASES = {
    "a code with a space": (
        _facility(code="HF 1"),
        "Code: A code has at most 40 characters: letters, digits, and . _ / - without spaces.",
    ),
    "an unknown type": (
        _facility(type="Clinic"),
        "Type: “Clinic” is not a facility type: Hospital; Primary health care centre; Mobile "
        "clinic; Field hospital or emergency medical team; Medical point in a shelter; Other.",
    ),
    "no type": (_facility(type=""), "Type: Choose the type of facility."),
    "an unknown ownership": (
        _facility(ownership="state"),
        "Ownership: “state” is not one of the answers: Public; Private; NGO; UN.",
    ),
    "no ownership": (
        _facility(ownership=None),
        "Ownership: The cell is empty; write one of the answers: Public; Private; NGO; UN.",
    ),
    "an unknown p-code": (
        _facility(area="XX99"),
        "Admin area p-code: No admin area has the p-code XX99.",
    ),
    "neither area nor coordinates": (
        _facility(area=""),
        "Admin area p-code: Choose the admin area, or give the coordinates so that it is found "
        "from them.",
    ),
    "a longitude in words": (
        _facility(lon="east"),
        "Longitude: Enter a number in digits, with a point before any decimals (for example "
        "35.204).",
    ),
    "a latitude out of range": (
        _facility(lon=35, lat=1e6),
        "Latitude: Enter a number no larger than 90.",
    ),
    "one coordinate": (
        _facility(lon=35),
        "Latitude: Give both the longitude and the latitude, or neither.",
    ),
    "no English name": (
        _facility(name_en=""),
        "Name (English): Give the facility's name in English.",
    ),
    "a name too long": (
        _facility(name_en="x" * 201),
        "Name (English): Write at most 200 characters.",
    ),
    "an unknown service": (
        _facility(domains="nutrition, dentistry"),
        "Services offered (health domains): “dentistry” is not the code of a health domain. "
        "Separate the codes with commas.",
    ),
    "a formula": (
        _facility(name_en='=CONCAT("North", " Clinic")'),
        "Name (English): The cell holds a formula. Type the value itself: formulas are not "
        "calculated when a file is imported.",
    ),
}


@pytest.mark.parametrize("case", FACILITY_CASES)
def test_each_problem_of_a_facility_row_is_a_sentence(login, world, registry, case):
    row, sentence = FACILITY_CASES[case]
    client = login(world.user("coordinator"))

    response = post(client, FACILITY_IMPORT, filled(template(FACILITIES), [row]))

    assert problems(response) == [f"Sheet “Facilities”, row 3, {sentence}"]
    assert sentence.split(": ", 1)[1] in html.unescape(response.content.decode())
    assert not Facility.objects.exclude(code__in=["HOS-1", "PHC-1"]).exists()


def test_a_code_twice_in_the_file_is_refused(world, registry):
    rows = [_facility(code="NEW-1"), _facility(code="new-1")]
    with pytest.raises(imports.ImportRefused) as refused:
        imports.facilities_import(upload=facilities_file(rows), by=world.user("coordinator"))
    assert [str(problem) for problem in refused.value.problems] == [
        "Sheet “Facilities”, row 4, Code: The code new-1 is on row 3 already."
    ]


def _today(days: int = 0) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


STATUS_CASES = {
    "an unknown facility": (
        status_row("NOPE"),
        "Facility code: No facility of the registry has the code NOPE.",
    ),
    "no facility": (status_row(""), "Facility code: Give the facility's code."),
    "a day written otherwise": (
        status_row(as_of="30/11/2026"),
        "Status on: “30/11/2026” is not a day. Write it as year-month-day, such as 2026-11-30, "
        "or as a date of the spreadsheet.",
    ),
    "a day as a plain number": (
        status_row(as_of=46000),
        "Status on: “46000” is not a day. Write it as year-month-day, such as 2026-11-30, or "
        "as a date of the spreadsheet.",
    ),
    "no day": (status_row(as_of=None), "Status on: Give the day the status was observed."),
    "an unknown functionality": (
        status_row(functionality="working"),
        "Functionality: “working” is not one of the answers: Fully functioning; Partially "
        "functioning; Not functioning.",
    ),
    "no building condition": (
        status_row(building=None),
        "Building condition: The cell is empty; write one of the answers: Not damaged; "
        "Partially damaged; Fully damaged.",
    ),
    "causes when fully functioning": (
        status_row(functionality="fully"),
        "Causes: A fully functioning facility has no causes: leave them empty.",
    ),
    "no cause when partially functioning": (
        status_row(causes=None),
        "Causes: Say why the facility is not fully functioning: choose at least one cause.",
    ),
    "an unknown cause": (
        status_row(causes="staff, bad luck"),
        "Causes: “bad luck” is not a cause. Separate the causes with commas.",
    ),
    "too many beds": (status_row(beds=20_001), "Beds: Enter a number no larger than 20,000."),
    "beds in words": (
        status_row(beds="many"),
        "Beds: Enter a whole number, in digits only (for example 1250).",
    ),
    "fewer beds than none": (status_row(beds=-1), "Beds: Enter a number no smaller than 0."),
    "no source": (
        status_row(source=" "),
        "Source: Say where the status comes from (a visit, a call, a report).",
    ),
    "an unknown organisation": (
        status_row(organisation="Nobody"),
        "Reported by (organisation): No partner organisation has the acronym or name Nobody.",
    ),
    "a formula": (
        status_row(beds="=20*2"),
        "Beds: The cell holds a formula. Type the value itself: formulas are not calculated "
        "when a file is imported.",
    ),
}


@pytest.mark.parametrize("case", STATUS_CASES)
def test_each_problem_of_a_status_row_is_a_sentence(login, world, registry, case):
    row, sentence = STATUS_CASES[case]
    client = login(world.user("coordinator"))
    before = FacilityStatus.objects.count()

    response = post(
        client, STATUS_IMPORT, filled(template(STATUSES, world.user("coordinator")), [row])
    )

    assert problems(response) == [f"Sheet “Statuses”, row 3, {sentence}"]
    assert FacilityStatus.objects.count() == before


def test_a_day_after_today_is_refused(world, registry):
    with pytest.raises(imports.ImportRefused) as refused:
        imports.statuses_import(
            upload=statuses_file(world.user("coordinator"), [status_row(as_of=_today(1))]),
            by=world.user("coordinator"),
        )
    assert [str(problem) for problem in refused.value.problems] == [
        "Sheet “Statuses”, row 3, Status on: A status cannot be dated after today."
    ]


def test_a_partner_that_does_not_support_the_facility_that_day_is_named(world, registry):
    row = status_row(organisation="BR")
    with pytest.raises(imports.ImportRefused) as refused:
        imports.statuses_import(
            upload=statuses_file(world.user("coordinator"), [row]), by=world.user("coordinator")
        )
    day = formats.date_format(timezone.localdate(), "DATE_FORMAT")
    assert [str(problem) for problem in refused.value.problems] == [
        f"Sheet “Statuses”, row 3, Reported by (organisation): Beta Relief did not support "
        f"this facility on {day}: record the status of a day it did, or ask the coordinators "
        "to correct its support."
    ]


def test_an_organisation_not_approved_is_refused(world, registry):
    world.org_b.status = OrganisationStatus.SUSPENDED
    world.org_b.save()
    SupportFactory(facility=registry.hospital, organisation=world.org_b)
    with pytest.raises(imports.ImportRefused) as refused:
        imports.statuses_import(
            upload=statuses_file(world.user("coordinator"), [status_row(organisation="BR")]),
            by=world.user("coordinator"),
        )
    assert [str(problem) for problem in refused.value.problems] == [
        "Sheet “Statuses”, row 3, Reported by (organisation): Beta Relief is not an approved "
        "partner organisation."
    ]


# --- all or nothing -------------------------------------------------------------------------------


def test_one_bad_row_and_nothing_is_saved(login, world, registry):
    client = login(world.user("coordinator"))
    rows = [FACILITY_ROW, _facility(name_en="Second"), _facility(type="Clinic", ownership="x")]

    response = post(client, FACILITY_IMPORT, filled(template(FACILITIES), rows))

    assert len(problems(response)) == 2
    assert "Nothing was imported: the file has 2 problems." in response.content.decode()
    assert Facility.objects.count() == 2
    assert FacilityStatus.objects.count() == 3


def test_one_bad_status_and_none_is_recorded(world, registry):
    rows = [status_row(), status_row(), status_row(beds="many")]
    with pytest.raises(imports.ImportRefused):
        imports.statuses_import(
            upload=statuses_file(world.user("staff"), rows), by=world.user("staff")
        )
    assert FacilityStatus.objects.count() == 3


def test_an_empty_sheet_imports_nothing(login, world, registry):
    client = login(world.user("coordinator"))
    response = post(client, FACILITY_IMPORT, filled(template(FACILITIES), []))
    assert problems(response) == [
        "The sheet “Facilities” holds no row to import under its headers."
    ]


# --- what a partner may import --------------------------------------------------------------------


def test_a_partner_records_only_the_facilities_it_supports(world, registry):
    with pytest.raises(imports.ImportRefused) as refused:
        imports.statuses_import(
            upload=statuses_file(world.user("staff"), [status_row("PHC-1")]),
            by=world.user("staff"),
        )
    assert [str(problem) for problem in refused.value.problems] == [
        "Sheet “Statuses”, row 3, Facility code: Only partners supporting this facility, and "
        "coordinators, record its status. Ask the cluster coordinators to record your "
        "organisation's support."
    ]


def test_a_partner_records_only_days_it_supported_the_facility(world, registry):
    registry.support.start = datetime.date(2024, 1, 1)
    registry.support.save()
    row = status_row(as_of=datetime.date(2023, 12, 31))
    with pytest.raises(imports.ImportRefused) as refused:
        imports.statuses_import(
            upload=statuses_file(world.user("staff"), [row]), by=world.user("staff")
        )
    assert [str(problem) for problem in refused.value.problems] == [
        "Sheet “Statuses”, row 3, Status on: Alpha Health did not support this facility on 31 "
        "December 2023: record the status of a day it did, or ask the coordinators to correct "
        "its support."
    ]


def test_a_partner_records_for_its_own_organisation_only(world, registry):
    rows = [status_row(organisation="AH"), status_row(organisation="BR")]
    with pytest.raises(imports.ImportRefused) as refused:
        imports.statuses_import(
            upload=statuses_file(world.user("staff"), rows), by=world.user("staff")
        )
    assert [str(problem) for problem in refused.value.problems] == [
        "Sheet “Statuses”, row 4, Reported by (organisation): Members record statuses for "
        "their own organisation only."
    ]


def test_a_partner_cannot_import_facilities(login, world, registry):
    client = login(world.user("focal"))
    assert client.post(FACILITY_IMPORT, {"file": facilities_file()}).status_code == 403
    assert Facility.objects.count() == 2


def test_a_suspended_organisations_members_import_nothing(login, world, registry):
    world.org_a.status = OrganisationStatus.SUSPENDED
    world.org_a.save()
    client = login(world.user("focal"))
    response = client.post(STATUS_IMPORT, {"file": statuses_file(world.user("coordinator"))})
    assert response.status_code == 403
    assert FacilityStatus.objects.count() == 3


# --- queries --------------------------------------------------------------------------------------


def _queries(action) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


def test_importing_statuses_takes_the_same_queries_for_three_rows_or_nine(world, registry):
    for code in ("HOS-2", "HOS-3"):
        SupportFactory(
            facility=FacilityFactory(code=code, area=world.area), organisation=world.org_a
        )
    staff = world.user("staff")
    counts = []
    for rows in (3, 9):
        codes = ["HOS-1", "HOS-2", "HOS-3"] * (rows // 3)
        upload = statuses_file(staff, [status_row(code) for code in codes])
        counts.append(
            _queries(lambda upload=upload: imports.statuses_import(upload=upload, by=staff))
        )
    assert counts[0] == counts[1]


def test_importing_facilities_takes_the_same_queries_for_three_rows_or_nine(world, registry):
    coordinator = world.user("coordinator")
    counts = []
    for rows in (3, 9):
        names = [f"Clinic {rows}-{number}" for number in range(rows)]
        changed = [["HOS-1", f"North Hospital {rows}", *FACILITY_ROW[2:]]]
        upload = facilities_file([_facility(name_en=name) for name in names] + changed)
        counts.append(
            _queries(lambda upload=upload: imports.facilities_import(upload=upload, by=coordinator))
        )
    assert counts[0] == counts[1]
