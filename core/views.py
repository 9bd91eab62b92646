"""The coordinators' revision pages for every registered model (see core/revisions.py), and
the 500 page that says when the cause was the file or text the person sent (core/errors.py)."""

import logging
import sys

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import InterfaceError, OperationalError, connection, models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.defaults import server_error as django_server_error

from core.decorators import coordinator_required
from core.errors import UnreadableInput
from core.revisions import (
    Revisable,
    describe_history_type,
    format_revision_date,
    get_revisable,
    latest_record,
    revision_changes,
    revision_restore,
    revisions_of,
)

PAGE_SIZE = 25

logger = logging.getLogger(__name__)


def _revisable_or_404(label: str) -> Revisable:
    try:
        return get_revisable(label)
    except LookupError:
        raise Http404 from None


def _object_or_404(revisable: Revisable, pk: int) -> models.Model:
    try:
        return revisable.model._default_manager.get(pk=pk)
    except revisable.model.DoesNotExist:
        raise Http404 from None


def _revision_or_404(obj: models.Model, history_id: int):
    revision = revisions_of(obj).filter(history_id=history_id).first()
    if revision is None:
        raise Http404
    return revision


def _context(revisable: Revisable, obj: models.Model) -> dict:
    return {
        "revisable": revisable,
        "object": obj,
        "object_url": obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "",
        "model_name": revisable.verbose_name,
    }


@require_safe
@coordinator_required
def revision_list(request: HttpRequest, label: str, pk: int) -> HttpResponse:
    revisable = _revisable_or_404(label)
    obj = _object_or_404(revisable, pk)
    page = Paginator(revisions_of(obj), PAGE_SIZE).get_page(request.GET.get("page"))
    current_id = latest_record(obj).history_id if page.paginator.count else None
    rows = [
        {
            "record": record,
            "kind": describe_history_type(record.history_type),
            "date": format_revision_date(record),
            "is_current": record.history_id == current_id,
        }
        for record in page.object_list
    ]
    return render(
        request,
        "core/revision_list.html",
        {**_context(revisable, obj), "page_obj": page, "rows": rows},
    )


@require_safe
@coordinator_required
def revision_compare(request: HttpRequest, label: str, pk: int, history_id: int) -> HttpResponse:
    revisable = _revisable_or_404(label)
    obj = _object_or_404(revisable, pk)
    revision = _revision_or_404(obj, history_id)
    changes = revision_changes(revisable=revisable, obj=obj, revision=revision)
    return render(
        request,
        "core/revision_compare.html",
        {
            **_context(revisable, obj),
            "revision": revision,
            "revision_date": format_revision_date(revision),
            "changes": changes,
            "is_current": latest_record(obj).history_id == revision.history_id,
        },
    )


@require_POST
@coordinator_required
def revision_restore_view(
    request: HttpRequest, label: str, pk: int, history_id: int
) -> HttpResponse:
    revisable = _revisable_or_404(label)
    obj = _object_or_404(revisable, pk)
    revision = _revision_or_404(obj, history_id)
    try:
        revision_restore(revisable=revisable, obj=obj, revision=revision, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("core:revision_compare", label=label, pk=pk, history_id=history_id)
    messages.success(
        request,
        _("The revision of %(date)s is restored; it is now the current version.")
        % {"date": format_revision_date(revision)},
    )
    return redirect("core:revision_list", label=label, pk=pk)


# The 500 page --------------------------------------------------------------------------


def _language_of(request: HttpRequest) -> str:
    return (
        getattr(request, "LANGUAGE_CODE", None)
        or translation.get_language_from_path(request.path_info)
        or settings.LANGUAGE_CODE
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page (``handler500``). When the error came from reading what the request sent
    (``core.errors.UnreadableInput``), it says so in the request's language; otherwise it is
    the plain bilingual ``500.html``. Django has logged the error before calling it."""
    error = sys.exc_info()[1]
    if _database_lost(error):
        return _database_unavailable(request)
    if not isinstance(error, UnreadableInput):
        return django_server_error(request)
    try:
        with translation.override(_language_of(request)):
            # Without the request: its context processors may need the database.
            html = render_to_string("500_input.html", {"what": error.what})
    except Exception:
        logger.exception("The 500 page for an unreadable input could not be rendered.")
        return django_server_error(request)
    return HttpResponseServerError(html)


def _database_lost(error) -> bool:
    """The request failed because the database could not be reached or dropped the
    connection, rather than on something it asked of it."""
    if not isinstance(error, OperationalError | InterfaceError):
        return False
    link = connection.connection
    return link is None or bool(getattr(link, "closed", False))


def _database_unavailable(request: HttpRequest) -> HttpResponse:
    """A 503 that says the database is out of reach (a PgBouncer or PostgreSQL restart, a
    failover): nothing was saved, and trying again shortly will work. Rendered without the
    request, whose context processors need the database."""
    with translation.override(_language_of(request)):
        html = render_to_string("503_database.html")
    response = HttpResponse(html, status=503)
    response.database_unavailable = True  # the page cache may answer with its last copy
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response
