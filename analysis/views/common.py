"""What every dashboard view shares: who sees what, and the filters read from the query string."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from analysis.forms import DashboardFilterForm
from analysis.selectors import Filters
from analysis.tables import Access
from partners.access import is_coordinator
from partners.disclosure import ORGANISATION_FILTERS, is_public


def access_of(user) -> Access:
    """Who the disclosure policy says the public is sees public tables only."""
    if is_public(user):
        return Access.PUBLIC
    return Access.COORDINATORS if is_coordinator(user) else Access.MEMBERS


def check_access(request: HttpRequest, needed: Access) -> None:
    """Raise PermissionDenied when the user may not see a table of ``needed`` access."""
    if access_of(request.user) < needed:
        raise PermissionDenied


def members_required(view: Callable) -> Callable:
    """Members of approved organisations and coordinators; others 403, visitors the login."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        check_access(request, Access.MEMBERS)
        return view(request, *args, **kwargs)

    return wrapper


@dataclass
class Dashboard:
    """The filters of one request, and what the page needs to carry them along."""

    form: DashboardFilterForm
    filters: Filters
    query: str
    access: Access

    @property
    def detailed(self) -> bool:
        return self.filters.detailed

    @property
    def is_coordinator(self) -> bool:
        return self.access >= Access.COORDINATORS

    def url(self, name: str, *args) -> str:
        """A dashboard URL with the current filters in its query string."""
        url = reverse(name, args=args)
        return f"{url}?{self.query}" if self.query else url


def read_filters(request: HttpRequest) -> Dashboard:
    """The filters of the query string; the public's form refuses those that would narrow
    partners' figures below what it may see (``partners.disclosure``)."""
    access = access_of(request.user)
    # An organisation is no filter of the dashboard, but asking for one is refused all the same.
    names = (*DashboardFilterForm.FIELDS, *ORGANISATION_FILTERS)
    given = any(name in request.GET for name in names)
    return _dashboard(request.GET if given else None, access)


def default_dashboard(access: Access) -> Dashboard:
    """The dashboard as ``access`` first sees it, with no filter chosen."""
    return _dashboard(None, access)


def _dashboard(data, access: Access) -> Dashboard:
    form = DashboardFilterForm(data, detailed=access >= Access.MEMBERS)
    return Dashboard(form=form, filters=form.filters(), query=form.query_string(), access=access)


TABS = (
    ("analysis:overview", _("Overview"), Access.PUBLIC),
    ("analysis:areas", _("By area"), Access.PUBLIC),
    ("analysis:people", _("People reached"), Access.PUBLIC),
    ("analysis:facilities", _("Health facilities"), Access.PUBLIC),
    ("analysis:attacks", _("Attacks on health care"), Access.PUBLIC),
    ("analysis:funding", _("Funding"), Access.PUBLIC),
    ("analysis:coverage", _("Coverage"), Access.PUBLIC),
    ("analysis:presence", _("Who works where (3W)"), Access.MEMBERS),
    ("analysis:gaps", _("Gaps"), Access.COORDINATORS),
    ("analysis:overlaps", _("Overlaps"), Access.COORDINATORS),
)


def tabs(dashboard: Dashboard, current: str) -> list[dict]:
    return [
        {"label": label, "url": dashboard.url(name), "current": name == current}
        for name, label, needed in TABS
        if dashboard.access >= needed
    ]
