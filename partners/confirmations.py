"""What approving, rejecting or suspending an organisation will do, said before it is done.

Each decision is public (the directory changes) and emails people: the confirmation names
whom, or says that nobody can be emailed, so that the coordinator can tell them otherwise.
"""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from core.confirm import Confirmation
from core.emails import emailed_people
from partners.forms.review import ReasonForm
from partners.models import Organisation
from partners.services.review import review_recipients


def who_is_emailed(organisation: Organisation) -> str:
    """The people a decision on the organisation emails, by name and address, or nobody."""
    return emailed_people(review_recipients(organisation)) or _(
        "Nobody at the organisation can be emailed (no focal point or registrant with an "
        "address the portal can use): tell them yourself."
    )


def approve_confirmation(organisation: Organisation, back: str) -> Confirmation:
    return Confirmation(
        title=_("Approve %(organisation)s?") % {"organisation": organisation.name},
        button=_("Approve %(organisation)s") % {"organisation": organisation.name},
        consequences=[
            _(
                "%(organisation)s is listed in the public directory, with its type and the "
                "areas where it works."
            )
            % {"organisation": organisation.name},
            _(
                "Its members can report for it, people can ask to join it, and its validated "
                "figures count in the cluster's figures."
            ),
            who_is_emailed(organisation),
        ],
        cancel_url=back,
    )


def reject_confirmation(
    organisation: Organisation, back: str, form: ReasonForm | None = None
) -> Confirmation:
    return Confirmation(
        title=_("Reject the registration of %(organisation)s?")
        % {"organisation": organisation.name},
        button=_("Reject %(organisation)s") % {"organisation": organisation.name},
        consequences=[
            _(
                "The registration is closed for good: the organisation is never listed, and "
                "its members leave it so that they can register again or join another one."
            ),
            _("They read your reason in the email and on their organisation's page."),
            who_is_emailed(organisation),
        ],
        cancel_url=back,
        form=form or ReasonForm(),
        danger=True,
    )


def suspend_confirmation(
    organisation: Organisation, back: str, form: ReasonForm | None = None
) -> Confirmation:
    return Confirmation(
        title=_("Suspend %(organisation)s?") % {"organisation": organisation.name},
        button=_("Suspend %(organisation)s") % {"organisation": organisation.name},
        consequences=[
            _("%(organisation)s leaves the public directory.")
            % {"organisation": organisation.name},
            _(
                "Its members can still read member pages but cannot submit anything, and it "
                "cannot take new members, until a coordinator reinstates it."
            ),
            _("Its validated figures stay in the cluster's figures."),
            who_is_emailed(organisation),
        ],
        cancel_url=back,
        form=form or ReasonForm(),
        danger=True,
    )


def review_url(name: str, organisation: Organisation, back: str) -> str:
    """The confirmation page of a decision, returning to ``back`` afterwards."""
    url = reverse(f"partners:review_{name}", kwargs={"pk": organisation.pk})
    return f"{url}?{urlencode({'next': back})}"
