"""Fill the table from the reports validated before it existed."""

import datetime

from django.db import migrations

INSERT = """
INSERT INTO analysis_reach (
    report_id, month, organisation_id, implementing_organisation_id, implementing_other,
    activity_id, indicator_id, area_id, admin1_id, admin2_id,
    girls, boys, women, men, older_people, people_with_disabilities, total
)
SELECT r.report_id, %s, rep.organisation_id, r.implementing_organisation_id,
       r.implementing_other, r.activity_id, act.indicator_id, r.area_id,
       CASE a.level WHEN 1 THEN a.id WHEN 2 THEN p.id WHEN 3 THEN g.id END,
       CASE a.level WHEN 2 THEN a.id WHEN 3 THEN p.id END,
       r.girls, r.boys, r.women, r.men, r.older_people, r.people_with_disabilities, r.total
FROM activities_reportrow r
JOIN activities_report rep ON rep.id = r.report_id
JOIN activities_activity act ON act.id = r.activity_id
JOIN locations_adminarea a ON a.id = r.area_id
LEFT JOIN locations_adminarea p ON p.id = a.parent_id
LEFT JOIN locations_adminarea g ON g.id = p.parent_id
WHERE rep.period_id = %s AND rep.status = 'validated'
"""


def fill(apps, schema_editor):
    period_model = apps.get_model("activities", "ReportingPeriod")
    with schema_editor.connection.cursor() as cursor:
        for pk, year, month in period_model.objects.values_list("pk", "year", "month"):
            cursor.execute(INSERT, [datetime.date(year, month, 1), pk])


class Migration(migrations.Migration):
    dependencies = [("analysis", "0001_reach"), ("activities", "0002_imports_and_reminders")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
