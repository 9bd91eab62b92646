"""Who may do what with the cluster's pages, and when: the pages' policy.

One function per action, each answering a ``core.policy.Decision`` with the reason in the
user's language. ``pages/services.py`` enforces them; the pages ask them which links and
buttons to show. Coordinators write, publish and unpublish pages; everybody reads the
published ones (``pages.selectors`` says who sees which).
"""

from django.utils.translation import gettext as _

from core.policy import ALLOWED, Decision, first_refusal, forbid, refuse
from pages.models import Page
from partners.access import is_coordinator


def can_manage(user) -> Decision:
    """Write a new page, keep drafts, and the part of every action about who asks."""
    if is_coordinator(user):
        return ALLOWED
    return forbid(_("Only coordinators write the cluster's pages."))


def can_edit(user, page: Page) -> Decision:
    """Change a page's text, order and images."""
    return can_manage(user)


def can_publish(user, page: Page) -> Decision:
    state = (
        refuse(_("This page is already published."), "published") if page.is_published else ALLOWED
    )
    return first_refusal(can_manage(user), state)


def can_unpublish(user, page: Page) -> Decision:
    state = (
        ALLOWED if page.is_published else refuse(_("This page is not published."), "unpublished")
    )
    return first_refusal(can_manage(user), state)


def page_actions(user, page: Page) -> dict[str, Decision]:
    """Every action on a page, for its links and buttons: ``{% if actions.publish %}``."""
    return {
        "edit": can_edit(user, page),
        "publish": can_publish(user, page),
        "unpublish": can_unpublish(user, page),
    }
