"""Reads of the assessments registry: the list, an assessment's page, exports and figures.

Every queryset here starts from ``assessments.access.visible_assessments``, so a
restricted or unpublished assessment never reaches somebody who may not read it.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from assessments.access import visible_assessments
from assessments.models import Assessment, Attachment, Finding
from core.bilingual import bilingual, bilingual_expression
from locations.models import AdminArea
from partners.models import Organisation


def _registry(user) -> QuerySet:
    return visible_assessments(user, Assessment.objects.published())


def registry_assessments(user) -> QuerySet:
    """Published assessments the user may read, with their highest severity (or None).

    Restricted ones are included for the members and coordinators who may read them.
    """
    return (
        _registry(user)
        .select_related("lead_organisation")
        .annotate(highest_severity=Max("findings__severity"))
    )


def registry_organisations(user) -> QuerySet:
    """The organisations that led or joined an assessment of the user's registry, by name:
    the registry's organisation filter offers these, so that its choices tell nobody of an
    assessment they may not read (a draft, a restricted one), whatever the organisation's
    status now (a suspended partner's past assessments stay in the registry)."""
    readable = _registry(user)
    joined = Assessment.participating_organisations.through.objects.filter(
        assessment__in=readable.values("pk")
    ).values("organisation_id")
    return Organisation.objects.filter(
        Q(pk__in=readable.values("lead_organisation_id")) | Q(pk__in=joined)
    ).order_by(bilingual_expression("name"), "pk")


def with_registry_details(queryset: QuerySet) -> QuerySet:
    """Add what a row of the registry shows: participants and areas, each in one query."""
    return queryset.prefetch_related(
        Prefetch(
            "participating_organisations",
            queryset=Organisation.objects.order_by(bilingual_expression("name"), "pk"),
        ),
        Prefetch("areas", queryset=AdminArea.objects.order_by("path")),
    )


def assessment_page_queryset() -> QuerySet:
    """Assessments with what their page shows prefetched, one query per relation."""
    return with_registry_details(Assessment.objects.select_related("lead_organisation"))


def attachments_of(assessment: Assessment) -> QuerySet:
    return Attachment.objects.filter(assessment=assessment).order_by("kind", "original_name", "pk")


def findings_of(assessment: Assessment) -> QuerySet:
    """The findings in tree order of their areas, then in the domains' order."""
    return (
        Finding.objects.filter(assessment=assessment)
        .select_related("area", "domain")
        .order_by("area__path", "domain__order", "domain__code")
    )


@dataclass(frozen=True)
class AreaSeverity:
    """The highest severity and people in need of one area, over all its findings."""

    pcode: str
    level: int
    name_en: str
    name_ar: str
    highest_severity: int
    people_in_need: int | None
    domains: int

    name = bilingual("name")


def severity_by_area(assessment: Assessment) -> list[AreaSeverity]:
    """One line per area with findings, computed by the database.

    People in need are the largest figure in any one domain, as joint intersectoral analysis
    counts them: the same person in need of several kinds of care is one person.
    """
    rows = (
        Finding.objects.filter(assessment=assessment)
        .values("area__pcode", "area__level", "area__name_en", "area__name_ar", "area__path")
        .annotate(
            highest=Max("severity"),
            people=Max("people_in_need"),
            domains=Count("pk"),
        )
        .order_by("area__path")
    )
    return [
        AreaSeverity(
            pcode=row["area__pcode"],
            level=row["area__level"],
            name_en=row["area__name_en"],
            name_ar=row["area__name_ar"],
            highest_severity=row["highest"],
            people_in_need=row["people"],
            domains=row["domains"],
        )
        for row in rows
    ]


def export_findings(assessments: QuerySet) -> QuerySet:
    """Findings of the given assessments, one export row each, read in chunks.

    The area's parent and grandparent come in the same query, so the admin1 and
    admin2 columns of any finding (admin1, admin2 or admin3) cost nothing more.
    """
    # Ordering and annotations of the registry do not belong in the subquery.
    chosen = assessments.order_by().values("pk")
    return (
        Finding.objects.filter(assessment__in=chosen)
        .select_related(
            "assessment__lead_organisation",
            "area__parent__parent",
            "domain",
        )
        .order_by("-assessment__start_date", "assessment_id", "area__path", "domain__order")
    )


def published_recently_count() -> int:
    """Public assessments published in the last twelve months, from midnight a year ago as
    the cluster's calendar reads it (a count of "this year" read 0 every January).

    Restricted assessments are never counted in public figures.
    """
    today = timezone.localdate()
    day = min(today.day, 28) if today.month == 2 else today.day  # 29 February has no year-ago
    a_year_ago = today.replace(year=today.year - 1, day=day)
    start = datetime.datetime.combine(a_year_ago, datetime.time(), timezone.get_current_timezone())
    return Assessment.objects.public().filter(published_at__gte=start).count()


def finding_areas(assessment: Assessment, findings: list[Finding]) -> list[AdminArea]:
    """The areas covered and those inside them that have findings, in the tree's order.

    A finding may be on a district inside a governorate covered: its area is listed too
    (``findings`` loaded with their area), so the grid and the sheet show every finding and
    saving them unchanged changes nothing.
    """
    areas = {area.pk: area for area in assessment.areas.all()}
    for finding in findings:
        areas.setdefault(finding.area_id, finding.area)
    return sorted(areas.values(), key=lambda area: area.path)
