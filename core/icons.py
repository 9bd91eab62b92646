"""The portal's icons: a few of Bootstrap Icons (MIT), the npm package pinned in
``package.json``, copied into ``static/icons`` by ``manage.py copy_icons`` so that only the icons
used are shipped and nothing is read from ``node_modules`` when the portal runs.

An icon is written into the page as SVG (``{% icon "calendar-event" %}``): it takes the text's
colour, costs no request, and is hidden from screen readers, the words beside it saying what it
means.
"""

import functools
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils.safestring import SafeString, mark_safe

ICONS = (
    "bar-chart-line",
    "building",
    "calendar-event",
    "cash-coin",
    "clipboard2-pulse",
    "envelope",
    "file-earmark-text",
    "hospital",
    "people-fill",
    "person-plus",
    "shield-exclamation",
    "telephone",
)
PACKAGE = Path(settings.BASE_DIR) / "node_modules" / "bootstrap-icons" / "icons"
FOLDER = Path(settings.BASE_DIR) / "static" / "icons"


@functools.cache
def icon_svg(name: str) -> SafeString:
    if name not in ICONS:
        raise ValueError(f"{name!r} is not one of core.icons.ICONS")
    path = finders.find(f"icons/{name}.svg") or settings.STATIC_ROOT / "icons" / f"{name}.svg"
    svg = Path(path).read_text(encoding="utf-8").strip()
    # The package's own markup, with what an icon beside words needs.
    return mark_safe(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))
