"""Factories and helpers for the subscription tests."""

import re

import factory
import pytest
from django.utils import timezone

from subscribers.models import Subscriber

LINK = re.compile(r"https?://\S+")


class SubscriberFactory(factory.django.DjangoModelFactory):
    """A confirmed English subscriber unless told otherwise."""

    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"reader{n}@example.net")
    language = "en"
    confirmed_at = factory.LazyFunction(timezone.now)


def links(message) -> list[str]:
    return LINK.findall(message.body)


def link_to(message, part: str) -> str:
    """The first link in an email whose path contains ``part`` (e.g. "/confirm/")."""
    found = [link for link in links(message) if part in link]
    assert found, f"no link with {part!r} in:\n{message.body}"
    return found[0]


def path_of(url: str) -> str:
    """The path of an absolute link, for the test client."""
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the on-commit callbacks (emails, queued tasks) of what happens inside."""

    def _committed():
        return django_capture_on_commit_callbacks(execute=True)

    return _committed
