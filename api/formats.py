"""``?format=csv`` on the API's tabular endpoints: the same records as the JSON, every one the
filters select (no pages), as CSV with a header row and an HXL hashtag row under it.

The file is written by ``core.exports.stream_csv`` (its ``Column`` and the neutralising of
formulas), as every CSV of the portal is. ``CsvRenderer`` only lets DRF's content negotiation
accept the format and the schema list it; the view answers with the stream itself
(``CsvFormat``). An error asked for as CSV is answered in JSON, as every error of the API.
"""

from collections.abc import Iterable

from django.utils import timezone
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from core.exports import Column, stream_csv

CSV = "csv"


class CsvRenderer(BaseRenderer):
    media_type = "text/csv"
    format = CSV
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # A CSV answer is streamed by ``CsvFormat`` and never comes here; an error is given
        # to JSON by ``CsvFormat.finalize_response``. Anything else is JSON too, never text
        # that claims to be CSV and is not.
        return JSONRenderer().render(data, renderer_context=renderer_context)


class CsvFormat:
    """Mixin of a list view that also answers ``?format=csv`` (before DRF's view class).

    The view names its ``csv_table`` (a function of the request giving the columns) and its
    ``csv_name``; the lines are the filtered queryset in the order of its pages, without
    pagination, or ``csv_lines`` of it (a line per part of a record)."""

    renderer_classes = [JSONRenderer, CsvRenderer]
    csv_name = "records"
    csv_table = None
    csv_lines = None

    def wants_csv(self) -> bool:
        renderer = getattr(self.request, "accepted_renderer", None)
        return isinstance(renderer, CsvRenderer)

    def csv_columns(self) -> list[Column]:
        return self.csv_table(self.request)

    def csv_rows(self) -> Iterable:
        rows = self.filter_queryset(self.get_queryset())
        ordering = getattr(self.pagination_class, "ordering", None)
        if ordering:  # a cursor's order (the areas' tree order)
            rows = rows.order_by(*ordering)
        return self.csv_lines(rows) if self.csv_lines else rows

    def csv_filename(self) -> str:
        return f"health-cluster-{self.csv_name}-{timezone.localdate():%Y-%m-%d}.csv"

    def list(self, request, *args, **kwargs):
        if self.wants_csv():
            return stream_csv(
                self.csv_rows(), self.csv_columns(), filename=self.csv_filename(), hxl=True
            )
        return super().list(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response) and isinstance(response.accepted_renderer, CsvRenderer):
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        return response
