"""Demonstration monthly activity reports (4W) for the fictional Demoland health cluster.

``seed()`` writes a catalogue of activities that measure the current strategy's indicators
(found by code in the current cycle), twelve monthly reporting periods ending with last
month plus the current month's open period, and the reports of twelve approved demo
organisations (found by acronym) over those periods, in every state of the workflow:
validated (most of them, on time and some late), submitted, returned with a comment on a
row, draft, correction requested, and months some organisations never reported.

Each organisation keeps a stable portfolio of three to eight lines (activity, Demoland
district, implementer, donor), so one month's report looks like the last one with other
figures, as real 4W data does. Figures add up: an activity counted by sex and age fills its
groups only (girls and boys for measles vaccination, women for antenatal care), and they add
up to the total, except for trauma care, which also counts people not broken down.

The portfolios are drawn together, as a cluster's 4W looks: the main activity of each
objective (consultations, measles vaccination, antenatal care, medicines for chronic
diseases) in each of the four first governorates by three of the partners who report on time
and one more, then another activity in each of a few other governorates, by three partners on
time or by four of the others; a few remote governorates have no partner, as in a real
cluster. So the public figures (``partners.disclosure``: an admin1-month cell from fewer than
three implementing organisations withholds every total over it) are shown: the newest month,
in which only the partners who report on time are validated, too. The month's draws (a line
not reported, a report missing) are then balanced: a line not reported comes back when its
cell would be left with one or two organisations, and a cell that still has too few is not
reported that month (``_balance``).

It is idempotent: activities, periods and reports are found by their natural keys
(activity code; year and month; organisation and period). A report that exists is left
as it is, with its rows, so a second run writes nothing, and the demo reports a visitor
edited keep their edits. Random choices come from ``random.Random`` seeded with the
organisation and the month, so every run produces the same data. Run after the
locations, partners and strategy seeds.
"""

import dataclasses
import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from activities.models import (
    Activity,
    ActivityUnit,
    Collects,
    PeriodReopening,
    Report,
    ReportingPeriod,
    ReportRow,
    ReportStatus,
    RowStatus,
    ValidatedVersion,
)
from activities.services.periods import cluster_timezone, default_window
from activities.services.reports import snapshot
from demo.records import save_if_changed
from demo.strategy import HEADLINE_CODE
from locations.models import AdminArea
from partners.models import Organisation, OrganisationStatus
from strategy.models import HealthDomain, Indicator, StrategyCycle

PAST_PERIODS = 12
COORDINATOR_EMAIL = "coordinator@demo.local"
FOCAL_EMAIL = "focal@demo.local"
FOCAL_ACRONYM = "DHA"

REPORTING_ACRONYMS = [
    "UNHF",
    "UNAMC",
    "HWBI",
    "GCA",
    "MMR",
    "CWHP",
    "DHA",
    "NVMS",
    "ACH",
    "RMA",
    "MoH",
    "DRCS",
]

DONORS = [
    "Fund for Humanitarian Health",
    "Northern Countries Aid Agency",
    "Country-based pooled fund",
    "European humanitarian aid office",
    "Own funds",
]

LOCAL_ORGANISATIONS = [
    "Pinecrest Women's Committee",
    "Stonebrook Youth Volunteers",
    "River Valley Community Health Workers",
    "Coralbay Fishermen's Association",
    "Sunmeadow Village Health Committee",
]

AGES = ("girls", "boys", "women", "men")
CHILDREN = ("girls", "boys")
WOMEN = ("women",)
ADULTS = ("women", "men")


@dataclass(frozen=True)
class DemoActivity:
    code: str
    name_en: str
    name_ar: str
    description_en: str
    indicator: str
    domains: tuple[str, ...]
    unit: str
    groups: tuple[str, ...] = AGES  # empty: a single total, not by sex and age
    both: bool = False  # the groups and a total entered apart, which may be larger
    scale: tuple[int, int] = (100, 1500)
    older_people: bool = False
    disability: bool = False
    # Reported with another activity, in the same line: a share of that activity's total
    # (deaths among the cholera cases treated, alerts verified among those received).
    follows: str = ""
    share: tuple[float, float] = (0.0, 0.0)
    numerator_of: tuple[str, ...] = ()
    denominator_of: tuple[str, ...] = ()

    @property
    def disaggregated(self) -> bool:
        return bool(self.groups)

    @property
    def collects(self) -> str:
        if not self.groups:
            return Collects.COUNT
        return Collects.BOTH if self.both else Collects.GROUPS


U = ActivityUnit
CATALOGUE = [
    DemoActivity(
        "OPD-CONS",
        "Outpatient consultations",
        "الاستشارات الخارجية",
        "General outpatient consultations in supported facilities and mobile clinics.",
        "1.1",
        ("access-to-care", "communicable-diseases"),
        U.CONSULTATIONS,
        scale=(400, 4000),
        older_people=True,
        disability=True,
    ),
    DemoActivity(
        "MOB-CLINIC",
        "Mobile clinics running",
        "العيادات المتنقلة العاملة",
        "Mobile clinic teams that ran at least four days a week during the month.",
        "1.2",
        ("access-to-care", "facility-functionality"),
        U.FACILITIES,
        groups=(),
        scale=(1, 4),
    ),
    DemoActivity(
        "FAC-FUNCTIONAL",
        "Supported health facilities functioning",
        "المرافق الصحية المدعومة العاملة",
        "Supported facilities open and providing the essential package at the end of the month.",
        "1.2",
        ("facility-functionality",),
        U.FACILITIES,
        groups=(),
        scale=(7, 12),
    ),
    DemoActivity(
        "ALERT-RECV",
        "Outbreak alerts received",
        "إنذارات الأوبئة الواردة",
        "Alerts of suspected outbreaks received from facilities and communities.",
        "2.1",
        ("communicable-diseases",),
        U.OTHER,
        groups=(),
        scale=(4, 20),
        denominator_of=("2.1",),
    ),
    DemoActivity(
        "ALERT-INV",
        "Outbreak alerts verified within 48 hours",
        "إنذارات الأوبئة التي جرى التحقق منها خلال 48 ساعة",
        "Alerts of suspected outbreaks verified by a rapid response team within 48 hours.",
        "2.1",
        ("communicable-diseases",),
        U.OTHER,
        groups=(),
        follows="ALERT-RECV",
        share=(0.6, 0.95),
        numerator_of=("2.1",),
    ),
    DemoActivity(
        "MEASLES-VAC",
        "Measles vaccination of children aged 6 to 59 months",
        "تطعيم الأطفال من 6 إلى 59 شهرًا ضد الحصبة",
        "Children vaccinated against measles in campaigns or routine sessions.",
        "2.2",
        ("communicable-diseases", "child-health"),
        U.PEOPLE,
        groups=CHILDREN,
        scale=(200, 2500),
    ),
    DemoActivity(
        "CHOLERA-TRT",
        "Cholera and acute watery diarrhoea cases treated",
        "حالات الكوليرا والإسهال المائي الحاد المعالجة",
        "Cases treated in cholera treatment centres and oral rehydration points.",
        "2.3",
        ("communicable-diseases", "wash-health-risks"),
        U.PEOPLE,
        scale=(20, 300),
        denominator_of=("2.3",),
    ),
    DemoActivity(
        "CHOLERA-DEATH",
        "Deaths among cholera cases treated",
        "الوفيات بين حالات الكوليرا المعالجة",
        "Deaths of patients treated for cholera or acute watery diarrhoea.",
        "2.3",
        ("communicable-diseases", "wash-health-risks"),
        U.OTHER,
        groups=(),
        follows="CHOLERA-TRT",
        share=(0.005, 0.03),
        numerator_of=("2.3",),
    ),
    DemoActivity(
        "HYGIENE-KIT",
        "Hygiene kits distributed",
        "مجموعات النظافة الموزعة",
        "Family hygiene kits given to households at risk of cholera.",
        "2.3",
        ("wash-health-risks",),
        U.KITS,
        groups=(),
        scale=(50, 600),
    ),
    DemoActivity(
        "ANC-VISIT",
        "Antenatal care visits",
        "زيارات الرعاية قبل الولادة",
        "Pregnant women seen for an antenatal care visit.",
        "3.2",
        ("maternal-newborn-health",),
        U.PEOPLE,
        groups=WOMEN,
        scale=(60, 700),
    ),
    DemoActivity(
        "SKILLED-BIRTH",
        "Births attended by skilled health personnel",
        "الولادات بإشراف عاملين صحيين مهرة",
        "Deliveries attended by a midwife, nurse or doctor.",
        "3.1",
        ("maternal-newborn-health",),
        U.PEOPLE,
        groups=WOMEN,
        scale=(20, 250),
    ),
    DemoActivity(
        "NCD-MEDS",
        "People receiving medicines for diabetes or hypertension",
        "الأشخاص الذين يتلقون أدوية السكري أو ارتفاع ضغط الدم",
        "People with diabetes or hypertension who received a month of medicines.",
        "4.1",
        ("non-communicable-diseases",),
        U.PEOPLE,
        groups=ADULTS,
        scale=(80, 900),
        older_people=True,
    ),
    DemoActivity(
        "MHPSS-SESSION",
        "Mental health and psychosocial support sessions",
        "جلسات الصحة النفسية والدعم النفسي الاجتماعي",
        "Individual and group sessions held by trained staff.",
        "4.2",
        ("mhpss",),
        U.SESSIONS,
        groups=(),
        scale=(30, 400),
    ),
    DemoActivity(
        "TRAUMA-CARE",
        "Trauma and injury care",
        "رعاية الإصابات والرضوح",
        "People treated for injuries, including surgery and rehabilitation.",
        "1.1",
        ("trauma-injury", "access-to-care"),
        U.PEOPLE,
        scale=(10, 200),
        disability=True,
        both=True,
    ),
    DemoActivity(
        "NUT-SCREEN",
        "Nutrition screening of children under five",
        "الفحص التغذوي للأطفال دون الخامسة",
        "Children screened for acute malnutrition with a MUAC tape and referred if needed.",
        "1.1",
        ("nutrition", "child-health"),
        U.PEOPLE,
        groups=CHILDREN,
        scale=(150, 2000),
    ),
]


PRIMARY = [demo for demo in CATALOGUE if not demo.follows]
FOLLOWERS = {
    demo.code: [other for other in CATALOGUE if other.follows == demo.code] for demo in CATALOGUE
}


@dataclass(frozen=True)
class Line:
    """One line of an organisation's portfolio, repeated month after month."""

    activity: DemoActivity
    area: AdminArea
    implementer: Organisation | None
    implementer_other: str
    donor: str


def _catalogue() -> dict[str, Activity]:
    cycle = StrategyCycle.objects.filter(is_current=True).first()
    if cycle is None:
        raise RuntimeError("Run the strategy seed first: there is no current strategy cycle.")
    indicators = {i.code: i for i in Indicator.objects.filter(cycle=cycle)}
    domains = {d.code: d for d in HealthDomain.objects.all()}
    activities = {}
    for order, demo in enumerate(CATALOGUE, start=1):
        if demo.indicator not in indicators:
            raise RuntimeError(f"The current strategy has no indicator {demo.indicator}.")
        activity = Activity.objects.filter(code=demo.code).first() or Activity(code=demo.code)
        save_if_changed(
            activity,
            {
                "name_en": demo.name_en,
                "name_ar": demo.name_ar,
                "description_en": demo.description_en,
                "indicator_id": indicators[demo.indicator].pk,
                "unit": demo.unit,
                "collects": demo.collects,
                **{f"counts_{name}": name in demo.groups for name in AGES},
                "counts_older_people": demo.older_people,
                "counts_disability": demo.disability,
                "is_active": True,
                "order": order,
            },
        )
        wanted = {domains[code].pk for code in demo.domains if code in domains}
        if set(activity.domains.values_list("pk", flat=True)) != wanted:
            activity.domains.set(wanted)
        _roles(activity, demo, indicators)
        activities[demo.code] = activity
    return activities


def _roles(activity: Activity, demo: DemoActivity, indicators: dict[str, Indicator]) -> None:
    """Every people-counting activity feeds the headline; rates name their two activities."""
    headline = {indicators[HEADLINE_CODE].pk} if demo.unit == ActivityUnit.PEOPLE else set()
    for relation, codes in (
        (activity.also_counts_towards, headline),
        (activity.numerator_of, {indicators[code].pk for code in demo.numerator_of}),
        (activity.denominator_of, {indicators[code].pk for code in demo.denominator_of}),
    ):
        if set(relation.values_list("pk", flat=True)) != codes:
            relation.set(codes)


def _month(day: datetime.date, back: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 - back
    return index // 12, index % 12 + 1


def _periods(today: datetime.date) -> list[ReportingPeriod]:
    """The current month's period first, then the twelve before it.

    Past months have the default window (the 1st to the 10th of the following month); the
    current month's period opens on its first day, so that partners can report already. A
    period that exists is left as it is: a coordinator may have moved its deadline.
    """
    zone = cluster_timezone()
    periods = []
    for back in range(PAST_PERIODS + 1):
        year, month = _month(today, back)
        period = ReportingPeriod.objects.filter(year=year, month=month).first()
        if period is None:
            opens_at, deadline = default_window(year, month)
            if back == 0:
                opens_at = datetime.datetime(year, month, 1, tzinfo=zone)
            period = ReportingPeriod.objects.create(
                year=year, month=month, opens_at=opens_at, deadline=deadline
            )
        periods.append(period)
    return periods


# ``_state``: the last month's reports these organisations (by their index in the list) have
# not had validated, whatever the day, and the one whose report two months back awaits a
# correction. The others report on time: in the newest month only their figures are public.
LAST_MONTH = {
    3: ReportStatus.RETURNED,
    4: ReportStatus.SUBMITTED,
    10: ReportStatus.DRAFT,
    11: None,
}
CORRECTED = 5

# The main activity of each objective in each of the first four governorates, by three
# partners who report on time and a fourth of the others; then an activity in each of a few
# other governorates, by three partners on time or by four of the others (every one of whom
# so has three lines or more where partners on time report too, to keep when its cell of
# the month has too few organisations). Some remote governorates have no partner, as in a
# real cluster.
MAIN = ("OPD-CONS", "MEASLES-VAC", "ANC-VISIT", "NCD-MEDS")
MAIN_GOVERNORATES = ("DL01", "DL02", "DL03", "DL04")
ON_TIME_CELLS = (("TRAUMA-CARE", "DL20"), ("ALERT-RECV", "DL19"))
OTHERS_CELLS = (
    ("FAC-FUNCTIONAL", "DL09"),
    ("MHPSS-SESSION", "DL13"),
    ("SKILLED-BIRTH", "DL06"),
    ("CHOLERA-TRT", "DL10"),
    ("MOB-CLINIC", "DL15"),
    ("HYGIENE-KIT", "DL07"),
)
# Single lines that add to a cell already covered: nutrition screening where consultations
# are counted.
ON_TIME_EXTRAS = (("NUT-SCREEN", "DL03"),)
MIN_ORGANISATIONS = 3  # settings.PUBLIC_MIN_ORGANISATIONS of the demo


def _portfolios(
    organisations: list[Organisation], districts: list[AdminArea]
) -> dict[int, list[Line]]:
    """Every organisation's portfolio, drawn together so that each governorate's figures of
    an activity come from three or more implementing organisations (see the docstring)."""
    rng = random.Random("activities-demo:portfolios")  # noqa: S311 - reproducible demo data
    by_code = {demo.code: demo for demo in PRIMARY}
    governorates: dict[str, list[AdminArea]] = {}
    for district in districts:
        governorates.setdefault(district.pcode[:4], []).append(district)
    on_time = [
        org
        for index, org in enumerate(organisations)
        if index not in LAST_MONTH and index != CORRECTED
    ]
    others = [org for org in organisations if org not in on_time]
    primary: dict[int, list[Line]] = {org.pk: [] for org in organisations}

    def least_busy(candidates: list[Organisation], taken: list[Organisation], count: int):
        free = [org for org in candidates if org not in taken]
        free.sort(key=lambda org: len(primary[org.pk]))  # stable: the list's order breaks ties
        return free[:count]

    def cell(code: str, governorate: str, reporters: list[Organisation]) -> None:
        used = set(reporters)
        local = list(LOCAL_ORGANISATIONS)
        for reporter in reporters:
            draw = rng.random()
            implementer, implementer_other = reporter, ""
            partners = [org for org in organisations if org not in used]
            locals_left = [name for name in local if name not in used]
            if draw < 0.1 and partners:
                implementer = rng.choice(partners)
                used.add(implementer)
            elif draw < 0.25 and locals_left:
                implementer, implementer_other = None, rng.choice(locals_left)
                used.add(implementer_other)
            primary[reporter.pk].append(
                Line(
                    activity=by_code[code],
                    area=rng.choice(governorates[governorate]),
                    implementer=implementer,
                    implementer_other=implementer_other,
                    donor=rng.choice(DONORS),
                )
            )

    for governorate in MAIN_GOVERNORATES:
        for code in MAIN:
            reporters = least_busy(on_time, [], MIN_ORGANISATIONS)
            cell(code, governorate, reporters + least_busy(others, reporters, 1))
    for code, governorate in ON_TIME_CELLS:
        cell(code, governorate, least_busy(on_time, [], MIN_ORGANISATIONS))
    for code, governorate in ON_TIME_EXTRAS:
        for reporter in least_busy(on_time, [], 2):
            cell(code, governorate, [reporter])
    for code, governorate in OTHERS_CELLS:
        cell(code, governorate, least_busy(others, [], MIN_ORGANISATIONS + 1))
    portfolios = {}
    for org in organisations:
        lines = primary[org.pk][:8]
        random.Random(f"activities-demo:portfolio:{org.acronym}").shuffle(lines)  # noqa: S311
        portfolios[org.pk] = [
            with_followers
            for line in lines
            for with_followers in [
                line,
                *(
                    dataclasses.replace(line, activity=other)
                    for other in FOLLOWERS[line.activity.code]
                ),
            ]
        ]
    return portfolios


def _base(line: Line, lines: list[Line]) -> bool:
    """Whether the line a follower is reported with is reported too."""
    return any(_base_key(line) == _key(other) for other in lines)


def _key(line: Line) -> tuple:
    return (line.activity.code, line.area.pk, line.implementer_other, line.implementer)


def _base_key(line: Line) -> tuple:
    return (line.activity.follows, line.area.pk, line.implementer_other, line.implementer)


def _figures(demo: DemoActivity, rng: random.Random, base: int | None = None) -> dict:
    low, high = demo.scale
    if demo.follows:
        total = round((base or 0) * rng.uniform(*demo.share))
        return dict.fromkeys(
            ("girls", "boys", "women", "men", "older_people", "people_with_disabilities")
        ) | {"total": total}
    if not demo.disaggregated:
        total = rng.randint(low, high)
        return dict.fromkeys(
            ("girls", "boys", "women", "men", "older_people", "people_with_disabilities")
        ) | {"total": total}
    figures = dict.fromkeys(AGES)
    share = rng.randint(low, high)
    for group in demo.groups:
        figures[group] = max(1, round(share * rng.uniform(0.6, 1.4) / len(demo.groups)))
    total = sum(figures[group] for group in demo.groups)
    if demo.both:
        # People treated in a mass-casualty event, counted before anyone noted sex and age.
        total += round(total * rng.uniform(0.05, 0.25))
    figures["total"] = total
    figures["older_people"] = round(total * rng.uniform(0.05, 0.2)) if demo.older_people else None
    figures["people_with_disabilities"] = (
        round(total * rng.uniform(0.02, 0.1)) if demo.disability else None
    )
    return figures


def _state(offset: int, index: int, rng: random.Random) -> str | None:
    """The state of one organisation's report ``offset`` months back; None: not started."""
    if offset == 0:
        return {1: ReportStatus.DRAFT, 5: ReportStatus.DRAFT, 2: ReportStatus.SUBMITTED}.get(index)
    if offset == 1:
        return LAST_MONTH.get(index, ReportStatus.VALIDATED)
    if offset == 2 and index == CORRECTED:
        return ReportStatus.CORRECTION_REQUESTED
    # Some months, a partner who is often late does not report at all.
    if rng.random() < (0.3 if index == 11 else 0.06) and index in LAST_MONTH:
        return None
    return ReportStatus.VALIDATED


def _between(start: datetime.datetime, end: datetime.datetime, rng, low=0.1, high=0.9):
    return start + (end - start) * rng.uniform(low, high)


@dataclass
class Context:
    now: datetime.datetime
    activities: dict[str, Activity]
    coordinator: object
    focal: object
    rows: list
    snapshots: list


def _reopening(ctx: Context, period, organisation, until: datetime.datetime) -> None:
    PeriodReopening.objects.get_or_create(
        period=period,
        organisation=organisation,
        defaults={
            "until": until,
            "reason": "The report was delayed by a loss of connectivity in the field office.",
            "created_by": ctx.coordinator,
        },
    )


@dataclass
class Plan:
    """One organisation's report of one month before it is written: its state, and which
    lines of its portfolio it reports (by index; a follower goes with its line)."""

    organisation: Organisation
    period: ReportingPeriod
    offset: int
    status: str | None
    portfolio: list[Line]
    kept: set[int]
    rng: random.Random

    def lines(self) -> list[Line]:
        lines = [
            line
            for number, line in enumerate(self.portfolio)
            if line.activity.follows or number in self.kept
        ]
        return [line for line in lines if not line.activity.follows or _base(line, lines)]


def _plan(
    organisation: Organisation, period: ReportingPeriod, portfolio: list[Line], offset, index
) -> Plan:
    seed_text = f"activities-demo:{organisation.acronym}:{period.year}-{period.month}"
    rng = random.Random(seed_text)  # noqa: S311 - reproducible demo data, not security
    status = _state(offset, index, rng)
    # Now and then a line is not reported that month, but a report keeps three lines at least.
    primary = [number for number, line in enumerate(portfolio) if not line.activity.follows]
    kept = {number for number in primary if rng.random() > 0.1}
    if len(kept) < 3:
        kept = set(primary)
    return Plan(organisation, period, offset, status, portfolio, kept, rng)


def _measures(demo: DemoActivity) -> set[str]:
    """The public figures a line adds to in its admin1 area (``analysis.selectors.cell_counts``
    and the indicators' cells): each judged on its implementing organisations."""
    found = {"any", demo.indicator, *demo.numerator_of, *demo.denominator_of}
    if demo.unit == ActivityUnit.PEOPLE:
        found |= {"people", HEADLINE_CODE, *demo.groups}
        found |= {"older_people"} if demo.older_people else set()
        found |= {"people_with_disabilities"} if demo.disability else set()
        found |= {"not_disaggregated"} if demo.both else set()
    return found


def _balance(plans: list[Plan]) -> None:
    """Leave no public figure of the month from one or two implementing organisations in an
    admin1 area: bring back the lines of such a cell the draws left out, else leave out its
    lines (unless a report would keep fewer than three)."""
    counted = [plan for plan in plans if plan.status == ReportStatus.VALIDATED]
    left_out: set[tuple[int, int]] = set()  # (plan, line) left out here: never brought back
    kept_small: set[tuple[str, int]] = set()  # cells whose lines a report cannot spare
    while True:
        # The main activities' indicators are wanted in every admin1 area they are planned in.
        cells: dict[tuple[str, int], set] = {
            (line.activity.indicator, line.area.parent_id): set()
            for plan in counted
            for line in plan.portfolio
            if line.activity.code in MAIN
        }
        for plan in counted:
            for line in plan.lines():
                implementer = line.implementer_other or line.implementer.pk
                for measure in _measures(line.activity):
                    cells.setdefault((measure, line.area.parent_id), set()).add(implementer)
        small = sorted(
            key
            for key, found in cells.items()
            if len(found) < MIN_ORGANISATIONS and key not in kept_small
        )
        if not small:
            return
        measure, admin1 = small[0]

        def in_cell(line: Line, measure=measure, admin1=admin1) -> bool:
            return (
                not line.activity.follows
                and line.area.parent_id == admin1
                and measure in _measures(line.activity)
            )

        back = [
            (plan, number)
            for plan in counted
            for number, line in enumerate(plan.portfolio)
            if in_cell(line) and number not in plan.kept and (id(plan), number) not in left_out
        ]
        for plan, number in back:
            plan.kept.add(number)
        if back:
            continue
        out = {
            id(plan): {number for number in plan.kept if in_cell(plan.portfolio[number])}
            for plan in counted
        }
        # A report left with fewer than three lines first gets back lines the draws left out
        # where three organisations or more report already (which stay shown).
        restored = [
            _restore(plan, 3 - len(plan.kept - out[id(plan)]), cells, in_cell, left_out)
            for plan in counted
            if out[id(plan)] and len(plan.kept - out[id(plan)]) < 3
        ]
        if any(restored):
            continue
        if not any(out.values()) or any(
            len(plan.kept - out[id(plan)]) < 3 for plan in counted if out[id(plan)]
        ):
            # Nothing to leave out, or a report keeps three lines at least: the figure stays
            # (not shown to the public).
            kept_small.add((measure, admin1))
            continue
        for plan in counted:
            plan.kept -= out[id(plan)]
            left_out |= {(id(plan), number) for number in out[id(plan)]}


def _restore(plan: Plan, wanted: int, cells: dict, in_cell, left_out: set) -> bool:
    """Bring back up to ``wanted`` of the plan's lines not reported this month whose every
    public figure already comes from three organisations or more; whether any came back."""
    safe = [
        number
        for number, line in enumerate(plan.portfolio)
        if number not in plan.kept
        and (id(plan), number) not in left_out
        and not line.activity.follows
        and not in_cell(line)
        and all(
            len(cells.get((measure, line.area.parent_id), ())) >= MIN_ORGANISATIONS
            for measure in _measures(line.activity)
        )
    ][:wanted]
    plan.kept.update(safe)
    return bool(safe)


def _report(ctx: Context, plan: Plan) -> Report:
    organisation, period, status, rng = plan.organisation, plan.period, plan.status, plan.rng
    past_deadline = period.deadline < ctx.now
    reporter = ctx.focal if organisation.acronym == FOCAL_ACRONYM else None
    report = Report(organisation=organisation, period=period, status=status, created_by=reporter)
    late = past_deadline and status == ReportStatus.VALIDATED and rng.random() < 0.15
    if status != ReportStatus.DRAFT:
        if late:
            report.submitted_at = _between(
                period.deadline, min(ctx.now, period.deadline + datetime.timedelta(days=20)), rng
            )
        else:
            report.submitted_at = _between(
                period.opens_at, min(ctx.now, period.deadline), rng, 0.2, 0.98
            )
        report.submitted_by = reporter
    if status in (ReportStatus.VALIDATED, ReportStatus.CORRECTION_REQUESTED):
        report.validated_at = _between(
            report.submitted_at,
            min(ctx.now, report.submitted_at + datetime.timedelta(days=10)),
            rng,
        )
        report.validated_by = ctx.coordinator
    if status == ReportStatus.RETURNED:
        report.review_comment = (
            "Thank you. Please check the flagged line before we validate the report."
        )
    if status == ReportStatus.CORRECTION_REQUESTED:
        report.correction_reason = (
            "We counted the same consultations twice in one district; the totals must go down."
        )
    report.save()
    if late:
        _reopening(ctx, period, organisation, report.submitted_at + datetime.timedelta(days=3))
    elif past_deadline and status == ReportStatus.DRAFT:
        # A partner who missed the deadline was given another week to finish its draft.
        _reopening(ctx, period, organisation, ctx.now + datetime.timedelta(days=7))
    lines = plan.lines()
    rows, totals = [], {}
    for order, line in enumerate(lines, start=1):
        row = ReportRow(
            report=report,
            activity=ctx.activities[line.activity.code],
            area=line.area,
            implementing_organisation=line.implementer,
            implementing_other=line.implementer_other,
            donor=line.donor,
            status=RowStatus.ONGOING
            if plan.offset == 0 or rng.random() < 0.6
            else RowStatus.COMPLETED,
            order=order,
            **_figures(line.activity, rng, base=totals.get(_base_key(line))),
        )
        totals[_key(line)] = row.total
        rows.append(row)
    if status == ReportStatus.RETURNED:
        rows[
            0
        ].review_comment = (
            "The total is three times last month's in the same district: is it correct?"
        )
    ctx.rows.extend(rows)
    if report.validated_at:
        ctx.snapshots.append(
            ValidatedVersion(
                report=report,
                version=1,
                rows=[],
                validated_at=report.validated_at,
                validated_by=ctx.coordinator,
            )
        )
    return report


@transaction.atomic
def seed() -> str:
    """Create the demo catalogue, periods and reports that are missing; return a summary."""
    activities = _catalogue()
    now = timezone.now()
    periods = _periods(timezone.localdate())
    districts = list(AdminArea.objects.filter(level=2, pcode__startswith="DL").order_by("pcode"))
    if not districts:
        raise RuntimeError("Run the locations seed first: there are no Demoland districts.")
    by_acronym = {
        org.acronym: org
        for org in Organisation.objects.filter(
            acronym__in=REPORTING_ACRONYMS, status=OrganisationStatus.APPROVED
        )
    }
    organisations = [by_acronym[a] for a in REPORTING_ACRONYMS if a in by_acronym]
    users = {
        u.email: u
        for u in get_user_model().objects.filter(email__in=[COORDINATOR_EMAIL, FOCAL_EMAIL])
    }
    ctx = Context(
        now=now,
        activities=activities,
        coordinator=users.get(COORDINATOR_EMAIL),
        focal=users.get(FOCAL_EMAIL),
        rows=[],
        snapshots=[],
    )
    existing = set(
        Report.objects.filter(period__in=periods, organisation__in=organisations).values_list(
            "organisation_id", "period_id"
        )
    )
    portfolios = _portfolios(organisations, districts)
    plans = [
        _plan(organisation, period, portfolios[organisation.pk], offset, index)
        for index, organisation in enumerate(organisations)
        for offset, period in enumerate(periods)
    ]
    for period in periods:
        _balance([plan for plan in plans if plan.period == period])
    created = 0
    for plan in plans:
        if plan.status is not None and (plan.organisation.pk, plan.period.pk) not in existing:
            _report(ctx, plan)
            created += 1
    bulk_create_with_history(ctx.rows, ReportRow, batch_size=500, default_date=now)
    for version in ctx.snapshots:
        version.rows = snapshot(version.report)
    ValidatedVersion.objects.bulk_create(ctx.snapshots)
    reports = Report.objects.filter(period__in=periods, organisation__in=organisations)
    return (
        f"Activity reports: {len(activities)} activities, {len(periods)} periods, "
        f"{reports.count()} reports of {len(organisations)} organisations "
        f"({created} new, {len(ctx.rows)} new rows)."
    )
