"""View decorators shared by every app."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


def coordinator_required(view: Callable) -> Callable:
    """Coordinators and site administrators only: others get 403, visitors the login page.

    A 403 is right here: these pages are the cluster's own tools, not an organisation's
    records, so refusing them reveals nothing.
    """

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_cluster_coordinator:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
