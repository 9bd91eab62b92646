"""What importing a findings sheet will remove, said before it is done.

A sheet that would remove findings (rows emptied, or every finding it does not list when
the user chose to replace them all) is not imported at once: the confirmation page lists
each finding to be removed, and carries the checked sheet, signed, so that its button
imports exactly what was shown. The signature names the assessment and expires; the
service refuses when the findings to remove are no longer the ones listed.
"""

from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.findings_sheet import SheetFindings
from assessments.forms import FindingsConfirmForm
from assessments.models import Assessment, Finding
from assessments.services import FindingInput, FindingKey, FindingsPlan
from core.confirm import Confirmation
from locations.models import AdminArea
from strategy.models import HealthDomain

SALT = "assessments.findings-upload"
MAX_AGE = 60 * 60  # seconds: an hour to read the list and confirm


@dataclass(frozen=True)
class CheckedSheet:
    """A sheet read and checked, waiting for the user to confirm what it removes."""

    sheet: SheetFindings
    replace_all: bool
    removals: frozenset[FindingKey]


def sign_sheet(assessment: Assessment, checked: CheckedSheet) -> str:
    value = {
        "a": assessment.pk,
        "f": [
            [item.area.pk, item.domain.pk, item.severity, item.people_in_need]
            for item in checked.sheet.findings
        ],
        "c": [list(key) for key in checked.sheet.cleared],
        "r": checked.replace_all,
        "x": sorted(list(key) for key in checked.removals),
    }
    return signing.dumps(value, salt=SALT, compress=True)


def expired() -> ValidationError:
    return ValidationError(
        _(
            "This confirmation has expired or is not valid: nothing was imported. Upload the "
            "sheet again."
        ),
        code="expired",
    )


def read_signed_sheet(assessment: Assessment, token: str) -> CheckedSheet:
    """The sheet the confirmation page carried; a ValidationError when it is not this one's."""
    try:
        value = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature as error:
        raise expired() from error
    if value.get("a") != assessment.pk:
        raise expired()
    rows = value["f"]
    areas = AdminArea.objects.in_bulk({row[0] for row in rows})
    domains = HealthDomain.objects.in_bulk({row[1] for row in rows})
    if any(row[0] not in areas or row[1] not in domains for row in rows):
        raise expired()
    findings = [
        FindingInput(
            area=areas[area], domain=domains[domain], severity=severity, people_in_need=people
        )
        for area, domain, severity, people in rows
    ]
    return CheckedSheet(
        sheet=SheetFindings(findings=findings, cleared=[tuple(key) for key in value["c"]]),
        replace_all=bool(value["r"]),
        removals=frozenset(tuple(key) for key in value["x"]),
    )


def _removal_line(finding: Finding) -> str:
    names = {
        "area": finding.area.name,
        "pcode": finding.area.pcode,
        "domain": finding.domain.name,
        "severity": finding.severity,
    }
    if finding.people_in_need is None:
        return (
            _("Remove the finding in %(area)s (%(pcode)s) for %(domain)s: severity %(severity)d.")
            % names
        )
    names["people"] = number_format(finding.people_in_need, force_grouping=True)
    return (
        _(
            "Remove the finding in %(area)s (%(pcode)s) for %(domain)s: severity %(severity)d, "
            "%(people)s people in need."
        )
        % names
    )


def _count_lines(plan: FindingsPlan) -> list[str]:
    added, changed = len(plan.added), len(plan.changed)
    return [
        ngettext("%(count)d finding added.", "%(count)d findings added.", added) % {"count": added},
        ngettext("%(count)d finding changed.", "%(count)d findings changed.", changed)
        % {"count": changed},
    ]


def upload_confirmation(
    assessment: Assessment, checked: CheckedSheet, plan: FindingsPlan
) -> Confirmation:
    """The page that lists the findings a sheet would remove and asks before importing it."""
    count = len(plan.removed)
    if checked.replace_all:
        why = _(
            "You chose to replace every finding: the findings the sheet does not list are removed."
        )
    else:
        why = _(
            "The rows of these findings are in the sheet with their severity and people in "
            "need empty. Findings the sheet does not list are kept."
        )
    form = FindingsConfirmForm(initial={"plan": sign_sheet(assessment, checked)})
    return Confirmation(
        title=ngettext(
            "Import the sheet and remove %(count)d finding?",
            "Import the sheet and remove %(count)d findings?",
            count,
        )
        % {"count": count},
        button=ngettext(
            "Import and remove %(count)d finding",
            "Import and remove %(count)d findings",
            count,
        )
        % {"count": count},
        consequences=_count_lines(plan) + [_removal_line(finding) for finding in plan.removed],
        warnings=[why],
        cancel_url=reverse("assessments:findings", args=[assessment.pk]),
        back_label=_("Cancel: import nothing"),
        form=form,
        danger=True,
    )
