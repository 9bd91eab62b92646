"""The API's errors as JSON that says what is wrong, in the caller's language.

Every error has the same shape: ``{"error": {"status", "code", "message"}}``, with
``fields`` for a bad filter or parameter (each field's messages) and ``retry_after`` (seconds)
for a throttled request, whose response also carries ``Retry-After``. A refusal by a policy
(a 403) gives the policy's reason; a missing record, or one the caller may not see, the same
404.
"""

import math

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback


def _body(status_code: int, code: str, message: str, **extra) -> dict:
    return {"error": {"status": status_code, "code": code, "message": message, **extra}}


def exception_handler(exc, context) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Nothing was found at this address."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if not isinstance(exc, exceptions.APIException):
        return None  # a 500: Django's handler and logging

    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    extra = {}
    if isinstance(exc, exceptions.Throttled):
        wait = math.ceil(exc.wait or 1)
        headers["Retry-After"] = str(wait)
        extra["retry_after"] = wait
        message = _("Too many requests: try again in %(seconds)d seconds.") % {"seconds": wait}
        body = _body(status.HTTP_429_TOO_MANY_REQUESTS, "throttled", message, **extra)
    elif isinstance(exc, exceptions.ValidationError):
        body = _body(
            exc.status_code,
            "invalid",
            _("Some parameters are not valid: see fields."),
            fields=_fields(exc.detail),
        )
    else:
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        body = _body(exc.status_code, code, str(exc.detail))
    set_rollback()
    return Response(body, status=exc.status_code, headers=headers)


def _fields(detail) -> dict:
    if isinstance(detail, dict):
        return {
            name: [str(message) for message in _flat(messages)] for name, messages in detail.items()
        }
    return {"non_field_errors": [str(message) for message in _flat(detail)]}


def _flat(messages) -> list:
    if isinstance(messages, (list, tuple)):
        return [item for message in messages for item in _flat(message)]
    if isinstance(messages, dict):
        return [item for message in messages.values() for item in _flat(message)]
    return [messages]
