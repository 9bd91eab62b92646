"""After a validation a worker computes the most-read pages' figures, so no reader waits.

``cluster_portal.warming``: the strategy page, the home page and the dashboard's first three
tabs, for the public, members and coordinators, a few seconds after the change.
"""

import datetime
import logging
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import Report, ReportStatus
from activities.services.reports import report_validate
from cluster_portal import warming
from cluster_portal.celery import app
from facilities.models import FacilityStatus, ReviewState
from facilities.services import status_validate
from tests.analysis.facility_dataset import build_facilities
from tests.celery_worker import _redis, project_app_on
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("every_figure_public")]

PAGES = ("/en/strategy/", "/en/", "/en/dashboard/", "/en/dashboard/areas/", "/en/dashboard/people/")
STRATEGY_FIGURE = re.compile(r'data-reached="1\.1"><span class="indicator-value">([^<]*)<')


def _validate_the_submitted_report(django_capture_on_commit_callbacks) -> None:
    submitted = Report.objects.get(status=ReportStatus.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        report_validate(report=submitted, by=UserFactory(is_coordinator=True))


def _readers(data) -> dict:
    return {
        "public": None,
        "member": MembershipFactory(organisation=data.org_a).user,
        "coordinator": UserFactory(is_coordinator=True),
    }


def _figure_queries(client, user, path: str, tables=("analysis_reach",)) -> list[str]:
    """The queries a page runs on the validated figures (``analysis_reach``, or ``tables``)."""
    client.logout()
    if user is not None:
        client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in captured if any(t in query["sql"] for t in tables)]


def test_the_first_reader_after_a_validation_finds_every_figure_computed(
    data, settings, client, django_capture_on_commit_callbacks
):
    settings.ANALYSIS_WARM_SECONDS = 3  # the embedded mode's eager tasks run it at once
    readers = _readers(data)  # a new membership changes the sources too: made first
    _validate_the_submitted_report(django_capture_on_commit_callbacks)
    for reader, user in readers.items():
        for path in PAGES:
            assert _figure_queries(client, user, path) == [], (reader, path)
    # And they are the new figures: 1.1 was 370, B's January report adds 777.
    client.logout()
    page = client.get("/en/strategy/").content.decode()
    assert STRATEGY_FIGURE.search(page)[1] == "1,147"


def test_after_a_facilitys_status_is_validated_its_tabs_are_warmed_too(
    data, settings, time_machine, client, django_capture_on_commit_callbacks
):
    time_machine.move_to(datetime.datetime(2026, 5, 10, 9, 0, tzinfo=datetime.UTC))
    settings.LATEST_MAX_AGE = 3
    settings.ANALYSIS_WARM_SECONDS = 3
    build_facilities()  # H2, a hospital, partially functioning since February
    readers = _readers(data)
    submitted = FacilityStatus.objects.get(state=ReviewState.SUBMITTED)  # H2 "not", 20 April
    with django_capture_on_commit_callbacks(execute=True):
        status_validate(status=submitted, by=UserFactory(is_coordinator=True))
    tables = ("facilities_facilitystatus", "facilities_incident")
    for reader, user in readers.items():
        for path in ("/en/dashboard/facilities/", "/en/dashboard/attacks/"):
            assert _figure_queries(client, user, path, tables) == [], (reader, path)
    client.logout()
    page = client.get("/en/dashboard/facilities/").content.decode()
    assert re.search(r'id="figure-hospitals">1 / 3<', page)  # 2 / 3 before


def test_without_warming_the_first_reader_computes_the_figures(
    data, settings, client, django_capture_on_commit_callbacks
):
    settings.ANALYSIS_WARM_SECONDS = 0
    coordinator = UserFactory(is_coordinator=True)
    _validate_the_submitted_report(django_capture_on_commit_callbacks)
    assert _figure_queries(client, None, "/en/strategy/")
    assert _figure_queries(client, coordinator, "/en/dashboard/")


def test_changes_within_the_delay_share_one_warming(data, settings):
    settings.ANALYSIS_WARM_SECONDS = 3
    redis = _redis()
    redis.flushdb()
    try:
        with project_app_on():
            for _ in range(3):
                warming.schedule()
        queued = [m for m in redis.lrange("celery", 0, -1) if b"warm_figures" in m]
        assert len(queued) == 1
    finally:
        redis.flushdb()
        redis.close()


def test_a_broker_outage_leaves_the_validation_standing_and_the_next_change_asks_again(
    data, settings, caplog, django_capture_on_commit_callbacks
):
    settings.ANALYSIS_WARM_SECONDS = 3
    with project_app_on("redis://127.0.0.1:1/0"), caplog.at_level(logging.WARNING):
        _validate_the_submitted_report(django_capture_on_commit_callbacks)
    assert not Report.objects.filter(status=ReportStatus.SUBMITTED).exists()
    assert "figures are computed on demand" in caplog.text
    redis = _redis()
    redis.flushdb()
    try:
        with project_app_on():
            warming.schedule()
        assert any(b"warm_figures" in m for m in redis.lrange("celery", 0, -1))
    finally:
        redis.flushdb()
        redis.close()


def test_workers_know_the_warming_task():
    app.loader.import_default_modules()
    assert "cluster_portal.tasks.warm_figures" in app.tasks
