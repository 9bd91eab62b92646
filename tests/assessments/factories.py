"""factory_boy factories for needs assessments, their findings and attachments."""

import datetime

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from assessments.models import (
    Assessment,
    AssessmentStatus,
    AssessmentType,
    Attachment,
    AttachmentKind,
    Finding,
)
from strategy.models import HealthDomain
from tests.factories import AdminAreaFactory, OrganisationFactory


class HealthDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HealthDomain
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"domain-{n}")
    name_en = factory.Sequence(lambda n: f"Domain {n}")
    name_ar = factory.Sequence(lambda n: f"مجال {n}")
    order = factory.Sequence(lambda n: 100 + n)


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A published, public assessment; pass ``status`` for another state."""

    class Meta:
        model = Assessment
        skip_postgeneration_save = True

    title_en = factory.Sequence(lambda n: f"Assessment {n}")
    title_ar = factory.Sequence(lambda n: f"تقييم {n}")
    type = AssessmentType.RAPID
    lead_organisation = factory.SubFactory(OrganisationFactory)
    start_date = datetime.date(2025, 3, 1)
    end_date = datetime.date(2025, 3, 15)
    methodology = "Key informant interviews in every district."
    status = AssessmentStatus.PUBLISHED
    is_restricted = False
    published_at = factory.Maybe(
        factory.LazyAttribute(lambda a: a.status == AssessmentStatus.PUBLISHED),
        yes_declaration=factory.LazyFunction(timezone.now),
        no_declaration=None,
    )

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.areas.add(*extracted)

    @factory.post_generation
    def participating_organisations(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.participating_organisations.add(*extracted)


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding

    assessment = factory.SubFactory(AssessmentFactory)
    area = factory.SubFactory(AdminAreaFactory)
    domain = factory.SubFactory(HealthDomainFactory)
    severity = 3
    people_in_need = 1000


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    assessment = factory.SubFactory(AssessmentFactory)
    kind = AttachmentKind.REPORT
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4\n%%EOF\n", name="report.pdf"))
    original_name = "report.pdf"
    content_type = "application/pdf"
    size = 15
