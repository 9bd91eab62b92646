"""The figures of health facilities: how many function, by type, area and month.

A facility's status at the end of a month is its newest validated record dated up to that
day and no older than ``LATEST_MAX_AGE`` months (the latest-value rule of the indicators:
the record's month at most that many months before); otherwise it has "no recent data".
Functioning means fully or partially functioning, as HeRAMS and the clusters' bulletins count
it ("17 of 36 hospitals partially functional"), and both are shown apart.

Each validated record holds from its date until the facility's next record or until it is too
old; the months are joined to those spans (a VALUES list on PostgreSQL, a UNION on SQLite, as
``analysis.measures`` does). One query counts the facilities by month, type and status in
the database and gives each facility's status at the end of the range.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from analysis.cache import cached
from analysis.selectors import add_months, month_of, months_between
from facilities.models import Facility, FacilitySupport, FacilityType, Functionality, ReviewState
from locations.models import AdminArea
from strategy.models import latest_max_age

NO_RECENT_DATA = "none"  # beside Functionality's values
# The facilities named on the tab as not functioning with no partner (the count says how
# many in all); and the most drawn one by one on a map, which would weigh a page down (5,000
# points: 750 KB), beyond which a map asks for an area first.
UNSUPPORTED_SHOWN = 100
POINTS_DRAWN = 1500
ORDER = (Functionality.FULLY, Functionality.PARTIALLY, Functionality.NOT, NO_RECENT_DATA)


def month_end(month: datetime.date) -> datetime.date:
    return add_months(month, 1) - datetime.timedelta(days=1)


def _months_table(months: list[datetime.date]) -> tuple[str, list]:
    """``(month, day, oldest)``: each month, its last day and the first day a record may
    be dated to still count then."""
    rows = [(month, month_end(month), add_months(month, -latest_max_age())) for month in months]
    params = [value for row in rows for value in row]
    if connection.vendor == "postgresql":
        values = ", ".join(["(%s::date, %s::date, %s::date)"] * len(rows))
        return f"(VALUES {values}) AS m (month, day, oldest)", params
    select = "SELECT %s AS month, %s AS day, %s AS oldest"
    return f"({' UNION ALL '.join([select] * len(rows))}) m", params


SPANS_SQL = """
WITH spans AS (
    SELECT s.facility_id, f.type_id, s.as_of, s.functionality,
           LEAD(s.as_of) OVER (PARTITION BY s.facility_id ORDER BY s.as_of, s.id) AS next_as_of
    FROM facilities_facilitystatus s
    JOIN facilities_facility f ON f.id = s.facility_id
    JOIN locations_adminarea a ON a.id = f.area_id
    WHERE s.state = %s AND s.as_of <= %s AND substr(a.path, 1, %s) = %s
)
"""
# Every month's counts by type and status (a few hundred rows, whatever the facilities), then
# each facility's status at the end of the last month, marked by its id.
STATUSES_SQL = (
    SPANS_SQL
    + """
SELECT m.month, spans.type_id, spans.functionality, COUNT(*), CAST(NULL AS integer)
FROM {months}
JOIN spans ON spans.as_of <= m.day AND spans.as_of >= m.oldest
          AND (spans.next_as_of IS NULL OR spans.next_as_of > m.day)
GROUP BY m.month, spans.type_id, spans.functionality
UNION ALL
SELECT CAST(NULL AS date), NULL, spans.functionality, 1, spans.facility_id
FROM spans
WHERE spans.as_of <= %s AND spans.as_of >= %s
  AND (spans.next_as_of IS NULL OR spans.next_as_of > %s)
"""
)


def _statuses(months, path: str) -> tuple[dict, dict[int, str]]:
    """Each month's facilities by (type id, status), and each facility's status at the end
    of the last month: one query, the spans computed once."""
    table, params = _months_table(months)
    last = months[-1]
    with connection.cursor() as cursor:
        cursor.execute(
            STATUSES_SQL.format(months=table),
            [
                ReviewState.VALIDATED,
                month_end(last),
                len(path),
                path,
                *params,
                month_end(last),
                add_months(last, -latest_max_age()),
                month_end(last),
            ],
        )
        rows = cursor.fetchall()
    counts: dict[datetime.date, dict] = {month: {} for month in months}
    current: dict[int, str] = {}
    for month, type_id, functionality, count, facility in rows:
        if facility is None:
            counts[month_of(month)][(type_id, functionality)] = count
        else:
            current[facility] = functionality
    return counts, current


@dataclass(frozen=True)
class FacilityRow:
    """A group of facilities (a type, an area, a month) counted by status."""

    key: object
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def functioning(self) -> int:
        return self.counts.get(Functionality.FULLY, 0) + self.counts.get(Functionality.PARTIALLY, 0)

    def count(self, status: str) -> int:
        return self.counts.get(status, 0)

    @property
    def percent_functioning(self) -> int | None:
        return round(100 * self.functioning / self.total) if self.total else None


@dataclass(frozen=True)
class FacilityFigures:
    day: datetime.date
    total: FacilityRow
    hospitals: FacilityRow
    by_type: list[FacilityRow]  # key: FacilityType
    by_admin1: list[FacilityRow]  # key: AdminArea
    by_month: list[FacilityRow]  # key: the month
    hospitals_by_month: list[FacilityRow]
    by_type_month: dict[int, list[FacilityRow]]  # each type's id: its rows of ``by_month``
    unsupported: list[int]  # ids of facilities not functioning that no partner supports
    current: dict[int, str]  # each facility's status at the end of the range


def _inside(area: AdminArea | None):
    facilities = Facility.objects.all()
    if area is not None:
        facilities = facilities.filter(area__path__startswith=area.path)
    return facilities


@cached(figures=False)
def facility_figures(first_month: datetime.date, last_month: datetime.date, area=None):
    """The facilities inside ``area`` (all without one) at the end of ``last_month``, by
    type and by admin1 area, and month by month over the range: the facilities, their
    statuses, the types, their admin1 areas and the supports of those not functioning."""
    facilities = list(_inside(area).values_list("pk", "type_id", "area__path"))
    months = months_between(first_month, last_month)
    path = area.path if area is not None else "/"
    counts, current = _statuses(months, path)
    types = {t.pk: t for t in FacilityType.objects.all()}
    admin1 = _admin1_by_path({path for _pk, _type, path in facilities})

    def row(key, members) -> FacilityRow:
        return FacilityRow(key, dict(Counter(current.get(pk, NO_RECENT_DATA) for pk in members)))

    by_type, by_admin1 = defaultdict(list), defaultdict(list)
    for pk, type_id, area_path in facilities:
        by_type[type_id].append(pk)
        by_admin1[admin1.get(_admin1_path(area_path))].append(pk)
    hospital_types = {pk for pk, kind in types.items() if kind.is_hospital}
    hospitals = [pk for pk, type_id, _path in facilities if type_id in hospital_types]
    everyone = [pk for pk, _t, _p in facilities]
    return FacilityFigures(
        day=min(month_end(last_month), timezone.localdate()),
        total=row(None, everyone),
        hospitals=row(None, hospitals),
        by_type=[row(types[key], by_type[key]) for key in types if key in by_type],
        by_admin1=sorted(
            (row(key, members) for key, members in by_admin1.items() if key is not None),
            key=lambda item: item.key.path,
        ),
        by_month=_by_month(counts, set(types), len(everyone)),
        hospitals_by_month=_by_month(counts, hospital_types, len(hospitals)),
        by_type_month={key: _by_month(counts, {key}, len(by_type[key])) for key in by_type},
        unsupported=_unsupported(everyone, current, last_month),
        current={pk: current.get(pk, NO_RECENT_DATA) for pk in everyone},
    )


def _by_month(counts, type_ids: set[int], total: int) -> list[FacilityRow]:
    """Each month's facilities of ``type_ids`` by status; those without one have no
    recent data."""
    rows = []
    for month, found in counts.items():
        statuses = Counter()
        for (type_id, functionality), count in found.items():
            if type_id in type_ids:
                statuses[functionality] += count
        statuses[NO_RECENT_DATA] = total - sum(statuses.values())
        rows.append(FacilityRow(month, {key: value for key, value in statuses.items() if value}))
    return rows


def _admin1_path(path: str) -> str:
    """``/ZZ/ZZ1/ZZ101/`` → ``/ZZ/ZZ1/``."""
    parts = path.strip("/").split("/")
    return f"/{'/'.join(parts[:2])}/" if len(parts) >= 2 else ""


def _admin1_by_path(paths: set[str]) -> dict[str, AdminArea]:
    wanted = {_admin1_path(path) for path in paths} - {""}
    return {area.path: area for area in AdminArea.objects.filter(path__in=wanted, level=1)}


def _unsupported(members: list[int], current: dict[int, str], month: datetime.date) -> list[int]:
    """The facilities not functioning at the end of ``month`` that no partner supports
    then: a gap of its own."""
    day = month_end(month)
    closed = [pk for pk in members if current.get(pk) == Functionality.NOT]
    supported = set(
        FacilitySupport.objects.filter(facility__in=closed, start__lte=day)
        .exclude(end__lt=day)
        .values_list("facility_id", flat=True)
    )
    return sorted(pk for pk in closed if pk not in supported)


def located(ids) -> list[dict]:
    """The facilities of ``ids`` that have coordinates, for a map."""
    return list(
        Facility.objects.filter(pk__in=list(ids), longitude__isnull=False)
        .order_by("code")
        .values("pk", "code", "name_en", "name_ar", "longitude", "latitude")
    )


def status_labels() -> dict[str, str]:
    """Each status at the end of a month, in words."""
    return {
        Functionality.FULLY: _("Fully functioning"),
        Functionality.PARTIALLY: _("Partially functioning"),
        Functionality.NOT: _("Not functioning"),
        NO_RECENT_DATA: _("No recent data"),
    }


def unsupported(figures: FacilityFigures, one_by_one: bool):
    """The facilities not functioning that no partner supports: one by one, or counted by
    admin1 area for the public of a deployment that does not publish facilities."""
    facilities = Facility.objects.filter(pk__in=figures.unsupported).select_related("area", "type")
    if one_by_one:
        return list(facilities.order_by("area__path", "code")[:UNSUPPORTED_SHOWN])
    admin1 = _admin1_by_path({facility.area.path for facility in facilities})
    counted = Counter(admin1.get(_admin1_path(facility.area.path)) for facility in facilities)
    return sorted(
        ((area, count) for area, count in counted.items() if area is not None),
        key=lambda pair: pair[0].path,
    )


@cached(figures=False)
def attack_counts(first_month: datetime.date, last_month: datetime.date, area=None):
    """The public counts of verified attacks on health care
    (``facilities.incident_selectors.public_counts``), kept until an incident changes; an
    area below admin1 counts its admin1 area, the least the public may see."""
    from facilities.incident_selectors import public_counts

    while area is not None and area.level > 1:
        area = area.parent
    return public_counts(first_month, last_month, area)
