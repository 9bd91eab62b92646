"""The pages this hardening added (privacy, data, deletion, two-factor set-up) keep to the
strict Content-Security-Policy: no inline script or style, the QR code as a data: image."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
DATA_IMAGE = re.compile(r'<img [^>]*src="data:image/svg\+xml;base64,')


def assert_strict(html: str) -> None:
    assert not INLINE_SCRIPT.findall(html), INLINE_SCRIPT.findall(html)
    assert not STYLE_ATTRIBUTE.findall(html), STYLE_ATTRIBUTE.findall(html)
    assert not STYLE_ELEMENT.findall(html)
    assert not EVENT_HANDLER.findall(html), EVENT_HANDLER.findall(html)


@pytest.mark.parametrize("path", ["/en/privacy/", "/ar/privacy/"])
def test_the_privacy_notice(client, path):
    assert_strict(client.get(path).content.decode())


@pytest.mark.parametrize(
    "path", ["/en/accounts/profile/", "/en/accounts/profile/delete/", "/en/accounts/2fa/"]
)
def test_a_members_account_pages(world, login, path):
    response = login(world.user("staff")).get(path)
    assert response.status_code == 200
    assert_strict(response.content.decode())


def test_the_two_factor_set_up_and_the_recovery_codes(world, client):
    client.post("/en/accounts/login/", {"login": "sam@example.org", "password": PASSWORD})
    confirm = client.get("/en/accounts/2fa/totp/activate/")
    client.post(confirm["Location"], {"password": PASSWORD})

    page = client.get("/en/accounts/2fa/totp/activate/")
    html = page.content.decode()
    assert_strict(html)
    assert DATA_IMAGE.search(html)  # img-src allows data:, so the QR code shows
    assert "data:" in page["Content-Security-Policy"].split("img-src", 1)[1].split(";")[0]

    secret = page.context["form"].secret
    if 30 - time.time() % 30 < 1.5:  # let the code not expire on its way to the server
        time.sleep(1.6)
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    codes = client.post("/en/accounts/2fa/totp/activate/", {"code": code}, follow=True)
    assert "Unused codes" in codes.content.decode()
    assert_strict(codes.content.decode())
