"""Importing facilities and their statuses from the filled templates, all or nothing.

``facilities_import`` and ``statuses_import`` are the imports' services: atomic, they ask
``facilities.policy`` first, read the sheet (``facilities.sheets``), then check every row
with the rules of the forms: ``services.code_problem``, ``check_facility`` and
``facility_place`` for a facility (its area found from its coordinates, the boundaries of
every row searched at once by ``locations.spatial.areas_at``), ``services.clean_status``
and the support of the recording organisation on the status's day for a status, and
``policy.can_record_status``, ``can_record_for`` and ``can_validate`` for who records them.
Every problem of every row is reported at once, each a sentence naming its sheet, row and
column (``Problem``); nothing is written unless every row is right, nor on a dry run, which
says what the file would do.

A facility row with the code of a facility of the registry changes it (every value, as its
form does); any other row adds one, with the code given or, without one, the codes the
portal gives (``services.next_codes``). A status row records a status for review; a
coordinator may validate the imported statuses at once. Rows are written in a few
statements whatever their number (``bulk_create`` and ``core.bulk``), with their history
under the importing user, and ``core.signals.rows_written`` tells the caches.
"""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Upper
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core import bulk
from core.errors import reading_input
from core.inputs import ascii_digits, is_storable_text, message_of, parse_decimal
from core.inputs import parse_whole_number as whole_number
from core.sheets import SheetRow, cell_text
from core.signals import rows_written
from facilities import policy, selectors, services, sheets
from facilities.models import (
    Accessibility,
    BuildingCondition,
    Cause,
    Facility,
    FacilityStatus,
    FacilityType,
    Functionality,
    Ownership,
    ReviewState,
)
from facilities.sheets import FACILITIES, STATUSES, column_header
from locations import spatial
from locations.models import AdminArea
from partners.access import is_coordinator, user_organisation
from partners.models import Organisation
from strategy.models import HealthDomain

NAME_MAX_LENGTH = Facility._meta.get_field("name_en").max_length
# A list in a cell (causes, services) is split on these; a label holding a comma is found
# again by joining up to this many pieces.
LIST_SEPARATORS = re.compile("[,;\u060c\u061b\n]")
MOST_JOINED = 4
MOST_LISTED = 40
ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
# The status's cells besides the facility's code and name: a row with none is not a status.
STATUS_KEYS = (
    "as_of",
    "functionality",
    "building",
    "accessibility",
    "causes",
    "beds",
    "source",
    "organisation",
)


@dataclass(frozen=True)
class Problem:
    """One reason a file is not imported: where it is, and what is wrong, in a sentence."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        where = {"sheet": self.sheet, "row": self.row, "problem": self.message}
        if self.column:
            return _("Sheet “%(sheet)s”, row %(row)s, %(column)s: %(problem)s") % {
                **where,
                "column": self.column,
            }
        return _("Sheet “%(sheet)s”, row %(row)s: %(problem)s") % where


class ImportRefused(Exception):
    """Nothing was imported; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(problem) for problem in problems[:5]))
        self.problems = problems


# --- reading cells -------------------------------------------------------------------------------


def _normal(text: str) -> str:
    """Text as words are compared: case, spaces and the form of commas aside."""
    text = re.sub(r"[\u060c;\u061b]", ",", text.casefold())
    return re.sub(r"\s*,\s*", ", ", " ".join(text.split()))


def _choice_words(choices) -> dict[str, str]:
    """Each answer by its code and its words in English, Arabic and the user's language."""
    words = {}
    for language in ("en", "ar", translation.get_language() or "en"):
        with translation.override(language):
            for value, label in choices.choices:
                words[_normal(str(label))] = value
    words |= {_normal(value): value for value in choices.values}
    return words


def _keyed(records: Iterable, *attributes: str) -> dict[str, object]:
    """Records by each of their ``attributes`` as words; None for words two records share."""
    found: dict[str, object] = {}
    for record in records:
        for key in {_normal(getattr(record, name) or "") for name in attributes} - {""}:
            found[key] = record if found.get(key, record) == record else None
    return found


def _listed(text: str, words: dict) -> tuple[list, list[str]]:
    """The answers a cell lists (separated by commas or semicolons, of either language), and
    the pieces that are none."""
    pieces = [piece.strip() for piece in LIST_SEPARATORS.split(text)]
    pieces = [piece for piece in pieces if piece]
    found, unknown, index = [], [], 0
    while index < len(pieces):
        for size in range(min(MOST_JOINED, len(pieces) - index), 0, -1):
            value = words.get(_normal(", ".join(pieces[index : index + size])))
            if value is not None:
                found.append(value)
                index += size
                break
        else:
            unknown.append(pieces[index])
            index += 1
    return found, unknown


def _shown(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _date(value) -> datetime.date:
    """A day from a cell: a date, or text written as year-month-day; ValueError otherwise."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        match = ISO_DATE.fullmatch(ascii_digits(cell_text(value)))
        if match:
            return datetime.date(*(int(part) for part in match.groups()))
    raise ValueError(value)


class _Row:
    """One row being read: its cells, and the problems found, once per column."""

    def __init__(self, kind: str, title: str, row: SheetRow, problems: list[Problem]):
        self.kind, self.title, self.row, self.problems = kind, title, row, problems
        self.refused: set[str] = set()
        for key in row.formulas:
            self.problem(
                key,
                _(
                    "The cell holds a formula. Type the value itself: formulas are not "
                    "calculated when a file is imported."
                ),
            )

    def problem(self, key: str, message: str) -> None:
        if key in self.refused:
            return
        self.refused.add(key)
        column = column_header(self.kind, key) if key else ""
        self.problems.append(Problem(str(message), self.title, self.row.number, column))

    def errors(self, errors: dict[str, list[str]]) -> None:
        """A service's problems, by the form field (the column) they concern."""
        for key, messages in errors.items():
            self.problem(key, " ".join(str(message) for message in messages))

    def text(self, key: str, *, limit: int | None = None) -> str:
        text = cell_text(self.row.cells.get(key))
        if limit is not None and len(text) > limit:
            self.problem(key, _("Write at most %(limit)s characters.") % {"limit": limit})
        elif not is_storable_text(text):
            self.problem(
                key,
                _("The text holds an invisible character that cannot be saved; type it again."),
            )
        return text

    def choice(self, key: str, words: dict[str, str], answers) -> str | None:
        text = self.text(key)
        answers = "; ".join(map(str, answers))
        if not text:
            self.problem(
                key,
                _("The cell is empty; write one of the answers: %(answers)s.")
                % {"answers": answers},
            )
            return None
        value = words.get(_normal(text))
        if value is None:
            self.problem(
                key,
                _("“%(value)s” is not one of the answers: %(answers)s.")
                % {"value": _shown(text), "answers": answers},
            )
        return value

    def listed(self, key: str, words: dict, unknown_message: str) -> list:
        """The answers the cell lists; ``unknown_message`` names a piece that is none."""
        text = self.text(key)
        found, unknown = _listed(text, words)
        if len(found) + len(unknown) > MOST_LISTED:
            self.problem(key, _("The cell lists too many values."))
        elif unknown:
            self.problem(key, unknown_message % {"value": _shown(unknown[0])})
        return found

    def number(self, key: str, read) -> object:
        try:
            return read(self.row.cells.get(key))
        except ValidationError as error:
            self.problem(key, message_of(error))
            return None


def _read(upload, kind: str) -> sheets.Sheet:
    refusal = None
    with reading_input(gettext_lazy("the facility sheet")):
        try:
            return sheets.read_sheet(upload, kind)
        except ValidationError as error:
            refusal = [Problem(message) for message in error.messages]
    raise ImportRefused(refusal)


def _nothing(title: str) -> ImportRefused:
    return ImportRefused(
        [
            Problem(
                _("The sheet “%(sheet)s” holds no row to import under its headers.")
                % {"sheet": title}
            )
        ]
    )


def _by_code(codes: Iterable[str], *, lock: bool = False) -> dict[str, Facility]:
    """The facilities of these codes (in one query), by their code in capitals."""
    wanted = {code.upper() for code in codes if code}
    found = Facility.objects.annotate(upper=Upper("code")).filter(upper__in=wanted)
    if lock:
        found = found.select_for_update(of=("self",)).prefetch_related("domains")
    return {facility.code.upper(): facility for facility in found}


# --- facilities ----------------------------------------------------------------------------------


@dataclass
class FacilityRow:
    values: dict  # as the facility services take them, without the code
    domains: list[HealthDomain]
    code: str = ""
    existing: Facility | None = None


@dataclass
class FacilitiesImported:
    """What a facilities sheet did, or on a dry run would do."""

    dry_run: bool
    added: list[Facility] = field(default_factory=list)  # without a code on a dry run
    changed: list[Facility] = field(default_factory=list)
    unchanged: int = 0


class _FacilityLookups:
    def __init__(self, sheet: sheets.Sheet, *, lock: bool):
        types = list(FacilityType.objects.all())
        self.types = _keyed(types, "code", "name_en", "name_ar")
        self.type_names = [str(facility_type.name) for facility_type in types]
        self.ownership = _choice_words(Ownership)
        domains = list(HealthDomain.objects.active())
        self.domains = _keyed(domains, "code", "name_en", "name_ar")
        texts = {key: set() for key in ("area", "code")}
        for row in sheet.rows:
            for key, found in texts.items():
                text = cell_text(row.cells.get(key))
                if text and is_storable_text(text):
                    found.add(text.upper())
        self.areas = {
            area.pcode.upper(): area
            for area in AdminArea.objects.annotate(upper=Upper("pcode")).filter(
                upper__in=texts["area"]
            )
        }
        self.facilities = _by_code(texts["code"], lock=lock)


def _facility_row(reader: _Row, lookups: _FacilityLookups, seen: dict) -> FacilityRow:
    code = reader.text("code")
    if code:
        problem = services.code_problem(code)
        if problem:
            reader.problem("code", problem)
        elif code.upper() in seen:
            reader.problem(
                "code",
                _("The code %(code)s is on row %(row)s already.")
                % {"code": code, "row": seen[code.upper()]},
            )
        else:
            seen[code.upper()] = reader.row.number
    type_text = reader.text("type")
    facility_type = lookups.types.get(_normal(type_text)) if type_text else None
    if type_text and facility_type is None:
        reader.problem(
            "type",
            _("“%(value)s” is not a facility type: %(answers)s.")
            % {"value": _shown(type_text), "answers": "; ".join(lookups.type_names)},
        )
    pcode = reader.text("area")
    area = lookups.areas.get(pcode.upper()) if pcode else None
    if pcode and area is None:
        reader.problem(
            "area", _("No admin area has the p-code %(pcode)s.") % {"pcode": _shown(pcode)}
        )
    values = {
        "name_en": reader.text("name_en", limit=NAME_MAX_LENGTH),
        "name_ar": reader.text("name_ar", limit=NAME_MAX_LENGTH),
        "type": facility_type,
        "ownership": reader.choice("ownership", lookups.ownership, Ownership.labels),
        "area": area,
        "longitude": reader.number(
            "longitude", lambda value: parse_decimal(value, minimum=-180, maximum=180)
        ),
        "latitude": reader.number(
            "latitude", lambda value: parse_decimal(value, minimum=-90, maximum=90)
        ),
    }
    domains = reader.listed(
        "domains",
        lookups.domains,
        _("“%(value)s” is not the code of a health domain. Separate the codes with commas."),
    )
    existing = lookups.facilities.get(code.upper()) if code else None
    return FacilityRow(values, domains, code, existing)


def _place(rows: list[tuple[_Row, FacilityRow]]) -> None:
    """Each facility's area, its coordinates' areas found in one search; the problems of
    the place are the form's (``services.facility_place``)."""
    placed = [
        (reader, row)
        for reader, row in rows
        if not reader.refused & {"longitude", "latitude", "area"}
    ]
    located = [
        row
        for _reader, row in placed
        if row.values["longitude"] is not None and row.values["latitude"] is not None
    ]
    points = [(row.values["longitude"], row.values["latitude"]) for row in located]
    found = dict(zip(map(id, located), spatial.areas_at(points) if points else [], strict=True))
    for reader, row in placed:
        values = row.values
        area, errors = services.facility_place(
            longitude=values["longitude"],
            latitude=values["latitude"],
            area=values["area"],
            found=found.get(id(row), services.LOOK_UP),
        )
        reader.errors(errors)
        values["area"] = area


def _checked_facilities(sheet: sheets.Sheet, *, lock: bool) -> list[FacilityRow]:
    lookups = _FacilityLookups(sheet, lock=lock)
    problems: list[Problem] = []
    rows: list[tuple[_Row, FacilityRow]] = []
    seen: dict[str, int] = {}
    for sheet_row in sheet.rows:
        reader = _Row(FACILITIES, sheet.title, sheet_row, problems)
        rows.append((reader, _facility_row(reader, lookups, seen)))
    _place(rows)
    for reader, row in rows:
        reader.errors(services.check_facility(row.values))
    if problems:
        problems.sort(key=lambda problem: problem.row or 0)
        raise ImportRefused(problems)
    return [row for _reader, row in rows]


def _is_unchanged(row: FacilityRow) -> bool:
    facility, values = row.existing, row.values
    return (
        facility.name_en == values["name_en"]
        and facility.name_ar == values["name_ar"]
        and facility.type_id == values["type"].pk
        and facility.ownership == values["ownership"]
        and facility.area_id == values["area"].pk
        and facility.longitude == values["longitude"]
        and facility.latitude == values["latitude"]
        and {domain.pk for domain in facility.domains.all()} == {d.pk for d in row.domains}
    )


def _filled(facility: Facility, values: dict) -> Facility:
    for name, value in values.items():
        setattr(facility, name, value)
    return facility


UPDATED_FIELDS = ("name_en", "name_ar", "type", "ownership", "area", "longitude", "latitude")


def _write_facilities(
    added: list[FacilityRow], changed: list[FacilityRow], by
) -> tuple[list[Facility], list[Facility]]:
    given = [row.code for row in added if row.code]
    codes = iter(
        services.next_codes(len(added) - len(given), also_past=given)
        if len(given) < len(added)
        else []
    )
    new = [_filled(Facility(code=row.code or next(codes)), row.values) for row in added]
    Facility.objects.bulk_create(new)
    bulk.record_history(Facility, [facility.pk for facility in new], kind=bulk.ADDED, by=by)
    now = timezone.now()
    updated = [_filled(row.existing, row.values) for row in changed]
    if updated:
        bulk.update(
            Facility,
            (*UPDATED_FIELDS, "updated_at"),
            [
                (
                    facility.pk,
                    facility.name_en,
                    facility.name_ar,
                    facility.type_id,
                    facility.ownership,
                    facility.area_id,
                    facility.longitude,
                    facility.latitude,
                    now,
                )
                for facility in updated
            ],
        )
        pks = [facility.pk for facility in updated]
        bulk.record_history(Facility, pks, kind=bulk.CHANGED, by=by)
    _link_domains(list(zip(new, added, strict=True)), list(zip(updated, changed, strict=True)))
    rows_written.send(sender=Facility)
    return new, updated


def _link_domains(new: list[tuple], updated: list[tuple]) -> None:
    """The services of the facilities added, and of those changed whose services changed,
    in a few statements whatever their number."""
    links = Facility.domains.through
    relinked = [
        (facility, row)
        for facility, row in updated
        if {domain.pk for domain in facility.domains.all()} != {d.pk for d in row.domains}
    ]
    gone = links.objects.filter(facility_id__in=[facility.pk for facility, _row in relinked])
    bulk.delete(links, list(gone.values_list("pk", flat=True)))
    links.objects.bulk_create(
        (
            links(facility_id=facility.pk, healthdomain_id=domain.pk)
            for facility, row in [*new, *relinked]
            for domain in row.domains
        ),
        batch_size=bulk.BATCH,
    )


@transaction.atomic
def facilities_import(*, upload, by, dry_run: bool = False) -> FacilitiesImported:
    """Add and change the facilities of an uploaded facilities template, all or none;
    ``ImportRefused`` lists every problem. A dry run checks and writes nothing."""
    policy.can_manage_facilities(by).enforce()
    sheet = _read(upload, FACILITIES)
    if not sheet.rows:
        raise _nothing(sheet.title)
    rows = _checked_facilities(sheet, lock=not dry_run)
    added = [row for row in rows if row.existing is None]
    changed = [row for row in rows if row.existing is not None and not _is_unchanged(row)]
    result = FacilitiesImported(dry_run=dry_run, unchanged=len(rows) - len(added) - len(changed))
    if dry_run:
        result.added = [_filled(Facility(code=row.code), row.values) for row in added]
        result.changed = [row.existing for row in changed]
        return result
    try:
        with transaction.atomic():
            result.added, result.changed = _write_facilities(added, changed, by)
    except IntegrityError:
        # Another coordinator gave one of these codes meanwhile.
        raise ImportRefused(
            [
                Problem(
                    _(
                        "The registry changed while the file was imported, and a code of the "
                        "file was given meanwhile; nothing was saved. Upload the file again."
                    )
                )
            ]
        ) from None
    return result


# --- statuses ------------------------------------------------------------------------------------


@dataclass
class StatusesImported:
    """What a statuses sheet recorded, or on a dry run would record."""

    dry_run: bool
    statuses: list[FacilityStatus]  # not saved on a dry run
    validated: bool = False

    @property
    def facility_count(self) -> int:
        return len({status.facility_id for status in self.statuses})


class _StatusLookups:
    def __init__(self, sheet: sheets.Sheet, by):
        self.by = by
        self.coordinator = is_coordinator(by)
        self.own = None if self.coordinator else user_organisation(by)
        self.words = {
            "functionality": _choice_words(Functionality),
            "building": _choice_words(BuildingCondition),
            "accessibility": _choice_words(Accessibility),
            "causes": _choice_words(Cause),
        }
        codes = {cell_text(row.cells.get("code")) for row in sheet.rows}
        self.facilities = _by_code(code for code in codes if is_storable_text(code))
        ids = [facility.pk for facility in self.facilities.values()]
        if self.coordinator:
            self.recordable = set(ids)
        else:
            self.recordable = set(
                selectors.facilities_recordable_by(by)
                .filter(pk__in=ids)
                .values_list("pk", flat=True)
            )
        self.refusals: dict[int, str] = {}
        organisations = list(Organisation.objects.all()) if self.coordinator else []
        self.organisations = _keyed(organisations, "acronym", "name_en", "name_ar")
        chosen = {organisation.pk for organisation in organisations}
        if self.own is not None:
            chosen.add(self.own.pk)
        self.periods = selectors.support_periods(ids, chosen)

    def refusal(self, facility: Facility) -> str | None:
        """Why the user may not record this facility's status (the policy's reason)."""
        if facility.pk in self.recordable:
            return None
        if facility.pk not in self.refusals:
            self.refusals[facility.pk] = policy.can_record_status(self.by, facility).reason
        return self.refusals[facility.pk]

    def supported(self, organisation: Organisation, facility: Facility, on) -> bool:
        periods = self.periods.get((facility.pk, organisation.pk), [])
        return any(selectors.runs_on(start, end, on) for start, end in periods)


def _organisation(reader: _Row, lookups: _StatusLookups) -> tuple[bool, Organisation | None]:
    """Whether the row's organisation is known, and which it is (None: the cluster)."""
    text = reader.text("organisation")
    if not lookups.coordinator:
        own = lookups.own
        names = {_normal(name) for name in (own.acronym, own.name_en, own.name_ar) if name}
        if text and _normal(text) not in names:
            reader.problem("organisation", policy.can_record_for(lookups.by, None).reason)
            return False, None
        return True, own
    if not text:
        return True, None
    organisation = lookups.organisations.get(_normal(text))
    if organisation is None:
        if _normal(text) in lookups.organisations:
            message = _("%(name)s names more than one organisation; write its full name.")
        else:
            message = _("No partner organisation has the acronym or name %(name)s.")
        reader.problem("organisation", message % {"name": _shown(text)})
        return False, None
    return True, organisation


def _status_values(reader: _Row, lookups: _StatusLookups) -> dict:
    words = lookups.words
    as_of = None
    if cell_text(reader.row.cells.get("as_of")):
        try:
            as_of = _date(reader.row.cells.get("as_of"))
        except (ValueError, OverflowError):
            reader.problem(
                "as_of",
                _(
                    "“%(value)s” is not a day. Write it as year-month-day, such as 2026-11-30, "
                    "or as a date of the spreadsheet."
                )
                % {"value": _shown(cell_text(reader.row.cells.get("as_of")))},
            )
    values = {"as_of": as_of}
    for key, choices in (
        ("functionality", Functionality),
        ("building", BuildingCondition),
        ("accessibility", Accessibility),
    ):
        values[key] = reader.choice(key, words[key], choices.labels)
    values["causes"] = reader.listed(
        "causes",
        words["causes"],
        _("“%(value)s” is not a cause. Separate the causes with commas."),
    )
    values["beds"] = reader.number(
        "beds", lambda value: whole_number(value, minimum=0, maximum=services.MAX_BEDS)
    )
    values["source"] = reader.text("source")
    return values


def _status(reader: _Row, lookups: _StatusLookups, by, validate: bool) -> FacilityStatus | None:
    code = reader.text("code")
    facility = lookups.facilities.get(code.upper()) if code else None
    if not code:
        reader.problem("code", _("Give the facility's code."))
    elif facility is None:
        reader.problem(
            "code", _("No facility of the registry has the code %(code)s.") % {"code": code}
        )
    elif refusal := lookups.refusal(facility):
        reader.problem("code", refusal)
    known, organisation = _organisation(reader, lookups)
    clean, errors = services.clean_status(_status_values(reader, lookups))
    reader.errors(errors)
    if known and organisation is not None and not organisation.is_approved:
        reader.problem(
            "organisation",
            _("%(organisation)s is not an approved partner organisation.")
            % {"organisation": organisation.name},
        )
    elif (
        known
        and organisation is not None
        and facility is not None
        and "code" not in reader.refused
        and "as_of" not in errors
        and "as_of" not in reader.refused
        and not lookups.supported(organisation, facility, clean["as_of"])
    ):
        # The form names the field the recorder chose: the organisation, or the day.
        column = "organisation" if lookups.coordinator else "as_of"
        reader.problem(column, services.not_supported_message(organisation, clean["as_of"]))
    if reader.refused or facility is None:
        return None
    status = FacilityStatus(
        facility=facility,
        organisation=organisation,
        recorded_by=by,
        state=ReviewState.SUBMITTED,
        **clean,
    )
    if validate:
        policy.can_validate(by, status).enforce()
        status.state = ReviewState.VALIDATED
        status.reviewed_by = by
    return status


def _is_status(row: SheetRow) -> bool:
    """A row with only a facility's code and name, as the template lists them, is none."""
    return bool(row.formulas) or any(cell_text(row.cells.get(key)) for key in STATUS_KEYS)


@transaction.atomic
def statuses_import(
    *, upload, by, validate: bool = False, dry_run: bool = False
) -> StatusesImported:
    """Record the statuses of an uploaded statuses template, all or none, for review (or, by
    a coordinator who asks for it, validated); ``ImportRefused`` lists every problem. A
    dry run checks and writes nothing."""
    policy.can_record_statuses(by).enforce()
    if validate:
        policy.can_review_statuses(by).enforce()
    sheet = _read(upload, STATUSES)
    sheet.rows = [row for row in sheet.rows if _is_status(row)]
    if not sheet.rows:
        raise _nothing(sheet.title)
    lookups = _StatusLookups(sheet, by)
    problems: list[Problem] = []
    statuses = []
    for row in sheet.rows:
        status = _status(_Row(STATUSES, sheet.title, row, problems), lookups, by, validate)
        if status is not None:
            statuses.append(status)
    if problems:
        raise ImportRefused(problems)
    result = StatusesImported(dry_run=dry_run, statuses=statuses, validated=validate)
    if dry_run:
        return result
    now = timezone.now()
    for status in statuses:
        if validate:
            status.reviewed_at = now
    FacilityStatus.objects.bulk_create(statuses, batch_size=bulk.BATCH)
    bulk.record_history(FacilityStatus, [status.pk for status in statuses], kind=bulk.ADDED, by=by)
    rows_written.send(sender=FacilityStatus)
    return result


def summary(result: FacilitiesImported | StatusesImported) -> str:
    """What an import did, or would do, in a sentence or two."""
    if isinstance(result, FacilitiesImported):
        values = {
            "added": number_format(len(result.added), force_grouping=True),
            "changed": number_format(len(result.changed), force_grouping=True),
            "unchanged": number_format(result.unchanged, force_grouping=True),
        }
        if result.dry_run:
            return (
                _(
                    "The file is correct; nothing was saved yet. Importing it would add "
                    "facilities: %(added)s; change: %(changed)s; leave as they are: %(unchanged)s."
                )
                % values
            )
        return (
            _(
                "Facilities added: %(added)s; changed: %(changed)s; as the registry had them "
                "already: %(unchanged)s."
            )
            % values
        )
    count = len(result.statuses)
    values = {"count": number_format(count, force_grouping=True)}
    if result.dry_run:
        return (
            ngettext(
                "The file is correct; nothing was saved yet. Importing it would record %(count)s "
                "status.",
                "The file is correct; nothing was saved yet. Importing it would record %(count)s "
                "statuses.",
                count,
            )
            % values
        )
    if result.validated:
        return (
            ngettext(
                "%(count)s status was recorded and validated.",
                "%(count)s statuses were recorded and validated.",
                count,
            )
            % values
        )
    return (
        ngettext(
            "%(count)s status was recorded. It counts once the coordinators validate it.",
            "%(count)s statuses were recorded. They count once the coordinators validate them.",
            count,
        )
        % values
    )
