"""Workflow decisions: may this user take this action now, and if not, why not.

Each workflow keeps its rules in its app's ``policy.py``: one function per action,
``can_<action>(user, record) -> Decision``. Services enforce the decision
(``decision.enforce()``); views and templates ask the same function which buttons to show,
so a rule and its message are written once (``docs/architecture.md``, "Workflow policies").
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


@dataclass(frozen=True)
class Decision:
    """Whether an action is allowed; when it is not, the reason in the user's language.

    A refusal is either about who asks (``forbidden``: the service raises
    ``PermissionDenied``) or about the record's present state (the service raises
    ``ValidationError`` with ``code``). A decision is truthy when the action is allowed, so a
    template reads ``{% if actions.submit %}``.
    """

    allowed: bool
    reason: str = ""
    code: str = ""
    forbidden: bool = False

    def __bool__(self) -> bool:
        return self.allowed

    def enforce(self) -> None:
        """Raise the refusal, if this is one: what a service does before it acts."""
        if self.allowed:
            return
        if self.forbidden:
            raise PermissionDenied(self.reason)
        raise ValidationError(self.reason, code=self.code)


ALLOWED = Decision(allowed=True)


def forbid(reason: str) -> Decision:
    """A refusal because of who asks: nothing about the record would change it."""
    return Decision(allowed=False, reason=reason, code="forbidden", forbidden=True)


def refuse(reason: str, code: str) -> Decision:
    """A refusal because of the record's present state (or the period's, or the time)."""
    return Decision(allowed=False, reason=reason, code=code)


def first_refusal(*decisions: Decision) -> Decision:
    """The first refusal among ``decisions``, in their order, or ``ALLOWED``."""
    return next((decision for decision in decisions if not decision), ALLOWED)


def refused_response(request: HttpRequest, decision: Decision, to: str, **kwargs) -> HttpResponse:
    """What a view answers to a refused action: a 403 with the reason when it is about who
    asks, otherwise the reason as a message on the page ``to`` (a URL name and its
    arguments, as for ``redirect``)."""
    if decision.forbidden:
        raise PermissionDenied(decision.reason)
    messages.error(request, decision.reason)
    return redirect(to, **kwargs)
