"""What every public read endpoint of the API shares: anonymous callers allowed, CORS for
any origin, conditional requests, and answers that vary with the token."""

from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination

from api import conditional
from core.inputs import UNSTORABLE_TEXT, is_storable_text

# CORS: any site may read the public endpoints from a browser, anonymously. The
# Authorization header is not among those allowed, so a browser never sends a token across
# origins, and no credentials (cookies) are allowed either.
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since, Accept-Language",
    "Access-Control-Expose-Headers": "ETag, Last-Modified, Retry-After",
    "Access-Control-Max-Age": "3600",
}


def check_query(request) -> None:
    """A 400 naming each query parameter whose text PostgreSQL cannot compare (a NUL or a
    lone surrogate), before any filter reads it: as in the pages' forms (``core.inputs``)."""
    refused = {
        name: [str(UNSTORABLE_TEXT)]
        for name, values in request.query_params.lists()
        if not all(is_storable_text(value) for value in [name, *values])
    }
    if refused:
        raise ValidationError(refused)


class PublicRead:
    """Mixin of the public read views (before DRF's view class in the bases)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        check_query(request)

    def get(self, request, *args, **kwargs):
        etag, last_modified = conditional.validators(request)
        not_modified = get_conditional_response(
            request, etag=etag, last_modified=last_modified.timestamp()
        )
        if not_modified is not None:
            not_modified["ETag"] = etag  # RFC 9110: a 304 repeats the validators
            return not_modified
        response = super().get(request, *args, **kwargs)
        if response.status_code == 200:
            response["ETag"] = etag
            response["Last-Modified"] = http_date(last_modified.timestamp())
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        for name, value in CORS_HEADERS.items():
            response[name] = value
        # A token's answer may hold members' records: no shared cache may give it to others.
        patch_vary_headers(response, ["Authorization", "Accept-Language"])
        return response


class PageNumbers(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class Cursor(CursorPagination):
    """For the long lists: a page is one indexed range scan however deep, and rows added
    meanwhile neither repeat nor vanish from the pages still to read."""

    page_size = 200
    page_size_query_param = "page_size"
    max_page_size = 1000


class TreeCursor(Cursor):
    """Admin areas in tree order: ``path`` is unique, so the cursor needs no tie-breaker."""

    ordering = ("path",)
