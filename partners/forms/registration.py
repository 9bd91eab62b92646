"""The organisation profile form, used to register an organisation and to edit it."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image

from core.errors import reading_input
from core.forms import add_bootstrap_classes
from locations.forms import AreaMultipleChoiceField
from locations.models import AdminArea
from partners.models import Organisation

MAX_LOGO_BYTES = 1024 * 1024
MAX_LOGO_SIDE = 4000
# Pillow's name for each accepted format, and the extension the stored file gets.
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
# Logos (an organisation's, the cluster's) are served with the type their extension says,
# and only these image types; anything else is offered as a download, never rendered.
LOGO_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}


def _areas_field() -> forms.Field:
    return AreaMultipleChoiceField(
        queryset=AdminArea.objects.order_by("path"),
        label=_("Areas where it works"),
        help_text=_(
            "Search for each area where the organisation has health activities and tick it."
        ),
        error_messages={"required": _("Choose at least one area where it works.")},
    )


@reading_input(_("the logo"))
def check_logo(logo: UploadedFile) -> UploadedFile:
    """Accept a PNG, JPEG or WebP image of at most 1 MB, judged by its content, not its name."""
    if logo.size > MAX_LOGO_BYTES:
        raise ValidationError(
            _("The logo is larger than 1 MB. Upload a smaller image."), code="logo_too_large"
        )
    not_an_image = ValidationError(
        _("The logo must be a PNG, JPEG or WebP image. This file is not one."),
        code="logo_format",
    )
    try:
        logo.seek(0)
        with Image.open(logo) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise not_an_image from None
    if image_format not in LOGO_FORMATS:
        raise not_an_image
    if width > MAX_LOGO_SIDE or height > MAX_LOGO_SIDE:
        raise ValidationError(
            _("The logo is larger than %(side)s pixels on a side. Upload a smaller image."),
            code="logo_dimensions",
            params={"side": MAX_LOGO_SIDE},
        )
    logo.seek(0)
    # The stored name and type follow the content, whatever the uploaded name said.
    logo.name = f"logo.{LOGO_FORMATS[image_format]}"
    logo.content_type = Image.MIME[image_format]
    return logo


class OrganisationForm(forms.ModelForm):
    """The organisation's profile. Saving goes through the registration services.

    The areas use the locations app's searchable picker: a view that gets a POST
    from its search button (``locations.forms.is_area_search``) renders the bound
    form again instead of saving.
    """

    website = forms.URLField(
        label=_("website"), required=False, assume_scheme="https", max_length=200
    )
    logo = forms.FileField(
        label=_("logo"),
        required=False,
        help_text=_("A PNG, JPEG or WebP image of at most 1 MB."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)

    class Meta:
        model = Organisation
        fields = [
            "name_en",
            "name_ar",
            "acronym",
            "type",
            "website",
            "contact_name",
            "contact_email",
            "contact_phone",
            "logo",
            "areas",
        ]
        widgets = {
            "name_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel", "dir": "ltr"}),
        }
        help_texts = {
            "name_ar": _(
                "Optional. Shown on the Arabic pages; the English name is shown if empty."
            ),
            "contact_name": _("The person the cluster team writes to about the organisation."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read before validation puts an uploaded logo on the instance, which may have no id yet.
        self.has_saved_logo = bool(self.instance.pk and self.instance.logo)
        self.fields["areas"] = _areas_field()
        if not self.instance.logo:
            del self.fields["remove_logo"]
        self.fields["type"].choices = [("", _("Choose a type"))] + [
            choice for choice in self.fields["type"].choices if choice[0]
        ]
        add_bootstrap_classes(self)

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if isinstance(logo, UploadedFile):
            return check_logo(logo)
        return logo

    def service_arguments(self) -> dict:
        """The cleaned values as keyword arguments of organisation_register/update."""
        data = self.cleaned_data
        arguments = {field: data.get(field) for field in self.Meta.fields}
        if data.get("remove_logo") and not isinstance(arguments["logo"], UploadedFile):
            arguments["logo"] = False
        return arguments
