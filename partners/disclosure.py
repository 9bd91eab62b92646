"""What the public may see of partners' figures: the one policy every public output asks.

Partners give the cluster their figures on one promise: the public sees them only added up
by admin1 area, never by a smaller area and never by organisation. Everything that shows
figures from partners' reports to people who are not partners (the dashboard's pages,
charts and files, the activity export, the home page, the strategy page and the bulletins'
snapshot) asks this module; so does whatever shows health facilities and attacks on health
care (``sees_facilities``):

- who the public is (``is_public``): whoever is neither a coordinator nor a member of an
  approved (or suspended, who still read) organisation;
- which filters the public may not use (``refused_filters``): an area below admin1, an
  organisation or a type of organisation, refused with ``refusal_error``;
- whether a figure may be shown (``verdict``): a figure from fewer than
  ``PUBLIC_MIN_ORGANISATIONS`` distinct implementing organisations is not (a *small* figure),
  and neither is a total that includes a small admin1-month cell (a *withheld* total),
  however many organisations the total itself comes from: otherwise the same total asked
  for with and without that area or month would give the small figure away by subtraction;
- what is public at all (``public_organisations``): an organisation that is not approved is
  a 404, as a missing one;
- which organisations the public may see working where (``public_presence``): the operational
  presence, organisation by admin1 area, activity and month, with no figure.

The module lives in ``partners`` because that is the lowest layer that knows who is a member,
and every app that outputs partners' figures (``activities``, ``analysis``, ``bulletins``
through ``analysis``, ``cluster_portal``) already imports it. The figures themselves are
counted by those apps (``implementer_count`` and ``IMPLEMENTER_FIELDS`` here say how).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.db.models.expressions import CombinedExpression
from django.http import Http404
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from locations.models import AdminArea, AdminLevel
from partners.access import reads_member_content
from partners.models import Organisation

# The finest area the public sees partners' figures by.
PUBLIC_AREA_LEVEL = AdminLevel.ADMIN1

SHOWN = "shown"
SMALL = "small"  # the figure comes from fewer than the minimum of organisations
WITHHELD = "withheld"  # a total that includes a small admin1-month cell


# --- who the public is --------------------------------------------------------------------------


def sees_details(user) -> bool:
    """Coordinators and members of approved (or suspended) organisations: admin2 areas,
    organisations and every figure, however few organisations it comes from."""
    return reads_member_content(user)


def is_public(user) -> bool:
    """Visitors, and signed-in people without an approved organisation."""
    return not sees_details(user)


# --- health facilities and attacks on health care -----------------------------------------------


def facility_locations_public() -> bool:
    """Whether this deployment shows the public its health facilities one by one (their
    names, codes, points and statuses): ``PUBLISH_FACILITY_LOCATIONS``, off unless a
    coordinator decides otherwise, since in a conflict a facility's exact location can put
    it at risk. Off, the public sees facilities only counted by admin1 area."""
    return settings.PUBLISH_FACILITY_LOCATIONS


def sees_facilities(user) -> bool:
    """Whether ``user`` sees facilities one by one: members and coordinators always."""
    return sees_details(user) or facility_locations_public()


# The funding of partners' projects (``analysis.funding``): the public sees the cluster's
# total and its admin1 parts (with the part not broken down by area), never by type of
# organisation or objective. The total is shown unless it comes from fewer organisations than
# the minimum: a response plan's requirements and funding are public (OCHA's Financial
# Tracking Service publishes them by organisation), and the funding gap is the cluster's
# headline. A part from fewer organisations is withheld; and when only one part is, the
# smallest other part is withheld with it, so that no withheld part is the total less the
# parts shown (``funding_parts``).


def funding_parts(organisations: list[int], sizes: list) -> list[str]:
    """The verdict on each part of the funding total by area: ``organisations`` behind each
    part, ``sizes`` (the amounts required) to choose the complementary part to withhold."""
    verdicts = [verdict(count) for count in organisations]
    withheld = [i for i, found in enumerate(verdicts) if found != SHOWN]
    shown = [i for i, found in enumerate(verdicts) if found == SHOWN]
    if len(withheld) == 1 and shown:
        verdicts[min(shown, key=lambda i: (sizes[i], i))] = WITHHELD
    return verdicts


# Coverage against targets (``analysis.coverage``): people in need and people targeted per
# area are the humanitarian needs overview's published figures, not partners' reports, so
# the public sees them as they are, by admin1 area. People reached beside them is a partners'
# figure, the strategy cycle's headline indicator in the area: disclosed exactly as the
# dashboard discloses that indicator filtered to the area (``analysis.public.indicator_rows``),
# and a coverage computed from a reach not shown is not shown either. Districts are for
# members only, like every other figure below admin1.


# Attacks on health care are the cluster's own verified record, not partners' figures: the
# minimum-organisations rule does not apply to them. The public sees verified incidents only,
# counted by month, admin1 area and type, never their description or source
# (``facilities.incident_selectors``).


# --- filters the public may not use -------------------------------------------------------------

# The query-string names every public form uses for them.
ORGANISATION_FILTERS = ("organisation", "organisation_type")
AREA_FILTER = "area"


def refused_filters(params: Mapping[str, object]) -> list[str]:
    """The names of the filters in ``params`` that would narrow partners' figures below what
    the public may see: an organisation, a type of organisation, an area below admin1."""
    refused = [name for name in ORGANISATION_FILTERS if params.get(name) not in (None, "")]
    area = params.get(AREA_FILTER)
    if area not in (None, "") and _is_below_public_level(area):
        refused.append(AREA_FILTER)
    return refused


def _is_below_public_level(value: object) -> bool:
    try:
        pk = int(str(value))
    except ValueError:
        return False  # not an area at all: the form says so
    return AdminArea.objects.filter(pk=pk, level__gt=PUBLIC_AREA_LEVEL).exists()


_REFUSED_NAMES = {
    "organisation": _("an organisation"),
    "organisation_type": _("a type of organisation"),
    AREA_FILTER: _("an area smaller than an admin1 area"),
}


def refusal_error(refused: Iterable[str]) -> ValidationError:
    """Why the filters were not used, in the user's language."""
    names = ", ".join(str(_REFUSED_NAMES[name]) for name in refused)
    return ValidationError(
        gettext(
            "The public cannot filter partners' figures by %(filters)s: partners report to "
            "the cluster on the promise that the public sees their figures only added up by "
            "admin1 area. Members of partner organisations who sign in can use these filters."
        )
        % {"filters": names},
        code="not_public",
    )


# --- small figures --------------------------------------------------------------------------------


def min_organisations() -> int:
    """``PUBLIC_MIN_ORGANISATIONS``: the fewest implementing organisations a public figure
    may come from."""
    return settings.PUBLIC_MIN_ORGANISATIONS


def is_small(organisations: int) -> bool:
    """A figure from some organisations, but fewer than the minimum."""
    return 0 < organisations < min_organisations()


def verdict(own: int, cells: Iterable[int] = ()) -> str:
    """Whether a public figure may be shown.

    ``own`` is the number of distinct implementing organisations the figure comes from;
    ``cells`` the numbers of each admin1-month cell the figure adds up (with the same
    filters otherwise). A figure from no organisation at all is an honest 0 or "no data".
    """
    if is_small(own):
        return SMALL
    if any(is_small(count) for count in cells):
        return WITHHELD
    return SHOWN


def small_text() -> str:
    count = min_organisations()
    return ngettext("fewer than %(count)s partner", "fewer than %(count)s partners", count) % {
        "count": count
    }


def withheld_text() -> str:
    count = min_organisations()
    return ngettext(
        "not shown: part of it is from fewer than %(count)s partner",
        "not shown: part of it is from fewer than %(count)s partners",
        count,
    ) % {"count": count}


def rule_text() -> str:
    """The rule in a sentence, for the note under a table that has figures not shown."""
    count = min_organisations()
    return ngettext(
        "A figure from fewer than %(count)s partner is not shown, nor a total that includes "
        "one, so that no partner's own figures can be read or worked out.",
        "A figure from fewer than %(count)s partners is not shown, nor a total that includes "
        "one, so that no partner's own figures can be read or worked out.",
        count,
    ) % {"count": count}


@dataclass(frozen=True)
class Withheld:
    """A figure the public may not see, in place of its value, and why."""

    reason: str  # SMALL or WITHHELD

    def __str__(self) -> str:
        return small_text() if self.reason == SMALL else withheld_text()


def disclose(value: object, *, own: int, cells: Iterable[int] = ()) -> object:
    """``value``, or ``Withheld`` when the public may not see it."""
    found = verdict(own, cells)
    return value if found == SHOWN else Withheld(found)


def shown_or_none(value: object) -> object:
    """A figure as a file or a chart holds it: None in place of one not shown."""
    return None if isinstance(value, Withheld) else value


# How the apps count the organisations a figure comes from: distinct implementing
# organisations, those outside the directory counted by name (``implementing_other``).
# A row names one implementer, never both (the report services clear the name when an
# organisation of the directory is chosen): its distinct pairs of these fields are its
# implementers, which is how ``analysis.grouping`` counts them.
IMPLEMENTER_FIELDS = ("implementing_organisation", "implementing_other")


def implementer_count(condition: Q | None = None, *, prefix: str = "") -> CombinedExpression:
    """The number of distinct implementing organisations, as a database aggregate."""
    other = ~Q(**{f"{prefix}implementing_other": ""})
    if condition is not None:
        other &= condition
    return Count(f"{prefix}implementing_organisation", distinct=True, filter=condition) + Count(
        f"{prefix}implementing_other", distinct=True, filter=other
    )


# --- what exists for the public -------------------------------------------------------------------


def public_organisations() -> QuerySet[Organisation]:
    """The organisations the public may know of: approved partners."""
    return Organisation.objects.approved()


def get_public_organisation_or_404(pk) -> Organisation:
    """An approved organisation; any other id is the same 404 as one that does not exist."""
    try:
        return public_organisations().get(pk=pk)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- operational presence -------------------------------------------------------------------------

# What one line of the public operational presence is: an organisation of the directory worked
# in an admin1 area on an activity in a month. No figure of any kind.
PRESENCE_GRAIN = ("month", "admin1", "implementing_organisation", "activity")


def public_presence(rows: QuerySet, *fields: str) -> QuerySet:
    """The operational presence the public may see, from validated report rows
    (``analysis.models.Reach``): the distinct ``fields`` (each one of ``PRESENCE_GRAIN`` or
    a detail of one, such as ``admin1__pcode``) of the rows in an admin1 area implemented by
    an organisation of the directory.

    It is public although it comes from partners' reports: the directory already publishes
    which organisations work in which admin1 areas, and presence adds only the activity and
    the month, never a figure of any organisation (a field outside the grain, such as a
    total, is refused), nor an area below admin1 (rows are rolled up to their admin1 area;
    those reported for the whole country have none and are left out). Organisations outside
    the directory, named by the reporting partner, are left out as the directory leaves
    them out."""
    for field in fields:
        if field.split("__")[0] not in PRESENCE_GRAIN:
            raise ValueError(f"{field} is not part of the public operational presence")
    return (
        rows.filter(admin1__isnull=False, implementing_organisation__in=public_organisations())
        .order_by()
        .values(*fields)
        .distinct()
    )
