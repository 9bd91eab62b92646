"""The registry's exports: its columns and HXL hashtags, the current status of each facility
and its supporters, the list's filters, who may have the files (the public only where the
deployment publishes the facilities), the coordinators' history of statuses, and a fixed
number of queries whatever the facilities."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from facilities.models import Functionality, ReviewState
from locations.models import AdminLevel
from tests.facilities.factories import FacilityFactory, StatusFactory, SupportFactory, make_registry
from tests.factories import AdminAreaFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

REGISTRY_TAGS = [
    "#loc+code",
    "#loc+name",
    "#loc+type",
    "#loc+ownership",
    "#adm1+name",
    "#adm1+code",
    "#adm2+name",
    "#adm2+code",
    "#geo+lon",
    "#geo+lat",
    "#subsector",
    "#status",
    "#status+building",
    "#status+access",
    "#status+causes",
    "#capacity+beds",
    "#date",
    "#org",
]


@pytest.fixture
def registry(world):
    return make_registry(world)


def url(name: str, fmt: str) -> str:
    return reverse(f"facilities:{name}", kwargs={"fmt": fmt})


def rows_of(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def records(response) -> dict[str, dict[str, str]]:
    """The lines of a plain CSV export by their first cell, each by header."""
    header, *lines = rows_of(response)
    return {line[0]: dict(zip(header, line, strict=True)) for line in lines}


def test_the_hxl_file_has_the_headers_then_the_hashtags(login, world, registry):
    rows = rows_of(login(world.user("staff")).get(url("export", "hxl")))
    assert rows[0][:4] == ["Code", "Name", "Type", "Ownership"]
    assert rows[1] == REGISTRY_TAGS
    assert [row[0] for row in rows[2:]] == ["HOS-1", "PHC-1"]


def test_each_facility_has_its_current_status_and_its_supporters(login, world, registry):
    district = AdminAreaFactory(
        pcode="ZZ0101", name_en="Harbour", level=AdminLevel.ADMIN2, parent=world.area
    )
    registry.hospital.area = district
    registry.hospital.save()
    ended = OrganisationFactory(name_en="Gone Relief")
    SupportFactory(facility=registry.hospital, organisation=ended, end=datetime.date(2021, 1, 1))

    lines = records(login(world.user("coordinator")).get(url("export", "csv")))

    hospital, centre = lines["HOS-1"], lines["PHC-1"]
    # The current status is the validated one: the submitted and returned ones do not count.
    validated = registry.validated
    assert {key: hospital[key] for key in ("Functionality", "Building condition", "Status on")} == {
        "Functionality": "Fully functioning",
        "Building condition": "Not damaged",
        "Status on": validated.as_of.isoformat(),
    }
    assert (hospital["Admin 1"], hospital["Admin 1 p-code"]) == ("North", "ZZ01")
    assert (hospital["Admin 2"], hospital["Admin 2 p-code"]) == ("Harbour", "ZZ0101")
    assert (hospital["Longitude"], hospital["Latitude"]) == ("35.000000", "32.000000")
    assert hospital["Supported by"] == "Alpha Health"
    assert (centre["Functionality"], centre["Supported by"], centre["Admin 2 p-code"]) == (
        "No recent data",
        "",
        "",
    )


def test_causes_and_beds_of_the_current_status(login, world, registry):
    StatusFactory(
        facility=registry.centre,
        functionality=Functionality.NOT,
        causes=["staff", "insecurity"],
        beds=12,
    )
    centre = records(login(world.user("focal")).get(url("export", "csv")))["PHC-1"]
    assert (centre["Functionality"], centre["Causes"], centre["Beds"]) == (
        "Not functioning",
        "Lack of staff; Insecurity",
        "12",
    )


def test_the_lists_filters_apply_to_the_file(login, world, registry):
    client = login(world.user("staff"))
    assert list(records(client.get(url("export", "csv"), {"functionality": "none"}))) == ["PHC-1"]
    assert list(records(client.get(url("export", "csv"), {"q": "north"}))) == ["HOS-1"]


def test_a_filter_that_is_not_valid_sends_to_the_list(login, world, registry):
    response = login(world.user("staff")).get(url("export", "csv"), {"type": "nope"})
    assert response.status_code == 302
    assert response["Location"] == reverse("facilities:list") + "?type=nope"


def test_the_excel_file_opens_with_the_same_columns(login, world, registry):
    response = login(world.user("coordinator")).get(url("export", "xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Code", "Name", "Type")
    assert [row[0] for row in rows[1:]] == ["HOS-1", "PHC-1"]


def test_the_public_gets_no_file_while_the_locations_are_not_published(client, registry, settings):
    settings.PUBLISH_FACILITY_LOCATIONS = False
    for fmt in ("csv", "xlsx", "hxl"):
        assert client.get(url("export", fmt)).status_code == 404


def test_once_published_the_public_gets_the_registry_with_validated_statuses_only(
    client, registry, settings
):
    settings.PUBLISH_FACILITY_LOCATIONS = True
    lines = records(client.get(url("export", "csv")))
    assert lines["HOS-1"]["Functionality"] == "Fully functioning"
    assert "Source" not in lines["HOS-1"]
    assert client.get(url("status_export", "csv")).status_code == 302  # sign in first


# --- the history of statuses ----------------------------------------------------------------------


def test_the_history_holds_every_status_with_its_review_and_source(login, world, registry):
    registry.submitted.source = '=HYPERLINK("http://evil.example")'
    registry.submitted.save()
    StatusFactory(facility=registry.centre, organisation=None)
    client = login(world.user("coordinator"))

    rows = rows_of(client.get(url("status_export", "hxl")))

    header, tags, lines = rows[0], rows[1], rows[2:]
    assert tags[:6] == ["#loc+code", "#loc+name", "#adm1+code", "#adm2+code", "#date", "#status"]
    assert {"#meta+source", "#org", "#status+review"} <= set(tags)
    by_review = {
        line[header.index("Review")]: dict(zip(header, line, strict=True)) for line in lines
    }
    assert len(lines) == 4
    assert set(by_review) == {
        str(ReviewState.VALIDATED.label),
        str(ReviewState.SUBMITTED.label),
        str(ReviewState.RETURNED.label),
    }
    submitted = by_review[str(ReviewState.SUBMITTED.label)]
    assert submitted["Reported by"] == "Alpha Health"
    # A formula typed as the source is text in every spreadsheet.
    assert submitted["Source"] == '\'=HYPERLINK("http://evil.example")'
    cluster = next(line for line in lines if line[0] == "PHC-1")
    assert cluster[header.index("Reported by")] == "The cluster itself"


def test_members_get_no_history(login, world, registry):
    assert login(world.user("focal")).get(url("status_export", "csv")).status_code == 403


# --- queries --------------------------------------------------------------------------------------


def _queries(client, address: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
        b"".join(response.streaming_content)
    return len(captured)


def _more_facilities(world, count: int, prefix: str) -> None:
    today = timezone.localdate()
    for number in range(count):
        facility = FacilityFactory(code=f"{prefix}-{number}", area=world.area)
        SupportFactory(facility=facility, organisation=world.org_b)
        StatusFactory(facility=facility, as_of=today - datetime.timedelta(days=number))


@pytest.mark.parametrize("name", ["export", "status_export"])
def test_the_files_take_the_same_queries_for_three_facilities_or_nine(login, world, registry, name):
    client = login(world.user("coordinator"))
    _more_facilities(world, 1, "ONE")
    small = _queries(client, url(name, "csv"))
    _more_facilities(world, 6, "SIX")
    assert _queries(client, url(name, "csv")) == small
