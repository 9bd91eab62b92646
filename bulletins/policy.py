"""Who may do what with a bulletin and its editions, and when: the bulletins' policy.

One function per action, each answering a ``core.policy.Decision`` with the reason in the
user's language. The services (``bulletins/services.py``, ``bulletins/publication.py``)
enforce them; the bulletin's page asks ``bulletin_actions`` and ``edition_actions`` which
buttons to show, and the confirmation pages say why an edition is left out.

Bulletins are the cluster team's: only coordinators (and site administrators) act on them.
- The number and months change, and every edition is built from today's figures, until an
  edition is published; then the figures are frozen and each edition is built on its own.
- An edition is published once it is ready: built from its text as it is now and from the
  bulletin's figures. A withdrawn edition without changes is published again as it was.
- A published edition is revised, never edited in place: its revision is published once it
  is built from the current text.
- A bulletin with a public, not withdrawn edition can be withdrawn.
"""

from django.utils.translation import gettext as _

from bulletins.models import BuildStatus, Bulletin, Edition, in_language_order
from core.policy import ALLOWED, Decision, first_refusal, forbid, refuse
from partners.access import is_coordinator


def can_manage(user) -> Decision:
    """Create a bulletin, and the part of every action that is about who asks.

    ``None`` is the portal itself, not a person: the demo's seed and scripts build and
    publish without anybody signed in. A request always passes its user, anonymous or not.
    """
    if user is None or is_coordinator(user):
        return ALLOWED
    return forbid(_("Only coordinators write and publish the cluster's bulletins."))


def _editions(bulletin: Bulletin) -> list[Edition]:
    return in_language_order(bulletin.editions.all())


def _not_public(bulletin: Bulletin, message: str, code: str) -> Decision:
    if any(edition.is_public for edition in bulletin.editions.all()):
        return refuse(message, code)
    return ALLOWED


# Before the first publication -------------------------------------------------------------


def can_change_settings(user, bulletin: Bulletin) -> Decision:
    """Change the number and months, until an edition is published."""
    return first_refusal(
        can_manage(user),
        _not_public(
            bulletin, _("The number and months are fixed once an edition is published."), "fixed"
        ),
    )


def can_build_all(user, bulletin: Bulletin) -> Decision:
    """Build every edition from today's figures, until an edition is published."""
    return first_refusal(
        can_manage(user),
        _not_public(
            bulletin,
            _("An edition is published, so the figures are frozen: build each edition on its own."),
            "published",
        ),
    )


def can_edit_edition(user, edition: Edition) -> Decision:
    """Write an edition's text: before its publication, or its revision after."""
    return can_manage(user)


def can_build_edition(user, edition: Edition) -> Decision:
    return can_manage(user)


# Publication ------------------------------------------------------------------------------


def edition_publishable(edition: Edition) -> Decision:
    """Can this edition be published (or published again after a withdrawal) now?"""
    if edition.is_public and not edition.is_withdrawn:
        return refuse(_("This edition is already published."), "published")
    if edition.is_withdrawn:
        if edition.has_revision:
            return refuse(
                _(
                    "This edition was changed since it was withdrawn: publish the revision, "
                    "with a note, from its edition."
                ),
                "revised",
            )
        return ALLOWED
    if edition.status != BuildStatus.READY or not edition.pdf or not edition.snapshot:
        return refuse(
            _(
                "Only a ready edition can be published: build its PDF, check it, and publish "
                "it once its status is Ready."
            ),
            "not_ready",
        )
    if not edition.pdf_shows_text:
        return refuse(_("Its text changed after its PDF was built: build it again."), "stale")
    if edition.snapshot_taken_at != edition.bulletin.snapshot_taken_at:
        return refuse(
            _(
                "It was built from other figures than the bulletin's: build it again so every "
                "edition shows the same figures."
            ),
            "other_figures",
        )
    return ALLOWED


def can_publish_edition(user, edition: Edition) -> Decision:
    return first_refusal(can_manage(user), edition_publishable(edition))


def publishable_editions(bulletin: Bulletin) -> list[Edition]:
    """The editions the Publish button would publish (or publish again after a withdrawal)."""
    editions = bulletin.editions.prefetch_related("versions").select_related("bulletin")
    return [e for e in in_language_order(editions) if edition_publishable(e)]


def can_publish(user, bulletin: Bulletin) -> Decision:
    """Publish the bulletin's ready editions (the confirmation page lets choose which)."""
    decision = can_manage(user)
    if not decision or publishable_editions(bulletin):
        return decision
    editions = _editions(bulletin)
    if editions and all(e.is_public and not e.is_withdrawn for e in editions):
        return refuse(_("Every edition is already published."), "published")
    waiting = [e for e in editions if not e.is_public or e.is_withdrawn]
    if waiting and all(e.is_withdrawn and e.has_revision for e in waiting):
        return edition_publishable(waiting[0])
    return refuse(
        _(
            "No edition is ready to publish: build the PDFs, check them, and publish once "
            "an edition's status is Ready."
        ),
        "not_ready",
    )


def can_revise(user, edition: Edition) -> Decision:
    """Publish the revision of a published edition, once it is built from its current text."""
    if not edition.is_public:
        state = refuse(
            _("This edition is not published yet: publish it from its bulletin."), "not_public"
        )
    elif not edition.revision_publishable:
        state = refuse(
            _(
                "There is no revision ready to publish: edit the edition, build it again, "
                "and publish the revision once its status is Ready."
            ),
            "no_revision",
        )
    else:
        state = ALLOWED
    return first_refusal(can_manage(user), state)


def withdrawable_editions(bulletin: Bulletin) -> list[Edition]:
    return [e for e in _editions(bulletin) if e.is_public and not e.is_withdrawn]


def can_withdraw(user, bulletin: Bulletin) -> Decision:
    """Withdraw every public edition, saying why."""
    if withdrawable_editions(bulletin):
        state = ALLOWED
    else:
        state = refuse(_("Only a published bulletin can be withdrawn."), "not_published")
    return first_refusal(can_manage(user), state)


# For the pages ----------------------------------------------------------------------------


def bulletin_actions(user, bulletin: Bulletin) -> dict[str, Decision]:
    """Every action on the bulletin's page, for its buttons: ``{% if actions.publish %}``."""
    return {
        "settings": can_change_settings(user, bulletin),
        "build_all": can_build_all(user, bulletin),
        "publish": can_publish(user, bulletin),
        "withdraw": can_withdraw(user, bulletin),
    }


def edition_actions(user, edition: Edition) -> dict[str, Decision]:
    """Every action on one edition, for the buttons of its card on the bulletin's page."""
    return {
        "edit": can_edit_edition(user, edition),
        "build": can_build_edition(user, edition),
        "revise": can_revise(user, edition),
    }
