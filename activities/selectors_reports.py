"""Reads of the monthly activity reports: lists, the report page, version comparison, My tasks.

Every queryset starts from ``activities.access.reports_for_user`` so a user only ever
sees the reports they may see, and loads what its page shows in a fixed number of queries.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum, Window
from django.db.models.functions import Lag, Upper
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from activities import access
from activities.models import (
    Activity,
    Report,
    ReportRow,
    ReportStatus,
    RowStatus,
    ValidatedVersion,
)
from core.bilingual import bilingual_expression
from core.inputs import is_storable_text
from core.tasks import Task
from facilities.models import Facility
from facilities.selectors import visible_facilities
from locations.models import AdminArea, AdminLevel
from partners.access import is_coordinator, user_organisation
from partners.models import Organisation

# The values compared between two versions of a report, in the order of the table.
COMPARED = {
    "status": gettext_lazy("Status"),
    "donor": gettext_lazy("Donor"),
    "facility_code": gettext_lazy("Facility code"),
    "project_code": gettext_lazy("Project code"),
    "girls": gettext_lazy("Girls"),
    "boys": gettext_lazy("Boys"),
    "women": gettext_lazy("Women"),
    "men": gettext_lazy("Men"),
    "older_people": gettext_lazy("Older people"),
    "people_with_disabilities": gettext_lazy("People with disabilities"),
    "total": gettext_lazy("Total reached"),
}


def report_list_for_user(user) -> QuerySet[Report]:
    """The reports the user may see, newest period first (figures: ``with_row_figures``)."""
    return (
        access.reports_for_user(user)
        .select_related("organisation", "period")
        .order_by("-period__year", "-period__month", "organisation__name_en", "pk")
    )


def with_row_figures(reports: Sequence[Report]) -> list[Report]:
    """The reports of one page, each with its number of rows and people reached, in one
    query over their rows only (not over every report the list could show)."""
    reports = list(reports)
    figures = {
        item["report"]: item
        for item in ReportRow.objects.filter(report__in=[report.pk for report in reports])
        .values("report")
        .annotate(row_count=Count("pk"), reached=Sum("total"))
        .order_by()
    }
    for report in reports:
        item = figures.get(report.pk, {})
        report.row_count = item.get("row_count", 0)
        report.reached = item.get("reached")
    return reports


def report_rows(report: Report) -> QuerySet[ReportRow]:
    return report.rows.select_related(
        "activity", "area", "area__parent", "implementing_organisation", "facility", "project"
    ).order_by("order", "pk")


def report_for_page(user, pk) -> Report:
    """The report with everything its page shows, or a 404 when the user may not see it."""
    queryset = Report.objects.select_related(
        "organisation", "period", "created_by", "submitted_by", "validated_by"
    ).prefetch_related(
        Prefetch(
            "rows",
            queryset=ReportRow.objects.select_related(
                "activity",
                "area",
                "area__parent",
                "implementing_organisation",
                "facility",
                "project",
            ).order_by("order", "pk"),
            to_attr="ordered_rows",
        ),
        Prefetch(
            "versions",
            queryset=ValidatedVersion.objects.select_related("validated_by").order_by("-version"),
            to_attr="ordered_versions",
        ),
    )
    return access.get_report_for_user(user, pk, queryset)


def report_history(report: Report, limit: int = 50) -> list:
    """Each change of the report's state, newest first, with who made it and when: saving a
    draft again records the report each time, and listing every record showed "Draft" four
    times in a row."""
    entries = report.history.annotate(
        previous=Window(Lag("status"), order_by=[F("history_date").asc(), F("history_id").asc()])
    ).filter(Q(previous__isnull=True) | ~Q(previous=F("status")))
    return list(entries.select_related("history_user").order_by("-history_date")[:limit])


# --- choices for the entry form (one query each, whatever the number of rows) -------------------


def active_activities() -> list[Activity]:
    return list(Activity.objects.filter(is_active=True).order_by("order", "code"))


def entry_areas() -> list[AdminArea]:
    """The admin2 areas, ordered by their admin1 area then name, with the admin1 area loaded."""
    return list(
        AdminArea.objects.filter(level=AdminLevel.ADMIN2)
        .select_related("parent")
        .order_by("parent__path", bilingual_expression("name"))
    )


def implementing_partners() -> list[Organisation]:
    return list(Organisation.objects.approved().order_by(bilingual_expression("name")))


# Longer than any code of the registry: it cannot name a facility.
_FACILITY_CODE_LENGTH = Facility._meta.get_field("code").max_length


def facilities_by_code(user, codes: Iterable[str | None]) -> dict[str, Facility]:
    """The facilities the user sees that these codes name, keyed by the code as typed (without
    its surrounding spaces), with their area and its parent, in one query (none without a
    code). A code names the facility of that very code, else the one whose code differs from
    it only in case: codes are typed by hand, on phones that capitalise as they please."""
    typed = {code.strip() for code in codes if code and code.strip()}
    typed = {
        code for code in typed if len(code) <= _FACILITY_CODE_LENGTH and is_storable_text(code)
    }
    if not typed:
        return {}
    found = list(
        visible_facilities(user)
        .annotate(upper_code=Upper("code"))
        .filter(upper_code__in={code.upper() for code in typed})
        .select_related("area__parent")
    )
    exact = {facility.code: facility for facility in found}
    by_case: dict[str, list[Facility]] = defaultdict(list)
    for facility in found:
        by_case[facility.code.upper()].append(facility)
    named = {}
    for code in typed:
        if code in exact:
            named[code] = exact[code]
        elif len(by_case[code.upper()]) == 1:
            named[code] = by_case[code.upper()][0]
    return named


# --- comparing two validated versions ------------------------------------------------------------


@dataclass(frozen=True)
class RowChange:
    """One row that differs between two versions: added, removed or changed."""

    kind: str  # "added", "removed" or "changed"
    old: dict | None
    new: dict | None
    differences: tuple[tuple[str, object, object], ...] = ()  # (label, before, after)


def _key(row: dict) -> tuple:
    return (row.get("activity_code"), row.get("area_pcode"), row.get("implementer"))


def _shown(name: str, value):
    if name == "status" and value in RowStatus.values:
        return RowStatus(value).label
    return "—" if value in (None, "") else value


def compare_versions(old_rows: list[dict], new_rows: list[dict]) -> list[RowChange]:
    """Rows of the same activity, area and implementer are matched; the rest differ."""
    old = {}
    for row in old_rows:
        old.setdefault(_key(row), []).append(row)
    changes: list[RowChange] = []
    for row in new_rows:
        matches = old.get(_key(row))
        if not matches:
            changes.append(RowChange("added", None, row))
            continue
        before = matches.pop(0)
        different = tuple(
            (label, _shown(name, before.get(name)), _shown(name, row.get(name)))
            for name, label in COMPARED.items()
            if before.get(name) != row.get(name)
        )
        if different:
            changes.append(RowChange("changed", before, row, different))
    for rows in old.values():
        changes.extend(RowChange("removed", row, None) for row in rows)
    return changes


def version_comparisons(versions: list[ValidatedVersion]) -> list[tuple]:
    """Each validated version beside the one before it: (newer, older, changes), newest first."""
    ordered = sorted(versions, key=lambda version: version.version)
    pairs = [
        (newer, older, compare_versions(older.rows, newer.rows))
        for older, newer in pairwise(ordered)
    ]
    return list(reversed(pairs))


# --- My tasks ------------------------------------------------------------------------------------


def review_tasks_for_user(user) -> list[Task]:
    """What waits for the user in the report workflow (at most two queries)."""
    tasks: list[Task] = []
    if is_coordinator(user):
        counts = Report.objects.aggregate(
            submitted=Count("pk", filter=_status(ReportStatus.SUBMITTED)),
            correction=Count("pk", filter=_status(ReportStatus.CORRECTION_REQUESTED)),
        )
        if counts["submitted"]:
            tasks.append(
                Task(
                    title=_("Activity reports to validate"),
                    description=ngettext(
                        "%(count)d activity report waits for your validation.",
                        "%(count)d activity reports wait for your validation.",
                        counts["submitted"],
                    )
                    % {"count": counts["submitted"]},
                    url=reverse("activities:reports") + "?status=submitted",
                    count=counts["submitted"],
                )
            )
        if counts["correction"]:
            tasks.append(
                Task(
                    title=_("Corrections of activity reports requested"),
                    description=ngettext(
                        "%(count)d organisation asks to correct a validated activity report.",
                        "%(count)d organisations ask to correct a validated activity report.",
                        counts["correction"],
                    )
                    % {"count": counts["correction"]},
                    url=reverse("activities:reports") + "?status=correction",
                    count=counts["correction"],
                )
            )
    organisation = user_organisation(user)
    if organisation is not None:
        counts = Report.objects.filter(organisation=organisation).aggregate(
            returned=Count("pk", filter=_status(ReportStatus.RETURNED)),
            submitted=Count("pk", filter=_status(ReportStatus.SUBMITTED)),
        )
        if counts["returned"] and organisation.is_approved:
            tasks.append(
                Task(
                    title=_("Activity reports returned to you"),
                    description=ngettext(
                        "%(count)d activity report of your organisation was returned for "
                        "correction.",
                        "%(count)d activity reports of your organisation were returned for "
                        "correction.",
                        counts["returned"],
                    )
                    % {"count": counts["returned"]},
                    url=reverse("activities:reports") + "?status=returned",
                    count=counts["returned"],
                )
            )
        if counts["submitted"]:
            tasks.append(
                Task(
                    title=_("Activity reports being validated"),
                    description=ngettext(
                        "%(count)d activity report of your organisation waits for the "
                        "coordinators.",
                        "%(count)d activity reports of your organisation wait for the "
                        "coordinators.",
                        counts["submitted"],
                    )
                    % {"count": counts["submitted"]},
                    url=reverse("activities:reports") + "?status=submitted",
                    count=counts["submitted"],
                    kind="waiting",
                )
            )
    return tasks


def _status(status: str) -> Q:
    return Q(status=status)
