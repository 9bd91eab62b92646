"""Security headers and the strict Content-Security-Policy, on every kind of page."""

import re

import pytest

from tests.factories import UserFactory

PAGES = {
    "home in English": ("/en/", None, 200),
    "home in Arabic": ("/ar/", None, 200),
    "login page": ("/en/accounts/login/", None, 200),
    "signup page": ("/en/accounts/signup/", None, 200),
    "health check": ("/healthz", None, 200),
    "missing page": ("/en/no-such-page/", None, 404),
    "admin index": ("/en/admin/", "site_admin", 200),
    "admin change list": ("/en/admin/locations/adminarea/", "site_admin", 200),
    "admin add form": ("/en/admin/locations/adminarea/add/", "site_admin", 200),
    "admin user form": ("/en/admin/accounts/user/add/", "site_admin", 200),
}

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


@pytest.fixture
def fetch(db, login):
    def _fetch(name):
        path, role, status = PAGES[name]
        user = UserFactory(email="ada@example.org", is_superuser=True, is_staff=True)
        client = login(user if role == "site_admin" else None)
        response = client.get(path)
        assert response.status_code == status, f"{name}: {response.status_code}"
        return response

    return _fetch


@pytest.mark.parametrize("name", PAGES)
def test_every_page_carries_a_strict_content_security_policy(fetch, name):
    policy = directives(fetch(name)["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    for sources in policy.values():
        assert "'unsafe-inline'" not in sources
        assert "'unsafe-eval'" not in sources


@pytest.mark.parametrize("name", PAGES)
def test_every_page_carries_the_browser_hardening_headers(fetch, name):
    response = fetch(name)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("name", [name for name in PAGES if name != "health check"])
def test_no_page_needs_inline_script_or_style(fetch, name):
    """The policy would block them, so a page relying on them is broken for every visitor."""
    html = fetch(name).content.decode()
    assert not INLINE_SCRIPT.findall(html), INLINE_SCRIPT.findall(html)
    assert not STYLE_ATTRIBUTE.findall(html), STYLE_ATTRIBUTE.findall(html)
    assert not STYLE_ELEMENT.findall(html)
    assert not EVENT_HANDLER.findall(html), EVENT_HANDLER.findall(html)
