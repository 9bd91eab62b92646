"""Writes of the assessments app: the review workflow, findings and attachments.

Each function is atomic: the assessment row is locked, the action is checked against
``assessments.policy`` (a refusal raises ``PermissionDenied``, or ``ValidationError`` for a
wrong state, and changes nothing), the change is recorded with its author for the audit
history, and the next person is told by email, in their language, once the transaction
commits.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments import policy
from assessments.attachments import check_upload, clean_original_name
from assessments.models import (
    Assessment,
    AssessmentStatus,
    Attachment,
    AttachmentKind,
    Finding,
    Severity,
)
from core import bulk
from core.emails import send_to_users
from core.inputs import storable
from core.storage import delete_quietly
from locations.models import AdminArea
from partners.models import Membership, Organisation
from partners.services.coordinators import coordinator_list
from strategy.models import HealthDomain

# What an unfinished cell keeps of each value typed: enough for any real entry.
UNFINISHED_VALUE_CHARS = 100

# The plain fields a form may set; the lead organisation, state and dates are the workflow's.
EDITABLE_FIELDS = (
    "title_en",
    "title_ar",
    "type",
    "start_date",
    "end_date",
    "methodology",
    "sample",
    "population_covered",
    "key_findings_en",
    "key_findings_ar",
)


@dataclass(frozen=True)
class FindingInput:
    """One cell of the findings grid or one row of the findings sheet, already parsed."""

    area: AdminArea
    domain: HealthDomain
    severity: int
    people_in_need: int | None = None


# --- helpers -----------------------------------------------------------------------------------


def _locked(assessment: Assessment) -> Assessment:
    """The assessment re-read under a row lock, so two people cannot move it at once."""
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("lead_organisation")
        .get(pk=assessment.pk)
    )


def _check_can_change(assessment: Assessment, by) -> None:
    """The user may change the assessment in its present state, or an error says why not."""
    policy.can_edit(by, assessment).enforce()


def _lead_members(assessment: Assessment) -> list:
    return [
        membership.user
        for membership in Membership.objects.active()
        .filter(organisation_id=assessment.lead_organisation_id)
        .select_related("user")
    ]


def _check_dates(values: dict) -> None:
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        raise ValidationError(
            {"end_date": _("The end date must be on or after the start date.")},
            code="reversed_dates",
        )


def _check_areas(areas: Sequence[AdminArea]) -> None:
    if not areas:
        raise ValidationError(
            {"areas": _("Choose at least one area the assessment covers.")}, code="no_area"
        )


def _participants(organisations: Iterable[Organisation], lead: Organisation) -> list[Organisation]:
    chosen = [organisation for organisation in organisations if organisation.pk != lead.pk]
    refused = [organisation for organisation in chosen if not organisation.is_approved]
    if refused:
        raise ValidationError(
            {
                "participating_organisations": _(
                    "%(organisation)s is not an approved partner organisation."
                )
                % {"organisation": refused[0].name}
            },
            code="not_approved",
        )
    return chosen


def _assign(assessment: Assessment, values: dict) -> None:
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable through the workflow: {sorted(unknown)}")
    for name, value in values.items():
        setattr(assessment, name, value)


def covered_paths(covered: Iterable[AdminArea]) -> frozenset[str]:
    """The paths of the covered areas, for ``covers``."""
    return frozenset(area.path for area in covered)


def covers(paths: frozenset[str], area: AdminArea) -> bool:
    """Is the area one of the covered areas (``covered_paths``), or inside one of them?

    A path is the p-codes from the root ("/DL/DL01/DL0101/"): the area is inside each area
    whose path is one of its prefixes ending with a slash. A lookup per level, not per area
    covered: an assessment may cover thousands, and a sheet list 20,000 rows.
    """
    path = area.path
    end = path.find("/", 1)
    while end != -1:
        if path[: end + 1] in paths:
            return True
        end = path.find("/", end + 1)
    return False


# --- the assessment itself -----------------------------------------------------------------------


@transaction.atomic
def assessment_create(
    *,
    by,
    lead_organisation: Organisation,
    values: dict,
    areas: Sequence[AdminArea],
    participating_organisations: Iterable[Organisation] = (),
) -> Assessment:
    """Start a draft assessment led by ``lead_organisation``."""
    policy.can_create(by, lead_organisation).enforce()
    if not lead_organisation.is_approved:
        raise ValidationError(
            {"lead_organisation": _("The lead organisation must be an approved partner.")},
            code="not_approved",
        )
    _check_dates(values)
    _check_areas(areas)
    participants = _participants(participating_organisations, lead_organisation)
    assessment = Assessment(
        lead_organisation=lead_organisation,
        status=AssessmentStatus.DRAFT,
        created_by=by,
        updated_by=by,
    )
    _assign(assessment, values)
    assessment.full_clean()
    assessment._history_user = by
    assessment.save()
    assessment.areas.set(areas)
    assessment.participating_organisations.set(participants)
    return assessment


@transaction.atomic
def assessment_update(
    *,
    assessment: Assessment,
    by,
    values: dict,
    areas: Sequence[AdminArea],
    participating_organisations: Iterable[Organisation] = (),
) -> Assessment:
    """Change an assessment's description and areas.

    Findings in areas it no longer covers are removed with the areas.
    """
    assessment = _locked(assessment)
    _check_can_change(assessment, by)
    _check_dates(values)
    _check_areas(areas)
    participants = _participants(participating_organisations, assessment.lead_organisation)
    _assign(assessment, values)
    assessment.updated_by = by
    assessment.full_clean()
    assessment._history_user = by
    assessment.save()
    assessment.areas.set(areas)
    assessment.participating_organisations.set(participants)
    paths = covered_paths(areas)
    for finding in assessment.findings.select_related("area"):
        if not covers(paths, finding.area):
            finding._history_user = by
            finding.delete()
    return assessment


@transaction.atomic
def assessment_submit(*, assessment: Assessment, by) -> Assessment:
    """Send a draft or returned assessment to the coordinators for review."""
    assessment = _locked(assessment)
    policy.can_submit(by, assessment).enforce()
    _check_findings_finished(assessment)
    if not assessment.areas.exists():
        raise ValidationError(
            _("Choose at least one area the assessment covers before submitting it."),
            code="no_area",
        )
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.updated_by = by
    assessment._history_user = by
    assessment.save(update_fields=["status", "submitted_at", "updated_by", "updated_at"])
    reviewers = [user for user in coordinator_list() if user.pk != by.pk]
    send_to_users(reviewers, "assessments/submitted", {"assessment": assessment, "by": by})
    return assessment


@transaction.atomic
def assessment_return(*, assessment: Assessment, by, comment: str) -> Assessment:
    """Send a submitted assessment back to its lead organisation with what to change.

    A published assessment can be withdrawn the same way: it leaves the registry
    and returns to its lead organisation with the coordinator's comment.
    """
    assessment = _locked(assessment)
    policy.can_return(by, assessment).enforce()
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            {"comment": _("Say what the organisation should change.")}, code="comment_required"
        )
    was_published = assessment.is_published
    assessment.status = AssessmentStatus.RETURNED
    assessment.review_comment = comment
    assessment.published_at = None
    assessment.updated_by = by
    assessment._history_user = by
    assessment.save(
        update_fields=["status", "review_comment", "published_at", "updated_by", "updated_at"]
    )
    send_to_users(
        _lead_members(assessment),
        "assessments/returned",
        {"assessment": assessment, "by": by, "comment": comment, "was_published": was_published},
    )
    return assessment


@transaction.atomic
def assessment_publish(*, assessment: Assessment, by, restricted: bool = False) -> Assessment:
    """Publish a submitted assessment in the registry, for everybody or for members only."""
    assessment = _locked(assessment)
    policy.can_publish(by, assessment).enforce()
    _check_findings_finished(assessment)
    assessment.status = AssessmentStatus.PUBLISHED
    assessment.is_restricted = restricted
    assessment.published_at = timezone.now()
    assessment.review_comment = ""
    assessment.updated_by = by
    assessment._history_user = by
    assessment.save(
        update_fields=[
            "status",
            "is_restricted",
            "published_at",
            "review_comment",
            "updated_by",
            "updated_at",
        ]
    )
    send_to_users(
        _lead_members(assessment), "assessments/published", {"assessment": assessment, "by": by}
    )
    return assessment


# --- findings ------------------------------------------------------------------------------------

FindingKey = tuple[int, int]  # (area pk, domain pk)


@dataclass(frozen=True)
class FindingsPlan:
    """What saving some findings would do to an assessment's findings, before it is done."""

    added: list[FindingInput]
    changed: list[tuple[int, FindingInput]]  # the id of each finding changed, and its new values
    removed: list[Finding]
    unchanged: int

    def removed_keys(self) -> frozenset[FindingKey]:
        return frozenset((finding.area_id, finding.domain_id) for finding in self.removed)

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "changed": len(self.changed),
            "removed": len(self.removed),
        }


SEVERITIES = frozenset(Severity.values)


def _finding_errors(paths: frozenset[str], item: FindingInput, seen: set) -> list[str]:
    """What is wrong with one finding, its area and domain named; nothing, mostly."""
    wrong = []
    if not covers(paths, item.area):
        wrong.append(_("%(area)s is not one of the areas the assessment covers, nor inside one."))
    if item.severity not in SEVERITIES:
        wrong.append(_("%(area)s, %(domain)s: the severity must be from 1 to 5."))
    if item.people_in_need is not None and item.people_in_need < 0:
        wrong.append(_("%(area)s, %(domain)s: the people in need cannot be negative."))
    key = (item.area.pk, item.domain.pk)
    if key in seen:
        wrong.append(_("%(area)s, %(domain)s is given twice."))
    seen.add(key)
    if not wrong:
        return []
    names = {"area": item.area.name, "domain": item.domain.name}
    return [message % names for message in wrong]


def _check_findings(covered: Sequence[AdminArea], findings: Sequence[FindingInput]) -> None:
    paths, seen = covered_paths(covered), set()
    errors = [error for item in findings for error in _finding_errors(paths, item, seen)]
    if errors:
        raise ValidationError(errors, code="bad_findings")


def findings_plan(
    *,
    assessment: Assessment,
    findings: Sequence[FindingInput],
    cleared: Iterable[FindingKey] = (),
    replace_all: bool = False,
) -> FindingsPlan:
    """What saving ``findings`` would add, change and remove; a ValidationError if any is wrong.

    A finding is removed only when its area and domain are in ``cleared`` (a cell or row the
    user emptied) or, with ``replace_all``, when ``findings`` does not list it: findings that
    are simply not mentioned are kept.
    """
    _check_findings(list(assessment.areas.all()), findings)
    cleared = set(cleared)
    # Plain values first: the model objects are loaded only for the findings that change.
    existing = {
        (area_id, domain_id): (pk, severity, people)
        for pk, area_id, domain_id, severity, people in assessment.findings.values_list(
            "pk", "area_id", "domain_id", "severity", "people_in_need"
        )
    }
    added, changed, unchanged = [], [], 0
    for item in findings:
        current = existing.pop((item.area.pk, item.domain.pk), None)
        if current is None:
            added.append(item)
        elif current[1:] != (item.severity, item.people_in_need):
            changed.append((current[0], item))
        else:
            unchanged += 1
    removed = {pk for key, (pk, *_values) in existing.items() if replace_all or key in cleared}
    return FindingsPlan(
        added=added,
        changed=changed,
        removed=_findings_among(assessment, removed),
        unchanged=unchanged,
    )


def _findings_among(assessment: Assessment, pks: set[int]) -> list[Finding]:
    """The assessment's findings of ``pks``, in order, their area and domain loaded."""
    if not pks:
        return []
    # One pass over the assessment's findings: a list of 20,000 ids would cost more.
    findings = assessment.findings.select_related("area", "domain")
    return [finding for finding in findings if finding.pk in pks]


@transaction.atomic
def findings_save(
    *,
    assessment: Assessment,
    by,
    findings: Sequence[FindingInput],
    cleared: Iterable[FindingKey] = (),
    replace_all: bool = False,
    confirmed_removals: Iterable[FindingKey] = (),
    unfinished: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, int]:
    """Add and change ``findings`` and remove the findings ``findings_plan`` names; all or none.

    Nothing is removed that the caller has not confirmed (``confirmed_removals``, the
    keys of the findings the user saw listed for removal, or the cells they emptied): when
    the plan would remove anything else, because the findings changed meanwhile, nothing is
    saved. Returns how many findings were added, changed and removed. Unchanged findings keep
    their rows (and history); the others are written in bulk with their history.

    ``unfinished`` is the grid's cells that are not right, as typed: they replace those kept
    before. Without it (the sheet), a cell the sheet gives or removes is no longer unfinished.
    """
    assessment = _locked(assessment)
    _check_can_change(assessment, by)
    plan = findings_plan(
        assessment=assessment, findings=findings, cleared=cleared, replace_all=replace_all
    )
    if not plan.removed_keys() <= set(confirmed_removals):
        raise ValidationError(
            _(
                "The findings have changed since the sheet was checked, so nothing was "
                "imported. Upload it again to see what it would change now."
            ),
            code="unconfirmed_removals",
        )
    _write_plan(assessment, plan, by)
    assessment.unfinished_findings = _still_unfinished(
        assessment, findings, cleared, replace_all, unfinished
    )
    assessment.updated_by = by
    assessment._history_user = by
    assessment.save(update_fields=["unfinished_findings", "updated_by", "updated_at"])
    return plan.counts()


def _still_unfinished(assessment, findings, cleared, replace_all, unfinished) -> dict:
    if unfinished is not None:
        return {
            str(key): {
                name: storable(str(value)[:UNFINISHED_VALUE_CHARS]) for name, value in cell.items()
            }
            for key, cell in unfinished.items()
        }
    if replace_all:
        return {}
    given = {f"{item.area.pk}-{item.domain.pk}" for item in findings}
    given |= {f"{area}-{domain}" for area, domain in cleared}
    kept = assessment.unfinished_findings or {}
    return {key: cell for key, cell in kept.items() if key not in given}


def unfinished_cells(assessment: Assessment) -> list[str]:
    """The unfinished cells of the findings grid, each as "area, domain", in grid order."""
    keys = list(assessment.unfinished_findings or {})
    if not keys:
        return []
    pairs = [tuple(int(part) for part in key.split("-")) for key in keys]
    areas = AdminArea.objects.in_bulk({area for area, _domain in pairs})
    domains = HealthDomain.objects.in_bulk({domain for _area, domain in pairs})
    known = [
        (areas[area], domains[domain])
        for area, domain in pairs
        if area in areas and domain in domains
    ]
    known.sort(key=lambda pair: (pair[0].path, pair[1].order, pair[1].code))
    return [f"{area.name}, {domain.name}" for area, domain in known]


def _check_findings_finished(assessment: Assessment) -> None:
    cells = unfinished_cells(assessment)
    if cells:
        raise ValidationError(
            ngettext(
                "A finding is not finished (%(cells)s): complete or empty it on the findings "
                "page, then submit the assessment.",
                "%(count)s findings are not finished (%(cells)s): complete or empty them on "
                "the findings page, then submit the assessment.",
                len(cells),
            )
            % {"count": len(cells), "cells": "; ".join(cells)},
            code="unfinished",
        )


def _write_plan(assessment: Assessment, plan: FindingsPlan, by) -> None:
    """Write the plan in a few statements, each finding's history with it (``core.bulk``)."""
    added = bulk.insert(
        Finding,
        ["assessment", "area", "domain", "severity", "people_in_need"],
        [
            (assessment.pk, item.area.pk, item.domain.pk, item.severity, item.people_in_need)
            for item in plan.added
        ],
    )
    bulk.record_history(Finding, [pk for (pk,) in added], kind=bulk.ADDED, by=by)
    changes = [(pk, item.severity, item.people_in_need) for pk, item in plan.changed]
    bulk.update(Finding, ["severity", "people_in_need"], changes)
    bulk.record_history(Finding, [pk for pk, *_values in changes], kind=bulk.CHANGED, by=by)
    removed = [finding.pk for finding in plan.removed]
    bulk.record_history(Finding, removed, kind=bulk.REMOVED, by=by)
    bulk.delete(Finding, removed)


# --- attachments ---------------------------------------------------------------------------------


@transaction.atomic
def attachment_add(
    *, assessment: Assessment, by, upload: UploadedFile, kind: str = AttachmentKind.REPORT
) -> Attachment:
    """Attach a PDF, DOCX or XLSX file, its type checked from its content."""
    assessment = _locked(assessment)
    _check_can_change(assessment, by)
    if kind not in AttachmentKind.values:
        raise ValidationError({"kind": _("Choose what kind of file this is.")}, code="kind")
    file_type = check_upload(upload)
    attachment = Attachment(
        assessment=assessment,
        kind=kind,
        original_name=clean_original_name(upload.name, file_type),
        content_type=file_type.content_type,
        size=upload.size,
        uploaded_by=by,
    )
    attachment.file.save(attachment.original_name, upload, save=False)
    attachment._history_user = by
    try:
        attachment.save()
    except Exception:
        # The row was not written: the file must not stay behind unreferenced.
        delete_quietly(attachment.file.storage, attachment.file.name)
        raise
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, by) -> None:
    """Remove an attachment; its file is deleted once the removal is committed."""
    assessment = _locked(attachment.assessment)
    _check_can_change(assessment, by)
    stored = attachment.file.name
    storage = attachment.file.storage
    attachment._history_user = by
    attachment.delete()
    transaction.on_commit(partial(delete_quietly, storage, stored))


def attachments_of(assessment: Assessment) -> QuerySet:
    return assessment.attachments.select_related("uploaded_by").order_by("kind", "original_name")
