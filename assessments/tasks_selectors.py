"""The assessments app's lines on the My tasks page.

Coordinators see the assessments waiting for their review; members of an
organisation see its assessments returned to them, and those they wait on.
"""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.models import Assessment, AssessmentStatus
from core.tasks import Task
from partners.access import is_coordinator, user_organisation


def tasks_for_user(user) -> list[Task]:
    """What waits for the user in the assessment workflow (at most two queries)."""
    tasks: list[Task] = []
    if is_coordinator(user):
        to_review = Assessment.objects.submitted().count()
        if to_review:
            tasks.append(
                Task(
                    title=_("Assessments to review"),
                    description=ngettext(
                        "%(count)d needs assessment waits for your review.",
                        "%(count)d needs assessments wait for your review.",
                        to_review,
                    )
                    % {"count": to_review},
                    url=reverse("assessments:review_queue"),
                    count=to_review,
                    kind="action",
                )
            )
    organisation = user_organisation(user)
    if organisation is not None:
        counts = Assessment.objects.filter(lead_organisation=organisation).aggregate(
            returned=Count("pk", filter=Q(status=AssessmentStatus.RETURNED)),
            submitted=Count("pk", filter=Q(status=AssessmentStatus.SUBMITTED)),
        )
        if counts["returned"] and organisation.is_approved:
            tasks.append(
                Task(
                    title=_("Assessments returned to you"),
                    description=ngettext(
                        "%(count)d assessment of your organisation was returned for changes.",
                        "%(count)d assessments of your organisation were returned for changes.",
                        counts["returned"],
                    )
                    % {"count": counts["returned"]},
                    url=reverse("assessments:mine") + "?status=returned",
                    count=counts["returned"],
                    kind="action",
                )
            )
        if counts["submitted"]:
            tasks.append(
                Task(
                    title=_("Assessments under review"),
                    description=ngettext(
                        "%(count)d assessment of your organisation waits for the coordinators.",
                        "%(count)d assessments of your organisation wait for the coordinators.",
                        counts["submitted"],
                    )
                    % {"count": counts["submitted"]},
                    url=reverse("assessments:mine") + "?status=submitted",
                    count=counts["submitted"],
                    kind="waiting",
                )
            )
    return tasks
