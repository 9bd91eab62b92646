"""Forms of the page editor: the page itself and the images shown in it."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image

from core.errors import reading_input
from core.forms import add_bootstrap_classes
from core.inputs import check_text
from pages.models import Page

MAX_IMAGE_BYTES = 3 * 1024 * 1024
MAX_IMAGE_SIDE = 6000
# Pillow's name for each accepted format, and the extension the stored file gets.
IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp", "GIF": "gif"}
# Addresses under /pages/ that are the portal's own, not pages.
RESERVED_SLUGS = {"manage", "image"}
PAGE_FIELDS = [
    "title_en",
    "title_ar",
    "slug",
    "summary_en",
    "summary_ar",
    "body_en",
    "body_ar",
    "order",
    "is_published",
]
MARKDOWN_HELP = _(
    "Markdown: ## for a heading, **bold**, *italic*, - for a list, [text](https://…) for a "
    "link, ![description](address) for an image. Scripts and styles are removed."
)


def _arabic(widget: forms.Widget) -> forms.Widget:
    widget.attrs.update({"dir": "rtl", "lang": "ar"})
    return widget


class PageForm(forms.ModelForm):
    class Meta:
        model = Page
        fields = PAGE_FIELDS
        widgets = {
            "title_ar": _arabic(forms.TextInput()),
            "summary_en": forms.Textarea(attrs={"rows": 2}),
            "summary_ar": _arabic(forms.Textarea(attrs={"rows": 2})),
            "body_en": forms.Textarea(attrs={"rows": 16}),
            "body_ar": _arabic(forms.Textarea(attrs={"rows": 16})),
        }
        help_texts = {"body_en": MARKDOWN_HELP, "body_ar": MARKDOWN_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_bootstrap_classes(self)

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].lower()
        if slug in RESERVED_SLUGS:
            raise ValidationError(
                _("This address is used by the portal itself. Choose another one."),
                code="reserved_slug",
            )
        return slug


CHECKBOXES = {"is_published"}


def draft_values(data) -> dict[str, str]:
    """The editor's fields from a POST, as plain strings to keep in a draft.

    Raises a ValidationError when a value holds a character that cannot be stored.
    """
    values = {}
    for name in PAGE_FIELDS:
        if name in CHECKBOXES:
            # An unticked box is absent from a POST; the draft keeps that it was unticked.
            values[name] = "on" if data.get(name) else ""
            continue
        value = data.get(name)
        if value is not None:
            values[name] = str(value)[:50_000]
            check_text(values[name])  # a draft is kept in a jsonb column, which takes no NUL
    return values


def draft_initial(values: dict[str, str]) -> dict:
    """A draft's values as the initial values of an unbound editor form."""
    initial = {name: value for name, value in values.items() if name in PAGE_FIELDS}
    for name in CHECKBOXES & initial.keys():
        initial[name] = initial[name] == "on"
    return initial


@reading_input(_("the image"))
def check_image(image: UploadedFile) -> UploadedFile:
    """Accept a PNG, JPEG, WebP or GIF image, judged by its content, not by its name."""
    if image.size > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("The image is larger than 3 MB. Upload a smaller image."), code="image_too_large"
        )
    not_an_image = ValidationError(
        _("The file must be a PNG, JPEG, WebP or GIF image. This file is not one."),
        code="image_format",
    )
    try:
        image.seek(0)
        with Image.open(image) as opened:
            image_format = opened.format
            width, height = opened.size
            opened.verify()
    except (Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise not_an_image from None
    if image_format not in IMAGE_FORMATS:
        raise not_an_image
    if width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE:
        raise ValidationError(
            _("The image is larger than %(side)s pixels on a side. Upload a smaller image."),
            code="image_dimensions",
            params={"side": MAX_IMAGE_SIDE},
        )
    image.seek(0)
    image.name = f"image.{IMAGE_FORMATS[image_format]}"
    image.content_type = Image.MIME[image_format]
    return image


class PageImageForm(forms.Form):
    image = forms.FileField(
        label=_("Image"),
        help_text=_("A PNG, JPEG, WebP or GIF image of at most 3 MB."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}),
    )
    alt_en = forms.CharField(
        label=_("Description for screen readers (English)"),
        max_length=250,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    alt_ar = forms.CharField(
        label=_("Description for screen readers (Arabic)"),
        max_length=250,
        required=False,
        widget=_arabic(forms.TextInput()),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "image")
        super().__init__(*args, **kwargs)
        add_bootstrap_classes(self)

    def clean_image(self) -> UploadedFile:
        return check_image(self.cleaned_data["image"])
