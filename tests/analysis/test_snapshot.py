"""The public snapshot a bulletin stores: public scope only, and plain JSON."""

import json

import pytest

from analysis.snapshot import public_figures
from tests.analysis.dataset import APR, JAN

# Two organisations: every figure would be withheld from the public (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("every_figure_public")]


def test_the_snapshot_holds_the_public_figures(data):
    figures = json.loads(json.dumps(public_figures(first_month=JAN, last_month=APR)))
    assert figures["key_figures"] == {
        "partners_reporting": 2,
        "people_reached": 340,  # people reached once (tests/analysis/test_selectors.py)
        "people_targeted": 1000,
        "headline_code": None,
        "assessments": 2,  # the restricted one is left out
        "areas_covered": 2,
    }
    assert [(i["code"], i["kind"], i["value"], i["target"]) for i in figures["indicators"]] == [
        ("1.1", "count", 370, 740),
        ("1.2", "people_once", 150, 300),
        ("1.3", "count", 7, 0),
    ]
    assert [m["people"] for m in figures["by_month"]] == [150, 420, 0, 0]
    assert [(a["pcode"], a["people"], a["partners"]) for a in figures["by_admin1"]] == [
        ("ZZ1", 520, 2),
        ("ZZ2", 50, 1),
    ]
    assert figures["by_sex_age"]["girls"] == 87
    assert [(g["pcode"], g["severity"]) for g in figures["gaps"]] == [("ZZ3", 4)]
    assert [p["name_en"] for p in figures["partners"]] == ["Alpha Health", "Beta Relief"]


def test_no_admin2_area_or_organisation_figure_reaches_the_snapshot(data):
    text = json.dumps(public_figures(first_month=JAN, last_month=APR))
    for admin2 in ("ZZ101", "ZZ102", "ZZ201", "ZZ301"):
        assert admin2 not in text
    assert "8000" not in text  # the restricted assessment's people in need
