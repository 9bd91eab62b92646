"""Reads of the accounts app: the personal data a user may download."""

from datetime import datetime

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core import serializers
from django.db import models
from django.db.models.fields.reverse_related import ForeignObjectRel
from django.utils import timezone
from simple_history.models import HistoricalChanges

from accounts.models import User

# Relations covered by their own section of the export, or holding nothing the user wrote.
_OWN_SECTIONS = {
    (EmailAddress, "user"),
    (Authenticator, "user"),
}
# A record whose foreign key has one of these names belongs to the user (a membership, a
# draft); its fields are exported. Others only name the user as an author or reviewer.
_OWNER_FIELDS = {"user"}


def relations_to_user() -> list[ForeignObjectRel]:
    """Every foreign key to the user model, hidden ones (``related_name="+"``) included."""
    return [
        field
        for field in User._meta.get_fields(include_hidden=True)
        if isinstance(field, ForeignObjectRel) and (field.one_to_many or field.one_to_one)
    ]


def _fields_of(instance: models.Model) -> dict:
    return serializers.serialize("python", [instance])[0]["fields"]


def personal_data_export(*, user: User, now: datetime | None = None) -> dict:
    """Everything the portal holds about the user, as plain JSON-ready values.

    Profile, addresses and two-factor devices in full; records the user owns (memberships,
    drafts) with their fields; records they authored, submitted or reviewed by type and id;
    and how many changes of the audit history carry their name.
    """
    now = now or timezone.now()
    data: dict = {
        "generated_at": now.isoformat(),
        "profile": {
            "id": user.pk,
            "email": user.email,
            "full_name": user.full_name,
            "language": user.language,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "is_active": user.is_active,
            "is_coordinator": user.is_coordinator,
            "is_site_administrator": user.is_superuser,
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        # The secrets stay out of the file: they would let anyone holding it sign in.
        "two_factor_authentication": [
            {
                "type": authenticator.type,
                "created_at": authenticator.created_at.isoformat(),
                "last_used_at": (
                    authenticator.last_used_at.isoformat() if authenticator.last_used_at else None
                ),
            }
            for authenticator in Authenticator.objects.filter(user=user).order_by("created_at")
        ],
        "owned_records": [],
        "authored_records": [],
        "audit_history": [],
    }
    for relation in relations_to_user():
        model = relation.related_model
        field = relation.field
        if (model, field.name) in _OWN_SECTIONS or model._meta.auto_created:
            continue  # auto-created: the tables behind groups and permissions
        rows = model._default_manager.filter(**{field.name: user}).order_by("pk")
        label = model._meta.label_lower
        if issubclass(model, HistoricalChanges):
            # A history table copies its model's foreign keys; only the change's author counts.
            if field.name != "history_user":
                continue
            count = rows.count()
            if count:
                data["audit_history"].append(
                    {"type": model.instance_type._meta.label_lower, "changes": count}
                )
        elif field.name in _OWNER_FIELDS:
            for row in rows:
                data["owned_records"].append({"type": label, "id": row.pk, **_fields_of(row)})
        else:
            ids = list(rows.values_list("pk", flat=True))
            if ids:
                data["authored_records"].append(
                    {"type": label, "as": field.name, "count": len(ids), "ids": ids}
                )
    for key in ("authored_records", "audit_history"):
        data[key].sort(key=lambda entry: (entry["type"], entry.get("as", "")))
    data["owned_records"].sort(key=lambda entry: (entry["type"], entry["id"]))
    return data
