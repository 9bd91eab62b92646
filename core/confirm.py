"""One confirmation page for every action that cannot be undone.

A view shows the page on GET (nothing happens) and acts only on the POST from its button.
The page says what will happen and to whom, with any warning, and may carry the fields the
action needs (a withdrawal's reason). Bulletins use it to publish and withdraw; approvals and
validations reuse it.
"""

from dataclasses import dataclass, field

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme


@dataclass
class Confirmation:
    title: str
    button: str  # what the button does, as a verb: "Publish and email 42 subscribers"
    consequences: list[str]  # what will happen, and to whom
    cancel_url: str
    warnings: list[str] = field(default_factory=list)
    form: Form | None = None  # fields the action needs
    danger: bool = False  # a destructive action: the button is red
    back_label: str = ""  # the cancel link's words; "Cancel" when empty


def confirmation_page(
    request: HttpRequest, confirmation: Confirmation, status: int = 200
) -> HttpResponse:
    response = render(request, "core/confirm.html", {"confirmation": confirmation}, status=status)
    patch_cache_control(response, private=True, no_store=True)
    return response


def back_url(request: HttpRequest, default: str) -> str:
    """The list a confirmation was opened from (with its filters, in ``?next=``), else
    ``default``. Only a path of this site."""
    target = request.GET.get("next", "") or request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
