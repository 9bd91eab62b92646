"""A dashboard tab's content kept as HTML until the figures change (analysis.fragments):
read again it is the same page without the figures' work; a validation, another access,
another language or a new release write it anew; the login's own navigation never is kept."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Report, ReportStatus
from activities.services.reports import report_validate
from analysis import fragments, tables
from tests.analysis.test_views import RANGE, _get, _table
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("every_figure_public")]


@pytest.fixture
def coordinator(db):
    return UserFactory(is_coordinator=True, email="cora@example.org")


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def _nav(response) -> str:
    html = response.content.decode()
    return html[html.index("<header") : html.index("</header>")]


def _tabs(response) -> list[str]:
    nav = re.search(
        r'<nav aria-label="Dashboard sections".*?</nav>', response.content.decode(), re.S
    )
    return re.findall(r'class="nav-link[^"]*" href="[^"]*"[^>]*>([^<]+)</a>', nav.group(0))


def test_a_tab_read_again_is_the_same_page_without_the_figures_work(data, login, coordinator):
    client = login(coordinator)
    with CaptureQueriesContext(connection) as first:
        written = _get(client, "analysis:overview")
    with CaptureQueriesContext(connection) as second:
        kept = _get(client, "analysis:overview")
    assert _main(kept) == _main(written)
    assert _table(kept, "months-table")[0] == ["January 2026", "150"]
    # The assessments' count is asked each time the tab is written, not when it is kept.
    assert any("assessments_assessment" in query["sql"] for query in first)
    assert not any("assessments_assessment" in query["sql"] for query in second)
    assert len(second) < len(first)


def test_a_validated_report_shows_on_the_tab_at_once(data, login, coordinator):
    client = login(coordinator)
    assert _table(_get(client, "analysis:overview"), "months-table")[0] == ["January 2026", "150"]
    # Beta Relief's submitted January report: 777 people of consultations in South One.
    report = Report.objects.get(status=ReportStatus.SUBMITTED)
    report_validate(report=report, by=coordinator)
    assert _table(_get(client, "analysis:overview"), "months-table")[0] == ["January 2026", "927"]


@pytest.mark.parametrize("first", ["coordinator", "visitor"])
def test_each_access_reads_its_own_tab_whoever_read_it_first(data, login, coordinator, first):
    member = MembershipFactory(organisation=data.org_a).user
    logins = {"coordinator": coordinator, "member": member, "visitor": None}
    order = [first, *(name for name in ("coordinator", "member", "visitor") if name != first)]
    seen = {name: _get(login(logins[name]), "analysis:areas") for name in order}

    assert "Gaps" in _tabs(seen["coordinator"])
    assert "Gaps" not in _tabs(seen["member"])
    assert "Who works where (3W)" in _tabs(seen["member"])
    assert "Who works where (3W)" not in _tabs(seen["visitor"])
    # Members see admin2 areas with their p-codes; the public admin1 areas only.
    assert "ZZ101" in _main(seen["member"])
    assert "ZZ101" not in _main(seen["visitor"])
    assert "By admin1 area" in _main(seen["visitor"])


def test_each_language_reads_its_own_tab(data, login, coordinator):
    client = login(coordinator)
    english = _get(client, "analysis:overview")
    arabic = client.get(reverse("analysis:overview").replace("/en/", "/ar/", 1), RANGE)
    assert "Key figures" in _main(english)
    assert "Key figures" not in _main(arabic)
    assert 'lang="ar"' in arabic.content.decode()[:200]


def test_the_navigation_is_the_logins_own(data, login, coordinator):
    other = UserFactory(is_coordinator=True, email="omar@example.org")
    first = _get(login(coordinator), "analysis:overview")
    second = _get(login(other), "analysis:overview")
    assert _main(first) == _main(second)
    assert "cora@example.org" in _nav(first)
    assert "omar@example.org" in _nav(second)
    assert "cora@example.org" not in second.content.decode()


def test_a_typed_query_string_is_written_each_time(data, login, coordinator):
    """Only the query string the tab's own links carry is kept: the same filters typed in
    another order are written afresh, so no one fills the cache with variants of a page."""
    client = login(coordinator)
    typed = reverse("analysis:overview") + "?last_month=2026-04&first_month=2026-01"
    client.get(typed)
    with CaptureQueriesContext(connection) as again:
        response = client.get(typed)
    assert _table(response, "months-table")[0] == ["January 2026", "150"]
    assert any("assessments_assessment" in query["sql"] for query in again)


def test_a_new_release_writes_the_tab_anew(data, login, coordinator, monkeypatch):
    client = login(coordinator)
    monkeypatch.setattr(tables, "GAPS_SHOWN", 1)
    assert (
        "Showing the 1 with the most people in need"
        in _get(client, "analysis:gaps").content.decode()
    )
    monkeypatch.setattr(tables, "GAPS_SHOWN", 100)
    # The same code: the tab as kept.
    assert "Showing the 1 with" in _get(client, "analysis:gaps").content.decode()
    monkeypatch.setattr(fragments, "code_version", lambda: "the next release")
    assert "Showing the 1 with" not in _get(client, "analysis:gaps").content.decode()
