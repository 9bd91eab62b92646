"""Writes to the admin area tree: loading a COD-AB style CSV.

Loading is idempotent. The p-code is the key: an area already there gets its names
updated, a new one is added, and an area missing from the file is left as it is (other
records point at it). An area never moves: a file that puts a known p-code at another
level or under another parent is refused, because the assessments and reports recorded
against it would silently change place.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from locations.loader import AdminAreaFileError, CodAbFile, FileProblem, read_cod_ab
from locations.models import AdminArea

BATCH_SIZE = 500
CHANGE_REASON = "Loaded from a COD-AB file"


@dataclass(frozen=True)
class AddedArea:
    pcode: str
    name_en: str
    level: int


@dataclass(frozen=True)
class RenamedArea:
    pcode: str
    old_name_en: str
    new_name_en: str
    old_name_ar: str
    new_name_ar: str


@dataclass
class LoadReport:
    """What a load did, for the person who ran it."""

    added: list[AddedArea] = field(default_factory=list)
    renamed: list[RenamedArea] = field(default_factory=list)
    unchanged: int = 0
    left_unchanged: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def added_count(self) -> int:
        return len(self.added)

    @property
    def renamed_count(self) -> int:
        return len(self.renamed)

    @property
    def left_unchanged_count(self) -> int:
        return len(self.left_unchanged)

    def summary(self) -> str:
        parts = [
            ngettext("%(count)s area added", "%(count)s areas added", self.added_count)
            % {"count": self.added_count},
            ngettext("%(count)s renamed", "%(count)s renamed", self.renamed_count)
            % {"count": self.renamed_count},
            ngettext("%(count)s unchanged", "%(count)s unchanged", self.unchanged)
            % {"count": self.unchanged},
            ngettext(
                "%(count)s area not in the file left unchanged",
                "%(count)s areas not in the file left unchanged",
                self.left_unchanged_count,
            )
            % {"count": self.left_unchanged_count},
        ]
        return _("%(parts)s.") % {"parts": "; ".join(parts)}


def admin_areas_load(*, data: bytes, by=None, dry_run: bool = False) -> LoadReport:
    """Load the file's areas in one transaction, or raise AdminAreaFileError and load nothing.

    ``by`` is the user recorded in the audit history; ``dry_run`` checks and reports
    without keeping any change.
    """
    parsed = read_cod_ab(data)
    try:
        with transaction.atomic():
            report = _apply(parsed, by=by)
            report.dry_run = dry_run
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError as error:
        # Another load committed the same new p-codes between our read and our write.
        raise AdminAreaFileError(
            [
                FileProblem(
                    None,
                    _(
                        "The areas were changed by someone else while this file was loading. "
                        "Nothing was loaded; upload the file again."
                    ),
                )
            ]
        ) from error
    return report


def _apply(parsed: CodAbFile, *, by) -> LoadReport:
    existing = {area.pcode: area for area in AdminArea.objects.select_related("parent")}
    problems = list(parsed.problems)
    root_pcode = None
    if not parsed.has_country:
        countries = [area for area in existing.values() if area.level == 0]
        if len(countries) == 1:
            root_pcode = countries[0].pcode
        else:
            problems.append(
                FileProblem(
                    1,
                    _(
                        "The file has no ADM0_EN and ADM0_PCODE columns, and the portal does "
                        "not hold exactly one country to put its areas in. Add the country "
                        "columns."
                    ),
                )
            )
    problems.extend(_contradictions(parsed, existing, root_pcode))
    if problems:
        raise AdminAreaFileError(problems)

    report = LoadReport()
    by_pcode = dict(existing)
    to_rename: list[AdminArea] = []
    for level in parsed.levels:
        to_add: list[AdminArea] = []
        for area in parsed.areas.values():
            if area.level != level:
                continue
            current = existing.get(area.pcode)
            if current is None:
                parent = by_pcode[area.parent_pcode or root_pcode] if level > 0 else None
                new = AdminArea(
                    pcode=area.pcode,
                    level=level,
                    parent=parent,
                    name_en=area.name_en,
                    name_ar=area.name_ar,
                    # bulk_create skips save(), which computes the path.
                    path=(parent.path if parent else "/") + f"{area.pcode}/",
                )
                to_add.append(new)
                by_pcode[area.pcode] = new
                report.added.append(AddedArea(area.pcode, area.name_en, level))
                continue
            # An empty Arabic cell keeps the Arabic name already entered.
            new_ar = area.name_ar or current.name_ar
            if current.name_en == area.name_en and current.name_ar == new_ar:
                report.unchanged += 1
                continue
            report.renamed.append(
                RenamedArea(area.pcode, current.name_en, area.name_en, current.name_ar, new_ar)
            )
            current.name_en, current.name_ar = area.name_en, new_ar
            to_rename.append(current)
        if to_add:
            # One level at a time, so each level's parents have their ids.
            bulk_create_with_history(
                to_add,
                AdminArea,
                batch_size=BATCH_SIZE,
                default_user=by,
                default_change_reason=CHANGE_REASON,
            )
    if to_rename:
        bulk_update_with_history(
            to_rename,
            AdminArea,
            ["name_en", "name_ar"],
            batch_size=BATCH_SIZE,
            default_user=by,
            default_change_reason=CHANGE_REASON,
        )
    report.left_unchanged = sorted(set(existing) - set(parsed.areas))
    return report


def _contradictions(
    parsed: CodAbFile, existing: dict[str, AdminArea], root_pcode: str | None
) -> list[FileProblem]:
    """Areas the file would move to another level or parent: refused, never applied."""
    problems = []
    for area in parsed.areas.values():
        current = existing.get(area.pcode)
        if current is None:
            continue
        if current.level != area.level:
            problems.append(
                FileProblem(
                    area.line,
                    _(
                        "The p-code %(pcode)s is an admin level %(level)s area in the portal, "
                        "but this file puts it at admin level %(file_level)s. An area cannot "
                        "change level."
                    )
                    % {"pcode": area.pcode, "level": current.level, "file_level": area.level},
                )
            )
            continue
        file_parent = area.parent_pcode or (root_pcode if area.level > 0 else None)
        current_parent = current.parent.pcode if current.parent_id else None
        if file_parent != current_parent:
            problems.append(
                FileProblem(
                    area.line,
                    _(
                        "The p-code %(pcode)s is inside %(parent)s in the portal, but this file "
                        "puts it inside %(file_parent)s. Moving an area would move the records "
                        "made for it, so it is refused; ask the site administrator."
                    )
                    % {
                        "pcode": area.pcode,
                        "parent": current_parent or _("no other area"),
                        "file_parent": file_parent or _("no other area"),
                    },
                )
            )
    return problems
