"""The API's documentation page: how to get a token, examples in Python and Power Query, and
the reference drawn by Swagger UI from the schema. Swagger UI's files come from the pinned npm
package through the static files (``STATICFILES_DIRS``), so the page loads nothing from another
host and runs under the portal's CSP with no inline script or style."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe


@require_safe
def documentation(request: HttpRequest) -> HttpResponse:
    organisations = request.build_absolute_uri(reverse("api_v1:organisations"))
    return render(
        request,
        "api/docs.html",
        {
            "schema_url": reverse("api_v1:schema") + "?format=json",
            "organisations_url": organisations,
            "areas_url": request.build_absolute_uri(reverse("api_v1:areas")),
            "rows_export_url": request.build_absolute_uri(reverse("api_v1:rows_export")),
        },
    )
