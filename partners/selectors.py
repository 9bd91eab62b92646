"""Reads of the partners app for its members: their organisation, its people, their tasks."""

from django.db.models import Case, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.bilingual import bilingual_expression
from core.tasks import Task
from partners import access
from partners.disclosure import public_organisations
from partners.models import (
    MemberRole,
    Membership,
    Organisation,
    OrganisationStatus,
)

JOIN_SEARCH_LIMIT = 50


def organisations_to_join(query: str = "") -> QuerySet:
    """Approved organisations a person may ask to join, filtered by part of a name or acronym."""
    organisations = public_organisations()
    query = (query or "").strip()
    if query:
        organisations = organisations.filter(
            Q(name_en__icontains=query) | Q(name_ar__icontains=query) | Q(acronym__icontains=query)
        )
    return organisations.order_by(bilingual_expression("name"), "pk")


def open_request_of(user) -> Membership | None:
    """The user's request to join an organisation that nobody has answered yet."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.requested().select_related("organisation").filter(user=user).first()


def organisation_members(organisation: Organisation) -> QuerySet:
    """Active members, the focal point first, then by name."""
    return (
        Membership.objects.active()
        .filter(organisation=organisation)
        .select_related("user")
        .order_by(
            Case(When(role=MemberRole.FOCAL_POINT, then=Value(0)), default=Value(1)),
            "user__full_name",
            "user__email",
        )
    )


def join_requests(organisation: Organisation) -> QuerySet:
    """Open requests to join the organisation, oldest first."""
    return (
        Membership.objects.requested()
        .filter(organisation=organisation)
        .select_related("user")
        .order_by("created_at", "pk")
    )


def tasks_for_user(user) -> list[Task]:
    """What waits for the user in the partners app, for the My tasks page."""
    tasks: list[Task] = []
    if access.is_coordinator(user):
        pending = Organisation.objects.pending().count()
        if pending:
            tasks.append(
                Task(
                    title=_("Organisations waiting for approval"),
                    description=ngettext(
                        "%(count)d organisation waits for approval.",
                        "%(count)d organisations wait for approval.",
                        pending,
                    )
                    % {"count": pending},
                    url=reverse("partners:review_queue"),
                    count=pending,
                    kind="action",
                )
            )
    membership = access.active_membership(user)
    if membership is not None:
        organisation = membership.organisation
        if membership.is_focal_point:
            requests = join_requests(organisation).count()
            if requests:
                tasks.append(
                    Task(
                        title=_("Requests to join %(organisation)s")
                        % {"organisation": organisation.name},
                        description=ngettext(
                            "%(count)d person asks to join your organisation.",
                            "%(count)d people ask to join your organisation.",
                            requests,
                        )
                        % {"count": requests},
                        url=reverse("partners:my_organisation") + "#requests",
                        count=requests,
                        kind="action",
                    )
                )
        if organisation.status == OrganisationStatus.PENDING:
            tasks.append(
                Task(
                    title=_("Your organisation waits for approval"),
                    description=_(
                        "The cluster coordinators are reviewing the registration of "
                        "%(organisation)s. You will receive an email when they decide."
                    )
                    % {"organisation": organisation.name},
                    url=reverse("partners:my_organisation"),
                    count=1,
                    kind="waiting",
                )
            )
    else:
        request = open_request_of(user)
        if request is not None:
            tasks.append(
                Task(
                    title=_("Your request to join %(organisation)s")
                    % {"organisation": request.organisation.name},
                    description=_(
                        "The focal point of the organisation has not answered yet. "
                        "You will receive an email when they do."
                    ),
                    url=reverse("partners:start"),
                    count=1,
                    kind="waiting",
                )
            )
    return tasks
