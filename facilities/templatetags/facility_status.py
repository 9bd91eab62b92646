"""Template helpers of the facility pages: the names of a status's causes, and the colour a
functionality is shown in (always beside its words, never alone)."""

from django import template

from facilities.models import Cause, Functionality

register = template.Library()

_CAUSES = dict(Cause.choices)
_TONES = {
    Functionality.FULLY: "text-bg-success",
    Functionality.PARTIALLY: "text-bg-warning",
    Functionality.NOT: "text-bg-danger",
}


@register.filter
def cause_names(causes) -> str:
    """``{{ status.causes|cause_names }}``: the causes' names, in the page's language."""
    return ", ".join(str(_CAUSES.get(cause, cause)) for cause in causes or ())


@register.filter
def functionality_tone(functionality: str) -> str:
    """The badge class of a functionality; grey for "no recent data"."""
    return _TONES.get(functionality, "text-bg-secondary")
