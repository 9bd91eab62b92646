"""The demonstration bulletin: the last calendar quarter, with an English and an Arabic
edition built for real (figures and PDF, in this process: two or three seconds each) and
published.

``seed()`` is idempotent: the bulletin is found by its months, and an edition already
published is left alone, so a second run adds nothing and emails nobody. An edition an
interrupted run left unpublished is built and published again. Run after the activities and
analysis seeds: the figures come from the validated demo reports.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from analysis.selectors import add_months
from bulletins import publication, services
from bulletins.models import BuildStatus, Bulletin

COORDINATOR_EMAIL = "coordinator@demo.local"


@dataclass(frozen=True)
class DemoBulletin:
    language: str
    title: str
    highlights: str
    situation_overview: str
    health_response: str
    gaps_and_challenges: str


BULLETINS = [
    DemoBulletin(
        language="en",
        title="Demoland Health Cluster Bulletin",
        highlights=(
            "More people reached with primary health care than in the last quarter.\n"
            "Two damaged health facilities reopened.\n"
            "Severe nutrition needs remain without partners in the south."
        ),
        situation_overview=(
            "Families are returning to the northern districts as the water recedes; "
            "cases of acute watery diarrhoea rose in the camps."
        ),
        health_response=(
            "Partners reopened two health facilities and added oral rehydration corners "
            "in the camps."
        ),
        gaps_and_challenges="Nutrition screening does not yet cover the southern districts.",
    ),
    DemoBulletin(
        language="ar",
        title="نشرة الكتلة الصحية في ديمولاند",
        highlights=(
            "وصلت خدمات الرعاية الصحية الأولية إلى عدد أكبر من الناس مقارنة بالربع السابق.\n"
            "أعيد فتح مرفقين صحيين متضررين.\n"
            "تبقى احتياجات التغذية الحادة في الجنوب دون شركاء."
        ),
        situation_overview=(
            "تعود الأسر إلى المناطق الشمالية مع انحسار المياه، وارتفعت حالات الإسهال "
            "المائي الحاد في المخيمات."
        ),
        health_response=(
            "أعاد الشركاء فتح مرفقين صحيين وأضافوا أركانًا للإرواء الفموي في المخيمات."
        ),
        gaps_and_challenges="لا يغطي فحص التغذية المناطق الجنوبية بعد.",
    ),
]


def last_quarter(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last months of the last calendar quarter that has ended."""
    this_quarter = datetime.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    return add_months(this_quarter, -3), add_months(this_quarter, -1)


def _write(edition, demo: DemoBulletin, coordinator) -> None:
    fields = {
        "title": demo.title,
        "highlights": demo.highlights,
        "situation_overview": demo.situation_overview,
        "health_response": demo.health_response,
        "gaps_and_challenges": demo.gaps_and_challenges,
    }
    services.edition_update(edition=edition, fields=fields, by=coordinator)


def seed() -> str:
    """Create, build and publish the last quarter's demo bulletin, unless it is published.

    The bulletin is found by its months: a second run in the same quarter adds nothing, a
    run in a later quarter adds that quarter's bulletin under the next number. Its editions
    are built together, so they share their figures.
    """
    coordinator = get_user_model().objects.filter(email=COORDINATOR_EMAIL).first()
    first, last = last_quarter(timezone.localdate())
    bulletin = Bulletin.objects.filter(first_month=first, last_month=last).first()
    if bulletin is None:
        fields = {"number": services.next_number(), "first_month": first, "last_month": last}
        bulletin = services.bulletin_create(fields=fields, by=coordinator)
    editions = {edition.language: edition for edition in bulletin.editions.all()}
    waiting = [
        (editions[demo.language], demo)
        for demo in BULLETINS
        if demo.language in editions and not editions[demo.language].is_public
    ]
    for edition, demo in waiting:
        _write(edition, demo, coordinator)
    for edition, _demo in waiting:
        built = services.edition_build_in_process(edition=edition, by=coordinator)
        if built.status != BuildStatus.READY:
            raise RuntimeError(
                f"The demo bulletin {bulletin.number} ({built.language}) could not be built: "
                f"{built.shown_reason}"
            )
    if waiting:
        publication.bulletin_publish(
            bulletin=bulletin, languages=[e.language for e, _demo in waiting], by=coordinator
        )
    public = Bulletin.objects.filter(editions__published_at__isnull=False).distinct().count()
    return f"Bulletins: {public} published ({len(waiting)} editions built and published now)."
