"""Demoland's partners' projects: a dozen, with their funding over the year, budget splits and
planned activities.

Nine projects are accepted into the plan, GCA's outbreak response waits for review, and the
demo accounts' organisation (DHA) has a draft and a project returned with a comment beside
its accepted one. Each runs within the demo's year, the twelve months ending with this one
(a few began before), and splits its budget by the
current strategy's objectives and by governorate or district, except MoH's supplies project,
which is not broken down; the accepted ones have funding updates every few months up to
today, from their donors' agreements or FTS. Each plans activities of the catalogue with
targets in its areas. Every project is checked with the projects' own rules
(``projects.services.project_problems``) before it is written. Projects are found by their
organisation and English title: one that exists is left as it is, so running the seed again
changes nothing, and the dates of the first run are kept.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from activities.models import SEX_AND_AGE, Activity, Collects, ReportRow, ValidatedVersion
from activities.services.reports import snapshot
from locations.models import AdminArea
from partners.models import Organisation
from projects import services
from projects.models import (
    FundingUpdate,
    PlannedActivity,
    Project,
    ProjectShare,
    ProjectStatus,
    ReviewState,
)
from projects.selectors import covers, projects_for_rows
from strategy.models import StrategicObjective

A, S, D, R = ReviewState.ACCEPTED, ReviewState.SUBMITTED, ReviewState.DRAFT, ReviewState.RETURNED
# How a target of people splits between girls, boys, women and men.
SPLIT = {"girls": 0.24, "boys": 0.23, "women": 0.29, "men": 0.24}


@dataclass(frozen=True)
class DemoProject:
    organisation: str  # acronym
    title_en: str
    title_ar: str
    budget: int
    state: str
    status: str = ProjectStatus.ONGOING
    partners: tuple[str, ...] = ()
    donors: str = ""
    code: str = ""  # the plan code's number; none for a project not in the plan yet
    # The first and the last month, counted from the demo's month 0, eleven months ago.
    months: tuple[int, int] = (0, 11)
    objectives: dict[str, int] = field(default_factory=dict)
    areas: dict[str, int] = field(default_factory=dict)
    # Funding received so far as a share of the budget, by month (the 15th).
    funding: tuple[tuple[int, float], ...] = ()
    # (activity, area, first month, last month, target).
    planned: tuple[tuple[str, str, int, int, int], ...] = ()
    comment: str = ""


PROJECTS = [
    DemoProject(
        "UNHF",
        "Essential primary health care in Northern Hills and River Valley",
        "الرعاية الصحية الأولية الأساسية في التلال الشمالية ووادي النهر",
        4_200_000,
        A,
        partners=("DHA", "NVMS"),
        donors="Fund for Humanitarian Health; Northern Countries Aid Agency",
        code="001",
        objectives={"SO1": 70, "SO2": 30},
        areas={"DL01": 55, "DL02": 45},
        funding=((1, 0.25), (4, 0.42), (7, 0.58), (10, 0.63)),
        planned=(
            ("OPD-CONS", "DL01", 0, 11, 96_000),
            ("OPD-CONS", "DL02", 0, 11, 78_000),
            ("NCD-MEDS", "DL0101", 2, 11, 6_500),
        ),
    ),
    DemoProject(
        "UNAMC",
        "Maternal and newborn health in Eastern Plains and the Coastal Region",
        "صحة الأمهات وحديثي الولادة في السهول الشرقية والمنطقة الساحلية",
        2_600_000,
        A,
        partners=("ACH",),
        donors="CERF",
        code="002",
        objectives={"SO3": 100},
        areas={"DL03": 60, "DL04": 40},
        funding=((2, 0.40), (6, 0.71)),
        planned=(
            ("ANC-VISIT", "DL03", 0, 11, 14_000),
            ("ANC-VISIT", "DL04", 0, 11, 9_000),
            ("SKILLED-BIRTH", "DL03", 3, 11, 3_200),
        ),
    ),
    DemoProject(
        "HWBI",
        "Mobile clinics for displaced families",
        "عيادات متنقلة للأسر النازحة",
        1_150_000,
        A,
        donors="ECHO",
        code="003",
        months=(-3, 14),
        objectives={"SO1": 100},
        areas={"DL02": 100},
        funding=((0, 0.5), (5, 0.8)),
        planned=(
            ("MOB-CLINIC", "DL02", 0, 8, 4),
            ("OPD-CONS", "DL02", 0, 8, 42_000),
        ),
    ),
    DemoProject(
        "MMR",
        "Trauma care and referral",
        "رعاية الإصابات والإحالة",
        1_900_000,
        A,
        partners=("DRCS",),
        donors="Northern Countries Aid Agency",
        code="004",
        objectives={"SO1": 40, "SO2": 60},
        areas={"DL09": 100},
        funding=((3, 0.3), (8, 0.45)),
        planned=(("TRAUMA-CARE", "DL09", 0, 11, 2_400),),
    ),
    DemoProject(
        "CWHP",
        "Mental health and psychosocial support",
        "الصحة النفسية والدعم النفسي الاجتماعي",
        640_000,
        A,
        donors="Fund for Humanitarian Health",
        code="005",
        months=(2, 11),
        objectives={"SO4": 100},
        areas={"DL01": 50, "DL13": 50},
        funding=((3, 0.35),),
        planned=(
            ("MHPSS-SESSION", "DL01", 2, 11, 1_800),
            ("MHPSS-SESSION", "DL13", 2, 11, 1_500),
        ),
    ),
    DemoProject(
        "DHA",
        "Community health workers in Northern Hills",
        "العاملون الصحيون المجتمعيون في التلال الشمالية",
        480_000,
        A,
        donors="Fund for Humanitarian Health",
        code="006",
        objectives={"SO1": 60, "SO3": 40},
        areas={"DL0101": 50, "DL0102": 50},
        funding=((1, 0.2), (5, 0.55), (9, 0.7)),
        planned=(
            ("NUT-SCREEN", "DL0101", 0, 11, 5_200),
            ("NUT-SCREEN", "DL0102", 0, 11, 4_800),
        ),
    ),
    DemoProject(
        "MoH",
        "Essential medicines and supplies",
        "الأدوية والإمدادات الأساسية",
        3_500_000,
        A,
        donors="Government of Demoland; World Bank",
        code="007",
        # Not broken down: the supplies go wherever they are short.
        funding=((0, 0.6), (6, 0.74)),
        planned=(("HYGIENE-KIT", "DL02", 0, 5, 12_000),),
    ),
    DemoProject(
        "NVMS",
        "Measles vaccination catch-up",
        "حملة التطعيم الاستدراكية ضد الحصبة",
        720_000,
        A,
        status=ProjectStatus.COMPLETED,
        partners=("DPHI",),
        donors="Gavi",
        code="008",
        months=(-6, 5),
        objectives={"SO2": 100},
        areas={"DL03": 50, "DL04": 50},
        funding=((-4, 0.5), (2, 1.0)),
        planned=(
            ("MEASLES-VAC", "DL03", 0, 5, 21_000),
            ("MEASLES-VAC", "DL04", 0, 5, 18_000),
        ),
    ),
    DemoProject(
        "ACH",
        "Non-communicable disease care for older people",
        "رعاية الأمراض غير السارية لكبار السن",
        380_000,
        A,
        status=ProjectStatus.PLANNED,
        donors="Private donors",
        code="009",
        # Starts next month.
        months=(12, 23),
        objectives={"SO1": 100},
        areas={"DL03": 100},
        planned=(("NCD-MEDS", "DL03", 12, 23, 3_000),),
    ),
    DemoProject(
        "GCA",
        "Cholera preparedness and response",
        "التأهب والاستجابة للكوليرا",
        1_350_000,
        S,
        status=ProjectStatus.PLANNED,
        partners=("DRCS", "RMA"),
        donors="ECHO; CERF",
        months=(11, 22),
        objectives={"SO2": 100},
        areas={"DL02": 70, "DL04": 30},
        planned=(
            ("CHOLERA-TRT", "DL02", 11, 20, 2_500),
            ("HYGIENE-KIT", "DL04", 11, 16, 6_000),
        ),
    ),
    DemoProject(
        "DHA",
        "Health facility rehabilitation in Stonebrook",
        "إعادة تأهيل المرافق الصحية في جدول الحجر",
        900_000,
        D,
        status=ProjectStatus.PLANNED,
        donors="",
        months=(13, 24),
        objectives={"SO1": 100},
        planned=(("FAC-FUNCTIONAL", "DL0102", 14, 24, 3),),
    ),
    DemoProject(
        "DHA",
        "Epidemic surveillance in the districts",
        "الترصد الوبائي في المناطق",
        260_000,
        R,
        partners=("DPHI",),
        donors="Fund for Humanitarian Health",
        months=(1, 11),
        objectives={"SO2": 100},
        areas={"DL01": 100},
        planned=(("ALERT-RECV", "DL01", 1, 11, 400),),
        comment="Split the budget by district rather than governorate, and give the donors' "
        "agreement for the second half of the year.",
    ),
]


def _anchor(today: datetime.date) -> datetime.date:
    """The demo's month 0: eleven months before this one, so that its year ends now."""
    years, month = divmod(today.year * 12 + today.month - 1 - 11, 12)
    return datetime.date(years, month + 1, 1)


def _month(anchor: datetime.date, offset: int) -> datetime.date:
    """The first day of the month ``offset`` months after ``anchor``'s."""
    years, month = divmod(anchor.year * 12 + anchor.month - 1 + offset, 12)
    return datetime.date(years, month + 1, 1)


def _last_day(day: datetime.date) -> datetime.date:
    following = datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def _groups(activity: Activity, target: int) -> dict:
    """Girls, boys, women and men for an activity counting them by sex and age alone."""
    if activity.collects != Collects.GROUPS:
        return {}
    weights = {name: SPLIT[name] for name in activity.groups}
    total = sum(weights.values())
    counts = {name: int(target * weight / total) for name, weight in weights.items()}
    # The rounding's remainder goes to the last group, so that they add up to the target.
    counts[activity.groups[-1]] += target - sum(counts.values())
    return counts


class _Lookups:
    def __init__(self, today: datetime.date):
        self.anchor = _anchor(today)
        self.organisations = {org.acronym: org for org in Organisation.objects.approved()}
        self.objectives = {
            objective.code: objective
            for objective in StrategicObjective.objects.filter(cycle__is_current=True)
        }
        self.areas = {area.pcode: area for area in AdminArea.objects.filter(pcode__startswith="DL")}
        self.activities = {activity.code: activity for activity in Activity.objects.all()}
        users = get_user_model().objects
        self.coordinator = users.filter(email="coordinator@demo.local").first()
        self.focal = users.filter(email="focal@demo.local").first()


def _planned(demo: DemoProject, lookups: _Lookups) -> list[services.Planned]:
    rows = []
    for code, pcode, first, last, target in demo.planned:
        activity = lookups.activities[code]
        rows.append(
            services.Planned(
                activity=activity,
                area=lookups.areas[pcode],
                first_month=_month(lookups.anchor, first),
                last_month=_month(lookups.anchor, last),
                target=target,
                **_groups(activity, target),
            )
        )
    return rows


def _add(demo: DemoProject, lookups: _Lookups, today: datetime.date) -> Project:
    organisation = lookups.organisations[demo.organisation]
    start, end = (
        _month(lookups.anchor, demo.months[0]),
        _last_day(_month(lookups.anchor, demo.months[1])),
    )
    values = {
        "title_en": demo.title_en,
        "title_ar": demo.title_ar,
        "plan_code": f"HDL{lookups.anchor.year % 100:02d}-HEA-{demo.code}" if demo.code else "",
        "donors": demo.donors,
        "start": start,
        "end": end,
        "status": demo.status,
        "budget_required_usd": Decimal(demo.budget),
    }
    objective_shares = [
        (lookups.objectives[code], Decimal(share)) for code, share in demo.objectives.items()
    ]
    area_shares = [(lookups.areas[code], Decimal(share)) for code, share in demo.areas.items()]
    planned = _planned(demo, lookups)
    cleaned, errors = services.project_problems(
        values,
        objective_shares=objective_shares,
        area_shares=area_shares,
        planned=planned,
        complete=demo.state != D,
    )
    if errors:
        raise ValueError(f"The demo project {demo.title_en} is wrong: {errors}")
    reviewed = demo.state in (A, R)
    now = timezone.now()
    project = Project.objects.create(
        organisation=organisation,
        state=demo.state,
        created_by=lookups.focal if demo.organisation == "DHA" else None,
        submitted_at=now if demo.state != D else None,
        reviewed_by=lookups.coordinator if reviewed else None,
        reviewed_at=now if reviewed else None,
        review_comment=demo.comment,
        **cleaned,
    )
    project.implementing_partners.set([lookups.organisations[code] for code in demo.partners])
    project.objectives.set([objective for objective, _share in objective_shares])
    ProjectShare.objects.bulk_create(
        [ProjectShare(project=project, objective=o, share_percent=s) for o, s in objective_shares]
        + [ProjectShare(project=project, area=a, share_percent=s) for a, s in area_shares]
    )
    PlannedActivity.objects.bulk_create(
        [
            PlannedActivity(
                project=project,
                activity=row.activity,
                area=row.area,
                first_month=row.first_month,
                last_month=row.last_month,
                target=row.target,
                **{name: getattr(row, name) for name in SEX_AND_AGE},
            )
            for row in planned
        ]
    )
    FundingUpdate.objects.bulk_create(
        [
            FundingUpdate(
                project=project,
                date=_month(lookups.anchor, month).replace(day=15),
                amount_received_usd=(Decimal(demo.budget) * Decimal(str(share))).quantize(
                    Decimal(1)
                ),
                source="FTS" if index % 2 else f"{demo.donors.split(';')[0]} agreement",
                recorded_by=lookups.coordinator,
            )
            for index, (month, share) in enumerate(demo.funding)
            # Only what has happened: never a figure dated after today.
            if _month(lookups.anchor, month).replace(day=15) <= today
        ]
    )
    return project


@transaction.atomic
def seed() -> str:
    """Add the demo projects that are missing; return a one-line summary."""
    today = timezone.localdate()
    lookups = _Lookups(today)
    added = 0
    for demo in PROJECTS:
        organisation = lookups.organisations[demo.organisation]
        if Project.objects.filter(organisation=organisation, title_en=demo.title_en).exists():
            continue
        _add(demo, lookups, today)
        added += 1
    return (
        f"Projects: {Project.objects.count()} ({added} added), "
        f"{PlannedActivity.objects.count()} planned activities, "
        f"{FundingUpdate.objects.count()} funding updates."
    )


def _project_for(row: ReportRow, candidates: list[Project]) -> Project | None:
    """The first of the organisation's projects of the month that covers the row's area."""
    return next((project for project in candidates if covers(project, row.area)), None)


def _without_projects(rows: list[dict]) -> list[dict]:
    return [
        {name: value for name, value in row.items() if name not in PROJECT_KEYS} for row in rows
    ]


PROJECT_KEYS = ("project_code", "project_title")


@transaction.atomic
def link_rows() -> str:
    """Name, on the demo's 4W rows, the project of their organisation covering their area and
    month (``projects.selectors.projects_for_rows`` and ``covers``), so that a project's page
    counts what was reported under it and the 4W exports name it.

    Runs after both the reports and the projects are seeded. Only rows naming no project are
    given one, so running it again changes nothing. A validated version whose frozen rows are
    the report's rows as they stand (the demo's own, validated once) is frozen again with the
    projects, so the versions and the rows agree; a version that differs in anything else (a
    report corrected since) is left as it was validated.
    """
    accepted = Project.objects.filter(state=ReviewState.ACCEPTED).values("organisation_id")
    rows = list(
        ReportRow.objects.filter(project__isnull=True, report__organisation__in=accepted)
        .select_related("report__organisation", "report__period", "area")
        .order_by("report_id", "order", "pk")
    )
    candidates: dict[tuple[int, datetime.date], list[Project]] = {}
    changed, reports = [], set()
    for row in rows:
        report = row.report
        key = (report.organisation_id, report.period.first_day)
        if key not in candidates:
            candidates[key] = projects_for_rows(report.organisation, key[1])
        project = _project_for(row, candidates[key])
        if project is not None:
            row.project = project
            changed.append(row)
            reports.add(report.pk)
    bulk_update_with_history(changed, ReportRow, ["project"], batch_size=500)
    refrozen = []
    for version in ValidatedVersion.objects.filter(report_id__in=reports).select_related("report"):
        rows_now = snapshot(version.report)
        if _without_projects(version.rows) == _without_projects(rows_now):
            version.rows = rows_now
            refrozen.append(version)
    ValidatedVersion.objects.bulk_update(refrozen, ["rows"], batch_size=200)
    named = ReportRow.objects.filter(project__isnull=False).count()
    return (
        f"4W rows naming a project: {named} ({len(changed)} linked now, "
        f"{len(refrozen)} validated versions frozen again)."
    )
