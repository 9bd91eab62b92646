"""A public identifier for every organisation, existing ones included: a random UUID each."""

import uuid

from django.db import migrations, models


def fill_public_ids(apps, schema_editor):
    Organisation = apps.get_model("partners", "Organisation")
    HistoricalOrganisation = apps.get_model("partners", "HistoricalOrganisation")
    for organisation in Organisation.objects.filter(public_id__isnull=True).only("pk"):
        public_id = uuid.uuid4()
        Organisation.objects.filter(pk=organisation.pk).update(public_id=public_id)
        HistoricalOrganisation.objects.filter(id=organisation.pk).update(public_id=public_id)
    # The history of organisations deleted before: an identifier of their own, never used.
    gone = HistoricalOrganisation.objects.filter(public_id__isnull=True).values_list("id", flat=True)
    for pk in set(gone):
        HistoricalOrganisation.objects.filter(id=pk).update(public_id=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="public_id",
            field=models.UUIDField(editable=False, null=True, verbose_name="public identifier"),
        ),
        migrations.AddField(
            model_name="historicalorganisation",
            name="public_id",
            field=models.UUIDField(
                db_index=True, editable=False, null=True, verbose_name="public identifier"
            ),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="organisation",
            name="public_id",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="public identifier"
            ),
        ),
        migrations.AlterField(
            model_name="historicalorganisation",
            name="public_id",
            field=models.UUIDField(
                db_index=True, default=uuid.uuid4, editable=False, verbose_name="public identifier"
            ),
        ),
    ]
