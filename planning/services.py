"""Writes of the plan per area: a cycle's caseloads and an indicator's targets per area,
each saved as a whole set, all or nothing.

The sets' rules, which a row alone cannot check:

- areas are admin1 or admin2;
- an admin1 area and a district inside it are not both given for the same cycle and group
  (or, for an indicator that adds up over areas, the same indicator): their people would be
  counted twice;
- the people targeted do not exceed the people in need;
- an indicator's cluster-wide target agrees with its areas' targets: the sum for counts,
  people reached once and latest values (or the coordinator asks for the cluster-wide target
  to become the sum, in the same transaction), between the smallest and the largest for rates.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core import bulk
from locations.area_tables import RowProblem
from locations.models import AdminArea
from planning import policy
from planning.caseload_file import CaseloadFile, CaseloadFileError, read_caseloads
from planning.models import PLANNING_LEVELS, Caseload, IndicatorAreaTarget, PopulationGroup
from strategy.models import Indicator, IndicatorKind, StrategyCycle

SUMMED_KINDS = (IndicatorKind.COUNT, IndicatorKind.PEOPLE_ONCE, IndicatorKind.LATEST)
CHANGE_REASON = "Saved as a set on the planning pages"


def shown(number) -> str:
    """A figure as messages write it: grouped, without a fraction when it is whole."""
    if isinstance(number, Decimal) and number == number.to_integral_value():
        number = int(number)
    if isinstance(number, Decimal):
        return number_format(number, decimal_pos=2, force_grouping=True)
    return number_format(number, force_grouping=True)


@dataclass(frozen=True)
class CaseloadEntry:
    """One caseload of a set; ``row`` is its row in an uploaded file, for messages."""

    area: AdminArea
    group: str
    in_need: int
    targeted: int | None
    row: int | None = None


def _label(area: AdminArea) -> str:
    return f"{area.name} ({area.pcode})"


def _group(entry: CaseloadEntry) -> str:
    return str(PopulationGroup(entry.group).label)


def caseload_problems(entries: Iterable[CaseloadEntry]) -> list[tuple[CaseloadEntry, str]]:
    """Every reason the set cannot be saved, with the entry it is about."""
    entries = list(entries)
    problems = []
    for entry in entries:
        if entry.area.level not in PLANNING_LEVELS:
            message = _(
                "%(area)s is not an admin1 or admin2 area; caseloads are planned at those."
            ) % {"area": _label(entry.area)}
            problems.append((entry, message))
        if entry.targeted is not None and entry.targeted > entry.in_need:
            message = _(
                "%(area)s, %(group)s: the people targeted (%(targeted)s) exceed the people in "
                "need (%(in_need)s)."
            ) % {
                "area": _label(entry.area),
                "group": _group(entry),
                "targeted": shown(entry.targeted),
                "in_need": shown(entry.in_need),
            }
            problems.append((entry, message))
    admin1 = {(e.area.pk, e.group): e for e in entries if e.area.level == 1}
    for entry in entries:
        parent = admin1.get((entry.area.parent_id, entry.group)) if entry.area.level == 2 else None
        if parent is None:
            continue
        there = _(" (row %(row)s)") % {"row": parent.row} if parent.row is not None else ""
        message = _(
            "%(district)s lies in %(area)s, which has its own caseload for %(group)s%(there)s: "
            "giving both would count its people twice. Give the admin1 area or its districts, "
            "not both."
        ) % {
            "district": _label(entry.area),
            "area": _label(parent.area),
            "group": _group(entry),
            "there": there,
        }
        problems.append((entry, message))
    return problems


@dataclass
class CaseloadReport:
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    dry_run: bool = False
    by_level: dict[int, int] = field(default_factory=dict)

    def summary(self) -> str:
        return _(
            "%(added)s caseloads added, %(changed)s changed, %(removed)s removed and "
            "%(unchanged)s unchanged."
        ) % {
            "added": shown(self.added),
            "changed": shown(self.changed),
            "removed": shown(self.removed),
            "unchanged": shown(self.unchanged),
        }


def _locked(cycle: StrategyCycle) -> StrategyCycle:
    # Two coordinators saving the same cycle's set at once would each check the other's
    # old rows: the cycle's row lock makes them take turns.
    return StrategyCycle.objects.select_for_update().get(pk=cycle.pk)


def caseloads_save(
    *,
    cycle: StrategyCycle,
    entries: list[CaseloadEntry],
    levels: Iterable[int],
    source: str,
    by,
    dry_run: bool = False,
) -> CaseloadReport:
    """Replace the cycle's caseloads at ``levels`` by ``entries``; the caseloads at other
    levels stay and are checked with them. All or nothing: a ValidationError lists every
    problem."""
    policy.can_edit_plan(by).enforce()
    levels = set(levels)
    with transaction.atomic():
        _locked(cycle)
        kept = [
            CaseloadEntry(row.area, row.group, row.people_in_need, row.people_targeted)
            for row in Caseload.objects.filter(cycle=cycle)
            .exclude(area__level__in=levels)
            .select_related("area")
        ]
        problems = caseload_problems([*entries, *kept])
        if problems:
            raise ValidationError([message for _entry, message in problems])
        existing = {
            (row.area_id, row.group): row
            for row in Caseload.objects.filter(cycle=cycle, area__level__in=levels)
        }
        report = _write_caseloads(cycle, entries, existing, source, by, dry_run=dry_run)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _write_caseloads(cycle, entries, existing, source, by, *, dry_run: bool) -> CaseloadReport:
    report = CaseloadReport(dry_run=dry_run)
    now = timezone.now()
    added, changed = [], []
    for entry in entries:
        report.by_level[entry.area.level] = report.by_level.get(entry.area.level, 0) + 1
        row = existing.pop((entry.area.pk, entry.group), None)
        if row is None:
            added.append(
                (cycle.pk, entry.area.pk, entry.group, entry.in_need, entry.targeted, source)
            )
        elif (row.people_in_need, row.people_targeted, row.source) != (
            entry.in_need,
            entry.targeted,
            source,
        ):
            changed.append((row.pk, entry.in_need, entry.targeted, source, now, by.pk))
        else:
            report.unchanged += 1
    removed = [row.pk for row in existing.values()]
    report.added, report.changed, report.removed = len(added), len(changed), len(removed)
    if dry_run:
        return report
    if removed:
        bulk.record_history(Caseload, removed, kind=bulk.REMOVED, by=by, reason=CHANGE_REASON)
        bulk.delete(Caseload, removed)
    if changed:
        names = ["people_in_need", "people_targeted", "source", "updated_at", "updated_by"]
        bulk.update(Caseload, names, changed)
        pks = [row[0] for row in changed]
        bulk.record_history(Caseload, pks, kind=bulk.CHANGED, by=by, reason=CHANGE_REASON)
    if added:
        names = ["cycle", "area", "group", "people_in_need", "people_targeted", "source"]
        rows = [(*row, now, by.pk) for row in added]
        pks = [pk for (pk,) in bulk.insert(Caseload, [*names, "updated_at", "updated_by"], rows)]
        bulk.record_history(Caseload, pks, kind=bulk.ADDED, by=by, reason=CHANGE_REASON)
    return report


# --- indicators' targets per area -------------------------------------------------------------


def _target_rule_problem(indicator: Indicator, targets: list[Decimal]) -> str:
    """Why the areas' targets disagree with the cluster-wide target, or ""."""
    if not targets:
        return ""
    wide = indicator.target
    if indicator.kind in SUMMED_KINDS:
        total = sum(targets, Decimal(0))
        if total != wide:
            return _(
                "The areas' targets add up to %(total)s; the cluster-wide target is %(wide)s."
            ) % {"total": shown(total), "wide": shown(wide)}
        return ""
    smallest, largest = min(targets), max(targets)
    if not smallest <= wide <= largest:
        return _(
            "The cluster-wide target, %(wide)s, is not between the smallest area target, "
            "%(smallest)s, and the largest, %(largest)s: a rate for the whole cluster lies "
            "between its areas' rates."
        ) % {"wide": shown(wide), "smallest": shown(smallest), "largest": shown(largest)}
    return ""


def _nesting_problems(areas: dict[int, AdminArea]) -> list[str]:
    problems = []
    for area in areas.values():
        if area.level == 2 and area.parent_id in areas:
            problems.append(
                _(
                    "%(district)s lies in %(area)s, which has its own target: for an indicator "
                    "that adds up over areas, giving both would count twice. Give the admin1 "
                    "area or its districts, not both."
                )
                % {"district": _label(area), "area": _label(areas[area.parent_id])}
            )
    return problems


def area_targets_save(
    *,
    indicator: Indicator,
    level: int,
    targets: dict[AdminArea, Decimal],
    update_cluster_target: bool = False,
    by,
) -> Indicator:
    """Replace the indicator's targets at ``level`` by ``targets``; the targets at the other
    level stay and count in the rule. With ``update_cluster_target`` (counts, people reached
    once, latest values) the cluster-wide target becomes the areas' sum. All or nothing."""
    policy.can_edit_plan(by).enforce()
    with transaction.atomic():
        indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
        others = {
            row.area_id: row
            for row in IndicatorAreaTarget.objects.filter(indicator=indicator)
            .exclude(area__level=level)
            .select_related("area")
        }
        problems = [
            _("%(area)s is not an area of this level.") % {"area": _label(area)}
            for area in targets
            if area.level != level or level not in PLANNING_LEVELS
        ]
        areas = {area.pk: area for area in targets} | {pk: row.area for pk, row in others.items()}
        figures = [*targets.values(), *(row.target for row in others.values())]
        if indicator.kind in SUMMED_KINDS:
            problems += _nesting_problems(areas)
        summed = indicator.kind in SUMMED_KINDS
        if not problems and update_cluster_target and summed and figures:
            _set_cluster_target(indicator, sum(figures, Decimal(0)), by)
        elif not problems:
            rule = _target_rule_problem(indicator, figures)
            if rule:
                problems.append(rule)
        if problems:
            raise ValidationError(problems)
        _write_targets(indicator, level, targets, by)
    return indicator


def _set_cluster_target(indicator: Indicator, total: Decimal, by) -> None:
    indicator.target = total
    try:
        indicator.clean()
    except ValidationError as error:
        raise ValidationError(
            [
                _("The cluster-wide target cannot become %(total)s: %(reason)s")
                % {"total": shown(total), "reason": " ".join(error.messages)}
            ]
        ) from None
    indicator._history_user = by
    indicator._change_reason = "Cluster-wide target set to the sum of the areas' targets"
    indicator.save()


def _write_targets(indicator: Indicator, level: int, targets: dict, by) -> None:
    existing = {
        row.area_id: row
        for row in IndicatorAreaTarget.objects.filter(indicator=indicator, area__level=level)
    }
    for area, target in targets.items():
        row = existing.pop(area.pk, None)
        if row is None:
            row = IndicatorAreaTarget(indicator=indicator, area=area, target=target)
        elif row.target == target:
            continue
        row.target = target
        row.updated_by = by
        row._history_user = by
        row.save()
    for row in existing.values():
        row._history_user = by
        row.delete()


# --- the needs overview's table ---------------------------------------------------------------


def _area_problems(parsed: CaseloadFile, areas: dict[str, AdminArea]) -> list[RowProblem]:
    problems = []
    for pcode, (row, level) in parsed.seen.items():
        area = areas.get(pcode)
        if area is None:
            message = _(
                "No area of the portal has this p-code. Load the areas first, or correct it."
            )
        elif area.level != level:
            message = _(
                "%(area)s is an admin%(level)s area, not one for the %(column)s column."
            ) % {
                "area": _label(area),
                "level": area.level,
                "column": f"ADM{level}_PCODE",
            }
        else:
            continue
        problems.append(RowProblem(row, pcode, message))
    return problems


def caseloads_load(
    *, cycle: StrategyCycle, data, source: str, by, dry_run: bool = False
) -> CaseloadReport:
    """Replace the cycle's whole set of caseloads (both levels) by the file's, all or
    nothing: CaseloadFileError lists every problem by row and column. With ``dry_run`` the
    file is checked and the report made, and nothing is saved."""
    policy.can_edit_plan(by).enforce()
    parsed = read_caseloads(data)
    areas = {area.pcode: area for area in AdminArea.objects.filter(pcode__in=list(parsed.seen))}
    problems = [*parsed.problems, *_area_problems(parsed, areas)]
    entries = [
        CaseloadEntry(areas[one.pcode], one.group, one.in_need, one.targeted, one.row)
        for one in parsed.caseloads
        if one.pcode in areas and areas[one.pcode].level == one.level
    ]
    problems += [
        RowProblem(entry.row, entry.area.pcode, message)
        for entry, message in caseload_problems(entries)
    ]
    if problems:
        raise CaseloadFileError(problems)
    return caseloads_save(
        cycle=cycle,
        entries=entries,
        levels=PLANNING_LEVELS,
        source=source,
        by=by,
        dry_run=dry_run,
    )
