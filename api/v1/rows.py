"""The 4W activity reports and their rows, for a token: a partner's own organisation's, in
every state its pages show; a coordinator's, all of them.

The scope is the pages' own (``activities.access``), and so are the filters: the report
list's ``ReportFilter`` (period, status, and organisation for coordinators) and the exports'
``ReportRowFilter`` (months, organisation, activity, indicator, area, domain). Rows are read
with ``values()`` and written by one function, ``flat_row``, in the paginated list and in the
export alike, so the two cannot differ.
"""

import json
from collections.abc import Iterator

import django_filters
from django.db import transaction
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer

from activities import access
from activities import selectors_reports as report_selectors
from activities.filters import ReportRowFilter
from activities.forms.reports import ReportFilter
from activities.models import ReportRow, ReportStatus, RowStatus
from api.v1.base import Cursor, PageNumbers
from api.v1.scoped import PageFilterBackend, TokenRead
from api.v1.serializers import OrganisationRefSerializer, PageUrlField
from partners.access import is_coordinator, scope_to_user
from projects.models import row_code

# What a row holds, read in one query with ``values()``: the names the database gives them.
ROW_VALUES = (
    "id",
    "report_id",
    "report__period__year",
    "report__period__month",
    "report__organisation__public_id",
    "report__status",
    "activity__code",
    "area__pcode",
    "implementing_organisation__public_id",
    "implementing_other",
    "donor",
    "facility__code",
    "project_id",
    "project__plan_code",
    "status",
    "girls",
    "boys",
    "women",
    "men",
    "older_people",
    "people_with_disabilities",
    "total",
)
PEOPLE = ("girls", "boys", "women", "men", "older_people", "people_with_disabilities", "total")

# Rows per fetch of the export's server-side cursor: memory stays that of one chunk.
EXPORT_CHUNK = 2000


def flat_row(values: dict) -> dict:
    """A row as the API writes it, from ``ROW_VALUES``."""
    implementer = values["implementing_organisation__public_id"]
    project = values["project_id"]
    return {
        "id": values["id"],
        "report": values["report_id"],
        "month": f"{values['report__period__year']:04d}-{values['report__period__month']:02d}",
        "organisation": str(values["report__organisation__public_id"]),
        "report_status": values["report__status"],
        "activity": values["activity__code"],
        "area": values["area__pcode"],
        "implementing_organisation": str(implementer) if implementer else None,
        "implementing_other": values["implementing_other"],
        "donor": values["donor"],
        "facility": values["facility__code"],
        "project": row_code(project, values["project__plan_code"]) if project else None,
        "status": values["status"],
        **{name: values[name] for name in PEOPLE},
    }


def rows_for_user(user):
    """The rows of the reports the user sees on the pages (``activities.access``'s rule)."""
    return scope_to_user(ReportRow.objects.all(), user, organisation_field="report__organisation")


class RowFilter(ReportRowFilter):
    """The exports' filters; one report's rows by its id; the report's status (as the
    reports list filters it) and the row's."""

    report = django_filters.NumberFilter(field_name="report")
    report_status = django_filters.ChoiceFilter(
        field_name="report__status", choices=ReportStatus.choices
    )
    status = django_filters.ChoiceFilter(choices=RowStatus.choices)


class RowSerializer(serializers.Serializer):
    """For the schema: what ``flat_row`` writes."""

    id = serializers.IntegerField()
    report = serializers.IntegerField()
    month = serializers.RegexField(r"^\d{4}-\d{2}$", help_text="The report's month, YYYY-MM.")
    organisation = serializers.UUIDField(help_text="The reporting organisation's public id.")
    report_status = serializers.CharField()
    activity = serializers.CharField(help_text="The activity's code.")
    area = serializers.CharField(help_text="The admin area's p-code.")
    implementing_organisation = serializers.UUIDField(allow_null=True)
    implementing_other = serializers.CharField()
    donor = serializers.CharField()
    facility = serializers.CharField(allow_null=True, help_text="The facility's code.")
    project = serializers.CharField(allow_null=True, help_text="The project's code in 4W rows.")
    status = serializers.CharField()
    girls = serializers.IntegerField(allow_null=True)
    boys = serializers.IntegerField(allow_null=True)
    women = serializers.IntegerField(allow_null=True)
    men = serializers.IntegerField(allow_null=True)
    older_people = serializers.IntegerField(allow_null=True)
    people_with_disabilities = serializers.IntegerField(allow_null=True)
    total = serializers.IntegerField()


class ReportSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    month = serializers.SerializerMethodField()
    organisation = OrganisationRefSerializer()
    status = serializers.CharField()
    version = serializers.IntegerField()
    entered_by_coordinator = serializers.BooleanField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    validated_at = serializers.DateTimeField(allow_null=True)
    row_count = serializers.IntegerField()
    reached = serializers.IntegerField(allow_null=True)
    url = PageUrlField()

    def get_month(self, report) -> str:
        """The report's month, YYYY-MM."""
        return f"{report.period.year:04d}-{report.period.month:02d}"


class RowCursor(Cursor):
    """Rows by id: a page is one range scan of the primary key."""

    ordering = ("id",)


class ReportList(TokenRead, generics.ListAPIView):
    """The activity reports the token's owner sees on the reports page, newest month first,
    each with its number of rows and people reached, and the page's filters."""

    serializer_class = ReportSerializer
    filterset_class = ReportFilter
    filter_backends = [PageFilterBackend]
    pagination_class = PageNumbers

    def filterset_kwargs(self) -> dict:
        return {"show_organisation": is_coordinator(self.request.user)}

    def get_queryset(self):
        return report_selectors.report_list_for_user(self.request.user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        reports = report_selectors.with_row_figures(page)
        return self.get_paginated_response(self.get_serializer(reports, many=True).data)


class ReportDetail(TokenRead, generics.RetrieveAPIView):
    """One report the token's owner sees; another organisation's is not found."""

    serializer_class = ReportSerializer

    def get_object(self):
        report = access.get_report_for_user(self.request.user, self.kwargs["pk"])
        return report_selectors.with_row_figures([report])[0]


class RowList(TokenRead, generics.ListAPIView):
    """The rows of the reports the token's owner sees, by id, a cursor page at a time (up to
    1,000 rows), with the exports' filters. For everything at once: ``rows/export/``."""

    serializer_class = RowSerializer
    filterset_class = RowFilter
    filter_backends = [PageFilterBackend]
    pagination_class = RowCursor

    def get_queryset(self):
        return rows_for_user(self.request.user)

    def list(self, request, *args, **kwargs):
        rows = self.filter_queryset(self.get_queryset()).values(*ROW_VALUES)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response([flat_row(values) for values in page])


class JSONLinesRenderer(BaseRenderer):
    """One JSON object a line; errors too, as one line."""

    media_type = "application/jsonl"
    format = "jsonl"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        return (json.dumps(data, ensure_ascii=False) + "\n").encode()


def export_lines(rows) -> Iterator[bytes]:
    """The rows as JSON Lines, a chunk at a time, from a server-side cursor inside one
    transaction: a named cursor lives only in its transaction when the pool (PgBouncer in
    transaction mode) may give the next statement another connection."""
    with transaction.atomic():
        lines = []
        for values in rows.values(*ROW_VALUES).order_by("id").iterator(chunk_size=EXPORT_CHUNK):
            lines.append(json.dumps(flat_row(values), ensure_ascii=False))
            if len(lines) == EXPORT_CHUNK:
                yield ("\n".join(lines) + "\n").encode()
                lines = []
        if lines:
            yield ("\n".join(lines) + "\n").encode()


class StreamedRows(generics.GenericAPIView):
    def get(self, request, *args, **kwargs):
        rows = self.filter_queryset(self.get_queryset())
        response = StreamingHttpResponse(
            export_lines(rows), content_type="application/jsonl; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="rows.jsonl"'
        return response


@extend_schema(
    responses={
        (200, "application/jsonl"): OpenApiResponse(
            OpenApiTypes.STR,
            description="One row a line, as the rows endpoint writes it, by id.",
        )
    }
)
class RowExport(TokenRead, StreamedRows):
    """Every row the token's owner sees (with the same filters as ``rows/``), streamed as
    JSON Lines: one row a line, the same object as in ``rows/``, in order of id."""

    serializer_class = RowSerializer
    filterset_class = RowFilter
    filter_backends = [PageFilterBackend]
    renderer_classes = [JSONRenderer, JSONLinesRenderer]

    def get_queryset(self):
        return rows_for_user(self.request.user)
