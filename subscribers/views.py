"""Public pages of the subscriptions: subscribe, confirm, unsubscribe.

None of them tells whether an address is subscribed. Confirming and unsubscribing take a
signed link from an email; its GET shows a button and only the POST acts, so a mail
scanner that opens every link neither confirms nor cancels anything. The unsubscribe POST
is exempt from CSRF: mail clients send it without a cookie (RFC 8058 one-click), and the
signed token in the URL is what proves the right to act.
"""

from allauth.core import ratelimit
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import Language
from subscribers import services
from subscribers.forms import SubscribeForm
from subscribers.models import Subscriber
from subscribers.tokens import (
    InvalidToken,
    confirmation_days,
    read_confirmation_token,
    read_unsubscribe_token,
)


def _invalid_link(request: HttpRequest, kind: str) -> HttpResponse:
    response = render(request, "subscribers/invalid_link.html", {"kind": kind}, status=400)
    add_never_cache_headers(response)
    return response


def _private(response: HttpResponse) -> HttpResponse:
    # Pages reached through a personal link are nobody else's: no shared cache keeps them.
    add_never_cache_headers(response)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        form = SubscribeForm()
    elif not ratelimit.consume(request, action="subscribe"):
        # Too many requests from this client address (ACCOUNT_RATE_LIMITS["subscribe"]):
        # nothing is sent, and the form comes back as it was filled in.
        return render(
            request,
            "subscribers/subscribe.html",
            {"form": _unchecked(request), "days": confirmation_days(), "limited": True},
            status=429,
        )
    else:
        form = SubscribeForm(request.POST)
        if form.is_valid():
            services.subscription_request(
                email=form.cleaned_data["email"], language=form.cleaned_data["language"]
            )
            return redirect("subscribers:requested")
    return render(
        request,
        "subscribers/subscribe.html",
        {"form": form, "days": confirmation_days()},
        status=400 if form.is_bound else 200,
    )


def _unchecked(request: HttpRequest) -> SubscribeForm:
    """The form with what was posted, unvalidated: a refused request shows no field errors."""
    initial = {"email": request.POST.get("email", "")[:254]}
    if request.POST.get("language") in Language.values:
        initial["language"] = request.POST["language"]
    return SubscribeForm(initial=initial)


@require_safe
def requested(request: HttpRequest) -> HttpResponse:
    """The same page after every valid request, whatever the address's state."""
    return render(request, "subscribers/requested.html", {"days": confirmation_days()})


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        confirmation = read_confirmation_token(token)
    except InvalidToken:
        return _invalid_link(request, "confirm")
    if request.method != "POST":
        if not Subscriber.objects.filter(uid=confirmation.uid).exists():
            return _invalid_link(request, "confirm")
        return _private(
            render(
                request,
                "subscribers/confirm.html",
                {"token": token, "language": Language(confirmation.language).label},
            )
        )
    subscriber = services.subscription_confirm(confirmation=confirmation)
    if subscriber is None:
        return _invalid_link(request, "confirm")
    return _private(
        render(
            request,
            "subscribers/confirmed.html",
            {"language": subscriber.get_language_display()},
        )
    )


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        uid = read_unsubscribe_token(token)
    except InvalidToken:
        return _invalid_link(request, "unsubscribe")
    if request.method != "POST":
        return _private(render(request, "subscribers/unsubscribe.html", {"token": token}))
    # Whether the address was still subscribed or not, the outcome is the same: it is not.
    services.subscription_cancel(uid=uid)
    return _private(render(request, "subscribers/unsubscribed.html"))
