"""The demonstration strategy of the fictional Demoland health cluster.

``seed()`` writes the cluster profile (lead agency and Ministry of Health co-chair from the
partners seed, found by acronym), a current two-year cycle covering the year it runs in and
the two years before it, with their priorities, approaches, objectives and indicators. It
is idempotent: records are found by their natural keys and only what differs is saved; on a
later year it adds the new current cycle. Run after the partners seed.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from demo.records import save_if_changed
from strategy.models import (
    ClusterProfile,
    HealthDomain,
    Indicator,
    IndicatorDirection,
    IndicatorKind,
    IndicatorUnit,
    StrategicApproach,
    StrategicObjective,
    StrategicPriority,
    StrategyCycle,
    cluster_profile,
)

LEAD_AGENCY_ACRONYM = "UNHF"
CO_CHAIR_ACRONYM = "MoH"

PURPOSE_EN = """The Demoland Health Cluster brings together the organisations that respond to \
the health needs of people affected by the crisis, under the leadership of the Ministry of Health.

Together the partners:

- agree on where needs are greatest and who works where;
- share one set of indicators and report against it every month;
- fill gaps in essential health services and avoid duplication."""

PURPOSE_AR = """تجمع الكتلة الصحية في ديمولاند المنظمات التي تستجيب للاحتياجات الصحية للسكان \
المتأثرين بالأزمة، بقيادة وزارة الصحة.

يعمل الشركاء معًا على:

- الاتفاق على المناطق الأشد احتياجًا ومن يعمل في كل منها؛
- اعتماد مجموعة واحدة من المؤشرات والإبلاغ عنها كل شهر؛
- سد الفجوات في الخدمات الصحية الأساسية وتجنب الازدواجية."""

PRIORITIES = [
    (
        "Keep essential health services running where people live",
        "الحفاظ على الخدمات الصحية الأساسية قريبًا من أماكن سكن الناس",
    ),
    ("Detect and stop outbreaks early", "الكشف المبكر عن الأوبئة ووقفها"),
    ("Protect mothers, newborns and children", "حماية الأمهات والمواليد والأطفال"),
    (
        "Care for people with chronic and mental health conditions",
        "رعاية المصابين بالأمراض المزمنة واضطرابات الصحة النفسية",
    ),
    ("Strengthen the health system for recovery", "تعزيز النظام الصحي من أجل التعافي"),
]

APPROACHES = [
    (
        "Work through the Ministry of Health's facilities wherever they function",
        "العمل من خلال مرافق وزارة الصحة حيثما كانت عاملة",
    ),
    ("Reach remote areas with mobile teams", "الوصول إلى المناطق النائية بفرق متنقلة"),
    ("Put national organisations in the lead", "تمكين المنظمات الوطنية من القيادة"),
    ("Listen to the communities served", ""),
]

P = IndicatorUnit
D = IndicatorDirection
K = IndicatorKind
HEADLINE_CODE = "1.3"  # the cycle's people reached, fed by every people-counting activity

# (code, title_en, title_ar, priority index, indicators)
# indicator: (code, name_en, name_ar, unit, baseline, target, direction, kind, domains)
OBJECTIVES = [
    (
        "SO1",
        "People in affected areas use essential primary health care",
        "يحصل السكان في المناطق المتأثرة على الرعاية الصحية الأولية الأساسية",
        0,
        [
            (
                "1.1",
                "Outpatient consultations in supported facilities and mobile clinics",
                "الاستشارات الخارجية في المرافق المدعومة والعيادات المتنقلة",
                P.CONSULTATIONS,
                "150000",
                "420000",
                D.INCREASE,
                K.COUNT,
                ["access-to-care", "communicable-diseases"],
            ),
            (
                "1.2",
                "Health facilities providing the essential package of services",
                "المرافق الصحية التي تقدم الحزمة الأساسية من الخدمات",
                P.FACILITIES,
                "14",
                "30",
                D.INCREASE,
                K.LATEST,
                ["facility-functionality"],
            ),
            (
                HEADLINE_CODE,
                "People reached with essential health services",
                "الأشخاص الذين وصلتهم الخدمات الصحية الأساسية",
                P.PEOPLE,
                "10000",
                "60000",
                D.INCREASE,
                K.PEOPLE_ONCE,
                ["access-to-care"],
            ),
        ],
    ),
    (
        "SO2",
        "Outbreaks are detected and controlled quickly",
        "يجري الكشف عن الأوبئة والسيطرة عليها بسرعة",
        1,
        [
            (
                "2.1",
                "Alerts of suspected outbreaks verified within 48 hours",
                "إنذارات الأوبئة المشتبه بها التي جرى التحقق منها خلال 48 ساعة",
                P.PERCENT,
                "55",
                "90",
                D.INCREASE,
                K.RATE,
                ["communicable-diseases"],
            ),
            (
                "2.2",
                "Children aged 6 to 59 months vaccinated against measles",
                "الأطفال من 6 إلى 59 شهرًا الذين تلقوا لقاح الحصبة",
                P.PEOPLE,
                "40000",
                "95000",
                D.INCREASE,
                K.COUNT,
                ["communicable-diseases", "child-health"],
            ),
            (
                "2.3",
                "Cholera case fatality rate",
                "معدل الوفيات بين حالات الكوليرا",
                P.PERCENT,
                "2.5",
                "1",
                D.DECREASE,
                K.RATE,
                ["communicable-diseases", "wash-health-risks"],
            ),
        ],
    ),
    (
        "SO3",
        "Mothers and newborns get skilled care",
        "تحصل الأمهات والمواليد على رعاية ماهرة",
        2,
        [
            (
                "3.1",
                "Births attended by skilled health personnel",
                "الولادات التي أشرف عليها عاملون صحيون مهرة",
                P.PEOPLE,
                "12000",
                "21000",
                D.INCREASE,
                K.COUNT,
                ["maternal-newborn-health"],
            ),
            (
                "3.2",
                "Women who attended at least four antenatal visits",
                "النساء اللواتي أتممن أربع زيارات رعاية قبل الولادة على الأقل",
                P.PEOPLE,
                "1200",
                "3500",
                D.INCREASE,
                K.PEOPLE_ONCE,
                ["maternal-newborn-health"],
            ),
        ],
    ),
    (
        "SO4",
        "People with chronic or mental health conditions keep their treatment",
        "يواصل المصابون بالأمراض المزمنة أو الاضطرابات النفسية علاجهم",
        3,
        [
            (
                "4.1",
                "People receiving regular treatment for diabetes or hypertension",
                "الأشخاص الذين يتلقون علاجًا منتظمًا للسكري أو ارتفاع ضغط الدم",
                P.PEOPLE,
                "6500",
                "14000",
                D.INCREASE,
                K.PEOPLE_ONCE,
                ["non-communicable-diseases"],
            ),
            (
                "4.2",
                "Mental health and psychosocial support sessions",
                "جلسات الصحة النفسية والدعم النفسي الاجتماعي",
                P.OTHER,
                "20000",
                "48000",
                D.INCREASE,
                K.COUNT,
                ["mhpss"],
            ),
        ],
    ),
]

EARLIER_OBJECTIVES = [
    (
        "SO1",
        "Restore primary health care in the areas most affected",
        "استعادة الرعاية الصحية الأولية في المناطق الأكثر تأثرًا",
        0,
        [
            (
                "1.1",
                "Outpatient consultations in supported facilities",
                "الاستشارات الخارجية في المرافق المدعومة",
                P.CONSULTATIONS,
                "60000",
                "150000",
                D.INCREASE,
                K.COUNT,
                ["access-to-care"],
            ),
            (
                "1.2",
                "Functioning health facilities in affected districts",
                "المرافق الصحية العاملة في المناطق المتأثرة",
                P.FACILITIES,
                "38",
                "38",
                D.MAINTAIN,
                K.LATEST,
                ["facility-functionality"],
            ),
        ],
    ),
    (
        "SO2",
        "Prevent and control outbreaks of communicable diseases",
        "الوقاية من أوبئة الأمراض السارية ومكافحتها",
        1,
        [
            (
                "2.1",
                "Children aged 6 to 59 months vaccinated against measles",
                "الأطفال من 6 إلى 59 شهرًا الذين تلقوا لقاح الحصبة",
                P.PEOPLE,
                "15000",
                "40000",
                D.INCREASE,
                K.COUNT,
                ["communicable-diseases", "child-health"],
            ),
            (
                "2.2",
                "Cholera case fatality rate",
                "معدل الوفيات بين حالات الكوليرا",
                P.PERCENT,
                "4",
                "2.5",
                D.DECREASE,
                K.RATE,
                ["communicable-diseases"],
            ),
        ],
    ),
    (
        "SO3",
        "Protect the health of mothers and newborns",
        "حماية صحة الأمهات والمواليد",
        2,
        [
            (
                "3.1",
                "Births attended by skilled health personnel",
                "الولادات التي أشرف عليها عاملون صحيون مهرة",
                P.PEOPLE,
                "5000",
                "12000",
                D.INCREASE,
                K.COUNT,
                ["maternal-newborn-health"],
            ),
        ],
    ),
]


def _profile() -> None:
    # The organisations come from the partners seed; strategy does not import partners.
    Organisation = ClusterProfile._meta.get_field("lead_agency").related_model
    profile = cluster_profile()
    save_if_changed(
        profile,
        {
            "cluster_name_en": "Demoland Health Cluster",
            "cluster_name_ar": "الكتلة الصحية في ديمولاند",
            "country_name_en": "Demoland",
            "country_name_ar": "ديمولاند",
            "purpose_en": PURPOSE_EN,
            "purpose_ar": PURPOSE_AR,
            "lead_agency": Organisation.objects.filter(acronym=LEAD_AGENCY_ACRONYM).first(),
            "lead_coordinator_name": "Dr Lina Demo",
            "lead_coordinator_title_en": "Health Cluster Coordinator",
            "lead_coordinator_title_ar": "منسقة الكتلة الصحية",
            "lead_coordinator_email": "cluster.coordinator@demo.local",
            "lead_coordinator_phone": "+000 100 200 300",
            "co_chair": Organisation.objects.filter(acronym=CO_CHAIR_ACRONYM).first(),
            "co_chair_coordinator_name": "Dr Karim Example",
            "co_chair_coordinator_title_en": "Director of Emergency Health Services",
            "co_chair_coordinator_title_ar": "مدير الخدمات الصحية الطارئة",
            "co_chair_coordinator_email": "emergencies@moh.demo.local",
            "co_chair_coordinator_phone": "+000 100 200 400",
            "im_officer_name": "Sami Sample",
            "im_officer_email": "im@demo.local",
        },
    )


def _cycle(start: int, end: int, values: dict) -> StrategyCycle:
    cycle = StrategyCycle.objects.filter(start_year=start, end_year=end).first()
    if cycle is None:
        cycle = StrategyCycle(start_year=start, end_year=end)
    save_if_changed(cycle, values)
    return cycle


def _items(model, cycle: StrategyCycle, texts: list[tuple[str, str]]) -> list:
    items = []
    for order, (title_en, title_ar) in enumerate(texts, start=1):
        item = model.objects.filter(cycle=cycle, order=order).first() or model(cycle=cycle)
        save_if_changed(item, {"order": order, "title_en": title_en, "title_ar": title_ar})
        items.append(item)
    return items


def _objectives(cycle: StrategyCycle, priorities: list, objectives: list) -> int:
    domains = {domain.code: domain for domain in HealthDomain.objects.all()}
    count = 0
    for order, (code, title_en, title_ar, priority, indicators) in enumerate(objectives, 1):
        objective = StrategicObjective.objects.filter(cycle=cycle, code=code).first()
        objective = objective or StrategicObjective(cycle=cycle, code=code)
        save_if_changed(
            objective,
            {
                "order": order,
                "title_en": title_en,
                "title_ar": title_ar,
                "priority": priorities[priority],
            },
        )
        for position, row in enumerate(indicators, 1):
            ind_code, name_en, name_ar, unit, baseline, target, direction, kind, codes = row
            indicator = Indicator.objects.filter(cycle=cycle, code=ind_code).first()
            indicator = indicator or Indicator(objective=objective, code=ind_code)
            save_if_changed(
                indicator,
                {
                    "objective": objective,
                    "order": position,
                    "name_en": name_en,
                    "name_ar": name_ar,
                    "unit": unit,
                    "unit_label_en": "sessions" if unit == IndicatorUnit.OTHER else "",
                    "unit_label_ar": "جلسات" if unit == IndicatorUnit.OTHER else "",
                    "baseline": Decimal(baseline),
                    "target": Decimal(target),
                    "direction": direction,
                    "kind": kind,
                },
            )
            wanted = [domains[c] for c in codes if c in domains]
            if {d.pk for d in indicator.domains.all()} != {d.pk for d in wanted}:
                indicator.domains.set(wanted)
            count += 1
    return count


EARLIER_SUMMARY_EN = (
    "The first strategy of the cluster, written in the first months of the response. "
    "It focused on restoring services and on outbreaks."
)
EARLIER_SUMMARY_AR = (
    "أول استراتيجية للكتلة، كُتبت في الأشهر الأولى من الاستجابة، "
    "وركّزت على استعادة الخدمات ومكافحة الأوبئة."
)


def _current_cycle(year: int) -> StrategyCycle:
    """The cycle covering ``year`` (the current one first), or a new two-year one from it."""
    covering = StrategyCycle.objects.filter(start_year__lte=year, end_year__gte=year)
    cycle = covering.order_by("-is_current", "-start_year").first()
    start, end = (cycle.start_year, cycle.end_year) if cycle else (year, year + 1)
    for other in StrategyCycle.objects.filter(is_current=True).exclude(
        pk=getattr(cycle, "pk", None)
    ):
        save_if_changed(other, {"is_current": False})
    return _cycle(
        start,
        end,
        {
            "title_en": "Health Cluster Strategy",
            "title_ar": "استراتيجية الكتلة الصحية",
            "summary_en": f"For {start} and {end} the partners keep essential services running, "
            "stop outbreaks early and bring care closer to the people who need it most, "
            "while handing more of the response to national actors.",
            "summary_ar": f"في عامي {start} و{end} يحافظ الشركاء على استمرار الخدمات الأساسية، "
            "ويوقفون الأوبئة مبكرًا، ويقرّبون الرعاية ممن هم في أمسّ الحاجة إليها، "
            "مع نقل جزء أكبر من الاستجابة إلى الجهات الوطنية.",
            "people_targeted": 60_000,
            "is_current": True,
        },
    )


def _earlier_cycle(current: StrategyCycle) -> StrategyCycle | None:
    """The cluster's first strategy, the two years before the current one, made once.

    Returned only when it is the demo's own: once the current cycle has moved on, the cycle
    that was current before keeps its objectives as the past strategy.
    """
    earlier = (
        StrategyCycle.objects.filter(end_year__lt=current.start_year).order_by("-end_year").first()
    )
    if earlier is not None and earlier.summary_en != EARLIER_SUMMARY_EN:
        return None
    return _cycle(
        earlier.start_year if earlier else current.start_year - 2,
        earlier.end_year if earlier else current.start_year - 1,
        {
            "title_en": "Health Cluster Strategy",
            "title_ar": "استراتيجية الكتلة الصحية",
            "summary_en": EARLIER_SUMMARY_EN,
            "summary_ar": EARLIER_SUMMARY_AR,
            "is_current": False,
        },
    )


@transaction.atomic
def seed() -> str:
    """Create or refresh the demo cluster profile and strategy; return a one-line summary.

    The current cycle covers the year the seed runs in: the one that already does, or two
    years from this one.
    """
    _profile()
    current = _current_cycle(timezone.localdate().year)
    earlier = _earlier_cycle(current)
    indicators = 0
    cycles = [(current, OBJECTIVES)] + ([(earlier, EARLIER_OBJECTIVES)] if earlier else [])
    for cycle, objectives in cycles:
        priorities = _items(StrategicPriority, cycle, PRIORITIES)
        _items(StrategicApproach, cycle, APPROACHES)
        indicators += _objectives(cycle, priorities, objectives)
    headline = Indicator.objects.get(cycle=current, code=HEADLINE_CODE)
    save_if_changed(current, {"headline": headline})
    return (
        f"Strategy: the Demoland cluster profile, {StrategyCycle.objects.count()} strategy "
        f"cycles ({current.start_year}-{current.end_year} current), "
        f"{len(PRIORITIES)} priorities and {indicators} indicators."
    )
