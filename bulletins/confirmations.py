"""What publishing or withdrawing a bulletin will do, said before it is done.

Publishing emails people and puts figures before the Ministry and donors: the confirmation
says how many subscribers will be emailed, in which language, and warns when the period's
reporting is thin. Withdrawing keeps the public page with the reason.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from activities.selectors import reporting_by_month
from bulletins.forms import WithdrawForm
from bulletins.models import Bulletin
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


def publish_confirmation(bulletin: Bulletin) -> Confirmation:
    language = bulletin.get_language_display()
    public = _(
        "Bulletin %(number)s, “%(title)s”, becomes public at %(url)s: its page, its PDF "
        "and its entry in the feed."
    ) % {
        "number": bulletin.number,
        "title": bulletin.title,
        "url": absolute_url(bulletin.get_public_url()),
    }
    frozen = _("Its figures are frozen as they are now: later validations do not change them.")
    if bulletin.is_public:
        # Published before, then withdrawn: its subscribers were announced it once.
        emailed = _("Nobody is emailed: its subscribers were told when it was first published.")
        button = _("Publish again")
        return Confirmation(
            title=_("Publish bulletin %(number)s again?") % {"number": bulletin.number},
            button=button,
            consequences=[public, _("The withdrawal notice is removed."), emailed],
            cancel_url=reverse("bulletins:detail", kwargs={"pk": bulletin.pk}),
        )
    count = subscriber_counts()["confirmed"].get(bulletin.language, 0)
    emailed = ngettext(
        "An email announcing it goes to %(count)s confirmed subscriber who reads "
        "%(language)s, once.",
        "An email announcing it goes to the %(count)s confirmed subscribers who read "
        "%(language)s, once.",
        count,
    ) % {"count": count, "language": language}
    if not count:
        emailed = _("Nobody is emailed: no confirmed subscriber reads %(language)s.") % {
            "language": language
        }
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
        consequences=[public, frozen, emailed],
        warnings=reporting_warnings(bulletin),
        cancel_url=reverse("bulletins:detail", kwargs={"pk": bulletin.pk}),
    )


def withdraw_confirmation(bulletin: Bulletin, form: WithdrawForm | None = None) -> Confirmation:
    return Confirmation(
        title=_("Withdraw bulletin %(number)s?") % {"number": bulletin.number},
        button=_("Withdraw the bulletin"),
        consequences=[
            _(
                "Its public page and its PDF stay online, marked as withdrawn, with your "
                "reason; the feed says so too."
            ),
            _("Nobody is emailed."),
            _("You can publish it again later; its subscribers are not emailed again."),
        ],
        form=form or WithdrawForm(),
        danger=True,
        cancel_url=reverse("bulletins:detail", kwargs={"pk": bulletin.pk}),
    )
