"""Issue 23: the portal's emails sign with the cluster's own name, in the recipient's language,
as the cluster profile gives it (the workflow emails, the bulletin subscribers' and allauth's)."""

import pytest

from core.emails import send_to_users
from outbox.models import OutboundEmail
from strategy.models import cluster_profile
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _last_line(email: OutboundEmail) -> str:
    return email.body.strip().splitlines()[-1]


def test_a_workflow_email_signs_with_the_clusters_name_in_each_language(world):
    profile = cluster_profile()
    profile.cluster_name_en = "Gaza Health Cluster"
    profile.cluster_name_ar = "كتلة الصحة في غزة"
    profile.save()
    english = UserFactory(email="en@example.org", language="en")
    arabic = UserFactory(email="ar@example.org", language="ar")

    send_to_users(
        [english, arabic],
        "partners/join_declined",
        {"organisation": world.org_a, "by": world.user("focal")},
    )

    by_address = {email.recipient: email for email in OutboundEmail.objects.all()}
    assert _last_line(by_address["en@example.org"]) == "Gaza Health Cluster"
    assert _last_line(by_address["ar@example.org"]) == "كتلة الصحة في غزة"
