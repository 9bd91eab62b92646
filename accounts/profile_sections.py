"""Sections that higher apps add to the profile page, registered at start-up by the
composition root (``cluster_portal/apps.py``), so ``accounts`` imports none of them."""

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

Section = Callable[[HttpRequest], SafeString]
_sections: list[Section] = []


def register(section: Section) -> None:
    if section not in _sections:
        _sections.append(section)


def render_sections(request: HttpRequest) -> list[SafeString]:
    return [section(request) for section in _sections]
