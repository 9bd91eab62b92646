"""The user's own account pages (profile, their data, deletion), the privacy notice and the
admin's login, which sends everyone to the portal's."""

import json

from allauth.core import ratelimit
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.forms import AccountDeleteForm, ProfileForm
from accounts.mfa import mfa_required_for
from accounts.profile_sections import render_sections
from accounts.selectors import personal_data_export
from accounts.services import user_erase, user_update_profile


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    # A copy: the form writes submitted values into its instance before they are saved.
    instance = get_user_model().objects.get(pk=request.user.pk)
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            user_update_profile(
                user=request.user,
                full_name=form.cleaned_data["full_name"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("accounts:profile")
    context = {
        "form": form,
        "has_totp": Authenticator.objects.filter(
            user=request.user, type=Authenticator.Type.TOTP
        ).exists(),
        "mfa_required": mfa_required_for(request.user),
        "sections": render_sections(request),
    }
    return render(request, "accounts/profile.html", context)


@require_GET
def privacy_notice(request: HttpRequest) -> HttpResponse:
    context = {
        "contact_email": settings.PRIVACY_CONTACT_EMAIL,
        "signup_retention_days": settings.UNCONFIRMED_SIGNUP_RETENTION_DAYS,
        "idle_hours": settings.SESSION_IDLE_TIMEOUT / 3600,
        "absolute_hours": settings.SESSION_ABSOLUTE_TIMEOUT / 3600,
    }
    return render(request, "accounts/privacy_notice.html", context)


@login_required
@require_GET
def data_download(request: HttpRequest) -> HttpResponse:
    """The user's personal data as a JSON file."""
    now = timezone.now()
    data = personal_data_export(user=request.user, now=now)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    filename = f"health-cluster-personal-data-{now:%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST":
        # Password guesses here count against the same limit as allauth's reauthentication.
        if not ratelimit.consume(request, action="reauthenticate", user=request.user):
            messages.error(request, _("Too many attempts. Wait a minute, then try again."))
        elif form.is_valid():
            try:
                user_erase(user=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                logout(request)
                messages.success(
                    request,
                    _("Your account is deleted. The personal data it held has been erased."),
                )
                return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})


@never_cache
def admin_login(request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
    """Replaces the Django admin's login page, which would take a password on its own.

    Everyone signs in through the portal's login, with its rate limits and two-factor step;
    a signed-in administrator goes on to the admin, anyone else signed in is refused.
    """
    next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
    # Only a path of this site, sent as it is: ``redirect`` would look a bare word up as the
    # name of a URL and fail (a 500) when there is none.
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return HttpResponseRedirect(next_url)
        raise PermissionDenied
    return redirect_to_login(next_url)
