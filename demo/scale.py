"""A large, realistic demonstration dataset, for measuring the portal at scale.

``build(rows=N)`` fills an empty, migrated database with a fictional country of 20
governorates (admin1) and 300 districts (admin2), 150 approved organisations of every type,
a current strategy cycle with five objectives and twelve indicators (three of them counted
as the largest monthly figure per area), forty activities, sixty monthly reporting periods
ending with the current month, the monthly reports of the organisations with exactly N rows
between them, about 200 published needs assessments with some 5,000 findings, and one
accepted project per 2,000 rows (at least ten) with its funding, split and planned activities,
and the people in need and targeted of every district for the current cycle.

What makes it look like real 4W data:

- organisations differ in size (a UN agency reports hundreds of lines a month, a national
  NGO a few dozen), some join the cluster late and some leave;
- each organisation keeps a portfolio of lines (activity, area, implementer, donor) mostly
  in its home governorates, and reports a varying part of it every month, more in the
  winter and summer peaks and more as the response grows, so a month looks like the last;
- UN agencies and international NGOs often report work their national partners implement,
  which with shared popular activities makes overlaps (the same activity, area and month
  by two implementers): they exist but are a minority;
- most reports are validated; recent months have submitted, returned and draft reports,
  older ones a few corrections requested, and the current month is in progress;
- figures by sex and age fill the groups each activity counts and add up to the total; older
  people and people with disabilities are counted among them;
- assessments find severities 1 to 5 (mostly 2 and 3) that depend on the area, at admin1
  (a whole governorate) or admin2, some of them restricted to members.

Every choice comes from ``random.Random(2026)`` in a fixed order, so two runs in the same
month produce the same data. Rows go in through PostgreSQL's ``COPY`` (batched
``bulk_create`` on SQLite), the smaller tables through ``bulk_create``; no historical
records and no validated-version snapshots are written (the dataset is for measuring reads).
The analysis table is then rebuilt and the tables analysed.
"""

import datetime
import itertools
import math
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from activities.bulk import write_report_rows
from activities.models import (
    Activity,
    Collects,
    Report,
    ReportingPeriod,
    ReportStatus,
    RowStatus,
)
from activities.services.periods import cluster_timezone, default_window
from analysis.services import rebuild_all
from assessments.models import Assessment, AssessmentStatus, AssessmentType, Finding
from demo import scale_data as data
from demo.boundaries import Place, geojson, invent
from locations.models import AdminArea, AdminLevel, AreaPopulation
from locations.services import admin_areas_load
from partners.models import Organisation, OrganisationStatus, OrganisationType, name_key
from planning.models import Caseload
from projects.models import (
    FundingUpdate,
    PlannedActivity,
    Project,
    ProjectShare,
    ProjectStatus,
    ReviewState,
)
from strategy.models import (
    HealthDomain,
    Indicator,
    IndicatorDirection,
    StrategicObjective,
    StrategyCycle,
)

SEED = 2026
MONTHS = 60
DISTRICTS = 300
PUBLISHED_ASSESSMENTS = 200
UNPUBLISHED_ASSESSMENTS = 12
BATCH = 5000
ROWS_PER_PROJECT = 2000


# The tables that must be empty: the large dataset is never mixed with other data.
GUARDED = {
    "admin areas": AdminArea,
    "organisations": Organisation,
    "strategy cycles": StrategyCycle,
    "activities": Activity,
    "reporting periods": ReportingPeriod,
    "activity reports": Report,
    "needs assessments": Assessment,
}


def existing_data() -> dict[str, int]:
    """The guarded tables that already hold rows, with their counts."""
    counts = {label: model.objects.count() for label, model in GUARDED.items()}
    return {label: count for label, count in counts.items() if count}


class Timer:
    """Times the steps of the build, one after the other, and reports each as it ends."""

    def __init__(self, log: Callable[[str], None]) -> None:
        self.log = log
        self.steps: list[tuple[str, float]] = []
        self._last = time.perf_counter()

    def lap(self, label: str) -> None:
        now = time.perf_counter()
        self.steps.append((label, now - self._last))
        self._last = now
        self.log(f"  {label}: {self.steps[-1][1]:.1f} s")

    @property
    def total(self) -> float:
        return sum(seconds for _label, seconds in self.steps)


def _apportion(total: int, weights: list[float]) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainders), adding up exactly."""
    whole = sum(weights)
    shares = [total * weight / whole for weight in weights]
    counts = [math.floor(share) for share in shares]
    left = total - sum(counts)
    by_remainder = sorted(range(len(shares)), key=lambda i: counts[i] - shares[i])
    for index in by_remainder[:left]:
        counts[index] += 1
    return counts


def _weighted_sample(rng: random.Random, items: list, weights: list[float], k: int) -> list:
    """``k`` distinct items, each drawn with a chance proportional to its weight."""
    keys = sorted(
        ((rng.random() ** (1 / weight), index) for index, weight in enumerate(weights)),
        reverse=True,
    )
    return [items[index] for _key, index in keys[:k]]


# --- areas ------------------------------------------------------------------------------------


@dataclass
class Geography:
    country: AdminArea
    governorates: list[AdminArea]
    districts: list[AdminArea]
    districts_of: list[list[AdminArea]]  # by governorate index
    governorate_of: dict[int, int]  # district pk -> governorate index
    population: dict[int, int]  # area pk -> people
    need: dict[int, float]  # area pk -> 0 (none) to 1 (extreme)


def _areas(rng: random.Random) -> Geography:
    code, name_en, name_ar = data.COUNTRY
    country = AdminArea(pcode=code, level=AdminLevel.ADMIN0, name_en=name_en, name_ar=name_ar)
    country.save()
    governorates = [
        AdminArea(
            pcode=f"{code}{number:02d}",
            level=AdminLevel.ADMIN1,
            parent=country,
            name_en=en,
            name_ar=ar,
            path=f"{country.path}{code}{number:02d}/",
        )
        for number, (en, ar) in enumerate(data.GOVERNORATES, start=1)
    ]
    AdminArea.objects.bulk_create(governorates)
    sizes = _apportion(DISTRICTS, [rng.uniform(0.5, 1.6) for _ in governorates])
    names = rng.sample(list(itertools.product(data.PLACE_WORDS, data.NAMES)), DISTRICTS)
    districts, districts_of, governorate_of = [], [], {}
    for governorate, size in zip(governorates, sizes, strict=True):
        own = []
        for number in range(1, size + 1):
            (word_en, word_ar), (place_en, place_ar) = names[len(districts) + len(own)]
            pcode = f"{governorate.pcode}{number:02d}"
            own.append(
                AdminArea(
                    pcode=pcode,
                    level=AdminLevel.ADMIN2,
                    parent=governorate,
                    name_en=f"{word_en} {place_en}",
                    name_ar=f"{word_ar} {place_ar}",
                    path=f"{governorate.path}{pcode}/",
                )
            )
        districts.extend(own)
        districts_of.append(own)
    AdminArea.objects.bulk_create(districts, batch_size=1000)
    population, need = {}, {}
    for index, (governorate, own) in enumerate(zip(governorates, districts_of, strict=True)):
        # Some governorates are hit much harder than others; districts vary around them.
        hardship = rng.betavariate(2, 3)
        for district in own:
            governorate_of[district.pk] = index
            population[district.pk] = round(rng.lognormvariate(math.log(60_000), 0.6))
            need[district.pk] = min(1.0, max(0.0, hardship + rng.gauss(0, 0.15)))
        population[governorate.pk] = sum(population[d.pk] for d in own)
        need[governorate.pk] = sum(need[d.pk] for d in own) / len(own)
    return Geography(
        country, governorates, districts, districts_of, governorate_of, population, need
    )


def _boundaries_and_population(geo: Geography, today: datetime.date) -> None:
    """Invented boundaries for the areas (``demo.boundaries``, loaded through the portal's
    loader as a GeoJSON file) and last year's population of each."""
    places = [Place(geo.country.pcode, 0, None, _properties(geo.country))]
    for area in [*geo.governorates, *geo.districts]:
        parent = area.parent.pcode
        places.append(Place(area.pcode, area.level, parent, _properties(area)))
    shapes = invent(places, centre=(44.0, 15.5), radius=3.0, seed=SEED)
    admin_areas_load(data=geojson(places, shapes))
    AreaPopulation.objects.bulk_create(
        [
            AreaPopulation(area_id=pk, year=today.year - 1, total=total, source="Invented COD-PS")
            for pk, total in geo.population.items()
        ],
        batch_size=1000,
    )


def _properties(area: AdminArea) -> dict:
    """The area's COD-AB properties, its ancestors' included."""
    properties = {}
    chain = [area]
    while chain[-1].parent_id:
        chain.append(chain[-1].parent)
    for item in reversed(chain):
        level = item.level
        properties.update(
            {
                f"ADM{level}_PCODE": item.pcode,
                f"ADM{level}_EN": item.name_en,
                f"ADM{level}_AR": item.name_ar,
            }
        )
    return properties


# --- organisations ----------------------------------------------------------------------------


@dataclass
class Partner:
    organisation: Organisation
    kind: str
    size: float  # relative number of lines reported
    homes: list[int]  # governorate indices
    first: int = 0  # first and last month (index) it reports
    last: int = MONTHS - 1
    lines: list[tuple] = field(default_factory=list)


def _acronym(name: str) -> str:
    return "".join(word[0] for word in name.replace("'s", "").split() if word[0].isupper())


def _organisations(rng: random.Random, geo: Geography, now: datetime.datetime) -> list[Partner]:
    T = OrganisationType
    count = len(geo.governorates)
    specs = []  # (name_en, acronym, name_ar, type, size, homes)

    def homes(low: int, high: int) -> list[int]:
        return rng.sample(range(count), rng.randint(low, min(high, count)))

    for en, acronym, ar in data.UN_AGENCIES:
        specs.append(
            (en, acronym, ar, T.UN_AGENCY, rng.lognormvariate(math.log(5), 0.4), homes(3, 7))
        )
    for en, ar in data.INTERNATIONAL_NGOS:
        size = rng.lognormvariate(math.log(1.8), 0.5)
        specs.append((en, _acronym(en), ar, T.INTERNATIONAL_NGO, size, homes(1, 3)))
    patterns = list(itertools.product(data.NATIONAL_NGO_PATTERNS, data.NAMES))
    for (pattern_en, pattern_ar), (place_en, place_ar) in rng.sample(patterns, data.NATIONAL_NGOS):
        en = pattern_en.format(place_en)
        size = rng.lognormvariate(math.log(0.5), 0.5)
        specs.append(
            (en, _acronym(en), pattern_ar.format(place_ar), T.NATIONAL_NGO, size, homes(1, 1))
        )
    en, acronym, ar = data.MINISTRY
    specs.append((en, acronym, ar, T.GOVERNMENT, 4.0, homes(6, 10)))
    for index, governorate in enumerate(geo.governorates[: data.DIRECTORATES]):
        specs.append(
            (
                f"Directorate of Health, {governorate.name_en}",
                f"DoH-{governorate.pcode}",
                f"مديرية الصحة في {governorate.name_ar}",
                T.GOVERNMENT,
                rng.uniform(0.8, 1.6),
                [index],
            )
        )
    for number, (en, acronym, ar) in enumerate(data.RED_CROSS):
        size = 2.5 if number == 0 else rng.uniform(0.6, 1.4)
        specs.append(
            (en, acronym, ar, T.RED_CROSS, size, homes(4, 8) if number == 0 else homes(1, 3))
        )
    for group, kind, size in (
        (data.ACADEMIC, T.ACADEMIC, 0.2),
        (data.NETWORKS, T.NETWORK, 0.3),
        (data.OTHERS, T.OTHER, 0.5),
    ):
        for en, acronym, ar in group:
            specs.append((en, acronym, ar, kind, size * rng.uniform(0.7, 1.3), homes(1, 2)))

    organisations = [
        Organisation(
            name_en=en,
            name_ar=ar,
            name_key=name_key(en),
            acronym=acronym,
            type=kind,
            contact_name="Health coordinator",
            contact_email=f"health@{name_key(en)[:40]}.example.org",
            status=OrganisationStatus.APPROVED,
            status_changed_at=now,
        )
        for en, acronym, ar, kind, _size, _homes in specs
    ]
    Organisation.objects.bulk_create(organisations)
    Through = Organisation.areas.through
    Through.objects.bulk_create(
        Through(organisation_id=organisation.pk, adminarea_id=geo.governorates[home].pk)
        for organisation, spec in zip(organisations, specs, strict=True)
        for home in spec[5]
    )
    partners = []
    for organisation, (*_names, kind, size, home) in zip(organisations, specs, strict=True):
        partner = Partner(organisation, kind, size, home)
        if kind in (T.INTERNATIONAL_NGO, T.NATIONAL_NGO, T.NETWORK, T.OTHER):
            # Some joined the cluster during the five years, a few left it.
            if rng.random() < 0.25:
                partner.first = rng.randint(1, MONTHS - 20)
            if rng.random() < 0.12:
                partner.last = rng.randint(partner.first + 12, MONTHS - 2)
        partners.append(partner)
    return partners


# --- strategy, catalogue, periods -------------------------------------------------------------


def _strategy(first_year: int, last_year: int, domains: dict[str, HealthDomain]) -> dict:
    cycle = StrategyCycle.objects.create(
        title_en="Health cluster response strategy",
        title_ar="استراتيجية الاستجابة للكتلة الصحية",
        start_year=first_year,
        end_year=last_year,
        people_targeted=data.PEOPLE_TARGETED,
        is_current=True,
    )
    indicators = {}
    for order, (code, title_en, title_ar, items) in enumerate(data.OBJECTIVES, start=1):
        objective = StrategicObjective.objects.create(
            cycle=cycle, code=code, title_en=title_en, title_ar=title_ar, order=order
        )
        for position, item in enumerate(items, start=1):
            number, name_en, name_ar, unit, baseline, target, kind, codes = item
            indicator = Indicator.objects.create(
                objective=objective,
                cycle=cycle,
                code=number,
                order=position,
                name_en=name_en,
                name_ar=name_ar,
                unit=unit,
                baseline=Decimal(baseline),
                target=Decimal(target),
                direction=IndicatorDirection.INCREASE,
                kind=kind,
            )
            indicator.domains.set([domains[c].pk for c in codes if c in domains])
            indicators[number] = indicator
    return indicators


def _catalogue(indicators: dict, domains: dict[str, HealthDomain]) -> list[Activity]:
    activities = []
    for order, item in enumerate(data.CATALOGUE, start=1):
        activity = Activity.objects.create(
            code=item.code,
            name_en=item.name_en,
            name_ar=item.name_ar,
            indicator=indicators[item.indicator],
            unit=item.unit,
            collects=Collects.GROUPS if item.groups else Collects.COUNT,
            counts_girls="girls" in item.groups,
            counts_boys="boys" in item.groups,
            counts_women="women" in item.groups,
            counts_men="men" in item.groups,
            counts_older_people=item.older_people,
            counts_disability=item.disability,
            order=order,
        )
        activity.domains.set([domains[c].pk for c in item.domains if c in domains])
        activities.append(activity)
    return activities


def _month(today: datetime.date, back: int) -> tuple[int, int]:
    index = today.year * 12 + today.month - 1 - back
    return index // 12, index % 12 + 1


def _periods(today: datetime.date) -> list[ReportingPeriod]:
    """Sixty periods, the oldest first, ending with the current month (open already)."""
    periods = []
    for back in range(MONTHS - 1, -1, -1):
        year, month = _month(today, back)
        opens_at, deadline = default_window(year, month)
        if back == 0:
            opens_at = datetime.datetime(year, month, 1, tzinfo=cluster_timezone())
        periods.append(
            ReportingPeriod(year=year, month=month, opens_at=opens_at, deadline=deadline)
        )
    return ReportingPeriod.objects.bulk_create(periods)


# --- reports ----------------------------------------------------------------------------------

R = ReportStatus
STATES = {
    0: ((R.DRAFT, R.SUBMITTED, None), (45, 30, 25)),  # the current month, in progress
    1: ((R.VALIDATED, R.SUBMITTED, R.RETURNED, R.DRAFT, None), (55, 25, 8, 7, 5)),
    2: ((R.VALIDATED, R.SUBMITTED, R.RETURNED, R.CORRECTION_REQUESTED), (86, 6, 4, 4)),
}
OLDER_STATES = (
    (R.VALIDATED, R.CORRECTION_REQUESTED, R.RETURNED, R.SUBMITTED, R.DRAFT),
    (955, 15, 10, 10, 10),
)


def _factors(periods: list[ReportingPeriod]) -> list[float]:
    """Per month: the winter and summer peaks, and a response that grows over the years."""
    factors = []
    for index, period in enumerate(periods):
        winter = 0.15 * math.cos(2 * math.pi * (period.month - 1) / 12)  # respiratory peak
        summer = 0.12 * math.exp(-((period.month - 7.5) ** 2) / 2)  # diarrhoea peak
        growth = 0.75 + 0.5 * index / (MONTHS - 1)
        factors.append((1 + winter + summer) * growth)
    return factors


@dataclass
class Planned:
    partner: int  # index in partners
    month: int  # index in periods
    status: str
    rows: int = 0


def _plan(rng: random.Random, rows: int, partners: list[Partner], factors: list[float]):
    """Which reports exist, in which state, and how many rows each has (``rows`` in all)."""
    plan, weights = [], []
    for month in range(MONTHS):
        offset = MONTHS - 1 - month
        states, chances = STATES.get(offset, OLDER_STATES)
        for index, partner in enumerate(partners):
            if not partner.first <= month <= partner.last:
                continue
            if offset > 1 and rng.random() < 0.03:
                continue  # a month this organisation never reported
            status = rng.choices(states, chances)[0]
            if status is None:
                continue
            plan.append(Planned(index, month, status))
            weights.append(partner.size * factors[month] * rng.uniform(0.85, 1.15))
    for planned, count in zip(plan, _apportion(rows, weights), strict=True):
        planned.rows = count
    # With few rows in all, the smallest reports get none: those are not created.
    return [planned for planned in plan if planned.rows]


def _timestamps(rng, period: ReportingPeriod, status: str, now: datetime.datetime) -> dict:
    values = {}
    if status == R.DRAFT:
        return values
    end = min(now, period.deadline)
    if rng.random() < 0.1:
        end = min(now, period.deadline + datetime.timedelta(days=15))  # late
    submitted = period.opens_at + (end - period.opens_at) * rng.uniform(0.2, 1.0)
    values["submitted_at"] = submitted
    if status in (R.VALIDATED, R.CORRECTION_REQUESTED):
        validated = submitted + datetime.timedelta(hours=rng.uniform(4, 12 * 24))
        values["validated_at"] = min(now, validated)
    if status == R.RETURNED:
        values["review_comment"] = "Please check the flagged lines before we validate the report."
    if status == R.CORRECTION_REQUESTED:
        values["correction_reason"] = "One district's consultations were counted twice."
    return values


def _reports(rng, plan, partners, periods, now) -> list[Report]:
    reports = [
        Report(
            organisation_id=partners[planned.partner].organisation.pk,
            period_id=periods[planned.month].pk,
            status=planned.status,
            **_timestamps(rng, periods[planned.month], planned.status, now),
        )
        for planned in plan
    ]
    return Report.objects.bulk_create(reports, batch_size=BATCH)


# --- portfolios and rows ----------------------------------------------------------------------

AREAS_BY_TYPE = {
    OrganisationType.UN_AGENCY: (8, 24),
    OrganisationType.INTERNATIONAL_NGO: (3, 10),
    OrganisationType.NATIONAL_NGO: (1, 4),
    OrganisationType.GOVERNMENT: (10, 40),
    OrganisationType.RED_CROSS: (3, 12),
}
ACTIVITIES_BY_TYPE = {
    OrganisationType.UN_AGENCY: (4, 10),
    OrganisationType.INTERNATIONAL_NGO: (3, 8),
    OrganisationType.NATIONAL_NGO: (2, 5),
    OrganisationType.GOVERNMENT: (6, 14),
    OrganisationType.RED_CROSS: (3, 8),
}
# Of the work a UN agency or an international NGO reports, the share its national partners
# implement.
SUBCONTRACTED = {OrganisationType.UN_AGENCY: 0.5, OrganisationType.INTERNATIONAL_NGO: 0.15}
SHARES = {
    data.AGES: (0.22, 0.22, 0.31, 0.25),
    data.CHILDREN: (0.49, 0.51, 0, 0),
    data.WOMEN: (0, 0, 1, 0),
    data.ADULTS: (0, 0, 0.56, 0.44),
}


def _portfolio(rng, partner: Partner, size: int, geo: Geography, catalogue, national) -> None:
    """Give ``partner`` ``size`` lines: (activity, area, implementer, donor, figures)."""
    kind = partner.organisation.type
    low, high = AREAS_BY_TYPE.get(kind, (1, 3))
    if partner.organisation.acronym.startswith("DoH-"):
        areas = list(geo.districts_of[partner.homes[0]])
    else:
        pool = [d for home in partner.homes for d in geo.districts_of[home]]
        areas = rng.sample(pool, min(len(pool), rng.randint(low, high)))
        if rng.random() < 0.3:
            areas.append(rng.choice(geo.districts))  # a district outside its home governorates
    if rng.random() < 0.25:
        areas.append(geo.governorates[rng.choice(partner.homes)])  # a whole governorate
    low, high = ACTIVITIES_BY_TYPE.get(kind, (1, 3))
    chosen = _weighted_sample(
        rng, list(range(len(catalogue))), [a.popularity for a in catalogue], rng.randint(low, high)
    )
    cells = [(activity, area) for activity in chosen for area in areas]
    rng.shuffle(cells)
    cells = cells[:size]
    # Several lines in a cell: other donors or other sites, by the same implementer.
    per_cell = _apportion(size, [rng.uniform(0.5, 1.5) for _ in cells])
    subcontracted = SUBCONTRACTED.get(kind, 0)
    for (activity_index, area), count in zip(cells, per_cell, strict=True):
        item = catalogue[activity_index]
        implementer, other = partner.organisation.pk, ""
        governorate = geo.governorate_of.get(area.pk)
        draw = rng.random()
        if draw < subcontracted and governorate is not None and national[governorate]:
            implementer = rng.choice(national[governorate]).organisation.pk
        elif draw > 0.95 and kind != OrganisationType.GOVERNMENT:
            implementer, other = None, rng.choice(data.LOCAL_ORGANISATIONS)
        reach = math.sqrt(geo.population[area.pk] / 60_000)
        for _ in range(count):
            base = rng.uniform(*item.scale) * reach
            partner.lines.append(
                (
                    activity_index,
                    area.pk,
                    implementer,
                    other,
                    rng.choice(data.DONORS),
                    base,
                    rng.uniform(0.05, 0.2),  # older people among the total
                    rng.uniform(0.02, 0.1),  # people with disabilities among the total
                )
            )


def _portfolios(rng, plan: list[Planned], partners: list[Partner], geo: Geography) -> None:
    """Give each reporting organisation enough lines for its largest month, and a few more."""
    # National NGOs implement for the agencies in their home governorates.
    national = [[] for _ in geo.governorates]
    for partner in partners:
        if partner.kind == OrganisationType.NATIONAL_NGO:
            national[partner.homes[0]].append(partner)
    largest = {}
    for planned in plan:
        largest[planned.partner] = max(largest.get(planned.partner, 0), planned.rows)
    for index, most in sorted(largest.items()):
        size = max(most, math.ceil(most * 1.15))
        _portfolio(rng, partners[index], size, geo, data.CATALOGUE, national)


def _row_values(rng, report: Report, line: tuple, item, activity_pk: int, factor: float, order):
    _activity, area, implementer, other, donor, base, older, disability = line
    value = base * factor * rng.uniform(0.7, 1.3)
    if item.groups:
        figures = [round(value * share * rng.uniform(0.85, 1.15)) for share in SHARES[item.groups]]
        total = sum(figures)
        if total == 0:
            figures[data.AGES.index(item.groups[0])] = total = 1
        older_people = round(total * older) if item.older_people else None
        with_disability = round(total * disability) if item.disability else None
        # The groups the activity does not count stay empty.
        girls, boys, women, men = (
            figure if group in item.groups else None
            for figure, group in zip(figures, data.AGES, strict=True)
        )
    else:
        girls = boys = women = men = older_people = with_disability = None
        total = max(1, round(value))
    status = RowStatus.COMPLETED if rng.random() < 0.3 else RowStatus.ONGOING
    comment = ""
    if report.status == R.RETURNED and order == 1:
        comment = "The total is three times last month's in the same district: is it correct?"
    return (
        report.pk,
        activity_pk,
        area,
        implementer,
        other,
        donor,
        status,
        girls,
        boys,
        women,
        men,
        older_people,
        with_disability,
        total,
        comment,
        order,
    )


def _row_tuples(rng, plan, reports, partners, activities, factors) -> Iterator[tuple]:
    catalogue = data.CATALOGUE
    for planned, report in zip(plan, reports, strict=True):
        lines = partners[planned.partner].lines
        factor = factors[planned.month]
        picked = sorted(rng.sample(range(len(lines)), planned.rows))
        for order, index in enumerate(picked, start=1):
            line = lines[index]
            item = catalogue[line[0]]
            yield _row_values(rng, report, line, item, activities[line[0]].pk, factor, order)


def _statistics() -> None:
    """The planner's statistics, and on PostgreSQL every page marked all-visible for the
    index-only scans: what autovacuum would leave some minutes later."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)" if connection.vendor == "postgresql" else "ANALYZE")


@contextmanager
def _foreign_keys_checked_at_the_end(*tables: str) -> Iterator[None]:
    """Drop the tables' foreign keys during a bulk load and add them back after it.

    PostgreSQL otherwise queues a look-up per row and key, run at the commit (Django's keys
    are deferred): 1,000,000 report rows and their analysis rows make some ten million. Adding
    a key back checks every row in one join. The transaction keeps this invisible to others.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        # Run the checks queued so far: a table with pending checks cannot be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s) "
            "ORDER BY 1, 2",
            [list(tables)],
        )
        keys = cursor.fetchall()
        for table, name, _definition in keys:
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    yield
    with connection.cursor() as cursor:
        for table, name, definition in keys:
            cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


# --- assessments ------------------------------------------------------------------------------

SEVERITY_SHARE = {1: 0.05, 2: 0.1, 3: 0.2, 4: 0.32, 5: 0.45}  # of the population, in need


def _severity(rng: random.Random, need: float) -> int:
    return min(5, max(1, round(1 + need * 4 + rng.gauss(0, 0.8))))


def _assessments(rng, geo: Geography, partners, domains, first_day, today, now) -> tuple:
    leads = [p for p in partners if p.organisation.type != OrganisationType.ACADEMIC]
    span = (today - first_day).days - 45
    assessments, findings, covered, joined = [], [], [], []
    total = PUBLISHED_ASSESSMENTS + UNPUBLISHED_ASSESSMENTS
    for number in range(total):
        published = number < PUBLISHED_ASSESSMENTS
        start = first_day + datetime.timedelta(days=rng.randint(0, span))
        end = start + datetime.timedelta(days=rng.randint(4, 30))
        count = rng.choices((1, 2, 3), (65, 25, 10))[0]
        governorates = rng.sample(range(len(geo.governorates)), count)
        lead = _weighted_sample(rng, leads, [p.size for p in leads], 1)[0]
        title_en, title_ar = rng.choice(data.ASSESSMENT_TITLES)
        place = geo.governorates[governorates[0]]
        values = {
            "title_en": f"{title_en}, {place.name_en}, {end:%B %Y}",
            "title_ar": f"{title_ar}، {place.name_ar}، {end.month}/{end.year}",
            "type": rng.choice(AssessmentType.values),
            "lead_organisation_id": lead.organisation.pk,
            "start_date": start,
            "end_date": end,
            "methodology": "Key informant interviews and a household survey.",
            "key_findings_en": "Access to primary care and medicines is the main gap.",
            "key_findings_ar": "الوصول إلى الرعاية الأولية والأدوية هو الفجوة الرئيسية.",
        }
        if published:
            moment = datetime.datetime.combine(end, datetime.time(10), tzinfo=cluster_timezone())
            values["status"] = AssessmentStatus.PUBLISHED
            values["submitted_at"] = min(now, moment + datetime.timedelta(days=rng.randint(2, 20)))
            values["published_at"] = min(
                now, values["submitted_at"] + datetime.timedelta(days=rng.randint(1, 10))
            )
            values["is_restricted"] = rng.random() < 0.15
        else:
            values["status"] = rng.choice(
                (AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED, AssessmentStatus.RETURNED)
            )
        assessed = rng.sample(domains, min(len(domains), rng.randint(3, 8)))
        areas = []
        for index in governorates:
            if rng.random() < 0.25:
                areas.append(geo.governorates[index])
            else:
                own = geo.districts_of[index]
                areas.extend(rng.sample(own, min(len(own), rng.randint(2, 7))))
        values["population_covered"] = sum(geo.population[area.pk] for area in areas)
        assessments.append(Assessment(**values))
        covered.append(areas)
        others = [p for p in rng.sample(leads, rng.randint(0, 3)) if p is not lead]
        joined.append(others)
        for area in areas:
            for domain in assessed:
                if rng.random() < 0.15:
                    continue
                severity = _severity(rng, geo.need[area.pk])
                in_need = geo.population[area.pk] * SEVERITY_SHARE[severity]
                findings.append(
                    (number, area.pk, domain.pk, severity, round(in_need * rng.uniform(0.6, 1.2)))
                )
    Assessment.objects.bulk_create(assessments)
    Areas = Assessment.areas.through
    Areas.objects.bulk_create(
        Areas(assessment_id=assessment.pk, adminarea_id=area.pk)
        for assessment, areas in zip(assessments, covered, strict=True)
        for area in areas
    )
    Joined = Assessment.participating_organisations.through
    Joined.objects.bulk_create(
        Joined(assessment_id=assessment.pk, organisation_id=partner.organisation.pk)
        for assessment, others in zip(assessments, joined, strict=True)
        for partner in others
    )
    Finding.objects.bulk_create(
        (
            Finding(
                assessment_id=assessments[number].pk,
                area_id=area,
                domain_id=domain,
                severity=severity,
                people_in_need=in_need,
            )
            for number, area, domain, severity, in_need in findings
        ),
        batch_size=BATCH,
    )
    return len(assessments), len(findings)


# --- the whole build --------------------------------------------------------------------------


def _projects(rows, partners: list[Partner], geo: Geography, activities, today) -> int:
    """One project per ``ROWS_PER_PROJECT`` report rows (at least ten), each of an organisation
    in its home governorates, accepted, split by two objectives and two areas, with two
    planned activities and three funding updates this year. A random generator of its own:
    the rows, reports and assessments stay those of ``SEED``."""
    rng = random.Random(SEED + 1)  # noqa: S311 - reproducible demo data, not security
    count = max(10, rows // ROWS_PER_PROJECT)
    objectives = list(StrategicObjective.objects.filter(cycle__is_current=True).order_by("code"))
    start, end = datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)
    built = []
    for number in range(1, count + 1):
        partner = rng.choice(partners)
        governorates = [geo.governorates[index] for index in partner.homes[:2]]
        budget = Decimal(rng.randrange(100, 5000) * 1000)
        project = Project(
            organisation=partner.organisation,
            title_en=f"Health response project {number}",
            plan_code=f"HSC{today.year % 100:02d}-HEA-{number:05d}",
            donors="Pooled fund",
            start=start,
            end=end,
            status=ProjectStatus.ONGOING,
            budget_required_usd=budget,
            state=ReviewState.ACCEPTED,
        )
        built.append((project, budget, rng.sample(objectives, 2), governorates))
    Project.objects.bulk_create([project for project, *_rest in built], batch_size=BATCH)
    shares, planned, funding = [], [], []
    for project, budget, chosen, governorates in built:
        first = rng.randint(10, 90)
        shares += [
            ProjectShare(project=project, objective=chosen[0], share_percent=first),
            ProjectShare(project=project, objective=chosen[1], share_percent=100 - first),
        ]
        for index, area in enumerate(governorates):
            share = 100 if len(governorates) == 1 else (60 if index == 0 else 40)
            shares.append(ProjectShare(project=project, area=area, share_percent=share))
            planned.append(
                PlannedActivity(
                    project=project,
                    activity=rng.choice(activities),
                    area=area,
                    first_month=start,
                    last_month=end.replace(day=1),
                    target=rng.randrange(500, 50_000),
                )
            )
        for month, part in ((1, 0.2), (4, 0.45), (7, 0.6)):
            day = datetime.date(today.year, month, 15)
            if day <= today:
                received = (budget * Decimal(str(part))).quantize(Decimal(1))
                funding.append(
                    FundingUpdate(
                        project=project, date=day, amount_received_usd=received, source="FTS"
                    )
                )
    ProjectShare.objects.bulk_create(shares, batch_size=BATCH)
    PlannedActivity.objects.bulk_create(planned, batch_size=BATCH)
    FundingUpdate.objects.bulk_create(funding, batch_size=BATCH)
    return len(built)


def _caseloads(rng: random.Random, geo: Geography) -> int:
    """People in need and targeted per district, for all people and by sex and age, for the
    current cycle: in need a share of the population growing with the need, targeted 40 to
    70 % of it; the governorates' are their districts' (``caseloads_by_area`` adds them up).
    Written in one ``bulk_create``, like the other tables here."""
    cycle = StrategyCycle.objects.get(is_current=True)
    split = {"girls": 0.24, "boys": 0.23, "women": 0.29, "men": 0.24}
    rows = []
    for district in geo.districts:
        in_need = round(geo.population[district.pk] * (0.1 + 0.6 * geo.need[district.pk]))
        targeted = round(in_need * rng.uniform(0.4, 0.7))
        rows.append(
            Caseload(
                cycle=cycle,
                area=district,
                people_in_need=in_need,
                people_targeted=targeted,
                source="HNO",
            )
        )
        for group, share in split.items():
            rows.append(
                Caseload(
                    cycle=cycle,
                    area=district,
                    group=group,
                    people_in_need=round(in_need * share),
                    people_targeted=round(targeted * share),
                    source="HNO",
                )
            )
    Caseload.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def build(*, rows: int, log: Callable[[str], None] = print, today=None) -> dict[str, int]:
    """Fill the empty database with the large dataset of ``rows`` report rows; its counts."""
    if rows < 1:
        raise ValueError("The large dataset needs at least one row.")
    found = existing_data()
    if found:
        listed = ", ".join(f"{count} {label}" for label, count in found.items())
        raise ValueError(f"The database is not empty ({listed}).")
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not security
    today = today or timezone.localdate()
    now = timezone.now()
    timer = Timer(log)
    with transaction.atomic():
        geo = _areas(rng)
        _boundaries_and_population(geo, today)
        partners = _organisations(rng, geo, now)
        domains = {d.code: d for d in HealthDomain.objects.order_by("order", "code")}
        periods = _periods(today)
        indicators = _strategy(periods[0].year, today.year, domains)
        activities = _catalogue(indicators, domains)
        factors = _factors(periods)
        timer.lap("areas, organisations, strategy, activities, periods")
        plan = _plan(rng, rows, partners, factors)
        reports = _reports(rng, plan, partners, periods, now)
        _portfolios(rng, plan, partners, geo)
        timer.lap(f"{len(reports):,} reports")
        with _foreign_keys_checked_at_the_end("activities_reportrow", "analysis_reach"):
            written = write_report_rows(
                _row_tuples(rng, plan, reports, partners, activities, factors)
            )
            timer.lap(f"{written:,} report rows")
            if connection.vendor == "postgresql":
                # Statistics first, so that the rebuild joins the reports to their rows well.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE activities_report, activities_reportrow")
            reach = rebuild_all()
            timer.lap(f"analysis table rebuilt ({reach:,} rows)")
        timer.lap("foreign keys added back and checked")
        first_day = datetime.date(periods[0].year, periods[0].month, 1)
        assessments, findings = _assessments(
            rng, geo, partners, list(domains.values()), first_day, today, now
        )
        timer.lap("assessments and findings")
        projects = _projects(rows, partners, geo, activities, today)
        timer.lap(f"{projects:,} projects")
        caseloads = _caseloads(rng, geo)
        timer.lap(f"{caseloads:,} caseloads")
    timer.lap("commit")
    # Immediately, unless a caller's transaction holds the load (VACUUM cannot run inside one).
    transaction.on_commit(_statistics)
    timer.lap("statistics and visibility")
    log(f"  total: {timer.total:.1f} s")
    statuses = dict(Report.objects.order_by().values_list("status").annotate(n=Count("pk")))
    return {
        "admin1 areas": len(geo.governorates),
        "admin2 areas": len(geo.districts),
        "organisations": len(partners),
        "indicators": len(indicators),
        "activities": len(activities),
        "periods": len(periods),
        "reports": len(reports),
        **{f"reports {status}": count for status, count in sorted(statuses.items())},
        "rows": written,
        "analysis rows": reach,
        "assessments": assessments,
        "findings": findings,
        "projects": projects,
        "caseloads": caseloads,
    }
