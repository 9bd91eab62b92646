"""Demonstration bulletins: the last quarter in English and in Arabic, each built for real
(snapshot and PDF, in this process: two or three seconds each) and published.

``seed()`` is idempotent: bulletins are found by number, and one that is already published
is left alone, so a second run adds nothing and emails nobody. A bulletin an interrupted
run left unpublished is built and published again. Run after the activities and analysis
seeds: the figures come from the validated demo reports.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from bulletins import services
from bulletins.models import Bulletin, BulletinStatus

COORDINATOR_EMAIL = "coordinator@demo.local"


@dataclass(frozen=True)
class DemoBulletin:
    number: int
    language: str
    title: str
    highlights: str
    situation_overview: str
    health_response: str
    gaps_and_challenges: str


BULLETINS = [
    DemoBulletin(
        number=1,
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
        number=2,
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


def _month(day: datetime.date, back: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def seed() -> str:
    """Create, build and publish the demo bulletins that are not published yet."""
    coordinator = get_user_model().objects.filter(email=COORDINATOR_EMAIL).first()
    today = timezone.localdate()
    made = 0
    for demo in BULLETINS:
        bulletin = Bulletin.objects.filter(number=demo.number).first()
        # A published one is done; one with another title is a coordinator's own.
        if bulletin is not None and (bulletin.is_public or bulletin.title != demo.title):
            continue
        last = _month(today, 1)
        fields = {
            "number": demo.number,
            "title": demo.title,
            "language": demo.language,
            "first_month": _month(last, 2),
            "last_month": last,
            "highlights": demo.highlights,
            "situation_overview": demo.situation_overview,
            "health_response": demo.health_response,
            "gaps_and_challenges": demo.gaps_and_challenges,
        }
        if bulletin is None:
            bulletin = services.bulletin_create(fields=fields, by=coordinator)
        bulletin = services.bulletin_build_in_process(bulletin=bulletin, by=coordinator)
        if bulletin.status != BulletinStatus.READY:
            raise RuntimeError(
                f"The demo bulletin {demo.number} could not be built: {bulletin.shown_reason}"
            )
        services.bulletin_publish(bulletin=bulletin, by=coordinator)
        made += 1
    public = Bulletin.objects.filter(published_at__isnull=False).count()
    return f"Bulletins: {public} published ({made} built and published now)."
