"""Reminders to organisations that have not reported yet.

Scheduled reminders go once per period, organisation and kind: a few days before the
deadline ("before") and on the deadline's date ("deadline"), both counted in the cluster's
time zone. The ReminderSent row and its emails (in the outbox, keyed on the row) are written
in one transaction, and a unique constraint on the row means two runs at once (or a run
repeated) email each reminder only once. A coordinator may also send a reminder by hand, as
often as needed.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import ReminderKind, ReminderSent, Report, ReportingPeriod, ReportStatus
from activities.policy import period_accepts_submission
from activities.services.periods import cluster_timezone
from core.emails import send_to_users
from partners.models import MemberRole, Membership, Organisation, OrganisationStatus

# A report in one of these states still has to be (re)submitted.
NOT_SUBMITTED_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)


@dataclass(frozen=True)
class DueReminder:
    period: ReportingPeriod
    organisation: Organisation
    kind: str


def local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment, cluster_timezone()).date()


def due_kind(period: ReportingPeriod, now: datetime.datetime) -> str | None:
    """Which scheduled reminder the period calls for at ``now``, if any.

    On the deadline's local date only the "deadline" reminder is due; from
    REMINDER_DAYS_BEFORE days before it, the "before" one.
    """
    if not period.is_open(now):
        return None
    today = local_date(now)
    deadline_day = local_date(period.deadline)
    if today == deadline_day:
        return ReminderKind.ON_DEADLINE
    if today >= deadline_day - datetime.timedelta(days=settings.REMINDER_DAYS_BEFORE):
        return ReminderKind.BEFORE_DEADLINE
    return None


def organisations_not_submitted(period: ReportingPeriod) -> QuerySet[Organisation]:
    """Approved organisations with no report for the period, or a draft or returned one."""
    submitted = Report.objects.filter(period=period).exclude(status__in=NOT_SUBMITTED_STATUSES)
    return (
        Organisation.objects.filter(status=OrganisationStatus.APPROVED)
        .exclude(pk__in=submitted.values("organisation_id"))
        .order_by("pk")
    )


def has_submitted(period: ReportingPeriod, organisation: Organisation) -> bool:
    return (
        Report.objects.filter(period=period, organisation=organisation)
        .exclude(status__in=NOT_SUBMITTED_STATUSES)
        .exists()
    )


def due_reminders(now: datetime.datetime) -> list[DueReminder]:
    """Every scheduled reminder due at ``now``, whether or not it was sent already."""
    periods = ReportingPeriod.objects.filter(opens_at__lte=now, deadline__gte=now).order_by(
        "year", "month"
    )
    due = []
    for period in periods:
        kind = due_kind(period, now)
        if kind is None:
            continue
        due.extend(
            DueReminder(period, organisation, kind)
            for organisation in organisations_not_submitted(period)
        )
    return due


def recipients(organisation: Organisation) -> list:
    """The organisation's focal point; its active members when it has none."""
    memberships = list(
        Membership.objects.active()
        .filter(organisation=organisation, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    )
    focal = [m.user for m in memberships if m.role == MemberRole.FOCAL_POINT]
    return focal or [m.user for m in memberships]


def _email(reminder: DueReminder, *, sent_by=None, key: str | None = None) -> int:
    tz = cluster_timezone()
    return send_to_users(
        recipients(reminder.organisation),
        f"activities/reminder_{reminder.kind}",
        {
            "period": reminder.period,
            "organisation": reminder.organisation,
            "deadline": timezone.localtime(reminder.period.deadline, tz),
            "time_zone": tz.key,
            "sent_by": sent_by,
        },
        key=key,
    )


def reminders_send(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Send the scheduled reminders due at ``now`` that no run has sent yet.

    Each reminder is recorded with its emails in a transaction of its own; they go once it
    commits. A run that finds the row already there (the unique constraint) skips it.
    Returns how many were sent and how many skipped as already sent.
    """
    now = now or timezone.now()
    due = due_reminders(now)
    already = set(
        ReminderSent.objects.filter(
            period__in={reminder.period.pk for reminder in due},
            kind__in=[ReminderKind.BEFORE_DEADLINE, ReminderKind.ON_DEADLINE],
        ).values_list("period_id", "organisation_id", "kind")
    )
    sent = skipped = 0
    for reminder in due:
        if (reminder.period.pk, reminder.organisation.pk, reminder.kind) in already:
            skipped += 1
            continue
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = ReminderSent.objects.create(
                        period=reminder.period,
                        organisation=reminder.organisation,
                        kind=reminder.kind,
                    )
            except IntegrityError:
                # Another run recorded it between the read and this insert: it sends it.
                skipped += 1
                continue
            _email(reminder, key=f"reminder-{record.pk}")
            sent += 1
    return {"sent": sent, "skipped": skipped}


def reminder_record_manual(
    *, period: ReportingPeriod, organisation: Organisation, by
) -> ReminderSent:
    """Record a coordinator's reminder and write its emails, sent once this commits."""
    if not organisation.is_approved:
        raise ValidationError(_("Only approved organisations are asked to report."))
    if not period_accepts_submission(period, organisation):
        raise ValidationError(
            _(
                "%(period)s does not accept a report from %(organisation)s now: reopen the "
                "period for it first."
            )
            % {"organisation": organisation.name, "period": period}
        )
    if has_submitted(period, organisation):
        raise ValidationError(
            _("%(organisation)s has already submitted its report for %(period)s.")
            % {"organisation": organisation.name, "period": period}
        )
    if not recipients(organisation):
        raise ValidationError(
            _("%(organisation)s has no active member to send a reminder to.")
            % {"organisation": organisation.name}
        )
    with transaction.atomic():
        record = ReminderSent.objects.create(
            period=period, organisation=organisation, kind=ReminderKind.MANUAL, sent_by=by
        )
        _email(
            DueReminder(period, organisation, ReminderKind.MANUAL),
            sent_by=by,
            key=f"reminder-{record.pk}",
        )
    return record


def reminder_email_manual(*, period: ReportingPeriod, organisation: Organisation, by) -> None:
    """Email a reminder recorded by hand (by ``tasks.send_reminder_now``, for messages queued
    before ``reminder_record_manual`` wrote the emails itself)."""
    _email(DueReminder(period, organisation, ReminderKind.MANUAL), sent_by=by)
