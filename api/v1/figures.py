"""The public aggregated figures: each indicator's figure per admin1 area and month, exactly
as the dashboard's indicator table shows it with that area and that month chosen.

Nothing is computed or judged here. The filters are read by the dashboard's own form
(``DashboardFilterForm``) for the caller's scope (``access_of``: the public, or members and
coordinators, who see every figure and may filter by an admin2 area and the type of
organisation); a filter the public may not use is refused as the pages refuse it
(``partners.disclosure.refused_filters``). The cells are ``analysis.grid``'s: the rules of
``analysis.measures`` grouped by admin1 area and month, each cell equal to the dashboard's
indicator table with that area and month chosen (tests/api/test_figures.py checks it against
the table computed cell by cell); for the public, each judged by the disclosure policy
through ``analysis.public``, so a figure not shown has no value and says why ("small" or
"withheld"). A constant number of queries whatever the areas and months, kept in the
analysis cache until the figures change.
"""

import dataclasses
import datetime
from decimal import Decimal

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from analysis import grid, selectors
from analysis.cache import cached
from analysis.forms import DashboardFilterForm
from analysis.selectors import Filters
from analysis.tables import Access
from analysis.views.common import access_of
from api.formats import CsvFormat
from api.v1.base import PublicRead
from core.exports import Column
from locations.models import AdminArea
from partners.disclosure import ORGANISATION_FILTERS, SMALL, WITHHELD, refusal_error
from strategy.progress import Measure


@dataclasses.dataclass(frozen=True)
class FigureRow:
    admin1: AdminArea
    month: datetime.date
    measure: Measure

    @property
    def indicator(self):
        return self.measure.indicator

    @property
    def value(self) -> int | Decimal | None:
        return self.measure.value

    @property
    def withheld(self) -> str:
        return self.measure.withheld


def _with_area_ids(params: QueryDict) -> QueryDict:
    """The query with ``area`` given as a p-code (as the API names areas) turned into the id
    the dashboard's form takes; an unknown p-code stays, and the form says it is no choice."""
    area = params.get("area")
    if not area or area.isdigit():
        return params
    found = AdminArea.objects.filter(pcode=area).values_list("pk", flat=True).first()
    if found is None:
        return params
    params = params.copy()
    params["area"] = str(found)
    return params


def read_filters(request) -> Filters:
    """The caller's filters as the dashboard reads them, or a 400 that says what is wrong
    (for the public, naming each filter it may not use)."""
    params = _with_area_ids(request.query_params)
    detailed = access_of(request.user) >= Access.MEMBERS
    names = (*DashboardFilterForm.FIELDS, *ORGANISATION_FILTERS)
    given = any(name in params for name in names)
    form = DashboardFilterForm(params if given else None, detailed=detailed)
    if form.refused:
        message = str(refusal_error(form.refused).message)
        raise ValidationError({name: [message] for name in form.refused}, code="not_public")
    if form.is_bound and not form.is_valid():
        raise ValidationError(_form_errors(form))
    return form.filters()


def _form_errors(form) -> dict:
    return {
        name: [error["message"] for error in errors]
        for name, errors in form.errors.get_json_data().items()
    }


def figure_rows(filters: Filters) -> list[FigureRow]:
    """Each indicator of each admin1-month cell with figures, by p-code, month and the
    strategy's order (``analysis.grid``)."""
    found = grid.cells(filters)
    areas = selectors.areas_by_id(cell.admin1_id for cell in found)
    cells = sorted(
        (cell for cell in found if cell.admin1_id in areas),
        key=lambda cell: (areas[cell.admin1_id].pcode, cell.month),
    )
    return [
        FigureRow(areas[cell.admin1_id], cell.month, measure)
        for cell in cells
        for measure in cell.measures
    ]


def number(value: int | Decimal | None) -> int | float | None:
    """A count as an integer, a rate's percentage (one decimal) as a number."""
    if value is None or isinstance(value, int):
        return value
    return float(value)


def csv_columns() -> list[Column]:
    """The figures as a CSV file with HXL tags: one line per indicator, admin1 area and month."""
    return [
        Column(_("Admin1 p-code"), "#adm1+code", "admin1.pcode"),
        Column(_("Admin1"), "#adm1+name", lambda row: str(row.admin1.name)),
        Column(_("Month"), "#date+month", lambda row: f"{row.month:%Y-%m}"),
        Column(_("Indicator code"), "#indicator+code", "indicator.code"),
        Column(_("Indicator"), "#indicator+name", lambda row: str(row.indicator.name)),
        Column(_("How it is measured"), "#indicator+kind", "indicator.kind"),
        Column(_("Unit"), "#indicator+unit", "indicator.unit"),
        Column(_("Value"), "#indicator+value+num", "value"),
        Column(_("Numerator"), "#indicator+numerator+num", "measure.numerator"),
        Column(_("Denominator"), "#indicator+denominator+num", "measure.denominator"),
        Column(_("Not shown because"), "#meta+withheld", "withheld"),
    ]


# --- the endpoint -----------------------------------------------------------------------------


class AreaRefSerializer(serializers.Serializer):
    pcode = serializers.CharField()
    name_en = serializers.CharField()
    name_ar = serializers.CharField()


class IndicatorRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_en = serializers.CharField()
    name_ar = serializers.CharField()
    kind = serializers.CharField()
    unit = serializers.CharField()


class FigureSerializer(serializers.Serializer):
    admin1 = AreaRefSerializer()
    month = serializers.DateField(format="%Y-%m")
    indicator = IndicatorRefSerializer()
    value = serializers.SerializerMethodField()
    numerator = serializers.IntegerField(source="measure.numerator", allow_null=True)
    denominator = serializers.IntegerField(source="measure.denominator", allow_null=True)
    withheld = serializers.ChoiceField(
        choices=["", SMALL, WITHHELD],
        help_text="Why the value is not shown to the public: `small` (from fewer partners "
        "than the minimum) or `withheld` (a total that includes such a figure); empty when "
        "it is shown. A value of null with no reason is no data.",
    )

    @extend_schema_field(OpenApiTypes.NUMBER)
    def get_value(self, row: FigureRow) -> int | float | None:
        """The figure (a rate's percentage with one decimal), or null."""
        return number(row.value)


MONTH_PARAMETERS = [
    OpenApiParameter("first_month", str, description="The first month, `YYYY-MM`."),
    OpenApiParameter("last_month", str, description="The last month, `YYYY-MM`."),
]
FILTER_PARAMETERS = [
    *MONTH_PARAMETERS,
    OpenApiParameter("objective", int, description="A strategic objective's id."),
    OpenApiParameter("indicator", int, description="An indicator's id."),
    OpenApiParameter("activity", int, description="An activity's id."),
    OpenApiParameter(
        "area",
        str,
        description="An admin1 area's p-code (members: an admin2 area's too). The public "
        "may not choose a smaller area, an organisation or a type of organisation: a 400 "
        "names the filter.",
    ),
    OpenApiParameter(
        "organisation_type", str, description="Members and coordinators only: a type."
    ),
]


@extend_schema(parameters=FILTER_PARAMETERS)
class FigureList(PublicRead, CsvFormat, generics.ListAPIView):
    """Each indicator's figure per admin1 area and month, as the dashboard shows it with that
    area and month chosen: to the public through the disclosure policy (a figure from fewer
    partners than the minimum, or a total that includes one, has a null value and says why),
    to members' and coordinators' tokens every figure. The range of months defaults to the
    dashboard's (the last twelve)."""

    serializer_class = FigureSerializer
    pagination_class = None
    filter_backends = []
    csv_name = "figures"

    def csv_columns(self) -> list[Column]:
        return csv_columns()

    def csv_rows(self) -> list[FigureRow]:
        return figure_rows(read_filters(self.request))

    def list(self, request, *args, **kwargs):
        if self.wants_csv():
            return super().list(request, *args, **kwargs)
        return Response(figure_data(read_filters(request)))


@cached
def figure_data(filters: Filters) -> list[dict]:
    """The JSON answer's lines, kept with the figures: serialising the 2,880 lines of twelve
    months took most of a warm answer (80 ms of 100 at 1,000,000 rows). Both languages'
    names are in every line, so one copy serves every language."""
    return [dict(line) for line in FigureSerializer(figure_rows(filters), many=True).data]


class ProgressSerializer(serializers.Serializer):
    """An indicator's figure over the cycle so far, as the strategy page shows it to
    everyone (``strategy.progress.progress_for``: the public's, through the disclosure
    policy)."""

    value = serializers.SerializerMethodField()
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)
    as_of = serializers.DateField(format="%Y-%m", allow_null=True)
    percent = serializers.IntegerField(allow_null=True, help_text="Share of the target (counts).")
    status = serializers.CharField(allow_null=True, help_text="met, improving or off_track.")
    measured = serializers.BooleanField()
    withheld = serializers.ChoiceField(choices=["", SMALL, WITHHELD])

    # None when nothing was reported, or the figure is withheld.
    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_value(self, measure: Measure) -> int | float | None:
        return number(measure.value)
