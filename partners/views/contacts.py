"""The members' contact list: the coordinators and each approved organisation's focal point.

Email addresses of people are not public: only coordinators and members of an approved (or
suspended) organisation see this page; visitors are asked to log in, others are refused.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from core.bilingual import bilingual_expression
from partners.access import reads_member_content
from partners.models import MemberRole, Membership, Organisation


def _focal_point() -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.active()
        .filter(role=MemberRole.FOCAL_POINT)
        .select_related("user"),
        to_attr="focal_memberships",
    )


@require_safe
@login_required
def contacts(request: HttpRequest) -> HttpResponse:
    if not reads_member_content(request.user):
        raise PermissionDenied
    coordinators = (
        get_user_model()
        .objects.filter(is_coordinator=True, is_active=True)
        .order_by("full_name", "email")
    )
    organisations = (
        Organisation.objects.approved()
        .prefetch_related(_focal_point())
        .annotate(sort_name=bilingual_expression("name"))
        .order_by("sort_name", "pk")
    )
    return render(
        request,
        "partners/contacts.html",
        {"coordinators": coordinators, "organisations": organisations},
    )


urlpatterns = [path("contacts/", contacts, name="contacts")]
