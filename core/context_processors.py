"""Values every page template needs: the other language's URL and the demo flag."""

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language


def portal(request) -> dict:
    current = (get_language() or settings.LANGUAGE_CODE)[:2]
    other = "en" if current == "ar" else "ar"
    return {
        "other_language": other,
        "other_language_url": translate_url(request.get_full_path(), other),
        "is_rtl": current == "ar",
        "demo_mode": settings.DEMO_MODE,
    }
