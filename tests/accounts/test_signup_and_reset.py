"""Accounts as a person meets them: sign-up with a verified address, password reset, rate limits."""

import re
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-fresh-and-long-passphrase-42"


def link_in(message, pattern: str) -> str:
    return re.search(rf"https?://\S+{pattern}\S*/", message.body).group(0)


def path_of(link: str) -> str:
    return urlsplit(link).path


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Emails go through the outbox once the request's transaction commits; the test's never
    does, so this runs the sending queued for after it."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_signing_up_sends_a_verification_link_and_blocks_login_until_it_is_used(
    client, mailoutbox, committed
):
    with committed():
        response = client.post(
            "/en/accounts/signup/",
            {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
        )
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/confirm-email/"
    assert [m.to for m in mailoutbox] == [["new@example.org"]]

    client.logout()
    response = client.post(
        "/en/accounts/login/", {"login": "new@example.org", "password": PASSWORD}
    )
    assert response["Location"] == "/en/accounts/confirm-email/"

    link = link_in(mailoutbox[-1], "/accounts/confirm-email/")
    client.post(path_of(link))
    assert EmailAddress.objects.get(email="new@example.org").verified


def test_signing_up_with_a_taken_address_creates_nothing_and_reveals_nothing(
    client, mailoutbox, django_user_model, committed
):
    UserFactory(email="taken@example.org")
    with committed():
        response = client.post(
            "/en/accounts/signup/",
            {"email": "TAKEN@example.org", "password1": PASSWORD, "password2": PASSWORD},
        )
    # The page looks the same as for a new address, so nobody learns who has an account;
    # the owner is told by email instead.
    assert response["Location"] == "/en/accounts/confirm-email/"
    assert django_user_model.objects.filter(email__iexact="taken@example.org").count() == 1
    assert [m.to for m in mailoutbox] == [["taken@example.org"]]


def test_a_forgotten_password_is_reset_through_the_emailed_link(client, mailoutbox, committed):
    UserFactory(email="sam@example.org")
    with committed():
        client.post("/en/accounts/password/reset/", {"email": "sam@example.org"})
    assert len(mailoutbox) == 1
    path = path_of(link_in(mailoutbox[0], "/accounts/password/reset/key/"))

    form_page = client.get(path, follow=True)
    set_path = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    response = client.post(set_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302

    client.logout()
    response = client.post(
        "/en/accounts/login/", {"login": "sam@example.org", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert "/accounts/login/" not in response["Location"]


def test_repeated_wrong_passwords_for_one_address_are_rate_limited(client):
    UserFactory(email="sam@example.org")
    statuses = [
        client.post(
            "/en/accounts/login/", {"login": "sam@example.org", "password": "wrong-guess"}
        ).status_code
        for _ in range(7)
    ]
    assert statuses == [200] * 7
    # Even the right password waits while the limit holds.
    response = client.post(
        "/en/accounts/login/", {"login": "sam@example.org", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert b"Too many failed login attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_account_emails_link_to_the_site_address_in_the_portals_words(
    client, mailoutbox, committed, settings
):
    """Behind a proxy or on another port the host a request names is not the site's: the
    confirmation link once read http://127.0.0.1:8123 while the portal's emails said 8000."""
    settings.SITE_URL = "https://health-cluster.example"
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
    with committed():
        client.post(
            "/en/accounts/signup/",
            {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
            HTTP_HOST="127.0.0.1:8123",
        )
    (message,) = mailoutbox
    link = link_in(message, "/accounts/confirm-email/")
    assert link.startswith("https://health-cluster.example/en/accounts/confirm-email/")
    assert "127.0.0.1" not in message.body
    assert "Hello from" not in message.body
    assert message.subject == "[Health Cluster] Confirm your email address"
    assert "To confirm that it is yours, open this link:" in message.body
    assert message.body.rstrip().endswith("https://health-cluster.example")
    response = client.post(path_of(link))
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="new@example.org").verified


def test_signing_up_on_an_arabic_page_sends_the_email_in_arabic(client, mailoutbox, committed):
    with committed():
        client.post(
            "/ar/accounts/signup/",
            {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
        )
    (message,) = mailoutbox
    assert message.subject == "[Health Cluster] أكِّد عنوان بريدك الإلكتروني"
    assert "لتأكيد أنه لك، افتح هذا الرابط:" in message.body
    assert "/ar/accounts/confirm-email/" in link_in(message, "/accounts/confirm-email/")


def test_a_password_reset_is_written_in_the_language_the_person_chose(
    client, mailoutbox, committed
):
    UserFactory(email="sam@example.org", language="ar")
    with committed():
        client.post("/en/accounts/password/reset/", {"email": "sam@example.org"})
    (message,) = mailoutbox
    assert message.subject == "[Health Cluster] اختر كلمة مرور جديدة"
    assert "إن لم تطلب ذلك فتجاهل هذه الرسالة: تبقى كلمة مرورك كما هي." in message.body
    assert "/ar/accounts/password/reset/key/" in link_in(message, "/accounts/password/reset/key/")
