"""Activities declare the figures they collect instead of a yes-or-no "by sex and age".

An activity counted by sex and age becomes one that collects people by all four groups
(girls, boys, women and men); one counted as a single total collects a single count. The
audit history is converted the same way, so earlier versions read as they were. Report
rows are not touched: they keep their figures.
"""

from django.db import migrations, models

GROUPS = ("counts_girls", "counts_boys", "counts_women", "counts_men")
COLLECTS_CHOICES = [
    ("groups", "People by sex and age"),
    ("count", "A single count"),
    ("both", "People by sex and age, and a total"),
]
COLLECTS_HELP = (
    "People by sex and age add up to the total. With both, the total is entered apart and "
    "also counts the people not broken down by sex and age."
)


def declare_figures(apps, schema_editor):
    for name in ("Activity", "HistoricalActivity"):
        model = apps.get_model("activities", name)
        # The new fields' defaults already say "people by all four groups".
        model.objects.filter(disaggregated=False).update(
            collects="count", **dict.fromkeys(GROUPS, False)
        )


def back_to_disaggregated(apps, schema_editor):
    for name in ("Activity", "HistoricalActivity"):
        model = apps.get_model("activities", name)
        model.objects.filter(collects="count").update(disaggregated=False)


def _new_fields(model_name: str) -> list:
    return [
        migrations.AddField(
            model_name=model_name,
            name="collects",
            field=models.CharField(
                choices=COLLECTS_CHOICES,
                default="groups",
                help_text=COLLECTS_HELP,
                max_length=6,
                verbose_name="figures collected",
            ),
        ),
        *(
            migrations.AddField(
                model_name=model_name,
                name=name,
                field=models.BooleanField(default=True, verbose_name=name.replace("_", " ", 1)),
            )
            for name in GROUPS
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0003_indicator_sources"),
    ]

    operations = [
        *_new_fields("activity"),
        *_new_fields("historicalactivity"),
        migrations.RunPython(declare_figures, back_to_disaggregated),
        migrations.RemoveField(model_name="activity", name="disaggregated"),
        migrations.RemoveField(model_name="historicalactivity", name="disaggregated"),
        migrations.AddConstraint(
            model_name="activity",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    collects="count",
                    counts_girls=False,
                    counts_boys=False,
                    counts_women=False,
                    counts_men=False,
                )
                | (
                    models.Q(collects__in=["groups", "both"])
                    & (
                        models.Q(counts_girls=True)
                        | models.Q(counts_boys=True)
                        | models.Q(counts_women=True)
                        | models.Q(counts_men=True)
                    )
                ),
                name="activity_groups_fit_what_it_collects",
                violation_error_message=(
                    "Choose the groups an activity counts by sex and age, and none for a "
                    "single count."
                ),
            ),
        ),
    ]
