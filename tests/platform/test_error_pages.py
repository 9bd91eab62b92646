import pytest

pytestmark = pytest.mark.django_db


def test_a_missing_page_says_so_in_the_portals_layout(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b'id="main"' in response.content


def test_a_missing_page_in_arabic_is_right_to_left(client):
    response = client.get("/ar/no-such-page/")
    assert response.status_code == 404
    assert b'dir="rtl"' in response.content


def test_the_favicon_is_the_portals_own(client):
    response = client.get("/en/")
    assert b'rel="icon" href="/static/img/favicon.svg"' in response.content
