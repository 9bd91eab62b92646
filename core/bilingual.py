"""The one pattern for content in English and Arabic.

A model stores each bilingual text as two fields, ``<name>_en`` (required) and
``<name>_ar`` (optional), and exposes ``<name> = bilingual("<name>")``. Reading
it gives the text in the active language; where the Arabic is empty it falls
back to the English and says so (``is_fallback``), so templates can mark it with
``{% bi obj.name %}`` (lang="en" and a visible note) instead of hiding the gap.
"""

from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language


class BilingualText(str):
    """A string that knows which language it is in and whether it is a fallback."""

    lang: str
    is_fallback: bool

    def __new__(cls, value: str, *, lang: str, is_fallback: bool = False):
        text = super().__new__(cls, value or "")
        text.lang = lang
        text.is_fallback = is_fallback
        return text


def wants_arabic() -> bool:
    return (get_language() or "en").startswith("ar")


def bilingual(name: str) -> property:
    """A read-only property giving ``<name>_ar`` or ``<name>_en`` for the active language."""

    def read(obj) -> BilingualText:
        english = getattr(obj, f"{name}_en") or ""
        if wants_arabic():
            arabic = getattr(obj, f"{name}_ar") or ""
            if arabic:
                return BilingualText(arabic, lang="ar")
            return BilingualText(english, lang="en", is_fallback=bool(english))
        return BilingualText(english, lang="en")

    return property(read, doc=f"{name} in the active language, falling back to English.")


def bilingual_expression(name: str):
    """The same choice as a database expression, to order or filter by it in SQL."""
    if wants_arabic():
        return Coalesce(NullIf(F(f"{name}_ar"), Value("")), F(f"{name}_en"))
    return F(f"{name}_en")
