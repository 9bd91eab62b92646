"""The fuzz's walker: every URL of the permission matrices, the fields a person can send it,
and one request at a time that reports a server error instead of raising it.

The URLs are the ``MATRIX`` rows of every ``tests/**/test_permissions*.py`` (the same list
``tests/test_url_coverage.py`` checks is complete). For one row seen by one role the walker
learns which names to fuzz from three sources: the forms of the rendered page (``<input>``,
``<select>``, ``<textarea>``: the GET forms for a page, the form that posts to the URL for a
POST, and a page's own POST form when no row posts to it), the names the view itself read
from ``request.GET`` and ``request.POST`` while it answered (recorded on Django's
``MultiValueDict``), and a few query parameters every list reads. The form's own values,
completed where it requires one (and the first blank row of a formset filled in, and a valid
file in every file input), are the valid baseline that one hostile field at a time replaces.

Every request runs in a savepoint rolled back after it, with the client's cookies put back,
so each one starts from the same records and the same login. A POST that saved something
(a redirect) is followed to the page that shows it. POSTs carry the CSRF token as a browser
does (cookie and form field) to a client that enforces it; times are the server's.
"""

import copy
import importlib.util
import io
import re
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from unittest.mock import patch
from urllib.parse import urlencode, urlsplit

import tinyhtml5
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import QueryDict
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.utils.datastructures import MultiValueDict
from openpyxl import Workbook
from PIL import Image

from tests.fuzz.hostile import wire
from tests.matrix import Row

TESTS = Path(__file__).resolve().parent.parent

# Query parameters the lists and filters read. A page whose view did not read one still gets
# it, with every other name, in the request that sends hostile values to all names at once.
KNOWN_QUERY_NAMES = ("page", "q", "sort", "year", "level", "organisation", "area", "next")
CSRF_FIELD = "csrfmiddlewaretoken"
# A CSRF secret of the allowed characters and length; the cookie and the form carry it.
CSRF_SECRET = "fuzzFUZZ" * 4
# The responses slower than this are reported (never failed on).
SLOW_SECONDS = 2.0
# Refusals that come before the view reads anything a person sent.
REFUSED = {403, 404, 405}


def matrix_rows(apps: tuple[str, ...] = ()) -> list[Row]:
    """Every row of every permission matrix (of these apps' only), in a stable order."""
    rows = []
    for path in sorted(TESTS.rglob("test_permissions*.py")):
        if apps and path.relative_to(TESTS).parts[0] not in apps:
            continue
        name = "fuzz_matrix_of_" + "_".join(path.relative_to(TESTS).with_suffix("").parts)
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        rows += getattr(module, "MATRIX", [])
    return rows


# The page's forms -------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # the input's type, or "select", "select-multiple", "textarea"
    value: str = ""
    required: bool = False
    checked: bool = False
    options: tuple[str, ...] = ()
    selected: tuple[str, ...] = ()
    accept: str = ""


@dataclass
class Form:
    method: str
    action: str
    multipart: bool
    fields: list[Field] = field(default_factory=list)


def _field_of(element) -> Field | None:
    name = element.get("name")
    if not name or element.get("disabled") is not None:
        return None
    tag = element.tag
    if tag == "textarea":
        return Field(name, "textarea", element.text or "", element.get("required") is not None)
    if tag == "select":
        options = [o for o in element.iter("option") if o.get("disabled") is None]
        values = tuple(o.get("value", (o.text or "").strip()) for o in options)
        selected = tuple(
            o.get("value", (o.text or "").strip()) for o in options if o.get("selected") is not None
        )
        kind = "select-multiple" if element.get("multiple") is not None else "select"
        required = element.get("required") is not None
        return Field(name, kind, required=required, options=values, selected=selected)
    if tag in ("input", "button"):
        kind = (element.get("type") or ("submit" if tag == "button" else "text")).lower()
        return Field(
            name,
            kind,
            value=element.get("value", ""),
            required=element.get("required") is not None,
            checked=element.get("checked") is not None,
            accept=element.get("accept", ""),
        )
    return None


def _fields_in(element) -> Iterator[Field]:
    for child in element:
        if child.tag == "template":
            continue  # JavaScript copies these; a browser never sends them
        found = _field_of(child)
        if found:
            yield found
        yield from _fields_in(child)


def forms_of(html: str) -> list[Form]:
    tree = tinyhtml5.parse(html, namespace_html_elements=False)
    return [
        Form(
            method=(form.get("method") or "get").lower(),
            action=form.get("action") or "",
            multipart="multipart" in (form.get("enctype") or ""),
            fields=list(_fields_in(form)),
        )
        for form in tree.iter("form")
    ]


def form_posting_to(forms: list[Form], path: str) -> Form | None:
    """The page's form that posts to the URL (its action, or none: the page's own URL)."""
    posting = [
        form for form in forms if form.method == "post" and urlsplit(form.action).path in ("", path)
    ]
    return max(posting, key=lambda form: len(form.fields), default=None)


# Valid values: the baseline a hostile field replaces ---------------------------------------


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (0, 90, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AREAS_CSV = (
    b"ADM0_EN,ADM0_PCODE,ADM1_EN,ADM1_AR,ADM1_PCODE,ADM2_EN,ADM2_AR,ADM2_PCODE\n"
    b"Demoland,DL,Northern Hills,,DL01,Pinecrest,,DL0101\n"
)


@dataclass(frozen=True)
class Upload:
    """A file to send, rebuilt for each request (an uploaded file is read once)."""

    name: str
    content: bytes
    content_type: str = "application/octet-stream"

    def file(self) -> SimpleUploadedFile:
        return SimpleUploadedFile(self.name, self.content, content_type=self.content_type)


def workbook_bytes() -> bytes:
    workbook = Workbook()
    workbook.active.append(["Facility", "Beds"])
    workbook.active.append(["North clinic", 12])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def valid_upload(accept: str) -> Upload:
    """A small valid file of the kind the input accepts."""
    if "image" in accept:
        return Upload("photo.png", _png(), "image/png")
    if "pdf" in accept:
        return Upload("minutes.pdf", PDF, "application/pdf")
    if "csv" in accept:
        return Upload("areas.csv", AREAS_CSV, "text/csv")
    if "xlsx" in accept or "spreadsheet" in accept:
        return Upload("data.xlsx", workbook_bytes(), XLSX_TYPE)
    return Upload("notes.pdf", PDF, "application/pdf")


FILLERS = {
    "number": "1",
    "date": "2026-01-15",
    "datetime-local": "2026-01-15T10:00",
    "time": "10:00",
    "month": "2026-01",
    "email": "fuzz@example.org",
    "url": "https://example.org/",
    "tel": "+1 555 0100",
    "password": "Correct-Horse-Battery-9",
}


def _first_new_rows(fields: list[Field]) -> tuple[str, ...]:
    """The name prefix of each formset's first blank form ("form-3-"): filled in like a
    person adding a row, so that one hostile figure in it reaches the save."""
    values = {item.name: item.value for item in fields}
    return tuple(
        f"{name.removesuffix('TOTAL_FORMS')}{values.get(name.replace('TOTAL', 'INITIAL'), '0')}-"
        for name in values
        if name.endswith("-TOTAL_FORMS")
    )


def _values_of(item: Field, new_row: bool = False) -> list[str | Upload]:
    """What a browser sends for the field, completed where the form requires a value."""
    if item.kind in ("submit", "button", "reset", "image"):
        return []
    if item.kind in ("checkbox", "radio"):
        return [item.value or "on"] if item.checked or item.required else []
    if item.kind == "file":
        # Sent even when optional: a valid file beside a hostile field is a case of its own.
        return [valid_upload(item.accept)]
    if item.kind == "select-multiple":
        return list(item.selected)
    if item.kind == "select":
        chosen = item.selected or item.options[:1]
        if (item.required or new_row) and not any(chosen):
            chosen = [option for option in item.options if option][:1]
        return list(chosen)
    if item.value or not item.required:
        return [item.value]
    return [FILLERS.get(item.kind, "Fuzz")]


def baseline_of(form: Form | None) -> list[tuple[str, str | Upload]]:
    if form is None:
        return []
    pairs = []
    seen_radio = set()
    new_rows = _first_new_rows(form.fields)
    for item in form.fields:
        if item.kind == "radio":
            if item.name in seen_radio:
                continue
            if item.checked:
                seen_radio.add(item.name)
        new_row = item.name.startswith(new_rows)
        pairs += [(item.name, value) for value in _values_of(item, new_row)]
    return [(name, value) for name, value in pairs if name != CSRF_FIELD]


def pairs_of(data: dict) -> list[tuple[str, str | Upload]]:
    """A matrix row's data as pairs, its files read into uploads."""
    pairs = []
    for name, value in data.items():
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            if hasattr(item, "read"):
                item.seek(0)
                content_type = getattr(item, "content_type", "application/octet-stream")
                pairs.append((name, Upload(Path(item.name).name, item.read(), content_type)))
            else:
                pairs.append((name, str(item)))
    return pairs


def merged(base: list[tuple], over: list[tuple]) -> list[tuple]:
    """``base`` with every name of ``over`` given ``over``'s values instead."""
    names = {name for name, _ in over}
    return [pair for pair in base if pair[0] not in names] + over


# Reading what the view reads -------------------------------------------------------------


@contextmanager
def names_read() -> Iterator[set[str]]:
    """The keys any view or form looks up in a ``QueryDict`` while the block runs."""
    names: set[str] = set()
    getitem, getlist, contains = (
        MultiValueDict.__getitem__,
        MultiValueDict._getlist,
        MultiValueDict.__contains__,
    )

    def note(self, key) -> None:
        if isinstance(self, QueryDict) and isinstance(key, str):
            names.add(key)

    def recording_getitem(self, key):
        note(self, key)
        return getitem(self, key)

    def recording_getlist(self, key, *args, **kwargs):
        note(self, key)
        return getlist(self, key, *args, **kwargs)

    def recording_contains(self, key):
        note(self, key)
        return contains(self, key)

    with (
        patch.object(MultiValueDict, "__getitem__", recording_getitem),
        patch.object(MultiValueDict, "_getlist", recording_getlist),
        patch.object(MultiValueDict, "__contains__", recording_contains),
    ):
        yield names


# Sending ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    status: int
    error: str  # the last line of the traceback, for a server error
    seconds: float
    html: str = ""
    location: str = ""
    shown_at: str = ""  # for a POST that saved: the page it led to, when that one failed
    url: str = ""

    @property
    def refused(self) -> bool:
        """Refused before the view read anything: a 403, 404 or 405, or sent to log in."""
        return self.status in REFUSED or "/accounts/login/" in self.location


def signed_in(role: str, user) -> Client:
    """A client that enforces CSRF as a browser meets it, logged in as the user."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=True)
    if user is not None:
        client.force_login(user)
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    return client


def _last_line(error: BaseException) -> str:
    lines = traceback.format_exception_only(type(error), error)
    return lines[-1].strip()[:300]


def _encoded(pairs: list[tuple[str, str | Upload]]) -> dict[str, list]:
    data: dict[str, list] = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value.file() if isinstance(value, Upload) else wire(value))
    return data


@contextmanager
def rolled_back(client: Client) -> Iterator[None]:
    """A savepoint rolled back when the block ends, and the client's cookies put back."""
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
    client.cookies = cookies


def attempt(
    client: Client, method: str, url: str, pairs: list[tuple], *, multipart: bool = True
) -> Outcome:
    """One request; a server error (an exception or a 5xx) is an outcome, not raised. The
    time is the server's: the body is encoded before the clock starts."""
    path, body, content_type = _encoded_request(method, url, pairs, multipart)
    started = time.perf_counter()
    try:
        response = client.generic(method.upper(), path, body, content_type)
        # A streamed file (an export) fails while it is read, if it fails.
        content = b"".join(response.streaming_content) if response.streaming else response.content
    except Exception as exc:  # every server error is an outcome, whatever its type
        return Outcome(500, _last_line(exc), time.perf_counter() - started, url=url)
    seconds = time.perf_counter() - started
    html = content.decode(errors="replace") if "html" in response.get("Content-Type", "") else ""
    location = response.get("Location", "")
    return Outcome(response.status_code, "", seconds, html, location, url=url)


def send(
    client: Client, method: str, url: str, pairs: list[tuple], *, multipart: bool = True
) -> Outcome:
    """One request in a savepoint rolled back after it.

    A POST that redirects has saved something: the page it leads to, which shows what was
    saved, is read too, and its server error or slowness is the outcome.
    """
    with rolled_back(client):
        outcome = attempt(client, method, url, pairs, multipart=multipart)
        if method != "post" or outcome.status != 302 or outcome.refused or not outcome.location:
            return outcome
        shown = attempt(client, "get", outcome.location, [])
    if shown.status >= 500 or shown.seconds > max(outcome.seconds, SLOW_SECONDS):
        return replace(shown, shown_at=outcome.location)
    return outcome


def _encoded_request(
    method: str, url: str, pairs: list[tuple], multipart: bool
) -> tuple[str, bytes, str]:
    """The path, body and content type a browser sends for the pairs."""
    if method == "get":
        query = urlencode([(name, wire(value)) for name, value in pairs if isinstance(value, str)])
        return (f"{url}?{query}" if query else url), b"", ""
    pairs = [*pairs, (CSRF_FIELD, CSRF_SECRET)]
    if multipart or any(isinstance(value, Upload) for _, value in pairs):
        return url, encode_multipart(BOUNDARY, _encoded(pairs)), MULTIPART_CONTENT
    body = urlencode([(name, wire(value)) for name, value in pairs]).encode()
    return url, body, "application/x-www-form-urlencoded"


# One row as one role: what to fuzz -------------------------------------------------------


@dataclass
class Target:
    """A URL seen by one role with one method: the baseline it accepts, the names to fuzz."""

    row: Row
    role: str
    method: str
    url: str
    client: Client
    baseline: list[tuple]
    names: list[str]
    refused: bool
    multipart: bool = False
    files: set[str] = field(default_factory=set)
    # Sent only in the request with every name at once: the known query names the view did
    # not read, and the fields of a formset's further rows (the same as its first two).
    together: list[str] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)  # a POST form's fields: their types


@dataclass(frozen=True)
class Place:
    """A row's URL and data, made once: their functions create the records they name.

    ``own_form``: the page's form that posts back to it is fuzzed too, for a page whose POST
    no matrix row sends (the 4W rows, the findings grid, the editors).
    """

    row: Row
    url: str
    data: list[tuple]
    own_form: bool = False

    @classmethod
    def of(cls, row: Row, world, *, own_form: bool = False) -> "Place":
        data = pairs_of(row.data(world)) if row.data else []
        return cls(row, row.url(world), data, own_form and row.method == "get")


def discover(place: Place, role: str, world) -> tuple[list[Target], list[Outcome]]:
    """Read the row's page as the role: the targets to fuzz, and the outcomes of reading."""
    client = signed_in(role, world.user(role))
    row, url, data = place.row, place.url, place.data
    with names_read() as read:
        page = send(client, "get", url, data if row.method == "get" else [])
    forms = forms_of(page.html) if page.html else []
    form = form_posting_to(forms, urlsplit(url).path)
    if row.method == "post":
        target, answer = _post_target(place, role, client, form, data)
        target.refused = page.refused and answer.refused
        return [target], [page, answer]
    names = {item.name for form in forms if form.method == "get" for item in form.fields}
    names = (names | read | {name for name, _ in data}) - {CSRF_FIELD}
    target = Target(row, role, "get", url, client, data, sorted(names), page.refused)
    target.together = sorted(set(KNOWN_QUERY_NAMES) - names)
    if not (place.own_form and form and page.status == 200 and _fuzzable(form)):
        return [target], [page]
    posting, answer = _post_target(place, role, client, form, [])
    posting.refused = answer.refused
    return [target, posting], [page, answer]


def _fuzzable(form: Form) -> bool:
    return any(item.kind not in ("submit", "button", "hidden") for item in form.fields)


def _post_target(
    place: Place, role: str, client: Client, form: Form | None, data: list[tuple]
) -> tuple[Target, Outcome]:
    """The POST of the form (completed by the row's data), and the answer to its baseline."""
    baseline = merged(baseline_of(form), data)
    multipart = form.multipart if form else True
    with names_read() as read:
        answer = send(client, "post", place.url, baseline, multipart=multipart)
    fields = form.fields if form else []
    names = ({name for name, _ in baseline} | read | {item.name for item in fields}) - {CSRF_FIELD}
    files = {item.name for item in fields if item.kind == "file"}
    files |= {name for name, value in data if isinstance(value, Upload)}
    repeated = _repeated_rows(names)
    target = Target(
        place.row, role, "post", place.url, client, baseline, sorted(names - repeated), False
    )
    target.multipart, target.files, target.together = multipart, files, sorted(repeated)
    target.kinds = {item.name: item.kind for item in fields}
    return target, answer


ROW_FIELD = re.compile(r"^(?P<prefix>.+)-(?P<index>\d+)-(?P<field>[^-]+)$")


def _repeated_rows(names: set[str]) -> set[str]:
    """The fields of the rows of a formset (or grid) after its first two: the same fields."""
    rows: dict[tuple[str, str], list[int]] = {}
    for name in names:
        if match := ROW_FIELD.match(name):
            rows.setdefault((match["prefix"], match["field"]), []).append(int(match["index"]))
    return {
        f"{prefix}-{index}-{name}"
        for (prefix, name), indexes in rows.items()
        for index in sorted(indexes)[2:]
    }
