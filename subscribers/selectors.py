"""Reads of the subscriptions: counts only. No function here returns addresses, on purpose:
coordinators see how many people subscribed, never who."""

from dataclasses import dataclass

from django.db.models import Count, Q

from accounts.models import Language
from subscribers.models import Announcement, Delivery, Subscriber


def subscriber_counts() -> dict:
    """Confirmed subscribers by language, and pending ones, in one query.

    ``{"confirmed": {"en": 12, "ar": 30}, "confirmed_total": 42, "pending": 3,
    "rows": [{"language": "en", "label": "English", "count": 12}, ...]}``; ``rows`` is
    for templates (see ``templates/subscribers/_counts.html``).
    """
    confirmed = Q(confirmed_at__isnull=False)
    totals = Subscriber.objects.aggregate(
        pending=Count("pk", filter=Q(confirmed_at__isnull=True)),
        **{
            f"confirmed_{code}": Count("pk", filter=confirmed & Q(language=code))
            for code in Language.values
        },
    )
    by_language = {code: totals[f"confirmed_{code}"] for code in Language.values}
    return {
        "confirmed": by_language,
        "confirmed_total": sum(by_language.values()),
        "pending": totals["pending"],
        "rows": [
            {"language": code, "label": label, "count": by_language[code]}
            for code, label in Language.choices
        ],
    }


@dataclass(frozen=True)
class AnnouncementProgress:
    key: str
    language: str
    sent: int
    finished: bool


def announcement_progress(*, key: str) -> AnnouncementProgress | None:
    """How far the sending of an announcement has gone; None for an unknown key."""
    announcement = Announcement.objects.filter(key=key).first()
    if announcement is None:
        return None
    sent = Delivery.objects.filter(announcement=announcement, sent_at__isnull=False).count()
    return AnnouncementProgress(
        key=announcement.key,
        language=announcement.language,
        sent=sent,
        finished=announcement.is_finished,
    )
