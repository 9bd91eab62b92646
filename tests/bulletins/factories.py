"""factory_boy factories for bulletins."""

import datetime

import factory

from bulletins.models import Bulletin
from tests.factories import UserFactory


class BulletinFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bulletin

    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Health Cluster Bulletin {n + 1}")
    language = "en"
    first_month = datetime.date(2026, 1, 1)
    last_month = datetime.date(2026, 2, 1)
    highlights = "Consultations rose in the north.\nNutrition screening started in the south."
    situation_overview = "Heavy rains **displaced** families in the north."
    health_response = "Partners ran mobile clinics."
    created_by = factory.SubFactory(UserFactory, is_coordinator=True)
