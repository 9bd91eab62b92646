"""What every demo seed does to stay idempotent: write a record only where it differs."""

from django.db import models


def save_if_changed(obj: models.Model, values: dict) -> bool:
    """Set ``values`` on ``obj`` and save it if any differed or it is new; say whether it did."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed or obj.pk is None:
        obj.save()
        return True
    return False
