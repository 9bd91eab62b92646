"""Demonstration meetings: the cluster's regular meetings of the last two months, with their
minutes, and of the coming weeks.

Each series meets on a fixed day of the month (the second Tuesday, the first Wednesday...),
in the cluster's time zone, so the meetings seeded depend on the day ``seed()`` runs but not
their dates: a second run creates nothing, a run on a later day adds the new weeks' meetings.
The minutes are small PDFs made with WeasyPrint.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from analysis.selectors import add_months, month_start
from meetings.models import Meeting, MeetingKind


@dataclass(frozen=True)
class DemoMeeting:
    """A meeting series: held on the ``nth`` ``weekday`` (Monday 0) of the months it meets."""

    title_en: str
    title_ar: str
    kind: str
    weekday: int
    nth: int
    start: time
    hours: int
    place_en: str
    place_ar: str
    agenda_en: str
    agenda_ar: str
    online_url: str = ""
    is_members_only: bool = False
    months: tuple[int, ...] = tuple(range(1, 13))


# The meetings seeded are those of the series that fall this many days around today.
DAYS_BEFORE = 62
DAYS_AFTER = 35

MONDAY, TUESDAY, WEDNESDAY, THURSDAY = range(4)

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
        "North hub partners' meeting",
        "اجتماع شركاء مركز الشمال",
        MeetingKind.HUB,
        WEDNESDAY,
        1,
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
        MONDAY,
        1,
        time(14, 0),
        2,
        "Cluster office",
        "مكتب الكتلة",
        "- Progress against the strategy's indicators\n- Priorities for the next quarter",
        "- التقدم المحرز في مؤشرات الاستراتيجية\n- أولويات الربع القادم",
        is_members_only=True,
        months=(1, 3, 5, 7, 9, 11),
    ),
    DemoMeeting(
        "Monthly health cluster coordination meeting",
        "اجتماع التنسيق الشهري للكتلة الصحية",
        MeetingKind.GENERAL,
        TUESDAY,
        2,
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
        MONDAY,
        4,
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
        THURSDAY,
        3,
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


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


def _dates(series: DemoMeeting, today: date) -> list[date]:
    """The days the series meets between DAYS_BEFORE days ago and DAYS_AFTER days ahead."""
    first, last = today - timedelta(days=DAYS_BEFORE), today + timedelta(days=DAYS_AFTER)
    # 97 days touch five calendar months at most.
    months = [add_months(month_start(first), n) for n in range(5)]
    days = [
        _nth_weekday(month.year, month.month, series.weekday, series.nth)
        for month in months
        if month.month in series.months
    ]
    return [day for day in days if first <= day <= last]


def _meeting(series: DemoMeeting, day: date) -> Meeting:
    starts_at = timezone.make_aware(datetime.combine(day, series.start))
    meeting = Meeting(
        title_en=series.title_en,
        title_ar=series.title_ar,
        kind=series.kind,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=series.hours),
        place_en=series.place_en,
        place_ar=series.place_ar,
        online_url=series.online_url,
        agenda_en=series.agenda_en,
        agenda_ar=series.agenda_ar,
        is_members_only=series.is_members_only,
    )
    if meeting.ends_at < timezone.now():
        pdf = minutes_pdf(series.title_en, day.isoformat())
        meeting.minutes.save("minutes.pdf", ContentFile(pdf), save=False)
        meeting.minutes_uploaded_at = timezone.now()
    return meeting


@transaction.atomic
def seed() -> str:
    """Create the series' meetings around today that do not exist yet; return a summary.

    A meeting is found by its title and its day in the cluster's time zone, so a second run
    creates nothing and a run on a later day adds only the meetings of the new weeks.
    """
    today = timezone.localdate()
    created = kept = 0
    for series in MEETINGS:
        held = {
            timezone.localdate(starts_at)
            for starts_at in Meeting.objects.filter(title_en=series.title_en).values_list(
                "starts_at", flat=True
            )
        }
        for day in _dates(series, today):
            if day in held:
                kept += 1
                continue
            _meeting(series, day).save()
            created += 1
    return f"Meetings: {created} created, {kept} already there."
