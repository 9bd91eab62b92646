"""A package for OCHA's Humanitarian Data Exchange (HDX): an index of the dataset (title,
source, months covered, methodology, licence, caveats, last update) and its two resources,
CSV files with HXL hashtags, ready to upload as they are:

- the operational presence (``presence/``): which organisations of the directory work in
  which admin1 areas on which activities each month, from the validated reports, with NO
  figure of any organisation (only that it was there), as the disclosure policy makes it
  public (``partners.disclosure.public_presence``, which says why);
- the public admin1 figures: the figures endpoint's CSV (``api.v1.figures``), through the
  disclosure policy.

Both take the dashboard's filters (the months above all; the public only what it may use),
and the index points at them with the months it describes.
"""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.response import Response

from analysis.selectors import Filters, reach
from api import conditional
from api.formats import CsvFormat
from api.v1.base import PublicRead
from api.v1.figures import MONTH_PARAMETERS, read_filters
from core.exports import Column
from partners.disclosure import min_organisations, public_presence
from strategy.models import ClusterProfile

LICENCE = {
    "id": "cc-by-igo",
    "title": "Creative Commons Attribution for Intergovernmental Organisations",
    "url": "https://creativecommons.org/licenses/by/3.0/igo/",
}

PRESENCE_FIELDS = (
    "month",
    "admin1__pcode",
    "admin1__name_en",
    "implementing_organisation__public_id",
    "implementing_organisation__name_en",
    "implementing_organisation__acronym",
    "implementing_organisation__type",
    "activity__code",
    "activity__name_en",
)


def presence_rows(filters: Filters) -> list[dict]:
    """One line per month, admin1 area, organisation of the directory and activity, as the
    disclosure policy makes it public (``partners.disclosure.public_presence``): one query,
    ordered by month, p-code, organisation and activity."""
    return list(
        public_presence(reach(filters), *PRESENCE_FIELDS).order_by(
            "month",
            "admin1__pcode",
            "implementing_organisation__name_en",
            "implementing_organisation__public_id",
            "activity__code",
        )
    )


def presence_columns() -> list[Column]:
    def key(name):
        return lambda row: row[name]

    return [
        Column(gettext_lazy("Month"), "#date+month", lambda row: f"{row['month']:%Y-%m}"),
        Column(gettext_lazy("Admin1 p-code"), "#adm1+code", key("admin1__pcode")),
        Column(gettext_lazy("Admin1"), "#adm1+name", key("admin1__name_en")),
        Column(
            gettext_lazy("Organisation's public identifier"),
            "#org+id",
            key("implementing_organisation__public_id"),
        ),
        Column(
            gettext_lazy("Organisation"), "#org+name", key("implementing_organisation__name_en")
        ),
        Column(gettext_lazy("Acronym"), "#org+acronym", key("implementing_organisation__acronym")),
        Column(gettext_lazy("Type"), "#org+type", key("implementing_organisation__type")),
        Column(gettext_lazy("Activity code"), "#activity+code", key("activity__code")),
        Column(gettext_lazy("Activity"), "#activity+name", key("activity__name_en")),
    ]


class PresenceSerializer(serializers.Serializer):
    month = serializers.DateField(format="%Y-%m")
    admin1 = serializers.CharField(source="admin1__pcode")
    organisation = serializers.UUIDField(source="implementing_organisation__public_id")
    organisation_name = serializers.CharField(source="implementing_organisation__name_en")
    organisation_acronym = serializers.CharField(source="implementing_organisation__acronym")
    organisation_type = serializers.CharField(source="implementing_organisation__type")
    activity = serializers.CharField(source="activity__code")
    activity_name = serializers.CharField(source="activity__name_en")


@extend_schema(parameters=MONTH_PARAMETERS)
class PresenceList(PublicRead, CsvFormat, generics.ListAPIView):
    """Operational presence (3W without figures): which organisations of the directory
    worked in which admin1 area on which activity each month, from validated reports."""

    serializer_class = PresenceSerializer
    pagination_class = None
    filter_backends = []
    csv_name = "operational-presence"

    def csv_columns(self) -> list[Column]:
        return presence_columns()

    def csv_rows(self) -> list[dict]:
        return presence_rows(read_filters(self.request))

    def list(self, request, *args, **kwargs):
        if self.wants_csv():
            return super().list(request, *args, **kwargs)
        return Response(self.get_serializer(self.csv_rows(), many=True).data)


def _resource(request, name: str, url_name: str, query: dict, description: str) -> dict:
    url = request.build_absolute_uri(reverse(url_name))
    return {
        "name": name,
        "description": description,
        "format": "CSV",
        "url": f"{url}?{urlencode({**query, 'format': 'csv'})}",
    }


def package(request, filters: Filters) -> dict:
    # Read only: a GET writes nothing (the profile's defaults until a coordinator saves it).
    profile = ClusterProfile.objects.filter(pk=1).first() or ClusterProfile()
    months = {
        "first_month": f"{filters.first_month:%Y-%m}",
        "last_month": f"{filters.last_month:%Y-%m}",
    }
    _etag, last_modified = conditional.validators(request)
    cluster = profile.cluster_name_en
    period = f"{months['first_month']}/{months['last_month']}"
    return {
        "name": f"health-cluster-{profile.country_name_en or 'country'}-3w".lower().replace(
            " ", "-"
        ),
        "title": _("%(cluster)s: operational presence and figures by admin1 area, %(period)s")
        % {"cluster": cluster, "period": period},
        "organisation": cluster,
        "source": _(
            "%(cluster)s, partners' monthly activity reports validated by the cluster coordinators"
        )
        % {"cluster": cluster},
        "dataset_date": {"start": months["first_month"], "end": months["last_month"]},
        "last_modified": last_modified.isoformat(),
        "methodology": _(
            "Partners report their activities each month by admin area and activity; the "
            "cluster coordinators validate the reports. Figures are added up by admin1 area "
            "and month in the cluster's portal, each indicator by its kind (a count, people "
            "reached once, a rate, a latest value), as its public dashboard shows them."
        ),
        "caveats": _(
            "A figure from fewer than %(count)d organisations, or a total that includes one, "
            "is not published: its value is empty and the column #meta+withheld says why. "
            "Figures reported for the whole country belong to no admin1 area and are not in "
            "the figures. The presence lists organisations of the cluster's directory only, "
            "with no figure of any organisation."
        )
        % {"count": min_organisations()},
        "license": LICENCE,
        "tags": ["health", "who is doing what and where-3w-4w-5w", "hxl"],
        "resources": [
            _resource(
                request,
                "operational-presence.csv",
                "api_v1:hdx-presence",
                months,
                _("Organisations working in each admin1 area on each activity, by month."),
            ),
            _resource(
                request,
                "figures-by-admin1.csv",
                "api_v1:figures",
                months,
                _("Each indicator's figure by admin1 area and month, as the public sees it."),
            ),
        ],
    }


@extend_schema(
    parameters=MONTH_PARAMETERS,
    responses=inline_serializer(
        "HdxPackage",
        {
            "name": serializers.CharField(),
            "title": serializers.CharField(),
            "organisation": serializers.CharField(),
            "source": serializers.CharField(),
            "dataset_date": serializers.DictField(child=serializers.CharField()),
            "last_modified": serializers.DateTimeField(),
            "methodology": serializers.CharField(),
            "caveats": serializers.CharField(),
            "license": serializers.DictField(child=serializers.CharField()),
            "tags": serializers.ListField(child=serializers.CharField()),
            "resources": serializers.ListField(child=serializers.DictField()),
        },
    ),
)
class HdxPackage(PublicRead, generics.RetrieveAPIView):
    """The index of the HDX dataset: its metadata and its two CSV resources with HXL tags,
    for the months chosen (the dashboard's last twelve by default)."""

    pagination_class = None
    filter_backends = []

    def retrieve(self, request, *args, **kwargs):
        return Response(package(request, read_filters(request)))
