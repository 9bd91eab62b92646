"""What each endpoint returns of a record: the fields its public page shows, no more.

The records come from the pages' own selectors (``views.py``); a serializer never reads a
relation that the selector did not load, so a page of results is a fixed number of queries.
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.v1.figures import ProgressSerializer
from locations.models import AdminArea

# An address that may be missing (no logo, no minutes): the schema says null is allowed.
NULLABLE_URI = serializers.URLField(allow_null=True)


def _absolute(serializer: serializers.Serializer, path: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request else path


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(serializers.Field):
    """The record's page on the portal, as an absolute address."""

    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, instance) -> str:
        return _absolute(self.parent, instance.get_absolute_url())


class OrganisationSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name_en = serializers.CharField()
    name_ar = serializers.CharField()
    acronym = serializers.CharField()
    type = serializers.CharField()
    website = serializers.CharField()
    areas = serializers.SerializerMethodField()
    logo_url = serializers.SerializerMethodField()
    url = PageUrlField()

    def get_areas(self, organisation) -> list[str]:
        """The p-codes of the areas where it works (prefetched in tree order)."""
        return [area.pcode for area in organisation.areas.all()]

    @extend_schema_field(NULLABLE_URI)
    def get_logo_url(self, organisation) -> str | None:
        if not organisation.logo:
            return None
        return _absolute(self, reverse("partners:logo", args=[organisation.pk]))


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name_en = serializers.CharField()
    name_ar = serializers.CharField()
    acronym = serializers.CharField()


class AdminAreaSerializer(serializers.Serializer):
    pcode = serializers.CharField()
    name_en = serializers.CharField()
    name_ar = serializers.CharField()
    level = serializers.IntegerField()
    parent_pcode = serializers.SerializerMethodField()

    def get_parent_pcode(self, area: AdminArea) -> str | None:
        # From the path ("/YE/YE11/YE1101/"), so no join to the parent.
        codes = area.path.strip("/").split("/")
        return codes[-2] if len(codes) > 1 else None


class AdminAreaWithBoundarySerializer(AdminAreaSerializer):
    boundary = serializers.SerializerMethodField()

    @extend_schema_field(serializers.JSONField(allow_null=True))
    def get_boundary(self, area: AdminArea) -> dict | None:
        """The boundary as loaded (a GeoJSON geometry in longitude and latitude), or null."""
        boundary = getattr(area, "boundary", None)
        return boundary.geometry if boundary is not None else None


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_en = serializers.CharField()
    name_ar = serializers.CharField()
    kind = serializers.CharField()
    unit = serializers.CharField()
    unit_label_en = serializers.CharField()
    unit_label_ar = serializers.CharField()
    baseline = serializers.DecimalField(max_digits=14, decimal_places=2)
    target = serializers.DecimalField(max_digits=14, decimal_places=2)
    direction = serializers.CharField()
    domains = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()

    def get_domains(self, indicator) -> list[str]:
        return [domain.code for domain in indicator.domains.all()]

    @extend_schema_field(ProgressSerializer(allow_null=True))
    def get_progress(self, indicator) -> dict | None:
        """Its figure over the cycle so far, as the strategy page shows it, or null."""
        measure = self.context.get("progress", {}).get(indicator.pk)
        return None if measure is None else ProgressSerializer(measure).data


class ObjectiveSerializer(serializers.Serializer):
    code = serializers.CharField()
    title_en = serializers.CharField()
    title_ar = serializers.CharField()
    priority = serializers.SerializerMethodField()
    indicators = IndicatorSerializer(many=True, source="indicators.all")

    def get_priority(self, objective) -> int | None:
        """The position of its priority in the cycle's ``priorities`` (from 1), or null."""
        return self.context["priority_numbers"].get(objective.priority_id)


class PrioritySerializer(serializers.Serializer):
    number = serializers.SerializerMethodField()
    title_en = serializers.CharField()
    title_ar = serializers.CharField()

    def get_number(self, priority) -> int:
        return self.context["priority_numbers"][priority.pk]


class StrategySerializer(serializers.Serializer):
    title_en = serializers.CharField()
    title_ar = serializers.CharField()
    start_year = serializers.IntegerField()
    end_year = serializers.IntegerField()
    people_targeted = serializers.IntegerField(allow_null=True)
    priorities = PrioritySerializer(many=True, source="priorities.all")
    objectives = ObjectiveSerializer(many=True, source="objectives.all")


class MeetingSerializer(serializers.Serializer):
    uid = serializers.UUIDField()
    title_en = serializers.CharField()
    title_ar = serializers.CharField()
    kind = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place_en = serializers.CharField()
    place_ar = serializers.CharField()
    online_url = serializers.CharField()
    is_members_only = serializers.BooleanField()
    is_cancelled = serializers.BooleanField()
    minutes_url = serializers.SerializerMethodField()
    url = PageUrlField()

    @extend_schema_field(NULLABLE_URI)
    def get_minutes_url(self, meeting) -> str | None:
        if not meeting.minutes:
            return None
        return _absolute(self, reverse("meetings:minutes", kwargs={"pk": meeting.pk}))


class EditionVersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    pdf_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_pdf_url(self, version) -> str:
        return _absolute(self, version.get_pdf_url())


class EditionSerializer(serializers.Serializer):
    language = serializers.CharField()
    title = serializers.SerializerMethodField()
    published_at = serializers.DateTimeField()
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    withdrawal_reason = serializers.CharField()
    url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()
    versions = EditionVersionSerializer(many=True, source="versions.all")

    def get_title(self, edition) -> str:
        """The title as published (a revision not yet published is not public)."""
        return edition.current_version.title

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, edition) -> str:
        return _absolute(self, edition.get_public_url())

    @extend_schema_field(OpenApiTypes.URI)
    def get_pdf_url(self, edition) -> str:
        return _absolute(self, edition.get_public_pdf_url())


class BulletinSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    first_month = serializers.DateField()
    last_month = serializers.DateField()
    url = serializers.SerializerMethodField()
    editions = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, bulletin) -> str:
        return _absolute(self, bulletin.get_public_url())

    @extend_schema_field(EditionSerializer(many=True))
    def get_editions(self, bulletin) -> list[dict]:
        editions = self.context["public_editions"](bulletin)
        return EditionSerializer(editions, many=True, context=self.context).data


class AssessmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title_en = serializers.CharField()
    title_ar = serializers.CharField()
    type = serializers.CharField()
    lead_organisation = OrganisationRefSerializer()
    participating_organisations = OrganisationRefSerializer(
        many=True, source="participating_organisations.all"
    )
    areas = serializers.SerializerMethodField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    methodology = serializers.CharField()
    sample = serializers.CharField()
    population_covered = serializers.IntegerField(allow_null=True)
    key_findings_en = serializers.CharField()
    key_findings_ar = serializers.CharField()
    highest_severity = serializers.IntegerField(allow_null=True)
    is_restricted = serializers.BooleanField()
    published_at = serializers.DateTimeField()
    url = PageUrlField()

    def get_areas(self, assessment) -> list[str]:
        return [area.pcode for area in assessment.areas.all()]
