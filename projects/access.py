"""The projects a user may reach: one that is not theirs to see is a 404.

Accepted projects are the cluster's plan, read by every member and coordinator; a draft, a
submitted or a returned project only by its organisation and the coordinators. The public
sees no project yet: funding reaches it later through the disclosure rules. What the user may
do with what they see is ``projects.policy``'s to say.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from partners.access import is_coordinator, reads_member_content, user_organisation
from projects.models import Project, ReviewState


def visible_projects(user) -> QuerySet[Project]:
    if is_coordinator(user):
        return Project.objects.all()
    if not reads_member_content(user):
        return Project.objects.none()
    rule = Q(state=ReviewState.ACCEPTED)
    organisation = user_organisation(user)
    if organisation is not None:
        rule |= Q(organisation=organisation.pk)
    return Project.objects.filter(rule)


def get_project_for_user(user, pk) -> Project:
    try:
        return visible_projects(user).select_related("organisation", "reviewed_by").get(pk=pk)
    except (Project.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
