"""The public read endpoints of the API, version 1.

Each answers what its public page shows, through that page's selector and filter set:
the directory's ``public_organisations``, the areas page's tree, the strategy page's cycle,
``meetings_for_user``, the bulletin archive's ``public_bulletins`` and the registry's
``registry_assessments``. Visibility is never decided here. A caller with a token gets what
the pages show that person (members' meetings, restricted assessments); without one, what the
public sees.
"""

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api.formats import CsvFormat
from api.v1 import columns, serializers
from api.v1.base import PageNumbers, PublicRead, TreeCursor
from api.v1.filters import AdminAreaFilter, AssessmentApiFilter
from assessments import selectors as assessment_selectors
from bulletins import selectors as bulletin_selectors
from bulletins.filters import BulletinArchiveFilter
from core.bilingual import bilingual_expression
from locations.models import AdminArea
from meetings import selectors as meeting_selectors
from partners.disclosure import public_organisations
from partners.filters import OrganisationDirectoryFilter
from strategy import progress
from strategy import selectors as strategy_selectors
from strategy.models import StrategyCycle


def _areas_in_tree_order() -> Prefetch:
    return Prefetch("areas", queryset=AdminArea.objects.order_by("path").only("pk", "pcode"))


class OrganisationList(PublicRead, CsvFormat, generics.ListAPIView):
    """Approved partner organisations, as the public directory lists them, with the same
    filters (type, area with everything inside it, name or acronym)."""

    csv_name = "organisations"
    csv_table = staticmethod(columns.organisations)

    serializer_class = serializers.OrganisationSerializer
    filterset_class = OrganisationDirectoryFilter
    pagination_class = PageNumbers

    def get_queryset(self):
        return (
            public_organisations()
            .annotate(sort_name=bilingual_expression("name"))
            .order_by("sort_name", "pk")
            .prefetch_related(_areas_in_tree_order())
        )


class OrganisationDetail(PublicRead, generics.RetrieveAPIView):
    """One approved organisation by its public identifier, which never changes."""

    serializer_class = serializers.OrganisationSerializer
    lookup_field = "public_id"
    lookup_url_kwarg = "public_id"

    def get_queryset(self):
        return public_organisations().prefetch_related(_areas_in_tree_order())


@extend_schema(
    parameters=[
        OpenApiParameter(
            "include",
            str,
            enum=["boundary"],
            description="`boundary` adds each area's boundary (GeoJSON) as loaded.",
        )
    ]
)
class AdminAreaList(PublicRead, CsvFormat, generics.ListAPIView):
    """The admin areas (COD-AB) in tree order, with their p-codes and their parent's."""

    csv_name = "areas"
    csv_table = staticmethod(columns.areas)

    filterset_class = AdminAreaFilter
    pagination_class = TreeCursor

    def _with_boundary(self) -> bool:
        return self.request.query_params.get("include") == "boundary"

    def get_serializer_class(self):
        if self._with_boundary():
            return serializers.AdminAreaWithBoundarySerializer
        return serializers.AdminAreaSerializer

    def get_queryset(self):
        fields = ["pk", "pcode", "name_en", "name_ar", "level", "path"]
        if self._with_boundary():
            # The boundary as loaded, not the outline simplified for drawing.
            return AdminArea.objects.select_related("boundary").only(*fields, "boundary__geometry")
        return AdminArea.objects.only(*fields)


class CurrentStrategy(PublicRead, generics.RetrieveAPIView):
    """The strategy in force, as the strategy page shows it: its priorities, its objectives
    and their indicators with kind, unit, baseline and target."""

    serializer_class = serializers.StrategySerializer

    def retrieve(self, request, *args, **kwargs) -> Response:
        cycle = strategy_selectors.cycle_with_content(
            StrategyCycle.objects.filter(is_current=True)
        ).first()
        if cycle is None:
            raise Http404
        numbers = {priority.pk: n for n, priority in enumerate(cycle.priorities.all(), 1)}
        context = self.get_serializer_context() | {
            "priority_numbers": numbers,
            "progress": progress.progress_for(cycle),
        }
        return Response(self.get_serializer_class()(cycle, context=context).data)


class MeetingList(PublicRead, CsvFormat, generics.ListAPIView):
    """Coordination meetings, the latest first: the public ones, and for a member's or a
    coordinator's token the members' meetings too, as the meetings page shows them."""

    csv_name = "meetings"
    csv_table = staticmethod(columns.meetings)

    serializer_class = serializers.MeetingSerializer
    pagination_class = PageNumbers

    def get_queryset(self):
        return meeting_selectors.meetings_for_user(self.request.user).order_by("-starts_at", "-pk")


class BulletinList(PublicRead, CsvFormat, generics.ListAPIView):
    """Published bulletins, the latest first, with their public editions and every published
    version's PDF, as the archive lists them (withdrawn editions stay, marked)."""

    csv_name = "bulletins"
    csv_table = staticmethod(columns.bulletins)
    csv_lines = staticmethod(columns.bulletin_lines)

    serializer_class = serializers.BulletinSerializer
    filterset_class = BulletinArchiveFilter
    pagination_class = PageNumbers

    def get_queryset(self):
        return bulletin_selectors.public_bulletins()

    def get_serializer_context(self):
        return super().get_serializer_context() | {
            "public_editions": bulletin_selectors.public_editions
        }


class AssessmentList(PublicRead, CsvFormat, generics.ListAPIView):
    """The registry of published needs assessments, with the registry's filters and sort
    orders; restricted ones only for a member's or a coordinator's token."""

    csv_name = "assessments"
    csv_table = staticmethod(columns.assessments)

    serializer_class = serializers.AssessmentSerializer
    filterset_class = AssessmentApiFilter
    pagination_class = PageNumbers

    def get_queryset(self):
        return assessment_selectors.registry_assessments(self.request.user)

    def filter_queryset(self, queryset):
        return assessment_selectors.with_registry_details(super().filter_queryset(queryset))


@extend_schema(exclude=True)
class Schema(PublicRead, SpectacularAPIView):
    """The OpenAPI 3 schema of this version (YAML; JSON with ``?format=json``)."""

    def get(self, request, *args, **kwargs):
        # drf-spectacular activates whatever ``lang`` names, and Django keeps a catalogue per
        # name for the life of the process: only the portal's languages are let through.
        lang = request.query_params.get("lang")
        if lang is not None and lang not in dict(settings.LANGUAGES):
            choices = ", ".join(dict(settings.LANGUAGES))
            message = _("Choose one of: %(choices)s.") % {"choices": choices}
            raise ValidationError({"lang": [message]})
        return super().get(request, *args, **kwargs)
