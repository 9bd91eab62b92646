"""Writes of the facility registry: facilities and their types, statuses and their review,
and the partners supporting each facility.

Each function is atomic and checks ``facilities.policy`` first (a refusal raises
``PermissionDenied``, or ``ValidationError`` for a wrong state, and changes nothing); the
content is checked next, every problem at once, as a ``ValidationError`` keyed by the form
field it concerns. Records are saved with their author for the audit history. Returning a
status tells its recorder by email, through the outbox.
"""

import datetime
import re
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import BigIntegerField, Max, Q
from django.db.models.functions import Cast, Substr
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.emails import send_to_users
from core.inputs import is_storable_text
from facilities import policy
from facilities.models import (
    Accessibility,
    BuildingCondition,
    Cause,
    Facility,
    FacilityStatus,
    FacilitySupport,
    FacilityType,
    Functionality,
    Ownership,
    ReviewState,
    SupportKind,
)
from facilities.selectors import supports
from locations import spatial
from locations.models import AdminArea, AreaBoundary
from partners.access import is_coordinator, user_organisation
from partners.models import Membership, Organisation
from strategy.models import HealthDomain

# The codes the portal gives: HF-00001, HF-00002… (more digits past 99999).
CODE_PREFIX = "HF-"
CODE_DIGITS = 5
# A code given by hand (HeRAMS', the Ministry's): letters, digits and a few separators.
CODE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")
CODE_MAX_LENGTH = Facility._meta.get_field("code").max_length
# Two coordinators adding facilities at once may draw the same code; the second tries again.
CODE_ATTEMPTS = 5
# More beds than any hospital has: a typo.
MAX_BEDS = 20_000
NOT_FULLY = (Functionality.PARTIALLY, Functionality.NOT)
SOURCE_MAX_LENGTH = FacilityStatus._meta.get_field("source").max_length

FACILITY_FIELDS = ("name_en", "name_ar", "type", "ownership", "longitude", "latitude")
TYPE_FIELDS = ("name_en", "name_ar", "is_hospital", "order")
STATUS_FIELDS = ("as_of", "functionality", "building", "accessibility", "causes", "beds", "source")


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _assign(record, values: Mapping, fields: tuple[str, ...]) -> None:
    unknown = set(values) - set(fields)
    if unknown:
        raise ValueError(f"Not set through this service: {sorted(unknown)}")
    for name, value in values.items():
        setattr(record, name, value)


def _text(value) -> str:
    return (value or "").strip()


# --- facilities ----------------------------------------------------------------------------------


# ``facility_place`` looks the coordinates up itself unless it is given what they hold.
LOOK_UP = object()


def facility_place(
    *, longitude, latitude, area: AdminArea | None, found=LOOK_UP
) -> tuple[AdminArea | None, dict[str, list[str]]]:
    """The facility's area, and the problems found: the deepest area whose boundary holds the
    coordinates when they are given (the chosen area when it lies inside that one, being
    finer than the boundaries loaded), else the chosen area. Coordinates outside every
    loaded boundary are a mistake; without any boundary loaded the chosen area is kept.

    ``found`` is the area ``locations.spatial.area_at`` gives for the coordinates, when the
    caller has placed many facilities at once (``spatial.areas_at``)."""
    if (longitude is None) != (latitude is None):
        missing = "latitude" if latitude is None else "longitude"
        return None, {missing: [_("Give both the longitude and the latitude, or neither.")]}
    if longitude is not None:
        try:
            if found is LOOK_UP:
                found = spatial.area_at(longitude, latitude)
        except ValueError:
            return None, {
                "longitude": [
                    _(
                        "The longitude must be between -180 and 180 and the latitude between "
                        "-90 and 90."
                    )
                ]
            }
        if found is not None:
            finer = area is not None and area.path.startswith(found.path)
            return (area if finer else found), {}
        if AreaBoundary.objects.exists():
            return None, {"longitude": [_outside_message(longitude, latitude)]}
    if area is None:
        return None, {
            "area": [
                _("Choose the admin area, or give the coordinates so that it is found from them.")
            ]
        }
    return area, {}


def _outside_message(longitude, latitude) -> str:
    message = _(
        "These coordinates lie outside every admin area whose boundary is loaded. Check them "
        "(decimal degrees, the longitude east and the latitude north), or leave them empty "
        "and choose the area."
    )
    swapped = abs(latitude) <= 90 and abs(longitude) <= 90
    if swapped and spatial.area_at(latitude, longitude) is not None:
        message = "{} {}".format(
            message, _("With the longitude and the latitude swapped, they would be inside.")
        )
    return message


def code_problem(code: str) -> str | None:
    """What is wrong with a code given by hand, if anything (whether it is taken apart)."""
    if len(code) > CODE_MAX_LENGTH or not CODE_PATTERN.fullmatch(code):
        return _(
            "A code has at most %(limit)d characters: letters, digits, and . _ / - without spaces."
        ) % {"limit": CODE_MAX_LENGTH}
    return None


def _given_code(code: str, facility: Facility | None) -> tuple[str, dict[str, list[str]]]:
    code = _text(code)
    if not code:
        return "", {}
    problem = code_problem(code)
    if problem:
        return "", {"code": [problem]}
    taken = Facility.objects.filter(code__iexact=code)
    if facility is not None:
        taken = taken.exclude(pk=facility.pk)
    if taken.exists():
        return "", {"code": [_("Another facility has the code %(code)s.") % {"code": code}]}
    return code, {}


def _highest_number(model) -> int:
    """The highest number of a portal code among ``model``'s rows."""
    found = model.objects.filter(code__iregex=rf"^{CODE_PREFIX}[0-9]{{1,15}}$").aggregate(
        top=Max(Cast(Substr("code", len(CODE_PREFIX) + 1), BigIntegerField()))
    )
    return found["top"] or 0


def _portal_code(number: int) -> str:
    return f"{CODE_PREFIX}{number:0{CODE_DIGITS}d}"


def next_code() -> str:
    """A code the portal never gave before: past every facility's, and every code the
    history remembers (of facilities deleted or given another code since)."""
    return next_codes(1)[0]


def next_codes(count: int, *, also_past: Iterable[str] = ()) -> list[str]:
    """``count`` codes in a row that the portal never gave before (``next_code``), past the
    portal codes of ``also_past`` too: those a file gives by hand beside rows without one."""
    pattern = re.compile(rf"{CODE_PREFIX}([0-9]{{1,15}})", re.IGNORECASE)
    given = [int(match[1]) for code in also_past if (match := pattern.fullmatch(code))]
    number = max(_highest_number(Facility), _highest_number(Facility.history.model), *given)
    return [_portal_code(number + offset) for offset in range(1, count + 1)]


def _save_with_new_code(facility: Facility) -> None:
    for _attempt in range(CODE_ATTEMPTS):
        facility.code = next_code()
        try:
            with transaction.atomic():
                facility.save()
        except IntegrityError:
            if not Facility.objects.filter(code=facility.code).exists():
                raise
        else:
            return
    raise ValidationError(
        {"code": [_("No code could be given to the facility just now: save it again.")]},
        code="no_code",
    )


def check_facility(values: Mapping) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not _text(values.get("name_en")):
        errors["name_en"] = [_("Give the facility's name in English.")]
    if values.get("ownership") not in Ownership.values:
        errors["ownership"] = [_("Choose who owns the facility.")]
    if not isinstance(values.get("type"), FacilityType):
        errors["type"] = [_("Choose the type of facility.")]
    return errors


def _save_facility(
    facility: Facility, values: Mapping, domains: Iterable[HealthDomain], by
) -> Facility:
    values = dict(values)
    code, errors = _given_code(values.pop("code", ""), facility if facility.pk else None)
    area, place_errors = facility_place(
        longitude=values.get("longitude"),
        latitude=values.get("latitude"),
        area=values.pop("area", None),
    )
    errors |= place_errors | check_facility(values)
    _raise(errors)
    values["name_en"] = _text(values["name_en"])
    values["name_ar"] = _text(values.get("name_ar"))
    _assign(facility, values, FACILITY_FIELDS)
    facility.area = area
    facility._history_user = by
    if code:
        facility.code = code
    if facility.code:
        facility.save()
    else:
        _save_with_new_code(facility)
    facility.domains.set(list(domains))
    return facility


@transaction.atomic
def facility_create(*, values: Mapping, domains: Iterable[HealthDomain] = (), by) -> Facility:
    """Add a facility. ``values`` holds the code (empty: the portal gives one), the names,
    type, ownership, area and coordinates."""
    policy.can_manage_facilities(by).enforce()
    return _save_facility(Facility(), values, domains, by)


@transaction.atomic
def facility_update(
    *, facility: Facility, values: Mapping, domains: Iterable[HealthDomain] = (), by
) -> Facility:
    """Change a facility; an empty code keeps the one it has."""
    policy.can_manage_facilities(by).enforce()
    facility = Facility.objects.select_for_update().get(pk=facility.pk)
    return _save_facility(facility, values, domains, by)


# --- facility types ------------------------------------------------------------------------------


def _check_type(values: Mapping) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not _text(values.get("name_en")):
        errors["name_en"] = [_("Give the type's name in English.")]
    return errors


@transaction.atomic
def facility_type_create(*, values: Mapping, by) -> FacilityType:
    """Add a facility type; ``values`` holds its code (fixed once given) and the rest."""
    policy.can_manage_types(by).enforce()
    values = dict(values)
    code = _text(values.pop("code", ""))
    facility_type = FacilityType(code=code)
    errors = _check_type(values)
    if not re.fullmatch(r"[-a-z0-9_]{1,40}", code):
        errors["code"] = [_("A code is lower-case letters, digits, hyphens and underscores.")]
    elif FacilityType.objects.filter(code=code).exists():
        errors["code"] = [_("Another facility type has the code %(code)s.") % {"code": code}]
    _raise(errors)
    return _save_type(facility_type, values, by)


@transaction.atomic
def facility_type_update(*, facility_type: FacilityType, values: Mapping, by) -> FacilityType:
    policy.can_manage_types(by).enforce()
    facility_type = FacilityType.objects.select_for_update().get(pk=facility_type.pk)
    _raise(_check_type(values))
    return _save_type(facility_type, dict(values), by)


def _save_type(facility_type: FacilityType, values: dict, by) -> FacilityType:
    values["name_en"] = _text(values["name_en"])
    values["name_ar"] = _text(values.get("name_ar"))
    _assign(facility_type, values, TYPE_FIELDS)
    facility_type._history_user = by
    facility_type.save()
    return facility_type


# --- statuses ------------------------------------------------------------------------------------


def clean_status(values: Mapping) -> tuple[dict, dict[str, list[str]]]:
    """The status's values as they are stored, and the problems found, by field: the rules
    of the form, and of each row of an imported sheet (``facilities.imports``)."""
    clean = {name: values.get(name) for name in STATUS_FIELDS}
    errors: dict[str, list[str]] = {}
    as_of = clean["as_of"]
    if not isinstance(as_of, datetime.date):
        errors["as_of"] = [_("Give the day the status was observed.")]
    elif as_of > timezone.localdate():
        errors["as_of"] = [_("A status cannot be dated after today.")]
    for name, choices in (
        ("functionality", Functionality),
        ("building", BuildingCondition),
        ("accessibility", Accessibility),
    ):
        if clean[name] not in choices.values:
            errors[name] = [_("Choose one of the answers.")]
    causes = clean["causes"] or []
    unknown = [cause for cause in causes if cause not in Cause.values]
    if unknown:
        errors["causes"] = [_("%(cause)s is not a known cause.") % {"cause": unknown[0]}]
    clean["causes"] = [cause for cause in Cause.values if cause in causes]
    if clean["functionality"] == Functionality.FULLY and clean["causes"]:
        errors["causes"] = [_("A fully functioning facility has no causes: leave them empty.")]
    elif clean["functionality"] in NOT_FULLY and not clean["causes"] and not unknown:
        errors["causes"] = [
            _("Say why the facility is not fully functioning: choose at least one cause.")
        ]
    beds = clean["beds"]
    if beds is not None and (
        isinstance(beds, bool) or not isinstance(beds, int) or not 0 <= beds <= MAX_BEDS
    ):
        errors["beds"] = [_("Give the beds as a number from 0 to %(limit)d.") % {"limit": MAX_BEDS}]
    clean["source"] = _text(clean["source"])
    if not clean["source"]:
        errors["source"] = [_("Say where the status comes from (a visit, a call, a report).")]
    elif len(clean["source"]) > SOURCE_MAX_LENGTH or not is_storable_text(clean["source"]):
        errors["source"] = [
            _("Write the source in at most %(limit)d characters.") % {"limit": SOURCE_MAX_LENGTH}
        ]
    return clean, errors


def _support_problem(
    organisation: Organisation | None, facility: Facility, as_of, field: str
) -> dict[str, list[str]]:
    """The organisation must have supported the facility on the status's date (the cluster
    itself, no organisation, records any)."""
    if organisation is None or not isinstance(as_of, datetime.date):
        return {}
    if supports(organisation, facility, as_of):
        return {}
    return {field: [not_supported_message(organisation, as_of)]}


def not_supported_message(organisation: Organisation, as_of: datetime.date) -> str:
    return _(
        "%(organisation)s did not support this facility on %(date)s: record the status "
        "of a day it did, or ask the coordinators to correct its support."
    ) % {
        "organisation": organisation.name,
        "date": formats.date_format(as_of, "DATE_FORMAT"),
    }


@transaction.atomic
def status_record(
    *, facility: Facility, values: Mapping, by, organisation: Organisation | None = None
) -> FacilityStatus:
    """Record a facility's status for review. ``organisation`` is the partner a coordinator
    records it for (none: the cluster's own); a member records for their organisation."""
    policy.can_record_status(by, facility).enforce()
    if not is_coordinator(by):
        organisation = organisation or user_organisation(by)
    policy.can_record_for(by, organisation).enforce()
    clean, errors = clean_status(values)
    field = "organisation" if is_coordinator(by) else "as_of"
    if organisation is not None and not organisation.is_approved:
        errors["organisation"] = [
            _("%(organisation)s is not an approved partner organisation.")
            % {"organisation": organisation.name}
        ]
    elif "as_of" not in errors:
        errors |= _support_problem(organisation, facility, clean["as_of"], field)
    _raise(errors)
    status = FacilityStatus(
        facility=facility,
        organisation=organisation,
        recorded_by=by,
        state=ReviewState.SUBMITTED,
        **clean,
    )
    status._history_user = by
    status.save()
    return status


def _locked(status: FacilityStatus) -> FacilityStatus:
    """The status re-read under a row lock, so that two people cannot review it at once."""
    return (
        FacilityStatus.objects.select_for_update(of=("self",))
        .select_related("facility", "organisation", "recorded_by")
        .get(pk=status.pk)
    )


@transaction.atomic
def status_update(*, status: FacilityStatus, values: Mapping, by) -> FacilityStatus:
    """Correct a returned status; it goes back to review, the comment kept until then."""
    status = _locked(status)
    policy.can_edit_status(by, status).enforce()
    clean, errors = clean_status(values)
    if "as_of" not in errors:
        errors |= _support_problem(status.organisation, status.facility, clean["as_of"], "as_of")
    _raise(errors)
    for name, value in clean.items():
        setattr(status, name, value)
    status.state = ReviewState.SUBMITTED
    status._history_user = by
    status.save()
    return status


@transaction.atomic
def status_validate(*, status: FacilityStatus, by) -> FacilityStatus:
    """Validate a submitted status: from now on it may be the facility's current status."""
    status = _locked(status)
    policy.can_validate(by, status).enforce()
    status.state = ReviewState.VALIDATED
    status.reviewed_by = by
    status.reviewed_at = timezone.now()
    status.review_comment = ""
    status._history_user = by
    status.save()
    return status


def told_of_return(status: FacilityStatus) -> list:
    """Who is emailed when the status is returned: its recorder while still a member of its
    organisation (or, for the cluster's own status, the coordinator who recorded it),
    otherwise the organisation's focal points."""
    recorder = status.recorded_by
    if status.organisation_id is None:
        return [recorder] if recorder is not None and recorder.is_cluster_coordinator else []
    members = list(
        Membership.objects.active()
        .filter(organisation_id=status.organisation_id)
        .select_related("user")
    )
    if recorder is not None and any(member.user_id == recorder.pk for member in members):
        return [recorder]
    return [member.user for member in members if member.is_focal_point]


@transaction.atomic
def status_return(*, status: FacilityStatus, by, comment: str) -> FacilityStatus:
    """Return a submitted status to its organisation with what to correct, and tell them."""
    status = _locked(status)
    policy.can_return(by, status).enforce()
    comment = _text(comment)
    if not comment:
        raise ValidationError(
            {"comment": _("Say what should be corrected.")}, code="comment_required"
        )
    status.state = ReviewState.RETURNED
    status.reviewed_by = by
    status.reviewed_at = timezone.now()
    status.review_comment = comment
    status._history_user = by
    status.save()
    send_to_users(
        told_of_return(status),
        "facilities/status_returned",
        {"status": status, "facility": status.facility, "by": by, "comment": comment},
    )
    return status


# --- supports ------------------------------------------------------------------------------------


@transaction.atomic
def support_add(
    *,
    facility: Facility,
    organisation: Organisation,
    kind: str,
    start: datetime.date,
    end: datetime.date | None = None,
    by,
) -> FacilitySupport:
    """Record that a partner supports the facility from ``start`` (until ``end``, if known)."""
    policy.can_manage_supports(by).enforce()
    errors: dict[str, list[str]] = {}
    if not organisation.is_approved:
        errors["organisation"] = [
            _("%(organisation)s is not an approved partner organisation.")
            % {"organisation": organisation.name}
        ]
    if kind not in SupportKind.values:
        errors["kind"] = [_("Choose the kind of support.")]
    if end is not None and end < start:
        errors["end"] = [_("The support cannot end before it starts.")]
    if not errors:
        overlapping = FacilitySupport.objects.filter(
            Q(end__isnull=True) | Q(end__gte=start),
            facility=facility,
            organisation=organisation,
            kind=kind,
        )
        if end is not None:
            overlapping = overlapping.filter(start__lte=end)
        if overlapping.exists():
            errors["start"] = [
                _(
                    "%(organisation)s already gives this support to the facility over part of "
                    "that period: end that support first, or change the dates."
                )
                % {"organisation": organisation.name}
            ]
    _raise(errors)
    support = FacilitySupport(
        facility=facility, organisation=organisation, kind=kind, start=start, end=end
    )
    support._history_user = by
    support.save()
    return support


@transaction.atomic
def support_end(*, support: FacilitySupport, end: datetime.date, by) -> FacilitySupport:
    """Record the last day of a partner's support."""
    support = FacilitySupport.objects.select_for_update().get(pk=support.pk)
    policy.can_end_support(by, support).enforce()
    if end < support.start:
        raise ValidationError(
            {
                "end": _("The support cannot end before it started, on %(date)s.")
                % {"date": formats.date_format(support.start, "DATE_FORMAT")}
            },
            code="reversed_dates",
        )
    support.end = end
    support._history_user = by
    support.save()
    return support
