"""Demonstration bulletins: the last calendar quarter in English and in Arabic, each built for
real (snapshot and PDF, in this process: two or three seconds each) and published.

``seed()`` is idempotent: bulletins are found by their months and language, and one that is
already published is left alone, so a second run adds nothing and emails nobody. A bulletin
an interrupted run left unpublished is built and published again. Run after the activities
and analysis seeds: the figures come from the validated demo reports.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Max
from django.utils import timezone

from analysis.selectors import add_months
from bulletins import services
from bulletins.models import Bulletin, BulletinStatus

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
        title="نشرة مجموعة الصحة في ديمولاند",
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


def seed() -> str:
    """Create, build and publish the last quarter's demo bulletins that are not published yet.

    A bulletin is found by its months and language: a second run in the same quarter adds
    nothing, a run in a later quarter adds that quarter's bulletins under the next numbers.
    """
    coordinator = get_user_model().objects.filter(email=COORDINATOR_EMAIL).first()
    first, last = last_quarter(timezone.localdate())
    made = 0
    for demo in BULLETINS:
        bulletin = Bulletin.objects.filter(
            first_month=first, last_month=last, language=demo.language
        ).first()
        # A published one is done; one with another title is a coordinator's own.
        if bulletin is not None and (bulletin.is_public or bulletin.title != demo.title):
            continue
        if bulletin is None:
            number = (Bulletin.objects.aggregate(Max("number"))["number__max"] or 0) + 1
            fields = {
                "number": number,
                "title": demo.title,
                "language": demo.language,
                "first_month": first,
                "last_month": last,
                "highlights": demo.highlights,
                "situation_overview": demo.situation_overview,
                "health_response": demo.health_response,
                "gaps_and_challenges": demo.gaps_and_challenges,
            }
            bulletin = services.bulletin_create(fields=fields, by=coordinator)
        bulletin = services.bulletin_build_in_process(bulletin=bulletin, by=coordinator)
        if bulletin.status != BulletinStatus.READY:
            raise RuntimeError(
                f"The demo bulletin {bulletin.number} could not be built: {bulletin.shown_reason}"
            )
        services.bulletin_publish(bulletin=bulletin, by=coordinator)
        made += 1
    public = Bulletin.objects.filter(published_at__isnull=False).count()
    return f"Bulletins: {public} published ({made} built and published now)."
