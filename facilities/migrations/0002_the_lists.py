"""The lists a deployment starts with (``facilities/defaults.py``)."""

from django.db import migrations

from facilities.defaults import load_lists


def load(apps, schema_editor):
    load_lists(apps.get_model("facilities", "AttackType"), apps.get_model("facilities", "FacilityType"))


class Migration(migrations.Migration):
    dependencies = [("facilities", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
