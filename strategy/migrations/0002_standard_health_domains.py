"""The ten health domains every health cluster starts with; coordinators edit them later."""

from django.db import migrations

DOMAINS = [
    ("communicable-diseases", "Communicable diseases", "الأمراض السارية"),
    ("maternal-newborn-health", "Maternal and newborn health", "صحة الأم والمولود"),
    ("child-health", "Child health", "صحة الطفل"),
    ("non-communicable-diseases", "Non-communicable diseases", "الأمراض غير السارية"),
    ("mhpss", "Mental health and psychosocial support", "الصحة النفسية والدعم النفسي الاجتماعي"),
    ("nutrition", "Nutrition", "التغذية"),
    ("trauma-injury", "Trauma and injury", "الإصابات والرضوح"),
    ("facility-functionality", "Health facility functionality", "جاهزية المرافق الصحية"),
    ("access-to-care", "Access to care", "الوصول إلى الرعاية الصحية"),
    ("wash-health-risks", "WASH-related health risks", "المخاطر الصحية المرتبطة بالمياه والصرف الصحي والنظافة"),
]


def add_domains(apps, schema_editor):
    HealthDomain = apps.get_model("strategy", "HealthDomain")
    for order, (code, name_en, name_ar) in enumerate(DOMAINS, start=1):
        HealthDomain.objects.get_or_create(
            code=code, defaults={"name_en": name_en, "name_ar": name_ar, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("strategy", "0001_health_domains")]

    operations = [migrations.RunPython(add_domains, migrations.RunPython.noop)]
