"""Reads of the outbox for the coordinators: the emails that failed or are being retried."""

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.tasks import Task
from outbox.models import OutboundEmail

# The columns the coordinators' list shows: never the body, which may hold a personal link.
LIST_FIELDS = (
    "pk",
    "recipient",
    "subject",
    "status",
    "attempts",
    "last_error",
    "last_attempt_at",
    "next_attempt_at",
    "created_at",
)


def failed_emails() -> QuerySet[OutboundEmail]:
    """Emails given up after their last attempt, the most recent first."""
    return OutboundEmail.objects.failed().only(*LIST_FIELDS).order_by("-last_attempt_at", "-pk")


def retrying_emails() -> QuerySet[OutboundEmail]:
    """Emails refused at least once and still to be tried again, the next one first."""
    return OutboundEmail.objects.retrying().only(*LIST_FIELDS).order_by("next_attempt_at", "pk")


def tasks_for_user(user) -> list[Task]:
    """My tasks: coordinators see how many emails could not be delivered (one query)."""
    if not getattr(user, "is_cluster_coordinator", False):
        return []
    failed = OutboundEmail.objects.failed().count()
    if not failed:
        return []
    return [
        Task(
            title=_("Emails that could not be delivered"),
            description=ngettext(
                "%(count)d email was refused by the mail server every time it was tried; "
                "see why and try it again.",
                "%(count)d emails were refused by the mail server every time they were tried; "
                "see why and try them again.",
                failed,
            )
            % {"count": failed},
            url=reverse("outbox:failed"),
            count=failed,
            kind="action",
        )
    ]
