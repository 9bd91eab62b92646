"""Registering a partner organisation, and its focal point keeping the profile up to date.

A registration creates the organisation (pending approval) and makes the person
who registered it its focal point, in one transaction; the coordinators are told
by email once it commits. Names are unique ignoring case, spaces and punctuation
(``partners.models.name_key``), checked first for a clear message and again by
the database for two registrations racing each other.
"""

from collections.abc import Iterable
from typing import Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.emails import send_to_users
from partners import policy
from partners.access import forget_memberships
from partners.models import (
    CURRENT_MEMBERSHIP,
    MemberRole,
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationStatus,
    name_key,
)
from partners.services.coordinators import coordinator_list


def _duplicate_name_error(name: str) -> ValidationError:
    return ValidationError(
        {
            "name_en": ValidationError(
                _(
                    "An organisation called “%(name)s” (or a name that differs only in "
                    "capitals, spaces or punctuation) is already registered. If it is yours, "
                    "ask to join it instead."
                ),
                code="duplicate_name",
                params={"name": name},
            )
        }
    )


def _check_name(name_en: str, *, exclude_pk: int | None = None) -> str:
    name_en = (name_en or "").strip()
    if not name_key(name_en):
        raise ValidationError(
            {
                "name_en": ValidationError(
                    _("Enter the organisation's name in English, with letters or digits."),
                    code="empty_name",
                )
            }
        )
    duplicates = Organisation.objects.filter(name_key=name_key(name_en))
    if exclude_pk is not None:
        duplicates = duplicates.exclude(pk=exclude_pk)
    if duplicates.exists():
        raise _duplicate_name_error(name_en)
    return name_en


def _check_areas(areas: Iterable) -> list:
    areas = list(areas or [])
    if not areas:
        raise ValidationError(
            {"areas": ValidationError(_("Choose at least one area where it works."), code="areas")}
        )
    return areas


def lock_user_without_membership(user):
    """Lock the user's row and check they hold no requested or active membership."""
    get_user_model().objects.select_for_update().get(pk=user.pk)
    current = (
        Membership.objects.select_related("organisation")
        .filter(CURRENT_MEMBERSHIP, user=user)
        .first()
    )
    policy.can_start_membership(current).enforce()


@transaction.atomic
def organisation_register(
    *,
    user,
    name_en: str,
    name_ar: str = "",
    acronym: str = "",
    type: str,
    website: str = "",
    contact_name: str,
    contact_email: str,
    contact_phone: str = "",
    logo: UploadedFile | None = None,
    areas: Iterable,
) -> Organisation:
    """Register an organisation, pending approval, with ``user`` as its focal point."""
    lock_user_without_membership(user)
    name_en = _check_name(name_en)
    areas = _check_areas(areas)
    organisation = Organisation(
        name_en=name_en,
        name_ar=(name_ar or "").strip(),
        acronym=(acronym or "").strip(),
        type=type,
        website=website or "",
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip(),
        contact_phone=(contact_phone or "").strip(),
        status=OrganisationStatus.PENDING,
        registered_by=user,
    )
    if logo:
        organisation.logo = logo
    organisation._history_user = user
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError:
        # Another registration of the same name committed between the check and the insert.
        raise _duplicate_name_error(name_en) from None
    organisation.areas.set(areas)
    membership = Membership(
        user=user,
        organisation=organisation,
        role=MemberRole.FOCAL_POINT,
        status=MembershipStatus.ACTIVE,
    )
    membership._history_user = user
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:
        raise ValidationError(
            _("You already belong to an organisation or asked to join one."),
            code="already_member",
        ) from None
    send_to_users(
        coordinator_list().exclude(pk=user.pk),
        "partners/organisation_registered",
        {"organisation": organisation, "registrant": user},
    )
    return organisation


@transaction.atomic
def organisation_update(
    *,
    organisation: Organisation,
    by,
    name_en: str,
    name_ar: str = "",
    acronym: str = "",
    type: str,
    website: str = "",
    contact_name: str,
    contact_email: str,
    contact_phone: str = "",
    logo: UploadedFile | Literal[False] | None = None,
    areas: Iterable,
) -> Organisation:
    """Update the profile of the organisation ``by`` is focal point of.

    ``logo``: a new upload replaces it, ``False`` removes it, anything else keeps it.
    """
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    forget_memberships(by)
    policy.can_edit_profile(by, organisation).enforce()
    organisation.name_en = _check_name(name_en, exclude_pk=organisation.pk)
    areas = _check_areas(areas)
    organisation.name_ar = (name_ar or "").strip()
    organisation.acronym = (acronym or "").strip()
    organisation.type = type
    organisation.website = website or ""
    organisation.contact_name = contact_name.strip()
    organisation.contact_email = contact_email.strip()
    organisation.contact_phone = (contact_phone or "").strip()
    if logo is False:
        organisation.logo = ""
    elif isinstance(logo, UploadedFile):
        organisation.logo = logo
    organisation._history_user = by
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError:
        raise _duplicate_name_error(organisation.name_en) from None
    organisation.areas.set(areas)
    return organisation
