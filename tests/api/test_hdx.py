"""The HDX package: its index says what the dataset is and where its two CSV resources are,
and both resources, downloaded from those addresses, validate against an HXL schema with
libhxl (the HXL standard's own validator, offline): the tags HDX needs present, p-codes of
the portal's admin1 areas only, months as dates, figures not negative, no organisation in the
figures and no figure in the presence. On tests/analysis/small_cells.py, every line of the
presence is listed by hand."""

import csv
import io
from urllib.parse import urlsplit

import hxl
import pytest

from analysis.models import Reach
from locations.models import AdminArea, AdminLevel
from partners.disclosure import public_presence
from partners.models import Organisation
from tests.analysis import small_cells

pytestmark = pytest.mark.django_db

MONTHS = {"first_month": "2026-01", "last_month": "2026-02"}


@pytest.fixture(autouse=True)
def pinned_day(time_machine):
    time_machine.move_to(small_cells.MARCH_15_2026)


def _schema(rules: list[list[str]]) -> list[list[str]]:
    """An HXL schema: a header, the schema's own tags, one rule per line."""
    return [
        ["Tag", "Required", "At most", "Type", "Minimum", "Allowed", "Pattern"],
        [
            "#valid_tag",
            "#valid_required",
            "#valid_required+max",
            "#valid_datatype",
            "#valid_value+min",
            "#valid_value+list",
            "#valid_value+regex",
        ],
        *rules,
    ]


def _admin1_pcodes() -> str:
    return "|".join(
        AdminArea.objects.filter(level=AdminLevel.ADMIN1).values_list("pcode", flat=True)
    )


MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


def figures_schema() -> list[list[str]]:
    return _schema(
        [
            ["#adm1+code", "true", "", "", "", _admin1_pcodes(), ""],
            ["#adm1+name", "true", "", "", "", "", ""],
            ["#date+month", "true", "", "date", "", "", MONTH],
            ["#indicator+code", "true", "", "", "", "", ""],
            ["#indicator+value", "", "", "number", "0", "", ""],
            ["#indicator+numerator", "", "", "number", "0", "", ""],
            ["#indicator+denominator", "", "", "number", "0", "", ""],
            ["#meta+withheld", "", "", "", "", "small|withheld", ""],
            # No organisation in the public figures, in any column.
            ["#org", "", "0", "", "", "", ""],
        ]
    )


def presence_schema() -> list[list[str]]:
    return _schema(
        [
            ["#date+month", "true", "", "date", "", "", MONTH],
            ["#adm1+code", "true", "", "", "", _admin1_pcodes(), ""],
            ["#adm1+name", "true", "", "", "", "", ""],
            ["#org+id", "true", "", "", "", "", r"^[0-9a-f-]{36}$"],
            ["#org+name", "true", "", "", "", "", ""],
            ["#org+type", "true", "", "", "", "", ""],
            ["#activity+code", "true", "", "", "", "", ""],
            # No figure of any organisation: no number, no value, no people.
            ["#indicator", "", "0", "", "", "", ""],
            ["#reached", "", "0", "", "", "", ""],
            ["#affected", "", "0", "", "", "", ""],
        ]
    )


def _errors(data: list[list[str]], schema: list[list[str]]) -> list[str]:
    found = []
    valid = hxl.schema(schema, callback=found.append).validate(hxl.data(data))
    messages = [f"{error.message}: {error.value!r}" for error in found]
    assert valid == (not messages)
    return messages


def _download(api, url: str) -> list[list[str]]:
    parts = urlsplit(url)
    response = api.get(f"{parts.path}?{parts.query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _package(api) -> dict:
    response = api.get("/api/v1/hdx/", MONTHS)
    assert response.status_code == 200
    return response.json()


def test_the_index_describes_the_dataset_and_its_resources(api):
    small_cells.build()
    package = _package(api)
    assert package["dataset_date"] == {"start": "2026-01", "end": "2026-02"}
    assert package["organisation"] == "Health Cluster"
    assert package["license"]["id"] == "cc-by-igo"
    assert "fewer than 3 organisations" in package["caveats"]
    assert package["methodology"].startswith("Partners report their activities each month")
    assert [(resource["name"], resource["format"]) for resource in package["resources"]] == [
        ("operational-presence.csv", "CSV"),
        ("figures-by-admin1.csv", "CSV"),
    ]
    urls = [resource["url"] for resource in package["resources"]]
    assert urls == [
        "http://testserver/api/v1/hdx/presence/?first_month=2026-01&last_month=2026-02&format=csv",
        "http://testserver/api/v1/figures/?first_month=2026-01&last_month=2026-02&format=csv",
    ]


def test_both_resources_validate_against_their_hxl_schema(api):
    small_cells.build()
    presence_url, figures_url = (resource["url"] for resource in _package(api)["resources"])
    presence, figures = _download(api, presence_url), _download(api, figures_url)
    assert _errors(presence, presence_schema()) == []
    assert _errors(figures, figures_schema()) == []
    # South, January: Delta Red Crescent alone, a small figure: no value, and why.
    tags = figures[1]
    lines = [dict(zip(tags, line, strict=True)) for line in figures[2:]]
    south = next(
        line
        for line in lines
        if (line["#adm1+code"], line["#date+month"], line["#indicator+code"])
        == ("ZZ2", "2026-01", "1.2")
    )
    assert (south["#indicator+value+num"], south["#meta+withheld"]) == ("", "small")


def test_the_schemas_catch_what_they_are_for(api):
    """The same checks fail on a file that breaks them: an admin2 p-code, a month that is
    no date, a negative figure, an organisation's name in the figures."""
    small_cells.build()
    figures_url = _package(api)["resources"][1]["url"]
    good = _download(api, figures_url)
    header, tags, first = good[0], good[1], list(good[2])
    first[0] = "ZZ101"
    first[2] = "2026-13"
    first[7] = "-5"
    broken = [[*header, "Organisation"], [*tags, "#org+name"], [*first, "Alpha Aid"]]
    assert sorted(_errors(broken, figures_schema())) == [
        "Expected a date: '2026-13'",
        "Expected at most 0 matching non-empty value(s): None",
        "Should match regular expression /^\\d{4}-(0[1-9]|1[0-2])$/: '2026-13'",
        "Value must not be less than 0: '-5'",
        "Value not allowed: 'ZZ101'",
    ]


def test_the_presence_lists_directory_organisations_by_month_area_and_activity(api):
    small_cells.build()
    rows = _download(api, _package(api)["resources"][0]["url"])
    tags = rows[1]
    lines = [dict(zip(tags, line, strict=True)) for line in rows[2:]]
    found = [
        (line["#date+month"], line["#adm1+code"], line["#org+acronym"], line["#activity+code"])
        for line in lines
    ]
    # The validated rows of small_cells.py, one line per month, admin1 area, organisation
    # and activity (rows 1 to 12; row 13 is Local Volunteers', not in the directory, and
    # Delta's March draft is not validated). Ordered by month, p-code, name.
    assert found == [
        ("2026-01", "ZZ1", "AA", "CONS"),
        ("2026-01", "ZZ1", "BC", "CONS"),
        ("2026-01", "ZZ1", "GH", "VAC"),
        ("2026-01", "ZZ2", "DRC", "VAC"),
        ("2026-02", "ZZ1", "AA", "CONS"),
        ("2026-02", "ZZ1", "BC", "VAC"),
        ("2026-02", "ZZ1", "DRC", "VAC"),
        ("2026-02", "ZZ1", "GH", "CONS"),
        ("2026-02", "ZZ2", "AA", "CONS"),
        ("2026-02", "ZZ2", "DRC", "VAC"),
        ("2026-02", "ZZ3", "AA", "VAC"),
        ("2026-02", "ZZ3", "BC", "VAC"),
    ]
    # The organisation's public identifier, never its database id.
    cells = {line["#org+acronym"]: line["#org+id"] for line in lines}
    assert cells["AA"] == str(Organisation.objects.get(acronym="AA").public_id)
    assert "Local Volunteers" not in str(rows)


def test_the_presence_as_json_is_the_same_lines(api):
    small_cells.build()
    rows = api.get("/api/v1/hdx/presence/", MONTHS).json()
    assert len(rows) == 12
    assert rows[0] == {
        "month": "2026-01",
        "admin1": "ZZ1",
        "organisation": rows[0]["organisation"],
        "organisation_name": "Alpha Aid",
        "organisation_acronym": "AA",
        "organisation_type": "ingo",
        "activity": "CONS",
        "activity_name": "Consultations",
    }


def test_the_presence_policy_refuses_a_figure():
    """``partners.disclosure.public_presence`` gives presence only: asked for a total or an
    area below admin1, it refuses, whatever the caller."""
    small_cells.build()
    rows = Reach.objects.all()
    assert public_presence(rows, "month", "admin1__pcode").count() == 5  # the five cells
    for field in ("total", "area__pcode", "admin2"):
        with pytest.raises(ValueError, match=field):
            public_presence(rows, "month", field)
