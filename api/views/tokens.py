"""Personal API tokens on the profile page: the list, a new token (its secret shown once) and
revoking one through the shared confirmation page. What is allowed is ``api.policy``'s."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.cache import patch_cache_control
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from api import policy, selectors, services
from api.forms import TokenForm
from core.confirm import Confirmation, confirmation_page


def profile_section(request: HttpRequest) -> SafeString:
    """The profile page's section: the user's tokens and whether they may make one."""
    return render_to_string(
        "api/profile_tokens.html",
        {
            "tokens": list(selectors.tokens_of(request.user)),
            "may_create": policy.can_create_token(request.user),
        },
        request=request,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def token_create(request: HttpRequest) -> HttpResponse:
    decision = policy.can_create_token(request.user)
    if not decision:
        raise PermissionDenied(decision.reason)
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        created = services.token_create(
            user=request.user,
            name=form.cleaned_data["name"],
            lifetime_days=form.cleaned_data["lifetime_days"],
        )
        response = render(request, "api/token_created.html", {"created": created})
        # The secret is on this page only: no cache, no back button, may keep it.
        patch_cache_control(response, private=True, no_store=True)
        return response
    return render(request, "api/token_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = selectors.get_token_for_user(request.user, pk)
    decision = policy.can_revoke_token(request.user, token)
    if not decision:
        raise PermissionDenied(decision.reason)
    if request.method == "POST":
        services.token_revoke(token=token, by=request.user)
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
        return redirect("accounts:profile")
    return confirmation_page(
        request,
        Confirmation(
            title=_("Revoke the token “%(name)s”?") % {"name": token.name},
            button=_("Revoke the token"),
            consequences=[
                _("Every program using this token is refused from now on."),
                _("A revoked token cannot be used again: make a new one if needed."),
            ],
            cancel_url=reverse("accounts:profile"),
            danger=True,
        ),
    )


urlpatterns = [
    path("new/", token_create, name="create"),
    path("<int:pk>/revoke/", token_revoke, name="revoke"),
]
