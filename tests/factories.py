"""factory_boy factories for the portal's models."""

import factory
from django.contrib.auth import get_user_model

from locations.models import AdminArea, AdminLevel
from partners.models import (
    MemberRole,
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationStatus,
    OrganisationType,
)

PASSWORD = "correct-horse-battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """Give the user a verified primary address, as allauth expects for login."""
        if not create:
            return
        from allauth.account.models import EmailAddress

        EmailAddress.objects.get_or_create(
            user=obj,
            email=obj.email,
            defaults={"verified": extracted is not False, "primary": True},
        )


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdminArea
        django_get_or_create = ["pcode"]

    level = AdminLevel.ADMIN0
    pcode = "ZZ"
    name_en = "Testland"
    name_ar = "أرض الاختبار"
    parent = None


class AdminAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdminArea
        django_get_or_create = ["pcode"]

    level = AdminLevel.ADMIN1
    # A country has no parent; any other area defaults to one under the test country.
    parent = factory.Maybe(
        factory.LazyAttribute(lambda area: area.level == AdminLevel.ADMIN0),
        yes_declaration=None,
        no_declaration=factory.SubFactory(CountryFactory),
    )
    pcode = factory.Sequence(lambda n: f"ZZ{n:03d}")
    name_en = factory.Sequence(lambda n: f"Area {n}")
    name_ar = factory.Sequence(lambda n: f"منطقة {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name_en = factory.Sequence(lambda n: f"Organisation {n}")
    acronym = factory.Sequence(lambda n: f"ORG{n}")
    type = OrganisationType.NATIONAL_NGO
    contact_name = factory.Faker("name")
    contact_email = factory.Sequence(lambda n: f"contact{n}@example.org")
    status = OrganisationStatus.APPROVED


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = MemberRole.STAFF
    status = MembershipStatus.ACTIVE
