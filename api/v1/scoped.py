"""What the token-only endpoints share: a token required, conditional requests keyed on the
caller's own scope, the pages' filter sets with the arguments the pages give them.

No CORS header: these answers hold members' records, and a browser on another site never
reads them. A request without a token is a 401 that says how to send one.
"""

from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.permissions import IsAuthenticated

from api import conditional
from api.v1.base import check_query
from partners.access import is_coordinator, user_organisation


def scope_of_person(user) -> str:
    """What decides the rows a person reads: all of them, or their organisation's."""
    if is_coordinator(user):
        return "coordinator"
    organisation = user_organisation(user)
    return f"organisation:{organisation.pk}" if organisation else conditional.scope_of(user)


class TokenRead:
    """Mixin of the token-only read views (before DRF's view class in the bases)."""

    permission_classes = [IsAuthenticated]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        check_query(request)

    def get(self, request, *args, **kwargs):
        etag, last_modified = conditional.validators(request, scope_of_person(request.user))
        not_modified = get_conditional_response(
            request, etag=etag, last_modified=last_modified.timestamp()
        )
        if not_modified is not None:
            not_modified["ETag"] = etag
            return not_modified
        response = super().get(request, *args, **kwargs)
        if response.status_code == 200:
            response["ETag"] = etag
            response["Last-Modified"] = http_date(last_modified.timestamp())
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Authorization", "Accept-Language"])
        response["Cache-Control"] = "private, no-cache"
        return response


class PageFilterBackend(DjangoFilterBackend):
    """django-filter's backend, giving the filter set what its page gives it
    (``view.filterset_kwargs()``: the reports' organisation filter for coordinators only)."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        extra = getattr(view, "filterset_kwargs", None)
        return kwargs | (extra() if extra else {})
