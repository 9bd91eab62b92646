"""Figures are computed once per filters, and again as soon as their sources change."""

import threading
import time

import pytest

from activities.models import ReportStatus
from activities.services.reports import report_validate
from analysis import measures, selectors
from analysis.cache import cached
from analysis.forms import area_choices
from analysis.selectors import Filters
from tests.activities.factories import ReportFactory
from tests.analysis.dataset import APR, JAN
from tests.assessments.factories import FindingFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RANGE = Filters(first_month=JAN, last_month=APR)


def test_the_same_figures_are_read_from_the_cache(data, django_assert_num_queries):
    selectors.key_figures(RANGE)
    measures.headline(RANGE, data.cycle)
    with django_assert_num_queries(0):
        assert selectors.key_figures(RANGE).partners_reporting == 2
        assert measures.headline(RANGE, data.cycle).people == 340


def test_other_filters_are_computed_on_their_own(data):
    measures.headline(RANGE)
    north = Filters(first_month=JAN, last_month=APR, area=data.north)
    assert measures.headline(north).people == 290


def test_validating_a_report_shows_its_figures_at_once(data):
    assert measures.headline(RANGE).people == 340
    submitted = ReportFactory._meta.model.objects.get(status=ReportStatus.SUBMITTED)
    report_validate(report=submitted, by=UserFactory(is_coordinator=True))
    # South One's largest figure is now January's 777 consultations, not February's 40.
    assert measures.headline(RANGE).people == 340 - 40 + 777


def test_validating_a_report_keeps_the_filters_choices_but_not_the_figures(
    data, django_assert_num_queries
):
    area_choices(False, "en")
    rows = selectors.key_figures(RANGE).rows
    submitted = ReportFactory._meta.model.objects.get(status=ReportStatus.SUBMITTED)
    added = submitted.rows.count()
    report_validate(report=submitted, by=UserFactory(is_coordinator=True))
    with django_assert_num_queries(0):
        area_choices(False, "en")
    with django_assert_num_queries(1):
        assert selectors.key_figures(RANGE).rows == rows + added


def test_renaming_an_area_changes_the_filters_choices_at_once(data):
    assert "North (ZZ1)" in dict(area_choices(False, "en")).values()
    data.north.name_en = "Northern Governorate"
    data.north.save()
    assert "Northern Governorate (ZZ1)" in dict(area_choices(False, "en")).values()


def test_a_new_assessment_finding_shows_at_once(data):
    detailed = Filters(first_month=JAN, last_month=APR, detailed=True)
    before = {row["area"].pcode: row["severity"] for row in selectors.severity_by_area(detailed)}
    assert before["ZZ301"] == 4
    p2 = data.n1.assessment_findings.get(severity=2).assessment
    FindingFactory(assessment=p2, area=data.e1, domain=data.nutrition, severity=5)
    after = {row["area"].pcode: row["severity"] for row in selectors.severity_by_area(detailed)}
    assert after["ZZ301"] == 5


def test_renaming_an_area_shows_at_once(data):
    selectors.by_area(RANGE)
    data.north.name_en = "Northern Governorate"
    data.north.save()
    names = [row["area"].name_en for row in selectors.by_area(RANGE)]
    assert "Northern Governorate" in names


def _together(function, count: int) -> list:
    """``function`` called by ``count`` threads at once; their results."""
    results, threads = (
        [],
        [threading.Thread(target=lambda: results.append(function())) for _ in range(count)],
    )
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_figures_asked_for_together_are_computed_once():
    """Every worker that missed the cache computed the same five years at once (3-5 s each)."""
    calls = []

    @cached
    def slow_figure():
        calls.append(1)
        time.sleep(0.3)
        return 42

    assert _together(slow_figure, 4) == [42] * 4
    assert len(calls) == 1


def test_a_request_that_fails_to_compute_does_not_leave_the_others_without_figures():
    calls = []

    @cached
    def failing_once():
        calls.append(1)
        time.sleep(0.2)
        if len(calls) == 1:
            raise RuntimeError("the database went away")
        return 7

    results = _together(lambda: _or_error(failing_once), 3)
    assert sorted(results, key=str) == [7, 7, "error"]
    assert len(calls) == 2  # the first failed; one of the others computed it, once


def _or_error(function):
    try:
        return function()
    except RuntimeError:
        return "error"


class _Unreachable:
    """A cache whose server does not answer, as django-redis answers with IGNORE_EXCEPTIONS."""

    def get(self, key, default=None):
        return default

    def get_many(self, *args, **kwargs):
        return {}

    def add(self, *args, **kwargs):
        return None

    def set(self, *args, **kwargs):
        return None

    def delete(self, *args, **kwargs):
        return None


def test_figures_are_computed_at_once_while_the_cache_does_not_answer(monkeypatch):
    import analysis.cache

    monkeypatch.setattr(analysis.cache, "cache", _Unreachable())
    monkeypatch.setattr(analysis.cache.time, "sleep", _no_waiting)

    @cached
    def figure():
        return 5

    assert figure() == 5


def _no_waiting(seconds):
    raise AssertionError("waited for a lock the cache cannot keep")
