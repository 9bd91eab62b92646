"""Exports of validated activity data: a page of links, and CSV, Excel and HXL-tagged CSV.

Open to everyone: coordinators and members of approved organisations get one line per
report row; the public gets totals per admin1 area, activity and month
(``activities.exports``), a line from fewer than ``PUBLIC_MIN_ORGANISATIONS`` implementing
organisations without its figures (``partners.disclosure``). The filters are those of
``activities.filters.ReportRowFilter``, carried in the query string from the page to the files;
the public's have no organisation, type of organisation or area below admin1.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, re_path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from activities import exports
from activities.filters import ReportRowFilter
from core.exports import stream_csv, xlsx_response

FORMATS = ("csv", "xlsx", "hxl")


def _filter(request: HttpRequest, *, rows: bool) -> ReportRowFilter:
    return ReportRowFilter(
        request.GET or None,
        queryset=exports.validated_rows(),
        request=request,
        public=not rows,
    )


@require_safe
def export_page(request: HttpRequest) -> HttpResponse:
    """The filters and a link to each format of the export with those filters."""
    rows = exports.can_export_rows(request.user)
    filterset = _filter(request, rows=rows)
    query = filterset.query_string()
    links = [
        (
            label,
            reverse("activities:export", kwargs={"fmt": fmt}) + (f"?{query}" if query else ""),
            description,
        )
        for fmt, label, description in (
            ("csv", _("CSV"), _("Comma-separated values, for any spreadsheet or script.")),
            ("xlsx", _("Excel"), _("An Excel workbook of one sheet.")),
            (
                "hxl",
                _("HXL"),
                _("CSV with a row of Humanitarian Exchange Language tags under the headers."),
            ),
        )
    ]
    return render(
        request,
        "activities/exports/index.html",
        {"filter": filterset, "links": links, "rows": rows},
    )


@require_safe
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The validated data as a file: rows for partners, admin1 totals for the public."""
    if fmt not in FORMATS:
        raise Http404
    rows = exports.can_export_rows(request.user)
    filterset = _filter(request, rows=rows)
    if filterset.is_bound and not filterset.form.is_valid():
        # The page shows what is wrong with the filters (or which are not public) rather
        # than a file without them.
        return redirect(f"{reverse('activities:exports')}?{request.GET.urlencode()}")
    data, columns = exports.export_data(filterset.qs, rows=rows, hxl=fmt == "hxl")
    scope = "rows" if rows else "admin1-totals"
    stem = f"health-cluster-activities-{scope}-{timezone.localdate():%Y-%m-%d}"
    if fmt == "xlsx":
        return xlsx_response(
            data, columns, filename=f"{stem}.xlsx", sheet_title=_("Validated activities")
        )
    suffix = "-hxl.csv" if fmt == "hxl" else ".csv"
    return stream_csv(data, columns, filename=f"{stem}{suffix}", hxl=fmt == "hxl")


urlpatterns = [
    path("exports/", export_page, name="exports"),
    re_path(r"^export\.(?P<fmt>csv|xlsx|hxl)/$", export, name="export"),
]
