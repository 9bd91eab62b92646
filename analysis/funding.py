"""The cluster's funding: required against received, for the cluster, by type of organisation,
by strategic objective and by admin1 area.

The projects counted over a range of months are those accepted into the plan, not cancelled,
whose start to end overlaps the range. Required is a project's budget; received is its latest
funding update dated on or before the range's last day, so that a bulletin's figure is "as
of" its period and does not move with later updates (a project without one has received
nothing yet). The gap is required less received, never below zero, and the share funded is
received over required.

By objective and by area, a project counts through its budget shares (``ProjectShare``): 60 %
of its budget to an area puts 60 % of its required and of its received there. A project with
no share of that kind counts under "not broken down", so the parts add up to the total. Area
shares at admin2 roll up to their admin1 area.

Every figure is a database aggregate: six queries whatever the number of projects (the
total, by type, by objective, by area, and the objectives and areas named), cached with the
analysis sources (``projects`` is one).
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from analysis.cache import cached
from analysis.facilities import month_end
from locations.models import AdminArea, AdminLevel
from partners.models import OrganisationType
from projects.models import FundingUpdate, Project, ProjectShare, ProjectStatus, ReviewState
from strategy.models import StrategicObjective

MONEY = DecimalField(max_digits=24, decimal_places=6)
ZERO = Value(Decimal(0), output_field=MONEY)
# The admin1 area of a share's area, at admin1 or admin2 (``projects.services.SHARE_LEVELS``).
ADMIN1 = Case(
    When(area__level=AdminLevel.ADMIN1, then=F("area_id")),
    When(area__level=AdminLevel.ADMIN2, then=F("area__parent")),
    When(area__level=AdminLevel.ADMIN3, then=F("area__parent__parent")),
)


@dataclass(frozen=True)
class FundingRow:
    """Required, received and the gap in whole US dollars, of a group of projects; ``key``
    names the group (None for the cluster or for "not broken down")."""

    key: object
    required: int
    received: int
    gap: int
    percent: int | None  # received over required, None when nothing is required
    projects: int
    organisations: int  # distinct organisations whose projects the figures come from


def _dollars(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def funding_row(key, required, received, projects: int, organisations: int) -> FundingRow:
    required, received = Decimal(required or 0), Decimal(received or 0)
    percent = _dollars(100 * received / required) if required else None
    return FundingRow(
        key=key,
        required=_dollars(required),
        received=_dollars(received),
        gap=_dollars(max(required - received, Decimal(0))),
        percent=percent,
        projects=projects,
        organisations=organisations,
    )


@dataclass(frozen=True)
class FundingFigures:
    first_day: datetime.date
    last_day: datetime.date  # the day received is counted to
    total: FundingRow
    by_type: list[FundingRow]  # key: an OrganisationType value
    by_objective: list[FundingRow]  # key: a StrategicObjective; the last, None: not broken down
    by_admin1: list[FundingRow]  # key: an AdminArea; the last, None: not broken down

    @property
    def as_of(self) -> datetime.date:
        """The day the figures are for: the range's end, or today while it runs."""
        return min(self.last_day, timezone.localdate())


def counted_projects(first_day: datetime.date, last_day: datetime.date) -> QuerySet[Project]:
    """The accepted projects, not cancelled, running on some day of the range."""
    return Project.objects.filter(
        state=ReviewState.ACCEPTED, start__lte=last_day, end__gte=first_day
    ).exclude(status=ProjectStatus.CANCELLED)


def received_on(day: datetime.date, project: str = "pk") -> Coalesce:
    """A project's funding received: its latest update dated on or before ``day``."""
    latest = FundingUpdate.objects.filter(project=OuterRef(project), date__lte=day).order_by(
        "-date", "-pk"
    )
    return Coalesce(Subquery(latest.values("amount_received_usd")[:1]), ZERO, output_field=MONEY)


def _days(first_month: datetime.date, last_month: datetime.date):
    return first_month, month_end(last_month)


def _total(first_day, last_day) -> tuple[FundingRow, FundingRow, FundingRow]:
    """The cluster's total, and the projects with no share by objective and by area."""
    shares = ProjectShare.objects.filter(project=OuterRef("pk"))
    projects = counted_projects(first_day, last_day).annotate(
        received=received_on(last_day),
        by_objective=Exists(shares.filter(objective__isnull=False)),
        by_area=Exists(shares.filter(area__isnull=False)),
    )
    figures = {}
    for name, condition in (
        ("all", None),
        ("objective", Q(by_objective=False)),
        ("area", Q(by_area=False)),
    ):
        figures |= {
            f"{name}_required": Sum("budget_required_usd", filter=condition),
            f"{name}_received": Sum("received", filter=condition),
            f"{name}_projects": Count("pk", filter=condition),
            f"{name}_organisations": Count("organisation", distinct=True, filter=condition),
        }
    found = projects.aggregate(**figures)
    return tuple(
        funding_row(
            None,
            found[f"{name}_required"],
            found[f"{name}_received"],
            found[f"{name}_projects"],
            found[f"{name}_organisations"],
        )
        for name in ("all", "objective", "area")
    )


def _share_sums() -> dict:
    """A part of the projects' required and received, in proportion to their shares."""
    # Multiplied before it is divided, and by "100.00": SQLite (the embedded mode) divides
    # whole numbers as whole numbers, and a 60 % share was 60 / 100 = 0 there.
    hundred = Value(Decimal("100.00"), output_field=MONEY)
    return {
        "required": Sum(
            F("project__budget_required_usd") * F("share_percent") / hundred, output_field=MONEY
        ),
        "received": Sum(F("received") * F("share_percent") / hundred, output_field=MONEY),
        "projects": Count("project", distinct=True),
        "organisations": Count("project__organisation", distinct=True),
    }


def _shares(first_day, last_day) -> QuerySet[ProjectShare]:
    return ProjectShare.objects.filter(
        project__in=counted_projects(first_day, last_day).values("pk")
    ).annotate(received=received_on(last_day, "project"))


def _by_objective(first_day, last_day) -> list[dict]:
    return list(
        _shares(first_day, last_day)
        .filter(objective__isnull=False)
        .values("objective")
        .annotate(**_share_sums())
        .order_by()
    )


def _by_admin1(first_day, last_day) -> list[dict]:
    return list(
        _shares(first_day, last_day)
        .filter(area__isnull=False)
        .annotate(admin1=ADMIN1)
        .values("admin1")
        .annotate(**_share_sums())
        .order_by()
    )


def _row(key, found: dict) -> FundingRow:
    return funding_row(
        key, found["required"], found["received"], found["projects"], found["organisations"]
    )


@cached(figures=False)
def funding_figures(first_month: datetime.date, last_month: datetime.date) -> FundingFigures:
    """The funding of the projects running in the months from ``first_month`` to
    ``last_month``, received as of the last month's last day."""
    first_day, last_day = _days(first_month, last_month)
    total, objective_rest, area_rest = _total(first_day, last_day)
    by_type = (
        counted_projects(first_day, last_day)
        .annotate(received=received_on(last_day))
        .values("organisation__type")
        .annotate(
            required=Sum("budget_required_usd"),
            received_sum=Sum("received"),
            projects=Count("pk"),
            organisations=Count("organisation", distinct=True),
        )
        .order_by()
    )
    objectives = _by_objective(first_day, last_day)
    areas = _by_admin1(first_day, last_day)
    named = StrategicObjective.objects.select_related("cycle").in_bulk(
        [row["objective"] for row in objectives]
    )
    admin1 = AdminArea.objects.in_bulk([row["admin1"] for row in areas if row["admin1"]])
    types = [value for value, _label in OrganisationType.choices]
    return FundingFigures(
        first_day=first_day,
        last_day=last_day,
        total=total,
        by_type=sorted(
            (
                funding_row(
                    row["organisation__type"],
                    row["required"],
                    row["received_sum"],
                    row["projects"],
                    row["organisations"],
                )
                for row in by_type
            ),
            key=lambda row: types.index(row.key) if row.key in types else len(types),
        ),
        by_objective=[
            *sorted(
                (_row(named[row["objective"]], row) for row in objectives),
                key=lambda row: (row.key.cycle.start_year, row.key.order, row.key.code),
            ),
            *_rest(objective_rest),
        ],
        by_admin1=[
            *sorted(
                (_row(admin1[row["admin1"]], row) for row in areas if row["admin1"] in admin1),
                key=lambda row: row.key.path,
            ),
            *_rest(area_rest),
        ],
    )


def _rest(row: FundingRow) -> list[FundingRow]:
    """The "not broken down" row, when some project has no share of that kind."""
    return [row] if row.projects else []


@dataclass(frozen=True)
class ClusterFunding:
    """The cluster's total and the organisations behind each admin1 area's part and the part
    not broken down by area: what the disclosure policy needs to judge the total."""

    as_of: datetime.date
    total: FundingRow


@cached(figures=False)
def cluster_funding(first_month: datetime.date, last_month: datetime.date) -> ClusterFunding:
    """The cluster's total alone, in one query (the home page's figure)."""
    first_day, last_day = _days(first_month, last_month)
    total, _objective_rest, _area_rest = _total(first_day, last_day)
    return ClusterFunding(as_of=min(last_day, timezone.localdate()), total=total)


def type_label(code: str) -> str:
    try:
        return str(OrganisationType(code).label)
    except ValueError:
        return code


def millions(value) -> str:
    """US dollars as millions with one decimal, in the active language: "28.2"."""
    return number_format(Decimal(value) / 1_000_000, 1, use_l10n=True)


def usd_millions(value) -> str:
    """ "US$ 28.2 M", in the active language."""
    return _("US$ %(amount)s M") % {"amount": millions(value)}
