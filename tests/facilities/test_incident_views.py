"""The pages of attacks on health care over HTTP, as each role sees them."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from facilities.models import Incident, IncidentState
from outbox.models import OutboundEmail
from tests.facilities.incident_factories import (
    DESCRIPTION,
    SOURCE,
    attack_types,
    district,
    facility,
    form_data,
    incident,
    reported,
    verified,
)
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

LIST = reverse("incidents:list")


def _page(client, url: str, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


# --- reporting ---------------------------------------------------------------------------------


def test_a_partner_reports_an_attack(world, login):
    client = login(world.user("staff"))
    response = client.post(reverse("incidents:report"), form_data(world))
    created = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("incidents:detail", kwargs={"pk": created.pk})
    assert created.organisation == world.org_a
    assert created.state == IncidentState.REPORTED
    assert created.patients_killed == 1
    assert created.patients_injured == 0
    assert sorted(kind.code for kind in created.attack_types.all()) == ["fire", "heavy-weapons"]
    page = client.get(response["Location"]).content.decode()
    assert "The attack is reported." in page
    assert DESCRIPTION not in page  # the form's own description
    assert "Shelling hit the emergency ward." in page


def test_the_form_offers_the_types_and_resources_as_checkboxes(world, login):
    page = _page(login(world.user("focal")), reverse("incidents:report"))
    assert page.count('name="attack_types"') == 14
    assert page.count('name="resources"') == 6
    assert 'type="checkbox"' in page
    assert 'name="area__q"' in page  # the area picker


def test_a_refused_report_says_why_and_saves_nothing(world, login):
    client = login(world.user("focal"))
    response = client.post(reverse("incidents:report"), form_data(world, attack_types=[]))
    assert response.status_code == 400
    assert "Choose at least one type of attack." in response.content.decode()
    response = client.post(reverse("incidents:report"), form_data(world, date="2999-01-01"))
    assert response.status_code == 400
    assert "The date cannot be in the future." in response.content.decode()
    assert not Incident.objects.exists()


def test_the_facility_is_named_by_its_code_and_gives_its_area(world, login):
    hospital = facility(district(world.area, "ZZ0101"), code="HF-042")
    client = login(world.user("focal"))
    response = client.post(
        reverse("incidents:report"), form_data(world, area="", facility="HF-042")
    )
    assert response.status_code == 302
    created = Incident.objects.get()
    assert created.facility == hospital
    assert created.area == hospital.area
    response = client.post(reverse("incidents:report"), form_data(world, facility="NOPE"))
    assert response.status_code == 400
    assert "No facility in the registry has this code." in response.content.decode()


def test_a_partner_corrects_its_report_until_it_is_verified(world, login):
    record = reported(world)
    client = login(world.user("staff"))
    url = reverse("incidents:edit", kwargs={"pk": record.pk})
    page = _page(client, url)
    assert 'value="2025-04-14"' in page
    assert SOURCE in page
    response = client.post(url, form_data(world, source="A nurse on duty"))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.source == "A nurse on duty"


# --- what each person reads --------------------------------------------------------------------


def test_the_coordinators_and_the_reporting_organisation_read_description_and_source(world, login):
    record = verified(world)
    url = reverse("incidents:detail", kwargs={"pk": record.pk})
    for role in ("coordinator", "focal", "staff"):
        page = _page(login(world.user(role)), url)
        assert DESCRIPTION in page, role
        assert SOURCE in page, role
        assert "Alpha Health" in page


def test_other_members_never_see_description_source_or_reporter(world, login):
    record = verified(world)
    client = login(world.user("other_member"))
    for page in (
        _page(client, reverse("incidents:detail", kwargs={"pk": record.pk})),
        _page(client, LIST),
        _page(client, LIST, state="verified", area="ZZ01"),
    ):
        assert DESCRIPTION not in page
        assert SOURCE not in page
        assert "Alpha Health" not in page
    detail = _page(client, reverse("incidents:detail", kwargs={"pk": record.pk}))
    assert "Violence with heavy weapons" in detail


def test_the_list_shows_verified_incidents_and_the_organisations_own(world, login):
    record = reported(world, source="Ours, waiting")
    verified(world)
    incident(
        area=world.area,
        date=datetime.date(2025, 1, 5),
        state=IncidentState.REPORTED,
        organisation=world.org_b,
    )
    own = login(world.user("staff")).get(LIST).context["incidents"]
    assert {row.pk for row in own} == set(
        Incident.objects.filter(organisation=world.org_a).values_list("pk", flat=True)
    )
    other = login(world.user("other_member")).get(LIST).context["incidents"]
    assert record.pk not in {row.pk for row in other}
    assert {row.state for row in other} <= {IncidentState.VERIFIED, IncidentState.REPORTED}
    assert len(other) == 2  # A's verified one and B's own
    everything = login(world.user("coordinator")).get(LIST).context["incidents"]
    assert len(everything) == 3


def test_the_list_filters_by_months_area_type_and_state(world, login):
    north_district = district(world.area, "ZZ0101")
    incident(area=north_district, date=datetime.date(2025, 3, 31), types=("fire",))
    incident(area=world.area, date=datetime.date(2025, 4, 1), types=("heavy-weapons",))
    incident(
        area=world.area,
        date=datetime.date(2025, 5, 2),
        types=("fire",),
        state=IncidentState.REPORTED,
    )
    client = login(world.user("coordinator"))

    def dates(**params) -> list[str]:
        rows = client.get(LIST, params).context["incidents"]
        return [row.date.isoformat() for row in rows]

    assert dates() == ["2025-05-02", "2025-04-01", "2025-03-31"]
    assert dates(first_month="2025-04", last_month="2025-04") == ["2025-04-01"]
    assert dates(last_month="2025-03") == ["2025-03-31"]
    assert dates(area="ZZ0101") == ["2025-03-31"]
    assert dates(type="fire") == ["2025-05-02", "2025-03-31"]
    assert dates(state="reported") == ["2025-05-02"]
    # A filter that cannot be read is left out, not an error page.
    assert len(dates(first_month="soon", type="nothing")) == 3


# --- the coordinators' review ------------------------------------------------------------------


def test_the_queue_lists_reported_incidents_first_reported_first(world, login):
    first = reported(world, source="First")
    second = reported(world, source="Second", date=datetime.date(2025, 1, 1))
    verified(world)
    client = login(world.user("coordinator"))
    rows = client.get(reverse("incidents:queue")).context["incidents"]
    assert [row.pk for row in rows] == [first.pk, second.pk]


def test_verifying_asks_first_then_verifies_and_tells_the_organisation(world, login):
    record = reported(world, by="staff")
    client = login(world.user("coordinator"))
    url = reverse("incidents:verify", kwargs={"pk": record.pk})
    page = _page(client, url)
    assert "Verify the attack" in page
    assert "sam@example.org" in page
    assert "alice@example.org" in page
    assert Incident.objects.get().state == IncidentState.REPORTED
    OutboundEmail.objects.all().delete()
    response = client.post(url, follow=True)
    assert Incident.objects.get().state == IncidentState.VERIFIED
    assert "The attack is verified. 2 people are told by email." in response.content.decode()
    assert OutboundEmail.objects.count() == 2


def test_dismissing_asks_why(world, login):
    record = reported(world)
    client = login(world.user("coordinator"))
    url = reverse("incidents:dismiss", kwargs={"pk": record.pk})
    assert 'name="comment"' in _page(client, url)
    response = client.post(url, {"comment": ""})
    assert response.status_code == 400
    assert "Say why the incident is dismissed." in response.content.decode()
    response = client.post(url, {"comment": "Reported twice."})
    assert response["Location"] == reverse("incidents:queue")
    record.refresh_from_db()
    assert (record.state, record.review_comment) == (IncidentState.DISMISSED, "Reported twice.")
    page = _page(login(world.user("focal")), reverse("incidents:detail", kwargs={"pk": record.pk}))
    assert "Reported twice." in page


def test_verifying_twice_sends_back_with_the_reason(world, login):
    record = verified(world)
    client = login(world.user("coordinator"))
    response = client.get(reverse("incidents:verify", kwargs={"pk": record.pk}), follow=True)
    assert "Only an incident still to be verified can be verified" in response.content.decode()


# --- the SSA export ----------------------------------------------------------------------------


def _rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_export_holds_the_verified_incidents_in_ssas_shape(world, login):
    hill = district(world.area, "ZZ0101", "Hill District")
    hospital = facility(hill, code="HF-7")
    verified(
        world,
        area=hill,
        facility=hospital,
        attack_types=attack_types("heavy-weapons", "fire"),
        source='=HYPERLINK("http://evil")',
    )
    reported(world, source="Not verified yet")
    client = login(world.user("coordinator"))
    rows = _rows(client.get(reverse("incidents:export", kwargs={"fmt": "hxl"})))
    header, tags, line = rows[0], rows[1], rows[2:]
    assert len(line) == 1
    record = dict(zip(header, line[0], strict=True))
    assert tags[:8] == [
        "#event+id",
        "#date+occurred",
        "#country+name",
        "#country+code",
        "#adm1+name",
        "#adm1+code",
        "#adm2+name",
        "#adm2+code",
    ]
    assert "#affected+killed+hcw" in tags
    assert "#loc+code" in tags
    assert record["Date"] == "2025-04-14"
    assert (record["Country p-code"], record["Admin 1 p-code"], record["Admin 2 p-code"]) == (
        "ZZ",
        "ZZ01",
        "ZZ0101",
    )
    assert record["Admin 1"] == "North"
    assert record["Admin 2"] == "Hill District"
    assert (record["Health facility"], record["Health facility code"]) == ("North Hospital", "HF-7")
    assert record["Types of attack"] == "Violence with heavy weapons; Setting fire"
    assert record["Resources affected"] == "Health facility; Health personnel"
    assert record["Health workers injured"] == "1"
    assert record["Certainty"] == "Probable"
    # A formula typed as the source is text in every spreadsheet.
    assert record["Source"].startswith("'=HYPERLINK")
    assert DESCRIPTION not in str(rows)


def test_the_plain_csv_has_no_tag_row_and_the_filters_apply(world, login):
    verified(world)
    verified(world, date=datetime.date(2025, 1, 2))
    client = login(world.user("coordinator"))
    url = reverse("incidents:export", kwargs={"fmt": "csv"})
    rows = _rows(client.get(url))
    assert rows[1][0] != "#event+id"
    assert len(rows) == 3
    assert len(_rows(client.get(url, {"first_month": "2025-04"}))) == 2


def test_the_excel_export_opens(world, login):
    verified(world)
    response = login(world.user("coordinator")).get(
        reverse("incidents:export", kwargs={"fmt": "xlsx"})
    )
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Incident ID", "Date")
    assert len(rows) == 2


# --- My tasks ----------------------------------------------------------------------------------


def test_my_tasks_lists_the_attacks_to_verify_and_those_waiting(world, login):
    reported(world)
    reported(world)
    verified(world)
    page = _page(login(world.user("coordinator")), reverse("my_tasks"))
    assert "2 reported attacks on health care wait for verification." in page
    assert reverse("incidents:queue") in page
    page = _page(login(world.user("staff")), reverse("my_tasks"))
    assert "2 attacks reported by your organisation wait for the coordinators" in page
    page = _page(login(world.user("other_member")), reverse("my_tasks"))
    assert "attacks" not in page.lower().split("<main")[1]


def test_the_menu_links_the_report_and_the_queue(world, login):
    page = _page(login(world.user("focal")), reverse("my_tasks"))
    assert reverse("incidents:report") in page
    assert reverse("incidents:list") in page
    page = _page(login(world.user("coordinator")), reverse("my_tasks"))
    assert reverse("incidents:queue") in page


# --- queries -----------------------------------------------------------------------------------


def _many(world, count: int) -> None:
    organisations = [world.org_a, world.org_b, OrganisationFactory()]
    for index in range(count):
        area = district(world.area, f"ZZ01{index:02d}")
        incident(
            area=area,
            date=datetime.date(2025, 3, 1 + index % 28),
            types=("heavy-weapons", "fire", "search"),
            state=IncidentState.REPORTED if index % 2 else IncidentState.VERIFIED,
            organisation=organisations[index % 3],
            facility=facility(area, code=f"HF-{index}", name=f"Clinic {index}"),
        )


@pytest.mark.parametrize("role", ["coordinator", "focal"])
def test_the_list_takes_the_same_queries_for_3_or_12_incidents(
    world, login, role, django_assert_num_queries
):
    client = login(world.user(role))
    _many(world, 3)
    with django_assert_num_queries(QUERIES_LIST[role]):
        small = client.get(LIST)
    for index in range(3, 12):
        area = district(world.area, f"ZZ01{index:02d}")
        incident(
            area=area,
            date=datetime.date(2025, 3, 2),
            types=("fire", "threat", "other"),
            facility=facility(area, code=f"HF-{index}"),
            organisation=world.org_a,
        )
    with django_assert_num_queries(QUERIES_LIST[role]):
        large = client.get(LIST)
    assert len(large.context["incidents"]) > len(small.context["incidents"])


# Session, user, membership (members), the count and page of incidents with their types,
# the area filter's options, the type filter's options, the cluster's name in the footer.
QUERIES_LIST = {"coordinator": 8, "focal": 9}


def test_the_queue_takes_the_same_queries_for_3_or_27_incidents(
    world, login, django_assert_num_queries
):
    client = login(world.user("coordinator"))
    _many(world, 6)
    with django_assert_num_queries(QUERIES_QUEUE):
        small = client.get(reverse("incidents:queue"))
    for index in range(6, 30):
        area = district(world.area, f"ZZ01{index:02d}")
        incident(
            area=area,
            date=datetime.date(2025, 3, 2),
            types=("fire", "threat"),
            state=IncidentState.REPORTED,
            organisation=world.org_b,
            facility=facility(area, code=f"HF-{index}"),
        )
    with django_assert_num_queries(QUERIES_QUEUE):
        large = client.get(reverse("incidents:queue"))
    assert len(large.context["incidents"]) == 20 > len(small.context["incidents"]) == 3


# Session, user, the count, the page of incidents, their types, the cluster's name.
QUERIES_QUEUE = 6


def test_the_tasks_provider_takes_one_query_for_coordinators_and_two_for_members(
    world, django_assert_num_queries
):
    from django.contrib.auth.models import AnonymousUser

    from facilities.incident_selectors import tasks_for_user

    reported(world)
    coordinator, focal = (
        type(user).objects.get(pk=user.pk)  # as a request reads them: nothing cached
        for user in (world.user("coordinator"), world.user("focal"))
    )
    with django_assert_num_queries(1):
        assert [task.kind for task in tasks_for_user(coordinator)] == ["action"]
    with django_assert_num_queries(2):
        assert [task.kind for task in tasks_for_user(focal)] == ["waiting"]
    assert tasks_for_user(world.user("other_member")) == []
    assert tasks_for_user(AnonymousUser()) == []


def test_the_pages_read_in_arabic(world, login):
    record = verified(world)
    client = login(world.user("coordinator"))
    with translation.override("ar"):
        urls = [
            reverse("incidents:list"),
            reverse("incidents:detail", kwargs={"pk": record.pk}),
            reverse("incidents:report"),
            reverse("incidents:queue"),
        ]
    for url in urls:
        assert url.startswith("/ar/")
        page = _page(client, url)
        assert 'dir="rtl"' in page
    assert "عنف بأسلحة ثقيلة" in _page(client, urls[1])
