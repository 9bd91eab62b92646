"""factory_boy factories for the activities app (periods, catalogue, reports and rows)."""

from decimal import Decimal

import factory

from activities.models import (
    SEX_AND_AGE,
    Activity,
    ActivityUnit,
    Collects,
    Report,
    ReportingPeriod,
    ReportRow,
    RowStatus,
)
from activities.services.periods import default_window
from strategy.models import Indicator, StrategicObjective, StrategyCycle
from tests.factories import AdminAreaFactory, OrganisationFactory, UserFactory


class StrategyCycleFactory(factory.django.DjangoModelFactory):
    """The current cycle; get-or-create, since only one cycle may be current."""

    class Meta:
        model = StrategyCycle
        django_get_or_create = ["start_year", "end_year"]

    title_en = "Health Cluster Strategy 2026-2027"
    title_ar = "استراتيجية مجموعة الصحة"
    start_year = 2026
    end_year = 2027
    is_current = True


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicObjective
        django_get_or_create = ["cycle", "code"]

    cycle = factory.SubFactory(StrategyCycleFactory)
    code = "SO1"
    title_en = "Keep essential health services running"
    title_ar = "الحفاظ على الخدمات الصحية الأساسية"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    objective = factory.SubFactory(ObjectiveFactory)
    code = factory.Sequence(lambda n: f"1.{n + 1}")
    order = factory.Sequence(lambda n: n)
    name_en = factory.Sequence(lambda n: f"People reached by service {n + 1}")
    name_ar = factory.Sequence(lambda n: f"الأشخاص الذين وصلتهم الخدمة {n + 1}")
    baseline = Decimal(0)
    target = Decimal(10000)


def _period_month(n: int) -> tuple[int, int]:
    # Distinct months going back from December 2025, so sequences never collide.
    index = 2025 * 12 + 11 - n
    return index // 12, index % 12 + 1


class PeriodFactory(factory.django.DjangoModelFactory):
    """A reporting period with the default window (opens the 1st, deadline the 10th)."""

    class Meta:
        model = ReportingPeriod
        django_get_or_create = ["year", "month"]

    year = factory.Sequence(lambda n: _period_month(n)[0])
    month = factory.Sequence(lambda n: _period_month(n)[1])
    opens_at = factory.LazyAttribute(lambda p: default_window(p.year, p.month)[0])
    deadline = factory.LazyAttribute(lambda p: default_window(p.year, p.month)[1])


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity
        django_get_or_create = ["code"]
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"A{n + 1:03d}")
    name_en = factory.Sequence(lambda n: f"Outpatient consultations {n + 1}")
    name_ar = factory.Sequence(lambda n: f"الاستشارات الخارجية {n + 1}")
    indicator = factory.SubFactory(IndicatorFactory)
    unit = ActivityUnit.PEOPLE
    collects = factory.LazyAttribute(lambda a: Collects.GROUPS if a.groups else Collects.COUNT)
    counts_girls = factory.LazyAttribute(lambda a: "girls" in a.groups)
    counts_boys = factory.LazyAttribute(lambda a: "boys" in a.groups)
    counts_women = factory.LazyAttribute(lambda a: "women" in a.groups)
    counts_men = factory.LazyAttribute(lambda a: "men" in a.groups)

    class Params:
        # The sex-and-age groups it counts; none for a single count.
        groups = SEX_AND_AGE

    @factory.post_generation
    def domains(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.domains.set(extracted)


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    organisation = factory.SubFactory(OrganisationFactory)
    period = factory.SubFactory(PeriodFactory)
    created_by = factory.SubFactory(UserFactory)


def _group(name: str, value: int):
    return factory.LazyAttribute(lambda row: value if name in row.activity.groups else None)


class ReportRowFactory(factory.django.DjangoModelFactory):
    """A row with the groups its activity counts, adding up to the total (50 for a count)."""

    class Meta:
        model = ReportRow

    report = factory.SubFactory(ReportFactory)
    activity = factory.SubFactory(ActivityFactory)
    area = factory.SubFactory(AdminAreaFactory)
    implementing_organisation = factory.LazyAttribute(lambda row: row.report.organisation)
    status = RowStatus.COMPLETED
    girls = _group("girls", 10)
    boys = _group("boys", 12)
    women = _group("women", 20)
    men = _group("men", 8)
    total = factory.LazyAttribute(
        lambda row: (
            (row.girls or 0) + (row.boys or 0) + (row.women or 0) + (row.men or 0)
            if row.activity.groups
            else 50
        )
    )
