"""Health facilities, projects and attacks on health care, as their pages show them.

- ``facilities/``: the registry (``facilities.selectors.registry``) with each facility's
  current status, for whoever ``partners.disclosure.sees_facilities`` lets see facilities one
  by one (members and coordinators always, the public when the deployment publishes their
  locations; otherwise an empty list), with the registry's filters.
- ``projects/``: ``projects.access.visible_projects`` (members: the accepted projects and
  their own; coordinators: all), with their latest funding, by token only.
- ``incidents/``: ``facilities.incident_selectors.incident_list`` by token only, the
  description and the source only where ``incident_policy.can_see_details`` allows; the
  public's view of incidents is ``incidents/counts/``, the verified counts by month, admin1
  area and type (``public_counts``), the same for every caller.
"""

import datetime

import django_filters
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.response import Response

from api.v1.base import PageNumbers, PublicRead
from api.v1.scoped import TokenRead
from api.v1.serializers import OrganisationRefSerializer, _absolute
from facilities import incident_policy, incident_selectors
from facilities import selectors as facility_selectors
from facilities.filters import FacilityFilter
from facilities.incident_filters import IncidentFilter
from locations.models import AdminArea
from partners.disclosure import PUBLIC_AREA_LEVEL
from projects import selectors as project_selectors
from projects.models import Project, ProjectStatus, ReviewState

# --- facilities -----------------------------------------------------------------------------


class StatusSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    functionality = serializers.CharField()
    building = serializers.CharField()
    accessibility = serializers.CharField()
    beds = serializers.IntegerField(allow_null=True)


class FacilitySerializer(serializers.Serializer):
    code = serializers.CharField()
    name_en = serializers.CharField()
    name_ar = serializers.CharField()
    type = serializers.CharField(source="type.code")
    ownership = serializers.CharField()
    area = serializers.CharField(source="area.pcode", help_text="The admin area's p-code.")
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    current_status = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(StatusSerializer(allow_null=True))
    def get_current_status(self, facility) -> dict | None:
        """The status counted today, null for "no recent data"."""
        status = self.context["current"].get(facility.pk)
        return StatusSerializer(status).data if status is not None else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, facility) -> str:
        return _absolute(self, reverse("facilities:detail", args=[facility.pk]))


class FacilityList(PublicRead, generics.ListAPIView):
    """The health facilities as the registry lists them, with their current status and the
    registry's filters; for the public only where the deployment publishes them."""

    serializer_class = FacilitySerializer
    filterset_class = FacilityFilter
    pagination_class = PageNumbers

    def get_queryset(self):
        return facility_selectors.registry(self.request.user).order_by("code")

    def list(self, request, *args, **kwargs):
        facilities = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = self.get_serializer_context() | {
            "current": facility_selectors.current_status(facilities)
        }
        data = FacilitySerializer(facilities, many=True, context=context).data
        return self.get_paginated_response(data)


# --- projects -------------------------------------------------------------------------------


class ProjectFilter(django_filters.FilterSet):
    """The projects list's filters (its page has a plain form, not a filter set)."""

    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices)
    state = django_filters.ChoiceFilter(choices=ReviewState.choices)
    organisation = django_filters.UUIDFilter(field_name="organisation__public_id")

    class Meta:
        model = Project
        fields: list[str] = []


class ProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    code = serializers.CharField(source="row_code", help_text="How 4W rows name it.")
    title_en = serializers.CharField()
    title_ar = serializers.CharField()
    organisation = OrganisationRefSerializer()
    plan_code = serializers.CharField()
    donors = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    status = serializers.CharField()
    state = serializers.CharField()
    budget_required_usd = serializers.DecimalField(max_digits=14, decimal_places=2)
    funding_received_usd = serializers.DecimalField(
        source="funding_received", max_digits=14, decimal_places=2, allow_null=True
    )
    funding_date = serializers.DateField(allow_null=True)
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, project) -> str:
        return _absolute(self, reverse("projects:detail", args=[project.pk]))


class ProjectList(TokenRead, generics.ListAPIView):
    """The projects the token's owner sees on the projects page, with the latest funding."""

    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    pagination_class = PageNumbers

    def get_queryset(self):
        return project_selectors.project_list(self.request.user)


# --- incidents ------------------------------------------------------------------------------


class IncidentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    date = serializers.DateField()
    area = serializers.CharField(source="area.pcode")
    facility = serializers.CharField(source="facility.code", allow_null=True)
    attack_types = serializers.SerializerMethodField()
    resources = serializers.ListField(child=serializers.CharField())
    health_workers_killed = serializers.IntegerField()
    health_workers_injured = serializers.IntegerField()
    patients_killed = serializers.IntegerField()
    patients_injured = serializers.IntegerField()
    certainty = serializers.CharField()
    state = serializers.CharField()
    organisation = OrganisationRefSerializer(allow_null=True)
    description = serializers.SerializerMethodField()
    source = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def get_attack_types(self, incident) -> list[str]:
        return [kind.code for kind in incident.attack_types.all()]

    def _detail(self, incident, name: str) -> str | None:
        user = self.context["request"].user
        allowed = incident_policy.can_see_details(user, incident)
        return getattr(incident, name) if allowed else None

    def get_description(self, incident) -> str | None:
        """For coordinators and the reporting organisation's members; null for others."""
        return self._detail(incident, "description")

    def get_source(self, incident) -> str | None:
        """For coordinators and the reporting organisation's members; null for others."""
        return self._detail(incident, "source")

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, incident) -> str:
        return _absolute(self, reverse("incidents:detail", args=[incident.pk]))


class IncidentList(TokenRead, generics.ListAPIView):
    """The attacks on health care the token's owner sees on the incidents page, newest
    first, with its filters."""

    serializer_class = IncidentSerializer
    filterset_class = IncidentFilter
    pagination_class = PageNumbers

    def get_queryset(self):
        return incident_selectors.incident_list(self.request.user)


MONTH_HELP = "YYYY-MM, from 1900 to 2999"
MONTH = r"^(19|2\d)\d{2}-(0[1-9]|1[0-2])$"


class CountsParameters(serializers.Serializer):
    first_month = serializers.RegexField(
        MONTH, required=False, help_text="YYYY-MM, from 1900 to 2999"
    )
    last_month = serializers.RegexField(
        MONTH, required=False, help_text="YYYY-MM, from 1900 to 2999"
    )
    area = serializers.SlugRelatedField(
        slug_field="pcode",
        queryset=AdminArea.objects.filter(level__lte=PUBLIC_AREA_LEVEL),
        required=False,
    )


class MonthAreaCountSerializer(serializers.Serializer):
    month = serializers.SerializerMethodField()
    area = serializers.CharField(source="admin1.pcode", help_text="The admin1 area's p-code.")
    incidents = serializers.IntegerField()
    health_workers_killed = serializers.IntegerField()
    health_workers_injured = serializers.IntegerField()
    patients_killed = serializers.IntegerField()
    patients_injured = serializers.IntegerField()
    by_type = serializers.DictField(child=serializers.IntegerField())

    def get_month(self, cell) -> str:
        """YYYY-MM."""
        return cell.month.strftime("%Y-%m")


class IncidentCountsSerializer(serializers.Serializer):
    first_month = serializers.SerializerMethodField()
    last_month = serializers.SerializerMethodField()
    cells = MonthAreaCountSerializer(many=True)

    def get_first_month(self, counts) -> str:
        return counts.first_month.strftime("%Y-%m")

    def get_last_month(self, counts) -> str:
        return counts.last_month.strftime("%Y-%m")


def _months_back(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 - count
    return datetime.date(index // 12, index % 12 + 1, 1)


def _month(text: str) -> datetime.date:
    year, month = text.split("-")
    return datetime.date(int(year), int(month), 1)


# The counts' default span: the twelve months to this one.
DEFAULT_MONTHS = 12


class CountsView(generics.GenericAPIView):
    def get(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.get_counts()).data)


@extend_schema(parameters=[CountsParameters])
class IncidentCounts(PublicRead, CountsView):
    """The verified attacks on health care counted by month, admin1 area and type, with the
    health workers and patients killed and injured: what the public sees of incidents, the
    same for every caller. The twelve months to this one unless ``first_month`` and
    ``last_month`` say otherwise; ``area`` an admin1 p-code."""

    serializer_class = IncidentCountsSerializer
    filter_backends: list = []

    def get_counts(self):
        parameters = CountsParameters(data=self.request.query_params)
        parameters.is_valid(raise_exception=True)
        chosen = parameters.validated_data
        this_month = timezone.localdate().replace(day=1)
        last = _month(chosen["last_month"]) if "last_month" in chosen else this_month
        first = (
            _month(chosen["first_month"])
            if "first_month" in chosen
            else _months_back(last, DEFAULT_MONTHS - 1)
        )
        if first > last:
            raise serializers.ValidationError(
                {"first_month": [_("The first month comes after the last.")]}
            )
        return incident_selectors.public_counts(first, last, chosen.get("area"))
