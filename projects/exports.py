"""The project list as a file: CSV, Excel, or CSV with a row of HXL hashtags under the header.

The same projects as the list shows the user, filtered as it is (``selectors.project_list``):
accepted projects for members, with their own organisation's in every review state, and
every project for coordinators. The hashtags follow HXL and OCHA's Financial Tracking
Service: the organisation ``#org+name``, its implementing partners ``#org+impl``, donors
``#org+funder``, the plan's code ``#activity+project+code``, and the funding required and
received ``#value+funding+required+usd`` and ``#value+funding+total+usd``. Names are in the
page's language; every cell goes through ``core.exports``, which neutralises formulas.
"""

from django.db.models import QuerySet
from django.http import HttpResponse
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exports import Column, stream_csv, xlsx_response
from projects import selectors
from projects.models import Project

FORMATS = ("csv", "xlsx", "hxl")
CHUNK_SIZE = 500


def _joined(names) -> str:
    return "; ".join(str(name) for name in names)


def _partners(project: Project) -> str:
    return _joined(partner.name for partner in project.implementing_partners.all())


def _objectives(project: Project) -> str:
    return _joined(objective.code for objective in project.objectives.all())


def _split(project: Project, kind: str) -> str:
    """The budget's shares of one kind, "ZZ01 North 60 %; ..."; "not broken down" without."""
    parts = []
    for share in project.shares.all():
        if kind == "objective" and share.objective_id:
            label = share.objective.code
        elif kind == "area" and share.area_id:
            label = f"{share.area.pcode} {share.area.name}"
        else:
            continue
        parts.append(f"{label} {floatformat(share.share_percent, -2)} %")
    return _joined(parts) if parts else _("not broken down")


COLUMNS = [
    Column(gettext_lazy("Organisation"), "#org+name", lambda project: project.organisation.name),
    Column(gettext_lazy("Organisation acronym"), "#org+acronym", "organisation.acronym"),
    Column(gettext_lazy("Implementing partners"), "#org+impl", _partners),
    Column(gettext_lazy("Response plan code"), "#activity+project+code", "plan_code"),
    Column(gettext_lazy("Title (English)"), "#activity+project+name+i_en", "title_en"),
    Column(gettext_lazy("Title (Arabic)"), "#activity+project+name+i_ar", "title_ar"),
    Column(gettext_lazy("Donors"), "#org+funder", "donors"),
    Column(gettext_lazy("Start"), "#date+start", "start"),
    Column(gettext_lazy("End"), "#date+end", "end"),
    Column(gettext_lazy("Status"), "#status", lambda project: project.get_status_display()),
    Column(gettext_lazy("Review"), "#status+review", lambda project: project.get_state_display()),
    Column(
        gettext_lazy("Budget required (US$)"),
        "#value+funding+required+usd",
        "budget_required_usd",
    ),
    Column(gettext_lazy("Funding received (US$)"), "#value+funding+total+usd", "funding_received"),
    Column(gettext_lazy("Funding received as of"), "#date+funding", "funding_date"),
    Column(gettext_lazy("Strategic objectives served"), "#meta+objective+code", _objectives),
    Column(
        gettext_lazy("Budget by objective"),
        "#meta+objective+pct",
        lambda project: _split(project, "objective"),
    ),
    Column(
        gettext_lazy("Budget by area"), "#loc+share+pct", lambda project: _split(project, "area")
    ),
]


def projects_response(projects: QuerySet[Project], fmt: str) -> HttpResponse:
    """The projects of ``projects`` (already scoped and filtered) as a file of ``fmt``."""
    rows = selectors.export_rows(projects).iterator(chunk_size=CHUNK_SIZE)
    name = f"projects-{timezone.localdate():%Y-%m-%d}"
    if fmt == "xlsx":
        return xlsx_response(rows, COLUMNS, filename=f"{name}.xlsx", sheet_title=_("Projects"))
    if fmt == "hxl":
        return stream_csv(rows, COLUMNS, filename=f"{name}.hxl.csv", hxl=True)
    return stream_csv(rows, COLUMNS, filename=f"{name}.csv")
