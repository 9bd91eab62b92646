"""The audit trail: every create, change and delete leaves a history row naming who did it."""

import pytest
from django.urls import reverse

from locations.models import AdminArea, AdminLevel
from tests.factories import AdminAreaFactory, UserFactory


@pytest.fixture
def site_admin(db):
    return UserFactory(email="ada@example.org", is_superuser=True, is_staff=True)


@pytest.fixture
def country(db):
    return AdminAreaFactory(pcode="ZZ", level=AdminLevel.ADMIN0, name_en="Zedland")


def admin_form(area: AdminArea, **changes) -> dict:
    values = {
        "pcode": area.pcode,
        "level": area.level,
        "parent": area.parent_id or "",
        "name_en": area.name_en,
        "name_ar": area.name_ar,
    }
    values.update(changes)
    return values


def test_creating_a_record_writes_a_creation_row(country):
    area = AdminAreaFactory(pcode="ZZ01", parent=country, name_en="North")
    (record,) = area.history.all()
    assert record.history_type == "+"
    assert record.name_en == "North"


def test_a_change_through_the_admin_records_the_user_and_keeps_the_previous_values(
    client, site_admin, country
):
    area = AdminAreaFactory(pcode="ZZ01", parent=country, name_en="North", name_ar="الشمال")
    client.force_login(site_admin)

    url = reverse("admin:locations_adminarea_change", args=[area.pk])
    response = client.post(url, admin_form(area, name_en="Northern Governorate"))
    assert response.status_code == 302, response.content.decode()[:2000]

    area.refresh_from_db()
    assert area.name_en == "Northern Governorate"
    latest, previous = area.history.all()[:2]
    assert latest.history_type == "~"
    assert latest.history_user == site_admin
    assert latest.name_en == "Northern Governorate"
    assert previous.name_en == "North"
    assert previous.name_ar == "الشمال"
    delta = latest.diff_against(previous)
    assert delta.changed_fields == ["name_en"]


def test_a_creation_through_the_admin_records_the_user(client, site_admin, country):
    client.force_login(site_admin)
    response = client.post(
        reverse("admin:locations_adminarea_add"),
        {"pcode": "ZZ02", "level": AdminLevel.ADMIN1, "parent": country.pk, "name_en": "South"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    record = AdminArea.history.get(pcode="ZZ02")
    assert record.history_type == "+"
    assert record.history_user == site_admin


def test_a_deletion_through_the_admin_leaves_a_row_with_the_last_values(
    client, site_admin, country
):
    area = AdminAreaFactory(pcode="ZZ03", parent=country, name_en="East")
    client.force_login(site_admin)

    response = client.post(
        reverse("admin:locations_adminarea_delete", args=[area.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not AdminArea.objects.filter(pk=area.pk).exists()

    record = AdminArea.history.filter(pcode="ZZ03").latest("history_date")
    assert record.history_type == "-"
    assert record.history_user == site_admin
    assert record.name_en == "East"


def test_a_change_outside_a_request_is_recorded_without_a_user(country):
    area = AdminAreaFactory(pcode="ZZ04", parent=country, name_en="West")
    area.name_en = "Western Governorate"
    area.save()
    latest = area.history.first()
    assert latest.history_type == "~"
    assert latest.history_user is None


def test_the_admin_shows_the_history_of_a_record(client, site_admin, country):
    area = AdminAreaFactory(pcode="ZZ05", parent=country, name_en="Centre")
    client.force_login(site_admin)
    response = client.get(reverse("admin:locations_adminarea_history", args=[area.pk]))
    assert response.status_code == 200
    assert "Centre" in response.content.decode()
