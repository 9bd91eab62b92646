"""The cluster's accent colour: checked for contrast, and the lighter tint derived from it.

The accent fills the home page's band (white text on it), colours the key figures and the
links on the tinted blocks (accent on the tint), and the bulletin's titles (accent on
white). Each pair must meet WCAG 2.2 AA for normal text, 4.5:1.
"""

import base64
import re
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from partners.forms.registration import LOGO_TYPES

DEFAULT_ACCENT = "#0b3d75"
HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
WHITE = "#ffffff"
TINT_SHARE = 0.1  # the tint is one part accent to nine parts white
MINIMUM_CONTRAST = 4.5


def _channels(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[index : index + 2], 16) for index in (1, 3, 5))


def _luminance(colour: str) -> float:
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in _channels(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    """WCAG's contrast ratio of two colours, from 1 to 21."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def tint(colour: str) -> str:
    """The accent mixed into white: the background of the tinted blocks."""
    mixed = (round(255 + (channel - 255) * TINT_SHARE) for channel in _channels(colour))
    return "#" + "".join(f"{channel:02x}" for channel in mixed)


def check_accent(colour: str) -> None:
    """Refuse a colour that is not #rrggbb, or that white text on it, or it as text on its
    tint, would not read (4.5:1)."""
    if not HEX.match(colour or ""):
        raise ValidationError(
            _("Give the colour as # and six hexadecimal digits, such as #0b3d75."),
            code="colour_format",
        )
    ratio = min(contrast(colour, WHITE), contrast(colour, tint(colour)))
    if ratio < MINIMUM_CONTRAST:
        raise ValidationError(
            _(
                "This colour is too light: white text on it, or it as text on its light "
                "tint, has a contrast of %(ratio)s to 1, and at least 4.5 to 1 is needed to "
                "read. Choose a darker colour."
            ),
            code="colour_contrast",
            params={"ratio": f"{ratio:.1f}"},
        )


def colour_rule(colour: str) -> str:
    """The custom properties that the portal's and the bulletin's stylesheets read."""
    return f":root {{ --cluster-accent: {colour}; --cluster-accent-soft: {tint(colour)}; }}"


def logo_data_url(profile) -> str:
    """The cluster's logo as a data URL ("" without one): the only kind of address a
    bulletin's PDF build may read."""
    return image_data_url(profile.logo)


def image_data_url(image) -> str:
    """A stored logo (the cluster's, an organisation's) as a data URL; "" without one."""
    if not image:
        return ""
    content_type = LOGO_TYPES.get(PurePosixPath(image.name).suffix.lower(), "")
    if not content_type:
        return ""
    try:
        with image.open("rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return ""
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"
