"""The lists a deployment starts with: SSA's types of attack, and the facility types the issue
names (coordinators change the latter). Loaded by the migration, and by the demo seed, which
may run on a database a test emptied."""

ATTACK_TYPES = [
    ("individual-weapons", "Violence with individual weapons", "عنف بأسلحة فردية"),
    ("heavy-weapons", "Violence with heavy weapons", "عنف بأسلحة ثقيلة"),
    ("threat", "Psychological violence, threat or intimidation", "عنف نفسي أو تهديد أو ترهيب"),
    ("obstruction", "Obstruction to the delivery of health care", "عرقلة تقديم الرعاية الصحية"),
    ("removal", "Removal of health care assets", "الاستيلاء على أصول الرعاية الصحية"),
    ("militarisation", "Militarisation of a health care asset", "عسكرة أحد أصول الرعاية الصحية"),
    ("arrest", "Arrest of health workers or patients", "اعتقال العاملين الصحيين أو المرضى"),
    ("abduction", "Abduction or kidnapping", "اختطاف"),
    ("assault", "Assault", "اعتداء"),
    ("search", "Armed or violent search", "تفتيش مسلح أو عنيف"),
    ("fire", "Setting fire", "إضرام النار"),
    ("chemical", "Chemical agent", "مادة كيميائية"),
    ("sexual-violence", "Sexual violence", "عنف جنسي"),
    ("other", "Other", "أخرى"),
]

FACILITY_TYPES = [
    ("hospital", "Hospital", "مستشفى", True),
    ("phc", "Primary health care centre", "مركز رعاية صحية أولية", False),
    ("mobile-clinic", "Mobile clinic", "عيادة متنقلة", False),
    (
        "field-hospital",
        "Field hospital or emergency medical team",
        "مستشفى ميداني أو فريق طبي للطوارئ",
        True,
    ),
    ("shelter-point", "Medical point in a shelter", "نقطة طبية في مركز إيواء", False),
    ("other", "Other", "أخرى", False),
]


def load_lists(AttackType, FacilityType) -> None:
    """Add the lists' entries that are missing (the models are the app's, or the
    migration's); entries already there, perhaps renamed by a coordinator, are kept."""
    for order, (code, name_en, name_ar) in enumerate(ATTACK_TYPES):
        AttackType.objects.get_or_create(
            code=code, defaults={"name_en": name_en, "name_ar": name_ar, "order": order}
        )
    for order, (code, name_en, name_ar, hospital) in enumerate(FACILITY_TYPES):
        FacilityType.objects.get_or_create(
            code=code,
            defaults={
                "name_en": name_en,
                "name_ar": name_ar,
                "is_hospital": hospital,
                "order": order,
            },
        )
