"""Revisions of edited content: list them, compare one with the current version, restore it.

Any model with django-simple-history's ``history`` can take part: its app registers it once
with ``register_revisable(Model, label="app.model")`` in ``AppConfig.ready()``, and the
coordinators' revision pages (core/views.py) then work for it under that label. Comparisons use
simple-history's ``diff_against``; restoring copies the revision's field values (and its
many-to-many links, where the history tracks them) back onto the object, which records a new
history row with the reason "Restored revision of <date>".

A field named ``updated_by`` is set to the person who restores, never copied back.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import get_m2m_reverse_field_name

STAMP_FIELD = "updated_by"

HISTORY_TYPES = {
    "+": gettext_lazy("Created"),
    "~": gettext_lazy("Changed"),
    "-": gettext_lazy("Deleted"),
}


@dataclass(frozen=True)
class Revisable:
    model: type[models.Model]
    label: str
    exclude: frozenset[str]

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name)


_registry: dict[str, Revisable] = {}


def register_revisable(
    model: type[models.Model], *, label: str, exclude: Iterable[str] = ()
) -> Revisable:
    """Offer the model's history on the revision pages under ``label`` (e.g. "pages.page").

    ``exclude`` names fields that are neither compared nor restored.
    """
    if not hasattr(model, "history"):
        raise TypeError(f"{model.__name__} has no HistoricalRecords named 'history'.")
    existing = _registry.get(label)
    if existing is not None and existing.model is not model:
        raise ValueError(f"The revision label {label!r} is already used by {existing.model}.")
    revisable = Revisable(model=model, label=label, exclude=frozenset(exclude))
    _registry[label] = revisable
    return revisable


def get_revisable(label: str) -> Revisable:
    """The registration for ``label``; ``LookupError`` when there is none."""
    try:
        return _registry[label]
    except KeyError:
        raise LookupError(label) from None


def revisable_label(model: type[models.Model]) -> str | None:
    for revisable in _registry.values():
        if revisable.model is model:
            return revisable.label
    return None


def revisions_of(obj: models.Model) -> QuerySet:
    """The object's history records, newest first, with who made each one."""
    return obj.history.select_related("history_user").order_by("-history_date", "-history_id")


def describe_history_type(history_type: str) -> str:
    return str(HISTORY_TYPES.get(history_type, history_type))


def format_revision_date(record) -> str:
    return formats.date_format(timezone.localtime(record.history_date), "DATETIME_FORMAT")


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    revision_value: str
    current_value: str


def _display(field: models.Field, value) -> str:
    if value is None or value == "":
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return formats.date_format(value, "DATETIME_FORMAT")
    if isinstance(field, models.FileField):
        return str(getattr(value, "name", value))
    return str(value)


def _m2m_display(field: models.ManyToManyField, rows: list[dict]) -> str:
    """The linked objects of one side of an m2m diff (objects, or ids of deleted ones)."""
    target = get_m2m_reverse_field_name(field)
    values = [row[target] for row in rows if row.get(target) is not None]
    ids = [value for value in values if isinstance(value, int)]
    related = field.related_model._default_manager.in_bulk(ids) if ids else {}
    names = []
    for value in values:
        if isinstance(value, int):
            value = related.get(value, _("deleted (%(pk)s)") % {"pk": value})
        names.append(str(value))
    return ", ".join(sorted(names))


def latest_record(obj: models.Model):
    return revisions_of(obj).first()


def revision_changes(*, revisable: Revisable, obj: models.Model, revision) -> list[FieldChange]:
    """Field-by-field differences between ``revision`` and the object as it is now."""
    current = latest_record(obj)
    if current is None or current.history_id == revision.history_id:
        return []
    delta = current.diff_against(
        revision, excluded_fields=revisable.exclude, foreign_keys_are_objs=True
    )
    opts = revisable.model._meta
    changes = []
    for change in delta.changes:
        field = opts.get_field(change.field)
        if isinstance(field, models.ManyToManyField):
            old, new = _m2m_display(field, change.old), _m2m_display(field, change.new)
        elif isinstance(field, models.ForeignKey):
            old = "" if change.old is None else str(change.old)
            new = "" if change.new is None else str(change.new)
        else:
            old, new = _display(field, change.old), _display(field, change.new)
        changes.append(
            FieldChange(
                name=change.field,
                label=str(field.verbose_name),
                revision_value=old,
                current_value=new,
            )
        )
    # In the order of the form, not alphabetically.
    order = {field.name: index for index, field in enumerate(opts.get_fields())}
    changes.sort(key=lambda change: order.get(change.name, len(order)))
    return changes


def _restorable_fields(revisable: Revisable, revision) -> list[models.Field]:
    fields = []
    for field in revisable.model._meta.concrete_fields:
        if field.primary_key or not field.editable or field.name in revisable.exclude:
            continue
        if field.name == STAMP_FIELD or not hasattr(revision, field.attname):
            continue
        fields.append(field)
    return fields


@transaction.atomic
def revision_restore(*, revisable: Revisable, obj: models.Model, revision, by) -> models.Model:
    """Put the revision's values back on the object, as a new revision of it."""
    model = revisable.model
    obj = model._default_manager.select_for_update().get(pk=obj.pk)
    for field in _restorable_fields(revisable, revision):
        setattr(obj, field.attname, getattr(revision, field.attname))
    if any(field.name == STAMP_FIELD for field in model._meta.concrete_fields):
        setattr(obj, STAMP_FIELD, by)
    try:
        obj.full_clean()
    except ValidationError as error:
        messages = "; ".join(error.messages)
        raise ValidationError(
            _("This revision cannot be restored: %(problems)s"),
            code="restore_invalid",
            params={"problems": messages},
        ) from None

    m2m_fields = [
        field
        for field in getattr(revision, "_history_m2m_fields", [])
        if field.name not in revisable.exclude
    ]
    if m2m_fields:
        # The links change first without history rows of their own, so that the save
        # below records one revision holding both the fields and the links.
        obj.skip_history_when_saving = True
        try:
            for field in m2m_fields:
                target = get_m2m_reverse_field_name(field)
                ids = list(getattr(revision, field.name).values_list(target, flat=True))
                existing = field.related_model._default_manager.filter(pk__in=ids)
                getattr(obj, field.name).set(existing)
        finally:
            del obj.skip_history_when_saving

    obj._change_reason = _("Restored revision of %(date)s") % {
        "date": format_revision_date(revision)
    }
    obj._history_user = by
    obj.save()
    return obj
