import datetime

import pytest


@pytest.mark.django_db
def test_root_redirects_to_the_browsers_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ar,en;q=0.5")
    assert response.status_code == 302
    assert response["Location"] == "/ar/"


@pytest.mark.django_db
def test_arabic_home_page_is_right_to_left(client):
    response = client.get("/ar/")
    assert response.status_code == 200
    assert b'<html lang="ar" dir="rtl">' in response.content
    assert b"bootstrap.rtl.min.css" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "moment",
    [
        # Mid-year, and the first minutes of a year, when the year has no figure yet and the
        # headline falls back to the year before.
        datetime.datetime(2026, 6, 15, 12, 0, tzinfo=datetime.UTC),
        datetime.datetime(2027, 1, 1, 0, 5, tzinfo=datetime.UTC),
    ],
    ids=["mid-june", "new-year"],
)
def test_the_home_page_shows_leadership_figures_and_meetings_in_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, time_machine, moment
):
    time_machine.move_to(moment)
    from datetime import timedelta

    from django.utils import timezone

    from meetings.models import Meeting
    from strategy.models import ClusterProfile
    from tests.factories import AdminAreaFactory, OrganisationFactory

    def add_rows(n: int) -> None:
        area = AdminAreaFactory()
        for _ in range(n):
            OrganisationFactory().areas.add(area)
            start = timezone.now() + timedelta(days=len(Meeting.objects.all()) + 1)
            Meeting.objects.create(
                title_en="Coordination meeting",
                starts_at=start,
                ends_at=start + timedelta(hours=2),
            )

    lead = OrganisationFactory(name_en="United Health Fund", acronym="UHF")
    ministry = OrganisationFactory(name_en="Ministry of Health of Testland", acronym="MoH")
    ClusterProfile.objects.create(
        pk=1,
        cluster_name_en="Testland Health Cluster",
        purpose_en="We **coordinate** the health response.",
        lead_agency=lead,
        lead_coordinator_name="Lina Lead",
        co_chair=ministry,
        co_chair_coordinator_name="Omar Co-chair",
    )
    add_rows(3)
    # With the headline's: the cycle and its indicator, the catalogue's map and the people
    # reached once of this year, and of the year before while this one has none; and for
    # each, the disclosure policy's organisations behind it and of its admin1-month cells;
    # the admin1 boundaries for the presence map (none here, so no map and no more); whether
    # any hospital is registered, any attack verified (none here); the funding of the
    # year's accepted projects (none here, so one query); whether any caseload of a cycle
    # covering the year has a target (none here, so one query).
    with django_assert_max_num_queries(23) as captured:
        client.get("/en/")
    few = len(captured)
    add_rows(6)
    with django_assert_max_num_queries(few) as captured:
        page = client.get("/en/").content.decode()
    assert "<strong>coordinate</strong>" in page
    assert "United Health Fund" in page
    assert "Ministry of Health of Testland" in page
    assert "Omar Co-chair" in page
    assert page.count("Coordination meeting") == 3
    assert 'id="figure-partners">11<' in page
