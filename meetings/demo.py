"""Demonstration meetings: a few past ones with their minutes and a few to come.

``seed()`` is idempotent: meetings are counted by their English title, so a second run,
even on a later day, creates nothing. The dates are relative to the day it runs, in the
cluster's time zone. The minutes are small PDFs made with WeasyPrint.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from meetings.models import Meeting, MeetingKind


@dataclass(frozen=True)
class DemoMeeting:
    title_en: str
    title_ar: str
    kind: str
    days_from_today: int
    start: time
    hours: int
    place_en: str
    place_ar: str
    agenda_en: str
    agenda_ar: str
    online_url: str = ""
    is_members_only: bool = False


AGENDA_EN = """1. Situation update from the Ministry of Health
2. Partners' activities and gaps by area
3. Medicine pipeline and supply
4. Any other business"""
AGENDA_AR = """1. مستجدات الوضع من وزارة الصحة
2. أنشطة الشركاء والفجوات حسب المنطقة
3. خط إمداد الأدوية والتوريد
4. ما يستجد من أعمال"""

MEETINGS = [
    DemoMeeting(
        "Monthly health cluster coordination meeting",
        "اجتماع التنسيق الشهري لمجموعة الصحة",
        MeetingKind.GENERAL,
        -42,
        time(10, 0),
        2,
        "Ministry of Health, main meeting room",
        "وزارة الصحة، قاعة الاجتماعات الرئيسية",
        AGENDA_EN,
        AGENDA_AR,
    ),
    DemoMeeting(
        "North hub partners' meeting",
        "اجتماع شركاء مركز الشمال",
        MeetingKind.HUB,
        -14,
        time(9, 30),
        2,
        "North hub office",
        "مكتب مركز الشمال",
        AGENDA_EN,
        AGENDA_AR,
    ),
    DemoMeeting(
        "Strategic advisory group: review of the response plan",
        "الفريق الاستشاري الاستراتيجي: مراجعة خطة الاستجابة",
        MeetingKind.ADVISORY,
        -7,
        time(14, 0),
        2,
        "Cluster office",
        "مكتب المجموعة",
        "- Progress against the strategy's indicators\n- Priorities for the next quarter",
        "- التقدم المحرز في مؤشرات الاستراتيجية\n- أولويات الربع القادم",
        is_members_only=True,
    ),
    DemoMeeting(
        "Monthly health cluster coordination meeting",
        "اجتماع التنسيق الشهري لمجموعة الصحة",
        MeetingKind.GENERAL,
        28,
        time(10, 0),
        2,
        "Ministry of Health, main meeting room",
        "وزارة الصحة، قاعة الاجتماعات الرئيسية",
        AGENDA_EN,
        AGENDA_AR,
        online_url="https://meet.example.org/health-cluster",
    ),
    DemoMeeting(
        "Technical working group on mental health and psychosocial support",
        "الفريق الفني العامل المعني بالصحة النفسية والدعم النفسي الاجتماعي",
        MeetingKind.TECHNICAL,
        9,
        time(11, 0),
        1,
        "Online",
        "عبر الإنترنت",
        "- Referral pathways\n- Training of primary health care staff",
        "- مسارات الإحالة\n- تدريب العاملين في الرعاية الصحية الأولية",
        online_url="https://meet.example.org/mhpss-twg",
    ),
    DemoMeeting(
        "Coast hub partners' meeting",
        "اجتماع شركاء مركز الساحل",
        MeetingKind.HUB,
        16,
        time(9, 0),
        2,
        "Coast hub office",
        "مكتب مركز الساحل",
        AGENDA_EN,
        AGENDA_AR,
    ),
]


def minutes_pdf(title: str, day: str) -> bytes:
    """A one-page PDF of invented minutes."""
    from weasyprint import HTML

    document = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
    <title>Minutes</title></head><body>
    <h1>Minutes: {escape(title)}</h1><p>{escape(day)}</p>
    <p>Demonstration minutes. Participants reviewed the situation, the partners' activities
    and the gaps, and agreed on follow-up actions.</p></body></html>"""
    return HTML(string=document).write_pdf()


def _when(days: int, start: time, hours: int) -> tuple[datetime, datetime]:
    day = timezone.localdate() + timedelta(days=days)
    starts_at = timezone.make_aware(datetime.combine(day, start))
    return starts_at, starts_at + timedelta(hours=hours)


@transaction.atomic
def seed() -> str:
    """Create the demonstration meetings that do not exist yet; return a one-line summary."""
    created = 0
    for demo in MEETINGS:
        starts_at, ends_at = _when(demo.days_from_today, demo.start, demo.hours)
        # Counted by title, not by date: a rerun on a later day adds nothing either.
        wanted = sum(1 for other in MEETINGS if other.title_en == demo.title_en)
        if Meeting.objects.filter(title_en=demo.title_en).count() >= wanted:
            continue
        meeting = Meeting(
            title_en=demo.title_en,
            title_ar=demo.title_ar,
            kind=demo.kind,
            starts_at=starts_at,
            ends_at=ends_at,
            place_en=demo.place_en,
            place_ar=demo.place_ar,
            online_url=demo.online_url,
            agenda_en=demo.agenda_en,
            agenda_ar=demo.agenda_ar,
            is_members_only=demo.is_members_only,
        )
        if ends_at < timezone.now():
            pdf = minutes_pdf(demo.title_en, starts_at.date().isoformat())
            meeting.minutes.save("minutes.pdf", ContentFile(pdf), save=False)
            meeting.minutes_uploaded_at = timezone.now()
        meeting.save()
        created += 1
    return f"meetings: {created} created, {len(MEETINGS) - created} already there"
