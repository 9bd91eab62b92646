"""What publishing, revising or withdrawing a bulletin will do, said before it is done.

Publishing emails people and puts figures before the Ministry and donors: the confirmation
says, edition by edition, how many subscribers of its language will be emailed, and warns
when the period's reporting is thin. A revision says what the public will see and that
nobody is emailed unless asked. Withdrawing keeps the public pages with the reason.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from activities.selectors import reporting_by_month
from bulletins.forms import PublishForm, RevisionForm, WithdrawForm
from bulletins.models import Bulletin, Edition, in_language_order
from bulletins.policy import edition_publishable, publishable_editions, withdrawable_editions
from core.confirm import Confirmation
from core.emails import absolute_url
from subscribers.selectors import subscriber_counts


def _complete_enough() -> int:
    """The share of approved partners, in percent, below which a month's reporting is thin."""
    return getattr(settings, "BULLETIN_REPORTING_WARNING_PERCENT", 80)


def reporting_warnings(bulletin: Bulletin) -> list[str]:
    """One line per month of the period with fewer validated reports than the threshold."""
    limit = _complete_enough()
    warnings = []
    for month in reporting_by_month(bulletin.first_month, bulletin.last_month):
        if month.expected and (month.percent or 0) < limit:
            warnings.append(
                _(
                    "%(month)s: only %(validated)s of the %(expected)s approved partners "
                    "(%(percent)s%%) have a validated report, fewer than %(limit)s%%."
                )
                % {
                    "month": date_format(month.month, "YEAR_MONTH_FORMAT"),
                    "validated": month.validated,
                    "expected": month.expected,
                    "percent": month.percent or 0,
                    "limit": limit,
                }
            )
    return warnings


def _detail_url(bulletin: Bulletin) -> str:
    return reverse("bulletins:detail", kwargs={"pk": bulletin.pk})


def _emailed(edition: Edition, count: int) -> str:
    """What publishing the edition does, and whom it emails."""
    values = {
        "language": edition.get_language_name(),
        "title": edition.title,
        "url": absolute_url(edition.get_public_url()),
        "count": count,
    }
    if edition.is_withdrawn:
        return (
            _(
                "%(language)s edition, “%(title)s”: public again at %(url)s without the "
                "withdrawal notice. Nobody is emailed: its subscribers were told when it was "
                "first published."
            )
            % values
        )
    if not count:
        return (
            _(
                "%(language)s edition, “%(title)s”: becomes public at %(url)s (its page, its "
                "PDF and its entry in the feed). Nobody is emailed: no confirmed subscriber "
                "reads %(language)s."
            )
            % values
        )
    return (
        ngettext(
            "%(language)s edition, “%(title)s”: becomes public at %(url)s (its page, its PDF "
            "and its entry in the feed), and an email announcing it goes to %(count)s "
            "confirmed subscriber who reads %(language)s, once.",
            "%(language)s edition, “%(title)s”: becomes public at %(url)s (its page, its PDF "
            "and its entry in the feed), and an email announcing it goes to the %(count)s "
            "confirmed subscribers who read %(language)s, once.",
            count,
        )
        % values
    )


def _not_published(bulletin: Bulletin, chosen: list[Edition]) -> list[str]:
    """The editions this publication leaves out, and why."""
    lines = []
    for edition in in_language_order(bulletin.editions.all()):
        if edition in chosen or (edition.is_public and not edition.is_withdrawn):
            continue
        lines.append(
            _("The %(language)s edition is not published: %(problem)s")
            % {
                "language": edition.get_language_name(),
                "problem": edition_publishable(edition).reason,
            }
        )
    return lines


def publish_confirmation(bulletin: Bulletin, form: PublishForm | None = None) -> Confirmation:
    """What publishing the bulletin's ready editions does: per edition, where it becomes
    public and how many subscribers of its language are emailed."""
    editions = publishable_editions(bulletin)
    confirmed = subscriber_counts()["confirmed"]
    new = [e for e in editions if not e.is_public]
    count = sum(confirmed.get(e.language, 0) for e in new)
    consequences = [
        _emailed(e, confirmed.get(e.language, 0) if not e.is_public else 0) for e in editions
    ]
    if new and not any(e.is_public for e in bulletin.editions.all()):
        consequences.append(
            _("The figures are frozen as they are now: later validations do not change them.")
        )
    button = (
        ngettext(
            "Publish and email %(count)s subscriber",
            "Publish and email %(count)s subscribers",
            count,
        )
        % {"count": count}
        if count
        else _("Publish")
    )
    return Confirmation(
        title=_("Publish bulletin %(number)s?") % {"number": bulletin.number},
        button=button,
        consequences=consequences,
        warnings=_not_published(bulletin, editions) + (reporting_warnings(bulletin) if new else []),
        form=form or PublishForm(editions=editions),
        cancel_url=_detail_url(bulletin),
    )


def revision_confirmation(edition: Edition, form: RevisionForm | None = None) -> Confirmation:
    """What publishing a revision does: the public page shows it with its note, earlier
    PDFs stay, the figures are kept or refreshed, and nobody is emailed unless asked."""
    current = edition.current_version
    values = {
        "language": edition.get_language_name(),
        "number": edition.bulletin.number,
        "version": current.number + 1,
        "url": absolute_url(edition.get_public_url()),
    }
    refreshed = edition.snapshot_taken_at != current.snapshot_taken_at
    figures = (
        _(
            "Its figures are today's, taken when the revision was built: they replace those "
            "it was published with. Other editions keep theirs until they are revised."
        )
        if refreshed
        else _("Its figures stay those it was published with.")
    )
    count = subscriber_counts()["confirmed"].get(edition.language, 0)
    consequences = [
        _(
            "The %(language)s edition of bulletin %(number)s becomes version %(version)s at "
            "%(url)s: its page, PDF and feed entry show the revision, with your note and "
            "today's date."
        )
        % values,
        _("The PDFs of earlier versions stay on its page, for the record."),
        figures,
        ngettext(
            "Nobody is emailed unless you tick the box below; it emails %(count)s confirmed "
            "subscriber.",
            "Nobody is emailed unless you tick the box below; it emails %(count)s confirmed "
            "subscribers.",
            count,
        )
        % {"count": count}
        if count
        else _("Nobody is emailed: no confirmed subscriber reads %(language)s.") % values,
    ]
    if edition.is_withdrawn:
        consequences.append(_("The withdrawal notice is removed."))
    return Confirmation(
        title=_("Publish the revision of the %(language)s edition of bulletin %(number)s?")
        % values,
        button=_("Publish the revision"),
        consequences=consequences,
        form=form or RevisionForm(),
        cancel_url=_detail_url(edition.bulletin),
    )


def withdraw_confirmation(bulletin: Bulletin, form: WithdrawForm | None = None) -> Confirmation:
    languages = ", ".join(e.get_language_name() for e in withdrawable_editions(bulletin))
    return Confirmation(
        title=_("Withdraw bulletin %(number)s?") % {"number": bulletin.number},
        button=_("Withdraw the bulletin"),
        consequences=[
            _(
                "Its public pages and PDFs (%(languages)s) stay online, marked as withdrawn, "
                "with your reason; the feeds say so too."
            )
            % {"languages": languages},
            _("Nobody is emailed."),
            _("You can publish it again later; its subscribers are not emailed again."),
        ],
        form=form or WithdrawForm(),
        danger=True,
        cancel_url=_detail_url(bulletin),
    )
