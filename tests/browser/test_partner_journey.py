"""The partner journey in Chromium, as the people involved would go through it.

Amal signs up, confirms her address from the email, registers her organisation; Cora, a
coordinator, approves it from My tasks; Amal, now focal point, sees her organisation's page,
accepts her colleague Bashir's request to join and hands the focal-point role to him.
"""

import re

import pytest

from partners.models import MemberRole, Membership, MembershipStatus, Organisation
from tests.browser_fixtures import log_in
from tests.factories import PASSWORD, AdminAreaFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_up_and_confirm(page, mailoutbox, email: str) -> None:
    page.goto("/en/accounts/signup/")
    page.fill("#id_email", email)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))
    message = next(m for m in reversed(mailoutbox) if email in m.to)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    page.goto(link)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_a_new_partner_is_approved_and_hands_the_focal_point_role_to_a_colleague(
    open_context, mailoutbox
):
    AdminAreaFactory(pcode="ZZ01", name_en="North Hills", name_ar="التلال الشمالية")
    UserFactory(email="cora@example.org", full_name="Cora Coordinator", is_coordinator=True)
    UserFactory(email="bashir@example.org", full_name="Bashir Haddad")

    # Amal signs up, confirms her address and lands where she can register.
    amal = open_context()
    sign_up_and_confirm(amal, mailoutbox, "amal@example.org")
    assert "/en/partners/start/" in amal.url

    amal.get_by_role("link", name="Register an organisation").click()
    amal.fill("#id_name_en", "Amal Health Network")
    amal.fill("#id_acronym", "AHN")
    amal.select_option("#id_type", "nngo")
    amal.fill("#id_contact_name", "Amal Nasser")
    amal.fill("#id_contact_email", "amal@example.org")
    amal.fill("#id_areas__q", "North")
    amal.get_by_label(re.compile(r"North Hills \(ZZ01\)")).check()
    amal.get_by_role("button", name="Register the organisation").last.click()
    amal.wait_for_load_state()
    assert amal.get_by_role("heading", level=1).inner_text().startswith("Amal Health Network")
    assert amal.get_by_text("Waiting for approval", exact=True).is_visible()

    # Cora is told by email and finds the registration on My tasks.
    assert any("cora@example.org" in m.to for m in mailoutbox)
    cora = open_context()
    log_in(cora, "cora@example.org")
    assert cora.url.endswith("/en/tasks/")
    cora.get_by_role("link", name="Organisations waiting for approval").click()
    cora.get_by_role("link", name="Approve Amal Health Network…").click()
    cora.wait_for_url(re.compile(r"/review/\d+/approve/"))
    # The confirmation names whom the approval emails; nothing happens before its button.
    assert cora.get_by_text("amal@example.org", exact=False).count()
    assert not Organisation.objects.get(name_en="Amal Health Network").is_approved
    cora.get_by_role("button", name="Approve Amal Health Network").click()
    cora.wait_for_load_state()
    organisation = Organisation.objects.get(name_en="Amal Health Network")
    assert organisation.is_approved

    # Amal is told and sees her organisation as approved, listed in the public directory.
    assert any("amal@example.org" in m.to and "approved" in m.subject.lower() for m in mailoutbox)
    amal.goto("/en/partners/mine/")
    assert amal.get_by_text("Waiting for approval", exact=True).count() == 0
    amal.goto("/en/partners/")
    assert amal.get_by_role("link", name="Amal Health Network").count() == 1

    # Bashir asks to join; Amal accepts from her My tasks.
    bashir = open_context()
    log_in(bashir, "bashir@example.org")
    bashir.goto("/en/partners/start/?q=Amal")
    bashir.get_by_role("link", name="Ask to join Amal Health Network").click()
    bashir.get_by_role("button", name="Send the request").click()
    bashir.wait_for_load_state()

    amal.goto("/en/tasks/")
    amal.get_by_role("link", name=re.compile("Requests to join")).click()
    amal.get_by_role("button", name="Accept Bashir Haddad").click()
    amal.wait_for_load_state()
    assert (
        Membership.objects.get(
            user__email="bashir@example.org", status=MembershipStatus.ACTIVE
        ).organisation
        == organisation
    )

    # Amal hands the focal-point role to Bashir.
    amal.get_by_role("link", name=re.compile(r"Make focal point.*Bashir Haddad")).click()
    amal.locator("main form button[type=submit]").click()
    amal.wait_for_load_state()
    roles = dict(
        Membership.objects.filter(
            organisation=organisation, status=MembershipStatus.ACTIVE
        ).values_list("user__email", "role")
    )
    assert roles == {"bashir@example.org": MemberRole.FOCAL_POINT, "amal@example.org": "staff"}

    # Bashir now manages the organisation: he may edit its profile, Amal no longer may.
    bashir.goto("/en/partners/mine/edit/")
    assert bashir.get_by_role("heading", level=1).count() == 1
    assert bashir.locator("#id_name_en").input_value() == "Amal Health Network"
    response = amal.goto("/en/partners/mine/edit/")
    assert response.status in (403, 404)
