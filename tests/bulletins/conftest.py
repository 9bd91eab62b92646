"""Fixtures of the bulletin tests: validated 4W figures made with the activities factories,
and a figures dict of the shape ``analysis.snapshot.public_figures`` returns."""

import datetime
from dataclasses import dataclass

import pytest

from activities.models import ReportStatus
from activities.signals import report_figures_changed
from strategy.models import ClusterProfile
from tests.activities.factories import (
    ActivityFactory,
    PeriodFactory,
    ReportFactory,
    ReportRowFactory,
)
from tests.factories import AdminAreaFactory, CountryFactory, OrganisationFactory

JAN, FEB, MAR = (datetime.date(2026, month, 1) for month in (1, 2, 3))


@dataclass
class Validated:
    north: object
    south: object
    org_a: object
    org_b: object
    reports: list


def _validated(report):
    report.status = ReportStatus.VALIDATED
    report.save(update_fields=["status"])
    # What validation sends: the analysis tables follow the report.
    report_figures_changed.send(sender=type(report), report_id=report.pk)
    return report


def make_validated_rows() -> Validated:
    """Two organisations' validated reports in January and February 2026, one draft in
    February (not counted) and one validated report in March (outside January to February)."""
    CountryFactory()
    north = AdminAreaFactory(pcode="ZZ1", name_en="North", name_ar="الشمال")
    south = AdminAreaFactory(pcode="ZZ2", name_en="South", name_ar="الجنوب")
    org_a = OrganisationFactory(name_en="Alpha Medical", name_ar="ألفا الطبية", acronym="AM")
    org_b = OrganisationFactory(name_en="Beta Care", name_ar="", acronym="BC")
    activity = ActivityFactory(code="C01")
    jan = PeriodFactory(year=2026, month=1)
    feb = PeriodFactory(year=2026, month=2)
    mar = PeriodFactory(year=2026, month=3)
    reports = []
    report = ReportFactory(organisation=org_a, period=jan)
    ReportRowFactory(
        report=report, activity=activity, area=north, girls=11, boys=12, women=13, men=0
    )
    ReportRowFactory(report=report, activity=activity, area=south, girls=5, boys=5, women=5, men=0)
    reports.append(_validated(report))
    report = ReportFactory(organisation=org_b, period=feb)
    ReportRowFactory(
        report=report, activity=activity, area=north, girls=100, boys=200, women=0, men=7
    )
    reports.append(_validated(report))
    draft = ReportFactory(organisation=org_a, period=feb)
    ReportRowFactory(report=draft, activity=activity, area=south, girls=9999)
    late = ReportFactory(organisation=org_a, period=mar)
    ReportRowFactory(report=late, activity=activity, area=south, girls=5555)
    reports.append(_validated(late))
    return Validated(north=north, south=south, org_a=org_a, org_b=org_b, reports=reports)


@pytest.fixture
def validated_rows(db) -> Validated:
    return make_validated_rows()


@pytest.fixture
def profile(db) -> ClusterProfile:
    lead = OrganisationFactory(name_en="World Health Organization", name_ar="منظمة الصحة العالمية")
    moh = OrganisationFactory(name_en="Ministry of Health", name_ar="وزارة الصحة")
    profile = ClusterProfile(
        pk=1,
        cluster_name_en="Zedland Health Cluster",
        cluster_name_ar="مجموعة الصحة في زدلاند",
        lead_agency=lead,
        co_chair=moh,
        lead_coordinator_name="Nadia Haddad",
        lead_coordinator_email="coordinator@example.org",
        lead_coordinator_phone="+000 100 200",
        co_chair_coordinator_name="Omar Said",
        co_chair_coordinator_email="moh@example.org",
        im_officer_name="Lina Aziz",
        im_officer_email="im@example.org",
    )
    profile.save()
    return profile


def sample_figures(*, areas: int = 3, first_month=JAN, last_month=FEB) -> dict:
    """A figures dict of the contract's shape, with ``areas`` admin1 areas."""
    return {
        "version": 1,
        "first_month": first_month.isoformat(),
        "last_month": last_month.isoformat(),
        "key_figures": {
            "partners_reporting": 7,
            "people_reached": 123456,
            "people_targeted": 500000,
            "assessments": 3,
            "areas_covered": areas,
        },
        "indicators": [
            {
                "code": "1.1",
                "name_en": "Outpatient consultations",
                "name_ar": "الاستشارات الخارجية",
                "unit_en": "consultations",
                "unit_ar": "",
                "reached": 9000,
                "target": 10000,
                "percent": 90,
            }
        ],
        "by_month": [
            {"month": first_month.isoformat(), "people": 60000},
            {"month": last_month.isoformat(), "people": 63456},
        ],
        "by_admin1": [
            {
                "pcode": f"ZZ{n:03d}",
                "name_en": f"Governorate {n}",
                "name_ar": f"المحافظة {n}" if n % 2 else "",
                "people": 1000 * (areas - n),
                "partners": n % 4 + 1,
            }
            for n in range(areas)
        ],
        "by_sex_age": {
            "girls": 30000,
            "boys": 30000,
            "women": 40000,
            "men": 23456,
            "older_people": 5000,
            "people_with_disabilities": 1200,
        },
        "gaps": [
            {
                "pcode": "ZZ001",
                "name_en": "Governorate 1",
                "name_ar": "المحافظة 1",
                "domain_en": "Nutrition",
                "domain_ar": "التغذية",
                "severity": 5,
                "people_in_need": 20000,
            }
        ],
        "partners": [
            {"name_en": "Alpha Medical", "name_ar": "ألفا الطبية", "acronym": "AM"},
            {"name_en": "Beta Care", "name_ar": "", "acronym": "BC"},
        ],
    }


@pytest.fixture
def figures() -> dict:
    return sample_figures()
