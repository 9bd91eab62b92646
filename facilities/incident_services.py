"""Writes of attacks on health care: report, correct, verify and dismiss an incident.

Each function is atomic: the incident row is locked, the action is checked against
``facilities.incident_policy`` (a refusal raises ``PermissionDenied``, or
``ValidationError`` for a wrong state, and changes nothing), the change is recorded with its
author for the audit history, and whoever is next is told through the outbox, in their
language: the coordinators of a partner's report, the reporting organisation's focal point
and reporter of the verification or dismissal. The emails never carry the description or
the source.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.emails import send_to_users
from facilities import incident_policy as policy
from facilities.models import AttackType, Facility, Incident, IncidentState, Resource
from locations.models import AdminArea, AdminLevel
from partners.access import is_coordinator, user_organisation
from partners.models import MemberRole, Membership
from partners.services.coordinators import coordinator_list

# More killed or injured in one incident than this is a typo, not a record.
MAX_CASUALTIES = 100_000

LINKS = ("area", "facility", "organisation", "reported_by", "verified_by")
COUNT_FIELDS = (
    "health_workers_killed",
    "health_workers_injured",
    "patients_killed",
    "patients_injured",
)


@dataclass(frozen=True)
class IncidentValues:
    """What a person says of an incident, as the form read it."""

    date: datetime.date
    area: AdminArea | None
    source: str
    certainty: str
    attack_types: Sequence[AttackType]
    facility: Facility | None = None
    resources: Sequence[str] = field(default_factory=tuple)
    health_workers_killed: int = 0
    health_workers_injured: int = 0
    patients_killed: int = 0
    patients_injured: int = 0
    description: str = ""


# --- helpers -----------------------------------------------------------------------------------


def _locked(incident: Incident) -> Incident:
    """The incident re-read under a row lock, so two people cannot move it at once."""
    return (
        Incident.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=incident.pk)
    )


def _area(values: IncidentValues) -> AdminArea:
    """The area the incident is counted in: the one chosen, or the facility's."""
    area = values.area
    facility = values.facility
    if area is None and facility is not None:
        area = facility.area
    if area is None:
        raise ValidationError(
            {"area": _("Choose the area where it happened, or the facility affected.")},
            code="no_area",
        )
    if area.level < AdminLevel.ADMIN1:
        # The public counts are by admin1 area: a whole country cannot be placed in one.
        raise ValidationError(
            {"area": _("Choose an admin1 area or a smaller one, not the whole country.")},
            code="area_too_large",
        )
    if facility is not None and not facility.area.path.startswith(area.path):
        raise ValidationError(
            {
                "area": _(
                    "%(facility)s is in %(facility_area)s, which is not inside %(area)s. "
                    "Choose the facility's area or one that contains it."
                )
                % {"facility": facility.name, "facility_area": facility.area, "area": area}
            },
            code="facility_outside_area",
        )
    return area


def _checked(values: IncidentValues) -> tuple[AdminArea, list[AttackType], list[str]]:
    """The area, the attack types and the resources, checked; a ValidationError names every
    field that is wrong."""
    errors: dict[str, list[str]] = {}
    area = None
    try:
        area = _area(values)
    except ValidationError as error:
        errors.update(error.message_dict)
    if values.date > timezone.localdate():
        errors["date"] = [_("The date cannot be in the future.")]
    types = list(dict.fromkeys(values.attack_types))
    if not types:
        errors["attack_types"] = [_("Choose at least one type of attack.")]
    elif any(not isinstance(kind, AttackType) or kind.pk is None for kind in types):
        errors["attack_types"] = [_("Choose the types of attack from the list.")]
    unknown = [code for code in values.resources if code not in Resource.values]
    if unknown:
        errors["resources"] = [_("Choose the resources affected from the list.")]
    for name in COUNT_FIELDS:
        count = getattr(values, name)
        if not isinstance(count, int) or count < 0:
            errors[name] = [_("Enter a number of people, 0 or more.")]
        elif count > MAX_CASUALTIES:
            errors[name] = [
                _("Enter a number no larger than %(limit)s.")
                % {"limit": number_format(MAX_CASUALTIES, force_grouping=True)}
            ]
    if errors:
        raise ValidationError(errors, code="invalid")
    # SSA's order, whatever order the boxes were ticked in.
    resources = [code for code in Resource.values if code in set(values.resources)]
    return area, types, resources


def _assign(incident: Incident, values: IncidentValues, area: AdminArea, resources: list[str]):
    incident.date = values.date
    incident.area = area
    incident.facility = values.facility
    incident.resources = resources
    for name in COUNT_FIELDS:
        setattr(incident, name, getattr(values, name))
    incident.description = values.description.strip()
    incident.source = values.source.strip()
    incident.certainty = values.certainty


def _save(incident: Incident, by, types: list[AttackType]) -> Incident:
    # The links were read from the database just now: checking them again costs a query each.
    incident.full_clean(exclude=[*LINKS, "attack_types"])
    incident._history_user = by
    incident.save()
    incident.attack_types.set(types)
    return incident


def incident_contacts(incident: Incident) -> list:
    """Whom a decision on the incident is told: the reporting organisation's focal point and
    whoever reported it, once each; nobody for a coordinator's own report."""
    if incident.organisation_id is None:
        return []
    users = [
        membership.user
        for membership in Membership.objects.active()
        .filter(organisation_id=incident.organisation_id, role=MemberRole.FOCAL_POINT)
        .select_related("user")
    ]
    if incident.reported_by_id and all(user.pk != incident.reported_by_id for user in users):
        users.append(incident.reported_by)
    return users


# --- the workflow ------------------------------------------------------------------------------


@transaction.atomic
def incident_report(*, values: IncidentValues, by) -> Incident:
    """Record an incident, to be verified. A partner's report is the organisation's; a
    coordinator's is the cluster's own (no organisation)."""
    policy.can_report(by).enforce()
    area, types, resources = _checked(values)
    coordinator = is_coordinator(by)
    incident = Incident(
        state=IncidentState.REPORTED,
        organisation=None if coordinator else user_organisation(by),
        reported_by=by,
    )
    _assign(incident, values, area, resources)
    _save(incident, by, types)
    if not coordinator:
        reviewers = [user for user in coordinator_list() if user.pk != by.pk]
        send_to_users(reviewers, "incidents/reported", {"incident": incident, "by": by})
    return incident


@transaction.atomic
def incident_update(*, incident: Incident, values: IncidentValues, by) -> Incident:
    """Change an incident: its organisation while it is to be verified, or a coordinator's
    correction in any state. The state stays as it was."""
    incident = _locked(incident)
    policy.can_edit(by, incident).enforce()
    area, types, resources = _checked(values)
    _assign(incident, values, area, resources)
    return _save(incident, by, types)


@transaction.atomic
def incident_verify(*, incident: Incident, by) -> Incident:
    """Verify a reported incident: from now on it counts in the public figures."""
    incident = _locked(incident)
    policy.can_verify(by, incident).enforce()
    incident.state = IncidentState.VERIFIED
    incident.verified_by = by
    incident.verified_at = timezone.now()
    incident.review_comment = ""
    incident._history_user = by
    incident.save(update_fields=["state", "verified_by", "verified_at", "review_comment"])
    send_to_users(
        incident_contacts(incident), "incidents/verified", {"incident": incident, "by": by}
    )
    return incident


@transaction.atomic
def incident_dismiss(*, incident: Incident, by, comment: str) -> Incident:
    """Dismiss a reported incident, saying why: it is kept, and never counted."""
    incident = _locked(incident)
    policy.can_dismiss(by, incident).enforce()
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            {"comment": _("Say why the incident is dismissed.")}, code="comment_required"
        )
    incident.state = IncidentState.DISMISSED
    incident.review_comment = comment
    incident._history_user = by
    incident.save(update_fields=["state", "review_comment"])
    send_to_users(
        incident_contacts(incident),
        "incidents/dismissed",
        {"incident": incident, "by": by, "comment": comment},
    )
    return incident
